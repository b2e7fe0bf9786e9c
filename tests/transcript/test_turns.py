"""The turns pass directly: turns and sections from the paragraphs and the header's kinds."""

from __future__ import annotations

from pathlib import Path

from pressaudio.transcript.header import read_header
from pressaudio.transcript.headings import find_headings
from pressaudio.transcript.intermediates import Source, Turns
from pressaudio.transcript.labelling import accept_labels
from pressaudio.transcript.lines import split_lines
from pressaudio.transcript.paragraphs import join_paragraphs
from pressaudio.transcript.turns import assemble_turns

CASES = Path(__file__).parent / "cases"


def _turns(text: str) -> Turns:
    labelled = accept_labels(split_lines(Source(text, "t.txt")))
    return assemble_turns(read_header(find_headings(join_paragraphs(labelled))))


def _rows(t: Turns) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    return [(d.label, d.who, d.section, d.paras) for d in t.turns]


def test_labelled_turns_and_continuations_under_sections() -> None:
    t = _turns(
        "1. Opening remarks\n\nMINISTER: Good morning.\n\nA second paragraph.\n\n"
        "2. Questions\n\nQ: Why?\n\nMINISTER: Because.\n"
    )
    assert _rows(t) == [
        ("MINISTER", "MINISTER", "Opening remarks", ("Good morning.", "A second paragraph.")),
        ("Q", "Q", "Questions", ("Why?",)),
        ("MINISTER", "MINISTER", "Questions", ("Because.",)),
    ]
    assert t.sections == ("Opening remarks", "Questions")
    assert [d.line for d in t.turns] == [3, 9, 11]


def test_header_prose_is_spoken_by_the_official_a_heading_names() -> None:
    t = _turns("Opening Statement by Prime Minister Naoto Kan\n\nI speak today.\n\nQ: Why?")
    assert _rows(t)[0] == (
        "",
        "Prime Minister Naoto Kan",
        "Opening Statement by Prime Minister Naoto Kan",
        ("I speak today.",),
    )


def test_first_person_prose_by_the_one_the_title_names() -> None:
    t = _turns("Remarks by High Representative Kaja Kallas upon arrival\n\nI am glad.\n\nQ. Why?")
    assert t.turns[0].who == "High Representative Kaja Kallas"


def test_an_unlabelled_answer_after_a_labelled_question() -> None:
    t = _turns(
        "Remarks by High Representative Kaja Kallas upon arrival\n\n"
        "Q. Will you meet him?\n\nYes, tomorrow.\n\nQ. And then?\n\nWe will see.\n"
    )
    assert [(d.label, d.who, d.paras) for d in t.turns] == [
        ("Q", "Q", ("Will you meet him?",)),
        ("", "High Representative Kaja Kallas", ("Yes, tomorrow.",)),
        ("Q", "Q", ("And then?",)),
        ("", "High Representative Kaja Kallas", ("We will see.",)),
    ]


def test_times_dropped_contacts_kept_a_cut_off_label_warned() -> None:
    t = _turns(
        "Q: Will you act?\n\n4:20 P.M. EDT\n\nMedia Contact: Jane Doe\n\n"
        "MINISTER: Yes.\n\nWe will.\n\nSEC"
    )
    assert [d.paras for d in t.turns] == [("Will you act?",), ("Yes.", "We will.")]
    assert t.facts == ("Media Contact: Jane Doe", "SEC")
    assert t.warnings == ("t.txt: the text ends in 'SEC', taken for a cut-off label",)


def test_headings_after_the_last_turn_are_a_section_too() -> None:
    assert _turns("Q: Why?\n\n1. Annex").sections == ("Annex",)


def test_real_eu_doorstep() -> None:
    text = (CASES / "74_eu-eeas-kallas-fac-arrival-doorstep-2025-05-20.txt").read_text(
        encoding="utf-8"
    )
    t = _turns(text)
    # the statement after "Check against delivery" is the answerer's own turn; who `A` is
    # (Kallas, whom the title names) is the speakers pass's business
    assert [(d.label, d.who) for d in t.turns] == [("Q", "Q"), ("A", "A"), ("", "A")]
    assert t.turns[2].paras[0] == "Good morning, everybody."
