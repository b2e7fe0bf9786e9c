"""How `publish` scales with workers: 20 transcripts with --jobs 1, --jobs 2 (and a cluster).

Run from the repository root:

    .venv/bin/python benchmarks/jobs.py               # --jobs 1 vs --jobs 2
    .venv/bin/python benchmarks/jobs.py --cluster     # also on a 2-worker Dask LocalCluster

Each run is the real command (`pressaudio publish ... --quiet`) from scratch: a fresh output
folder and a fresh speech cache (PRESSAUDIO_CACHE_DIR), so every episode is synthesised and
encoded. The 20 transcripts are short briefings (opening remarks, three questions), each
with its own words. The target on a 2-core machine is --jobs 2 at least 1.8 x faster than
--jobs 1; other work on the machine lowers it (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "pressaudio"
BASE = "http://localhost:8000/"
TOPICS = [
    "water", "energy", "trade", "fisheries", "tourism", "shipping", "rice", "semiconductors",
    "vaccines", "satellites", "railways", "forestry", "steel", "textiles", "ports", "wheat",
    "batteries", "hydrogen", "typhoons", "earthquakes",
]  # fmt: skip


def briefing(topic: str, day: int) -> str:
    return f"""Press Conference on {topic.title()}

Thursday, September {day}, 2023, 9:31 a.m. Ministry of Foreign Affairs

Opening Remarks

Minister Kamikawa: Good morning. Today I will speak about {topic}. Our policy on {topic}
has three parts, and I will explain each of them in turn.

Question-and-Answer Session

Reporter: Could you say more about the first part of the {topic} policy?

Minister Kamikawa: The first part of the {topic} policy is cooperation with our partners.

Reporter: And when will the talks on {topic} resume?

Minister Kamikawa: The {topic} talks resume next month, in Tokyo.

Reporter: Is there a budget for {topic} this year?

Minister Kamikawa: Yes. The budget for {topic} will be announced on Friday.
"""


def run(src: Path, work: Path, *extra: str) -> float:
    out = work / "feed"
    cache = work / "cache"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "PRESSAUDIO_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN), "publish", str(src), "--out", str(out), "--base-url", BASE, "--quiet", *extra],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"publish {' '.join(extra)} failed: {done.stderr.strip()}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", action="store_true", help="also on a Dask LocalCluster")
    parser.add_argument("-n", type=int, default=20, help="transcripts (default 20)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pressaudio-jobs-"))
    try:
        src = work / "transcripts"
        src.mkdir()
        for day, topic in enumerate(TOPICS[: args.n], start=1):
            (src / f"{topic}.txt").write_text(briefing(topic, day), encoding="utf-8")
        rows = [("--jobs 1", run(src, work, "--jobs", "1"))]
        rows.append(("--jobs 2", run(src, work, "--jobs", "2")))
        if args.cluster:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as lc:  # fmt: skip
                rows.append(("--cluster (2 workers)", run(src, work, "--cluster",
                                                          lc.scheduler_address)))  # fmt: skip
        load = os.getloadavg()
        print(f"{args.n} transcripts; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"on {os.cpu_count()} cores")  # fmt: skip
        print("| run | wall | speed-up over --jobs 1 |")
        print("|---|---|---|")
        for name, wall in rows:
            print(f"| {name} | {wall:.1f} s | {rows[0][1] / wall:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":  # LocalCluster spawns its workers: this guard is required
    main()
