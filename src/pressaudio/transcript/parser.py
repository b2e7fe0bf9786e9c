"""Transcript text -> Transcript: who says what, in which role, under which heading.

The parse runs in passes over the lines, each linear in the size of the text:

1. front matter (`---` YAML at the top) gives title/date/time and is dropped from speech;
2. every line is cleaned (markdown escapes, inline tags, odd spaces) and checked for page
   chrome (`boilerplate`) and for a speaker label (`labels.match_label`);
3. labels are accepted by shape *and* position: a label starts a paragraph, so a
   `Surname:` that begins a hard-wrapped continuation line is text, unless the label is
   strong (a role word, capitals) or recurs; a weak one-off label (`Tuberville:`) needs
   support (it recurs or names someone another label names);
4. lines become paragraphs: a blank line separates paragraphs; in hard-wrapped text
   (lines of at most ~100 characters running on) consecutive lines join with a space;
   otherwise each line is its own paragraph;
5. the paragraphs before the first label (the header) yield title, date/time, place and
   headings, and any prose there is an opening turn (by the official a heading or the title
   names when it is first-person speech, else by the narrator);
6. from the first label on, a label paragraph starts a turn, a heading (short, no final
   punctuation, numbered or followed by a label) starts a section, and anything else
   continues the current turn;
7. speakers are identified and given roles (`speakers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Literal

from pressaudio.english import sentence_ends, wordset
from pressaudio.model import NARRATOR_KEY, Role, Speaker, Transcript, Turn
from pressaudio.transcript.boilerplate import (
    clean,
    is_boilerplate,
    is_closing_mark,
    is_issuer_line,
    is_statement_mark,
    soft_clean,
    trailer_date,
)
from pressaudio.transcript.dates import (
    DateLine,
    combine,
    find_date,
    parse_date_value,
    parse_dateline,
)
from pressaudio.transcript.frontmatter import split_front_matter
from pressaudio.transcript.labels import (
    CONNECTORS,
    CORE_TITLE_WORDS,
    LabelMatch,
    match_label,
    words_of,
)
from pressaudio.transcript.pages import footnotes, page_chrome
from pressaudio.transcript.speakers import (
    Identity,
    assign_roles,
    defined_acronyms,
    identify,
    parse_label,
)

__all__ = ["parse"]



_LONG_LINE = 110  # a line longer than this is not hard-wrapped text
_TERMINAL = frozenset('.?!:;"”’)…—–-')
_HEADING_END_BAD = frozenset('.?!;:,"”’…—–-')
_NUMBERED = re.compile(
    r"^(?:\(\s?\d{1,2}\s?\)|\d{1,2}[.)](?!\d)|[IVX]{1,5}\.|\(?[a-h]\)|[０-９]{1,2}[.．)）])\s*(?=\S)"
)
_BULLET = re.compile(r"^[-•・■□◆◇●○▶►▪*]\s+(?=\S)")
_MD_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
_HEADING_KEYS = (
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
_STATEMENT_BY = re.compile(
    r"\b(?:statement|remarks|address|speech|announcement|message|introduction|comments|"
    r"briefing)\b"
    r".{0,80}?\bby\s+(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
_TITLE_BY = re.compile(r"\bby\s+(?:the\s+)?(.+)$", re.IGNORECASE)
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
_CATEGORY_ENDS = wordset(
    "briefings conferences highlights transcripts releases interviews statements speeches"
)
_LOC_HEADS = wordset(
    "room garden hall lawn office teleconference residence palace building center centre "
    "auditorium club chamber chambers airport base hotel embassy consulate headquarters hq "
    "mansion library theater theatre terminal airfield ship one plaza park arena stadium "
    "museum university school lounge foyer lobby atrium pavilion kantei secretariat "
    "parliament congress capitol senate venue portico colonnade entrance porch tarmac "
    "deck ballroom salon suite conference-room"
)
_LOC_STARTS = ("via ", "aboard ", "on board ", "onboard ", "en route ", "in-flight ", "in flight ")
_NOT_PLACE = re.compile(r"\b(?:conference|remarks|interview|gaggle|briefing by|by)\b")
_CITY_COUNTRY = re.compile(r"^[A-Z][\w.'’\- ]{0,40}, [A-Z][\w.'’\- ]{0,40}$")
_NOT_HEADING_FIRST = wordset(
    "thank thanks okay ok yes no yeah yep nope sure go please well so and but or oh hi "
    "hello good great right all i i'm i'll i've we we're we'll you he she they it it's "
    "mr mr. ms ms. mrs mrs. sir ma'am madam let let's now then because if when what why "
    "how who that this there here just um uh ah again also anyway alright absolutely "
    "exactly correct indeed next"
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I'd|I’d|I've|I’ve|I'll|I’ll|we|We|my|My|our|Our|me)\b")


# what a paragraph above the first label is: the title, a fact kept in the metadata
# (byline), a date/place line read into the header (meta), chrome (drop), a heading, or prose
HeaderKind = Literal["title", "byline", "meta", "drop", "heading", "prose"]


@dataclass(slots=True)
class _Para:
    start: int  # 0-based index of its first line in the whole text
    lines: list[str]
    label: LabelMatch | None = None
    last_len: int = 0  # length of the last physical line (for hard-wrap joining)
    text: str = ""  # the lines joined, set once the paragraph is complete
    single: bool = True
    fresh: bool = False  # right after "Check against delivery": a prepared statement starts


@dataclass
class _TurnDraft:
    label: str  # as written ("" when unlabelled)
    who: str  # the label (or implicit label) that names the speaker; "" for the narrator
    line: int  # 1-based
    section: str | None
    paras: list[str] = field(default_factory=list)


@dataclass
class _Meta:
    title: str | None = None
    title_from_front_matter: bool = False
    days: list[date] = field(default_factory=list)  # every date the header gives
    hour: int | None = None
    minute: int | None = None
    tz: tzinfo | None = None
    time_seen: bool = False
    locations: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # bylines and other header facts

    def take(self, dl: DateLine) -> None:
        if dl.day is not None:
            self.days.append(dl.day)
        if dl.hour is not None and not self.time_seen:
            self.hour, self.minute, self.tz, self.time_seen = dl.hour, dl.minute, dl.tz, True
        if dl.place and not self.locations:
            self.locations.append(dl.place)


def _split_lines(text: str) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.split("\n")


def parse(text: str, *, source: str, default_tz: tzinfo | None = None) -> Transcript:
    """Parse the text of one press-conference transcript.

    `source` names the input in warnings; `default_tz` is attached to a time the text gives
    without a zone. Never raises on odd text: what it cannot place becomes narration.
    """
    lines = _split_lines(text)
    meta = _Meta()
    warnings: list[str] = []
    fm = split_front_matter(lines)
    body_from = 0
    fm_day: date | None = None
    fm_time: DateLine | None = None
    if fm is not None:
        body_from = fm.end_line + 1
        title = " ".join(clean(fm.fields.get("title", "")).split())
        meta.title = title or None
        meta.title_from_front_matter = bool(title)
        for key in ("date", "time"):
            value = fm.fields.get(key, "").strip()
            if not value:
                continue
            day, dl = parse_date_value(value)
            if key == "date" and day:
                fm_day = day
            if dl is not None and dl.hour is not None:
                fm_time = dl
    paras, notes = _paragraphs(lines, body_from)
    meta.extra.extend(notes)  # a PDF's footnotes: kept with the document, not read in a turn
    first_label = next((i for i, p in enumerate(paras) if p.label is not None), None)
    if first_label is not None:
        paras = _split_header_block(paras, first_label)
        first_label = next(i for i, p in enumerate(paras) if p.label is not None)
    header_end = first_label if first_label is not None else len(paras)
    heading_at = _headings(paras, header_end)

    drafts: list[_TurnDraft] = []
    sections: list[str] = []
    pending: list[str] = []  # headings not yet attached to a turn
    section: str | None = None
    last_heading: str | None = None

    def open_section() -> str | None:
        nonlocal section, pending
        if pending:
            section = " - ".join(pending)
            sections.append(section)
            pending = []
        return section

    # --- the header: title, date, place, headings, opening prose ---------------------------
    prose_run: _TurnDraft | None = None
    title_at = next(
        (i for i in range(header_end) if paras[i].single and _title_like(paras[i].text)), -1
    )
    for i in range(header_end):
        p = paras[i]
        t = p.text
        kind = _header_kind(p, i, paras, header_end, meta, heading_at)
        if i < title_at and kind in ("heading", "prose") and p.single and len(t) <= 120:
            kind = "byline"  # page chrome above the title: site name, menu, category
        if kind == "title":
            meta.title = t
            continue
        if kind == "byline":
            meta.extra.append(t)
            continue
        if kind in ("drop", "meta"):
            continue
        if kind == "heading":
            pending.append(heading_at[i])
            last_heading = heading_at[i]
            prose_run = None
            continue
        # prose before the first label
        if prose_run is None:
            who = (
                _statement_speaker(last_heading)
                or next((d.who for d in reversed(drafts) if d.who), None)  # a topic heading
                or _title_speaker(meta.title, t)
                or ""
            )
            prose_run = _TurnDraft(label="", who=who, line=p.start + 1, section=open_section())
            drafts.append(prose_run)
        prose_run.paras.append(t)

    # --- the body: turns, headings, continuation paragraphs --------------------------------
    current: _TurnDraft | None = None
    heading_since = False
    answerer = _unlabelled_answerer(paras, header_end, meta.title, drafts)
    asking = False  # inside a question whose answer comes unlabelled
    for i in range(header_end, len(paras)):
        p = paras[i]
        if p.label is not None:
            label = p.label.label
            current = _TurnDraft(label=label, who=label, line=p.start + 1, section=open_section())
            rest = p.text
            if rest:
                current.paras.append(rest)
            drafts.append(current)
            heading_since = False
            asking = answerer is not None
            continue
        t = p.text
        if asking and current is not None:
            asked = [x for x in current.paras if x]
            if asked and (_ends_question(asked[-1]) or len(asked) >= _QUESTION_PARAS):
                # "Q. ...?" then the answer with no label: the official the document names
                current = _TurnDraft(
                    label="", who=answerer or "", line=p.start + 1, section=current.section
                )
                drafts.append(current)
                asking = False
            else:
                current.paras.append(t)
                continue
        if p.single and _is_time_only(t):
            continue  # an end (or resumption) time: "4:20 P.M. EDT"
        if p.single and (fact := match_label(t)) is not None and fact.meta == "contact":
            meta.extra.append(t)  # "Media Contact: ..." at the foot of the page
            continue
        if i in heading_at:
            pending.append(heading_at[i])
            last_heading = heading_at[i]
            heading_since = True
            continue
        if current is None or heading_since or p.fresh:
            who = (_statement_speaker(last_heading) if heading_since else None) or (
                _official_after(current, answerer, meta.title) if current is not None else ""
            )
            current = _TurnDraft(label="", who=who, line=p.start + 1, section=open_section())
            drafts.append(current)
            heading_since = False
        current.paras.append(t)
    _drop_cut_off_label(drafts, meta, warnings, source)
    if pending:  # headings after the last turn still belong to the document
        sections.append(" - ".join(pending))

    trailer_day = trailer_date(lines[body_from:])
    acronyms = defined_acronyms(text)
    return _assemble(
        source, meta, fm_day, fm_time, trailer_day, default_tz, sections, drafts, warnings,
        acronyms,
    )


# --- paragraphs ---------------------------------------------------------------------------


def _paragraphs(lines: list[str], start: int) -> tuple[list[_Para], list[str]]:
    """The paragraphs of the body, and the footnotes found at the pages' feet."""
    n = len(lines) - start
    cleaned: list[str] = [""] * n
    drop = [False] * n
    candidates: list[LabelMatch | None] = [None] * n
    softs: list[str] = [""] * n
    for k in range(n):
        soft = softs[k] = soft_clean(lines[start + k])
        c = cleaned[k] = " ".join(soft.split())
        drop[k] = bool(c) and is_boilerplate(c)
    chrome = page_chrome(cleaned, lambda line: match_label(line) is not None)
    notes = footnotes(cleaned, chrome)
    for k in notes.marks:
        softs[k] = notes.unmark(k, softs[k])
        cleaned[k] = " ".join(softs[k].split())
    for k in range(n):
        if cleaned[k] and not drop[k] and k not in chrome and k not in notes.lines:
            lm = match_label(softs[k])
            if lm is not None and lm.meta is None:
                candidates[k] = lm
    chrome = chrome | notes.lines
    for k in chrome:
        drop[k] = True
    # "POST-CABINET PRESS CONFERENCE: MONDAY, 4 MARCH 2024" is a title, not a label: nobody
    # says only a full date
    for k, lm in enumerate(candidates):
        if lm is not None and 0 < len(lm.rest.strip()) <= 60 and not lm.bare:
            dl = parse_dateline(lm.rest.strip())
            if dl is not None and dl.day is not None and dl.place is None:
                candidates[k] = None
    # "DOORSTOP: RUDDOCK DISCUSSES ..." or "<Summit>: press remarks by the High
    # Representative ..." above the first label is the page's title, not a speaker
    first_other = next((k for k, lm in enumerate(candidates) if lm is not None), n)
    lm0 = candidates[first_other] if first_other < n else None
    if lm0 is not None and not lm0.bare and lm0.rest.strip() and (
        _title_like(lm0.label) or _title_like(lm0.rest.strip())
    ):
        key0 = lm0.label.casefold()
        if sum(1 for lm in candidates if lm is not None and lm.label.casefold() == key0) == 1:
            candidates[first_other] = None
    # "Chair: Welty" above "CHAIR WELTY: Good morning." is a fact about the chair, not a turn
    label_words = {frozenset(words_of(lm.label)) for lm in candidates if lm is not None}
    for k, lm in enumerate(candidates):
        if lm is not None and _role_and_name(lm) is not None:
            want = _role_and_name(lm)
            if want is not None and any(want <= ws for ws in label_words):
                candidates[k] = None
    # "Spokesperson: Mr. X, Director-General" inside a Date:/Time:/Venue: block is a fact
    for k in range(1, n):
        lm = candidates[k]
        if lm is None:
            continue
        if cleaned[k - 1] and (prev := match_label(cleaned[k - 1])) is not None and prev.meta:
            if lm.rest.strip():
                candidates[k] = None
            continue
        break  # only the block above the first label
    # An end mark (`ENDS`, `- 30 -`, `(Concluded)`, `[END OF BRIEFING]`) with no speaker label
    # after it: what follows is the page's footer (`Authorised by ...`, place and date lines).
    last_label = max((k for k, lm in enumerate(candidates) if lm is not None and lm.strong),
                     default=-1)  # fmt: skip
    for k in range(last_label + 1, n):
        mark = cleaned[k] and (
            is_closing_mark(cleaned[k]) or is_closing_mark(lines[start + k].strip())
        )  # "*****" before its emphasis markers are cleaned away
        if mark and any(
            cleaned[j] and not drop[j] for j in range(last_label, k) if j >= 0
        ):
            for j in range(k, n):
                drop[j] = True
            break
    # Hard wrap: lines of at most ~100 characters running on into the next line. The
    # speech after a label counts, not the label, so long labels do not hide the wrapping.
    content = [
        len(lm.rest.strip()) if (lm := candidates[k]) is not None else len(cleaned[k])
        for k in range(n)
    ]
    lengths = [content[k] for k in range(n) if cleaned[k] and not drop[k]]
    long_lines = sum(1 for x in lengths if x > _LONG_LINE)
    run_on = sorted(
        content[k]
        for k in range(n - 1)
        if cleaned[k] and cleaned[k + 1] and not drop[k] and 0 < content[k] <= _LONG_LINE
    )
    hard_wrapped = bool(run_on) and long_lines <= 0.1 * len(lengths)
    width = run_on[int(len(run_on) * 0.9)] if run_on else 0
    join_min = max(0.6 * width, 20)

    def wrapped_before(k: int) -> bool:
        """The line before k is hard-wrapped text running on into line k."""
        if k == 0 or not cleaned[k - 1] or drop[k - 1] or not hard_wrapped:
            return False
        prev = cleaned[k - 1]
        return join_min <= len(prev) and content[k - 1] <= _LONG_LINE and prev[-1] not in _TERMINAL

    def clean_start(k: int) -> bool:
        """Line k opens a paragraph: after a blank line, or after a finished sentence."""
        if k == 0 or not cleaned[k - 1] or drop[k - 1]:
            return True
        return not hard_wrapped and cleaned[k - 1][-1] in '.?!”")'

    counts: dict[str, int] = {}
    for k, lm in enumerate(candidates):
        if lm is not None and not wrapped_before(k):
            key = lm.label.casefold()
            counts[key] = counts.get(key, 0) + 1
    has_q = any(lm is not None and lm.label in ("Q", "q", "Q.") for lm in candidates)
    accepted: list[LabelMatch | None] = [None] * n
    weak: list[int] = []
    seen_label = False
    for k, lm in enumerate(candidates):
        if lm is None:
            continue
        if lm.bare and lm.label in ("A", "A.") and not has_q:
            continue
        recurring = counts.get(lm.label.casefold(), 0) >= 2 and not lm.enclosed
        opens_speech = lm.strong and not lm.rest.lstrip()[:1].islower()
        if (
            not seen_label
            and opens_speech
            and k > 0
            and _names_above(cleaned[k - 1], lm.label)
        ):
            accepted[k] = lm  # a byline naming the first speaker sits right above the label
            seen_label = True
            continue
        if wrapped_before(k) and not (
            (recurring or lm.bare) and lm.strong and not lm.rest.lstrip()[:1].islower()
        ):
            continue  # a hard-wrapped line that happens to start with "Name:"
        if lm.strong or recurring:
            accepted[k] = lm
            seen_label = True
        else:
            weak.append(k)
    if weak:
        known: set[str] = set()
        for lm in accepted:
            if lm is not None:
                known.update(w for w in words_of(lm.label) if len(w) > 1)
        for k in weak:
            lm = candidates[k]
            assert lm is not None
            rest = lm.rest.strip()
            if rest[:1].islower():
                continue
            named = any(w in known for w in words_of(lm.label))
            # a one-word label opening a paragraph ("Sidhant: Sir, ...", "Matt:" alone on
            # its line) is a label too
            opens = not lm.enclosed and (rest[:1].isupper() or not rest) and clean_start(k)
            if named or opens:
                accepted[k] = lm

    paras: list[_Para] = []
    cur: _Para | None = None
    broken: _Para | None = None  # the paragraph a PDF page break cut, mid-sentence
    statement = False  # a "Check against delivery" mark was passed: the next paragraph is fresh
    for k in range(n):
        c = cleaned[k]
        if c and drop[k] and is_statement_mark(c):
            statement = True
        if not c or drop[k]:
            if k in chrome and paras and broken is None:
                broken = paras[-1]
            elif k not in chrome and cleaned[k]:
                broken = None
            cur = None
            continue
        if broken is not None and accepted[k] is None and _runs_on(broken.lines[-1], c):
            cur = broken  # "... what is needed to" / page header / "provide jobs ..."
        broken = None
        lm = accepted[k]
        if lm is not None:
            rest = " ".join(lm.rest.split())
            cur = _Para(start=start + k, lines=[rest], label=lm, last_len=len(c))
            paras.append(cur)
            statement = False
            continue
        if (
            cur is not None
            and not _breaks_before(cur, c)
            and (
                (hard_wrapped and join_min <= cur.last_len and content[k - 1] <= _LONG_LINE)
                or _runs_on(cur.lines[-1], c)
            )
        ):
            cur.lines.append(c)
            cur.last_len = len(c)
            continue
        cur = _Para(start=start + k, lines=[c], last_len=len(c), fresh=statement)
        paras.append(cur)
        statement = False
    for p in paras:
        p.text = " ".join(x for x in p.lines if x)
        p.single = len(p.lines) == 1
    return paras, [cleaned[k] for k in sorted(notes.lines)]


