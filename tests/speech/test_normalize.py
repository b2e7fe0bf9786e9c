"""Text normalisation: what a human reader would say, table-tested on real transcript text."""

from __future__ import annotations

import re

import pytest

from pressaudio.speech.lexicon import Lexicon, default_lexicon
from pressaudio.speech.normalize import (
    clean_text,
    normalize,
    say_cardinal,
    say_year,
    split_stage_directions,
    stage_direction_words,
)

LEXICON = default_lexicon()

# (written, said). Inputs are taken from the transcripts in /work/shared/transcripts.
CASES: list[tuple[str, str]] = [
    # surnames written in capitals are read as names, not spelled
    (
        "Ms. KAMIKAWA Yoko, Minister for Foreign Affairs",
        "Miz Kamikawa Yoko, Minister for Foreign Affairs",
    ),
    (
        "Mr. HAYASHI Yoshimasa, Minister for Foreign Affairs",
        "Mister Hayashi Yoshimasa, Minister for Foreign Affairs",
    ),
    (
        "Director-General FUNAKOSHI of the Asian and Oceanian Affairs Bureau",
        "Director-General Funakoshi of the Asian and Oceanian Affairs Bureau",
    ),
    ("MR. KIRBY: Good afternoon.", "Mister Kirby: Good afternoon."),
    ("MS. JEAN-PIERRE: Good afternoon.", "Miz Jean-Pierre: Good afternoon."),
    ("MR PRICE: Good afternoon.", "Mister Price: Good afternoon."),
    ("Minister MOTEGI: Yes.", "Minister Motegi: Yes."),
    ("Asahi Shimbun, SATO: You will leave", "Asahi Shimbun, Sato: You will leave"),
    ("CHIEF CABINET SECRETARY SUGA: First of all", "Chief Cabinet Secretary Suga: First of all"),
    ("SENIOR ADMINISTRATION OFFICIAL: Sure.", "Senior Administration Official: Sure."),
    ("THE PRESIDENT: Thank you.", "the President: Thank you."),
    ("Kelly O’Donnell", "Kelly O'Donnell"),
    # acronyms said letter by letter
    ("the Japan-U.S. Alliance", "the Japan U-S Alliance"),
    ("a U.S. military aircraft", "a U-S military aircraft"),
    ("the U.S.’s position", "the U-S's position"),
    ("about the U.S. It is", "about the U-S. It is"),
    ("the UN High-level Week", "the U-N High-level Week"),
    ("NHK, Igarashi: I have a question", "N-H-K, Igarashi: I have a question"),
    ("the launching of ICBMs.", "the launching of I-C-B-M's."),
    ("the relevant UNSC resolutions", "the relevant U-N-S-C resolutions"),
    ("the Japan-U.S.-ROK talks", "the Japan U-S R-O-K talks"),
    ("EU President von der Leyen", "E-U President von der Leyen"),
    ("the AI rules", "the A-I rules"),
    ("DOGE and OMB have actually found", "Doge and O-M-B have actually found"),
    ("Did you discuss AIIB?", "Did you discuss A-I-I-B?"),
    ("the NSC’s view", "the N-S-C's view"),
    ("the DPRK Sung Kim", "the D-P-R-K Sung Kim"),
    ("the WHCA and the White House", "the W-H-C-A and the White House"),
    # acronyms said as words, or with their own pronunciation from the lexicon
    (
        "the ASEAN-related Foreign Ministers’ Meetings",
        "the Ahseeahn-related Foreign Ministers' Meetings",
    ),
    ("NATO Headquarters", "Nato Headquarters"),
    ("AUKUS Pillar II", "Aukus Pillar Two"),
    ("lifted the COVID capacity limits", "lifted the Covid capacity limits"),
    ("ICE agents are feeling", "Ice agents are feeling"),
    ("Indo-Pacific (FOIP).”", "Indo-Pacific, Foyp."),
    ("that LIHEAP is not one of", "that Lie-heap is not one of"),
    ("Nathan with KAN.", "Nathan with Kan."),
    # letters with numbers
    ("the G7 Presidency", "the G seven Presidency"),
    ("discussions at the G20.", "discussions at the G twenty."),
    ("COVID-19 was", "Covid nineteen was"),
    ("beyond 5G", "beyond five G"),
    ("F-16s and F-35s", "F sixteens and F thirty-fives"),
    ("an F-150.", "an F one fifty."),
    ("summit diplomacy at PALM 10.", "summit diplomacy at Palm ten."),
    ("ISIS-K", "Isis-K"),
    ("the end of World War II", "the end of World War Two"),
    # arithmetic and numbers
    ("the Japan-U.S. “2+2” in January", "the Japan U-S two plus two in January"),
    ("at the age of 68.", "at the age of sixty-eight."),
    ("over 100 leaders", "over one hundred leaders"),
    ("more than 300 executive actions", "more than three hundred executive actions"),
    (
        "ICE arrested 1,179 undocumented immigrants",
        "Ice arrested one thousand one hundred and seventy-nine undocumented immigrants",
    ),
    ("Of the 3,500 arrests", "Of the three thousand five hundred arrests"),
    ("1.5 degrees", "one point five degrees"),
    ("the 1990s", "the nineteen nineties"),
    ("the 1960s,", "the nineteen sixties"),
    ("a 60-minute meeting", "a sixty-minute meeting"),
    # money and percentages
    (
        "Toyota announced an $8 billion investment",
        "Toyota announced an eight billion dollar investment",
    ),
    (
        "an additional $475 billion over the next 10 years.",
        "an additional four hundred and seventy-five billion dollars over the next ten years.",
    ),
    ("nearly $1 trillion in", "nearly one trillion dollars in"),
    ("taxed $55,000 in regulations", "taxed fifty-five thousand dollars in regulations"),
    ("$37 million", "thirty-seven million dollars"),
    ("$1 and $2.50", "one dollar and two dollars and fifty cents"),
    ("up 5% from 2.5 percent", "up five percent from two point five percent"),
    # years, dates and ordinals
    ("in 2023", "in twenty twenty-three"),
    ("established in January 2019", "established in January twenty nineteen"),
    ("Thursday, September 14, 2023", "Thursday, September fourteenth, twenty twenty-three"),
    ("will visit Japan from December 1-7.", "will visit Japan from December first to seventh."),
    ("On January 23rd, ICE New York", "On January twenty-third, Ice New York"),
    ("on February 2nd of 2021", "on February second of twenty twenty-one"),
    (
        "at NATO Headquarters on December 4 (local time).",
        "at Nato Headquarters on December fourth, local time.",
    ),
    ("on 14 September 2023", "on the fourteenth of September twenty twenty-three"),
    ("2023-10-27", "October twenty-seventh, twenty twenty-three"),
    ("the 70th anniversary", "the seventieth anniversary"),
    (
        "the 21st century and the 22nd Meeting",
        "the twenty-first century and the twenty-second Meeting",
    ),
    ("the 10th Pacific Islands Leaders Meeting", "the tenth Pacific Islands Leaders Meeting"),
    # times
    ("9:31 p.m.", "nine thirty-one P-M."),
    ("3:08 P.M. EDT", "three oh eight P-M E-D-T"),
    ("at 8:00 p.m. on Friday", "at eight P-M on Friday"),
    ("commenced at around 9:30 am today.", "commenced at around nine thirty A-M today."),
    ("has been held since 3 pm.", "has been held since three P-M."),
    ("ended at around 11:45 am.", "ended at around eleven forty-five A-M."),
    ("2023-10-27 19:41", "October twenty-seventh, twenty twenty-three nineteen forty-one"),
    # titles and abbreviations
    ("H.E. Mr. Vincent Meriton", "His Excellency Mister Vincent Meriton"),
    ("Gen. Milley and Dr. Biden", "General Milley and Doctor Biden"),
    ("WITH THE HON. PETER O’NEILL CMG MP", "with the Honorable Peter O'Neill C-M-G M-P"),
    ("the Hon. Julie Bishop and GEN. Milley", "the Honorable Julie Bishop and General Milley"),
    ("our No. 1 priority", "our number one priority"),
    ("e.g. tea, i.e. culture, etc.", "for example, tea, that is, culture, et cetera."),
    ("the James S. Brady Press Briefing Room", "the James S Brady Press Briefing Room"),
    ("Law LLC, v. the Customs", "Law L-L-C, versus the Customs"),
    # quotes, dashes and ellipses
    (
        "Quote, “Leaving our military in limbo is never the right thing to do.” End quote.",
        "Quote, Leaving our military in limbo is never the right thing to do. End quote.",
    ),
    ("What — nobody likes my outfit?", "What, nobody likes my outfit?"),
    (
        "Opening Remarks - Enhancing the Relationships",
        "Opening Remarks, Enhancing the Relationships",
    ),
    ("the def- — and that", "the, and that"),
    ("COVID-19 was ethni- –ethnically targeted", "Covid nineteen was, ethnically targeted"),
    ("Well... I think…", "Well, I think."),
    ("Japan’s diplomacy and ministers’ meetings", "Japan's diplomacy and ministers' meetings"),
    # markdown escapes, brackets and struck-out text
    ("as elected official\\[s\\] is to make sure", "as elected officials is to make sure"),
    ("that “\\[t\\]here’s no chance", "that there's no chance"),
    ("We agree with <s>Majorie</s> \\[Marjorie\\] Taylor", "We agree with Marjorie Taylor"),
    (
        "the Congresswoman, Majorie \\[sic\\] Taylor Greene,",
        "the Congresswoman, Majorie Taylor Greene",
    ),
    ("White\\_House National Security", "White House National Security"),
    ("a letter (in part) from the UN", "a letter, in part, from the U-N"),
    # symbols and addresses
    ("the J&J vaccine", "the J and J vaccine"),
    ("research & development", "research and development"),
    ("in the Aqaba/Sharm format", "in the Aqaba Sharm format"),
    ("the LGBTQ+ community", "the L-G-B-T-Q plus community"),
    ("our website, WhiteHouse.gov/NewMedia.", "our website, White House dot gov slash New Media."),
    (
        "see https://www.whitehouse.gov/briefings-statements/2025/01/ today",
        "see whitehouse dot gov today",
    ),
    ("24/7 and 3/4", "twenty-four seven and three quarters"),
    ("#1 priority *really*", "number one priority really"),
    ("Q&As", "Q and A's"),
    # names an English voice gets wrong (lexicon aliases)
    ("former Premier Li Keqiang", "former Premier Lee Kuhchyang"),
    ("Xinhua News Agency", "Shinhwah News Agency"),
    ("Prime Minister ABE Shinzo", "Prime Minister Ahbeh Shinzo"),
]


