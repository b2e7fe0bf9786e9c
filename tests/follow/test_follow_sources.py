"""[[sources]] in podcast.toml, the bundled examples, and reading a source's listing."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pressaudio.errors import ConfigError
from pressaudio.follow.listing import read_listing
from pressaudio.follow.sources import Source, examples_text
from pressaudio.publish.settings import load_settings, write_template

SHARED = Path(__file__).resolve().parents[3] / "shared" / "transcripts" / "SOURCES.tsv"
TRANSCRIPT_URLS = {  # real transcript addresses (../shared/transcripts/SOURCES.tsv)
    "MOFA press conferences": [
        "https://www.mofa.go.jp/press/kaiken/kaiken23e_000089.html",
        "https://www.mofa.go.jp/press/kaiken/kaiken24e_000220.html",
        "https://www.mofa.go.jp/press/kaiken/kaikenwe_000001_00025.html",
        "https://www.mofa.go.jp/press/kaiken/kaiken4e_000162.html",
    ],
    "White House briefings": [
        "https://www.whitehouse.gov/briefing-room/press-briefings/2024/03/25/on-the-record-"
        "press-gaggle-by-white-house-national-security-communications-advisor-john-kirby-6/",
        "https://www.whitehouse.gov/briefings-statements/2025/01/press-briefing-by-press-"
        "secretary-karoline-leavitt/",
    ],
    "State Department press briefings": [
        "https://www.state.gov/briefings/department-press-briefing-march-13-2023/",
    ],
    "China MFA regular press conferences": [
        "https://www.fmprc.gov.cn/eng/xwfw_665399/s2510_665401/2511_665403/202310/"
        "t20231027_11169684.html",
    ],
}


def uncommented_template(folder: Path) -> Path:
    """`pressaudio init`, then every example source un-commented, as a publisher would."""
    path = write_template(folder)
    lines = path.read_text("utf-8").splitlines()
    out = [ln[2:] if re.match(r"# (\[\[sources\]\]|[a-z_]+ = )", ln) and "china-mfa*" not in ln
           else ln for ln in lines]
    path.write_text("\n".join(out) + "\n", "utf-8")
    return path


def test_the_bundled_examples_load_and_match_real_transcript_urls(tmp_path: Path) -> None:
    uncommented_template(tmp_path)
    sources = {s.name: s for s in load_settings(tmp_path).sources}
    assert set(sources) == set(TRANSCRIPT_URLS)
    assert "EXAMPLES TO VERIFY" in examples_text()
    for name, urls in TRANSCRIPT_URLS.items():
        for url in urls:
            assert sources[name].is_transcript_link(url), (name, url)
        assert not sources[name].is_transcript_link(sources[name].url)
    if SHARED.is_file():  # the MOFA, State and China MFA addresses come from that table
        with SHARED.open(encoding="utf-8") as f:
            real = {row["source_url"] for row in csv.DictReader(f, delimiter="\t")}
        for name in ("MOFA press conferences", "State Department press briefings",
                     "China MFA regular press conferences"):
            assert set(TRANSCRIPT_URLS[name]) <= real


def test_a_sources_time_zone_applies_to_its_saved_files(tmp_path: Path) -> None:
    uncommented_template(tmp_path)
    s = load_settings(tmp_path)
    assert str(s.tz_for("mofa-press-conferences--kaiken24e-000220.html")) == "Asia/Tokyo"
    assert str(s.tz_for("china-mfa-regular-press-conferences--t2023.html")) == "Asia/Shanghai"
    assert str(s.tz_for("briefing.txt")) == "UTC"


@pytest.mark.parametrize("body, needle, line", [
    ('[[sources]]\nname = "A"\nurl = "https://a.example/"\nlinks = "(["\n',
     "is not a regular expression", 4),
    ('[[sources]]\nname = "A"\nurl = "https://a.example/"\nlinx = "x"\n',
     "did you mean 'links'", 4),
    ('[[sources]]\nname = "A"\n', "needs url", 2),
    ('[[sources]]\nname = "A"\nurl = "https://a.example/"\nsince = "last week"\n',
     "since must be a date", 4),
    ('[[sources]]\nname = "A"\nurl = "https://a.example/"\ntimezone = "Asia/Tokio"\n',
     "Asia/Tokyo", 4),
    ('[[sources]]\nname = "MOFA"\nurl = "https://a.example/"\n'
     '[[sources]]\nname = "mofa!"\nurl = "https://b.example/"\n', "share the folder", 5),
])
def test_source_problems_name_the_line(tmp_path: Path, body: str, needle: str, line: int) -> None:
    (tmp_path / "podcast.toml").write_text(body, "utf-8")
    with pytest.raises(ConfigError, match=re.escape(needle)) as caught:
        load_settings(tmp_path)
    assert caught.value.line == line and caught.value.source == str(tmp_path / "podcast.toml")


def test_index_links_resolve_dedupe_and_paginate() -> None:
    src = Source(name="China", url="https://s.example/eng/list/", folder="china",
                 links=r"/eng/list/\d{6}/t\d+_\d+\.html$", next=r"/eng/list/index_\d+\.html$")
    page = b"""<html><head><meta charset="utf-8"></head><body>
    <a href="./202310/t20231027_11169684.html">Mao Ning's Regular Press Conference</a>
    <a href="202310/t20231027_11169684.html#top">again</a>
    <a href="../list/202310/t20231026_1.html">Wang Wenbin's</a>
    <a href="/eng/about.html">About</a> <a href="mailto:x@y">mail</a>
    <a href="index_1.html">Next</a></body></html>"""
    listing = read_listing(page, "text/html", src.url, src)
    assert listing.kind == "index"
    assert [i.url for i in listing.items] == [
        "https://s.example/eng/list/202310/t20231027_11169684.html",
        "https://s.example/eng/list/202310/t20231026_1.html",
    ]
    assert listing.items[0].title == "Mao Ning's Regular Press Conference"
    assert listing.next_pages == ("https://s.example/eng/list/index_1.html",)


def test_feed_entries_newest_first_with_dates() -> None:
    src = Source(name="WH", url="https://w.example/feed/", folder="wh", links="/briefings/")
    feed = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title>Old</title><link href="/briefings/old/"/><updated>2024-01-01T10:00:00Z</updated>
    <id>1</id></entry>
    <entry><title>New</title><link href="https://w.example/briefings/new/"/>
    <updated>2024-03-01T10:00:00Z</updated><id>2</id></entry>
    <entry><title>Fact sheet</title><link href="/fact-sheets/x/"/>
    <updated>2024-03-02T10:00:00Z</updated><id>3</id></entry></feed>"""
    listing = read_listing(feed, "application/atom+xml", src.url, src)
    assert listing.kind == "feed"
    assert [(i.title, i.url) for i in listing.items] == [
        ("New", "https://w.example/briefings/new/"), ("Old", "https://w.example/briefings/old/"),
    ]
    assert listing.items[0].published is not None and listing.items[0].published.month == 3
