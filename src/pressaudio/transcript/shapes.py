"""Shapes of text more than one pass recognises: titles, sentence ends, role-and-name facts.

Kept here so the passes that read them (labelling, paragraphs, headings, header) share one
rule each; the rules' words are data.
"""

from __future__ import annotations

import re

from pressaudio.english import sentence_ends, wordset
from pressaudio.transcript.labels import LabelMatch, words_of

__all__ = [
    "LONG_LINE",
    "STAMP",
    "TERMINAL",
    "names_event",
    "role_and_name",
    "runs_on",
    "sentence_inside",
    "title_like",
]

LONG_LINE = 110  # a line longer than this is not hard-wrapped text
TERMINAL = frozenset('.?!:;"”’)…—–-')  # a line ending in one of these does not run on

# "Published: 12 March 2024", "Date : 2024-03-14   Hit : 412": a stamp and its value
STAMP = re.compile(
    r"^(?:published|posted|updated|last updated|issued|released|release date|date)\s*[:：]\s*(.+)$",
    re.IGNORECASE,
)

# words a page's title carries: "Press Conference by ...", "Remarks by ...", "Doorstop"
_TITLE_KEYS = (
    "press conference",
    "news conference",
    "press briefing",
    "news briefing",
    "briefing by",
    "briefing with",
    "daily briefing",
    "regular briefing",
    "department press",
    "gaggle",
    "press call",
    "background call",
    "conference call",
    "remarks by",
    "remarks of",
    "interview",
    "doorstop",
    "media availability",
    "press availability",
    "transcript of",
    "transcript:",
    "press point",
    "stakeout",
    "press encounter",
    "meeting with the press",
    "joint statement",
    "briefing of",
    "holds a ",
    "hold a ",
    "noon briefing",
    "midday briefing",
)
# keys that name the document, not the event: "TRANSCRIPT OF THE PRIME MINISTER ..."
_DOCUMENT_KEYS = frozenset(("transcript of", "transcript:"))
_NOT_TITLE_STARTS = ("opening ", "closing ", "introductory ")  # those start headings
_TITLE_MAX = 250
# a site's category ends in a plural: "Spokesperson's Press Briefings"
_CATEGORY_ENDS = wordset(
    "briefings conferences highlights transcripts releases interviews statements speeches"
)


def title_like(text: str) -> bool:
    """`text` reads as the page's title: not a sentence, and carrying a title's words."""
    low = text.lower()
    if len(text) > _TITLE_MAX or low.startswith(_NOT_TITLE_STARTS):
        return False
    if text[-1:] in "?!" or (text.endswith(".") and text.count(". ") >= 1):
        return False
    if low.rsplit(None, 1)[-1] in _CATEGORY_ENDS:
        return False
    return any(k in low for k in _TITLE_KEYS)


def names_event(text: str) -> bool:
    """`text` names the event ("Joint press conference with ..."), not only the document
    ("Transcript of the Prime Minister the Hon. Tony Abbott MP", a letterhead)."""
    low = text.lower()
    return any(k in low for k in _TITLE_KEYS if k not in _DOCUMENT_KEYS)


def sentence_inside(text: str) -> bool:
    """A sentence ends inside `text`, before its end ("Mr." and "U.S. Special" do not)."""
    last = len(text.rstrip())
    return any(end < last for end in sentence_ends(text))


def runs_on(last: str, line: str) -> bool:
    """`last` stops mid-sentence and `line` carries on in lower case: one sentence."""
    return bool(last) and last[-1] not in TERMINAL and line[:1].islower()


def role_and_name(lm: LabelMatch) -> frozenset[str] | None:
    """`Chair: Welty` -> {chair, welty}: one role word, then only a short capitalised name."""
    role = words_of(lm.label)
    rest = lm.rest.strip()
    name = words_of(rest)
    if len(role) != 1 or not 1 <= len(name) <= 3 or rest[-1:] in ".?!,;:":
        return None
    if not all(w[:1].isupper() for w in rest.split()):
        return None
    return frozenset(role) | frozenset(name)