def _names_above(line: str, label: str) -> bool:
    """`line` (the line above a label) is a byline naming the same person as `label`."""
    if not line or line[-1] in _TERMINAL or len(line) > 120:
        return False
    mine = set(words_of(line))
    theirs = set(words_of(label))
    return len(theirs) >= 2 and len(mine & theirs) >= max(2, len(theirs) - 1)


def _breaks_before(cur: _Para, line: str) -> bool:
    """Line `line` starts a new paragraph although it follows `cur` without a blank line."""
    if cur.label is not None and not any(cur.lines):
        return True  # "Question:" alone: its speech is the next paragraph
    if parse_dateline(line) is not None or (len(cur.lines) == 1 and parse_dateline(cur.lines[0])):
        return True
    first = cur.lines[0]
    if len(cur.lines) == 1 and first.startswith("[") and first.endswith("]"):
        return _bracket_heading(first)  # "[Opening Statement by ...]" then its speech
    if not _could_be_strong_heading(line):
        return False
    shape = _heading_shape(line)
    if shape is not None and shape[0]:  # a numbered, bulleted or keyword heading
        last = cur.lines[-1]
        return last[-1:] in _TERMINAL or _heading_shape(last) is not None
    return False


def _runs_on(last: str, line: str) -> bool:
    """`last` stops mid-sentence and `line` carries on in lower case: one sentence."""
    return bool(last) and last[-1] not in _TERMINAL and line[:1].islower()


