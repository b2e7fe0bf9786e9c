"""The lines pass directly: line ends, front matter, cleaning and the kind of each line."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pytest

from pressaudio.transcript.intermediates import Source
from pressaudio.transcript.lines import split_lines

CASES = Path(__file__).parent / "cases"


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(line.kind, line.text) for line in split_lines(Source(text, "t.txt")).body]


def test_line_ends_and_byte_order_mark() -> None:
    lines = split_lines(Source("\ufeffA:\r\nB.\rC.\n", "t.txt"))
    assert lines.raw == ("A:", "B.", "C.", "")
    assert [line.index for line in lines.body] == [0, 1, 2, 3]


def test_front_matter_gives_title_date_and_time_and_the_body_starts_after_it() -> None:
    text = '---\ntitle: "Press  conference"\ndate: 2024-03-14\ntime: "16:30"\n---\nQ: Hi?\n'
    lines = split_lines(Source(text, "t.txt"))
    assert lines.body_from == 5
    assert lines.front.title == "Press conference"
    assert lines.front.day == date(2024, 3, 14)
    assert lines.front.time is not None and (lines.front.time.hour, lines.front.time.minute) == (
        16,
        30,
    )
    assert lines.body[0].index == 5 and lines.body[0].text == "Q: Hi?"


def test_no_front_matter() -> None:
    lines = split_lines(Source("Q: Hi?", "t.txt"))
    assert lines.body_from == 0 and lines.front.title is None and lines.front.day is None


def test_kinds_text_blank_boilerplate() -> None:
    kinds = _kinds("Share this page\n\n   Minister:  Good   morning.\n")
    assert kinds == [
        ("boilerplate", "Share this page"),
        ("blank", ""),
        ("text", "Minister: Good morning."),
        ("blank", ""),
    ]


def test_real_pdf_page_chrome_and_its_kinds() -> None:
    text = (CASES / "70_fed-powell-press-conference-call-2020-03-15.txt").read_text(
        encoding="utf-8"
    )
    body = split_lines(Source(text, "fed.txt")).body
    assert body[0].kind == "chrome"  # the running header
    assert body[2].kind == "chrome" and body[2].text == "Page 1 of 21"
    assert body[4].kind == "text" and body[4].page_break is False
    assert body[29].page_break  # the header again, mid-sentence


def test_footnote_lines_and_marks() -> None:
    text = (
        "SPEAKER: The rate stays at 1¾ percent.1 This decision was unanimous.\n"
        "1 Chair Powell intended to say 1½ percent.\n"
        "Transcript FINAL\nPage 1 of 2\nSPEAKER: More.\nTranscript FINAL\nPage 2 of 2\n"
    )
    lines = split_lines(Source(text, "t.txt"))
    assert lines.footnotes == ("1 Chair Powell intended to say 1½ percent.",)
    assert (
        lines.body[0].text == "SPEAKER: The rate stays at 1¾ percent. This decision was unanimous."
    )
    assert lines.body[1].kind == "footnote"


def test_lines_are_frozen() -> None:
    lines = split_lines(Source("Q: Hi?", "t.txt"))
    assert isinstance(lines.body, tuple)
    with pytest.raises(FrozenInstanceError):
        lines.body[0].text = "x"  # type: ignore[misc]
