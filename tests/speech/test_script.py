"""Planning the script: intro, section announcements, caption-sized utterances, pauses, chapters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pressaudio.model import Casting, Role, Script, Speaker, Transcript, Turn, VoiceProfile
from pressaudio.speech.lexicon import default_lexicon
from pressaudio.speech.normalize import clean_text, split_stage_directions
from pressaudio.speech.script import (
    CAPTION_LINE_CHARS,
    CAPTION_MAX_CHARS,
    MID_SENTENCE_PAUSE_MS,
    caption_lines,
    is_qa_heading,
    plan,
    split_captions,
    split_sentences,
)

LEXICON = default_lexicon()


def profile(name: str, stage: Literal["drop", "narrate"] = "drop", **pauses: int) -> VoiceProfile:
    base = {"pause_sentence_ms": 250, "pause_turn_ms": 700, "pause_section_ms": 1400}
    base.update(pauses)
    return VoiceProfile(name=name, engine="espeak", voice="en-us", stage_directions=stage, **base)


NARRATOR = profile("narrator", pause_sentence_ms=300, pause_turn_ms=800, pause_section_ms=1500)
MINISTER = profile("minister", pause_sentence_ms=260, pause_turn_ms=710, pause_section_ms=1410)
REPORTER = profile("reporter", pause_sentence_ms=240, pause_turn_ms=690, pause_section_ms=1390)

SPEAKERS = (
    Speaker("kamikawa", "Minister Kamikawa", "minister"),
    Speaker("reporter", "Reporter", "reporter"),
)

OPENING = (
    "I held a telephone meeting earlier with Secretary Blinken. At the outset, I stated that I "
    "would like to build a good relationship with Secretary Blinken just like former Minister "
    "Hayashi, and to further strengthen the Japan-U.S. Alliance, which is stronger than ever. "
    "Secretary Blinken offered his congratulations to me for my assumption of office.\n\n"
    "Additionally, regarding the increasingly severe regional security environment, we concurred "
    "to cooperate to further strengthen the deterrence and response capabilities of the "
    "Japan-U.S. Alliance, based on the achievement of the Japan-U.S. “2+2” in January this year."
)
QUESTION = (
    "During your meeting with Secretary Blinken today, was the Russia-North Korea Summit Meeting "
    "mentioned at all, and were future intentions discussed?"
)
ANSWER = (
    "We discussed today what I mentioned in my opening remarks. As this is a matter of "
    "diplomatic communication, I would like to refrain from discussing further details."
)


def turn(
    speaker: str, text: str, section: str | None = None, label: str = "", line: int = 1
) -> Turn:
    role: Role = "reporter" if speaker.startswith("reporter") else "minister"
    return Turn(speaker, label or speaker, role, section, text, line)


def transcript(
    turns: tuple[Turn, ...],
    sections: tuple[str, ...] = (),
    *,
    title: str | None = "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko",
    held_at: datetime | date | None = datetime(2023, 9, 14, 21, 31),
    location: str | None = "Ministry of Foreign Affairs",
    speakers: tuple[Speaker, ...] = SPEAKERS,
) -> Transcript:
    return Transcript(
        source="/work/shared/transcripts/01_mofa-kamikawa-extraordinary-2023-09-14.txt",
        title=title,
        held_at=held_at,
        location=location,
        sections=sections,
        turns=turns,
        speakers=speakers,
    )


def casting(minister: VoiceProfile = MINISTER, reporter: VoiceProfile = REPORTER) -> Casting:
    return Casting(narrator=NARRATOR, speakers=(("kamikawa", minister), ("reporter", reporter)))


def plan_of(t: Transcript, c: Casting | None = None) -> Script:
    return plan(t, c or casting(), LEXICON)


HEADED = transcript(
    (
        turn("kamikawa", OPENING, "Opening Remarks"),
        turn("reporter", QUESTION, "Question-and-Answer Session"),
        turn("kamikawa", ANSWER, "Question-and-Answer Session"),
    ),
    ("Opening Remarks", "Question-and-Answer Session"),
)


# --- the introduction ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "said"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (23, "23rd"), (30, "30th"), (31, "31st")],
)
def test_the_intro_writes_the_day_as_the_narrator_says_it(day: int, said: str) -> None:
    from pressaudio.speech.script import intro_captions

    held = datetime(2023, 1, day, 10, 0)
    line = intro_captions(transcript(HEADED.turns, HEADED.sections, held_at=held))[1]
    assert line.startswith(f"{held.strftime('%A')}, the {said} of January 2023, at 10 a.m.")


def test_the_intro_says_title_date_time_and_place() -> None:
    script = plan_of(HEADED)
    first, second = script.utterances[:2]
    assert first.speaker == second.speaker == "narrator"
    assert first.voice == NARRATOR
    assert first.caption == "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko"
    # the Japanese name read by rule (speech/names.py), as phonemes
    assert first.text == (
        "Extraordinary Press Conference by Foreign Minister [[kA:mi:k'A:wA:]] [[j'oUkoU]]."
    )
    assert second.caption == (
        "Thursday, the 14th of September 2023, at 9:31 p.m., at the Ministry of Foreign Affairs."
    )
    assert second.text == (
        "Thursday, the fourteenth of September twenty twenty-three, at nine thirty-one P-M, "
        "at the Ministry of Foreign Affairs."
    )
    assert second.pause_after_ms == NARRATOR.pause_section_ms


@pytest.mark.parametrize(
    ("held_at", "location", "said"),
    [
        (date(2024, 1, 19), None, "Friday, the nineteenth of January twenty twenty-four."),
        (datetime(2015, 4, 21, 8, 46), "Front Entrance Hall, Prime Minister’s Office",
         "Tuesday, the twenty-first of April twenty fifteen, at eight forty-six A-M, "
         "at the Front Entrance Hall, Prime Minister's Office."),
        (datetime(2023, 7, 17, 12, 0), "James S. Brady Press Briefing Room",
         "Monday, the seventeenth of July twenty twenty-three, at noon, "
         "at the James S Brady Press Briefing Room."),
        (None, "Tokyo", "In Tokyo."),
    ],
)  # fmt: skip
def test_the_intro_reads_what_is_known(
    held_at: datetime | date | None, location: str | None, said: str
) -> None:
    script = plan_of(transcript(HEADED.turns, HEADED.sections, held_at=held_at, location=location))
    assert script.utterances[1].text == said


def test_an_intro_ending_in_a_time_has_one_full_stop() -> None:
    held = datetime(2014, 6, 5, 10, 0)
    script = plan_of(transcript(HEADED.turns, HEADED.sections, held_at=held, location=None))
    assert script.utterances[1].caption == "Thursday, the 5th of June 2014, at 10 a.m."
    said = "Thursday, the fifth of June twenty fourteen, at ten A-M."
    assert script.utterances[1].text == said


def test_without_date_or_place_the_intro_is_the_title() -> None:
    script = plan_of(transcript(HEADED.turns, HEADED.sections, held_at=None, location=None))
    assert [u.speaker for u in script.utterances[:2]] == ["narrator", "narrator"]
    assert script.utterances[1].caption == "Opening Remarks"


def test_without_a_title_the_file_name_is_never_spoken() -> None:
    script = plan_of(transcript(HEADED.turns, HEADED.sections, title=None))
    assert script.title == "Press conference with Minister Kamikawa"
    assert script.utterances[0].caption == script.title
    assert all("mofa" not in u.text and "2023-09" not in u.text for u in script.utterances)


@pytest.mark.parametrize(
    ("title", "held_at", "said"),
    [
        ("Department Press Briefing - March 13, 2023", datetime(2023, 3, 13, 14, 9),
         "At two oh nine P-M, at the Ministry of Foreign Affairs."),
        ("Air Force One Press Gaggle 7/29/25", date(2025, 7, 29),
         "At the Ministry of Foreign Affairs."),
        ("Briefing of 13th March 2023", date(2023, 3, 13), "At the Ministry of Foreign Affairs."),
        ("Department Press Briefing - March 14, 2023", date(2023, 3, 13),
         "Monday, the thirteenth of March twenty twenty-three, "
         "at the Ministry of Foreign Affairs."),
    ],
)  # fmt: skip
def test_the_intro_does_not_repeat_a_date_the_title_says(
    title: str, held_at: datetime | date, said: str
) -> None:
    script = plan_of(transcript(HEADED.turns, HEADED.sections, title=title, held_at=held_at))
    assert script.utterances[1].text == said


# --- sections, voices, pauses -------------------------------------------------------------


def test_sections_are_announced_by_the_narrator_before_their_turns() -> None:
    script = plan_of(HEADED)
    spoken = [(u.speaker, u.caption) for u in script.utterances]
    opening = spoken.index(("narrator", "Opening Remarks"))
    qa = spoken.index(("narrator", "Question-and-Answer Session"))
    assert spoken[opening + 1][0] == "kamikawa"
    assert spoken[qa + 1] == ("reporter", split_captions(QUESTION)[0][0])
    assert script.utterances[qa].text == "Question-and-Answer Session."
    # The pause before a new section is the section pause of the voice that spoke last.
    assert script.utterances[qa - 1].voice == MINISTER
    assert script.utterances[qa - 1].pause_after_ms == MINISTER.pause_section_ms


def test_each_turn_is_in_its_speakers_voice() -> None:
    script = plan_of(HEADED)
    for u in script.utterances:
        expected = {"narrator": NARRATOR, "kamikawa": MINISTER, "reporter": REPORTER}[u.speaker]
        assert u.voice == expected
        name = {"narrator": "Narrator", "kamikawa": "Minister Kamikawa", "reporter": "Reporter"}
        assert u.speaker_name == name[u.speaker]


def test_pauses_follow_the_profiles() -> None:
    us = plan_of(HEADED).utterances
    qa = [u.caption for u in us].index("Question-and-Answer Session")
    # Before a new section: the section pause; after the announcement: the narrator's turn pause.
    assert us[qa - 1].pause_after_ms == MINISTER.pause_section_ms
    assert us[qa].pause_after_ms == NARRATOR.pause_turn_ms
    # Within a turn: the sentence pause after a sentence, a short one after a cut inside one.
    opening = [u for u in us[:qa] if u.speaker == "kamikawa"]
    inside = [u.pause_after_ms for u in opening[:-1]]
    for u in opening[:-1]:
        ends_sentence = u.caption.endswith((".", "?", "”"))
        expected = MINISTER.pause_sentence_ms if ends_sentence else MID_SENTENCE_PAUSE_MS
        assert u.pause_after_ms == expected, u.caption
    assert MID_SENTENCE_PAUSE_MS in inside and MINISTER.pause_sentence_ms in inside
    # At the end of a turn: the speaker's turn pause.
    assert [u.pause_after_ms for u in us if u.speaker == "reporter"] == [
        MID_SENTENCE_PAUSE_MS,
        REPORTER.pause_turn_ms,
    ]
    assert us[-1].pause_after_ms == MINISTER.pause_turn_ms


def test_consecutive_turns_of_one_speaker_pause_as_between_sentences() -> None:
    t = transcript((turn("kamikawa", "First point."), turn("kamikawa", "Second point.")))
    us = plan_of(t).utterances
    assert us[-2].caption == "First point."
    assert us[-2].pause_after_ms == MINISTER.pause_sentence_ms


# --- utterances and captions --------------------------------------------------------------

LONG_TURN = (
    "Strangely, though, that person who said these things seem — seems to have — seems to have "
    "forgotten them. And that person, as you all know because you’ve all covered this very "
    "closely, is Tommy Tuberville. So, right now, Senator Tuberville is hijacking what has "
    "traditionally been a bipartisan process: the National Defense Authorization Act. He’s also "
    "delaying the confirmation of hundreds of qualified and capable military nominees, depriving "
    "our armed forces of leadership it needs. The year before, this Republican senator declared, "
    "and I quote, “Our job as elected official\\[s\\] is to make sure that those who have stepped "
    "up to defend our country have the resources” that need — that “they need to do their job "
    "and \\[to\\] do it safely.” What — nobody likes my outfit?  (Laughter.)  I’m not quite "
    "understanding this.\n\nAnd military families do not know where they will live, where "
    "spouses will work, where children will go to school. Senator Tuberville from 2021 and 2022 "
    "should intervene with 2023 Senator Tuberville, because clearly there’s a problem here."
)


def _spoken_without_directions(text: str) -> str:
    kept = " ".join(seg for seg, sd in split_stage_directions(clean_text(text)) if not sd)
    return " ".join(kept.split())


def test_captions_fit_and_lose_no_words() -> None:
    t = transcript((turn("kamikawa", LONG_TURN),), held_at=None, location=None, title="T")
    script = plan_of(t)
    captions = [u.caption for u in script.utterances if u.speaker == "kamikawa"]
    assert len(captions) > 8
    for c in captions:
        assert len(c) <= 130
        assert len(c) <= CAPTION_MAX_CHARS
        assert len(caption_lines(c)) <= 2
        assert all(len(line) <= CAPTION_LINE_CHARS for line in caption_lines(c))
        assert "\\" not in c
    assert " ".join(captions) == _spoken_without_directions(LONG_TURN)
    assert not any("Laughter" in u.caption or "Laughter" in u.text for u in script.utterances)


def test_each_utterance_text_is_the_normalised_caption() -> None:
    script = plan_of(HEADED)
    alliance = [u for u in script.utterances if "“2+2”" in u.caption]
    assert len(alliance) == 1
    assert "two plus two" in alliance[0].text
    assert "Japan U-S" in alliance[0].text


def test_sentences_are_not_cut_at_abbreviations() -> None:
    text = (
        "Mr. Kirby met H.E. Mr. Vincent Meriton at 9:31 p.m. on Friday. The U.S. Special "
        "Representative spoke, e.g. on the U.S.-ROK talks. It is the U.S. We agree."
    )
    assert split_sentences(text) == [
        "Mr. Kirby met H.E. Mr. Vincent Meriton at 9:31 p.m. on Friday.",
        "The U.S. Special Representative spoke, e.g. on the U.S.-ROK talks.",
        "It is the U.S.",
        "We agree.",
    ]


def test_long_sentences_are_cut_at_clauses_before_words() -> None:
    pieces = split_captions(QUESTION)
    assert [b for _, b in pieces] == ["clause", "sentence"]
    assert pieces[0][0].endswith(",")


def test_short_sentences_share_a_caption() -> None:
    assert split_captions("Good afternoon. Hello. Welcome back.") == [
        ("Good afternoon. Hello. Welcome back.", "sentence")
    ]


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1,
                max_size=14)  # fmt: skip
_PUNCT = st.sampled_from(["", "", "", ",", ".", "?", ";", " —", ":", "!"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_WORD, _PUNCT), min_size=1, max_size=120))
def test_any_text_splits_into_fitting_captions(words: list[tuple[str, str]]) -> None:
    text = " ".join(w + p for w, p in words)
    pieces = split_captions(text)
    assert " ".join(p for p, _ in pieces) == " ".join(text.split())
    for piece, _ in pieces:
        assert piece and len(piece) <= CAPTION_MAX_CHARS
        assert len(caption_lines(piece)) <= 2


# --- stage directions ---------------------------------------------------------------------

BANTER = transcript(
    (
        turn("kamikawa", "What — nobody likes my outfit?  (Laughter.)  I’m not quite sure."),
        turn("reporter", "(Inaudible) you look fantastic!"),
    )
)


def test_stage_directions_are_dropped_by_default() -> None:
    script = plan_of(BANTER)
    assert [u.caption for u in script.utterances[2:]] == [
        "What — nobody likes my outfit? I’m not quite sure.",
        "you look fantastic!",
    ]


def test_stage_directions_can_be_narrated() -> None:
    c = casting(minister=replace(MINISTER, stage_directions="narrate"))
    script = plan_of(BANTER, c)
    said = [(u.speaker, u.caption, u.text) for u in script.utterances[2:]]
    assert said == [
        ("kamikawa", "What — nobody likes my outfit?", "What, nobody likes my outfit?"),
        ("narrator", "(Laughter.)", "Laughter."),
        ("kamikawa", "I’m not quite sure.", "I'm not quite sure."),
        ("reporter", "you look fantastic!", "you look fantastic!"),  # the reporter drops
    ]
    assert script.utterances[3].voice == NARRATOR


def test_a_turn_that_is_only_a_stage_direction_says_nothing() -> None:
    t = transcript((turn("kamikawa", "Thank you."), turn("reporter", "(Laughter.)")))
    script = plan_of(t)
    assert script.utterances[-1].speaker == "kamikawa"
    assert script.utterances[-1].pause_after_ms == MINISTER.pause_turn_ms


# --- chapters -----------------------------------------------------------------------------


TOPICAL = transcript(
    (
        turn("kamikawa", OPENING, "Opening Remarks"),
        turn("reporter", QUESTION, "Situation in North Korea", label="NHK, Igarashi"),
        turn("kamikawa", ANSWER, "Situation in North Korea"),
        turn("reporter", "Did you discuss meeting in person on the occasion of the UN "
             "High-level Week next week?", "Japan-U.S. Relations", label="Kyodo, Sato"),
        turn("kamikawa", ANSWER, "Japan-U.S. Relations"),
        turn("reporter", "And in New York?", "Japan-U.S. Relations", label="Asahi, Ito"),
        turn("kamikawa", ANSWER, "Japan-U.S. Relations"),
    ),
    ("Opening Remarks", "Situation in North Korea", "Japan-U.S. Relations"),
)  # fmt: skip


def test_chapters_follow_topical_section_headings() -> None:
    # MOFA style: each topic heading is followed by its questions and answers. A short
    # topical section is one chapter, even with two reporters' questions in it.
    script = plan_of(TOPICAL)
    assert [c.title for c in script.chapters] == [
        "Introduction",
        "Opening Remarks",
        "Situation in North Korea",
        "Japan-U.S. Relations",
    ]
    assert script.chapters[0].first == 0
    for chapter in script.chapters[1:]:
        announcement = script.utterances[chapter.first]
        assert announcement.speaker == "narrator"
        assert announcement.caption == chapter.title


@pytest.mark.parametrize(
    "heading",
    ["Question-and-Answer Session", "Q&A", "Q&As", "Questions and Answers", "Q and A",
     "Questions", "Press Q&A", "- Q & A", "2. QUESTIONS AND ANSWERS:", "(3) Q&A Session",
     "Questions from the press", "**Q\\&A**"],
)  # fmt: skip
def test_generic_qa_headings_are_recognised(heading: str) -> None:
    assert is_qa_heading(heading)


@pytest.mark.parametrize(
    "heading",
    ["Q&As - The issue of the abductions", "Questions on North Korea", "Q&A: Ukraine",
     "Opening Remarks", "Question of Taiwan", "Answers", "Q"],
)  # fmt: skip
def test_headings_that_name_a_topic_are_not_generic(heading: str) -> None:
    assert not is_qa_heading(heading)


def _qa_transcript(heading: str, *before: Turn) -> Transcript:
    turns = (
        *before,
        turn("reporter", "I have a question related to North Korea. " + QUESTION, heading,
             label="NHK, Igarashi"),
        turn("kamikawa", ANSWER, heading),
        turn("reporter", "Did you discuss meeting in person on the occasion of the UN "
             "High-level Week next week?", heading, label="Reporter"),
        turn("kamikawa", "Sure.", heading),  # a brief interjection: the reporter goes on
        turn("reporter", "And in New York?", heading, label="Reporter"),
        turn("kamikawa", ANSWER, heading),
        turn("reporter", "I believe you spoke with Secretary Blinken for the first time today. "
             "Please share with us your impressions of him.", heading, label="Reporter"),
        turn("kamikawa", ANSWER, heading),
    )  # fmt: skip
    return transcript(
        (turn("kamikawa", OPENING, "Opening Remarks"), *turns), ("Opening Remarks", heading)
    )


@pytest.mark.parametrize("heading", ["Question-and-Answer Session", "Q&A", "- Questions"])
def test_a_generic_qa_section_has_a_chapter_per_question(heading: str) -> None:
    script = plan_of(_qa_transcript(heading))
    assert [c.title for c in script.chapters] == [
        "Introduction",
        "Opening Remarks",
        "Questions and answers — Question 1: NHK, on North Korea",
        "Question 2: Did you discuss meeting in person…",
        "Question 3: I believe you spoke with Secretary Blinken…",
    ]
    # The first question's chapter starts with the section's announcement, which is still
    # said as written; the others start at the reporter's first words.
    first = script.utterances[script.chapters[2].first]
    assert (first.speaker, first.caption) == ("narrator", _heading_caption(heading))
    assert script.utterances[script.chapters[2].first + 1].speaker == "reporter"
    for chapter in script.chapters[3:]:
        assert script.utterances[chapter.first].speaker == "reporter"
        assert script.utterances[chapter.first - 1].speaker == "kamikawa"


def _heading_caption(heading: str) -> str:
    return heading.lstrip("- ")


def test_a_qa_section_that_opens_with_other_speech_keeps_its_own_chapter() -> None:
    welcome = turn("kamikawa", "I will now take your questions. Please keep them short.", "Q&A")
    titles = [c.title for c in plan_of(_qa_transcript("Q&A", welcome)).chapters]
    assert titles[2:4] == ["Questions and answers", "Question 1: NHK, on North Korea"]
    assert len(titles) == 6


def test_a_qa_heading_joined_to_a_topic_is_topical() -> None:
    # The parser joins "Q&As" and the sub-heading under it: the topic names the chapter.
    heading = "Q&As - The issue of the abductions"
    script = plan_of(_qa_transcript(heading))
    assert [c.title for c in script.chapters] == [
        "Introduction",
        "Opening Remarks",
        "Questions and answers - The issue of the abductions",
    ]
    assert script.utterances[script.chapters[2].first].caption == heading


LONG_ANSWER = " ".join([ANSWER] * 8)  # 216 words: at 175 words a minute, about 74 s


def _long_topical(*, asker_of_follow_up: str = "NHK, Igarashi") -> Transcript:
    topic = "Situation in North Korea"
    turns = (
        turn("kamikawa", OPENING, "Opening Remarks"),
        turn("reporter", QUESTION, topic, label="NHK, Igarashi"),
        turn("kamikawa", ANSWER, topic),  # a short answer (27 words)...
        turn("reporter", "Was the abductions issue also raised during the meeting?", topic,
             label=asker_of_follow_up),  # ...then the same reporter follows up
        turn("kamikawa", LONG_ANSWER, topic),
        turn("reporter", "Could you tell us how Japan will respond to the missile launch?",
             topic, label="Kyodo, Sato"),
        turn("kamikawa", LONG_ANSWER, topic),
        turn("reporter", "Will you raise this issue at the UN High-level Week?", topic,
             label="Asahi, Ito"),
        turn("kamikawa", LONG_ANSWER, topic),
    )  # fmt: skip
    return transcript(turns, ("Opening Remarks", topic))


def test_a_long_topical_section_gets_a_sub_chapter_per_distinct_question() -> None:
    script = plan_of(_long_topical())
    assert [c.title for c in script.chapters] == [
        "Introduction",
        "Opening Remarks",
        "Situation in North Korea",
        "Situation in North Korea — Question 2",
        "Situation in North Korea — Question 3",
    ]
    asked = [script.utterances[c.first].caption for c in script.chapters[3:]]
    assert asked == [
        "Could you tell us how Japan will respond to the missile launch?",
        "Will you raise this issue at the UN High-level Week?",
    ]


def test_another_reporter_after_a_short_answer_asks_a_distinct_question() -> None:
    titles = [c.title for c in plan_of(_long_topical(asker_of_follow_up="Jiji, Mori")).chapters]
    assert titles[3:] == [
        "Situation in North Korea — Question 2",
        "Situation in North Korea — Question 3",
        "Situation in North Korea — Question 4",
    ]


def test_long_is_measured_at_the_voices_rates() -> None:
    # The same words at 400 words a minute take under three minutes: one chapter.
    fast = casting(minister=replace(MINISTER, rate=400), reporter=replace(REPORTER, rate=400))
    titles = [c.title for c in plan_of(_long_topical(), fast).chapters]
    assert titles == ["Introduction", "Opening Remarks", "Situation in North Korea"]


def test_chapter_titles_are_short_and_differ_from_their_neighbours() -> None:
    long_heading = (
        "(1) Secretary of State Pompeo’s Announcement Regarding the Intermediate-Range Nuclear "
        "Forces Treaty (INF Treaty)"
    )
    t = transcript(
        (
            turn("kamikawa", OPENING, "Introduction"),
            *(replace(u, section=long_heading) for u in _long_topical().turns[1:]),
        ),
        ("Introduction", long_heading),
    )
    titles = [c.title for c in plan_of(t).chapters]
    assert titles == [
        "Introduction",
        "Introduction, part 2",
        "(1) Secretary of State Pompeo’s Announcement Regarding the Intermediate-Range…",
        "(1) Secretary of State Pompeo’s Announcement… — Question 2",
        "(1) Secretary of State Pompeo’s Announcement… — Question 3",
    ]
    assert all(0 < len(title) <= 80 for title in titles)


def test_headings_without_turns_of_their_own_share_a_chapter() -> None:
    t = transcript(
        (
            turn("kamikawa", "That is all from me.", "Dissemination of Japanese Culture"),
            turn("reporter", "NHK asks: " + QUESTION, "Situation in North Korea"),
            turn("kamikawa", ANSWER, "Situation in North Korea"),
        ),
        ("Opening Remarks", "Dissemination of Japanese Culture", "Situation in North Korea"),
    )
    script = plan_of(t)
    titles = [c.title for c in script.chapters]
    assert titles == [
        "Introduction",
        "Opening Remarks: Dissemination of Japanese Culture",
        "Situation in North Korea",
    ]
    first = script.chapters[1].first
    assert [u.caption for u in script.utterances[first : first + 2]] == [
        "Opening Remarks",
        "Dissemination of Japanese Culture",
    ]


UNHEADED = transcript(
    (
        turn("kamikawa", OPENING),
        turn("reporter", "I have a question related to North Korea. " + QUESTION,
             label="NHK, Igarashi"),
        turn("kamikawa", ANSWER),
        turn("reporter", "Did you discuss meeting in person on the occasion of the UN High-level "
             "Week next week?", label="Reporter"),
        turn("kamikawa", "Sure."),  # a brief interjection: the reporter goes on
        turn("reporter", "And in New York?", label="Reporter"),
        turn("kamikawa", ANSWER),
        turn("reporter", "Thanks, Minister. It is being reported that during her visit to Asia, "
             "Speaker Pelosi will visit Taiwan tonight?", label="Asahi Shimbun, Nohira"),
        turn("kamikawa", ANSWER),
    ),
    held_at=None,
    location=None,
)  # fmt: skip


def test_without_headings_chapters_are_opening_remarks_and_questions() -> None:
    script = plan_of(UNHEADED)
    assert [c.title for c in script.chapters] == [
        "Introduction",
        "Opening Remarks",
        "Question 1: NHK, on North Korea",
        "Question 2: Did you discuss meeting in person…",
        "Question 3: Asahi Shimbun — It is being reported that during her visit…",
    ]
    # Every question chapter starts at the reporter's first words, never mid-answer.
    for chapter in script.chapters[2:]:
        u = script.utterances[chapter.first]
        assert u.speaker == "reporter"
        assert script.utterances[chapter.first - 1].speaker != "reporter"
    assert script.utterances[script.chapters[1].first].speaker == "kamikawa"
    firsts = [c.first for c in script.chapters]
    assert firsts == sorted(set(firsts))


def test_question_titles_name_the_outlet_and_skip_courtesies() -> None:
    t = transcript(
        (
            turn("kamikawa", OPENING),
            turn("reporter", "Thank you. Shimizu of NHK. I ask the question to both of you "
                 "about the visit to Taiwan by Speaker Pelosi.", label="Q"),
            turn("kamikawa", ANSWER),
            turn("reporter", "Thanks, Yoko. Yoko, what comes next for the alliance?", label="Q"),
            turn("kamikawa", ANSWER),
            turn("reporter", "Okay. And then, secondly, on the Black Sea grain deal: assuming "
                 "it lapses, what then?", label="Q"),
            turn("kamikawa", ANSWER),
        ),
        held_at=None,
        location=None,
    )  # fmt: skip
    assert [c.title for c in plan_of(t).chapters[2:]] == [
        "Question 1: NHK, on the visit to Taiwan by Speaker Pelosi",
        "Question 2: What comes next for the alliance?",
        "Question 3: Secondly, on the Black Sea grain deal: assuming…",
    ]


def test_a_transcript_that_opens_with_a_question_has_no_opening_chapter() -> None:
    t = transcript(UNHEADED.turns[1:], held_at=None, location=None)
    titles = [c.title for c in plan_of(t).chapters]
    assert titles[:2] == ["Introduction", "Question 1: NHK, on North Korea"]


# --- the script as a whole ----------------------------------------------------------------


def test_casting_lists_who_speaks_in_which_voice() -> None:
    quiet = Speaker("motegi", "Minister Motegi", "minister")
    t = transcript(HEADED.turns, HEADED.sections, speakers=(*SPEAKERS, quiet))
    c = Casting(
        narrator=NARRATOR,
        speakers=(("kamikawa", MINISTER), ("reporter", REPORTER), ("motegi", MINISTER)),
    )
    script = plan(t, c, LEXICON)
    def said(p: VoiceProfile) -> str:
        return f"{p.name} ({p.engine} {p.voice}, pitch {p.pitch})"

    assert script.casting == (
        ("Narrator", said(NARRATOR)),
        ("Minister Kamikawa", said(MINISTER)),
        ("Reporter", said(REPORTER)),
    )
    assert script.title == "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko"


def test_a_transcripts_own_narrator_is_listed_once() -> None:
    """A label such as 'NARRATOR:' is cast as the narrator, who already opens the list."""
    own = Speaker("narrator", "Narrator", "narrator")
    t = transcript(
        (turn("narrator", "The minister arrives."), *HEADED.turns), HEADED.sections,
        speakers=(*SPEAKERS, own),
    )
    c = Casting(
        narrator=NARRATOR,
        speakers=(("kamikawa", MINISTER), ("reporter", REPORTER), ("narrator", NARRATOR)),
    )
    names = [name for name, _ in plan(t, c, LEXICON).casting]
    assert names == ["Narrator", "Minister Kamikawa", "Reporter"]


def test_planning_is_deterministic() -> None:
    assert plan_of(UNHEADED) == plan_of(UNHEADED)


def test_no_utterance_is_empty() -> None:
    t = transcript((turn("kamikawa", "— * — Thank you. — "), turn("reporter", QUESTION)))
    for u in plan_of(t).utterances:
        assert any(ch.isalnum() for ch in u.text)
        assert u.caption.strip()


def test_question_title_keeps_an_abbreviation_at_its_end() -> None:
    from pressaudio.speech.script import _first_words

    assert _first_words("I'll ask about Russia. Now that the U.S. has said more", 8) == (
        "I'll ask about Russia. Now that the U.S.…"
    )
    assert _first_words("Will you travel to New York for it? And when", 8) == (
        "Will you travel to New York for it?"
    )
