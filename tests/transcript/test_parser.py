"""The transcript parser: golden files for the real transcripts, then one test per quirk.

Golden files: tests/transcript/cases/<case>.txt is a copy of a transcript from the shared
collection (sources in cases/SOURCES.tsv); <case>.json is what `pressaudio segment --json`
must print for it (plus the warnings), written by reading the transcript, not by copying
the program's output.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pressaudio.model import Transcript, Turn
from pressaudio.transcript import to_json_dict
from pressaudio.transcript.parser import parse

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("*.txt"))


def _p(text: str, **kw: object) -> Transcript:
    return parse(text, source="test.txt", **kw)  # type: ignore[arg-type]


def _who(t: Transcript) -> list[tuple[str, str, str]]:
    """(speaker key, role, first words of the text) per turn."""
    return [(u.speaker, u.role, u.text[:24]) for u in t.turns]


# --- golden files -------------------------------------------------------------------------


def test_every_shared_transcript_has_a_golden_file() -> None:
    assert len(CASE_FILES) >= 16
    for txt in CASE_FILES:
        assert txt.with_suffix(".json").exists(), txt.name
    listed = (CASES / "SOURCES.tsv").read_text(encoding="utf-8")
    for txt in CASE_FILES:
        assert txt.name in listed, txt.name


@pytest.mark.parametrize("txt", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_golden(txt: Path) -> None:
    expected = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    t = parse(txt.read_text(encoding="utf-8"), source=txt.name)
    got = to_json_dict(t)
    got["warnings"] = list(t.warnings)
    for key in ("title", "held_at", "location", "sections", "metadata", "speakers", "warnings"):
        assert got[key] == expected[key], key
    assert len(got["turns"]) == len(expected["turns"])
    for g, e in zip(got["turns"], expected["turns"], strict=True):
        assert g == e, f"turn at line {e['line']}"
    assert got == expected  # the whole `segment --json` output (regen_goldens.py writes it)


# Parse speed (each shared transcript, and linear time up to 10 MB) is measured by
# benchmarks/parse_scaling.py, not asserted here: timings depend on the machine.


# --- labels ---------------------------------------------------------------------------------


def test_label_spacing_no_space_no_break_space_and_indent() -> None:
    t = _p(
        "Minister Kamikawa:I held a meeting.\n\n"
        "Reporter:\u00a0What was discussed?\n\n"
        "   Minister Kamikawa:  Many things were discussed.\n"
    )
    assert [(u.label, u.text) for u in t.turns] == [
        ("Minister Kamikawa", "I held a meeting."),
        ("Reporter", "What was discussed?"),
        ("Minister Kamikawa", "Many things were discussed."),
    ]
    assert [u.line for u in t.turns] == [1, 3, 5]


def test_commas_and_brackets_inside_labels() -> None:
    t = _p(
        "Minister Kamikawa: I have an announcement today.\n\n"
        "NHK, Igarashi: What is the status of the talks?\n\n"
        "Minister Kamikawa: They continue.\n\n"
        "Arita, Nippon TV: And the summit?\n\n"
        "Minister Kamikawa: Nothing is decided.\n\n"
        "Dawn Tan (CNA): Will you visit Singapore?\n\n"
        "Minister Kamikawa: Not this month.\n\n"
        "Tan: Next month, then?\n\n"
        "CABINET PUBLIC RELATIONS SECRETARY (MODERATOR): That is all the time we have.\n"
    )
    labels = [u.label for u in t.turns]
    assert labels[1] == "NHK, Igarashi" and labels[5] == "Dawn Tan (CNA)"
    roles = {u.label: u.role for u in t.turns}
    assert roles["NHK, Igarashi"] == roles["Arita, Nippon TV"] == "reporter"
    assert roles["Dawn Tan (CNA)"] == roles["Tan"] == "reporter"
    assert roles["CABINET PUBLIC RELATIONS SECRETARY (MODERATOR)"] == "moderator"
    keys = {u.label: u.speaker for u in t.turns}
    assert keys["Dawn Tan (CNA)"] == keys["Tan"]
    assert len({keys["NHK, Igarashi"], keys["Arita, Nippon TV"], keys["Tan"]}) == 3
    assert t.speaker(keys["NHK, Igarashi"]).name == "Igarashi (NHK)"


def test_label_alone_on_its_line_speech_on_the_next() -> None:
    t = _p(
        "Question:\nWhat is your view on the election?\n\n"
        "Minister:\nWe are watching closely.\n\nWe will respond.\n"
    )
    assert [(u.label, u.role, u.text, u.line) for u in t.turns] == [
        ("Question", "reporter", "What is your view on the election?", 1),
        ("Minister", "minister", "We are watching closely.\n\nWe will respond.", 4),
    ]


def test_question_alone_on_its_line_then_a_blank_line() -> None:
    t = _p("Question:\n\nWhat about the budget?\n\nAnswer:\n\nIt passed.\n")
    assert [(u.role, u.text) for u in t.turns] == [
        ("reporter", "What about the budget?"),
        ("minister", "It passed."),
    ]


def test_q_and_a_pairs() -> None:
    t = _p(
        "Q: Will the minister travel to Seoul?\n"
        "A: Yes, next week.\n"
        "Q: With whom will she meet?\n"
        "A: With her counterpart.\n"
    )
    assert _who(t) == [
        ("reporter", "reporter", "Will the minister travel"),
        ("official", "minister", "Yes, next week."),
        ("reporter", "reporter", "With whom will she meet?"),
        ("official", "minister", "With her counterpart."),
    ]


WHITE_HOUSE = (
    "---\n"
    "date: '2023-07-17'\n"
    "tags: press-briefings\n"
    'title: "Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator for\\\n'
    '  \\ Strategic Communications John\\_Kirby"\n'
    "---\n"
    " \n"
    "James S. Brady Press Briefing Room\n"
    "\n"
    "  \n"
    "\n"
    "3:08 P.M. EDT  \n"
    "  \n"
    "MS. JEAN-PIERRE:\u00a0 Good afternoon.\u00a0 Hello.\u00a0 Welcome back.\u00a0  \n"
    "  \n"
    "Q\u00a0 \u00a0 \u00a0 Nice suit, John.  \n"
    "  \n"
    "MS. JEAN-PIERRE:\u00a0 I’m not quite understanding this.\u00a0 It’s okay.\u00a0 There\n"
    "might be issues if people start commenting on my outfit.  \n"
    "  \n"
    "The year before, this Republican senator declared, and I quote, “Our job\n"
    "as elected official\\[s\\] is to make sure that those who have stepped up\n"
    "to defend our country have the resources” to do it safely.  \n"
    "  \n"
    "MR. KIRBY:\u00a0 Thanks, Karine.  (Laughter.)\n"
    "  \n"
    "Q\u00a0 \u00a0 \u00a0 Admiral, following up on that, as it relates to Senator\n"
    "Tuberville: He spoke last week with the Defense Secretary Lloyd Austin.\u00a0\n"
    "Is there a sense that that conversation was productive?  \n"
    "  \n"
    "MR KIRBY:\u00a0 Well, I — I won’t — (cross-talk) — let me finish.  \n"
    "  \n"
    "4:20 P.M. EDT  \n"
)


def test_white_house_style() -> None:
    t = _p(WHITE_HOUSE)
    assert t.title == (
        "Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator for "
        "Strategic Communications John Kirby"
    )
    assert t.held_at == datetime(2023, 7, 17, 15, 8, tzinfo=timezone(timedelta(hours=-4)))
    assert t.location == "James S. Brady Press Briefing Room"
    assert [(u.speaker, u.label, u.line) for u in t.turns] == [
        ("jean-pierre", "MS. JEAN-PIERRE", 14),
        ("reporter", "Q", 16),
        ("jean-pierre", "MS. JEAN-PIERRE", 18),
        ("kirby", "MR. KIRBY", 25),
        ("reporter", "Q", 27),
        ("kirby", "MR KIRBY", 31),
    ]
    jp = t.turns[2].text
    assert jp == (
        "I’m not quite understanding this. It’s okay. There might be issues if people start "
        "commenting on my outfit.\n\n"
        "The year before, this Republican senator declared, and I quote, “Our job as elected "
        "official[s] is to make sure that those who have stepped up to defend our country have "
        "the resources” to do it safely."
    )
    # a wrapped line that starts with a surname and a colon is not a label
    assert t.turns[4].text.startswith(
        "Admiral, following up on that, as it relates to Senator Tuberville: He spoke"
    )
    # stage directions and interruptions stay as written
    assert t.turns[3].text == "Thanks, Karine. (Laughter.)"
    assert t.turns[5].text == "Well, I — I won’t — (cross-talk) — let me finish."
    assert {s.key: s.role for s in t.speakers} == {
        "jean-pierre": "minister",
        "reporter": "reporter",
        "kirby": "minister",
    }
    assert t.speaker("jean-pierre").name == "Ms. Jean-Pierre"
    assert not any("4:20" in u.text for u in t.turns)


def test_front_matter_title_date_and_time() -> None:
    t = _p(
        "---\ntitle: Briefing on the Summit\ndate: 2024-04-10\ntime: '1:23 PM EDT'\n---\n"
        "PRESIDENT BIDEN: Please, have a seat.\n"
    )
    assert t.title == "Briefing on the Summit"
    assert t.held_at == datetime(2024, 4, 10, 13, 23, tzinfo=timezone(timedelta(hours=-4)))
    assert t.turns[0].line == 6
    assert "title" not in t.turns[0].text


# --- speaker identity -----------------------------------------------------------------------


def test_one_key_per_person_across_label_variants() -> None:
    t = _p(
        "Mr. HAYASHI Yoshimasa, Minister for Foreign Affairs: Good morning.\n\n"
        "Reporter: What about the visit?\n\n"
        "Minister Hayashi: It is under consideration.\n\n"
        "Foreign Minister IWAYA Takeshi: I would add one point.\n\n"
        "QUESTION: Thank you. And the talks?\n\n"
        "Foreign Minister IWAYA: They went well.\n\n"
        "MR. KIRBY: Let me add something.\n\n"
        "Q    What exactly?\n\n"
        "MR KIRBY: The details follow.\n\n"
        "JOURNALIST: And then?\n"
    )
    keys = [u.speaker for u in t.turns]
    assert keys == [
        "hayashi", "reporter", "hayashi", "iwaya", "reporter", "iwaya",
        "kirby", "reporter", "kirby", "reporter",
    ]  # fmt: skip
    assert t.speaker("hayashi").name == "Minister Hayashi"
    assert t.speaker("iwaya").name == "Foreign Minister Iwaya"
    assert t.speaker("reporter").name == "Reporter"


def test_two_people_with_different_surnames_stay_apart() -> None:
    t = _p(
        "John Kirby: First point.\n\nJohn Kerry: Second point.\n\nQ: Who is who?\n\n"
        "Kirby: I am the spokesman.\n"
    )
    keys = [u.speaker for u in t.turns]
    assert keys[0] != keys[1]
    assert keys[3] == keys[0]


def test_outlets_as_labels_are_reporters() -> None:
    t = _p(
        "Spokesperson Wang Wenbin: Good afternoon. Let me start with an announcement.\n\n"
        "AFP: Can you confirm the visit of the foreign minister?\n\n"
        "Wang Wenbin: I have nothing to share at the moment.\n\n"
        "The Paper: What is China's comment on the report?\n\n"
        "Wang Wenbin: We have noted the report.\n\n"
        "Bloomberg: A follow-up on that question?\n\n"
        "Wang Wenbin: Please refer to the competent authorities.\n"
    )
    roles = {u.label: (u.speaker, u.role) for u in t.turns}
    assert roles["AFP"] == ("afp", "reporter")
    assert roles["The Paper"] == ("the-paper", "reporter")
    assert roles["Bloomberg"][1] == "reporter"
    assert roles["Spokesperson Wang Wenbin"] == roles["Wang Wenbin"]
    assert roles["Wang Wenbin"][1] == "minister"
    assert t.speaker(roles["Wang Wenbin"][0]).name == "Spokesperson Wang Wenbin"


def test_indian_mea_style() -> None:
    t = _p(
        "Official Spokesperson, Shri Arindam Bagchi: Good evening and welcome to this weekly "
        "briefing. I have two announcements.\n\n"
        "Sidhant Sibal (WION): Sir, any update on the visit?\n\n"
        "Official Spokesperson, Shri Arindam Bagchi: The dates are being worked out.\n\n"
        "Maha Siddiqui (CNN-News18): And on the border talks?\n"
    )
    assert _who(t) == [
        ("arindam-bagchi", "minister", "Good evening and welcome"),
        ("sidhant-sibal", "reporter", "Sir, any update on the v"),
        ("arindam-bagchi", "minister", "The dates are being work"),
        ("maha-siddiqui", "reporter", "And on the border talks?"),
    ]
    assert t.speaker("arindam-bagchi").name == "Official Spokesperson Arindam Bagchi"
    assert t.speaker("sidhant-sibal").name == "Sidhant Sibal (WION)"


def test_uk_australian_doorstop_style() -> None:
    t = _p(
        "PRIME MINISTER: Thanks very much for coming out this morning. Today we are "
        "announcing new funding for hospitals.\n\n"
        "JOURNALIST: Prime Minister, how much will it cost?\n\n"
        "PRIME MINISTER: Two billion dollars over four years.\n\n"
        "JOURNALIST: And when will it start?\n\n"
        "PRIME MINISTER: From July.\n"
    )
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("prime-minister", "minister"),
        ("reporter", "reporter"),
    ] * 2 + [("prime-minister", "minister")]
    assert t.speaker("prime-minister").name == "Prime Minister"


def test_speaker_name_outlet_style_in_capitals() -> None:
    t = _p(
        "MR. PATEL: Good afternoon, everyone.\n\n"
        "MATT LEE (AP): Can we start with the Middle East?\n\n"
        "MR. PATEL: Sure.\n\n"
        "SAID ARIKAT (AL-QUDS): On the same topic, please?\n"
    )
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("patel", "minister"),
        ("matt-lee", "reporter"),
        ("patel", "minister"),
        ("said-arikat", "reporter"),
    ]
    assert t.speaker("matt-lee").name == "Matt Lee (AP)"


# --- roles by behaviour -----------------------------------------------------------------------


def test_roles_from_behaviour_when_labels_say_nothing() -> None:
    t = _p(
        "Mao Ning: Good afternoon. I have no announcements today.\n\n"
        "Li Wei: Thank you. Can you comment on the report of talks in Geneva?\n\n"
        "Mao Ning: China's position on this is consistent and clear.\n\n"
        "Li Wei: Will the talks continue next month?\n\n"
        "Mao Ning: We will release information in due course.\n"
    )
    assert {s.key: s.role for s in t.speakers} == {"mao-ning": "minister", "li-wei": "reporter"}


def test_someone_who_only_calls_on_others_is_the_moderator() -> None:
    t = _p(
        "MS. LEE: Thank you, everybody. The first question will come from Reuters.\n\n"
        "Q    Mr. President, will you visit Tokyo this year?\n\n"
        "PRESIDENT SMITH: I hope to. We have a great deal of work to do together, and "
        "the Prime Minister and I agreed to meet again soon.\n\n"
        "MS. LEE: This will be the last question. Go ahead.\n\n"
        "Q    And the trade deal?\n\n"
        "PRESIDENT SMITH: It is close. Our teams will keep working on it.\n\n"
        "MS. LEE: This concludes the press conference. Thanks, everybody.\n"
    )
    assert {s.key: s.role for s in t.speakers} == {
        "lee": "moderator",
        "reporter": "reporter",
        "smith": "minister",
    }


def test_moderator_label() -> None:
    t = _p(
        "MODERATOR: Thanks for joining. Kirby has a few words at the top.\n\n"
        "MR. KIRBY: Thanks, everybody. Two things today.\n\n"
        "MODERATOR: Our first question will go to Steve.\n\n"
        "Q    Thanks. What about the vote?\n"
    )
    assert [u.role for u in t.turns] == ["moderator", "minister", "moderator", "reporter"]


# --- unlabelled speech ------------------------------------------------------------------------


def test_statement_named_by_its_heading() -> None:
    t = _p(
        "Press Conference by Prime Minister Naoto Kan\n\n"
        "Friday, June 11, 2010\n\n"
        "Opening Statement by Prime Minister Naoto Kan\n\n"
        "I have today been appointed Prime Minister. I will work with all my strength.\n\n"
        "My first task is the economy.\n\n"
        "Question-and-Answer Session\n\n"
        "REPORTER: Prime Minister, what is your first priority?\n\n"
        "PRIME MINISTER KAN: The economy, as I said.\n"
    )
    assert t.sections == (
        "Opening Statement by Prime Minister Naoto Kan",
        "Question-and-Answer Session",
    )
    assert t.held_at == date(2010, 6, 11)
    first = t.turns[0]
    assert (first.speaker, first.role, first.label, first.line) == ("kan", "minister", "", 7)
    assert first.text == (
        "I have today been appointed Prime Minister. I will work with all my strength.\n\n"
        "My first task is the economy."
    )
    assert first.section == "Opening Statement by Prime Minister Naoto Kan"
    assert t.turns[2].speaker == "kan"
    assert t.turns[2].section == "Question-and-Answer Session"


def test_opening_announcement_before_the_first_label() -> None:
    t = _p(
        "Press Conference by Foreign Minister KAMIKAWA Yoko\n\n"
        "I would like to begin with an announcement about the upcoming summit.\n\n"
        "Reporter: When will it be held?\n\n"
        "Minister Kamikawa: In May.\n"
    )
    assert _who(t) == [
        ("kamikawa", "minister", "I would like to begin wi"),
        ("reporter", "reporter", "When will it be held?"),
        ("kamikawa", "minister", "In May."),
    ]


def test_descriptive_prose_before_the_first_label_is_narrated() -> None:
    t = _p(
        "The press conference began at 3 p.m. in the main hall, attended by forty "
        "journalists.\n\n"
        "Reporter: Is the minister coming?\n\n"
        "Minister Tanaka: I am here.\n"
    )
    assert t.turns[0].speaker == "narrator" and t.turns[0].role == "narrator"
    assert t.turns[0].label == ""


def test_continuation_paragraphs_belong_to_the_current_turn() -> None:
    t = _p(
        "Minister Kamikawa: First paragraph.\n\nSecond paragraph.\n\n(Laughter.)\n\n"
        "Third paragraph after the laughter.\n\nReporter: A question?\n"
    )
    assert t.turns[0].text == (
        "First paragraph.\n\nSecond paragraph.\n\n(Laughter.)\n\nThird paragraph after the "
        "laughter."
    )


def test_text_without_any_label_is_one_narrator_turn_with_a_warning() -> None:
    t = _p(
        "The minister spoke about the economy and the budget for next year.\n\n"
        "She said that growth would return in the second half.\n\n"
        "She took no questions.\n"
    )
    assert len(t.turns) == 1
    assert t.turns[0].role == "narrator" and t.turns[0].speaker == "narrator"
    assert t.turns[0].text.count("\n\n") == 2
    assert any("no speaker labels" in w for w in t.warnings)


def test_empty_text() -> None:
    t = _p("")
    assert t.turns == () and t.title is None and t.held_at is None


def test_a_label_with_no_speech_keeps_its_words_and_warns() -> None:
    t = _p("Minister Abe: Thank you all.\n\nAsahi Shimbun, Takeshita: ")
    assert t.turns[-1].text == "Asahi Shimbun, Takeshita"
    assert t.turns[-1].role == "narrator"
    assert any("followed by no speech" in w and ":3:" in w for w in t.warnings)


# --- things that look like labels but are not -----------------------------------------------


def test_date_place_and_topics_lines_are_not_labels() -> None:
    t = _p(
        "Press Conference by the Prime Minister\n"
        "Date: Tuesday, April 22, 2008\n"
        "Place: Prime Minister's Office\n"
        "\n"
        "Main topics: the economy, the G8 summit.\n"
        "\n"
        "Prime Minister: Let me begin.\n\n"
        "Reporter: Here's what else has changed: you were all so polite. Why?\n"
    )
    assert t.held_at == date(2008, 4, 22)
    assert t.location == "Prime Minister's Office"
    assert [u.label for u in t.turns] == ["", "Prime Minister", "Reporter"]
    assert t.turns[0].text == "Main topics: the economy, the G8 summit."
    assert t.turns[2].text.startswith("Here's what else has changed: you were")


def test_colons_in_prose_are_not_labels() -> None:
    t = _p(
        "MR PRICE: Good afternoon.\n\n"
        "Here’s what else has changed: You were all so polite.\n\n"
        "Just a couple of things: You know, it is extreme.\n\n"
        "President Biden, my question: What did you hear?\n\n"
        "QUESTION: Thank you.\n"
    )
    assert [u.label for u in t.turns] == ["MR PRICE", "QUESTION"]
    assert t.turns[0].text.count("\n\n") == 3


# --- headings ---------------------------------------------------------------------------------


def test_headings_of_many_shapes() -> None:
    t = _p(
        "Opening Remarks\n\n"
        "(2) Diplomacy toward the Middle East\n\n"
        "Minister Kishida: First, the Middle East.\n\n"
        "1. Iran's nuclear issue\n\n"
        "Reporter: What about Iran?\n\n"
        "Minister Kishida: We are concerned.\n\n"
        "Visit to Taiwan by Speaker of the House Pelosi of the United States\n\n"
        "Reporter: And Taiwan?\n\n"
        "Q&As\n"
        "- The issue of the abductions\n"
        "REPORTER: And the abductions?\n"
    )
    assert t.sections == (  # a heading's number is not read: "1. Iran's ..." -> "Iran's ..."
        "Opening Remarks - Diplomacy toward the Middle East",
        "Iran's nuclear issue",
        "Visit to Taiwan by Speaker of the House Pelosi of the United States",
        "Q&As - The issue of the abductions",
    )
    assert [u.section for u in t.turns] == [
        t.sections[0], t.sections[1], t.sections[1], t.sections[2], t.sections[3],
    ]  # fmt: skip
    assert not any(u.text == "Iran's nuclear issue" for u in t.turns)


def test_a_short_line_in_speech_is_not_a_heading() -> None:
    t = _p(
        "MS. LEAVITT: We will see.\n\nGo ahead\n\nQ    Thank you, Karoline.\n\n"
        "MS. LEAVITT: Sure.\n\nPeter Doocy\n\nMore text follows here.\n"
    )
    assert t.sections == ()
    assert t.turns[0].text == "We will see.\n\nGo ahead"


# --- boilerplate -------------------------------------------------------------------------------


def test_page_chrome_is_dropped() -> None:
    t = _p(
        "Home > News > Press Conference by the Chief Cabinet Secretary > October 2014\n"
        "An official website of the United States Government Here's how you know\n"
        "Official websites use .gov\n"
        "عربي Español Русский Français 中文\n"
        "Japanese\n"
        "Press Conferences\n"
        "[Provisional Translation]\n"
        "(Video) Press Conference by Foreign Minister HAYASHI\n"
        "This is a provisional translation by an external company for reference purpose only.\n"
        "\n"
        "Minister Hayashi: Good morning.\n"
        "\n"
        "Related Information (Press Conferences)\n"
        "Page Top\n"
        "Print\n"
        "Share on Facebook\n"
        "Back to Press Conferences\n"
        "END 2:45 P.M. EDT\n"
        "Copyright © 2024 Ministry of Foreign Affairs of Japan\n"
    )
    assert [(u.label, u.text) for u in t.turns] == [("Minister Hayashi", "Good morning.")]
    assert t.title is None and t.sections == ()


# --- metadata --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "held_at", "location"),
    [
        (
            "Thursday, September 14, 2023, 9:31 p.m. Ministry of Foreign Affairs",
            datetime(2023, 9, 14, 21, 31),
            "Ministry of Foreign Affairs",
        ),
        ("2023-10-27 19:41", datetime(2023, 10, 27, 19, 41), None),
        ("Tuesday, October 28, 2014 (PM)", date(2014, 10, 28), None),
        (
            "14 March 2024, 10:00 JST\nKantei",
            datetime(2024, 3, 14, 10, 0, tzinfo=timezone(timedelta(hours=9))),
            "Kantei",
        ),
        (
            "Beijing, 2023-10-27 15:00 (UTC+8)",
            datetime(2023, 10, 27, 15, 0, tzinfo=timezone(timedelta(hours=8))),
            "Beijing",
        ),
        (
            "Date: Tuesday, April 22, 2008\nTime: 5:30 p.m.\nVenue: Press Conference Room",
            datetime(2008, 4, 22, 17, 30),
            "Press Conference Room",
        ),
    ],
)
def test_date_time_and_place_lines(
    header: str, held_at: datetime | date, location: str | None
) -> None:
    t = _p(f"Press Conference by the Minister\n\n{header}\n\nMinister: We begin.\n")
    assert t.held_at == held_at
    assert t.location == location
    assert [u.label for u in t.turns] == ["Minister"]


def test_a_time_in_the_text_combines_with_a_date_in_the_title() -> None:
    t = _p(
        "Department Press Briefing - March 13, 2023\n\n2:09 p.m. EST\n\nMR PRICE: Good afternoon.\n"
    )
    assert t.title == "Department Press Briefing - March 13, 2023"
    assert t.held_at == datetime(2023, 3, 13, 14, 9, tzinfo=timezone(timedelta(hours=-5)))


def test_default_time_zone_only_when_the_text_gives_none() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    t = _p("Friday, April 7, 2023, 12:31 p.m.\n\nMinister: Hello.\n", default_tz=tokyo)
    assert t.held_at == datetime(2023, 4, 7, 12, 31, tzinfo=tokyo)
    assert isinstance(t.held_at, datetime) and t.held_at.utcoffset() == timedelta(hours=9)
    t = _p("Friday, April 7, 2023, 12:31 p.m. EDT\n\nMinister: Hello.\n", default_tz=tokyo)
    assert isinstance(t.held_at, datetime) and t.held_at.utcoffset() == timedelta(hours=-4)
    t = _p("Friday, April 7, 2023\n\nMinister: Hello.\n", default_tz=tokyo)
    assert t.held_at == date(2023, 4, 7)


def test_a_time_without_any_date_warns() -> None:
    t = _p("2:09 p.m. EST\n\nMR PRICE: Good afternoon.\n")
    assert t.held_at is None
    assert any("no date" in w for w in t.warnings)


# --- text normalisation -------------------------------------------------------------------


def test_markdown_escapes_and_inline_tags() -> None:
    t = _p(
        "MS. JEAN-PIERRE: We agree with <s>Majorie</s> \\[Marjorie\\] Taylor Greene, "
        "elected official\\[s\\], snake\\_case, **really**.\n"
    )
    assert t.turns[0].text == (
        "We agree with Majorie [Marjorie] Taylor Greene, elected official[s], snake_case, really."
    )


def test_turns_are_frozen_dataclasses() -> None:
    t = _p("Reporter: Hello?\n")
    assert isinstance(t.turns[0], Turn)
    with pytest.raises(AttributeError):
        t.turns[0].text = "changed"  # type: ignore[misc]


def test_labels_in_brackets_on_their_own_line() -> None:
    t = _p(
        "Opening Statement by Prime Minister Noda\n\n"
        "Today I would like to speak about the restart of the power station.\n\n"
        "Questions and Answers\n\n"
        "(Cabinet Public Relations Secretary)\n"
        "We will now take questions. Please state your name and affiliation.\n\n"
        "(Reporter)\nPrime Minister, when will the restart happen?\n\n"
        "(Prime Minister)\nThat is for the operator to decide.\n\n"
        "(Laughter)\n"
    )
    assert [(u.label, u.speaker, u.role) for u in t.turns] == [
        ("", "noda", "minister"),
        ("Cabinet Public Relations Secretary", "cabinet-public-relations-secretary", "moderator"),
        ("Reporter", "reporter", "reporter"),
        ("Prime Minister", "noda", "minister"),
    ]
    assert t.turns[-1].text == "That is for the operator to decide.\n\n(Laughter)"


def test_one_word_label_opening_a_paragraph() -> None:
    t = _p(
        "Shri Randhir Jaiswal, Official Spokesperson: Good evening. I have one announcement.\n\n"
        "Sidhant: Sir, any update on the visit?\n\n"
        "Madhurendra, News Nation: Sir, my question is on the Maldives.\n\n"
        "Shri Randhir Jaiswal, Official Spokesperson: Let me take them together.\n"
    )
    assert _who(t) == [
        ("randhir-jaiswal", "minister", "Good evening. I have one"),
        ("sidhant", "reporter", "Sir, any update on the v"),
        ("madhurendra", "reporter", "Sir, my question is on t"),
        ("randhir-jaiswal", "minister", "Let me take them togethe"),
    ]
    assert t.speaker("madhurendra").name == "Madhurendra (News Nation)"


def test_white_house_q_after_html_collapsed_its_spaces() -> None:
    t = _p("MS. LEAVITT: Good afternoon.\n\nQ Good afternoon. How are you?\n\nQ ratings matter.\n")
    assert [(u.label, u.text) for u in t.turns] == [
        ("MS. LEAVITT", "Good afternoon."),
        ("Q", "Good afternoon. How are you?\n\nQ ratings matter."),
    ]


def test_a_title_and_name_starting_a_wrapped_line_is_text() -> None:
    wrapped = (
        "MR. KIRBY: We have been very clear about this and on the details I would refer you to\n"
        "Secretary Austin: he will have more to say about it later in the week, and so\n"
        "will the Pentagon.\n\n"
        "Q Thank you.\n"
    )
    t = _p(wrapped)
    assert [u.label for u in t.turns] == ["MR. KIRBY", "Q"]
    assert "refer you to Secretary Austin: he will" in t.turns[0].text


def test_australian_treasurer_and_end_marks() -> None:
    t = _p(
        "E&OE\n\nPRIME MINISTER: Good morning.\n\nJOURNALIST: Treasurer, on rates?\n\n"
        "TREASURER: The Reserve Bank is independent.\n\nENDS\n"
    )
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("prime-minister", "minister"),
        ("reporter", "reporter"),
        ("treasurer", "minister"),
    ]
    assert t.turns[-1].text == "The Reserve Bank is independent."


def test_numbered_q_and_a_labels_and_a_heading_with_a_colon() -> None:
    t = _p(
        "Opening Remarks:\n\nMinister Tanaka: We begin.\n\n"
        "Q1: What about the budget?\nA1: It passed.\nQ2: And taxes?\nA2: No change.\n"
    )
    assert t.sections == ("Opening Remarks",)
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("tanaka", "minister"),
        ("reporter", "reporter"),
        ("official", "minister"),
        ("reporter", "reporter"),
        ("official", "minister"),
    ]


def test_transcription_service_time_codes() -> None:
    t = _p(
        "State Department Press Briefing on 9/16/24\n\n"
        "Matthew Miller (00:00):\n\nAfternoon, everyone. Let me start with some comments.\n\n"
        "(00:12)\nThe United States remains deeply concerned.\n\n"
        "Matt (01:49):\n\nOh, that’s it? Nothing else?\n\n"
        "Matthew Miller (01:50):\n\nThat’s it.\n"
    )
    assert t.held_at == date(2024, 9, 16)
    assert [(u.label, u.role, u.line) for u in t.turns] == [
        ("Matthew Miller", "minister", 3),
        ("Matt", "reporter", 10),
        ("Matthew Miller", "minister", 14),
    ]
    assert t.turns[0].text == (
        "Afternoon, everyone. Let me start with some comments.\n\n"
        "The United States remains deeply concerned."
    )
    assert t.turns[0].speaker != t.turns[1].speaker


def test_metadata_keys_are_not_speakers() -> None:
    t = _p(
        "DoD News Briefing with Geoff Morrell from the Pentagon\n\n"
        "Presenter: Pentagon Press Secretary Geoff Morrell\n"
        "May 06, 2008\n"
        "            MR. MORRELL: Hi. Good afternoon.\n"
        "            Q: Geoff, when will the money run out?\n"
        "            MR. MORRELL: In June.\n"
    )
    assert t.held_at == date(2008, 5, 6)
    assert [u.label for u in t.turns] == ["MR. MORRELL", "Q", "MR. MORRELL"]
    assert "Presenter: Pentagon Press Secretary Geoff Morrell" in t.sections


def test_kantei_style_title_with_the_name_in_brackets() -> None:
    t = _p(
        "[Provisional Translation]\n\nOpening Statement\n\n"
        "PRIME MINISTER KISHIDA: Today I decided to dissolve the House of Representatives.\n\n"
        "Q&A\n\n"
        "CABINET PUBLIC RELATIONS SECRETARY (YOTSUMOTO): We will now take questions. "
        "Please state your name and affiliation.\n\n"
        "REPORTER (KIMURA, NHK): Prime Minister, why now?\n\n"
        "PRIME MINISTER KISHIDA: Because the people should decide which way the country "
        "goes, and I want to hear their voice directly.\n\n"
        "CABINET PUBLIC RELATIONS SECRETARY (YOTSUMOTO): Next question, please.\n"
    )
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("kishida", "minister"),
        ("yotsumoto", "moderator"),
        ("reporter", "reporter"),
        ("kishida", "minister"),
        ("yotsumoto", "moderator"),
    ]
    assert t.sections == ("Opening Statement", "Q&A")


def test_moderator_labels_without_a_name_are_one_chair() -> None:
    t = _p(
        "CABINET PUBLIC RELATIONS SECRETARY (MODERATOR): We will begin.\n\n"
        "Minister Kamikawa: Thank you. I have an announcement about the summit.\n\n"
        "MODERATOR: Next question, please.\n"
    )
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("cabinet-public-relations-secretary", "moderator"),
        ("kamikawa", "minister"),
        ("cabinet-public-relations-secretary", "moderator"),
    ]


def test_a_paragraph_ending_in_a_stage_direction_is_not_a_heading() -> None:
    t = _p(
        "Reporter: A question about the summit?\n\n"
        "Discussed regarding allies and the agreement of. (Inaudible)\n\n"
        "Minister Kamikawa: I will answer.\n"
    )
    assert t.sections == ()
    assert t.turns[0].text.endswith("of. (Inaudible)")


# --- header blocks above the first label ------------------------------------------------------


def test_stacked_header_lines_give_title_place_date_and_no_narrator() -> None:
    t = parse(
        "Department Press Briefing – March 12, 2024\n"
        "Matthew Miller, Department Spokesperson\n"
        "Washington, DC\n"
        "March 12, 2024\n\n"
        "MR MILLER: Hello.\n\nQUESTION: Hi.\n",
        source="x",
    )
    assert t.title == "Department Press Briefing – March 12, 2024"
    assert t.location == "Washington, DC"
    assert t.held_at == date(2024, 3, 12)
    assert t.sections == ()
    assert [x.role for x in t.turns] == ["minister", "reporter"]
    assert "Matthew Miller, Department Spokesperson" in t.metadata


def test_published_and_spaced_date_keys() -> None:
    t = parse("Doorstep remarks by the Taoiseach\nPublished: 12 March 2024\n\n"
              "Taoiseach: Hello.\n\nJournalist: Hi.\n", source="x")
    assert (t.title, t.held_at) == ("Doorstep remarks by the Taoiseach", date(2024, 3, 12))
    assert [x.role for x in t.turns] == ["minister", "reporter"]
    t = parse("Regular Press Briefing by Spokesperson Lim Soo-suk (March 14, 2024, 14:00)\n"
              "Date : 2024-03-14   Hit : 412\n\n"
              "Spokesperson Lim Soo-suk: Hello.\n\nQ: Hi.\n", source="x")
    assert t.title is not None and t.title.startswith("Regular Press Briefing")
    assert t.held_at is not None and t.held_at.isoformat().startswith("2024-03-14")
    assert [x.role for x in t.turns] == ["minister", "reporter"]


def test_date_line_with_time_range_and_place_line() -> None:
    t = parse("PRESS BRIEFING OF USEC. CASTRO\nMalacañang Press Briefing Room, Manila\n"
              "12 March 2024 (11:16 A.M. – 12:03 P.M.)\n\n"
              "USEC. CASTRO: Hello.\n\nREPORTER: Hi.\n", source="x")
    assert t.title == "PRESS BRIEFING OF USEC. CASTRO"
    assert t.location == "Malacañang Press Briefing Room, Manila"
    assert t.held_at == date(2024, 3, 12)
    assert [x.role for x in t.turns] == ["minister", "reporter"]


def test_lone_title_line_is_the_title_not_a_section() -> None:
    t = parse("Noon briefing of 14 March 2024\n\nSpokesman: Edie?\n\nQuestion: Thanks.\n",
              source="x")
    assert (t.title, t.held_at, t.sections) == (
        "Noon briefing of 14 March 2024", date(2024, 3, 14), ())
    t = parse("Senior Defense Official Holds a Background Briefing on Force Posture\n"
              "Jan. 30, 2024 |\n\nSENIOR DEFENSE OFFICIAL: Hi.\n\nQ: Thanks.\n", source="x")
    assert t.title == "Senior Defense Official Holds a Background Briefing on Force Posture"
    assert t.sections == ()


def test_byline_right_above_the_first_label_does_not_swallow_it() -> None:
    t = parse("Deputy Pentagon Press Secretary Sabrina Singh Holds a Press Briefing\n"
              "Feb. 22, 2024 |\nDeputy Pentagon Press Secretary Sabrina Singh\n"
              "DEPUTY PENTAGON PRESS SECRETARY SABRINA SINGH: Hi.\n\nQ: Thanks.\n\n"
              "MS. SINGH: Sure.\n", source="x")
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("singh", "Hi."), ("reporter", "Thanks."), ("singh", "Sure.")]
    assert "narrator" not in {x.speaker for x in t.turns}


def test_site_name_and_category_lines_are_not_the_title() -> None:
    t = parse("Ministry of Foreign Affairs, Republic of Korea\nSpokesperson's Press Briefings\n"
              "Regular Press Briefing by Spokesperson Lim Soo-suk (March 14, 2024, 14:00)\n\n"
              "Spokesperson Lim Soo-suk: Hello.\n\nQ: Hi.\n", source="x")
    assert t.title == "Regular Press Briefing by Spokesperson Lim Soo-suk (March 14, 2024, 14:00)"


# --- end-of-page trailers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "trailer",
    [
        "ENDS\n\nAuthorised by A. Albanese, ALP, Canberra.",
        "- 30 -\n\nMedia enquiries: 613-957-5555",
        "(Concluded)\nNew Delhi\nMarch 15, 2024",
        "[END OF BRIEFING]",
        "# # #\n\nTAGS\n\nOffice of the Spokesperson",
        "* * *\n\nDepartment of Information",
        "conclusion of press conference",
        ".     .     .     .     .\nMINISTRY OF FOREIGN AFFAIRS\nSINGAPORE\n12 MARCH 2024",
        "(The briefing was concluded at 2:03 p.m.)\n\n# # #",
    ],
)
def test_end_mark_and_what_follows_is_dropped(trailer: str) -> None:
    t = parse("PRIME MINISTER: Thanks very much.\n\nJOURNALIST: One more?\n\n"
              f"PRIME MINISTER: No. Thanks.\n\n{trailer}\n", source="x")
    assert [x.text for x in t.turns] == ["Thanks very much.", "One more?", "No. Thanks."]
    assert t.sections == ()


def test_end_mark_followed_by_more_speech_keeps_the_speech() -> None:
    t = parse("MINISTER: One.\n\n* * *\n\nREPORTER: Two?\n\nMINISTER: Three.\n", source="x")
    assert [x.text for x in t.turns] == ["One.", "Two?", "Three."]


def test_footer_after_rule_line_or_related_link_is_dropped() -> None:
    for trailer in ("-----------------\nSubscribe to Defense.gov Products\nHelpful Links",
                    "Related Link\nPress Conferences by the Prime Minister\nBack to Top",
                    "*****\n\nDepartment of Information\nMinistry of Foreign Affairs"):
        t = parse(f"MINISTER: One.\n\nQ: Two?\n\nMINISTER: Three.\n\n{trailer}\n", source="x")
        assert [x.text for x in t.turns] == ["One.", "Two?", "Three."], trailer


def test_check_against_delivery_is_boilerplate() -> None:
    t = parse("Check against delivery\n\nTaoiseach: Hello.\n\nJournalist: Hi.\n", source="x")
    assert [x.text for x in t.turns] == ["Hello.", "Hi."]


# --- statements named by their heading --------------------------------------------------------


def test_bracketed_statement_heading_gives_the_statement_to_that_official() -> None:
    t = parse("Press Conference by Prime Minister Kishida\nThursday, March 14, 2024\n\n"
              "[Opening Statement by the Prime Minister]\nToday wages rose.\n\n"
              "[Questions and Answers]\nMODERATOR: Questions.\n\nREPORTER (NHK): Why?\n\n"
              "PRIME MINISTER KISHIDA: Because.\n", source="x")
    assert t.sections == ("Opening Statement by the Prime Minister", "Questions and Answers")
    assert [(x.speaker, x.role, x.text) for x in t.turns] == [
        ("kishida", "minister", "Today wages rose."),
        ("moderator", "moderator", "Questions."),
        ("reporter", "reporter", "Why?"),
        ("kishida", "minister", "Because."),
    ]


def test_statement_heading_without_brackets_and_official_not_speaking_later() -> None:
    t = parse("Opening Statement by the Prime Minister\n\nToday wages rose.\n\n"
              "Questions and Answers\n\nREPORTER: Why?\n\nMODERATOR: Next.\n", source="x")
    assert t.turns[0].role == "minister" and t.turns[0].text == "Today wages rose."
    assert t.turns[0].speaker != "narrator"


def test_square_bracket_stage_directions_stay_in_the_turn() -> None:
    t = parse("MINISTER: Yes. [Laughter]\n\n[Cross talk]\n\nREPORTER: What?\n", source="x")
    assert t.sections == ()


# --- labels: outlets, Q./A., a bare A ---------------------------------------------------------


def test_question_from_outlet_is_that_outlets_reporter() -> None:
    t = _p("Minister: We met today.\n\nQuestion from Channel NewsAsia: Will it be ready?\n\n"
           "Minister: Yes.\n\nQuestion from The Straits Times: When?\n\nMinister: Soon.\n")
    assert [(u.role, u.text) for u in t.turns] == [
        ("minister", "We met today."), ("reporter", "Will it be ready?"), ("minister", "Yes."),
        ("reporter", "When?"), ("minister", "Soon.")]
    assert t.turns[1].speaker != t.turns[3].speaker  # two outlets, two reporters


def test_q_and_a_with_a_full_stop_on_their_own_line_or_inline() -> None:
    t = _p("Spokesperson:\nThe visit is confirmed.\n\nQ.\nWill trade be discussed?\n\nA.\nYes.\n")
    assert [(u.speaker, u.role, u.text) for u in t.turns] == [
        ("spokesperson", "minister", "The visit is confirmed."),
        ("reporter", "reporter", "Will trade be discussed?"),
        ("spokesperson", "minister", "Yes."),
    ]
    t = _p("Spokesperson: Hello.\n\nQ. Will trade be discussed?\n\nA. Yes.\n")
    assert [u.role for u in t.turns] == ["minister", "reporter", "minister"]


def test_bare_a_is_the_one_named_official() -> None:
    t = _p("Spokesperson Lim Soo-suk: Good afternoon.\n\nQ: Any update?\n\nA: Nothing further.\n")
    assert [u.speaker for u in t.turns] == ["lim-soo-suk", "reporter", "lim-soo-suk"]
    t = _p("Minister Tanaka: Hi.\n\nSecretary Ito: Hello.\n\nQ: Who?\n\nA: Me.\n")
    assert t.turns[-1].speaker not in ("tanaka", "ito")  # two officials: A stays anonymous


# --- chairs -----------------------------------------------------------------------------------


def test_staff_who_calls_on_reporters_is_the_moderator() -> None:
    t = _p("STAFF: First question, Lita Baldor, AP.\n\nQ: When?\n\n"
           "SENIOR DEFENSE OFFICIAL: Soon.\n\nSTAFF: That concludes the briefing.\n")
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("staff", "moderator"), ("reporter", "reporter"),
        ("senior-defense-official", "minister"), ("staff", "moderator")]


def test_chair_label_is_a_moderator_and_chair_line_is_metadata() -> None:
    t = _p("Government press conference of 13 March 2024\n\nChair: Welty\n\n"
           "CHAIR WELTY: Good morning.\n\nSPOKESPERSON HEBESTREIT: Thanks.\n\nQUESTION: Why?\n")
    assert [(u.label, u.role) for u in t.turns] == [
        ("CHAIR WELTY", "moderator"), ("SPOKESPERSON HEBESTREIT", "minister"),
        ("QUESTION", "reporter")]
    assert "Chair: Welty" in t.metadata


def test_chief_of_staff_stays_an_official() -> None:
    t = _p("CHIEF OF STAFF ZIENTS: We did it.\n\nQ: How?\n\nCHIEF OF STAFF ZIENTS: Hard work.\n")
    assert t.turns[0].role == "minister"


def test_spokesperson_line_inside_a_date_time_venue_block_is_metadata() -> None:
    t = _p("Summary of the Weekly Press Briefing\n\nDate: Thursday, 14 March 2024\n"
           "Time: 11.00 hrs.\nVenue: Press Briefing Room, Bangkok\n"
           "Spokesperson: Mr. Nikorndej Balankura, Director-General\n\n"
           "Spokesperson:\nThe visit is confirmed.\n\nQ.\nWhen?\n\nA.\nSoon.\n")
    assert t.location == "Press Briefing Room, Bangkok"
    assert t.metadata == ("Time: 11.00 hrs.",
                          "Spokesperson: Mr. Nikorndej Balankura, Director-General")
    assert [(u.speaker, u.text) for u in t.turns] == [
        ("spokesperson", "The visit is confirmed."), ("reporter", "When?"),
        ("spokesperson", "Soon.")]


def test_chrome_above_the_title_is_not_a_section_of_every_turn() -> None:
    t = _p("Prime Minister's Office of Japan\n\nPress Conference by Prime Minister Kishida\n"
           "Thursday, March 14, 2024\n\n[Opening Statement by the Prime Minister]\n"
           "Today wages rose.\n\nPRIME MINISTER KISHIDA: Also prices.\n")
    assert t.title == "Press Conference by Prime Minister Kishida"
    assert t.sections == ("Opening Statement by the Prime Minister",)
    assert "Prime Minister's Office of Japan" in t.metadata
    assert [u.speaker for u in t.turns] == ["kishida", "kishida"]


def test_title_with_a_colon_and_a_date_is_not_a_label() -> None:
    t = _p("POST-CABINET PRESS CONFERENCE: MONDAY, 4 MARCH 2024\n\nPM: Kia ora.\n\n"
           "Media: Prime Minister?\n\nPM: Yes.\n")
    assert t.title == "POST-CABINET PRESS CONFERENCE: MONDAY, 4 MARCH 2024"
    assert t.held_at == date(2024, 3, 4)
    assert [u.role for u in t.turns] == ["minister", "reporter", "minister"]


def test_topics_speakers_and_hosted_by_lines_are_metadata() -> None:
    t = _p("Government press conference of 13 March 2024\n\nUnofficial translation\n\n"
           "Topics: Ukraine, farmers' protests\n\nSpeakers: Government Spokesperson Hebestreit\n\n"
           "HOSTED BY THE PRIME MINISTER RT HON CHRISTOPHER LUXON\n\n"
           "SPOKESPERSON HEBESTREIT: Good morning.\n\nQUESTION: Why?\n")
    assert t.sections == ()
    assert t.metadata == ("Topics: Ukraine, farmers' protests",
                          "Speakers: Government Spokesperson Hebestreit",
                          "HOSTED BY THE PRIME MINISTER RT HON CHRISTOPHER LUXON")
    assert [u.role for u in t.turns] == ["minister", "reporter"]
