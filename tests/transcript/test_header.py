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


def test_a_title_printed_twice_is_said_once() -> None:
    # case 72 (Rev.com), then a variant
    h = _header(
        "Air Force One Press Gaggle 7/29/25\n\n"
        "Air Force One Press Gaggle 7/29/25\n\n"
        "President Trump (00:03):\n\nHello, everybody.\n"
    )
    assert h.title == "Air Force One Press Gaggle 7/29/25"
    assert h.kinds == ("title", "drop")
    h = _header(
        "Press Briefing by Press Secretary Leavitt\n\n"
        "PRESS BRIEFING BY PRESS SECRETARY LEAVITT\n\n"
        "Q: Thanks.\n"
    )
    assert h.kinds == ("title", "drop")


def test_a_letterhead_naming_whose_transcript_gives_way_to_the_event_line() -> None:
    # case 75 (Australian PM's release), then a variant
    h = _header(
        " PRIME MINISTER \n\n 21 March 2014 \n\n"
        " TRANSCRIPT OF THE PRIME MINISTER   THE HON. TONY ABBOTT MP \n\n"
        " JOINT PRESS CONFERENCE WITH THE HON. PETER O’NEILL CMG MP,   PRIME MINISTER OF "
        "PAPUA NEW GUINEA,  PORT MORESBY, PAPUA NEW GUINEA \n\n"
        " PRIME MINISTER ABBOTT: \n\n Thank you.\n"
    )
    assert h.title is not None and h.title.startswith("JOINT PRESS CONFERENCE WITH")
    assert "TRANSCRIPT OF THE PRIME MINISTER THE HON. TONY ABBOTT MP" in h.facts
    assert "heading" not in h.kinds
    h = _header("Transcript of the Treasurer\n\nDoorstop interview, Sydney\n\nQUESTION: Yes?\n")
    assert h.title == "Doorstop interview, Sydney"
    # a title naming the event stays the title
    h = _header("Transcript of Chair Powell’s Press Conference\n\nMarch 15, 2020\n\nQ: Yes?\n")
    assert h.title == "Transcript of Chair Powell’s Press Conference"


def test_a_cut_teaser_glued_to_the_title_goes() -> None:
    # case 80 (a press-release distributor), then variants
    h = _header(
        "U.S. Department of Defense\n\n"
        "Secretary of Defense Lloyd J. Austin III On Camera, On the Record Remarks to Traveling "
        "Press in Doral, FloridaRemarks by Secretary of Defense Lloyd J. Austin III at U.S.[...]"
        "\n\nSECRETARY OF DEFENSE LLOYD AUSTIN: Well, good afternoon.\n"
    )
    assert h.title == (
        "Secretary of Defense Lloyd J. Austin III On Camera, On the Record Remarks to "
        "Traveling Press in Doral, Florida"
    )
    h = _header("Remarks by Secretary McKee at the YouTube Theater[...]\n\nQ: Yes?\n")
    assert h.title == "Remarks by Secretary McKee at the YouTube Theater"
    h = _header("Remarks by Secretary McKee at the YouTube Theater\n\nQ: Yes?\n")
    assert h.title == "Remarks by Secretary McKee at the YouTube Theater"


def test_an_issuers_masthead_is_a_fact_not_a_heading() -> None:
    # case 81 (UN noon briefing), then variants
    h = _header(
        "25 October 2007\n\nSpokesperson's Noon Briefing\n"
        "Department of Public Information • News and Media Division • New York\n\n"
        "The following is a near-verbatim transcript of today’s noon briefing.\n\n"
        "Q: Yes?\n"
    )
    assert "Department of Public Information • News and Media Division • New York" in h.facts
    assert "heading" not in h.kinds
    h = _header(
        "Press Briefing by the Spokesperson\n\nMinistry of Foreign Affairs | Press Office | Rome"
        "\n\nQ: Yes?\n"
    )
    assert h.facts == ("Ministry of Foreign Affairs | Press Office | Rome",)
    # two parts, or a sentence, are no masthead
    h = _header("Press Briefing by the Spokesperson\n\nTrade • Energy\n\nQ: Yes?\n")
    assert h.facts == ()
