"""`publish` on a back-catalogue of thousands of episodes: nothing changed, one changed, one added.

Run from the repository root:

    .venv/bin/python benchmarks/catalogue.py                  # 1,000 and 2,000 episodes
    .venv/bin/python benchmarks/catalogue.py --sizes 2000     # one size
    .venv/bin/python benchmarks/catalogue.py --profile 2000   # where an unchanged run goes

It writes a synthetic catalogue (press conferences over the years: realistic titles, dates,
opening remarks and questions, so chapters, speakers and transcripts like real ones) into a
temporary folder and publishes it once with a stand-in for the renderer (a short real MP3
copied, captions and chapters made from the transcript: rendering thousands of episodes
would take hours and measures nothing of the catalogue). Then it times the real command,
`pressaudio publish DIR/transcripts --out DIR/feed --jobs 1 --quiet`, as a publisher runs it:

- unchanged: nothing to render (median of 3 runs);
- one changed: one transcript corrected, rendered for real (eSpeak NG);
- one added: a new transcript, rendered for real.

Each figure is the wall time of the whole command (start-up included) and its peak resident
memory (ru_maxrss). Nothing here is a pass/fail test; the figures depend on the machine and
on what else runs (the load average is printed beside them).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8000/"
BIN = Path(sys.executable).parent / "pressaudio"

MINISTERS = [
    ("Foreign Minister", "KAMIKAWA Yoko", "Minister Kamikawa"),
    ("Foreign Minister", "HAYASHI Yoshimasa", "Minister Hayashi"),
    ("Chief Cabinet Secretary", "MATSUNO Hirokazu", "Secretary Matsuno"),
    ("Press Secretary", "KOBAYASHI Maki", "Press Secretary Kobayashi"),
]
OUTLETS = ["NHK", "Kyodo News", "Reuters", "Asahi Shimbun", "Nikkei", "AFP", "Bloomberg", "TBS"]
TOPICS = [
    "the G7 summit", "the situation in the Middle East", "relations with China",
    "the visit to Washington", "North Korea's missile launch", "the ALPS treated water",
    "economic security", "the Indo-Pacific strategy", "support for Ukraine",
    "the Japan-Korea summit", "the WTO ministerial conference", "climate finance",
    "the evacuation of Japanese nationals", "official development assistance",
    "the Expo in Osaka", "the Quad foreign ministers' meeting",
]


def transcript(i: int, day: date, rng: random.Random) -> str:
    office, full, short = MINISTERS[i % len(MINISTERS)]
    topics = rng.sample(TOPICS, 4)
    hour, half = rng.choice([(9, "a.m."), (10, "a.m."), (11, "a.m."), (3, "p.m."), (4, "p.m.")])
    lines = [
        "Press Conferences",
        "",
        f"Press Conference by {office} {full}",
        "",
        f"{day:%A, %B} {day.day}, {day.year}, {hour}:{rng.randint(0, 59):02d} {half} "
        "Ministry of Foreign Affairs",
        "",
        "Opening Remarks",
        "",
        f"{short}: Good morning. I have two announcements today, on {topics[0]} and on "
        f"{topics[1]}. First, on {topics[0]}: the government will continue to work closely "
        "with the international community, and I will report on the results in due course. "
        f"Second, on {topics[1]}: we have decided to extend our support for another year.",
        "",
        "Question-and-Answer Session",
        "",
    ]
    for q, topic in enumerate(topics[1:], start=1):
        outlet = OUTLETS[(i + q) % len(OUTLETS)]
        lines += [
            f"Reporter: I am from {outlet}. Could you tell us more about {topic}, and what "
            f"the government expects to happen next (briefing {i}, question {q})?",
            "",
            f"{short}: Thank you for your question. On {topic}, we are in close contact with "
            "the countries concerned. I would like to refrain from speculating about the "
            "outcome, but we will make every effort to reach a good result.",
            "",
        ]
    return "\n".join(lines)


def write_catalogue(src: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    src.mkdir(parents=True, exist_ok=True)
    first = date(2024, 12, 31) - timedelta(days=(n * 365) // 240)  # ~240 a year
    paths = []
    for i in range(n):
        day = first + timedelta(days=(i * 365) // 240)
        p = src / f"mofa-{day:%Y-%m-%d}-{i:05d}.txt"
        p.write_text(transcript(i, day, rng), encoding="utf-8")
        paths.append(p)
    return paths


# --- the stand-in renderer (the first, building publish only) -----------------------------


def _short_mp3(folder: Path) -> Path:
    """One short MP3 (one second of silence), as ffmpeg encodes pressaudio's episodes."""
    from pressaudio.audio.ffmpeg import ffmpeg_exe

    mp3 = folder / "short.mp3"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=24000:cl=mono", "-t", "1",
         "-b:a", "48k", "-y", str(mp3)], check=True,
    )  # fmt: skip
    return mp3