def _could_be_strong_heading(line: str) -> bool:
    return bool(
        _MD_HEADING.match(line)
        or (line.startswith("[") and line.endswith("]") and _bracket_heading(line))
        or _BULLET.match(line)
        or _NUMBERED.match(line)
        or line.lower().startswith(_HEADING_KEYS)
    )


# --- headings -----------------------------------------------------------------------------


def _heading_shape(text: str) -> tuple[bool, str] | None:
    """(strong, display text) when `text` reads as a heading, else None."""
    if not text or len(text) > 160:
        return None
    display = text
    strong = False
    m = _MD_HEADING.match(text)
    if m:
        return True, text[m.end() :].strip()
    m = _BULLET.match(text)
    if m:
        display = text[m.end() :].strip()
        strong = True
    elif (num := _NUMBERED.match(text)) is not None:
        display = text[num.end() :].strip()  # "1. Opening remarks" -> "Opening remarks"
        strong = True
    body = display
    words = body.split()
    if not words or len(words) > 24:
        return None
    if body.endswith((":", "：")) and body[:-1].lower().startswith(_HEADING_KEYS):
        return True, body[:-1].rstrip()  # "Opening Remarks:"
    if body[-1] in _HEADING_END_BAD:
        last = words[-1]
        if not (body[-1] == "." and last.count(".") >= 2 and len(last) <= 6):  # "U.S."
            return None
    if body.startswith("[") and body.endswith("]") and _bracket_heading(body):
        return True, body[1:-1].strip()  # [Questions and Answers]
    if body.startswith(("(", "[")) and body.endswith((")", "]")) and not _NUMBERED.match(body):
        return None  # a stage direction: (Laughter.)
    first_alpha = next((c for c in body if c.isalpha()), "")
    if not first_alpha or (first_alpha.islower() and not strong):
        return None
    if _sentence_inside(body):
        return None  # a sentence ends inside: this is prose
    low = body.lower()
    if low.startswith(_HEADING_KEYS):
        return True, display
    first = words[0].strip(",.:;!?\"“”'’").lower()
    if first in _NOT_HEADING_FIRST and not strong:
        return None
    if not strong and len(words) < 2 and low not in ("q&a", "q&as"):
        return None
    return strong, display


