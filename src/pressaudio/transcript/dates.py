"""Dates, times and time zones as press-conference pages write them.

`parse_dateline()` recognises a line that *is* a date and/or time line (optionally followed
by a place): `Thursday, September 14, 2023, 9:31 p.m. Ministry of Foreign Affairs`,
`2:09 p.m. EST`, `3:08 P.M. EDT`, `2023-10-27 19:41`, `Tuesday, October 28, 2014 (PM)`,
`Date: Tuesday, April 22, 2008`. `find_date()` finds a date inside other text (a title).
All patterns are anchored or bounded, so each call is linear in the line's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from pressaudio.english import MONTH_NUMBERS, wordset

__all__ = ["DateLine", "combine", "find_date", "parse_date_value", "parse_dateline"]


_MONTHS = MONTH_NUMBERS
_MONTH_ALT = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = (
    r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?"
    r"|Sat(?:urday)?|Sun(?:day)?)"
)

# Time zone abbreviations -> UTC offset in hours. Ambiguous ones take the reading that
# government transcripts use (IST = India, CST = US Central).
_ZONES: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "WAT": 1, "CEST": 2, "EET": 2,
    "CAT": 2, "SAST": 2, "EEST": 3, "MSK": 3, "EAT": 3, "AST": -4, "ADT": -3, "GST": 4,
    "PKT": 5, "IST": 5.5, "NPT": 5.75, "ICT": 7, "WIB": 7, "SGT": 8, "HKT": 8, "PHT": 8,
    "MYT": 8, "AWST": 8, "BJT": 8, "JST": 9, "KST": 9, "ACST": 9.5, "ACDT": 10.5,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "EST": -5, "EDT": -4, "CDT": -5,
    "CST": -6, "MDT": -6, "MST": -7, "PDT": -7, "PST": -8, "AKDT": -8, "AKST": -9,
    "HST": -10, "NST": -3.5, "NDT": -2.5,
}  # fmt: skip
_NAMED_ZONES: dict[str, float] = {
    "beijing time": 8, "tokyo time": 9, "japan time": 9, "japan standard time": 9,
    "china standard time": 8, "korea standard time": 9, "indian standard time": 5.5,
    "eastern standard time": -5, "eastern daylight time": -4, "central standard time": -6,
    "central daylight time": -5, "pacific standard time": -8, "pacific daylight time": -7,
    "mountain standard time": -7, "mountain daylight time": -6,
    "british summer time": 1, "greenwich mean time": 0, "coordinated universal time": 0,
}  # fmt: skip

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_MDY = re.compile(
    rf"\b({_MONTH_ALT})\.?[ \t]{{1,3}}(\d{{1,2}})(?:st|nd|rd|th)?(?!\d),?"
    rf"[ \t]{{1,3}}(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[ \t]{{1,3}}(?:of[ \t]{{1,3}})?({_MONTH_ALT})\.?,?"
    rf"[ \t]{{1,3}}(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
_CJK_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})(?::(\d{2})(?::\d{2})?|\.(\d{2})(?=[ \t]{0,2}[AaPp]\.?[ \t]?[Mm]))?"
    r"(?:[ \t]{0,2}([AaPp])\.?[ \t]?[Mm]\.?(?![A-Za-z]))?"
)
_ZONE_AFTER = re.compile(
    r"[ \t]{0,3}\(?[ \t]{0,2}(?:(UTC|GMT)[ \t]{0,2}([+\-−])[ \t]{0,2}(\d{1,2})(?::?(\d{2}))?"
    r"|([A-Z]{1,5})(?![A-Za-z])"
    r"|([A-Za-z]+(?:[ \t][A-Za-z]+){0,3}[ \t](?:time|Time|TIME)))\)?"
)
_DIGIT = re.compile(r"\d")
_WEEKDAY_RE = re.compile(rf"\b{_WEEKDAY}\.?\b", re.IGNORECASE)
_LEAD_KEY = re.compile(
    r"^(?:date(?:[ \t]and[ \t]time)?|time|held(?:[ \t]on)?|when)[ \t]*[:：\-–][ \t]*",
    re.IGNORECASE,
)
_AMPM_NOTE = re.compile(r"\((?:AM|PM|a\.m\.|p\.m\.|morning|afternoon|evening)\)", re.IGNORECASE)
_SEPARATORS = " \t,;|/-–—()@"


@dataclass(frozen=True)
class DateLine:
    day: date | None
    hour: int | None
    minute: int | None
    tz: tzinfo | None
    place: str | None  # text after the date/time, when it reads as a place


def _fixed(hours: float, name: str | None = None) -> timezone:
    delta = timedelta(minutes=round(hours * 60))
    return timezone(delta, name) if name else timezone(delta)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _date_matches(text: str) -> list[tuple[int, int, date]]:
    found: list[tuple[int, int, date]] = []
    for m in _ISO_DATE.finditer(text):
        d = _safe_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if d:
            found.append((m.start(), m.end(), d))
    for m in _MDY.finditer(text):
        month = _MONTHS.get(m.group(1).lower().rstrip("."))
        d = _safe_date(int(m.group(3)), month, int(m.group(2))) if month else None
        if d:
            found.append((m.start(), m.end(), d))
    for m in _DMY.finditer(text):
        month = _MONTHS.get(m.group(2).lower().rstrip("."))
        d = _safe_date(int(m.group(3)), month, int(m.group(1))) if month else None
        if d:
            found.append((m.start(), m.end(), d))
    for m in _SLASH_DATE.finditer(text):
        # 9/16/24 (US) or 16/9/2024: only when the day gives the order away
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if y < 100:
            y += 2000 if y < 70 else 1900
        if a > 12 >= b:
            d = _safe_date(y, b, a)
        elif b > 12 >= a:
            d = _safe_date(y, a, b)
        else:
            d = None
        if d:
            found.append((m.start(), m.end(), d))
    for m in _CJK_DATE.finditer(text):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), m.end(), d))
    found.sort()
    return found


def find_date(text: str) -> date | None:
    """The first calendar date written anywhere in `text`."""
    found = _date_matches(text[:2000])
    return found[0][2] if found else None


def parse_date_value(value: str) -> tuple[date | None, DateLine | None]:
    """A front-matter date value (`2023-07-17`, `2023-07-17 15:08:00-04:00`, ...)."""
    line = parse_dateline(value.replace("T", " ", 1) if _ISO_DATE.match(value) else value)
    if line is not None:
        return line.day, line
    return find_date(value), None


def _zone_at(text: str, pos: int) -> tuple[tzinfo | None, int]:
    m = _ZONE_AFTER.match(text, pos)
    if m is None:
        return None, pos
    if m.group(1):
        sign = -1 if m.group(2) in "-−" else 1
        hours = int(m.group(3)) + int(m.group(4) or 0) / 60
        if hours > 14:
            return None, pos
        return _fixed(sign * hours), m.end()
    if m.group(5):
        abbr = m.group(5)
        if abbr in _ZONES:
            return _fixed(_ZONES[abbr], abbr), m.end()
        return None, pos
    if m.group(6):
        name = m.group(6).lower()
        for zone_name, hours in _NAMED_ZONES.items():
            if name.endswith(zone_name):
                return _fixed(hours), m.end()
    return None, pos


def _time_match(text: str) -> tuple[int, int, int, int, tzinfo | None] | None:
    """(start, end, hour, minute, tz) of the first plausible clock time."""
    for m in _TIME.finditer(text):
        hour = int(m.group(1))
        minutes = m.group(2) or m.group(3)
        minute = int(minutes) if minutes else None
        ampm = m.group(4)
        if minute is None and ampm is None:
            continue
        if minute is not None and minute > 59:
            continue
        if ampm:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
        elif hour > 23:
            continue
        tz, end = _zone_at(text, m.end())
        return m.start(), end, hour, minute or 0, tz
    return None


def _only_separators(s: str) -> bool:
    s = _WEEKDAY_RE.sub("", s)
    s = _AMPM_NOTE.sub("", s)
    return s.strip(_SEPARATORS + ".") == ""


def parse_dateline(line: str) -> DateLine | None:
    """A line that consists of a date and/or a time (then, optionally, a place)."""
    text = line.strip()
    if not text or len(text) > 200 or not _DIGIT.search(text):
        return None
    key = _LEAD_KEY.match(text)
    if key:
        text = text[key.end() :]
    dates = _date_matches(text)
    first_date = dates[0] if dates else None
    # look for the time after the date (or anywhere when there is no date)
    search_from = first_date[1] if first_date else 0
    tm = _time_match(text[search_from:])
    spans: list[tuple[int, int]] = []
    day = None
    if first_date:
        spans.append((first_date[0], first_date[1]))
        day = first_date[2]
    hour = minute = None
    tz = None
    if tm:
        start, end = tm[0] + search_from, tm[1] + search_from
        # what lies between date and time must be separators only ("," "at" "-")
        gap = text[spans[-1][1] : start] if spans else ""
        if spans and not _only_separators(re.sub(r"\bat\b", "", gap)):
            tm = None
        else:
            spans.append((start, end))
            hour, minute, tz = tm[2], tm[3], tm[4]
    if not spans:
        return None
    lead = text[: spans[0][0]]
    lead_place = None
    if not _only_separators(lead):
        # "Beijing, 2023-10-27 15:00": a place, a comma, then the date
        lead_place = lead.strip().rstrip(",").strip()
        if day is None or not lead.rstrip().endswith(",") or not _place_like(lead_place):
            return None
        if len(lead_place.split()) > 4:
            return None
    rest = text[spans[-1][1] :]
    if _only_separators(rest):
        return DateLine(day, hour, minute, tz, lead_place)
    place = _AMPM_NOTE.sub("", rest).strip(_SEPARATORS + ".").strip()
    if lead_place is not None or not _place_like(place):
        return None
    return DateLine(day, hour, minute, tz, place)


_PLACE_SMALL_WORDS = wordset(
    "of the and de du la le del des for in at on via aboard en route near to y da do van von"
)


def _place_like(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 12:
        return False
    if any(c in text for c in "?!;:") or text.endswith("."):
        return False
    for w in words:
        core = w.strip("(),.’'\"“”[]")
        lower_word = core[:1].isalpha() and core[:1].islower()
        if lower_word and core.lower() not in _PLACE_SMALL_WORDS:
            return False
    return True


def combine(
    day: date | None,
    hour: int | None,
    minute: int | None,
    tz: tzinfo | None,
    default_tz: tzinfo | None,
) -> datetime | date | None:
    """held_at from its parts: a date-time when both are known, else the date alone."""
    if day is None:
        return None
    if hour is None:
        return day
    return datetime(day.year, day.month, day.day, hour, minute or 0, tzinfo=tz or default_tz)
