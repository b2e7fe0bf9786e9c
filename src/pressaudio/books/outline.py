"""The outline both talking books are made of: headings, turns and timed sentences.

    outline(episode, transcript) -> Outline

Each chapter of the episode is one part with a heading. Its level follows the chapters'
own structure: in a transcript with section headings, a chapter that is a question inside
a section ("Question 2: NHK, on ...", "Situation in North Korea — Question 2") sits one
level below the section's chapter; every other chapter (the introduction, the opening
remarks, each section, each question of a transcript without headings) is a top-level
part. Inside a part, consecutive cues of one speaker make a turn; each cue is one
"sentence" of the book, with the cue's times: exactly the times of the captions, so the
highlighted text and the heard audio agree as well as the captions do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pressaudio.model import ChapterMark, Cue, Episode, Role, Transcript

__all__ = ["Outline", "Part", "Sentence", "Turn", "outline"]

NARRATOR_NAME = "Narrator"
_QUESTION = re.compile(r"^Question \d+\b")  # "Question 3: NHK, on ..."
_SUB_QUESTION = re.compile(r"\s—\sQuestion \d+$")  # "Situation in North Korea — Question 2"
_TOP_LEVEL = ("Introduction", "Opening Remarks")


@dataclass(frozen=True)
class Sentence:
    id: str  # "s12": unique in the book, also the SMIL par's suffix
    text: str
    start_ms: int  # where the cue starts: the sentence is heard from here
    end_ms: int  # where the next sentence starts (the pause after it included)


@dataclass(frozen=True)
class Turn:
    speaker_name: str
    role: Role
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Part:
    id: str  # "c3"
    number: int  # 1-based
    level: int  # 1: a chapter; 2: a question inside a section's chapter
    title: str
    start_ms: int
    end_ms: int
    turns: tuple[Turn, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for t in self.turns for s in t.sentences)


@dataclass(frozen=True)
class Outline:
    title: str
    held_at: datetime | date | None
    location: str | None
    duration_ms: int
    parts: tuple[Part, ...]
    speakers: tuple[tuple[str, Role], ...]  # (name, role) of everyone heard, narrator last

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.parts for s in p.sentences)


def _levels(chapters: Sequence[ChapterMark], sectioned: bool) -> list[int]:
    """1 for a chapter, 2 for a question inside the section chapter before it."""
    levels: list[int] = []
    open_section = False
    for ch in chapters:
        if open_section and (_QUESTION.match(ch.title) or _SUB_QUESTION.search(ch.title)):
            levels.append(2)
            continue
        levels.append(1)
        open_section = sectioned and ch.title not in _TOP_LEVEL and not _QUESTION.match(ch.title)
    return levels


def _roles(transcript: Transcript) -> dict[str, Role]:
    roles: dict[str, Role] = {s.name: s.role for s in transcript.speakers}
    roles.setdefault(NARRATOR_NAME, "narrator")
    return roles


def outline(episode: Episode, transcript: Transcript) -> Outline:
    """The book's parts, from the episode's chapters and cues and the transcript's speakers."""
    cues = [c for c in episode.cues if " ".join(c.text.split()) and c.end_ms > c.start_ms]
    chapters = list(episode.chapters) or [
        ChapterMark(transcript.title or "Press conference", 0, episode.duration_ms)
    ]
    levels = _levels(chapters, bool(transcript.sections))
    roles = _roles(transcript)
    # Each sentence's clip runs on to where the next begins (the last: to the end), so the
    # clips tile the audio and a player going from clip to clip keeps every pause.
    last_end = max(episode.duration_ms, cues[-1].end_ms if cues else 0)
    ends = [c.start_ms for c in cues[1:]] + [last_end]
    parts: list[Part] = []
    n = 0
    k = 0
    for i, (ch, level) in enumerate(zip(chapters, levels, strict=True)):
        last = i + 1 == len(chapters)
        mine: list[Cue] = []
        while k < len(cues) and (last or cues[k].start_ms < ch.end_ms):
            mine.append(cues[k])
            k += 1
        turns: list[Turn] = []
        group: list[Sentence] = []
        speaker: str | None = None
        for cue in mine:
            if speaker is not None and cue.speaker_name != speaker:
                turns.append(Turn(speaker, roles.get(speaker, "reporter"), tuple(group)))
                group = []
            speaker = cue.speaker_name
            text = " ".join(cue.text.split())
            group.append(Sentence(f"s{n + 1}", text, cue.start_ms, max(ends[n], cue.end_ms)))
            n += 1
        if speaker is not None:
            turns.append(Turn(speaker, roles.get(speaker, "reporter"), tuple(group)))
        if turns:
            parts.append(
                Part(f"c{len(parts) + 1}", len(parts) + 1, level, ch.title, ch.start_ms,
                     ch.end_ms, tuple(turns))
            )  # fmt: skip
    if parts and parts[0].level != 1:
        parts[0] = Part(parts[0].id, 1, 1, parts[0].title, parts[0].start_ms,
                        parts[0].end_ms, parts[0].turns)  # fmt: skip
    heard: dict[str, Role] = {}
    for p in parts:
        for t in p.turns:
            heard.setdefault(t.speaker_name, t.role)
    speakers = sorted(heard.items(), key=lambda kv: kv[1] == "narrator")
    return Outline(
        title=transcript.title or (chapters[0].title if chapters else "Press conference"),
        held_at=transcript.held_at,
        location=transcript.location,
        duration_ms=episode.duration_ms,
        parts=tuple(parts),
        speakers=tuple(speakers),
    )