def _bracket_heading(text: str) -> bool:
    """`[Opening Statement by the Prime Minister]`: a heading in square brackets."""
    inner = text[1:-1].strip()
    if not inner or "[" in inner or "]" in inner or inner[-1] in _HEADING_END_BAD:
        return False
    return inner.lower().startswith(_HEADING_KEYS) or _STATEMENT_BY.search(inner) is not None


def _sentence_inside(text: str) -> bool:
    """A sentence ends inside `text`, before its end ("Mr." and "U.S. Special" do not)."""
    last = len(text.rstrip())
    return any(end < last for end in sentence_ends(text))


def _headings(paras: list[_Para], header_end: int) -> dict[int, str]:
    """Index -> display text of every paragraph that is a section heading."""
    n = len(paras)
    shapes: list[tuple[bool, str] | None] = [None] * n
    for i, p in enumerate(paras):
        if p.label is None and p.single:
            shapes[i] = _heading_shape(p.text)
    # leads[i]: paragraph i is followed by a label, possibly through a chain of headings
    leads = [False] * (n + 1)
    for i in range(n - 1, -1, -1):
        nxt = i + 1
        if nxt >= n:
            leads[i] = False
        elif paras[nxt].label is not None:
            leads[i] = True
        else:
            leads[i] = shapes[nxt] is not None and leads[nxt]
    out: dict[int, str] = {}
    for i, shape in enumerate(shapes):
        if shape is None:
            continue
        prev = paras[i - 1] if i else None
        if prev is not None and prev.label is not None and not prev.text:
            continue  # "Question:" on its own line: this is the question
        strong, display = shape
        in_header = i < header_end
        if strong or leads[i] or (in_header and i + 1 < n):
            out[i] = display
    return out


