"""feed.xml read back by feedparser, podcastparser (gPodder) and XPath.

podcastparser 0.6.11 knows the Podcasting 2.0 namespace only under its old GitHub URL, so
those elements are checked by XPath; podcastparser checks what it reads (enclosures, psc
chapters, duration, artwork, owner, explicit). The W3C feed validator's RSS 2.0 and iTunes
rules are asserted by XPath with the validator's own patterns.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import podcastparser
import pytest
from lxml import etree

from pressaudio.model import ChapterMark, Cue, Episode, Speaker, Transcript, Turn
from pressaudio.publish.catalogue import (
    Catalogue,
    PublishedEpisode,
    episode_guid,
    podcast_guid,
)
from pressaudio.publish.feed import AI_DISCLOSURE, build, clock, xml_text
from pressaudio.publish.settings import APPLE_CATEGORIES, PodcastSettings

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "psc": "http://podlove.org/simple-chapters",
    "atom": "http://www.w3.org/2005/Atom",
}
BASE = "https://press.example.org/mofa/"

# The W3C feed validator's patterns (feedvalidator/validators.py and itunes.py).
RFC2822 = re.compile(
    r"(((Mon)|(Tue)|(Wed)|(Thu)|(Fri)|(Sat)|(Sun)), *)?\d\d? +((Jan)|(Feb)|(Mar)|(Apr)|(May)|"
    r"(Jun)|(Jul)|(Aug)|(Sep)|(Oct)|(Nov)|(Dec)) +\d\d\d\d +\d\d:\d\d(:\d\d)? +(([+-]?\d\d\d\d)|"
    r"(UT)|(GMT)|(EST)|(EDT)|(CST)|(CDT)|(MST)|(MDT)|(PST)|(PDT)|Z)$"
)
DURATION = re.compile(r"([0-9]?[0-9]:)?[0-5]?[0-9]:[0-5][0-9]$")
EMAIL = re.compile(
    r"([a-zA-Z0-9_\-\+\.]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?)$"
)


def make_episode(
    out: Path,
    slug: str,
    title: str,
    published: datetime,
    *,
    audio: bytes,
    speakers: tuple[Speaker, ...],
    chapters: tuple[ChapterMark, ...],
    summary: str = "Opening remarks and questions.",
) -> PublishedEpisode:
    ep_dir = out / "episodes"
    ep_dir.mkdir(parents=True, exist_ok=True)
    mp3 = ep_dir / f"{slug}.mp3"
    mp3.write_bytes(audio)
    files = {}
    for suffix in (".chapters.json", ".vtt", ".srt"):
        files[suffix] = ep_dir / f"{slug}{suffix}"
        files[suffix].write_text("x", encoding="utf-8")
    duration = chapters[-1].end_ms if chapters else 1000
    transcript = Transcript(
        source=f"{slug}.txt",
        title=title,
        held_at=published,
        location=None,
        sections=(),
        turns=(Turn(speakers[0].key, "", speakers[0].role, None, summary, 1),),
        speakers=speakers,
    )
    episode = Episode(
        mp3=mp3,
        chapters_json=files[".chapters.json"],
        vtt=files[".vtt"],
        srt=files[".srt"],
        duration_ms=duration,
        chapters=chapters,
        cues=(Cue(0, 1000, speakers[0].name, summary),),
    )
    return PublishedEpisode(
        slug=slug,
        guid=episode_guid(f"{slug}.txt"),
        source=f"{slug}.txt",
        title=title,
        published=published,
        date_origin="transcript",
        summary=summary,
        transcript=transcript,
        episode=episode,
        mp3_bytes=mp3.stat().st_size,
    )


MINISTER = Speaker("kamikawa", "Minister Kamikawa", "minister")
MODERATOR = Speaker("moderator", "Press Secretary", "moderator")
REPORTER = Speaker("arita", "Arita, Nippon TV", "reporter")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    older = make_episode(
        tmp_path,
        "kishida-2015-04-21",
        "Press Conference by Foreign Minister Fumio Kishida",
        datetime(2015, 4, 21, 8, 46, tzinfo=TOKYO),
        audio=b"\xff\xfb" * 1234,
        speakers=(MINISTER, REPORTER),
        chapters=(ChapterMark("Opening remarks", 0, 61_500),
                  ChapterMark("Question 1: Arita, Nippon TV, on the G20", 61_500, 3_725_250)),
    )
    newer = make_episode(
        tmp_path,
        "kamikawa-2023-09-14",
        "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko",
        datetime(2023, 9, 14, 21, 31, tzinfo=TOKYO),
        audio=b"\xff\xfb" * 777,
        speakers=(MODERATOR, MINISTER, REPORTER),
        chapters=(ChapterMark("Opening remarks", 0, 30_000),
                  ChapterMark("Question 1", 30_000, 95_000)),
    )
    (tmp_path / "cover.png").write_bytes(b"png")
    settings = PodcastSettings(
        title="MOFA Press Conferences",
        author="Ministry of Foreign Affairs of Japan",
        owner_name="Press Division",
        owner_email="press@mofa.example.jp",
        category="News",
        subcategory="Politics",
        language="en",
        copyright="Public domain",
    )
    return Catalogue(
        settings=settings,
        out_dir=tmp_path,
        base_url=BASE,
        cover=tmp_path / "cover.png",
        episodes=(newer, older),
    )


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def one(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list) and len(found) == 1, f"{path}: {found!r}"
    el = found[0]
    assert isinstance(el, etree._Element)
    return el


# --- podcastparser (gPodder) -----------------------------------------------------------------


def test_gpodder_reads_channel_enclosures_chapters_duration_artwork(catalogue: Catalogue) -> None:
    data = build(catalogue)
    pod = podcastparser.parse(catalogue.feed_url, io.BytesIO(data))
    assert pod["title"] == "MOFA Press Conferences"
    assert pod["link"] == BASE
    assert pod["language"] == "en"
    assert pod["cover_url"] == BASE + "cover.png"
    assert pod["itunes_author"] == "Ministry of Foreign Affairs of Japan"
    assert pod["itunes_owner"] == {"name": "Press Division", "email": "press@mofa.example.jp"}
    assert pod["itunes_categories"] == [["News", "Politics"]]
    assert pod["explicit"] is False

    newer, older = pod["episodes"]  # newest first
    assert newer["title"].startswith("Extraordinary Press Conference")
    for parsed, ep in zip(pod["episodes"], catalogue.episodes, strict=True):
        assert parsed["guid"] == ep.guid
        (enc,) = parsed["enclosures"]
        assert enc["url"] == BASE + f"episodes/{ep.slug}.mp3"
        assert enc["file_size"] == ep.episode.mp3.stat().st_size
        assert enc["mime_type"] == "audio/mpeg"
        assert parsed["published"] == int(ep.published.timestamp())
        assert parsed["total_time"] == round(ep.episode.duration_ms / 1000)
        assert parsed["explicit"] is False
        assert parsed["link"] == BASE + f"episodes/{ep.slug}.html"
        assert [(c["start"], c["title"]) for c in parsed["chapters"]] == [
            (c.start_ms // 1000, c.title) for c in ep.episode.chapters
        ]
    assert older["total_time"] == 3725  # 1:02:05.250


# --- feedparser -------------------------------------------------------------------------------


def test_feedparser_reads_every_field(catalogue: Catalogue) -> None:
    f = feedparser.parse(build(catalogue))
    assert f.bozo == 0, f.get("bozo_exception")
    assert f.version == "rss20"
    assert f.feed.title == "MOFA Press Conferences"
    assert f.feed.link == BASE
    assert f.feed.language == "en"
    assert f.feed.rights == "Public domain"
    assert f.feed.image.href == BASE + "cover.png"
    assert f.feed.author_detail.email == "press@mofa.example.jp"
    assert {"rel": "self", "href": BASE + "feed.xml", "type": "application/rss+xml"} in [
        dict(link) for link in f.feed.links
    ]
    assert [e.id for e in f.entries] == [e.guid for e in catalogue.episodes]
    first = f.entries[0]
    assert first.guidislink is False
    assert first.itunes_duration == "00:01:35"
    assert first.published_parsed[:6] == (2023, 9, 14, 12, 31, 0)  # 21:31 in Tokyo, in UTC
    (enclosure,) = [link for link in first.links if link.rel == "enclosure"]
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == catalogue.episodes[0].episode.mp3.stat().st_size
    # The description: summary, then the chapter list with timestamps.
    assert "Opening remarks and questions." in first.summary
    assert re.search(r"0:00 Opening remarks.*0:30 Question 1", first.summary, re.S)
    assert f.entries[1].psc_chapters["version"] == "1.2"
    assert [c["start"] for c in f.entries[1].psc_chapters["chapters"]] == [
        "00:00:00.000", "00:01:01.500"
    ]


# --- Podcasting 2.0 by XPath ------------------------------------------------------------------


def test_podcast_namespace_channel(catalogue: Catalogue) -> None:
    root = parse(build(catalogue))
    assert root.nsmap["podcast"] == "https://podcastindex.org/namespace/1.0"
    ch = one(root, "/rss/channel")
    guid = one(ch, "podcast:guid").text
    assert guid == str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
                                  "press.example.org/mofa/feed.xml"))
    locked = one(ch, "podcast:locked")
    assert (locked.text, locked.get("owner")) == ("yes", "press@mofa.example.jp")
    txt = one(ch, "podcast:txt[@purpose='ai-content']")
    assert txt.text == AI_DISCLOSURE and "synthetic" in AI_DISCLOSURE


def test_podcast_namespace_items(catalogue: Catalogue) -> None:
    root = parse(build(catalogue))
    items = root.xpath("/rss/channel/item", namespaces=NS)
    assert len(items) == 2
    for item, ep in zip(items, catalogue.episodes, strict=True):
        chapters = one(item, "podcast:chapters")
        assert chapters.get("url") == BASE + f"episodes/{ep.slug}.chapters.json"
        assert chapters.get("type") == "application/json+chapters"
        transcripts = {
            t.get("type"): (t.get("url"), t.get("rel"))
            for t in item.xpath("podcast:transcript", namespaces=NS)
        }
        assert transcripts == {
            "text/vtt": (BASE + f"episodes/{ep.slug}.vtt", "captions"),
            "application/json": (BASE + f"episodes/{ep.slug}.transcript.json", None),
            "application/x-subrip": (BASE + f"episodes/{ep.slug}.srt", "captions"),
            "text/html": (BASE + f"episodes/{ep.slug}.html", None),
        }
        first = item.xpath("podcast:transcript", namespaces=NS)[0]
        assert first.get("type") == "text/vtt"  # WebVTT first: apps that read one take it
        persons = [(p.text, p.get("role")) for p in item.xpath("podcast:person", namespaces=NS)]
        roles = {"minister": "host", "moderator": "co-host", "reporter": "reporter"}
        order = ("minister", "moderator", "reporter")
        assert persons == [
            (s.name, roles[s.role])
            for s in sorted(ep.transcript.speakers, key=lambda s: order.index(s.role))
        ]
        assert persons[0][1] == "host"
        psc = one(item, "psc:chapters")
        assert psc.get("version") == "1.2"
        assert [(c.get("start"), c.get("title")) for c in psc] == [
            (clock(c.start_ms, millis=True), c.title) for c in ep.episode.chapters
        ]


# --- the W3C validator's RSS 2.0 + iTunes rules -----------------------------------------------


def assert_w3c_rules(data: bytes, out_dir: Path, base: str) -> None:
    """The W3C feed validator's RSS 2.0 and iTunes rules, asserted on a feed served from
    `out_dir` at `base` (enclosure lengths are checked against the files)."""
    root = parse(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    ch = one(root, "/rss/channel")
    for required in ("title", "link", "description", "language"):
        assert (one(ch, required).text or "").strip()
    for date_el in ch.xpath("lastBuildDate | pubDate | item/pubDate"):
        assert RFC2822.match(date_el.text), date_el.text
    self_link = one(ch, "atom:link[@rel='self']")
    assert self_link.get("href") == base + "feed.xml"
    assert self_link.get("type") == "application/rss+xml"
    # iTunes channel: category names from Apple's list (text attributes), explicit true/false,
    # owner with a valid email, image href an http URL.
    cat = one(ch, "itunes:category")
    assert cat.get("text") in APPLE_CATEGORIES and not (cat.text or "").strip()
    for sub in cat.xpath("itunes:category", namespaces=NS):
        assert sub.get("text") in APPLE_CATEGORIES[cat.get("text")]
    assert one(ch, "itunes:explicit").text in ("true", "false")
    assert EMAIL.match(one(ch, "itunes:owner/itunes:email").text)
    assert one(ch, "itunes:image").get("href").startswith(("http://", "https://"))
    assert len(one(ch, "itunes:author").text) <= 255
    # image/title and image/link must match the channel's
    assert one(ch, "image/title").text == one(ch, "title").text
    assert one(ch, "image/link").text == one(ch, "link").text

    guids = []
    for item in ch.xpath("item"):
        enc = one(item, "enclosure")
        assert enc.get("type") == "audio/mpeg"
        assert re.fullmatch(r"[1-9][0-9]*", enc.get("length"))
        assert enc.get("url").startswith(base) and enc.get("url").endswith(".mp3")
        mp3 = out_dir / enc.get("url").removeprefix(base)
        assert int(enc.get("length")) == mp3.stat().st_size  # the exact file size
        guid = one(item, "guid")
        assert guid.get("isPermaLink") == "false"
        guids.append(guid.text)
        assert DURATION.match(one(item, "itunes:duration").text)
        assert one(item, "itunes:explicit").text in ("true", "false")
        assert (one(item, "title").text or "").strip()
    assert guids and len(set(guids)) == len(guids)


def test_w3c_validator_rules(catalogue: Catalogue) -> None:
    data = build(catalogue)
    assert_w3c_rules(data, catalogue.out_dir, BASE)
    ch = one(parse(data), "/rss/channel")
    assert one(ch, "lastBuildDate").text == "Thu, 14 Sep 2023 21:31:00 +0900"  # newest episode
    assert one(ch, "itunes:category/itunes:category").get("text") == "Politics"


def test_same_catalogue_same_bytes(catalogue: Catalogue) -> None:
    assert build(catalogue) == build(catalogue)


def test_dates_keep_their_own_offset(catalogue: Catalogue) -> None:
    ep = catalogue.episodes[0]
    ny = datetime(2024, 1, 19, 17, 5, tzinfo=ZoneInfo("America/New_York"))
    utc = datetime(2024, 1, 19, 22, 5, tzinfo=timezone(timedelta(0)))
    from dataclasses import replace

    for when, text in ((ny, "Fri, 19 Jan 2024 17:05:00 -0500"),
                       (utc, "Fri, 19 Jan 2024 22:05:00 +0000")):
        cat = replace(catalogue, episodes=(replace(ep, published=when),))
        assert one(parse(build(cat)), "/rss/channel/item/pubDate").text == text


# --- escaping -----------------------------------------------------------------------------------

NASTY = [
    'Q&A: "Taiwan" <script>alert(1)</script> & \'more\'',
    "Control\x00chars\x01\x08\x0b\x0c\x1f\x7f\x85 gone",
    "記者会見 — 上川外務大臣 (2023年9月14日)",
    "مؤتمر صحفي للمتحدث باسم وزارة الخارجية",
    "Emoji 🎙️ and ]]> and &amp; literally, \ufffe\uffff and a lone \ud800 surrogate",
]


@pytest.mark.parametrize("title", NASTY)
def test_nasty_text_gives_valid_xml(tmp_path: Path, title: str) -> None:
    nasty_speaker = Speaker("x", title, "reporter")
    ep = make_episode(
        tmp_path, "nasty", title, datetime(2023, 9, 14, 21, 31, tzinfo=TOKYO),
        audio=b"\xff" * 10, speakers=(MINISTER, nasty_speaker),
        chapters=(ChapterMark(title, 0, 1000), ChapterMark("<b>&</b>", 1000, 2000)),
        summary=title,
    )
    (tmp_path / "cover.png").write_bytes(b"png")
    settings = PodcastSettings(title=title, description=title, author=title, copyright=title)
    cat = Catalogue(settings=settings, out_dir=tmp_path, base_url=BASE,
                    cover=tmp_path / "cover.png", episodes=(ep,))
    data = build(cat)
    root = parse(data)  # strict XML 1.0: raises on anything invalid
    clean = xml_text(title)
    assert "\x00" not in clean and "\x01" not in clean and "\ud800" not in clean
    assert one(root, "/rss/channel/title").text == clean
    assert one(root, "/rss/channel/item/title").text == clean
    assert one(root, "/rss/channel/item/psc:chapters/psc:chapter[1]").get("title") == clean
    assert one(root, "/rss/channel/item/podcast:person[2]").text == clean
    f = feedparser.parse(data)
    assert f.bozo == 0
    assert f.entries[0].title == clean
    pod = podcastparser.parse(cat.feed_url, io.BytesIO(data))
    assert pod["episodes"][0]["title"] == " ".join(clean.split())
    assert pod["episodes"][0]["chapters"][0]["title"] == clean


def test_xml_text_keeps_what_xml_allows() -> None:
    keep = "tab\tnewline\nreturn\r ünïcödé 日本語 عربي 🎙"
    assert xml_text(keep) == keep
    assert xml_text("a\x00b\x1bc\x7fd\x9fe\ufffef") == "abcdef"


# --- small parts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ms", "plain", "millis", "short"),
    [
        (0, "00:00:00", "00:00:00.000", "0:00"),
        (61_500, "00:01:02", "00:01:01.500", "1:02"),
        (3_725_250, "01:02:05", "01:02:05.250", "1:02:05"),
        (-5, "00:00:00", "00:00:00.000", "0:00"),
    ],
)
def test_clock(ms: int, plain: str, millis: str, short: str) -> None:
    assert clock(ms) == plain
    assert clock(ms, millis=True) == millis
    assert clock(ms, short=True) == short


def test_podcast_guid_matches_the_spec_examples() -> None:
    # Both examples from the podcast namespace's guid.md.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
    assert podcast_guid("http://podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_episode_guid_depends_on_the_name_only() -> None:
    assert episode_guid("a.txt") == episode_guid("a.txt")
    assert episode_guid("a.txt") != episode_guid("b.txt")
    assert uuid.UUID(episode_guid("a.txt")).version == 5


def test_pinned_podcast_guid_wins(catalogue: Catalogue) -> None:
    from dataclasses import replace

    pinned = "11111111-2222-5333-8444-555555555555"
    cat = replace(catalogue, settings=replace(catalogue.settings, guid=pinned))
    assert one(parse(build(cat)), "/rss/channel/podcast:guid").text == pinned
