"""The shared English module: one sentence-end detector and the word lists both sides use."""

from __future__ import annotations

from pressaudio.english import (
    FORMS_OF_ADDRESS,
    ends_sentence,
    sentence_ends,
    split_sentences,
)
from pressaudio.speech import script
from pressaudio.transcript import labels


def test_split_sentences_not_at_abbreviations_initials_or_times() -> None:
    text = (
        "Mr. Kirby spoke. The U.S. Special Envoy met James S. Brady at 9:31 p.m. on Friday. "
        "It went well! Did it? Yes."
    )
    assert split_sentences(text) == [
        "Mr. Kirby spoke.",
        "The U.S. Special Envoy met James S. Brady at 9:31 p.m. on Friday.",
        "It went well!",
        "Did it?",
        "Yes.",
    ]


def test_an_abbreviation_ends_a_sentence_before_a_sentence_starter() -> None:
    assert split_sentences("We met the U.S. It was good.") == ["We met the U.S.", "It was good."]
    assert split_sentences("at 9 a.m. EDT we began.") == ["at 9 a.m. EDT we began."]


def test_sentence_ends_inside_and_at_the_end() -> None:
    assert list(sentence_ends("One. Two.")) == [4, 9]
    assert list(sentence_ends("no end here")) == []
    assert list(sentence_ends("lower. case after")) == []  # not a sentence end
    assert list(sentence_ends("PRESS BRIEFING OF USEC. CASTRO")) == []


def test_ends_sentence_for_an_abbreviations_full_stop() -> None:
    text = "He said etc. Then we left, etc. and more"
    assert ends_sentence(text, text.index("etc.") + 4)  # "Then" starts a sentence
    assert not ends_sentence(text, text.rindex("etc.") + 4)
    assert ends_sentence("the U.S.", 8)  # the end of the text
    assert ends_sentence("in the U.S. Congress", 11, capital_ends=True)
    assert not ends_sentence("at 9 a.m. EDT", 9, capital_ends=True)


def test_one_detector_for_parser_and_script() -> None:
    assert script.split_sentences is split_sentences


def test_forms_of_address_are_shared_by_labels_and_the_normaliser() -> None:
    assert FORMS_OF_ADDRESS <= labels.HONORIFICS
    assert {"he.", "his", "her", "the"} == labels.HONORIFICS - FORMS_OF_ADDRESS
    assert {"mr", "mister", "shri", "excellency"} <= FORMS_OF_ADDRESS
