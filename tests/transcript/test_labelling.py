"""The labelling pass directly: label candidates, the vetoes, the trailer, hard wrapping."""

from __future__ import annotations

from pathlib import Path

from pressaudio.transcript.intermediates import LabelledLines, Source
from pressaudio.transcript.labelling import accept_labels
from pressaudio.transcript.lines import split_lines

CASES = Path(__file__).parent / "cases"


def _label(text: str) -> LabelledLines:
    return accept_labels(split_lines(Source(text, "t.txt")))


def _accepted(text: str) -> list[str | None]:
    return [lm.label if lm else None for lm in _label(text).accepted]


def test_labels_by_shape() -> None:
    got = _accepted("MINISTER KAMIKAWA: Good morning.\n\nReporter: A question?\n\nNote: none.")
    assert got == ["MINISTER KAMIKAWA", None, "Reporter", None, None]


def test_a_dated_title_is_no_label() -> None:
    got = _accepted("POST-CABINET PRESS CONFERENCE: MONDAY, 4 MARCH 2024\n\nPM: Hello.")
    assert got == [None, None, "PM"]


def test_the_first_candidate_that_is_a_title_is_no_label() -> None:
    text = "DOORSTOP: RUDDOCK DISCUSSES TERRORISM\n\nRUDDOCK: Thanks.\n\nJOURNALIST: Why?"
    assert _accepted(text)[0] is None
    assert _accepted(text)[2] == "RUDDOCK"


def test_a_role_and_name_fact_above_the_label_is_no_label() -> None:
    text = "Chair: Welty\n\nCHAIR WELTY: Good morning.\n\nQ: Hi?"
    assert _accepted(text) == [None, None, "CHAIR WELTY", None, "Q"]


def test_a_label_in_a_key_block_is_a_fact() -> None:
    text = "Date: 14 March 2024\nSpokesperson: Mr. Lim, Director-General\n\nLim: Good morning."
    got = _label(text)
    assert got.candidates[1] is None
    assert got.accepted[3] is not None and got.accepted[3].label == "Lim"


def test_after_an_end_mark_the_page_is_its_trailer() -> None:
    text = "TREASURER: The Reserve Bank is independent.\n\nENDS\n\nAuthorised by A. Albanese.\n"
    body = _label(text).lines.body
    assert [line.kind for line in body] == [
        "text",
        "blank",
        "boilerplate",  # ENDS itself
        "blank",
        "trailer",
        "blank",
    ]


def test_an_end_mark_before_the_last_label_ends_nothing() -> None:
    body = _label("PM: Thanks.\n\nENDS\n\nQ: Is it over?\n\nAuthorised by A. Albanese.").lines.body
    assert body[-1].kind == "text"


def test_hard_wrap_measured_and_a_wrapped_name_is_no_label() -> None:
    para = (
        "I met the ministers of the region this morning and we talked about the\n"
        "economy and security for a long time, as we always do in these meetings\n"
        "Tuberville: said the senator, is where the talks took place last spring, and\n"
        "the talks went on for a long time after that; we agreed on the next steps.\n"
    )
    got = _label("MINISTER: " + para)
    assert got.wrap.hard
    assert got.candidates[2] is not None  # shaped like a label ...
    assert got.accepted[2] is None  # ... but it carries on a hard-wrapped line


def test_real_white_house_bare_q() -> None:
    text = (CASES / "25_wh-jean-pierre-kirby-2023-07-17.txt").read_text(encoding="utf-8")
    labels = [lm.label for lm in _label(text).accepted if lm is not None]
    assert "Q" in labels and "MS. JEAN-PIERRE" in labels and "MR. KIRBY" in labels


def test_a_bare_answer_needs_a_question() -> None:
    assert _accepted("A    An answer.") == [None]
    assert _accepted("Q    A question?\nA    An answer.") == ["Q", "A"]


def test_a_hard_wrapped_line_after_a_page_break_is_no_label() -> None:
    """A PDF page ends mid-sentence; the next page opens, after its number, blank lines and
    running header, with a line that happens to start "Secretary Austin:": still the
    sentence, as it would be with no page break between."""
    sentence = "Our alliance is strong and our partners know it, and I would refer you to"
    page = [f"Minister: {sentence}", sentence, sentence, sentence]
    text = "\n".join(
        [*page, "", "Page 1", "", "Briefing transcript",
         "Secretary Austin: on the details of the exercises, which he will announce.", "",
         "Reporter: Thank you.", *page[1:], "", "Page 2", "", "Briefing transcript"]
    )  # fmt: skip
    assert [a for a in _accepted(text) if a] == ["Minister", "Reporter"]
