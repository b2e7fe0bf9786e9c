"""Pass 6, turns: the paragraphs gathered into labelled turns under their sections.

In the header, prose is an opening turn: by the official a heading (`Opening Statement by
...`) or an earlier turn names, by the one the title names when it is first-person speech,
else by the narrator. From the first label on, a label paragraph starts a turn, a heading
starts a section, and anything else continues the current turn, except:

- the answer to a question when only the questions are labelled (EU doorsteps: `Q.` and
  no `A.`) is the official's turn;
- an unlabelled paragraph after a heading, or after "Check against delivery", opens a turn
  of its own (the official's prepared statement after a reporter's `Q.`);
- an end or resumption time (`4:20 P.M. EDT`) is dropped, a `Media Contact:` line kept in
  the metadata, and a label cut off at the end of the text (`SEC`) too, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pressaudio.transcript.dates import parse_dateline
from pressaudio.transcript.headings import STATEMENT_BY
from pressaudio.transcript.intermediates import Header, LabelledTurn, Paragraph, Turns
from pressaudio.transcript.labels import match_label
from pressaudio.transcript.speakers import parse_label, person_phrase, title_person

__all__ = ["assemble_turns"]

_QUESTION_PARAS = 2  # a question with no question mark runs at most this many paragraphs
_CUT_LABEL = re.compile(r"^[A-Z][A-Z.’'\-]{0,11}$")  # "SEC", "MR.", "Q"
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I'd|I’d|I've|I’ve|I'll|I’ll|we|We|my|My|our|Our|me)\b")
_QUESTION_TAIL = ' )]"”’\u00a0'
_SECTION_JOIN = " - "  # headings in a row make one section
_SILENT_KINDS = ("byline", "drop", "meta")  # header paragraphs that are no speech


@dataclass(slots=True)
class _Draft:
    label: str
    who: str
    line: int
    section: str | None
    paras: list[str] = field(default_factory=list)

    def freeze(self) -> LabelledTurn:
        return LabelledTurn(self.label, self.who, self.line, self.section, tuple(self.paras))


@dataclass(slots=True)
class _Assembler:
    header: Header
    drafts: list[_Draft] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # headings not yet attached to a turn
    section: str | None = None
    last_heading: str | None = None
    facts: list[str] = field(default_factory=list)
    current: _Draft | None = None
    heading_since: bool = False
    answerer: str | None = None
    asking: bool = False  # inside a question whose answer comes unlabelled

    @property
    def paras(self) -> tuple[Paragraph, ...]:
        return self.header.headings.paragraphs.paras

    def open_section(self) -> str | None:
        if self.pending:
            self.section = _SECTION_JOIN.join(self.pending)
            self.sections.append(self.section)
            self.pending = []
        return self.section

    def open_turn(self, label: str, who: str, p: Paragraph, section: str | None) -> _Draft:
        draft = _Draft(label=label, who=who, line=p.start + 1, section=section)
        self.drafts.append(draft)
        return draft

    def heading(self, i: int) -> None:
        text = self.header.headings.headings[i]
        assert text is not None
        self.pending.append(text)
        self.last_heading = text

    # --- the header ---------------------------------------------------------------------

    def read_header(self) -> None:
        title = self.header.headings.paragraphs.lines.front.title  # the title read so far
        prose_run: _Draft | None = None
        for i, kind in enumerate(self.header.kinds):
            p = self.paras[i]
            if kind == "title":
                title = p.text
            elif kind == "heading":
                self.heading(i)
                prose_run = None
            elif kind not in _SILENT_KINDS:
                if prose_run is None:
                    prose_run = self.open_turn(
                        "", self.opener(title, p.text), p, self.open_section()
                    )
                prose_run.paras.append(p.text)

    def opener(self, title: str | None, prose: str) -> str:
        """Who speaks prose in the header."""
        return (
            _statement_speaker(self.last_heading)
            or next((d.who for d in reversed(self.drafts) if d.who), None)  # a topic heading
            or (title_person(title) if _FIRST_PERSON.search(prose) else None)
            or ""
        )

    # --- the body -----------------------------------------------------------------------

    def read_body(self) -> None:
        self.answerer = self.unlabelled_answerer()
        for i in range(self.header.headings.paragraphs.header_end, len(self.paras)):
            p = self.paras[i]
            if p.label is not None:
                self.labelled(p)
            elif not (self.asking and self.question_goes_on(p)):
                self.unlabelled(i, p)

    def labelled(self, p: Paragraph) -> None:
        assert p.label is not None
        label = p.label.label
        self.current = self.open_turn(label, label, p, self.open_section())
        if p.text:
            self.current.paras.append(p.text)
        self.heading_since = False
        self.asking = self.answerer is not None

    def question_goes_on(self, p: Paragraph) -> bool:
        """In a question whose answer comes unlabelled: the paragraph asks on (True), or the
        answer starts here (the official's turn opens, False)."""
        current = self.current
        if current is None:
            return False
        asked = [x for x in current.paras if x]
        if asked and (_ends_question(asked[-1]) or len(asked) >= _QUESTION_PARAS):
            # "Q. ...?" then the answer with no label: the official the document names
            self.current = self.open_turn("", self.answerer or "", p, current.section)
            self.asking = False
            return False
        current.paras.append(p.text)
        return True

    def unlabelled(self, i: int, p: Paragraph) -> None:
        t = p.text
        if p.single and _is_time_only(t):
            return  # an end (or resumption) time: "4:20 P.M. EDT"
        if p.single and (fact := match_label(t)) is not None and fact.meta == "contact":
            self.facts.append(t)  # "Media Contact: ..." at the foot of the page
            return
        if self.header.headings.headings[i] is not None:
            self.heading(i)
            self.heading_since = True
            return
        if self.current is None or self.heading_since or p.fresh:
            self.current = self.open_turn("", self.unlabelled_speaker(), p, self.open_section())
            self.heading_since = False
        self.current.paras.append(t)

    def unlabelled_speaker(self) -> str:
        """Who speaks an unlabelled paragraph that opens a turn of its own."""
        by_heading = _statement_speaker(self.last_heading) if self.heading_since else None
        if by_heading:
            return by_heading
        if self.current is None:
            return ""
        return _official_after(self.current, self.answerer, self.header.title)

    def unlabelled_answerer(self) -> str | None:
        """Who answers when only the questions are labelled (EU doorsteps: `Q.` and no `A.`).

        None unless every label in the body is an anonymous reporter's; then the official
        whose unlabelled opening came first, or the one the title names, or a bare `A`.
        """
        body = self.paras[self.header.headings.paragraphs.header_end :]
        labels = [p.label for p in body if p.label is not None]
        if not labels or any(parse_label(lm.label).kind != "anon" for lm in labels):
            return None
        opener = next((d.who for d in self.drafts if d.who), None)
        return opener or title_person(self.header.title) or "A"

    # --- the end ------------------------------------------------------------------------

    def cut_off_label(self) -> list[str]:
        """A page cut off inside a label (`... anything differently?` then `SEC`): the stub is
        kept in the metadata with a warning, neither a speaker nor part of the last turn."""
        drafts = self.drafts
        if not drafts or not any(d.label for d in drafts) or len(drafts[-1].paras) < 2:
            return []
        last = drafts[-1].paras[-1]
        if not _CUT_LABEL.match(last):
            return []
        drafts[-1].paras.pop()
        self.facts.append(last)
        source = self.header.headings.paragraphs.lines.source.name
        return [f"{source}: the text ends in {last!r}, taken for a cut-off label"]


def assemble_turns(header: Header) -> Turns:
    """The turns, in order, with their sections; the header's prose opens them."""
    asm = _Assembler(header)
    asm.read_header()
    asm.read_body()
    warnings = asm.cut_off_label()
    if asm.pending:  # headings after the last turn still belong to the document
        asm.sections.append(_SECTION_JOIN.join(asm.pending))
    return Turns(
        header=header,
        turns=tuple(d.freeze() for d in asm.drafts),
        sections=tuple(asm.sections),
        facts=tuple(asm.facts),
        warnings=tuple(warnings),
    )


def _statement_speaker(heading: str | None) -> str | None:
    """`Opening Statement by Prime Minister Naoto Kan` -> `Prime Minister Naoto Kan`."""
    if not heading:
        return None
    m = STATEMENT_BY.search(heading)
    return person_phrase(m.group(1), title_ok=True) if m else None


def _official_after(current: _Draft, answerer: str | None, title: str | None) -> str:
    """Who speaks an unlabelled paragraph after `current`: its speaker, unless that is an
    anonymous reporter and the paragraph starts a prepared statement (`Check against
    delivery!` after `Q.`/`A.`): then the official who answers or whom the title names."""
    if current.who and parse_label(current.who).kind == "anon":
        return answerer or title_person(title) or current.who
    return current.who


def _ends_question(text: str) -> bool:
    return text.rstrip(_QUESTION_TAIL).endswith("?")


def _is_time_only(text: str) -> bool:
    dl = parse_dateline(text)
    return dl is not None and dl.day is None and dl.place is None
