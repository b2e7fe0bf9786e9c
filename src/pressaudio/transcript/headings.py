"""Pass 4, headings: which paragraphs are section headings, and their text.

A heading is one short line with no final punctuation that is not a sentence: numbered
(`1. Opening remarks`, its number dropped), bulleted, markdown (`## Q&A`), in brackets
(`[Opening Statement by the Prime Minister]`), keyed (`Opening Remarks:`) or plain. A
strong one (marked or keyed) is always a heading; a plain one only when a label follows it
(through a chain of headings) or it sits in the header above more text.
"""

from __future__ import annotations

import re

from pressaudio.english import wordset
from pressaudio.transcript.intermediates import Headings, Paragraph, Paragraphs
from pressaudio.transcript.shapes import sentence_inside

__all__ = [
    "HEADING_KEYS",
    "STATEMENT_BY",
    "bracket_heading",
    "could_be_strong_heading",
    "find_headings",
    "heading_shape",
]

_HEADING_MAX = 160  # characters
_HEADING_MAX_WORDS = 24
_HEADING_END_BAD = frozenset('.?!;:,"”’…—–-')
_BRACKETED_ENDS = (".)", "?)", "!)", ".]", "?]", "!]")
_NUMBERED = re.compile(
    r"^(?:\(\s?\d{1,2}\s?\)|\d{1,2}[.)](?!\d)|[IVX]{1,5}\.|\(?[a-h]\)|[０-９]{1,2}[.．)）])\s*(?=\S)"
)
_BULLET = re.compile(r"^[-•・■□◆◇●○▶►▪*]\s+(?=\S)")
_MD_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
# the words a heading starts with: it is one whatever else it says
HEADING_KEYS = (
    "opening remarks",
    "opening statement",
    "opening comments",
    "closing remarks",
    "closing statement",
    "introductory remarks",
    "introductory statement",
    "q&a",
    "q & a",
    "q and a",
    "questions and answers",
    "questions & answers",
    "question and answer",
    "question-and-answer",
    "questions-and-answers",
    "question & answer",
    "questions from the press",
    "questions from the media",
    "questions from journalists",
    "announcement",
    "announcements",
    "statement by",
    "remarks by",
    "address by",
    "speech by",
)
# "Opening Statement by Prime Minister Naoto Kan": who makes the statement
STATEMENT_BY = re.compile(
    r"\b(?:statement|remarks|address|speech|announcement|message|introduction|comments|"
    r"briefing)\b"
    r".{0,80}?\bby\s+(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
# a plain heading does not start like speech
_NOT_HEADING_FIRST = wordset(
    "thank thanks okay ok yes no yeah yep nope sure go please well so and but or oh hi "
    "hello good great right all i i'm i'll i've we we're we'll you he she they it it's "
    "mr mr. ms ms. mrs mrs. sir ma'am madam let let's now then because if when what why "
    "how who that this there here just um uh ah again also anyway alright absolutely "
    "exactly correct indeed next"
)
_ONE_WORD_HEADINGS = ("q&a", "q&as")
_DOTTED_MAX = 6  # "U.S." ends a heading in a full stop that ends no sentence


def find_headings(paragraphs: Paragraphs) -> Headings:
    """Every paragraph that is a section heading, with the text it is shown by."""
    paras = paragraphs.paras
    n = len(paras)
    shapes = [heading_shape(p.text) if p.label is None and p.single else None for p in paras]
    leads = _leads_to_a_label(paras, shapes)
    out: list[str | None] = [None] * n
    for i, shape in enumerate(shapes):
        if shape is None or (i and _asked_by(paras[i - 1])):
            continue
        strong, display = shape
        in_header = i < paragraphs.header_end
        if strong or leads[i] or (in_header and i + 1 < n):
            out[i] = display
    return Headings(paragraphs=paragraphs, headings=tuple(out))


def _asked_by(prev: Paragraph) -> bool:
    """`Question:` on its own line: the paragraph after it is the question."""
    return prev.label is not None and not prev.text


def _leads_to_a_label(
    paras: tuple[Paragraph, ...], shapes: list[tuple[bool, str] | None]
) -> list[bool]:
    """Per paragraph: a label follows it, possibly through a chain of headings."""
    n = len(paras)
    leads = [False] * (n + 1)
    for i in range(n - 2, -1, -1):
        nxt = i + 1
        leads[i] = paras[nxt].label is not None or (shapes[nxt] is not None and leads[nxt])
    return leads


def heading_shape(text: str) -> tuple[bool, str] | None:
    """(strong, display text) when `text` reads as a heading, else None."""
    if not text or len(text) > _HEADING_MAX:
        return None
    m = _MD_HEADING.match(text)
    if m:
        return True, text[m.end() :].strip()
    strong, display = _unmarked(text)
    words = display.split()
    if not words or len(words) > _HEADING_MAX_WORDS:
        return None
    if display.endswith((":", "：")) and display[:-1].lower().startswith(HEADING_KEYS):
        return True, display[:-1].rstrip()  # "Opening Remarks:"
    if _bad_end(display, words):
        return None
    if display.startswith("[") and display.endswith("]") and bracket_heading(display):
        return True, display[1:-1].strip()  # [Questions and Answers]
    if _prose_like(display, strong):
        return None
    low = display.lower()
    if low.startswith(HEADING_KEYS):
        return True, display
    if _too_plain(low, words, strong):
        return None
    return strong, display


def _unmarked(text: str) -> tuple[bool, str]:
    """A bulleted or numbered line without its marker ("1. Opening remarks" -> "Opening
    remarks"), strong; else the line as it is."""
    for marker in (_BULLET, _NUMBERED):
        m = marker.match(text)
        if m is not None:
            return True, text[m.end() :].strip()
    return False, text


def _bad_end(body: str, words: list[str]) -> bool:
    """Final punctuation, also inside a closing bracket ("... Jr. (Laughter.)"), unless a
    dotted abbreviation: "U.S.", "(U.S.)" """
    core = body.rstrip(")]") if body.endswith(_BRACKETED_ENDS) else body
    if core[-1] not in _HEADING_END_BAD:
        return False
    last = words[-1].lstrip("([").rstrip(")]")
    return not (core[-1] == "." and last.count(".") >= 2 and len(last) <= _DOTTED_MAX)


def _prose_like(body: str, strong: bool) -> bool:
    """A stage direction `(Laughter.)`, lower case, or a sentence that ends inside."""
    if body.startswith(("(", "[")) and body.endswith((")", "]")) and not _NUMBERED.match(body):
        return True
    first_alpha = next((c for c in body if c.isalpha()), "")
    if not first_alpha or (first_alpha.islower() and not strong):
        return True
    return sentence_inside(body)


def _too_plain(low: str, words: list[str], strong: bool) -> bool:
    """A plain line that starts like speech, or a single word."""
    if strong:
        return False
    first = words[0].strip(",.:;!?\"“”'’").lower()
    return first in _NOT_HEADING_FIRST or (len(words) < 2 and low not in _ONE_WORD_HEADINGS)


def bracket_heading(text: str) -> bool:
    """`[Opening Statement by the Prime Minister]`: a heading in square brackets."""
    inner = text[1:-1].strip()
    if not inner or "[" in inner or "]" in inner or inner[-1] in _HEADING_END_BAD:
        return False
    return inner.lower().startswith(HEADING_KEYS) or STATEMENT_BY.search(inner) is not None


def could_be_strong_heading(line: str) -> bool:
    """`line` is marked as a heading (markdown, brackets, bullet, number or key word)."""
    return bool(
        _MD_HEADING.match(line)
        or (line.startswith("[") and line.endswith("]") and bracket_heading(line))
        or _BULLET.match(line)
        or _NUMBERED.match(line)
        or line.lower().startswith(HEADING_KEYS)
    )
