"""labels.match_label() directly: what could be a speaker label, by its shape alone."""

from __future__ import annotations

import pytest

from pressaudio.transcript.labels import HONORIFICS, match_label, words_of


@pytest.mark.parametrize(
    ("line", "label", "rest"),
    [
        ("Minister Kamikawa: I held a meeting.", "Minister Kamikawa", "I held a meeting."),
        ("CHAIR POWELL.  Good evening.", "CHAIR POWELL", "Good evening."),  # Fed: a period
        ("Reporter¡G What?", "Reporter", "What?"),  # a Big5 colon read as Latin-1
        ("Minister Kamikawa：Yes.", "Minister Kamikawa", "Yes."),  # full-width colon
        ("President Trump (00:45):", "President Trump", ""),  # a time code with the label
        ("Q    Thanks, Karine.", "Q", "Thanks, Karine."),  # White House Q, no colon
    ],
)
def test_label_shapes(line: str, label: str, rest: str) -> None:
    lm = match_label(line)
    assert lm is not None
    assert (lm.label, lm.rest.strip()) == (label, rest)
    assert lm.meta is None


def test_a_bare_q_is_bare_and_strong() -> None:
    lm = match_label("Q    Thanks.")
    assert lm is not None and lm.bare and lm.strong


@pytest.mark.parametrize(
    ("line", "key"), [("Date: 14 March 2024", "date"), ("Venue: Press Hall", "venue")]
)
def test_metadata_keys_are_not_speakers(line: str, key: str) -> None:
    lm = match_label(line)
    assert lm is not None and lm.meta == key


@pytest.mark.parametrize(
    "line",
    [
        "Here is what changed: we did.",  # prose with a colon
        "It was agreed: the talks go on.",
        "",
        ":",
        "no capital: here",
    ],
)
def test_prose_with_a_colon_is_no_label(line: str) -> None:
    assert match_label(line) is None


def test_words_of_and_honorifics() -> None:
    assert words_of("MR. KIRBY") == ["mr", "kirby"]
    assert {"mr.", "shri", "the", "his"} <= HONORIFICS
