"""Pass 2, labelling: which lines start with a speaker label, by shape and by position.

A line shaped like a label (`labels.match_label`) is a candidate; a table of vetoes then
strikes the candidates that are facts or titles (`POST-CABINET PRESS CONFERENCE: MONDAY,
4 MARCH 2024`, `Chair: Welty` above `CHAIR WELTY:`). An end mark with no label after it
(`ENDS`, `- 30 -`) makes the rest of the page its trailer. Then position decides: a label
starts a paragraph, so a `Surname:` that begins a hard-wrapped continuation line is text,
unless the label is strong (a role word, capitals) or recurs; a weak one-off label needs
support (it names someone another label names, or opens a paragraph).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from pressaudio.transcript.boilerplate import is_closing_mark
from pressaudio.transcript.dates import parse_dateline
from pressaudio.transcript.headings import heading_shape
from pressaudio.transcript.intermediates import LabelledLines, Line, Lines, Wrap
from pressaudio.transcript.labels import LabelMatch, match_label, words_of
from pressaudio.transcript.shapes import LONG_LINE, TERMINAL, role_and_name, title_like

__all__ = ["accept_labels"]

Candidates = tuple[LabelMatch | None, ...]
Veto = Callable[[Sequence[Line], Candidates], Candidates]

_WRAPPED_SHARE = 0.1  # text is hard-wrapped when at most this share of its lines is long
_WIDTH_QUANTILE = 0.9  # the wrap width: this quantile of the lengths of lines running on
_JOIN_SHARE = 0.6  # a line at least this share of the width may run on ...
_JOIN_FLOOR = 20  # ... and at least this long
_SENTENCE_DONE = '.?!”")'  # a line ending so ends its paragraph in text that is not wrapped
_DATED_TITLE_MAX = 60  # "...: MONDAY, 4 MARCH 2024" after a title is at most this long
_Q_LABELS = ("Q", "q", "Q.")
_BARE_ANSWERS = ("A", "A.")  # a bare `A` is a label only in a text that has a `Q`

Verdict = Literal["accept", "reject", "weak"]


def accept_labels(lines: Lines) -> LabelledLines:
    """The label candidates of `lines.body`, and those accepted by their position."""
    body = lines.body
    candidates: Candidates = tuple(_candidate(line) for line in body)
    for veto in _VETOES:
        candidates = veto(body, candidates)
    body = _mark_trailer(body, candidates)
    wrap = _measure_wrap(body, candidates)
    accepted = _accept(body, candidates, wrap)
    return LabelledLines(
        lines=replace(lines, body=body), candidates=candidates, accepted=accepted, wrap=wrap
    )


def _candidate(line: Line) -> LabelMatch | None:
    if not line.kept:
        return None
    lm = match_label(line.soft)
    return lm if lm is not None and lm.meta is None else None


# --- vetoes: candidates that are facts or titles, not speakers ----------------------------


def _not_a_dated_title(body: Sequence[Line], candidates: Candidates) -> Candidates:
    """`POST-CABINET PRESS CONFERENCE: MONDAY, 4 MARCH 2024` is a title, not a label:
    nobody says only a full date."""

    def dated(lm: LabelMatch) -> bool:
        rest = lm.rest.strip()
        if lm.bare or not 0 < len(rest) <= _DATED_TITLE_MAX:
            return False
        dl = parse_dateline(rest)
        return dl is not None and dl.day is not None and dl.place is None

    return tuple(None if lm is not None and dated(lm) else lm for lm in candidates)


def _not_the_page_title(body: Sequence[Line], candidates: Candidates) -> Candidates:
    """`DOORSTOP: RUDDOCK DISCUSSES ...` or `<Summit>: press remarks by the High
    Representative ...` as the first candidate, never repeated, is the page's title."""
    first = next((k for k, lm in enumerate(candidates) if lm is not None), None)
    if first is None:
        return candidates
    lm = candidates[first]
    assert lm is not None
    rest = lm.rest.strip()
    if lm.bare or not rest or not (title_like(lm.label) or title_like(rest)):
        return candidates
    key = lm.label.casefold()
    if sum(1 for c in candidates if c is not None and c.label.casefold() == key) != 1:
        return candidates
    return (*candidates[:first], None, *candidates[first + 1 :])


