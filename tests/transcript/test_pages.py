"""pages directly: PDF page numbers, running headers and footers, footnotes and their marks."""

from __future__ import annotations

from pathlib import Path

from pressaudio.transcript.labels import match_label
from pressaudio.transcript.pages import footnotes, page_chrome, rejoin_split_words

CASES = Path(__file__).parent / "cases"


def _chrome(lines: list[str]) -> set[int]:
    return set(page_chrome(lines, lambda line: match_label(line) is not None))


def _clean(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n")]


def test_real_pdf_text_page_numbers_and_running_header() -> None:
    lines = _clean(
        (CASES / "70_fed-powell-press-conference-call-2020-03-15.txt").read_text(encoding="utf-8")
    )
    chrome = _chrome(lines)
    assert {
        0,
        2,
        29,
        31,
        56,
        58,
    } <= chrome  # "March 15, 2020 Chair Powell's ... FINAL", "Page N of 21"
    assert 4 not in chrome and 5 not in chrome  # the title and the date stay
    assert 7 not in chrome  # "CHAIR POWELL. Good evening, everyone. ..."


def test_page_of_and_dashed_numbers_wherever_they_are() -> None:
    lines = ["Some speech.", "Page 3", "More speech.", "- 4 -", "p. 5 of 9", "Done."]
    assert _chrome(lines) == {1, 3, 4}


def test_bare_numbers_only_when_they_count_up() -> None:
    counting = ["Text one.", "1", "Text two.", "2", "Text three.", "3", "End."]
    assert _chrome(counting) == {1, 3, 5}
    lonely = ["We spent", "42", "days on it."]  # one number is no page numbering
    assert _chrome(lonely) == set()


def test_a_running_header_recurs_beside_page_numbers_with_its_digits_counted_equal() -> None:
    lines = [
        "Minutes of the 12 March briefing",
        "Page 1 of 3",
        "Speech one.",
        "Minutes of the 12 March briefing",
        "Page 2 of 3",
        "Speech two.",
        "Minutes of the 12 March briefing",
        "Page 3 of 3",
        "Speech three.",
    ]
    assert _chrome(lines) == {0, 1, 3, 4, 6, 7}


def test_a_label_line_is_never_chrome() -> None:
    lines = ["MR. SMITH: Thanks.", "Page 1", "MR. SMITH: Thanks.", "Page 2", "MR. SMITH: Thanks."]
    assert _chrome(lines) == {1, 3}


def test_footnote_at_the_foot_of_the_page_and_its_mark() -> None:
    lines = [
        "The rate stays at 1¾ percent.1 This decision was unanimous.",
        "More speech.",
        "1 Chair Powell intended to say 1½ percent.",
        "Transcript FINAL",
        "Page 1 of 2",
        "Speech on page two.",
        "Transcript FINAL",
        "Page 2 of 2",
    ]
    chrome = _chrome(lines)
    assert {3, 4, 6, 7} <= chrome
    notes = footnotes(lines, frozenset(chrome))
    assert notes.lines == {2}
    assert notes.marks == {0: ("1",)}
    assert notes.unmark(0, lines[0]) == "The rate stays at 1¾ percent. This decision was unanimous."


def test_a_sentence_starting_with_a_number_is_no_footnote_without_a_mark() -> None:
    lines = ["Speech.", "3 people were hurt.", "Page 1 of 2", "Speech.", "Page 2 of 2"]
    notes = footnotes(lines, frozenset(_chrome(lines)))
    assert notes.lines == frozenset()
    assert footnotes(lines, frozenset()).lines == frozenset()  # no chrome, no footnotes


def test_words_a_stray_space_split_are_rejoined() -> None:
    # case 70 (Fed PDF text): the document writes "economy" and "not" whole elsewhere
    texts = [
        "The economy is strong. It is not weak, and the economy grows.",
        "You know, the—the econom y’s performed so well, and it’s n ot legal authority.",
        "It is not the end. Not yet.",
    ]
    assert rejoin_split_words(texts)[1] == (
        "You know, the—the economy’s performed so well, and it’s not legal authority."
    )
    # a variant: two words that make a third stay apart when both stand alone elsewhere,
    # a whole word written only once elsewhere is too little, and a first word stays
    texts = [
        "Every one of them. Everyone knows. Everyone agrees. One more. Every day.",
        "The median view. The media n was low.",
        "W e went there, as we said we would, and we did.",
    ]
    assert rejoin_split_words(texts) == texts