# --- the header ---------------------------------------------------------------------------


def _header_kind(
    p: _Para, i: int, paras: list[_Para], header_end: int, meta: _Meta, heading_at: dict[int, str]
) -> HeaderKind:
    """What a paragraph before the first label is: title, meta, drop, heading or prose."""
    t = p.text
    if not p.single:
        return "prose"
    if _FACT_KEY.match(t):
        return "byline"  # "Topics: ...", "Speakers: ...", "HOSTED BY THE PRIME MINISTER"
    mlab = match_label(t)
    if mlab is not None and (
        _names_a_later_label(mlab, paras, header_end)
        or (mlab.meta is None and _in_key_block(p, i, paras))
    ):
        return "byline"
    if mlab is not None and mlab.meta is not None:
        value = clean(mlab.rest)
        if mlab.meta in ("place", "venue", "location", "where"):
            if value:
                meta.locations.append(value)
            return "meta"
        dl = parse_dateline(value)
        if dl is not None:
            meta.take(dl)
            return "meta"
        day = find_date(value) if mlab.meta in ("date", "when") else None
        if day is not None:  # "Date : 2024-03-14   Hit : 412"
            meta.days.append(day)
        return "byline"
    dl = parse_dateline(t)
    if dl is None and t.endswith(")") and "(" in t:  # "12 March 2024 (11:16 A.M. – 12:03 P.M.)"
        dl = parse_dateline(t[: t.rindex("(")].strip())
        if dl is not None and dl.day is not None:
            meta.take(dl)
            return "byline"
        dl = None
    if dl is not None:
        meta.take(dl)
        return "meta"
    m = _STAMP.match(t)
    if m is not None:  # "Published: 12 March 2024", "Date : 2024-03-14   Hit : 412"
        value = m.group(1)
        dl = parse_dateline(value)
        if dl is not None:
            meta.take(dl)
            return "meta"
        day = find_date(value)
        if day is not None:
            meta.days.append(day)
            return "byline"
    if is_issuer_line(t) and not _location_like(t, adjacent=False):
        return "drop"
    if _MEDIA_LINK.search(t) and len(t.split()) <= 8:
        return "byline"  # "Webcast of the press briefing Webcast", "Watch the video"
    if _title_like(t):
        if meta.title is None:
            return "title"
        if meta.title_from_front_matter and _similar(t, meta.title):
            return "drop"  # the page repeats the title its front matter gives
    if _location_like(t, adjacent=_next_is_dateline(paras, i, header_end)):
        meta.locations.append(t)
        return "meta"
    if _is_byline(t, paras, i, header_end):
        return "byline"
    if (
        meta.title is None
        and i == _first_kept(paras, i)
        and _heading_shape(t) is not None
        and find_date(t) is not None
        and not any(paras[j].single and _title_like(paras[j].text) for j in range(header_end))
    ):
        return "title"  # the page's first line, dated: "Noon briefing of 14 March 2024"
    if i in heading_at:
        return "heading"
    if (
        meta.title is None
        and _heading_shape(t) is not None
        and _next_is_dateline(paras, i, header_end)
    ):
        return "title"
    return "prose"


