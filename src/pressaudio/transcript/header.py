"""Pass 5, header: what the paragraphs above the first label are, and what they tell.

Each paragraph there is the title, a fact kept in the metadata (a byline, `Topics: ...`),
a date, time or place line read into the header, page chrome to drop, a heading, or prose
(an opening statement). A table of rules decides, the first that recognises the paragraph
winning. The briefing's date is the one its title gives, else the earliest the header
gives, else the front matter's, else the one in the page's trailer (`Ends/<date>`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from pressaudio.english import wordset
from pressaudio.transcript.boilerplate import clean, is_issuer_line, trailer_date
from pressaudio.transcript.dates import DateLine, combine, find_date, parse_dateline
from pressaudio.transcript.headings import heading_shape
from pressaudio.transcript.intermediates import Header, HeaderKind, Headings, Paragraph
from pressaudio.transcript.labels import (
    CONNECTORS,
    CORE_TITLE_WORDS,
    LabelMatch,
    match_label,
    words_of,
)
from pressaudio.transcript.shapes import (
    STAMP,
    names_event,
    role_and_name,
    sentence_inside,
    title_like,
)

__all__ = ["read_header"]

_SHORT_LINE = 120  # a byline, or chrome above the title, is at most this long
_PLACE_KEYS = ("place", "venue", "location", "where")
_DATE_KEYS = ("date", "when")
_MEDIA_LINK_WORDS = 8
# "Topics: ...", "Speakers: ...", "HOSTED BY THE PRIME MINISTER": facts about the briefing
_FACT_KEY = re.compile(
    r"^(?:(?:topics?|subjects?|speakers?|participants?|attendees|panel|panellists|"
    r"panelists|present|media\s+enquiries|media\s+contact|contact)\s*[:：]|hosted\s+by\s)",
    re.IGNORECASE,
)
# a link to the recording, left as text: "Webcast of the press briefing Webcast", "Video"
_MEDIA_LINK = re.compile(
    r"^(?:webcast|video|audio|podcast|watch|listen|download|photos?)\b"
    r"|\b(?:webcast|video|audio|podcast|photos?|pdf)\)?$",
    re.IGNORECASE,
)
# a place: "James S. Brady Press Briefing Room", "Aboard Air Force One", "Tokyo, Japan"
_LOC_HEADS = wordset(
    "room garden hall lawn office teleconference residence palace building center centre "
    "auditorium club chamber chambers airport base hotel embassy consulate headquarters hq "
    "mansion library theater theatre terminal airfield ship one plaza park arena stadium "
    "museum university school lounge foyer lobby atrium pavilion kantei secretariat "
    "parliament congress capitol senate venue portico colonnade entrance porch tarmac "
    "deck ballroom salon suite conference-room"
)
_LOC_STARTS = ("via ", "aboard ", "on board ", "onboard ", "en route ", "in-flight ", "in flight ")
_LOC_MAX_WORDS = 10
_CITY_MAX_WORDS = 6
_NOT_PLACE = re.compile(r"\b(?:conference|remarks|interview|gaggle|briefing by|by)\b")
_CITY_COUNTRY = re.compile(r"^[A-Z][\w.'’\- ]{0,40}, [A-Z][\w.'’\- ]{0,40}$")
_DOTTED = re.compile(r"(?:^|\s)(?:[A-Z]\.){2,}$")  # "Washington, D.C."
_TITLE_DASH = re.compile(r"\s[-–—]\s(?!.*\s[-–—]\s)(.+)$")
_NOT_PLACE_WORDS = wordset(
    "transcript remarks statement opening closing interview doorstop conference briefing "
    "gaggle press media excerpt excerpts q&a questions answers update part video audio "
    "english translation provisional unofficial full text as delivered prepared"
)
_SIMILAR = 0.6  # a title repeated with this share of its words is the same title
_BYLINE_NAME_WORDS = (2, 5)
_BYLINE_ROLE_WORDS = 8


def read_header(headings: Headings) -> Header:
    """The header's kinds, title, date and time, place and facts."""
    paragraphs = headings.paragraphs
    lines = paragraphs.lines
    front = lines.front
    acc = _Facts(title=front.title, title_from_front_matter=front.title is not None)
    paras, header_end = paragraphs.paras, paragraphs.header_end
    title_at = next(
        (i for i in range(header_end) if paras[i].single and title_like(paras[i].text)), -1
    )
    kinds: list[HeaderKind] = []
    for i in range(header_end):
        p = paras[i]
        kind = acc.take(_kind_of(_At(p, i, headings, acc.title, acc.title_from_front_matter)))
        if (
            i < title_at
            and kind in ("heading", "prose")
            and p.single
            and len(p.text) <= _SHORT_LINE
        ):
            kind = "byline"  # page chrome above the title: site name, menu, category
        if kind == "title":
            acc.title = _untease(p.text)
        elif kind == "byline":
            acc.bylines.append(p.text)
        kinds.append(kind)
    trailer_day = trailer_date(lines.raw[lines.body_from :])
    day = (
        (find_date(acc.title) if acc.title else None)
        or min(acc.days, default=None)
        or front.day
        or trailer_day
    )
    time = acc.time if acc.time is not None else front.time
    hour, minute, tz = (time.hour, time.minute, time.tz) if time is not None else (None, None, None)
    warnings: list[str] = []
    if day is None and hour is not None:
        warnings.append(
            f"{lines.source.name}: the text gives a time but no date; held_at is unknown"
        )
    place = _title_place(acc.title) if not acc.locations else None
    return Header(
        headings=headings,
        kinds=tuple(kinds),
        title=acc.title,
        held_at=combine(day, hour, minute, tz, lines.source.default_tz),
        location=", ".join(dict.fromkeys(acc.locations)) or place,
        facts=lines.footnotes + tuple(acc.bylines),
        warnings=tuple(warnings),
    )


