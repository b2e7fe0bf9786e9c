"""boilerplate directly: line cleaning, page chrome, end marks, trailers, statement marks."""

from __future__ import annotations

from datetime import date

import pytest

from pressaudio.transcript.boilerplate import (
    clean,
    is_boilerplate,
    is_closing_mark,
    is_issuer_line,
    is_statement_mark,
    trailer_date,
)


def test_clean_removes_markup_and_odd_spaces() -> None:
    assert (
        clean("**Minister**\u00a0Kamikawa:\u200b Yes \\[sic\\]") == "Minister Kamikawa: Yes [sic]"
    )
    assert clean("<b>Q</b>   Thanks.") == "Q Thanks."


@pytest.mark.parametrize(
    "line",
    [
        "Home > Press > Briefings",
        "Back to Press Conferences",
        "[Provisional Translation]",
        "Share this page",
    ],
)
def test_page_chrome(line: str) -> None:
    assert is_boilerplate(line)


def test_speech_is_not_chrome() -> None:
    assert not is_boilerplate("We will share this with our partners.")


@pytest.mark.parametrize(
    "line",
    ["ENDS", "- 30 -", "(Concluded)", "# # #", "[END OF BRIEFING]", "Ends/Friday, March 17, 2023"],
)
def test_closing_marks(line: str) -> None:
    assert is_closing_mark(line)


def test_trailer_date_needs_an_end_mark() -> None:
    lines = [
        "Reporter: Why?",
        "Chief Executive: Because.",
        "",
        "Ends/Friday, March 17, 2023",
        "Issued at HKT 22:30",
    ]
    assert trailer_date(lines) == date(2023, 3, 17)
    assert trailer_date(["Minister: We meet on March 17, 2023.", ""]) is None


def test_statement_marks_and_issuer_lines() -> None:
    assert is_statement_mark("Check against delivery!\u00a0")
    assert is_statement_mark("Es gilt das gesprochene Wort.")
    assert not is_statement_mark("Check the delivery dates")
    assert is_issuer_line("NATIONAL SECURITY COUNCIL")
    assert not is_issuer_line("National Security Council")
