"""Planning an episode's script: what is spoken, by whom, with which pauses and chapters.

`plan()` turns a Transcript into a Script: a spoken introduction in the narrator's voice
(the title, then the day, time and place as a listener would hear them), then every turn
in its speaker's voice, with the narrator announcing each section heading. Chapters: the
introduction, each section (one per question in a generic Q&A section; sub-chapters in a long
topical section), or, without headings, the opening remarks and each question. Turns are cut
into short utterances — each one becomes exactly one caption cue — at sentence ends first,
then at commas, semicolons and dashes, then between words.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from pressaudio.english import split_sentences, wordset
from pressaudio.model import (
    Casting,
    Chapter,
    Script,
    Transcript,
    Turn,
    Utterance,
    VoiceProfile,
)
from pressaudio.speech.lexicon import Lexicon
from pressaudio.speech.names import name_lexicon
from pressaudio.speech.normalize import (
    clean_text,
    normalize,
    split_stage_directions,
    stage_direction_words,
)

__all__ = [
    "CAPTION_LINE_CHARS",
    "CAPTION_MAX_CHARS",
    "MID_SENTENCE_PAUSE_MS",
    "caption_lines",
    "intro_captions",
    "is_qa_heading",
    "plan",
    "split_captions",
    "split_sentences",
]

CAPTION_MAX_CHARS = 110  # one utterance's caption, at most
CAPTION_LINE_CHARS = 65  # a caption is shown in at most two lines of this width
CAPTION_MAX_LINES = 2
MID_SENTENCE_PAUSE_MS = 120  # after an utterance that ends inside a sentence
INTRO_CHAPTER = "Introduction"
OPENING_CHAPTER = "Opening Remarks"
NARRATOR = "narrator"
NARRATOR_NAME = "Narrator"


QUESTION_TITLE_WORDS = 8

Boundary = Literal["sentence", "clause", "word"]


# --- captions -----------------------------------------------------------------------------


def caption_lines(caption: str, width: int = CAPTION_LINE_CHARS) -> tuple[str, ...]:
    """How a caption wraps on screen: lines of at most `width` characters."""
    return tuple(textwrap.wrap(caption, width, break_long_words=True, break_on_hyphens=False))


def _fits(caption: str) -> bool:
    """Is `caption` short enough, and can it wrap into two lines? (Fast: it is called a lot.)"""
    n = len(caption)
    if n > CAPTION_MAX_CHARS:
        return False
    if n <= CAPTION_LINE_CHARS:
        return True
    # Greedy wrapping, as caption_lines() does for single-spaced text.
    cut = caption.rfind(" ", 0, CAPTION_LINE_CHARS + 1)
    return cut > 0 and n - cut - 1 <= CAPTION_LINE_CHARS * (CAPTION_MAX_LINES - 1)


# split_sentences (re-exported here) is the one sentence-end detector, in pressaudio.english


def split_captions(text: str) -> list[tuple[str, Boundary]]:
    """Cut cleaned text into captions that fit, each with what ends it.

    Whole sentences are packed together while they fit; a sentence too long for one
    caption is cut at commas, semicolons, colons and dashes, else between words. Joining
    the captions with single spaces gives back `text` (whitespace-normalised).
    """
    text = " ".join(text.split())
    pieces: list[tuple[str, Boundary]] = []
    last_whole = False  # is the last piece whole sentences (so another may join it)?
    for sentence in split_sentences(text):
        parts = _split_sentence(sentence)
        if len(parts) == 1 and last_whole and _fits(pieces[-1][0] + " " + sentence):
            pieces[-1] = (pieces[-1][0] + " " + sentence, "sentence")
            continue
        pieces.extend(parts)
        last_whole = len(parts) == 1
    return pieces


_BREAK_BEFORE = wordset(
    """
    and but or nor so yet to that which who whom whose where when while because if although
    though as with without for from in on at by about after before during including such into
    through between than regarding under over against since until unless whether
    """
)
_NO_BREAK_AFTER = wordset(
    """
    the a an of to and or my our your his her its their this that these those very no not
    mr. ms. mrs. dr. mister miz
    """
)
PIECE_COST = 10  # every extra caption costs this much: prefer fewer, fuller captions
SHORT_PIECE_CHARS = 15
SHORT_PIECE_COST = 30


def _cut_cost(sentence: str, a: int, b: int) -> tuple[int, Boundary]:
    """The cost of ending a caption at `a` and starting the next at `b` inside a sentence."""
    left = sentence[max(0, sentence.rfind(" ", 0, a) + 1 - 2) : a]  # the last word (and a bit)
    nxt = sentence.find(" ", b)
    right = sentence[b : nxt if nxt >= 0 else len(sentence)]
    if left.endswith((";", ":", "—", "–")) or left.endswith(" -") or right.startswith("—"):
        return 0, "clause"
    if left.endswith(","):
        return 2, "clause"
    if right.startswith(("(", "–")):
        return 4, "clause"
    w1 = left.rsplit(" ", 1)[-1]
    w2 = right.split(" ", 1)[0]
    cost = 10 if w2.lower() in _BREAK_BEFORE else 20
    if w1.lower() in _NO_BREAK_AFTER:
        cost += 20
    if w1[:1].isupper() and w2[:1].isupper():
        cost += 25  # inside a name: "Secretary | Blinken"
    if any(ch.isdigit() for ch in w1 + w2):
        cost += 15
    return cost, "word"


def _split_sentence(sentence: str) -> list[tuple[str, Boundary]]:
    """Cut one sentence into captions that fit, at the cheapest places (dynamic programming)."""
    if _fits(sentence):
        return [(sentence, "sentence")]
    gaps = [(m.start(), m.end()) for m in re.finditer(r"\s+", sentence)]
    # Cut points: (end of the caption before, start of the caption after, cost, boundary).
    cuts: list[tuple[int, int, int, Boundary]] = [(0, 0, 0, "sentence")]
    for a, b in gaps:
        cost, kind = _cut_cost(sentence, a, b)
        cuts.append((a, b, cost, kind))
    cuts.append((len(sentence), len(sentence), 0, "sentence"))
    inf = 10**9
    best: list[int] = [0] + [inf] * (len(cuts) - 1)
    back: list[int] = [0] * len(cuts)
    for i in range(1, len(cuts)):
        end, _, cut_cost, _ = cuts[i]
        for j in range(i - 1, -1, -1):
            begin = cuts[j][1]
            piece = sentence[begin:end]
            if len(piece) > CAPTION_MAX_CHARS:
                break
            if best[j] >= inf or not _fits(piece):
                continue
            cost = best[j] + cut_cost + PIECE_COST
            if len(piece) < SHORT_PIECE_CHARS:
                cost += SHORT_PIECE_COST
            if cost < best[i]:
                best[i], back[i] = cost, j
    if best[-1] >= inf:  # a word longer than a caption: cut it by force
        head = sentence[:CAPTION_MAX_CHARS]
        return [(head, "word"), *_split_sentence(sentence[CAPTION_MAX_CHARS:])]
    out: list[tuple[str, Boundary]] = []
    i = len(cuts) - 1
    while i > 0:
        j = back[i]
        out.append((sentence[cuts[j][1] : cuts[i][0]], cuts[i][3]))
        i = j
    return out[::-1]


# --- the introduction ---------------------------------------------------------------------

_INSTITUTION = re.compile(
    r"\b(?:Ministry|Office|Room|Hall|House|Building|Cent(?:er|re)|Department|Embassy|Palace"
    r"|Residence|Headquarters|Secretariat|Kantei|Pentagon|Mansion|Chamber|Auditorium|Club"
    r"|Garden|Lawn|Terrace|Wing|Lounge|Hotel|Airport|Base|Station|Library|Museum|Hospital)\b"
)


def _say_place(location: str) -> str:
    place = clean_text(location).rstrip(".")
    first = place.split(" ", 1)[0]
    if first.lower() in ("at", "in", "on", "aboard", "from", "via", "near", "outside", "inside"):
        return place
    if first in ("The", "the"):
        return "at " + place
    if _INSTITUTION.search(place):
        return "at the " + place
    return "in " + place


def _clock(moment: datetime) -> str:
    if moment.hour == 12 and moment.minute == 0:
        return "noon"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    half = "a.m." if moment.hour < 12 else "p.m."
    return f"{hour}:{moment.minute:02d} {half}" if moment.minute else f"{hour} {half}"


def intro_captions(transcript: Transcript) -> list[str]:
    """What the narrator's introduction says, as written: the title, then day, time, place.
    The day is written as it is said ("Friday, the 21st of March 2014"): these are
    pressaudio's own words, so the caption follows the voice word for word."""
    title = _title(transcript)
    lines = [title]
    when: list[str] = []
    held = transcript.held_at
    if held is not None:
        day = held.date() if isinstance(held, datetime) else held
        if not _names_day(title, day):  # else the listener has just heard it
            month = day.strftime("%B")
            when.append(f"{day.strftime('%A')}, the {_ordinal(day.day)} of {month} {day.year}")
        if isinstance(held, datetime):
            when.append("at " + _clock(held))
    if transcript.location:
        when.append(_say_place(transcript.location))
    if when:
        line = ", ".join(when)
        line += "" if line.endswith(".") else "."  # "... at 10 a.m." ends the sentence
        lines.append(line[:1].upper() + line[1:])
    return lines


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _names_day(title: str, day: date) -> bool:
    """Does the title already say the day ("... - March 13, 2023", "7/29/25", "2023-03-13")?"""
    month = day.strftime("%B")
    months = f"(?:{month}|{month[:3]}\\.?)"
    n = str(day.day)
    forms = (
        rf"\b{months}\s+0?{n}(?:st|nd|rd|th)?\b",
        rf"\b0?{n}(?:st|nd|rd|th)?\s+(?:of\s+)?{months}",
        rf"\b0?{day.month}[/.]0?{n}[/.](?:{day.year}|{day.year % 100:02d})\b",
        rf"\b0?{n}[/.]0?{day.month}[/.](?:{day.year}|{day.year % 100:02d})\b",
        rf"\b{day.isoformat()}\b",
    )
    return any(re.search(f, title, re.IGNORECASE) for f in forms)