# --- what one paragraph is ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    """A rule's reading: the kind, and the date, time or place the paragraph gives."""

    kind: HeaderKind
    dateline: DateLine | None = None
    day: date | None = None
    place: str | None = None


@dataclass(slots=True)
class _Facts:
    """What the header has told so far (the title changes as the pass reads on)."""

    title: str | None
    title_from_front_matter: bool
    days: list[date] = field(default_factory=list)  # every date the header gives
    time: DateLine | None = None  # the first time it gives
    locations: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)

    def take(self, found: _Found) -> HeaderKind:
        dl = found.dateline
        if dl is not None:
            if dl.day is not None:
                self.days.append(dl.day)
            if dl.hour is not None and self.time is None:
                self.time = dl
            if dl.place and not self.locations:
                self.locations.append(dl.place)
        if found.day is not None:
            self.days.append(found.day)
        if found.place:
            self.locations.append(found.place)
        return found.kind


@dataclass(frozen=True, slots=True)
class _At:
    """A paragraph above the first label, where it stands, and the title read so far."""

    p: Paragraph
    i: int
    headings: Headings
    title: str | None
    title_from_front_matter: bool

    @property
    def text(self) -> str:
        return self.p.text

    @property
    def paras(self) -> tuple[Paragraph, ...]:
        return self.headings.paragraphs.paras

    @property
    def header_end(self) -> int:
        return self.headings.paragraphs.header_end

    @property
    def label(self) -> LabelMatch | None:
        return match_label(self.p.text)


Rule = Callable[[_At], _Found | None]


def _kind_of(at: _At) -> _Found:
    if not at.p.single:
        return _Found("prose")
    for rule in _RULES:
        found = rule(at)
        if found is not None:
            return found
    return _Found("prose")


def _fact_key(at: _At) -> _Found | None:
    """`Topics: ...`, `Speakers: ...`, `HOSTED BY THE PRIME MINISTER`."""
    return _Found("byline") if _FACT_KEY.match(at.text) else None


def _label_fact(at: _At) -> _Found | None:
    """`Chair: Welty` above `CHAIR WELTY:`, or a `Name: ...` line in a `Date:` block."""
    lm = at.label
    if lm is None:
        return None
    if _names_a_later_label(lm, at) or (lm.meta is None and _in_key_block(at)):
        return _Found("byline")
    return None


def _keyed_fact(at: _At) -> _Found | None:
    """`Date: ...`, `Time: ...`, `Venue: ...`: read into the header."""
    lm = at.label
    if lm is None or lm.meta is None:
        return None
    value = clean(lm.rest)
    if lm.meta in _PLACE_KEYS:
        return _Found("meta", place=value or None)
    dl = parse_dateline(value)
    if dl is not None:
        return _Found("meta", dateline=dl)
    day = find_date(value) if lm.meta in _DATE_KEYS else None
    return _Found("byline", day=day)  # "Date : 2024-03-14   Hit : 412"


