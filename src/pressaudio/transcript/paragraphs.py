"""Pass 3, paragraphs: lines joined into paragraphs, each starting at a label or a break.

A blank line (or a dropped one) ends a paragraph; an accepted label starts one. In
hard-wrapped text (lines of about the same width running on) consecutive lines join with a
space; elsewhere a line joins the one before only when it carries on its sentence in lower
case. A sentence a PDF page break cut (`... what is needed to` / page chrome / `provide
jobs ...`) is joined across the break. Header lines stacked without blank lines (title,
byline, place, date) come apart again as one paragraph each. In a PDF's text (one with
page chrome), a word a stray space split is rejoined (`pages.rejoin_split_words`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pressaudio.transcript.boilerplate import is_statement_mark, mend
from pressaudio.transcript.dates import parse_dateline
from pressaudio.transcript.headings import bracket_heading, could_be_strong_heading, heading_shape
from pressaudio.transcript.intermediates import LabelledLines, Line, Paragraph, Paragraphs
from pressaudio.transcript.labels import LabelMatch
from pressaudio.transcript.pages import rejoin_split_words
from pressaudio.transcript.shapes import LONG_LINE, STAMP, TERMINAL, runs_on, sentence_inside

__all__ = ["join_paragraphs"]

_HEADER_LINE_MAX = 120  # a stacked header line is at most this long


@dataclass(slots=True)
class _Building:
    """A paragraph while its lines are being gathered (frozen once the pass is done)."""

    start: int
    lines: list[str]
    last_len: int  # length of the last physical line (for hard-wrap joining)
    label: LabelMatch | None = None
    fresh: bool = False

    def freeze(self) -> Paragraph:
        return Paragraph(
            start=self.start,
            lines=tuple(self.lines),
            text=mend(" ".join(x for x in self.lines if x)),
            label=self.label,
            fresh=self.fresh,
        )


@dataclass(slots=True)
class _Joiner:
    labelled: LabelledLines
    paras: list[_Building] = field(default_factory=list)
    cur: _Building | None = None
    broken: _Building | None = None  # the paragraph a PDF page break cut, mid-sentence
    statement: bool = False  # "Check against delivery" passed: the next paragraph is fresh

    def skip(self, line: Line) -> None:
        """A blank or dropped line ends the paragraph (a page break may resume it)."""
        if line.text and is_statement_mark(line.text):
            self.statement = True
        if line.page_break and self.paras and self.broken is None:
            self.broken = self.paras[-1]
        elif not line.page_break and line.text:
            self.broken = None
        self.cur = None

    def take(self, k: int, line: Line) -> None:
        lm = self.labelled.accepted[k]
        text = line.text
        if self.broken is not None and lm is None and runs_on(self.broken.lines[-1], text):
            self.cur = self.broken
        self.broken = None
        if lm is not None:
            self.start(line, [" ".join(lm.rest.split())], lm)
        elif self.cur is not None and self.joins(k, self.cur, text):
            self.cur.lines.append(text)
            self.cur.last_len = len(text)
        else:
            self.start(line, [text], None, fresh=self.statement)

    def start(
        self, line: Line, lines: list[str], lm: LabelMatch | None, *, fresh: bool = False
    ) -> None:
        self.cur = _Building(line.index, lines, len(line.text), lm, fresh)
        self.paras.append(self.cur)
        self.statement = False

    def joins(self, k: int, cur: _Building, text: str) -> bool:
        """Line k carries on paragraph `cur`."""
        if _breaks_before(cur, text):
            return False
        wrap = self.labelled.wrap
        wrapped = wrap.hard and wrap.join_min <= cur.last_len and wrap.content[k - 1] <= LONG_LINE
        return wrapped or runs_on(cur.lines[-1], text)


def join_paragraphs(labelled: LabelledLines) -> Paragraphs:
    """The paragraphs of the body, the header's stacked lines apart."""
    joiner = _Joiner(labelled)
    for k, line in enumerate(labelled.lines.body):
        if line.kept:
            joiner.take(k, line)
        else:
            joiner.skip(line)
    paras = tuple(p.freeze() for p in joiner.paras)
    if any(line.kind == "chrome" for line in labelled.lines.body):  # a PDF's text
        texts = rejoin_split_words([p.text for p in paras])
        paras = tuple(replace(p, text=t) for p, t in zip(paras, texts, strict=True))
    first_label = next((i for i, p in enumerate(paras) if p.label is not None), None)
    if first_label is None:
        return Paragraphs(lines=labelled.lines, paras=paras, header_end=len(paras))
    paras = _split_header_block(paras, first_label)
    header_end = next(i for i, p in enumerate(paras) if p.label is not None)
    return Paragraphs(lines=labelled.lines, paras=paras, header_end=header_end)


def _breaks_before(cur: _Building, line: str) -> bool:
    """Line `line` starts a new paragraph although it follows `cur` without a blank line."""
    if cur.label is not None and not any(cur.lines):
        return True  # "Question:" alone: its speech is the next paragraph
    if parse_dateline(line) is not None or (len(cur.lines) == 1 and parse_dateline(cur.lines[0])):
        return True
    first = cur.lines[0]
    if len(cur.lines) == 1 and first.startswith("[") and first.endswith("]"):
        return bracket_heading(first)  # "[Opening Statement by ...]" then its speech
    if not could_be_strong_heading(line):
        return False
    shape = heading_shape(line)
    if shape is not None and shape[0]:  # a numbered, bulleted or keyword heading
        last = cur.lines[-1]
        return last[-1:] in TERMINAL or heading_shape(last) is not None
    return False


def _split_header_block(paras: tuple[Paragraph, ...], first_label: int) -> tuple[Paragraph, ...]:
    """Stacked header lines (title, byline, place, date) joined as one paragraph come apart."""
    out: list[Paragraph] = []
    for i, p in enumerate(paras):
        if i >= first_label or p.single or not _header_block(p.lines):
            out.append(p)
            continue
        out.extend(
            Paragraph(start=p.start + k, lines=(line,), text=line) for k, line in enumerate(p.lines)
        )
    return tuple(out)


def _header_block(lines: tuple[str, ...]) -> bool:
    for line in lines:
        if not line or len(line) > _HEADER_LINE_MAX:
            return False
        if parse_dateline(line) is not None or STAMP.match(line):
            continue
        if line[-1] in ".?!;" or sentence_inside(line) or line[0].islower():
            return False
    return True