_FACT_KEY = re.compile(
    r"^(?:(?:topics?|subjects?|speakers?|participants?|attendees|panel|panellists|"
    r"panelists|present|media\s+enquiries|media\s+contact|contact)\s*[:：]|hosted\s+by\s)",
    re.IGNORECASE,
)
_STAMP = re.compile(
    r"^(?:published|posted|updated|last updated|issued|released|release date|date)\s*[:：]\s*(.+)$",
    re.IGNORECASE,
)


# a link to the recording, left as text: "Webcast of the press briefing Webcast", "Video"
_MEDIA_LINK = re.compile(
    r"^(?:webcast|video|audio|podcast|watch|listen|download|photos?)\b"
    r"|\b(?:webcast|video|audio|podcast|photos?|pdf)\)?$",
    re.IGNORECASE,
)


def _in_key_block(p: _Para, i: int, paras: list[_Para]) -> bool:
    """The line right under a `Date:`/`Time:`/`Venue:` line, with no blank line between."""
    if i == 0 or not p.single:
        return False
    prev = paras[i - 1]
    if prev.start + len(prev.lines) != p.start:
        return False
    lm = match_label(prev.lines[-1])
    return lm is not None and lm.meta is not None


def _role_and_name(lm: LabelMatch) -> frozenset[str] | None:
    """`Chair: Welty` -> {chair, welty}: one role word, then only a short capitalised name."""
    role = words_of(lm.label)
    rest = lm.rest.strip()
    name = words_of(rest)
    if len(role) != 1 or not 1 <= len(name) <= 3 or rest[-1:] in ".?!,;:":
        return None
    if not all(w[:1].isupper() for w in rest.split()):
        return None
    return frozenset(role) | frozenset(name)


def _names_a_later_label(lm: LabelMatch, paras: list[_Para], header_end: int) -> bool:
    """`Chair: Welty` (a role word, then a name the later label `CHAIR WELTY` carries)."""
    want = _role_and_name(lm)
    if want is None:
        return False
    return any(
        p.label is not None and want <= set(words_of(p.label.label)) for p in paras[header_end:]
    )


def _first_kept(paras: list[_Para], i: int) -> int:
    """`i` when no paragraph before it is anything but boilerplate (the header's first line)."""
    for j in range(i):
        if not _is_chrome(paras[j].text):
            return j
    return i


def _is_chrome(text: str) -> bool:
    return parse_dateline(text) is not None or is_issuer_line(text)


def _is_byline(t: str, paras: list[_Para], i: int, header_end: int) -> bool:
    """`Matthew Miller, Department Spokesperson`, or the first speaker's name above the label."""
    if len(t) > 120 or t[-1:] in ".?!:;" or _sentence_inside(t):
        return False
    if i + 1 == header_end and header_end < len(paras):
        lab = paras[header_end].label
        if lab is not None:
            mine = set(words_of(t))
            theirs = set(words_of(lab.label))
            if mine and theirs and len(mine & theirs) >= max(2, len(theirs) - 1):
                return True
    if ", " not in t:
        return False
    name, _, role = t.partition(", ")
    nw = name.split()
    if not 2 <= len(nw) <= 5 or not all(w[:1].isupper() for w in nw):
        return False
    rw = words_of(role)
    return 0 < len(rw) <= 8 and any(w in CORE_TITLE_WORDS for w in rw)


def _split_header_block(paras: list[_Para], first_label: int) -> list[_Para]:
    """Stacked header lines (title, byline, place, date) joined as one paragraph come apart."""
    out: list[_Para] = []
    for i, p in enumerate(paras):
        if i >= first_label or p.single or not _header_block(p.lines):
            out.append(p)
            continue
        for k, line in enumerate(p.lines):
            out.append(_Para(start=p.start + k, lines=[line], last_len=len(line), text=line))
    return out + paras[len(paras) :]


def _header_block(lines: list[str]) -> bool:
    for line in lines:
        if not line or len(line) > 120:
            return False
        if parse_dateline(line) is not None or _STAMP.match(line):
            continue
        if line[-1] in ".?!;" or _sentence_inside(line) or line[0].islower():
            return False
    return True


def _next_is_dateline(paras: list[_Para], i: int, header_end: int) -> bool:
    if i + 1 >= header_end or not paras[i + 1].single:
        return False
    t = paras[i + 1].text
    if t.endswith(")") and "(" in t:
        t = t[: t.rindex("(")].strip() or t
    return parse_dateline(t) is not None


def _title_like(text: str) -> bool:
    low = text.lower()
    if len(text) > 250 or low.startswith(("opening ", "closing ", "introductory ")):
        return False
    if text[-1:] in "?!" or (text.endswith(".") and text.count(". ") >= 1):
        return False
    if low.rsplit(None, 1)[-1] in _CATEGORY_ENDS:
        return False  # a site's category: "Spokesperson's Press Briefings"
    return any(k in low for k in _TITLE_KEYS)


_DOTTED = re.compile(r"(?:^|\s)(?:[A-Z]\.){2,}$")  # "Washington, D.C."


def _location_like(text: str, *, adjacent: bool) -> bool:
    words = text.split()
    if not words or len(words) > 10:
        return False
    if text[-1:] in ".?!:;" and not _DOTTED.search(text):
        return False
    low = text.lower()
    if _NOT_PLACE.search(low):
        return False
    if low.startswith(_LOC_STARTS):
        return True
    last = words[-1].strip(",.()").lower()
    if last in _LOC_HEADS and words[0][:1].isupper():
        return True
    return adjacent and bool(_CITY_COUNTRY.match(text)) and len(words) <= 6