def _not_a_role_fact(body: Sequence[Line], candidates: Candidates) -> Candidates:
    """`Chair: Welty` above `CHAIR WELTY: Good morning.` is a fact about the chair."""
    label_words = {frozenset(words_of(lm.label)) for lm in candidates if lm is not None}

    def fact(lm: LabelMatch) -> bool:
        want = role_and_name(lm)
        return want is not None and any(want <= ws for ws in label_words)

    return tuple(None if lm is not None and fact(lm) else lm for lm in candidates)


def _not_in_a_key_block(body: Sequence[Line], candidates: Candidates) -> Candidates:
    """`Spokesperson: Mr. X, Director-General` right under a `Date:`/`Time:`/`Venue:` line is
    a fact; only the block above the first label is read so."""
    out = list(candidates)
    for k in range(1, len(out)):
        lm = out[k]
        if lm is None:
            continue
        above = body[k - 1].text
        prev = match_label(above) if above else None
        if prev is None or not prev.meta:
            break
        if lm.rest.strip():
            out[k] = None
    return tuple(out)


_VETOES: tuple[Veto, ...] = (
    _not_a_dated_title,
    _not_the_page_title,
    _not_a_role_fact,
    _not_in_a_key_block,
)


# --- the trailer ----------------------------------------------------------------------------


def _mark_trailer(body: tuple[Line, ...], candidates: Candidates) -> tuple[Line, ...]:
    """An end mark (`ENDS`, `- 30 -`, `(Concluded)`, `[END OF BRIEFING]`) after the last
    strong label and some text: what follows is the page's footer (`Authorised by ...`)."""
    last_label = max(
        (k for k, lm in enumerate(candidates) if lm is not None and lm.strong), default=-1
    )
    text_since = last_label >= 0 and body[last_label].kept
    for k in range(last_label + 1, len(body)):
        line = body[k]
        if text_since and line.text and _end_mark(line):
            trailer = tuple(replace(x, kind="trailer") if x.kind == "text" else x for x in body[k:])
            return body[:k] + trailer
        text_since = text_since or line.kept
    return body


def _end_mark(line: Line) -> bool:
    # "*****" before its emphasis markers are cleaned away
    return is_closing_mark(line.text) or is_closing_mark(line.raw.strip())


# --- hard wrapping --------------------------------------------------------------------------


def _measure_wrap(body: Sequence[Line], candidates: Candidates) -> Wrap:
    """Hard wrap: lines of at most ~100 characters running on into the next line. The
    speech after a label counts, not the label, so long labels do not hide the wrapping."""
    content = tuple(
        len(lm.rest.strip()) if lm is not None else len(line.text)
        for line, lm in zip(body, candidates, strict=True)
    )
    lengths = [content[k] for k, line in enumerate(body) if line.kept]
    long_lines = sum(1 for x in lengths if x > LONG_LINE)
    run_on = sorted(
        content[k]
        for k in range(len(body) - 1)
        if body[k].kept and body[k + 1].text and 0 < content[k] <= LONG_LINE
    )
    hard = bool(run_on) and long_lines <= _WRAPPED_SHARE * len(lengths)
    width = run_on[int(len(run_on) * _WIDTH_QUANTILE)] if run_on else 0
    return Wrap(hard=hard, join_min=max(_JOIN_SHARE * width, _JOIN_FLOOR), content=content)


def _wrapped_before(body: Sequence[Line], wrap: Wrap, k: int) -> bool:
    """The text line before k (across a PDF page break) is hard-wrapped, running on into k."""
    j = _line_before(body, k)
    if j is None or not wrap.hard:
        return False
    prev = body[j].text
    return wrap.join_min <= len(prev) and wrap.content[j] <= LONG_LINE and prev[-1] not in TERMINAL


