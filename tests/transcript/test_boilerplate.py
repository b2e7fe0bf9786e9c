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
    mend,
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
    # a PDF's line break can leave the end of a sentence alone: "... and protect
    # intellectual property and" / "copyright."
    assert not is_boilerplate("copyright.")
    # ... or a wrapped line that goes on after the word (found by test_properties.py)
    assert not is_boilerplate("copyright we.")
    assert not is_boilerplate("copyright law, and we will protect it.")
    assert is_boilerplate("Copyright © 2024 Ministry of Foreign Affairs of Japan")
    assert is_boilerplate("Copyright Ministry of Foreign Affairs of Japan")
    assert is_boilerplate("COPYRIGHT 2003 Office of the Prime Minister")


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


@pytest.mark.parametrize(
    "line",
    [
        # Rev.com's subscription box and fair-use notice (case 72), and variants
        "Luckily for you, we deliver. Subscribe to our blog today.",
        "A confirmation email is on it’s way to your inbox.",
        'Under Title 17 U.S.C. Section 107, allowance is made for "fair use" for purposes'
        " such as criticism, comment, news reporting, teaching, scholarship, and research."
        " Fair use is permitted by copyright statute that might otherwise be infringing.",
        "Subscribe to our newsletter for more transcripts.",
        "A confirmation email is on its way.",
    ],
)
def test_transcription_service_subscription_and_fair_use_chrome(line: str) -> None:
    assert is_boilerplate(line)


def test_subscribing_in_speech_is_not_chrome() -> None:
    assert not is_boilerplate("I would urge everyone to subscribe to the new savings bonds.")


def test_mend_drops_a_time_code_inside_a_bracketed_note() -> None:
    # case 72 (Rev.com), then a variant
    assert mend("Hi, Mr. President. [inaudible 00:00:27]-") == "Hi, Mr. President. [inaudible]-"
    assert mend("So the [crosstalk 01:12:09] plan is set.") == "So the [crosstalk] plan is set."
    # a clock time in a note is what was said, not a time code
    assert mend("We land at 10:30 (local time 10:30).") == "We land at 10:30 (local time 10:30)."
    assert mend("At [10:30:00] sharp.") == "At [10:30:00] sharp."


def test_mend_closes_the_spaces_a_pdf_text_layer_leaves() -> None:
    # case 70 (Fed PDF text), then variants
    assert mend("Right. So, on—on inflation, you know , the—the") == (
        "Right. So, on—on inflation, you know, the—the"
    )
    assert mend("And it’s—it’ s not a question") == "And it’s—it’s not a question"
    assert mend("We are observing—we ’re trying, Chair Powell . Two") == (
        "We are observing—we’re trying, Chair Powell. Two"
    )
    assert mend("So you don ’t, and you’ ve got") == "So you don’t, and you’ve got"
    # quotes, plurals and ellipses are left as written
    for text in ("the ‘smart’ set", "the parents’ savings", "Well . . . no", "the ’sixties"):
        assert mend(text) == text


def test_mend_leaves_the_first_word_as_written() -> None:
    # a turn starts with a word of its source line
    assert mend("We . Yes") == "We . Yes"
    assert mend("It’ s here, it’ s there") == "It’ s here, it’s there"
