"""The label, answer and moderator kinds of issue 10: each on a real excerpt from the shared
transcripts (tests/transcript/cases/) and on a variant written here."""

from __future__ import annotations

from pathlib import Path

from pressaudio.model import Transcript
from pressaudio.transcript.parser import parse

CASES = Path(__file__).parent / "cases"


def _case(prefix: str) -> Transcript:
    txt = next(CASES.glob(prefix + "*.txt"))
    return parse(txt.read_text(encoding="utf-8"), source=txt.name)


def _p(text: str) -> Transcript:
    return parse(text, source="t.txt")


def _who(t: Transcript) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.role) for turn in t.turns]


# --- labels that end in a period ------------------------------------------------------------


def test_fed_period_labels_real() -> None:
    t = _case("70_fed")
    roles = {s.key: s.role for s in t.speakers}
    assert len(t.turns) == 57
    assert roles["powell"] == "minister"
    assert roles["michelle-smith"] == "moderator"
    assert roles["nick-timiraos"] == roles["steve-liesman"] == "reporter"
    assert t.turns[0].text.startswith("Good evening, everyone.")


def test_period_labels_variant() -> None:
    t = _p(
        "MR. KIRBY.  Good afternoon. I have one thing to say.\n\n"
        "JANE DOE.  Jane Doe with the Daily Planet. What about the talks?\n\n"
        "MR. KIRBY.  They go on. U.S. officials are there.\n\n"
        "U.S. officials are there too, and this line is not a label.\n"
    )
    assert [turn.label for turn in t.turns] == ["MR. KIRBY", "JANE DOE", "MR. KIRBY"]
    assert "U.S. officials are there too" in t.turns[-1].text


def test_misspelt_chair_labels_are_one_speaker_real() -> None:
    t = _case("71_fed")
    assert {turn.speaker for turn in t.turns if "POWELL" in turn.label} == {"powell"}


# --- mis-encoded and full-width colons -------------------------------------------------------


def test_misencoded_and_full_width_colons_variant() -> None:
    t = _p("Reporter¡GWill you go to Beijing?\n\nSpokesman：We have nothing to announce.\n")
    assert _who(t) == [("reporter", "reporter"), ("spokesman", "minister")]
    assert t.turns[0].text == "Will you go to Beijing?"


# --- transcription-service time codes and numbered speakers ---------------------------------


def test_rev_time_codes_and_numbered_speakers_real() -> None:
    t = _case("72_rev")
    labelled = [turn for turn in t.turns if turn.label]
    assert [turn.label for turn in labelled] == [
        "President Trump", "Speaker 1", "Speaker 2", "President Trump"
    ]
    assert all(not turn.text.startswith("(") for turn in labelled)
    roles = {s.key: s.role for s in t.speakers}
    assert roles["speaker-1"] == roles["speaker-2"] == "reporter"
    assert "00:24" not in labelled[-1].text  # a bare time code continues the speaker


def test_time_code_after_the_colon_variant() -> None:
    t = _p(
        "Matthew Miller: (00:03) Good afternoon, everyone.\n\n"
        "Speaker 1: (01:23) Matt, on Gaza, what is the plan?\n\n"
        "Matthew Miller: (01:30) We will see.\n"
    )
    assert [turn.text for turn in t.turns] == [
        "Good afternoon, everyone.", "Matt, on Gaza, what is the plan?", "We will see."
    ]
    assert t.turns[1].role == "reporter"


# --- unlabelled answers ---------------------------------------------------------------------


def test_eu_doorstep_unlabelled_answers_real() -> None:
    t = _case("73_eu")
    assert [turn.role for turn in t.turns] == [
        "minister", "reporter", "minister", "reporter", "minister"
    ]
    assert t.turns[1].text == "Who would be the best successor for your position?"
    assert t.turns[2].text.startswith("It is not for me to say")
    assert len({t.turns[0].speaker, t.turns[2].speaker, t.turns[4].speaker}) == 1


def test_unlabelled_answers_variant() -> None:
    t = _p(
        "Press remarks by Commissioner Anna Berg upon arrival\n\n"
        "Q. Will you support the package?\n\n"
        "Yes, we will support it.\n\n"
        "It is a good package.\n\n"
        "Q. And the timing? Is it too late?\n\n"
        "No.\n"
    )
    assert [(turn.speaker, turn.text) for turn in t.turns] == [
        ("reporter", "Will you support the package?"),
        ("anna-berg", "Yes, we will support it.\n\nIt is a good package."),
        ("reporter", "And the timing? Is it too late?"),
        ("anna-berg", "No."),
    ]


def test_bare_a_is_the_official_the_title_names_real() -> None:
    t = _case("74_eu")
    assert t.title is not None and t.title.startswith("Foreign Affairs Council: press remarks")
    assert [s.name for s in t.speakers if s.role == "minister"] == [
        "High Representative Kaja Kallas"
    ]