def _dateline(at: _At) -> _Found | None:
    """`Tokyo, March 14, 2024, 4:30 PM`; `12 March 2024 (11:16 A.M. – 12:03 P.M.)`."""
    t = at.text
    dl = parse_dateline(t)
    if dl is not None:
        return _Found("meta", dateline=dl)
    if t.endswith(")") and "(" in t:
        dl = parse_dateline(t[: t.rindex("(")].strip())
        if dl is not None and dl.day is not None:
            return _Found("byline", dateline=dl)
    return None


def _stamp(at: _At) -> _Found | None:
    """`Published: 12 March 2024`."""
    m = STAMP.match(at.text)
    if m is None:
        return None
    value = m.group(1)
    dl = parse_dateline(value)
    if dl is not None:
        return _Found("meta", dateline=dl)
    day = find_date(value)
    return _Found("byline", day=day) if day is not None else None


def _issuer(at: _At) -> _Found | None:
    """The issuing office's name, unless it reads as a place."""
    t = at.text
    return _Found("drop") if is_issuer_line(t) and not _location_like(t, adjacent=False) else None


def _media_link(at: _At) -> _Found | None:
    """`Webcast of the press briefing Webcast`, `Watch the video`."""
    t = at.text
    return (
        _Found("byline") if _MEDIA_LINK.search(t) and len(t.split()) <= _MEDIA_LINK_WORDS else None
    )


def _title(at: _At) -> _Found | None:
    """The first title-like line; the page repeating the front matter's title is dropped."""
    t = at.text
    if not title_like(t):
        return None
    if at.title is None:
        return _Found("byline" if _letterhead(at) else "title")
    if at.title_from_front_matter and _similar(t, at.title):
        return _Found("drop")
    if t.casefold() == at.title.casefold():
        return _Found("drop")  # the page printing its title twice
    return None


# "Department of Public Information • News and Media Division • New York": the issuer's
# masthead, its parts side by side
_MASTHEAD_SEPS = (" • ", " · ", " | ")
_MASTHEAD_PARTS = 3
_MASTHEAD_PART_WORDS = 6


def _masthead(at: _At) -> _Found | None:
    """An issuer's masthead, three or more short capitalised parts set apart by bullets or
    bars, is a fact about the page, never a heading to announce."""
    t = at.text
    if t[-1:] in ".?!:;":
        return None
    for sep in _MASTHEAD_SEPS:
        parts = [x.strip() for x in t.split(sep)]
        if len(parts) >= _MASTHEAD_PARTS and all(
            0 < len(x.split()) <= _MASTHEAD_PART_WORDS and x[:1].isupper() for x in parts
        ):
            return _Found("byline")
    return None


def _place(at: _At) -> _Found | None:
    t = at.text
    if _location_like(t, adjacent=_next_is_dateline(at)):
        return _Found("meta", place=t)
    return None


def _byline(at: _At) -> _Found | None:
    return _Found("byline") if _is_byline(at) else None


def _dated_first_line(at: _At) -> _Found | None:
    """The page's first line, dated, when no line is title-like: "Noon briefing of 14 March
    2024"."""
    t = at.text
    if (
        at.title is None
        and at.i == _first_kept(at.paras, at.i)
        and heading_shape(t) is not None
        and find_date(t) is not None
        and not any(p.single and title_like(p.text) for p in at.paras[: at.header_end])
    ):
        return _Found("title")
    return None


def _heading(at: _At) -> _Found | None:
    return _Found("heading") if at.headings.headings[at.i] is not None else None


def _heading_above_dateline(at: _At) -> _Found | None:
    """A heading-shaped line right above the date line, with no title yet: the title."""
    if at.title is None and heading_shape(at.text) is not None and _next_is_dateline(at):
        return _Found("title")
    return None


_RULES: tuple[Rule, ...] = (
    _fact_key,
    _label_fact,
    _keyed_fact,
    _dateline,
    _stamp,
    _issuer,
    _media_link,
    _title,
    _masthead,
    _place,
    _byline,
    _dated_first_line,
    _heading,
    _heading_above_dateline,
)


# --- the rules' tests -------------------------------------------------------------------------


def _in_key_block(at: _At) -> bool:
    """The line right under a `Date:`/`Time:`/`Venue:` line, with no blank line between."""
    if at.i == 0:
        return False
    prev = at.paras[at.i - 1]
    if prev.start + len(prev.lines) != at.p.start:
        return False
    lm = match_label(prev.lines[-1])
    return lm is not None and lm.meta is not None


