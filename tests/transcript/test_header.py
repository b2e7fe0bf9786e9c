"""The header pass directly: kinds of the paragraphs above the first label, and what they say."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pressaudio.transcript.header import read_header
from pressaudio.transcript.headings import find_headings
from pressaudio.transcript.intermediates import Header, Source
from pressaudio.transcript.labelling import accept_labels
from pressaudio.transcript.lines import split_lines
from pressaudio.transcript.paragraphs import join_paragraphs

CASES = Path(__file__).parent / "cases"


def _header(text: str) -> Header:
    lines = split_lines(Source(text, "t.txt"))
    return read_header(find_headings(join_paragraphs(accept_labels(lines))))


def test_kinds_title_place_date_byline_heading_prose() -> None:
    h = _header(
        "Press Conference by Foreign Minister Kamikawa\n\n"
        "Briefing Room, Ministry of Foreign Affairs\n\n"
        "Thursday, March 14, 2024, 4:30 p.m.\n\n"
        "Topics: Ukraine, trade\n\n"
        "Opening Remarks\n\n"
        "I will begin with Ukraine.\n\n"
        "Reporter: A question?\n"
    )
    assert h.kinds == ("title", "meta", "meta", "byline", "heading", "prose")
    assert h.title == "Press Conference by Foreign Minister Kamikawa"
    assert h.location == "Briefing Room, Ministry of Foreign Affairs"
    assert isinstance(h.held_at, datetime)
    assert (h.held_at.date(), h.held_at.hour, h.held_at.minute) == (date(2024, 3, 14), 16, 30)
    assert h.facts == ("Topics: Ukraine, trade",)


def test_keyed_date_and_venue_lines() -> None:
    h = _header("Date: 14 March 2024\nVenue: Kantei\n\nCHAIR: Welcome.")
    assert h.kinds == ("meta", "meta")
    assert h.held_at == date(2024, 3, 14)
    assert h.location == "Kantei"


def test_a_time_and_no_date_warns() -> None:
    h = _header("4:30 p.m. EDT\n\nQ: Hi?")
    assert h.held_at is None
    assert h.warnings == ("t.txt: the text gives a time but no date; held_at is unknown",)


def test_the_front_matter_title_wins_and_the_page_repeating_it_is_dropped() -> None:
    h = _header("---\ntitle: Press conference of the Minister\ndate: 2024-03-14\n---\n"
                "Press Conference of the Minister\n\nQ: Hi?")  # fmt: skip
    assert h.kinds == ("drop",)
    assert h.title == "Press conference of the Minister"
    assert h.held_at == date(2024, 3, 14)


def test_chrome_above_the_title_is_a_byline() -> None:
    h = _header("Ministry of Magic\n\nPress Conference by the Minister\n\nMINISTER: Hello.")
    assert h.kinds == ("byline", "title")


def test_a_place_after_a_dash_in_the_title() -> None:
    h = _header("Doorstop interview – Parliament House, Canberra\n\nPM: Hello.")
    assert h.location == "Parliament House, Canberra"


def test_the_trailer_date_when_the_header_gives_none() -> None:
    h = _header("Press conference\n\nPM: Thanks.\n\nEnds\n\n14 March 2024")
    assert h.held_at == date(2024, 3, 14)


def test_real_white_house_header() -> None:
    text = (CASES / "25_wh-jean-pierre-kirby-2023-07-17.txt").read_text(encoding="utf-8")
    h = _header(text)
    assert h.title is not None and h.title.startswith("Press Briefing by Press Secretary")
    assert isinstance(h.held_at, datetime)
    assert h.held_at.isoformat() == "2023-07-17T15:08:00-04:00"
    assert h.location == "James S. Brady Press Briefing Room"
    assert "meta" in h.kinds  # its date line; the title is the front matter's
