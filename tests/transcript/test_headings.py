"""The headings pass directly: heading shapes, and which paragraphs are section headings."""

from __future__ import annotations

import pytest

from pressaudio.transcript.headings import find_headings, heading_shape
from pressaudio.transcript.intermediates import Source
from pressaudio.transcript.labelling import accept_labels
from pressaudio.transcript.lines import split_lines
from pressaudio.transcript.paragraphs import join_paragraphs


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("## Q&A", (True, "Q&A")),
        ("1. Opening remarks", (True, "Opening remarks")),
        ("• Trade with Japan", (True, "Trade with Japan")),
        ("Opening Remarks:", (True, "Opening Remarks")),
        ("[Questions and Answers]", (True, "Questions and Answers")),
        ("Statement by the Prime Minister", (True, "Statement by the Prime Minister")),
        ("Situation in the Middle East", (False, "Situation in the Middle East")),
        ("Relations with the U.S.", (False, "Relations with the U.S.")),
        ("Q&A", (True, "Q&A")),  # a key word
        ("(Laughter.)", None),
        ("Thank you very much", None),  # starts like speech
        ("Yes. We agree", None),  # a sentence ends inside
        ("The talks went well.", None),  # final punctuation
        ("Trade", None),  # one plain word
        ("", None),
    ],
)
def test_heading_shape(text: str, shape: tuple[bool, str] | None) -> None:
    assert heading_shape(text) == shape


def _headings(text: str) -> list[str | None]:
    paras = join_paragraphs(accept_labels(split_lines(Source(text, "t.txt"))))
    return list(find_headings(paras).headings)


def test_a_plain_heading_needs_a_label_after_it() -> None:
    text = "Q: Hi?\n\nMINISTER: Yes.\n\nSituation in Gaza\n\nQ: And Gaza?\n\nClosing words here"
    assert _headings(text) == [None, None, "Situation in Gaza", None, None]


def test_a_chain_of_headings_leads_to_a_label() -> None:
    text = "Q: Hi?\n\n1. Foreign policy\n\nRelations with China\n\nMINISTER: Yes."
    assert _headings(text) == [None, "Foreign policy", "Relations with China", None]


def test_the_question_after_a_lone_question_label_is_no_heading() -> None:
    assert _headings("Question:\n\nRelations with China\n\nMINISTER: Good.") == [None, None, None]


def test_in_the_header_a_plain_heading_above_more_text() -> None:
    text = "Opening statement\n\nSome prose here.\n\nQ: Hi?"
    assert _headings(text)[0] == "Opening statement"