# --- PDF-derived text -----------------------------------------------------------------------


def test_page_numbers_and_running_headers_dropped_real() -> None:
    for prefix in ("70_fed", "71_fed", "75_au", "76_au"):
        t = _case(prefix)
        spoken = "\n".join(turn.text for turn in t.turns)
        for chrome in ("Page 2 of", "www.pm.gov.au", "FINAL", "Telephone (02)"):
            assert chrome not in spoken, (prefix, chrome)
        assert not any(line.strip().isdigit() for line in spoken.split("\n\n")), prefix
        assert not any("Page" in s for s in t.sections), prefix


def test_page_break_mid_sentence_variant() -> None:
    t = _p(
        "MINISTER SMITH:\n\nWe have worked hard on the budget and we are ready to\n\n"
        "12\n\nwww.example.gov\n\nshow it to you. Thank you.\n\nQUESTION:\n\nWhen?\n\n"
        "13\n\nwww.example.gov\n\nMINISTER SMITH:\n\nToday.\n"
    )
    assert [turn.text for turn in t.turns] == [
        "We have worked hard on the budget and we are ready to show it to you. Thank you.",
        "When?",
        "Today.",
    ]


def test_one_person_under_three_labels_real() -> None:
    t = _case("76_au")
    assert {turn.speaker for turn in t.turns if turn.role == "minister"} == {"ruddock"}
    assert t.title is not None and t.title.startswith("DOORSTOP:")
    assert not any("Media Contact" in turn.text for turn in t.turns)


def test_shortened_title_in_a_joint_press_conference_variant() -> None:
    t = _p(
        "PRIME MINISTER ABBOTT:\n\nWelcome, Prime Minister.\n\n"
        "PRIME MINISTER O'NEILL:\n\nThank you. It is good to be here.\n\n"
        "QUESTION:\n\nA question for you, Prime Minister O'Neill?\n\n"
        "PRIME MINISTER:\n\nYes, I will answer.\n\n"
        "QUESTION:\n\nAnd Mr Abbott?\n\n"
        "PRIME MINISTER ABBOTT:\n\nWe agree.\n\n"
        "PRIME MINISTER:\n\nAnd more from me.\n"
    )
    assert [turn.speaker for turn in t.turns] == [
        "abbott", "o-neill", "reporter", "o-neill", "reporter", "abbott", "abbott"
    ]


# --- title lines with a colon ---------------------------------------------------------------


def test_title_with_a_colon_variant() -> None:
    t = _p(
        "EU-China Summit: press remarks by the President of the European Council\n\n"
        "PRESIDENT: Good morning.\n\nQ: A question?\n"
    )
    assert t.title is not None and t.title.startswith("EU-China Summit")
    assert [turn.label for turn in t.turns] == ["PRESIDENT", "Q"]


# --- moderators -----------------------------------------------------------------------------


def test_one_who_calls_on_outlets_is_the_moderator_variant() -> None:
    t = _p(
        "JOHN ROE.  The Governor will take questions now. We'll go to Reuters.\n\n"
        "ANN LEE.  Ann Lee, Reuters. Thank you. On rates, where do you stand.\n\n"
        "GOVERNOR KIM.  " + "We stand where we stood, and we will look at the data. " * 8
        + "\n\nJOHN ROE.  Okay, Bloomberg TV.\n\n"
        "BOB ORR.  Bob Orr, Bloomberg. And on jobs.\n\n"
        "GOVERNOR KIM.  " + "Jobs are strong, and wages are rising across the country. " * 8
    )
    roles = {s.key: s.role for s in t.speakers}
    assert roles == {
        "john-roe": "moderator", "ann-lee": "reporter", "kim": "minister", "bob-orr": "reporter"
    }


# --- several people under one generic label -------------------------------------------------


def test_consecutive_turns_under_one_generic_label_stay_apart_variant() -> None:
    t = _p(
        "Minister: Good morning.\n\nJournalist: First question?\n\n"
        "Journalist: A second one, from someone else?\n\nMinister: Both answered.\n"
    )
    assert [turn.text for turn in t.turns][1:3] == [
        "First question?", "A second one, from someone else?"
    ]


# --- unlabelled announcements ---------------------------------------------------------------


def test_briefing_heading_names_the_speaker_of_label_less_text_real() -> None:
    t = _case("81_un")
    spoken = [turn for turn in t.turns if "Good afternoon" in turn.text or "budget" in turn.text]
    assert spoken and all(turn.role == "minister" for turn in spoken)


def test_cut_off_label_at_the_end_real() -> None:
    t = _case("80_us-dod")
    assert not t.turns[-1].text.endswith("SEC")
    assert "SEC" in t.metadata
    assert {s.key for s in t.speakers} == {"lloyd-austin", "reporter"}
