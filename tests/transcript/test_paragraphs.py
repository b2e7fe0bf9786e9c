"""The paragraphs pass directly: blank lines, labels, hard wraps, page breaks, header blocks."""

from __future__ import annotations

from pathlib import Path

from pressaudio.transcript.intermediates import Paragraphs, Source
from pressaudio.transcript.labelling import accept_labels
from pressaudio.transcript.lines import split_lines
from pressaudio.transcript.paragraphs import join_paragraphs

CASES = Path(__file__).parent / "cases"


def _paras(text: str) -> Paragraphs:
    return join_paragraphs(accept_labels(split_lines(Source(text, "t.txt"))))


def _texts(text: str) -> list[str]:
    return [p.text for p in _paras(text).paras]


def test_blank_lines_and_labels_start_paragraphs() -> None:
    got = _paras("Title of the page\n\nQ: First?\nMINISTER: Yes.\nMore.\n")
    assert [(p.label.label if p.label else None, p.text) for p in got.paras] == [
        (None, "Title of the page"),
        ("Q", "First?"),
        ("MINISTER", "Yes."),
        (None, "More."),
    ]
    assert got.header_end == 1
    assert [p.start for p in got.paras] == [0, 2, 3, 4]


def test_unwrapped_lines_join_only_when_the_sentence_runs_on() -> None:
    assert _texts("MINISTER: We will look at the\nquestion closely.\nNext point.") == [
        "We will look at the question closely.",
        "Next point.",
    ]


def test_hard_wrapped_lines_join() -> None:
    text = (
        "MINISTER: I met the ministers of the region this morning and we talked about\n"
        "The Economy and security for a long time, as we always do in these meetings\n"
        "And then we went on to talk about trade, which took the rest of the morning.\n"
        "\n"
        "Q: Thank you.\n"
    )
    got = _texts(text)
    assert got[0].startswith("I met") and got[0].endswith("rest of the morning.")
    assert len(got) == 2


def test_a_page_break_mid_sentence_is_joined_across() -> None:
    text = (CASES / "70_fed-powell-press-conference-call-2020-03-15.txt").read_text(
        encoding="utf-8"
    )
    first = _paras(text).paras[_paras(text).header_end]
    assert first.label is not None and first.label.label == "CHAIR POWELL"
    assert "well above what is needed to provide jobs for new entrants" in first.text


def test_a_label_alone_gives_an_empty_paragraph_and_its_speech_follows() -> None:
    got = _paras("Question:\nWhat about the budget?\n")
    assert [(p.label is not None, p.text) for p in got.paras] == [
        (True, ""),
        (False, "What about the budget?"),
    ]


def test_a_check_against_delivery_mark_makes_the_next_paragraph_fresh() -> None:
    got = _paras("Q. A question?\n\nCheck against delivery\n\nDear friends, I am glad.\n")
    assert [p.fresh for p in got.paras] == [False, True]


def test_stacked_header_lines_come_apart() -> None:
    text = "Press Conference by the Foreign Minister\nTokyo\n14 March 2024\n\nMinister: Hello."
    got = _paras(text)
    assert [p.text for p in got.paras[: got.header_end]] == [
        "Press Conference by the Foreign Minister",
        "Tokyo",
        "14 March 2024",
    ]
    assert [p.start for p in got.paras[:3]] == [0, 1, 2]
    assert all(p.single for p in got.paras)


def test_no_label_header_end_is_the_end() -> None:
    got = _paras("Just prose.\n\nMore prose.")
    assert got.header_end == len(got.paras) == 2


def test_joined_text_is_mended() -> None:
    # case 70 (Fed PDF text): the stray spaces mended once the wrapped lines are joined
    got = _texts(
        "CHAIR POWELL.  So, on—on inflation, you know , the—the economy has done well, and\n"
        "we are—of course, we don ’t have the legal authority and it’ s not something we\n"
        "seek.\n"
    )
    assert got == [
        "So, on—on inflation, you know, the—the economy has done well, and we are—of course, "
        "we don’t have the legal authority and it’s not something we seek."
    ]
    # a variant: a label's own line, and a time code in a note
    assert _texts("QUESTION: And that—that ’s why [inaudible 00:00:27] we went.\n") == [
        "And that—that’s why [inaudible] we went."
    ]