# Fixes seen in the recogniser's hearing of real transcripts (issue 9).
HEARD_CASES = [
    # a bracketed acronym that only repeats the words before it is skipped, plurals too
    ("The United Nations (UN) High-level Week", "The United Nations High-level Week"),
    ("the Department of Defense (DoD) said", "the Department of Defense said"),
    ("non-governmental organizations (NGOs) and", "non-governmental organizations and"),
    ("the Japan Coast Guard (JCG).", "the Japan Coast Guard."),
    ("Official Development Assistance (ODA) funds", "Official Development Assistance funds"),
    (
        "Secretary for Commerce, Industry and Technology (SCIT), Mr Joseph Wong",
        "Secretary for Commerce, Industry and Technology, Mister Joseph Wong",
    ),
    ("the Quad (QUAD) partners", "the Quad, Quad, partners"),  # not the words before: read
    ("we met (UN) today", "we met, U-N, today"),
    # a title acronym before a name (or after "the") is said as the title
    ("PM Kishida said", "Prime Minister Kishida said"),
    ("PM KISHIDA said", "Prime Minister Kishida said"),
    ("I met the PM yesterday.", "I met the Prime Minister yesterday."),
    ("As PM, I will", "As Prime Minister, I will"),
    ("FM Wang Yi", "Foreign Minister Wang Yi"),
    ("DPM Wong", "Deputy Prime Minister Wong"),
    ("SG Guterres", "Secretary-General Gooterresh"),  # and the lexicon says the name
    ("CCS Suga said", "Chief Cabinet Secretary Suga said"),
    ("the CE, Mr John Lee", "the Chief Executive, Mister John Lee"),
    ("the UK PM Starmer", "the U-K Prime Minister Starmer"),
    ("at 3 PM", "at three P-M"),  # a time, not a title
    # a day glued to a word by a typo, and a second day after "and", are ordinals
    ("on July 22and 23", "on July twenty-second and twenty-third"),
    ("on July 22 and 23, 2024", "on July twenty-second and twenty-third, twenty twenty-four"),
    ("on 22 and 23 July", "on the twenty-second and twenty-third of July"),
    ("on 22-23 July 2024", "on the twenty-second to twenty-third of July twenty twenty-four"),
    ("by July 22 and 30 percent", "by July twenty-second and thirty percent"),
    # fiscal years
    ("the FY 2024 budget", "the fiscal year twenty twenty-four budget"),
    ("in FY2025", "in fiscal year twenty twenty-five"),
    ("in FY24", "in fiscal year twenty-four"),
    ("this FY", "this fiscal year"),
]