def _title(transcript: Transcript) -> str:
    """The title as written; without one, a title made from who speaks (never a file name,
    which a listener would hear as "24 state-briefing-March ninth")."""
    if transcript.title and clean_text(transcript.title):
        return clean_text(transcript.title)
    officials = [s.name for s in transcript.speakers if s.role == "minister"]
    if len(officials) == 1:
        return f"Press conference with {officials[0]}"
    if len(officials) >= 2:
        return f"Press conference with {officials[0]} and {officials[1]}"
    return "Press conference"


# --- chapters -----------------------------------------------------------------------------

_GENERIC_LABELS = wordset(
    "q question questioner reporter reporters journalist participant audience press"
)
_MEDIA = re.compile(
    r"\b(?:Shimbun|News|TV|Television|Times|Post|Press|Agency|Radio|Broadcast\w*|Journal"
    r"|Tribune|Herald|Daily|Network|Kyodo|Jiji|Reuters|Bloomberg|Xinhua|Yonhap|Nikkei|Asahi"
    r"|Yomiuri|Mainichi|Sankei|Fuji|Channel|Media|Wire|Magazine|Gazette|Economist|Sputnik"
    r"|TASS|Al Jazeera|Phoenix|Politico|Axios|Newsweek|Guardian|Telegraph|Le Monde)\b"
)