def _similar(a: str, b: str) -> bool:
    wa = set(re.findall(r"\w+", a.lower()))
    wb = set(re.findall(r"\w+", b.lower()))
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _is_time_only(text: str) -> bool:
    dl = parse_dateline(text)
    return dl is not None and dl.day is None and dl.place is None


def _person_phrase(phrase: str, *, title_ok: bool = False) -> str | None:
    phrase = phrase.strip(" .,:;[]")
    if not phrase or " and " in phrase or " & " in phrase or len(phrase.split()) > 8:
        return None
    info = parse_label(phrase)
    if info.kind == "person":
        return phrase
    if title_ok and info.kind == "title" and info.role_hint == "minister":
        return phrase  # "Opening Statement by the Prime Minister"
    return None


def _statement_speaker(heading: str | None) -> str | None:
    """`Opening Statement by Prime Minister Naoto Kan` -> `Prime Minister Naoto Kan`."""
    if not heading:
        return None
    m = _STATEMENT_BY.search(heading)
    return _person_phrase(m.group(1), title_ok=True) if m else None


def _title_speaker(title: str | None, prose: str) -> str | None:
    """The one official a title names (`... by Foreign Minister X`), for first-person prose."""
    if not _FIRST_PERSON.search(prose):
        return None
    return _title_person(title)


# where a title stops naming its speaker: "... Federica Mogherini upon arrival at ..."
_OCCASION = re.compile(
    r"\s+(?:upon|on|at|in|after|ahead\s+of|before|during|following|to|with|for|from|"
    r"about|regarding|concerning)\s.*$|\s+[-–—|]\s.*$|\s*[(\[].*$",
    re.IGNORECASE,
)


def _title_person(title: str | None) -> str | None:
    """`Remarks by High Representative/Vice-President Federica Mogherini upon arrival ...`
    -> `High Representative Vice-President Federica Mogherini`: the one official it names."""
    if not title:
        return None
    m = _TITLE_BY.search(title)
    if m is None:
        return None
    phrase = _OCCASION.sub("", m.group(1).replace("/", " "))
    return _person_phrase(phrase)


_TITLE_DASH = re.compile(r"\s[-–—]\s(?!.*\s[-–—]\s)(.+)$")


def _title_place(title: str | None) -> str | None:
    """`Doorstop interview – Parliament House, Canberra` -> `Parliament House, Canberra`:
    a place written after a dash at the end of the title."""
    if not title:
        return None
    m = _TITLE_DASH.search(title)
    if m is None:
        return None
    place = m.group(1).strip(" .")
    words = place.replace(",", " ").split()
    if not 1 <= len(words) <= 6 or any(c.isdigit() for c in place) or find_date(place):
        return None
    if not all(w[:1].isupper() or w.lower() in CONNECTORS for w in words):
        return None
    low = {w.lower().strip("’'s") for w in words}
    if low & (CORE_TITLE_WORDS | _NOT_PLACE_WORDS) or _title_like(place):
        return None
    return place


_NOT_PLACE_WORDS = wordset(
    "transcript remarks statement opening closing interview doorstop conference briefing "
    "gaggle press media excerpt excerpts q&a questions answers update part video audio "
    "english translation provisional unofficial full text as delivered prepared"
)


# --- assembly -----------------------------------------------------------------------------

_QUESTION_PARAS = 2  # a question with no question mark runs at most this many paragraphs
_NUMBERED_SPEAKER = re.compile(r"^(?:speaker|participant|person|voice)\s*\d{1,3}$", re.IGNORECASE)


def _titles_to_the_last_holder(drafts: list[_TurnDraft], ids: dict[str, Identity]) -> None:
    """`PRIME MINISTER:` in a joint press conference of two prime ministers is the one who
    last spoke under a `PRIME MINISTER <NAME>:` label (PDF transcripts shorten the label)."""
    holders: dict[str, list[str]] = {}  # title-only label -> the named labels holding it
    for who in {d.who for d in drafts if d.who}:
        info = parse_label(who)
        if info.kind != "title" or info.role_hint != "minister":
            continue
        want = {t.lower() for t in info.titles}
        named = [
            w for w in {d.who for d in drafts if d.who}
            if w != who and parse_label(w).kind == "person"
            and want <= {t.lower() for t in parse_label(w).titles}
        ]  # fmt: skip
        if len({ids[w].key for w in named}) >= 2:
            holders[who] = named
    if not holders:
        return
    last: dict[str, str] = {}  # title-only label -> the last named holder who spoke
    for d in drafts:
        for title, named in holders.items():
            if d.who in named:
                last[title] = d.who
        if d.who in holders:
            d.who = last.get(d.who, holders[d.who][0])


_CUT_LABEL = re.compile(r"^[A-Z][A-Z.’'\-]{0,11}$")


def _drop_cut_off_label(
    drafts: list[_TurnDraft], meta: _Meta, warnings: list[str], source: str
) -> None:
    """A page cut off inside a label (`... anything differently?` then `SEC`): the stub is
    kept in the metadata with a warning, neither a speaker nor part of the last question."""
    if not drafts or not any(d.label for d in drafts) or len(drafts[-1].paras) < 2:
        return
    last = drafts[-1].paras[-1]
    if _CUT_LABEL.match(last):
        drafts[-1].paras.pop()
        meta.extra.append(last)
        warnings.append(f"{source}: the text ends in {last!r}, taken for a cut-off label")


