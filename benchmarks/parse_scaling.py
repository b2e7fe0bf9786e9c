"""How fast the transcript parser is, and whether it stays linear in the size of its input.

Run from the repository root:

    .venv/bin/python benchmarks/parse_scaling.py            # every shared case, then 1 MB vs 10 MB
    .venv/bin/python benchmarks/parse_scaling.py --no-cases  # only the scaling

It prints the CPU time of the slowest shared transcript (tests/transcript/cases) and the
ratio of the time for 10 MB to the time for 1 MB of one transcript's body repeated: about
10 for a linear parser (a quadratic one gives about 100). The figures depend on the
machine; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pressaudio.transcript.parser import parse

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "transcript" / "cases"
SCALING_CASE = CASES / "25_wh-jean-pierre-kirby-2023-07-17.txt"


def cpu_seconds(text: str) -> float:
    start = time.process_time()
    parse(text, source="timing.txt")
    return time.process_time() - start


def best_of(text: str, runs: int) -> float:
    return min(cpu_seconds(text) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cases", action="store_true", help="skip the per-case timings")
    args = parser.parse_args()

    if not args.no_cases:
        timings = sorted(
            ((best_of(p.read_text(encoding="utf-8"), 2), p.name) for p in CASES.glob("*.txt")),
            reverse=True,
        )
        print(f"{len(timings)} shared transcripts; slowest five (CPU, best of 2):")
        for seconds, name in timings[:5]:
            print(f"  {seconds * 1000:8.1f} ms  {name}")

    body = SCALING_CASE.read_text(encoding="utf-8")
    body = body[body.index("---", 3) + 4 :]  # the front matter once is enough
    one = body * (1_000_000 // len(body) + 1)
    ten = body * (10_000_000 // len(body) + 1)
    t_one = best_of(one, 2)
    t_ten = cpu_seconds(ten)
    print(
        f"1 MB: {t_one:.2f} s, 10 MB: {t_ten:.2f} s CPU; "
        f"ratio {t_ten / t_one:.1f} (linear: about 10)"
    )


if __name__ == "__main__":
    main()
