"""The frozen dataclasses that flow between stages.

source -> transcript.parse() -> Transcript -> speech.plan() -> Script
       -> speech.synthesize() -> Clips -> audio.assemble() -> Episode -> publish.build()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

Role = Literal["minister", "reporter", "moderator", "narrator"]
ROLES: tuple[Role, ...] = ("minister", "reporter", "moderator", "narrator")
# the speakers who are nobody by name: every anonymous reporter (`Q`, `Reporter`), an
# unattributed answer (`A`), and the narrator who reads unlabelled text
REPORTER_KEY = "reporter"
OFFICIAL_KEY = "official"
NARRATOR_KEY = "narrator"
ANONYMOUS_KEYS = frozenset((REPORTER_KEY, OFFICIAL_KEY, NARRATOR_KEY))


# --- transcript ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    """One distinct person (or all anonymous reporters together)."""

    key: str  # stable canonical key, e.g. "kamikawa", "reporter"
    name: str  # display name, e.g. "Minister Kamikawa", "Reporter"
    role: Role

    @property
    def anonymous(self) -> bool:
        """Nobody by name (all anonymous reporters, an unattributed `A`, the narrator)."""
        return self.key in ANONYMOUS_KEYS


@dataclass(frozen=True)
class Turn:
    speaker: str  # Speaker.key
    label: str  # the label as written in the source ("" for unlabelled narration)
    role: Role
    section: str | None
    text: str  # paragraphs joined with a blank line, label and boilerplate removed
    line: int  # 1-based source line where the turn starts


@dataclass(frozen=True)
class Transcript:
    source: str  # path, URL or "-" as given by the user
    title: str | None
    held_at: datetime | date | None
    location: str | None
    sections: tuple[str, ...]
    turns: tuple[Turn, ...]
    speakers: tuple[Speaker, ...]
    warnings: tuple[str, ...] = ()
    metadata: tuple[str, ...] = ()  # header lines kept as facts, not speech (bylines, ...)

    def speaker(self, key: str) -> Speaker:
        for s in self.speakers:
            if s.key == key:
                return s
        raise KeyError(key)


# --- speech -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceProfile:
    """How one role (or one variant of it) sounds. Loaded from voices/<role>.toml."""

    name: str  # "minister", "minister-2", ...
    engine: str  # registry name: "espeak", "piper"
    voice: str  # engine voice id
    rate: int = 175  # words per minute
    pitch: int = 50  # 0..100, engine-relative
    volume: float = 1.0  # 0..1
    pause_sentence_ms: int = 250
    pause_turn_ms: int = 700
    pause_section_ms: int = 1400
    stage_directions: Literal["drop", "narrate"] = "drop"
    options: tuple[tuple[str, str], ...] = ()  # engine-specific extras, sorted (key, value)
    path: Path | None = None  # the TOML file it came from, for error messages


@dataclass(frozen=True)
class Casting:
    """Which voice profile speaks for whom in one transcript."""

    narrator: VoiceProfile
    speakers: tuple[tuple[str, VoiceProfile], ...]  # (Speaker.key, profile), in first-turn order

    def voice_for(self, speaker_key: str) -> VoiceProfile:
        for key, profile in self.speakers:
            if key == speaker_key:
                return profile
        return self.narrator


@dataclass(frozen=True)
class Utterance:
    """One short piece of speech in one voice; one caption cue."""

    text: str  # what the engine is given (normalised, lexicon applied)
    caption: str  # what the listener reads (original wording)
    speaker: str  # Speaker.key, or "narrator"
    speaker_name: str
    voice: VoiceProfile
    pause_after_ms: int


@dataclass(frozen=True)
class Chapter:
    title: str
    first: int  # index of its first utterance


@dataclass(frozen=True)
class Script:
    title: str
    utterances: tuple[Utterance, ...]
    chapters: tuple[Chapter, ...]
    casting: tuple[tuple[str, str], ...]  # (speaker name, voice profile name)


@dataclass(frozen=True)
class Clip:
    """Synthesised audio for one utterance, stored as a mono 16-bit WAV in the cache."""

    utterance: Utterance
    wav: Path
    sample_rate: int
    frames: int

    @property
    def duration_ms(self) -> int:
        return self.frames * 1000 // self.sample_rate


# --- audio --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    speaker_name: str
    text: str


@dataclass(frozen=True)
class ChapterMark:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Episode:
    mp3: Path
    chapters_json: Path
    vtt: Path
    srt: Path
    duration_ms: int
    chapters: tuple[ChapterMark, ...]
    cues: tuple[Cue, ...]
    casting: tuple[tuple[str, str], ...] = field(default=())