def _official_after(current: _TurnDraft, answerer: str | None, title: str | None) -> str:
    """Who speaks an unlabelled paragraph after `current`: its speaker, unless that is an
    anonymous reporter and the paragraph starts a prepared statement (`Check against
    delivery!` after `Q.`/`A.`): then the official who answers or whom the title names."""
    if current.who and parse_label(current.who).kind == "anon":
        return answerer or _title_person(title) or current.who
    return current.who


def _ends_question(text: str) -> bool:
    return text.rstrip(' )]"”’\u00a0').endswith("?")


def _unlabelled_answerer(
    paras: list[_Para], header_end: int, title: str | None, drafts: list[_TurnDraft]
) -> str | None:
    """Who answers when only the questions are labelled (EU doorsteps: `Q.` and no `A.`).

    None unless every label in the body is an anonymous reporter's; then the official whose
    unlabelled opening came first, or the one the title names, or a bare `A`.
    """
    labels = [p.label for p in paras[header_end:] if p.label is not None]
    if not labels or any(parse_label(lm.label).kind != "anon" for lm in labels):
        return None
    opener = next((d.who for d in drafts if d.who), None)
    return opener or _title_person(title) or "A"


def _answers_by_the_one_official(
    whos: list[str], ids: dict[str, Identity], title_person: str | None
) -> None:
    """A bare `A:` is the briefer when exactly one official is named (`Spokesperson Lim:`),
    in a label or else in the title (`Press remarks by High Representative Kaja Kallas`)."""
    answers = [w for w in whos if w.strip().rstrip(".").upper() == "A"]  # not "A1", "Answer"
    if not answers:
        return
    officials: dict[str, str] = {}
    for w in whos:
        if w not in answers and ids[w].role_hint == "minister":
            officials.setdefault(ids[w].key, w)
    if len(officials) == 1:
        only = ids[next(iter(officials.values()))]
        for w in answers:
            ids[w] = only
    elif not officials and title_person is not None:
        named = identify([title_person])[title_person]
        for w in answers:
            ids[w] = Identity(named.key, named.name, "minister")


def _assemble(
    source: str,
    meta: _Meta,
    fm_day: date | None,
    fm_time: DateLine | None,
    trailer_day: date | None,
    default_tz: tzinfo | None,
    sections: list[str],
    drafts: list[_TurnDraft],
    warnings: list[str],
    acronyms: frozenset[str],
) -> Transcript:
    # The briefing's date: the one its title gives; else the earliest the header gives (a
    # page is published on the day or later: IMF "June 6, 2014" above "Washington, D.C. /
    # June 5, 2014"); else the front matter's; else the one in the page's trailer.
    day = (
        (find_date(meta.title) if meta.title else None)
        or min(meta.days, default=None)
        or fm_day
        or trailer_day
    )
    hour, minute, tz = meta.hour, meta.minute, meta.tz
    if not meta.time_seen and fm_time is not None:
        hour, minute, tz = fm_time.hour, fm_time.minute, fm_time.tz
    held_at = combine(day, hour, minute, tz, default_tz)
    if day is None and hour is not None:
        warnings.append(f"{source}: the text gives a time but no date; held_at is unknown")

    for d in drafts:
        if d.label and not any(d.paras):
            # a label and no speech (a truncated page): keep its words, read by the narrator
            warnings.append(f"{source}:{d.line}: the label {d.label!r} is followed by no speech")
            d.paras, d.label, d.who = [d.label], "", ""
    labelled = [d for d in drafts if d.label or d.who]
    if not labelled and drafts:
        warnings.append(
            f"{source}: no speaker labels recognised; the narrator reads the whole text"
        )
    whos: list[str] = []
    for d in drafts:
        if d.who and d.who not in whos:
            whos.append(d.who)
    ids: dict[str, Identity] = identify(whos, acronyms=acronyms)
    _answers_by_the_one_official(whos, ids, _title_person(meta.title))
    _titles_to_the_last_holder(drafts, ids)
    for w, ident in list(ids.items()):
        if ident.role_hint is None and _NUMBERED_SPEAKER.match(w) and any(
            i.role_hint == "minister" for i in ids.values()
        ):
            # Rev's "Speaker 1", "Speaker 2" beside named officials: unnamed reporters
            ids[w] = Identity(ident.key, ident.name, "reporter")
    hints: dict[str, Role | None] = {}
    names: dict[str, str] = {}
    for ident in ids.values():
        if ident.key not in hints or hints[ident.key] is None:
            hints[ident.key] = ident.role_hint
        names.setdefault(ident.key, ident.name)
    seq = [(ids[d.who].key, "\n\n".join(d.paras)) for d in drafts if d.who]
    roles = assign_roles(hints, seq)

    turns: list[Turn] = []
    speakers: dict[str, Speaker] = {}
    for d in drafts:
        text = "\n\n".join(p for p in d.paras if p)
        if d.who:
            ident = ids[d.who]
            key, role = ident.key, roles.get(ident.key, "minister")
            if key not in speakers:
                speakers[key] = Speaker(key=key, name=names[key], role=role)
        else:
            key, role = NARRATOR_KEY, "narrator"
            if key not in speakers:
                speakers[key] = Speaker(key=key, name="Narrator", role="narrator")
        turns.append(
            Turn(speaker=key, label=d.label, role=role, section=d.section, text=text, line=d.line)
        )
    place = _title_place(meta.title) if not meta.locations else None
    location = ", ".join(dict.fromkeys(meta.locations)) or place
    return Transcript(
        source=source,
        title=meta.title,
        held_at=held_at,
        location=location,
        sections=tuple(sections),
        turns=tuple(turns),
        speakers=tuple(speakers.values()),
        warnings=tuple(warnings),
        metadata=tuple(meta.extra),
    )
