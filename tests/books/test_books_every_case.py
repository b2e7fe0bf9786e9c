"""epubcheck on the EPUB of every real transcript in tests/transcript/cases (copies of the
shared transcripts of many governments), as `publish` writes them.

All of them are published in one run through the real command line. The speech rate is
the profiles' fastest (`--rate 450`): it shortens the audio, and so the render, but not the
book's structure (headings, turns, sentences, overlays), which is what epubcheck judges.
The books are checked in one JVM (tests/books/EpubCheckAll.java, epubcheck's own Java API)
because each start of epubcheck costs seconds. A damaged copy proves the checker counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CASES = Path(__file__).parents[1] / "transcript" / "cases"
CHECKER = Path(__file__).with_name("EpubCheckAll.java")
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
REQUIRE_E2E = os.environ.get("PRESSAUDIO_REQUIRE_E2E") == "1"


def epubcheck(books: list[Path]) -> dict[str, tuple[int, int, int]]:
    """(fatals, errors, warnings) per book, by file name."""
    done = subprocess.run(
        ["java", "-cp", str(EPUBCHECK), str(CHECKER), *map(str, books)],
        capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    counts: dict[str, tuple[int, int, int]] = {}
    for line in done.stdout.splitlines():
        parts = line.rsplit(" ", 3)
        if len(parts) == 4 and parts[0].endswith(".epub"):
            counts[Path(parts[0]).name] = (int(parts[1]), int(parts[2]), int(parts[3]))
    return counts


def test_every_case_makes_an_epub_that_epubcheck_accepts(tmp_path: Path) -> None:
    if not EPUBCHECK.exists():
        reason = f"{EPUBCHECK} is missing (apt-get install epubcheck; .ci/run installs it)"
        if REQUIRE_E2E:
            pytest.fail(f"PRESSAUDIO_REQUIRE_E2E=1 but {reason}")
        pytest.skip(reason)
    sources = sorted(CASES.glob("*.txt"))
    assert len(sources) >= 28
    out = tmp_path / "feed"
    env = dict(os.environ, PRESSAUDIO_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-m", "pressaudio", "publish", str(CASES), "--out", str(out),
         "--base-url", "http://127.0.0.1:8000/", "--rate", "450", "--jobs", "2"],
        env=env, capture_output=True, text=True, timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    books = sorted((out / "episodes").glob("*.epub"))
    assert len(books) == len(sources), done.stdout

    damaged = tmp_path / "damaged.epub"
    with zipfile.ZipFile(books[0]) as good, zipfile.ZipFile(damaged, "w") as bad:
        for item in good.infolist():
            if not item.filename.endswith(".smil"):  # the manifest lists a missing overlay
                bad.writestr(item, good.read(item.filename))

    counts = epubcheck([*books, damaged])
    assert counts.pop("damaged.epub")[1] > 0, "epubcheck must count a missing overlay"
    assert counts == {book.name: (0, 0, 0) for book in books}