@pytest.mark.parametrize(("written", "said"), HEARD_CASES, ids=[w[:40] for w, _ in HEARD_CASES])
def test_normalize_as_a_listener_hears(written: str, said: str) -> None:
    assert normalize(written, LEXICON) == said


@pytest.mark.parametrize(("written", "said"), CASES, ids=[w[:40] for w, _ in CASES])
def test_normalize(written: str, said: str) -> None:
    assert normalize(written, LEXICON) == said


def test_no_symbols_reach_the_engine() -> None:
    """Whatever the input, the engine never gets characters it would read out by name."""
    text = (
        "“Quote” — ‘single’ – dash… \\[escaped\\] \\_ [brackets] {braces} (parens) & % $5 # * "
        "/ | < > ~ ^ ` = @ § 50° https://example.com/a?b=c <b>bold</b>"
    )
    said = normalize(text, LEXICON)
    assert not re.search(r"[“”‘’\"\[\]{}()&%$#*/|<>~^`=@§°\\_—–…]", said), said
    assert "\ue000" not in said and "\ue002" not in said


def test_clean_text_keeps_the_wording() -> None:
    raw = "as elected official\\[s\\]  is\n to <s>Majorie</s> \\[Marjorie\\] John\\_Kirby\u00a0ok"
    assert clean_text(raw) == "as elected official[s] is to [Marjorie] John Kirby ok"