def _line_before(body: Sequence[Line], k: int) -> int | None:
    """The line whose text may run on into line k: the one above, or the last text line
    before a PDF page break (its chrome and the blank lines around it); None after a
    paragraph break."""
    j, crossed = k - 1, False
    while j >= 0 and not body[j].kept:
        if body[j].page_break:
            crossed = True
        elif body[j].text:
            return None  # boilerplate or a trailer between: a break
        j -= 1
    return j if j >= 0 and (j == k - 1 or crossed) else None


def _clean_start(body: Sequence[Line], wrap: Wrap, k: int) -> bool:
    """Line k opens a paragraph: after a blank line, or after a finished sentence."""
    if k == 0 or not body[k - 1].kept:
        return True
    return not wrap.hard and body[k - 1].text[-1] in _SENTENCE_DONE


# --- acceptance -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    body: Sequence[Line]
    wrap: Wrap
    counts: dict[str, int]  # casefolded label -> how often it starts an unwrapped line
    has_q: bool


def _accept(
    body: Sequence[Line], candidates: Candidates, wrap: Wrap
) -> tuple[LabelMatch | None, ...]:
    counts: dict[str, int] = {}
    for k, lm in enumerate(candidates):
        if lm is not None and not _wrapped_before(body, wrap, k):
            key = lm.label.casefold()
            counts[key] = counts.get(key, 0) + 1
    has_q = any(lm is not None and lm.label in _Q_LABELS for lm in candidates)
    ctx = _Context(body, wrap, counts, has_q)
    accepted: list[LabelMatch | None] = [None] * len(candidates)
    weak: list[int] = []
    seen_label = False
    for k, lm in enumerate(candidates):
        if lm is None:
            continue
        verdict = _verdict(ctx, k, lm, seen_label)
        if verdict == "accept":
            accepted[k] = lm
            seen_label = True
        elif verdict == "weak":
            weak.append(k)
    for k in _supported(ctx, candidates, accepted, weak):
        accepted[k] = candidates[k]
    return tuple(accepted)


def _opens_speech(lm: LabelMatch) -> bool:
    return lm.strong and not lm.rest.lstrip()[:1].islower()


def _verdict(ctx: _Context, k: int, lm: LabelMatch, seen_label: bool) -> Verdict:
    """What the label's shape and position say, before weak labels look for support."""
    if lm.bare and lm.label in _BARE_ANSWERS and not ctx.has_q:
        return "reject"
    recurring = ctx.counts.get(lm.label.casefold(), 0) >= 2 and not lm.enclosed
    if (
        not seen_label
        and _opens_speech(lm)
        and k > 0
        and _names_above(ctx.body[k - 1].text, lm.label)
    ):
        return "accept"  # a byline naming the first speaker sits right above the label
    heading_above = k > 0 and heading_shape(ctx.body[k - 1].text) is not None
    if _wrapped_before(ctx.body, ctx.wrap, k) and not (
        (recurring or lm.bare or heading_above) and _opens_speech(lm)
    ):
        return "reject"  # a hard-wrapped line that happens to start with "Name:"
    return "accept" if lm.strong or recurring else "weak"


def _supported(
    ctx: _Context,
    candidates: Candidates,
    accepted: Sequence[LabelMatch | None],
    weak: Sequence[int],
) -> list[int]:
    """The weak labels that name someone an accepted label names, or open a paragraph
    (`Sidhant: Sir, ...`, `Matt:` alone on its line)."""
    known: set[str] = set()
    for lm in accepted:
        if lm is not None:
            known.update(w for w in words_of(lm.label) if len(w) > 1)
    out = []
    for k in weak:
        lm = candidates[k]
        assert lm is not None
        rest = lm.rest.strip()
        if rest[:1].islower():
            continue
        named = any(w in known for w in words_of(lm.label))
        opens = (
            not lm.enclosed
            and (rest[:1].isupper() or not rest)
            and _clean_start(ctx.body, ctx.wrap, k)
        )
        if named or opens:
            out.append(k)
    return out


def _names_above(line: str, label: str) -> bool:
    """`line` (the line above a label) is a byline naming the same person as `label`."""
    if not line or line[-1] in TERMINAL or len(line) > 120:
        return False
    mine = set(words_of(line))
    theirs = set(words_of(label))
    return len(theirs) >= 2 and len(mine & theirs) >= max(2, len(theirs) - 1)
