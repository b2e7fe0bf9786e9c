"""The label, answer and moderator kinds of issue 10: each on a real excerpt from the shared
transcripts (tests/transcript/cases/) and on a variant written here."""

from __future__ import annotations

from datetime import date
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


# --- dates: the trailer, and the briefing's date over the page's ----------------------------


def test_date_only_in_the_trailer_real() -> None:
    t = _case("77_hk")  # "Ends/Friday, March 17, 2023" / "Issued at HKT 22:30"
    assert t.held_at == date(2023, 3, 17)  # the issue time is not when it was held
    assert not any("Ends/" in turn.text or "HKT" in turn.text for turn in t.turns)


def test_date_only_in_the_trailer_variant() -> None:
    t = _p(
        "PRIME MINISTER: Thank you all for coming.\n\nJOURNALIST: Prime Minister, when?\n\n"
        "PRIME MINISTER: On 1 July 2025, as planned.\n\nENDS\n\nCanberra\n21 March 2014\n"
    )
    assert t.held_at == date(2014, 3, 21)
    # a date in speech, with no end mark after it, is not the briefing's date
    assert _p("PRIME MINISTER: On 1 July 2025.\n\nJOURNALIST: Thanks.\n").held_at is None


def test_briefing_date_wins_over_the_page_date_real() -> None:
    t = _case("79_imf")  # "June 6, 2014" for the page, "Washington, D.C. / June 5, 2014"
    assert t.held_at == date(2014, 6, 5)
    assert t.location == "Washington, D.C."
    assert t.sections == ()  # "Webcast of the press briefing Webcast" is a link, kept as a fact
    assert "Webcast of the press briefing Webcast" in t.metadata


def test_briefing_date_wins_over_the_page_date_variant() -> None:
    header = "Weekly Media Briefing by the Official Spokesperson\n\nMarch 15, 2024\n\n"
    t = _p(header + "New Delhi\nMarch 14, 2024\n\nSPOKESPERSON: Good evening.\n\nQ: Sir?\n")
    assert t.held_at == date(2014 + 10, 3, 14)
    # the title's date wins over a publication date under it (India MEA)
    t = _p(
        "Transcript of Weekly Media Briefing by the Official Spokesperson (March 14, 2024)\n\n"
        "March 15, 2024\n\nSPOKESPERSON: Good evening.\n\nQ: Sir?\n"
    )
    assert t.held_at == date(2024, 3, 14)


# --- acronym labels keep their capitals -----------------------------------------------------


def test_acronym_labels_keep_their_capitals_real() -> None:
    t = _case("78_hk")  # "(SCIT)", "(DCEO)" defined in the intro, then "SCIT:" and "DCEO:"
    names = {s.key: s.name for s in t.speakers}
    assert names["scit"] == "SCIT" and names["dceo"] == "DCEO"
    assert {s.key: s.role for s in t.speakers}["scit"] == "minister"


def test_acronym_labels_keep_their_capitals_variant() -> None:
    t = _p(
        "Following is the transcript of remarks by the Secretary for Justice (SJ), Mr Paul "
        "Lam, and the Chief Secretary for Administration (CS).\n\n"
        "Reporter: Will the law change?\n\nSJ: It will.\n\nCS: We agree.\n\n"
        "KIRBY: A name in capitals is still a name.\n"
    )
    names = {s.key: s.name for s in t.speakers}
    assert names["sj"] == "SJ" and names["cs"] == "CS"
    assert names["kirby"] == "Kirby"


# --- PDF footnotes --------------------------------------------------------------------------


def test_pdf_footnote_and_its_mark_real() -> None:
    t = _case("71_fed")
    opening = t.turns[0].text
    assert "1¾ percent. This decision" in opening and "percent.1" not in opening
    assert "intended to say" not in opening
    assert any(m.startswith("1 Chairman Powell intended to say") for m in t.metadata)