def test_number_words() -> None:
    assert say_cardinal("1,179") == "one thousand one hundred and seventy-nine"
    assert say_cardinal("0.25") == "zero point two five"
    assert say_year(2023) == "twenty twenty-three"
    assert say_year(2005) == "two thousand five"
    assert say_year(1905) == "nineteen oh-five"


def test_an_empty_lexicon_still_reads_capitals_sensibly() -> None:
    empty = Lexicon()
    assert normalize("Minister KAMIKAWA met the NSC", empty) == "Minister Kamikawa met the N-S-C"
    assert normalize("NATO", empty) == "Nato"  # pronounceable, so read as a word


STAGE_CASES: list[tuple[str, list[tuple[str, bool]]]] = [
    (
        "What — nobody likes my outfit?  (Laughter.)  ",
        [("What — nobody likes my outfit?  ", False), ("(Laughter.)", True), ("  ", False)],
    ),
    (
        "(As interpreted.) Thank you.",
        [("(As interpreted.)", True), (" Thank you.", False)],
    ),
    (
        "I think (inaudible) that is right (Cross-talk.)",
        [
            ("I think ", False),
            ("(inaudible)", True),
            (" that is right ", False),
            ("(Cross-talk.)", True),
        ],
    ),
    ("(Applause.)", [("(Applause.)", True)]),
    (
        "Q \\[Inaudible\\] on this?",
        [("Q ", False), ("\\[Inaudible\\]", True), (" on this?", False)],
    ),
    # asides that are speech, not stage directions
    (
        "the United Nations (UN) High-level Week",
        [("the United Nations (UN) High-level Week", False)],
    ),
    ("on December 4 (local time).", [("on December 4 (local time).", False)]),
    ("Majorie \\[sic\\] Taylor", [("Majorie \\[sic\\] Taylor", False)]),
    ("(1) Secretary of State Pompeo", [("(1) Secretary of State Pompeo", False)]),
]


@pytest.mark.parametrize(("text", "segments"), STAGE_CASES, ids=[t[:30] for t, _ in STAGE_CASES])
def test_split_stage_directions(text: str, segments: list[tuple[str, bool]]) -> None:
    found = split_stage_directions(text)
    assert found == segments
    assert "".join(seg for seg, _ in found) == text


def test_stage_direction_words() -> None:
    assert stage_direction_words("(Laughter.)") == "Laughter."
    assert stage_direction_words("(inaudible)") == "Inaudible."
    assert stage_direction_words("\\[Cross-talk\\]") == "Cross-talk."