def _names_a_later_label(lm: LabelMatch, at: _At) -> bool:
    """`Chair: Welty` (a role word, then a name the later label `CHAIR WELTY` carries)."""
    want = role_and_name(lm)
    if want is None:
        return False
    return any(
        p.label is not None and want <= set(words_of(p.label.label))
        for p in at.paras[at.header_end :]
    )


def _first_kept(paras: tuple[Paragraph, ...], i: int) -> int:
    """`i` when no paragraph before it is anything but boilerplate (the header's first line)."""
    for j in range(i):
        text = paras[j].text
        if not (parse_dateline(text) is not None or is_issuer_line(text)):
            return j
    return i


def _is_byline(at: _At) -> bool:
    """`Matthew Miller, Department Spokesperson`, or the first speaker's name above the label."""
    t = at.text
    if len(t) > _SHORT_LINE or t[-1:] in ".?!:;" or sentence_inside(t):
        return False
    if at.i + 1 == at.header_end < len(at.paras) and _names_first_speaker(
        t, at.paras[at.header_end]
    ):
        return True
    if ", " not in t:
        return False
    name, _, role = t.partition(", ")
    nw = name.split()
    low, high = _BYLINE_NAME_WORDS
    if not low <= len(nw) <= high or not all(w[:1].isupper() for w in nw):
        return False
    rw = words_of(role)
    return 0 < len(rw) <= _BYLINE_ROLE_WORDS and any(w in CORE_TITLE_WORDS for w in rw)


def _names_first_speaker(t: str, first: Paragraph) -> bool:
    if first.label is None:
        return False
    mine = set(words_of(t))
    theirs = set(words_of(first.label.label))
    return bool(mine and theirs) and len(mine & theirs) >= max(2, len(theirs) - 1)


def _next_is_dateline(at: _At) -> bool:
    i = at.i
    if i + 1 >= at.header_end or not at.paras[i + 1].single:
        return False
    t = at.paras[i + 1].text
    if t.endswith(")") and "(" in t:
        t = t[: t.rindex("(")].strip() or t
    return parse_dateline(t) is not None


def _location_like(text: str, *, adjacent: bool) -> bool:
    words = text.split()
    if not words or len(words) > _LOC_MAX_WORDS:
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
    return adjacent and bool(_CITY_COUNTRY.match(text)) and len(words) <= _CITY_MAX_WORDS


def _letterhead(at: _At) -> bool:
    """`TRANSCRIPT OF THE PRIME MINISTER THE HON. TONY ABBOTT MP` above `JOINT PRESS
    CONFERENCE WITH ...`: a line naming only whose transcript it is, with a line naming the
    event below it, is the letterhead, and the event line the title."""
    if names_event(at.text):
        return False
    return any(
        p.single and title_like(p.text) and names_event(p.text)
        for p in at.paras[at.i + 1 : at.header_end]
    )


# a distributor's teaser glued to the title and cut: "... in Doral, FloridaRemarks by ...[...]"
_TEASER_CUT = ("[...]", "[…]")
_GLUED = re.compile(r"\b[A-Z]?[a-z]{4,}(?=[A-Z][a-z]{3,} )")  # "Florida|Remarks ", not "Mc|Kee"


def _untease(title: str) -> str:
    """The title without a cut teaser glued on its end (`... FloridaRemarks by ... at
    U.S.[...]` -> `... Florida`); without a glue point, only the `[...]` goes."""
    if not title.endswith(_TEASER_CUT):
        return title
    glued = [m.end() for m in _GLUED.finditer(title)]
    if glued:
        return title[: glued[-1]].rstrip(" ,;:-")
    return title[: title.rindex("[")].rstrip()


def _similar(a: str, b: str) -> bool:
    wa = set(re.findall(r"\w+", a.lower()))
    wb = set(re.findall(r"\w+", b.lower()))
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= _SIMILAR


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
    if (
        not 1 <= len(words) <= _CITY_MAX_WORDS
        or any(c.isdigit() for c in place)
        or find_date(place)
    ):
        return None
    if not all(w[:1].isupper() or w.lower() in CONNECTORS for w in words):
        return None
    low = {w.lower().strip("’'s") for w in words}
    if low & (CORE_TITLE_WORDS | _NOT_PLACE_WORDS) or title_like(place):
        return None
    return place