def _outlet(label: str) -> str | None:
    """The news outlet a reporter's label names ("NHK, Igarashi" -> "NHK"), if any."""
    parts = [clean_text(p).strip(" :") for p in re.split(r"[,(/)]", label)]
    parts = [p for p in parts if p]
    for part in parts:
        if _MEDIA.search(part):
            return part
    for part in parts:
        bare = part.replace(".", "").replace("&", "")
        if 2 <= len(bare) <= 6 and bare.isupper() and part.lower() not in _GENERIC_LABELS:
            return part
    return None


_TOPIC = (
    re.compile(
        r"\b(?:ask|asking|question|questions|comment|comments|views?)\b[^.?!]{0,30}?\b"
        r"(?:about|regarding|on|concerning|related to|relating to|with regard to)\s+"
        r"(?P<t>[^.?!;]+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:regarding|concerning|with regard to|with respect to|in relation to)\s+"
        r"(?P<t>[^.?!;,]+)",
        re.IGNORECASE,
    ),
)


_PLEASANTRY = re.compile(
    r"^(?:(?:thank you|thanks)(?: so much| very much| again)?|okay|ok|all right|alright|hi|hello"
    r"|hey|yeah|yes|sure|great|good (?:morning|afternoon|evening)|sorry)"
    r"(?:,?\s+(?:Mr\.|Ms\.|Mrs\.|Madam|Mister)?\s*(?-i:[A-Z])[\w’'-]*)?[.!,]+\s+",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^(?:(?:and|but|so|well|now|also)\b,?\s+|(?:and )?then,?\s+|[—–-]+\s*"
    r"|(?:Admiral|Secretary|Minister|Sir|Ma’am|Ma'am|General|Ambassador|Mr\.\s\w+|Ms\.\s\w+),\s+)",
    re.IGNORECASE,
)


def _without_stage_directions(text: str) -> str:
    cleaned = clean_text(text)
    return clean_text(" ".join(seg for seg, sd in split_stage_directions(cleaned) if not sd))


def _first_words(text: str, count: int = QUESTION_TITLE_WORDS) -> str:
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    kept = words[:count]
    while len(kept) > 1 and kept[-1].lower().strip(",;:") in _BREAK_BEFORE | _NO_BREAK_AFTER:
        kept.pop()  # "...in person on the" -> "...in person"
    last = kept[-1]
    abbreviation = "." in last[:-1] or last.lower() in ("mr.", "ms.", "mrs.", "dr.", "st.")
    if last.endswith(("?", "!")) or (last.endswith(".") and not abbreviation):
        return " ".join(kept).rstrip(".")  # a whole sentence: no ellipsis
    return " ".join(kept).rstrip(" ,;:—–-…") + "…"


def _question_start(text: str, names: frozenset[str] = frozenset()) -> str:
    """A question without its opening courtesies: "Thanks, John. First, on..." -> "First, on...".

    `names` are words that, followed by a comma at the start, address someone ("Karine,").
    """
    previous = None
    while previous != text:
        previous = text
        text = _PLEASANTRY.sub("", text, count=1)
        text = _LEAD_IN.sub("", text, count=1)
        first = re.match(r"([A-Z][\w’'-]+),\s+", text)
        if first and first.group(1) in names:
            text = text[first.end() :]
    return text[:1].upper() + text[1:] if text else previous


_NOT_NAMES = wordset(
    """
    Press Briefing Conference Secretary Minister Prime President Vice Foreign Affairs Chief
    Cabinet Remarks Joint Background Call Official Officials Senior Administration Regular
    Spokesperson Spokesman Coordinator Communications Strategic National Security Council
    Advisor Adviser Director General Deputy Under State White House Gaggle Record On By And
    Of The For In With Japan Japanese United States Ministry Mr Ms Mrs Dr Extraordinary
    Reporter Moderator Aide Narrator Question Statement Working Visit Excerpt Provisional
    """
)
_SELF_INTRODUCTION = re.compile(
    r"^(?:[A-Z][\w’'-]+ ){1,3}(?:of|from|with) (?:the )?(?P<outlet>[^.?!,;]{2,40})[.,]\s+"
)


def _question_title(number: int, turn: Turn, names: frozenset[str] = frozenset()) -> str:
    text = _question_start(_without_stage_directions(turn.text), names)
    outlet = _outlet(turn.label) if turn.label else None
    if outlet is None:  # "Shimizu of NHK. I ask the question to both leaders..."
        found = _SELF_INTRODUCTION.match(text)
        if found and _outlet(found.group("outlet")):
            outlet = found.group("outlet")
            text = _question_start(text[found.end() :], names)
    if outlet:
        head = text[:400]
        for pattern in _TOPIC:
            found = pattern.search(head)
            if found:
                topic = _first_words(found.group("t").strip(), QUESTION_TITLE_WORDS - 1)
                return f"Question {number}: {outlet}, on {topic}"
        return f"Question {number}: {outlet} — {_first_words(text)}"
    return f"Question {number}: {_first_words(text)}"


ANSWER_MIN_WORDS = 12  # a shorter reply between two reporter turns is an interjection


def _opens_question(turn: Turn, answered_words: int | None) -> bool:
    """Does this reporter turn start a new question (and so a new chapter)?

    `answered_words` counts the words others said since the last reporter turn (None if
    there was none). A reporter picking up after a brief interjection ("Sure.", "Well —"),
    or a turn that carries on a broken-off sentence ("— Cabinet-level officials"), does not.
    """
    if turn.role != "reporter":
        return False
    text = _without_stage_directions(turn.text)
    if not text or text[0] in "—–-…" or text[0].islower():
        return False
    if answered_words is not None and answered_words < ANSWER_MIN_WORDS:
        return False
    words = len(text.split())
    return ("?" in text and words >= 3) or words >= QUESTION_TITLE_WORDS


def _heading(text: str) -> str:
    return clean_text(text).lstrip("-–—•*· ").strip()


# --- chapters inside a section ------------------------------------------------------------
#
# A section heading is one chapter, announced by the narrator. Inside a section:
# - a heading that only says "questions follow" ("Q&A", "Question-and-Answer Session",
#   "Press Q&A", "2. Questions and Answers") gets one chapter per reporter question, found
#   and titled as in a transcript without headings; the first carries the section's name
#   ("Questions and answers — Question 1: NHK, on North Korea") when nothing but the
#   announcement comes before it.
# - a topical heading ("Situation in North Korea", "Q&As - The issue of the abductions")
#   names what is asked, so it stays one chapter — unless it is long (more than
#   LONG_SECTION_SECONDS of speech, by word count at each speaker's profile rate) and holds
#   at least two distinct questions. Then each question after the first (or each, if
#   something is said before the first) gets a sub-chapter "Heading — Question 2".
#   A question is distinct unless the same, named reporter follows up after a short
#   answer (fewer than FOLLOW_UP_ANSWER_WORDS).
# Titles are at most CHAPTER_TITLE_CHARS long, never empty, never equal to the one before.

CHAPTER_TITLE_CHARS = 80
QA_CHAPTER = "Questions and answers"  # spelled out: screen readers say "Q&A" differently
LONG_SECTION_SECONDS = 180
FOLLOW_UP_ANSWER_WORDS = 40
HEADING_JOINER = " - "  # how the parser joins headings that follow each other
TITLE_SEPARATOR = " — "  # screen readers pause at an em dash without naming it

_NUMBERING = re.compile(
    r"^(?:[-–—•*·#]+\s*|\(?(?:\d+|[ivx]+|[a-h])[.):]\s*|\d+\s+|(?:part|section)\s+\d+\W*\s*)+",
    re.IGNORECASE,
)
_QA_HEADING = re.compile(
    r"(?:(?:press|media|news|open|general|public|audience|reporters?[’']?|journalists?[’']?)"
    r"\s+)?"
    r"(?:q\.?\s*(?:&|and|\+|/)\s*a\.?(?:[’']?s)?"
    r"|questions?(?:[\s-]*(?:&|and|\+|/)[\s-]*answers?)?)"
    r"(?:[\s-]+(?:session|period|portion|segment|part|time|round)s?)?"
    r"(?:\s+(?:with|from|by|of)\s+(?:the\s+)?"
    r"(?:press|media|reporters|journalists|floor|audience|participants))?",
    re.IGNORECASE,
)


def is_qa_heading(heading: str) -> bool:
    """Does `heading` only announce a question-and-answer block, naming no topic?

    "Q&A", "Q & As", "Questions and Answers", "Question-and-Answer Session", "Press Q&A",
    "- Questions", "2. Q and A:" do; "Q&As - The issue of the abductions" and
    "Questions on North Korea" name a topic, so they do not.
    """
    bare = clean_text(heading).replace("&amp;", "&").replace("*", "").replace("_", " ")
    bare = _NUMBERING.sub("", bare.strip()).strip(" .:;–—-")
    return _QA_HEADING.fullmatch(bare) is not None


def _section_label(heading: str) -> str:
    """A heading as a chapter title, its generic Q&A parts spelled out.

    "Q&As - The issue of the abductions" (the parser joins headings that follow each other
    with " - ") -> "Questions and answers - The issue of the abductions".
    """
    parts = heading.split(HEADING_JOINER)
    return HEADING_JOINER.join(QA_CHAPTER if is_qa_heading(p) else p for p in parts)


def _shorten(title: str, limit: int = CHAPTER_TITLE_CHARS) -> str:
    """`title` cut between words to at most `limit` characters, ending in "…" if cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit)
    if cut <= 0:
        return title[: limit - 1] + "…"
    kept = title[:cut].split()
    weak = _BREAK_BEFORE | _NO_BREAK_AFTER
    while len(kept) > 1 and (
        kept[-1].lower().strip(",;:") in weak or not any(ch.isalnum() for ch in kept[-1])
    ):
        kept.pop()  # "...Regarding the" -> "..."; a lone dash
    return " ".join(kept).rstrip(" ,;:.—–-…(") + "…"


def _joined(head: str, tail: str, limit: int = CHAPTER_TITLE_CHARS) -> str:
    """`head` and `tail` joined by a dash; `head` is shortened so `tail` stays whole."""
    room = limit - len(TITLE_SEPARATOR) - len(tail)
    if room < 10:
        return _shorten(tail, limit)
    return _shorten(head, room) + TITLE_SEPARATOR + tail


def _question_openings(turns: tuple[Turn, ...]) -> list[int]:
    """Indices of the turns that open a new question (see `_opens_question`)."""
    out: list[int] = []
    answered: int | None = None  # words said by others since the last reporter turn
    for k, turn in enumerate(turns):
        if _opens_question(turn, answered):
            out.append(k)
        if turn.role == "reporter":
            answered = 0
        elif answered is not None:
            answered += len(turn.text.split())
    return out


def _reporter(turn: Turn) -> str | None:
    """Who asks, if the label names someone ("Arita, Nippon TV"); None for "Q", "Reporter"."""
    label = clean_text(turn.label).lower().strip(" :")
    words = re.findall(r"[a-z]+", label)
    if not words or all(w in _GENERIC_LABELS for w in words):
        return None
    return label


def _distinct_questions(turns: tuple[Turn, ...]) -> list[int]:
    """Question openings, less a named reporter's follow-up after a short answer."""
    openings = set(_question_openings(turns))
    out: list[int] = []
    asker: str | None = None
    answered = 0  # words said by others since the last reporter turn
    for k, turn in enumerate(turns):
        if k in openings:
            who = _reporter(turn)
            if not (out and who is not None and who == asker
                    and answered < FOLLOW_UP_ANSWER_WORDS):  # fmt: skip
                out.append(k)
            asker = who
        if turn.role == "reporter":
            answered = 0
        else:
            answered += len(_without_stage_directions(turn.text).split())
    return out


@dataclass(frozen=True)
class _Section:
    """How one headed section is cut into chapters."""

    title: str  # its own chapter's title
    qa: bool  # a generic question-and-answer heading: a chapter per question
    questions: dict[int, int]  # turn index -> question number in the section, if chaptered


# --- planning -----------------------------------------------------------------------------


@dataclass
class _Draft:
    text: str
    caption: str
    speaker: str
    speaker_name: str
    voice: VoiceProfile
    pause_after_ms: int

    def freeze(self) -> Utterance:
        return Utterance(
            text=self.text,
            caption=self.caption,
            speaker=self.speaker,
            speaker_name=self.speaker_name,
            voice=self.voice,
            pause_after_ms=self.pause_after_ms,
        )


class _Planner:
    def __init__(self, transcript: Transcript, casting: Casting, lexicon: Lexicon) -> None:
        self.transcript = transcript
        self.casting = casting
        self.lexicon = lexicon
        self._lexicons: dict[str, Lexicon] = {}
        self.drafts: list[_Draft] = []
        self.chapters: list[Chapter] = []

    def lexicon_for(self, engine: str) -> Lexicon:
        """The lexicon laid over this transcript's names read by rule, for one engine."""
        if engine not in self._lexicons:
            names = name_lexicon(self.transcript, engine, self.lexicon)
            self._lexicons[engine] = names.overlay(self.lexicon) if names.aliases else self.lexicon
        return self._lexicons[engine]

    # utterances

    def say(
        self, caption: str, speaker: str, name: str, voice: VoiceProfile, *, end: str = ""
    ) -> int:
        """Add `caption`'s utterances in `voice`; returns how many were added."""
        added = 0
        pieces = split_captions(caption)
        for n, (piece, boundary) in enumerate(pieces):
            text = normalize(piece, self.lexicon_for(voice.engine))
            if end and n == len(pieces) - 1 and not text.endswith((".", "?", "!")):
                text += end
            if not any(ch.isalnum() for ch in text):
                if self.drafts and added and not any(ch.isalnum() for ch in piece):
                    self.drafts[-1].caption += " " + piece  # a lone symbol: keep it visible
                continue
            pause = voice.pause_sentence_ms
            if boundary != "sentence":
                pause = min(MID_SENTENCE_PAUSE_MS, pause)
            self.drafts.append(_Draft(text, piece, speaker, name, voice, pause))
            added += 1
        return added

    def narrate(self, caption: str, spoken: str | None = None) -> None:
        narrator = self.casting.narrator
        if spoken is None:
            self.say(caption, NARRATOR, NARRATOR_NAME, narrator)
            return
        self.drafts.append(
            _Draft(spoken, caption, NARRATOR, NARRATOR_NAME, narrator, narrator.pause_sentence_ms)
        )

    def pause_last(self, ms: int) -> None:
        if self.drafts:
            self.drafts[-1].pause_after_ms = ms

    def chapter(self, title: str) -> None:
        """Start a chapter here (or retitle the last one, if nothing was said in it)."""
        first = len(self.drafts)
        if self.chapters and self.chapters[-1].first == first:
            self.chapters.pop()
        self.chapters.append(Chapter(title=self._fit(title), first=first))

    def retitle(self, title: str) -> None:
        last = self.chapters.pop()
        self.chapters.append(Chapter(title=self._fit(title), first=last.first))

    def _fit(self, title: str) -> str:
        """A title that is short, not empty, and not the same as the chapter before's."""
        title = _shorten(title) or f"Chapter {len(self.chapters) + 1}"
        if self.chapters and self.chapters[-1].title == title:
            title = _shorten(title, CHAPTER_TITLE_CHARS - len(", part 2")) + ", part 2"
        return title

    def only_announced(self) -> bool:
        """Has nothing but the narrator spoken since the last chapter began?"""
        first = self.chapters[-1].first if self.chapters else 0
        return all(d.speaker == NARRATOR for d in self.drafts[first:])

    # the parts of a script

    def intro(self) -> None:
        self.chapter(INTRO_CHAPTER)
        for line in intro_captions(self.transcript):
            if line.endswith((".", "?", "!")):
                self.narrate(line)
            else:  # the title: a full stop for the ear only
                self.say(line, NARRATOR, NARRATOR_NAME, self.casting.narrator, end=".")
        self.pause_last(self.casting.narrator.pause_section_ms)

    def turn(self, turn: Turn, next_turn: Turn | None) -> None:
        voice = self.casting.voice_for(turn.speaker)
        name = self._speaker_name(turn)
        mode = voice.stage_directions
        start = len(self.drafts)
        for paragraph in re.split(r"\n\s*\n", turn.text):
            segments = split_stage_directions(clean_text(paragraph))
            if mode == "drop":
                kept = " ".join(seg for seg, direction in segments if not direction)
                self.say(kept, turn.speaker, name, voice)
                continue
            for seg, direction in segments:
                if direction:
                    narrator = self.casting.narrator.engine
                    spoken = normalize(stage_direction_words(seg), self.lexicon_for(narrator))
                    self.narrate(clean_text(seg), spoken)
                elif seg.strip():
                    self.say(seg, turn.speaker, name, voice)
        if len(self.drafts) == start:
            return
        same_speaker = next_turn is not None and next_turn.speaker == turn.speaker
        self.pause_last(voice.pause_sentence_ms if same_speaker else voice.pause_turn_ms)

    def _speaker_name(self, turn: Turn) -> str:
        try:
            return self.transcript.speaker(turn.speaker).name
        except KeyError:
            return clean_text(turn.label) or turn.speaker

    def run(self) -> Script:
        self.intro()
        turns = self.transcript.turns
        sections = [_heading(s) for s in self.transcript.sections]
        names = self._names()
        pointer = 0
        current: str | None = None
        section: _Section | None = None
        entered_section = False
        questions = 0
        unheaded = set(_question_openings(turns))
        for i, turn in enumerate(turns):
            heading = _heading(turn.section) if turn.section else None
            if heading and heading != current:
                announced = [heading]
                if heading in sections[pointer:]:
                    j = sections.index(heading, pointer)
                    announced = [h for h in sections[pointer : j + 1] if h] or [heading]
                    pointer = j + 1
                if self.drafts:
                    self.pause_last(self._last_voice().pause_section_ms)
                section = self._section(i, heading, announced)
                self.chapter(section.title)
                for h in announced:
                    self.say(h, NARRATOR, NARRATOR_NAME, self.casting.narrator, end=".")
                self.pause_last(self.casting.narrator.pause_turn_ms)
                current = heading
                entered_section = True
            if section is not None and i in section.questions:
                number = section.questions[i]
                if section.qa:
                    questions += 1
                    title = _question_title(questions, turn, names)
                    if self.only_announced():
                        self.retitle(section.title + TITLE_SEPARATOR + title)
                    else:
                        self.chapter(title)
                elif not (number == 1 and self.only_announced()):
                    self.chapter(_joined(section.title, f"Question {number}"))
            elif heading is None and not entered_section:
                if i in unheaded:
                    questions += 1
                    self.chapter(_question_title(questions, turn, names))
                elif questions == 0 and len(self.chapters) == 1 and turn.role != "reporter":
                    self.chapter(OPENING_CHAPTER)
            self.turn(turn, turns[i + 1] if i + 1 < len(turns) else None)
        return self.script()

    def _section(self, start: int, heading: str, announced: list[str]) -> _Section:
        """How the section whose first turn is turns[start] is cut into chapters."""
        turns = self.transcript.turns
        end = start + 1
        while end < len(turns):
            section = turns[end].section
            following = _heading(section) if section else None
            if following and following != heading:
                break
            end += 1
        inside = turns[start:end]
        title = ": ".join(_section_label(h) for h in announced)
        if is_qa_heading(heading):
            openings = _question_openings(inside)
            return _Section(title, True, {start + k: n for n, k in enumerate(openings, 1)})
        distinct = _distinct_questions(inside)
        if len(distinct) < 2 or self._seconds(inside) <= LONG_SECTION_SECONDS:
            return _Section(title, False, {})
        return _Section(title, False, {start + k: n for n, k in enumerate(distinct, 1)})

    def _seconds(self, turns: tuple[Turn, ...]) -> float:
        """About how long `turns` take to say, by word count at each speaker's rate."""
        total = 0.0
        for turn in turns:
            words = len(_without_stage_directions(turn.text).split())
            total += words * 60 / max(self.casting.voice_for(turn.speaker).rate, 1)
        return total

    def _names(self) -> frozenset[str]:
        """Names a reporter may address someone by: words of the speakers' names and title."""
        text = " ".join(s.name for s in self.transcript.speakers) + " " + _title(self.transcript)
        words = set(re.findall(r"\b[A-Z][a-z’'-]+\b", text))
        return frozenset(words - _NOT_NAMES)

    def _last_voice(self) -> VoiceProfile:
        return self.drafts[-1].voice

    def script(self) -> Script:
        utterances = tuple(d.freeze() for d in self.drafts)
        if utterances:
            last = utterances[-1]
            utterances = (*utterances[:-1], replace(last, pause_after_ms=last.voice.pause_turn_ms))
        chapters = tuple(c for c in self.chapters if c.first < len(utterances))
        return Script(
            title=_title(self.transcript),
            utterances=utterances,
            chapters=chapters,
            casting=self._casting_summary(),
        )

    def _casting_summary(self) -> tuple[tuple[str, str], ...]:
        """(speaker name, "profile (engine voice, pitch N)") for everyone heard."""
        speaking = {t.speaker for t in self.transcript.turns}
        out = [(NARRATOR_NAME, _describe(self.casting.narrator))]
        for key, profile in self.casting.speakers:
            if key not in speaking:
                continue
            try:
                name = self.transcript.speaker(key).name
            except KeyError:
                name = key
            if (name, _describe(profile)) not in out:  # a transcript's own narrator, say
                out.append((name, _describe(profile)))
        return tuple(out)


def _describe(profile: VoiceProfile) -> str:
    voice = profile.voice.rsplit("/", 1)[-1]  # a model path: its file name
    return f"{profile.name} ({profile.engine} {voice}, pitch {profile.pitch})"


def plan(transcript: Transcript, casting: Casting, lexicon: Lexicon) -> Script:
    """The script for `transcript`: who says what, with pauses and chapters.

    The narrator introduces the episode (title, then e.g. "Thursday, the fourteenth of
    September twenty twenty-three, at nine thirty-one P-M, at the Ministry of Foreign
    Affairs.") and announces each section heading; every turn is spoken in
    `casting.voice_for(turn.speaker)`. Stage directions are dropped or narrated as the
    speaker's profile says (`stage_directions`). Chapters: the introduction, then one per
    section heading; where there are no headings, one for the opening remarks and one per
    reporter question ("Question 3: NHK, on the situation in North Korea"). A section headed
    only "Q&A" (or the like) gets one chapter per question too, the first carrying the
    section's name; a long topical section with several distinct questions gets sub-chapters
    ("Situation in North Korea — Question 2"). See "chapters inside a section" above.
    """
    return _Planner(transcript, casting, lexicon).run()