def test_pdf_footnote_and_its_mark_variant() -> None:
    page = "March 1, 2024 Governor's Press Conference FINAL\n\nPage {n} of 3\n"
    t = _p(
        "GOVERNOR KIM. Rates rise by 25 basis points.2 We will watch prices closely and we\n"
        "will act as needed to keep them stable over the medium term.\n"
        "2 The Governor meant the policy rate.\n" + page.format(n=1)
        + "QUESTION. And wages? In 1 year.\n" + page.format(n=2)
        + "GOVERNOR KIM. 2 things matter here.\n" + page.format(n=3)
    )
    assert t.turns[0].text.startswith("Rates rise by 25 basis points. We will watch")
    assert "meant the policy rate" not in " ".join(turn.text for turn in t.turns)
    assert t.metadata == ("2 The Governor meant the policy rate.",)
    assert t.turns[-1].text == "2 things matter here."  # a number opening speech stays


# --- "Check against delivery!": the prepared statement is a turn of its own ------------------


def test_statement_after_check_against_delivery_real() -> None:
    t = _case("74_eu")  # Q. / A. printed first, then the opening remarks
    assert [(turn.label, turn.speaker) for turn in t.turns] == [
        ("Q", "reporter"), ("A", "kaja-kallas"), ("", "kaja-kallas")
    ]
    assert t.turns[1].text.endswith("more stability there.")
    assert t.turns[2].text.startswith("Good morning, everybody.")


def test_statement_after_check_against_delivery_variant() -> None:
    t = _p(
        "Press remarks by High Representative Jane Doe upon arrival\n\n"
        "Q. Is this a good day?\n\nA. It is.\n\nCheck against delivery\n\n"
        "Good morning. Today we meet on trade.\n\nQ. And on energy?\n\nA. Later.\n"
    )
    assert [turn.text for turn in t.turns] == [
        "Is this a good day?", "It is.", "Good morning. Today we meet on trade.",
        "And on energy?", "Later.",
    ]
    assert t.turns[2].role == "minister" and t.turns[2].speaker == t.turns[1].speaker


# --- the older list -------------------------------------------------------------------------


def test_rank_word_before_a_title_variant() -> None:
    t = _p("UNDER SECRETARY BASS: Good morning.\n\nQUESTION: Why?\n\nUNDER SECRETARY BASS: So.\n")
    assert t.speaker(t.turns[0].speaker).name == "Under Secretary Bass"


def test_numbered_headings_lose_their_numbers_variant() -> None:
    t = _p(
        "1. Opening remarks\n\nMINISTER: Good morning.\n\n2. Questions and answers\n\n"
        "QUESTION: Why?\n\n(3) Closing\n\nMINISTER: Thank you.\n"
    )
    assert t.sections == ("Opening remarks", "Questions and answers", "Closing")


def test_place_after_a_dash_in_the_title_variant() -> None:
    t = _p("Doorstop interview – Parliament House, Canberra\n\nPRIME MINISTER: Morning.\n\n"
           "JOURNALIST: Why?\n")
    assert t.location == "Parliament House, Canberra"
    assert _p("Press conference – Opening remarks\n\nMINISTER: Hello.\n").location is None
    assert _p("Press conference – Prime Minister Albanese\n\nPM: Hello.\n").location is None


def test_german_question_label_shares_the_reporter_key_variant() -> None:
    t = _p("Frage: Wann kommt das Gesetz?\n\nSprecher Hebestreit: Im Herbst.\n\n"
           "Frage: Und die Kosten?\n\nSprecher Hebestreit: Das sehen wir.\n")
    assert [turn.speaker for turn in t.turns][::2] == ["reporter", "reporter"]
    assert {s.key: s.role for s in t.speakers}["reporter"] == "reporter"


def test_anonymous_speakers_are_nobody_by_name() -> None:
    t = _p("Minister Kamikawa: Hello.\n\nReporter: Why?\n\nA: Because.\n")
    anonymous = {s.key for s in t.speakers if s.anonymous}
    assert "reporter" in anonymous and "kamikawa" not in anonymous
