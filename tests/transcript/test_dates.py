"""dates directly: date lines, dates inside text, time zones, combining into held_at."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pressaudio.transcript.dates import combine, find_date, parse_date_value, parse_dateline


def test_dateline_with_time_zone_and_place() -> None:
    dl = parse_dateline("Thursday, September 14, 2023, 9:31 p.m. Ministry of Foreign Affairs")
    assert dl is not None
    assert dl.day == date(2023, 9, 14)
    assert (dl.hour, dl.minute) == (21, 31)
    assert dl.place == "Ministry of Foreign Affairs"
    edt = parse_dateline("3:08 P.M. EDT")
    assert edt is not None and edt.day is None and edt.hour == 15
    assert edt.tz is not None and edt.tz.utcoffset(None) == timedelta(hours=-4)


def test_iso_and_key_lines() -> None:
    dl = parse_dateline("2023-10-27 19:41")
    assert dl is not None and (dl.day, dl.hour, dl.minute) == (date(2023, 10, 27), 19, 41)
    key = parse_dateline("Date: Tuesday, April 22, 2008")
    assert key is not None and key.day == date(2008, 4, 22)


def test_prose_is_no_dateline() -> None:
    assert parse_dateline("We will meet again on March 3, 2024 to talk.") is None
    assert parse_dateline("Good morning.") is None


def test_find_date_inside_text() -> None:
    assert find_date("Regular Press Conference on October 27, 2023") == date(2023, 10, 27)
    assert find_date("Noon briefing of 14 March 2024") == date(2024, 3, 14)
    assert find_date("Ends/Friday, March 17, 2023") == date(2023, 3, 17)
    assert find_date("年") is None


def test_front_matter_values_and_combine() -> None:
    day, _dl = parse_date_value("2024-03-14")
    assert day == date(2024, 3, 14)
    tz = timezone(timedelta(hours=9))
    assert combine(date(2024, 3, 14), 10, 5, None, tz) == datetime(2024, 3, 14, 10, 5, tzinfo=tz)
    assert combine(date(2024, 3, 14), None, None, None, None) == date(2024, 3, 14)
    assert combine(None, 10, 5, None, None) is None
