"""The frozen values the parser's passes hand each other, in the order they are made.

    Source ─ lines ─> Lines ─ labelling ─> LabelledLines ─ paragraphs ─> Paragraphs
      ─ headings ─> Headings ─ header ─> Header ─ turns ─> Turns ─ speakers ─> Transcript

Each value keeps the one before it (or what later passes still read of it), so a pass takes
one argument and returns one value; none is ever changed once made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Literal

from pressaudio.transcript.dates import DateLine
from pressaudio.transcript.labels import LabelMatch

__all__ = [
    "FrontFacts",
    "Header",
    "HeaderKind",
    "Headings",
    "LabelledLines",
    "LabelledTurn",
    "Line",
    "LineKind",
    "Lines",
    "Paragraph",
    "Paragraphs",
    "Source",
    "Turns",
    "Wrap",
]


@dataclass(frozen=True, slots=True)
class Source:
    """What the parser is given: the text, the name it goes by in warnings, a default zone."""

    text: str
    name: str
    default_tz: tzinfo | None = None


@dataclass(frozen=True, slots=True)
class FrontFacts:
    """What `---` YAML front matter says: a title, a date, a time (all optional)."""

    title: str | None = None
    day: date | None = None
    time: DateLine | None = None


# what a line of the body is: speech or header text, blank, site boilerplate, PDF page
# chrome (page numbers, running headers), a footnote, or the page's trailer after an end mark
LineKind = Literal["text", "blank", "boilerplate", "chrome", "footnote", "trailer"]


@dataclass(frozen=True, slots=True)
class Line:
    index: int  # 0-based, in the whole text (front matter included)
    raw: str  # as written
    soft: str  # softly cleaned (markup out, spacing kept), footnote marks removed
    text: str  # cleaned and single-spaced; "" for a blank line
    kind: LineKind

    @property
    def kept(self) -> bool:
        """Read as text (not blank and not dropped)."""
        return self.kind == "text"

    @property
    def page_break(self) -> bool:
        """Page chrome or a footnote: a PDF page break may cut a sentence here."""
        return self.kind in ("chrome", "footnote")


@dataclass(frozen=True, slots=True)
class Lines:
    source: Source
    raw: tuple[str, ...]  # every line of the text, front matter included
    body_from: int  # index of the first line after the front matter
    front: FrontFacts
    body: tuple[Line, ...]  # the lines from body_from on
    footnotes: tuple[str, ...]  # the PDF footnotes' text, in order


@dataclass(frozen=True, slots=True)
class Wrap:
    """How the body is wrapped: hard-wrapped (lines of about `width` running on) or not."""

    hard: bool
    join_min: float  # a line at least this long may run on into the next
    content: tuple[int, ...]  # per line: the length of its speech (the label left out)


@dataclass(frozen=True, slots=True)
class LabelledLines:
    lines: Lines  # with the trailer after an end mark marked so
    candidates: tuple[LabelMatch | None, ...]  # per body line: a label by its shape
    accepted: tuple[LabelMatch | None, ...]  # per body line: a label by shape and position
    wrap: Wrap


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int  # 0-based index of its first line in the whole text
    lines: tuple[str, ...]
    text: str  # the lines joined
    label: LabelMatch | None = None
    fresh: bool = False  # right after "Check against delivery": a prepared statement starts

    @property
    def single(self) -> bool:
        return len(self.lines) == 1


@dataclass(frozen=True, slots=True)
class Paragraphs:
    lines: Lines
    paras: tuple[Paragraph, ...]
    header_end: int  # index of the first labelled paragraph (len(paras) when none is)


@dataclass(frozen=True, slots=True)
class Headings:
    paragraphs: Paragraphs
    headings: tuple[str | None, ...]  # per paragraph: its text as a section heading, or None


# what a paragraph above the first label is: the title, a fact kept in the metadata
# (byline), a date/place line read into the header (meta), chrome (drop), a heading, or prose
HeaderKind = Literal["title", "byline", "meta", "drop", "heading", "prose"]


@dataclass(frozen=True, slots=True)
class Header:
    headings: Headings
    kinds: tuple[HeaderKind, ...]  # per paragraph before the first label
    title: str | None
    held_at: datetime | date | None  # a date alone when the text gives no time
    location: str | None
    facts: tuple[str, ...]  # metadata: footnotes, then the header's bylines and facts
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LabelledTurn:
    label: str  # as written ("" when unlabelled)
    who: str  # the label (or implicit label) that names the speaker; "" for the narrator
    line: int  # 1-based
    section: str | None
    paras: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Turns:
    header: Header
    turns: tuple[LabelledTurn, ...]
    sections: tuple[str, ...]
    facts: tuple[str, ...]  # metadata after the header's: contacts, a cut-off label
    warnings: tuple[str, ...]
