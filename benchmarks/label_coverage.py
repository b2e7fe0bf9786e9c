"""Turns the parser finds vs speaker-label lines a plain regex lists, per shared transcript.

Run from the repository root:

    .venv/bin/python benchmarks/label_coverage.py           # every case in tests/transcript/cases
    .venv/bin/python benchmarks/label_coverage.py -v        # and the lines only one side has

The regex is deliberately naive: a line that starts with up to eight capitalised words (or
`Q`/`A`) and a colon (ASCII, full-width or the mis-encoded `¡G`), with or without a time
code (`Name (00:03):`); up to five words in capitals and a period (`CHAIR POWELL.  Good`,
`Q.`); or `Q` and spaces (the White House). It over-counts title lines with a colon and
misses what only position tells (`Speaker 1` alone on a line, unlabelled answers). The
figures say where to look, not who is right: `-v` lists the lines where the two disagree.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from pressaudio.transcript.parser import parse

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "transcript" / "cases"

_WORD = r"[A-Z][\w.'’\-]*|of|for|the|and|de|van|von|\([^()]{1,40}\)"
_CAPS = r"[A-Z][A-Z.'’\-]+"
LABEL_LINE = re.compile(
    r"^\s*Q(?:\s{2,}\S|\s*$)"  # the White House's "Q    What ..." and "Q" alone
    rf"|^\s*(?:Q|A|(?:{_WORD})(?:[ ,]+(?:{_WORD})){{0,7}})"
    r"(?:\s*\(\d{1,2}:\d{2}(?::\d{2})?\))?"  # "Name (00:03):"
    r"\s*(?:[:：]|¡G)"
    rf"|^\s*(?:Q|A|{_CAPS}(?: {_CAPS}){{0,4}})\.(?:\s{{2,}}\S|\s*$|\s(?=[A-Z]))"  # CHAIR POWELL.
)


def label_lines(text: str) -> list[int]:
    """1-based numbers of the lines the plain regex takes for a speaker label."""
    return [n for n, line in enumerate(text.split("\n"), start=1) if LABEL_LINE.match(line)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list disagreeing lines")
    args = parser.parse_args()
    total_found = total_listed = 0
    print(f"{'case':58} {'turns':>5} {'labelled':>8} {'regex':>5} {'ratio':>6}")
    for txt in sorted(CASES.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        t = parse(text, source=txt.name)
        labelled = [turn.line for turn in t.turns if turn.label]
        listed = label_lines(text)
        total_found += len(labelled)
        total_listed += len(listed)
        ratio = f"{len(labelled) / len(listed):6.2f}" if listed else "     -"
        print(f"{txt.stem[:58]:58} {len(t.turns):5} {len(labelled):8} {len(listed):5} {ratio}")
        if args.verbose:
            lines = text.split("\n")
            for n in sorted(set(listed) - set(labelled)):
                print(f"    regex only  {n:5}: {lines[n - 1].strip()[:80]}")
            for n in sorted(set(labelled) - set(listed)):
                print(f"    parser only {n:5}: {lines[n - 1].strip()[:80]}")
    print(
        f"{'all':58} {'':5} {total_found:8} {total_listed:5} "
        f"{total_found / max(total_listed, 1):6.2f}"
    )


if __name__ == "__main__":
    main()