def fake_render(mp3_template: Path):  # type: ignore[no-untyped-def]
    from pressaudio.audio.captions import chapters_json, srt, webvtt
    from pressaudio.model import ChapterMark, Cue, Episode

    def render_task(task, options):  # type: ignore[no-untyped-def]
        t = task.transcript
        cues, chapters, at = [], [], 0
        for turn in t.turns:
            name = t.speaker(turn.speaker).name
            cues.append(Cue(at, at + 900, name, " ".join(turn.text.split())))
            at += 1000
        for k, section in enumerate(t.sections):
            chapters.append(ChapterMark(section, k * 1000, (k + 1) * 1000))
        mp3 = task.out_mp3
        stem = mp3.name.removesuffix(".mp3")
        shutil.copyfile(mp3_template, mp3)
        files = [mp3.with_name(stem + s) for s in (".chapters.json", ".vtt", ".srt")]
        files[0].write_text(chapters_json(chapters, title=t.title), "utf-8")
        files[1].write_text(webvtt(cues), "utf-8")
        files[2].write_text(srt(cues), "utf-8")
        return Episode(mp3, files[0], files[1], files[2], at, tuple(chapters), tuple(cues))

    return render_task


def build(root: Path, n: int) -> None:
    """The catalogue published once, as if every episode had been rendered."""
    import pressaudio.publish.executors as executors
    from pressaudio.publish.publish import publish
    from pressaudio.render import RenderOptions
    from pressaudio.speech.synth import default_cache_dir

    write_catalogue(root / "transcripts", n)
    saved = executors.render_task
    executors.render_task = fake_render(_short_mp3(root))
    try:
        publish([root / "transcripts"], root / "feed", BASE, jobs=1,
                options=RenderOptions(cache_dir=default_cache_dir()))
    finally:
        executors.render_task = saved


# --- timing the real command --------------------------------------------------------------


def run(root: Path) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, summary line) of one `pressaudio publish`."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN), "publish", str(root / "transcripts"), "--out", str(root / "feed"),
         "--base-url", BASE, "--jobs", "1", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"publish failed ({proc.returncode}): {err.strip()}")
    return wall, usage.ru_maxrss / 1024, out.splitlines()[0] if out else ""


def measure(n: int, keep: Path | None) -> dict[str, tuple[float, float, str]]:
    root = Path(tempfile.mkdtemp(prefix=f"pressaudio-catalogue-{n}-", dir=keep))
    try:
        t0 = time.perf_counter()
        build(root, n)
        print(f"  built {n} episodes in {time.perf_counter() - t0:.0f} s ({root})", flush=True)
        figures: dict[str, tuple[float, float, str]] = {}
        runs = [run(root) for _ in range(3)]
        walls = [r[0] for r in runs]
        figures["unchanged"] = (statistics.median(walls), max(r[1] for r in runs), runs[-1][2])
        newest = sorted((root / "transcripts").iterdir())[-1]
        newest.write_text(newest.read_text("utf-8").replace(
            "Thank you for your question.", "Thank you very much for that question.", 1
        ), "utf-8")  # fmt: skip
        figures["one changed"] = run(root)
        extra = root / "transcripts" / "mofa-2025-01-06-99999.txt"
        extra.write_text(transcript(99_999, date(2025, 1, 6), random.Random(1)), "utf-8")
        figures["one added"] = run(root)
        pages = sorted((root / "feed").glob("*.html"))
        biggest = max(p.stat().st_size for p in pages)
        feed_kb = (root / "feed" / "feed.xml").stat().st_size / 1000
        print(f"  {len(pages)} top-level pages, largest {biggest / 1000:.0f} kB; "
              f"feed.xml {feed_kb:.0f} kB", flush=True)
        return figures
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def profile(n: int) -> None:
    """cProfile of one unchanged publish, in this process."""
    from pressaudio.publish.publish import publish
    from pressaudio.render import RenderOptions
    from pressaudio.speech.synth import default_cache_dir

    root = Path(tempfile.mkdtemp(prefix=f"pressaudio-catalogue-{n}-"))
    try:
        build(root, n)
        opts = RenderOptions(cache_dir=default_cache_dir())
        prof = cProfile.Profile()
        prof.enable()
        publish([root / "transcripts"], root / "feed", BASE, jobs=1, options=opts)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--profile", type=int, metavar="N", help="profile an unchanged run")
    parser.add_argument("--keep", type=Path, help="build the catalogues in this folder, kept")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    rows = []
    for n in args.sizes:
        print(f"catalogue of {n} episodes", flush=True)
        for case, (wall, rss, line) in measure(n, args.keep).items():
            rows.append((n, case, wall, rss, line))
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    print("| episodes | publish | wall | peak MB | summary |")
    print("|---|---|---|---|---|")
    for n, case, wall, rss, line in rows:
        print(f"| {n} | {case} | {wall:.2f} s | {rss:.0f} | {line} |")
    walls = {(n, c): w for n, c, w, _, _ in rows}
    if len(args.sizes) >= 2:
        a, b = sorted(args.sizes)[:2]
        ratio = walls[(b, "unchanged")] / walls[(a, "unchanged")]
        print(f"\nunchanged {b} / {a}: {ratio:.2f} (linear: {b / a:.2f})")


if __name__ == "__main__":
    main()
