"""The web page's files and markup, without a browser (see test_site_browser.py for that)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path

import lxml.html
import pytest

from pressaudio.errors import PublishError
from pressaudio.model import ChapterMark, Cue, Speaker, Transcript, Turn
from pressaudio.publish.site import SiteEpisode, SiteLink, SiteTurn, build_site, site_turns

JST = timezone(timedelta(hours=9), "JST")


def ep(slug: str, published: datetime | date | None, title: str | None = None) -> SiteEpisode:
    return SiteEpisode(
        slug=slug,
        title=title or f"Episode {slug}",
        published=published,
        duration_ms=125_000,
        audio_url=f"episodes/{slug}.mp3",
        chapters=(ChapterMark("Opening", 0, 60_000), ChapterMark("Questions", 60_000, 125_000)),
        turns=(SiteTurn("Minister", ("Hello.",), 0), SiteTurn("Reporter", ("Why?",), None)),
    )


def build(tmp_path: Path, episodes: list[SiteEpisode], **kw: str) -> lxml.html.HtmlElement:
    build_site(
        kw.get("title", "Podcast"),
        kw.get("description", "About."),
        "https://example.org/pod/feed.xml",
        "cover.png",
        episodes,
        tmp_path,
    )
    return lxml.html.fromstring((tmp_path / "index.html").read_bytes())


def test_writes_index_and_one_page_per_episode_and_no_temporaries(tmp_path: Path) -> None:
    build(tmp_path, [ep("a", date(2023, 1, 1)), ep("b", date(2023, 1, 2))])
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert files == ["episodes", "episodes/a.html", "episodes/b.html", "index.html"]


def test_newest_first_mixing_dates_datetimes_and_none(tmp_path: Path) -> None:
    doc = build(
        tmp_path,
        [
            ep("undated", None),
            ep("day", date(2023, 9, 14)),  # a date alone counts as noon
            ep("evening-jst", datetime(2023, 9, 14, 21, 0, tzinfo=JST)),  # 12:00 UTC
            ep("morning-utc", datetime(2023, 9, 14, 13, 0, tzinfo=UTC)),
            ep("naive", datetime(2023, 9, 15, 8, 0)),
        ],
    )
    ids = [a.get("id") for a in doc.xpath("//article")]
    assert ids == ["ep-naive", "ep-morning-utc", "ep-day", "ep-evening-jst", "ep-undated"]


def test_everything_is_escaped(tmp_path: Path) -> None:
    evil = 'A "quote" & <script>alert(1)</script>\x07'
    e = ep("x", date(2023, 1, 1), title=evil)
    e = SiteEpisode(**{**e.__dict__, "turns": (SiteTurn(evil, (evil,), 1000),)})
    build(tmp_path, [e], title=evil, description=evil)
    for page in (tmp_path / "index.html", tmp_path / "episodes" / "x.html"):
        text = page.read_text()
        assert "<script>alert" not in text
        assert "\x07" not in text
        doc = lxml.html.fromstring(text)
        assert doc.xpath("count(//script)") == 1  # only the page's own
        assert 'A "quote" & <script>alert(1)</script>' in doc.text_content()


HOSTILE = (
    '<script>alert(1)</script> "onload=alert(2) x=" \'><img src=x onerror=alert(3)>'
    " </textarea></title></style> {{ 7 * 7 }} {% print 6 * 7 %} {# c #} & &amp;\x00\x1b"
)
SHOWN = HOSTILE.replace("\x00", "").replace("\x1b", "")  # control characters are dropped


def test_hostile_text_is_escaped_in_every_page(tmp_path: Path) -> None:
    """Titles, names, transcript text, labels: every value arrives as text, never markup."""
    e = replace(
        ep("x", datetime(2023, 1, 1, 9, 0, tzinfo=JST), title=HOSTILE),
        location=HOSTILE,
        summary=f"{HOSTILE}\n\n{HOSTILE}",
        chapters=(ChapterMark(HOSTILE, 0, 60_000),),
        turns=(SiteTurn(HOSTILE, (HOSTILE, HOSTILE), 1000), SiteTurn(HOSTILE, (HOSTILE,), None)),
        transcript_links=(SiteLink(HOSTILE, "episodes/x.vtt", HOSTILE),),
        audio_bytes=1234,
    )
    build_site(
        HOSTILE, HOSTILE, "https://example.org/feed.xml", "cover.png", [e], tmp_path, author=HOSTILE
    )
    pages = [tmp_path / "index.html", tmp_path / "episodes" / "x.html"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for raw in (
            "<script>alert",
            "<img src=x",
            "</textarea>",
            "</title></style>",
            '"onload',
            "\x00",
        ):
            assert raw not in text, (page.name, raw)
        assert "42" not in text  # no template syntax in the data was evaluated
        doc = lxml.html.fromstring(text)
        assert doc.xpath("count(//script)") == 1  # only the page's own
        assert doc.xpath("count(//style)") == 1
        assert doc.xpath("//img/@src") in ([], ["cover.png"])  # the cover, nothing injected
        assert doc.xpath("//textarea") == []
        assert doc.xpath("//@*[starts-with(name(), 'on')]") == []
        # attribute values and text round-trip exactly
        assert doc.xpath("//audio/@aria-label") == [SHOWN]
        assert doc.xpath("//link[@rel='alternate']/@title") == [SHOWN]
        assert doc.xpath("//a[@type]/@type") == [SHOWN]
        assert SHOWN in doc.xpath("string(//title)")
        assert doc.xpath("string(//ol[@class='chapters']/li/a)") == f"0:00 {SHOWN}"
        assert doc.xpath("//p[@class='meta']")[0].text_content().count(SHOWN) == 1
        assert doc.xpath("//footer/p[1]")[0].text_content().startswith(f"{SHOWN} by {SHOWN}.")
    page = lxml.html.fromstring(pages[1].read_bytes())
    assert page.xpath("string(//h1)") == SHOWN
    turns = page.xpath("//div[@class='turn']")
    assert [t.xpath("string(cite)") for t in turns] == [f"{SHOWN}:"] * 2
    assert [p.text_content() for p in turns[0].xpath("p")] == [SHOWN, SHOWN]
    assert turns[0].xpath("time/a/@aria-label") == [f"Play from 0:01, {SHOWN}"]
    index = lxml.html.fromstring(pages[0].read_bytes())
    assert index.xpath("string(//h1)") == SHOWN
    assert [p.text_content() for p in index.xpath("//div[@class='intro']/p")] == [SHOWN]
    assert index.xpath("//nav[@aria-label='Episodes']//a/text()") == [SHOWN]


def test_style_and_script_are_the_packaged_files_inlined_verbatim(tmp_path: Path) -> None:
    templates = files("pressaudio.publish") / "templates"
    css = (templates / "site.css").read_text(encoding="utf-8")
    js = (templates / "site.js").read_text(encoding="utf-8")
    build(tmp_path, [ep("a", date(2023, 1, 1))])
    for page in (tmp_path / "index.html", tmp_path / "episodes" / "a.html"):
        text = page.read_text(encoding="utf-8")
        assert f"<style>\n{css}</style>" in text
        assert f"<script>\n{js}</script>" in text


def test_templates_never_mark_data_safe() -> None:
    templates = files("pressaudio.publish") / "templates"
    names = sorted(t.name for t in templates.iterdir())
    assert {"index.html.j2", "episode.html.j2", "site.css", "site.js"} <= set(names)
    for name in names:
        source = (templates / name).read_text(encoding="utf-8")
        for marker in ("|safe", "| safe", "autoescape", "Markup"):
            assert marker not in source, (name, marker)


def test_headings_landmarks_and_language(tmp_path: Path) -> None:
    doc = build(tmp_path, [ep("a", date(2023, 1, 1))])
    assert doc.get("lang") == "en"
    assert [h.tag for h in doc.xpath("//h1|//h2|//h3")] == ["h1", "h2", "h2", "h3", "h3"]
    assert doc.xpath("//body/*[1]")[0].get("href") == "#main"
    assert doc.xpath("//main/@id") == ["main"]
    assert doc.xpath("//audio/@preload") == ["metadata"]
    assert doc.xpath("//audio/@autoplay") == []
    page = lxml.html.fromstring((tmp_path / "episodes" / "a.html").read_bytes())
    assert [h.tag for h in page.xpath("//h1|//h2|//h3")] == ["h1", "h2", "h2"]
    # from episodes/, links climb back to the site root
    assert page.xpath("//audio/@src") == ["../episodes/a.mp3"]
    assert page.xpath("//a[@class='chapter']/@href") == [
        "../episodes/a.mp3#t=0",
        "../episodes/a.mp3#t=60",
    ]


def test_html_transcript_follows_the_podcasting_format(tmp_path: Path) -> None:
    build(tmp_path, [ep("a", date(2023, 1, 1))])
    page = lxml.html.fromstring((tmp_path / "episodes" / "a.html").read_bytes())
    turns = page.xpath("//div[@class='turn']")
    assert [t.xpath("string(cite)") for t in turns] == ["Minister:", "Reporter:"]
    assert [t.xpath("string(time)") for t in turns] == ["0:00", ""]
    assert [t.xpath("string(p)") for t in turns] == ["Hello.", "Why?"]


def test_unsafe_or_repeated_slugs_are_refused(tmp_path: Path) -> None:
    for bad in ("../x", "a/b", "", ".hidden", "a b"):
        with pytest.raises(PublishError, match="unsafe episode slug"):
            build(tmp_path, [ep(bad, None)])
    with pytest.raises(PublishError, match="share the slug"):
        build(tmp_path, [ep("a", None), ep("a", None)])
    assert not (tmp_path / "index.html").exists()


def test_unwritable_folder_is_a_publish_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(PublishError, match="cannot write the web page"):
        build_site("P", "", "https://e.org/feed.xml", None, [ep("a", None)], blocker)


def test_dates_and_durations_are_shown_in_words(tmp_path: Path) -> None:
    e = ep("a", datetime(2023, 9, 14, 21, 31, tzinfo=JST))
    assert e.date_display == "Thursday 14 September 2023, 21:31 JST"
    assert e.date_iso == "2023-09-14T21:31+09:00"
    doc = build(tmp_path, [e, ep("b", date(2023, 4, 21))])
    meta = [m.text_content() for m in doc.xpath("//p[@class='meta']")]
    assert meta == [
        "Thursday 14 September 2023, 21:31 JST · Duration: 2 minutes",
        "Friday 21 April 2023 · Duration: 2 minutes",
    ]
    assert doc.xpath("//p[@class='meta']/time[1]/@datetime") == [
        "2023-09-14T21:31+09:00",
        "2023-04-21",
    ]


def transcript(*turns: tuple[str, str]) -> Transcript:
    speakers = (
        Speaker("min", "Minister Kamikawa", "minister"),
        Speaker("reporter", "Reporter", "reporter"),
    )
    return Transcript(
        source="t.txt",
        title="T",
        held_at=None,
        location=None,
        sections=(),
        turns=tuple(
            Turn(key, key, "minister" if key == "min" else "reporter", None, text, i + 1)
            for i, (key, text) in enumerate(turns)
        ),
        speakers=speakers,
    )


def test_site_turns_take_their_start_from_the_matching_cue() -> None:
    t = transcript(
        ("min", "Good morning.  I have one announcement.\n\nIt is short."),
        ("reporter", "Thank you."),
        ("min", "Thank you."),
        ("reporter", "A question nobody spoke."),
    )
    cues = (
        Cue(0, 2000, "Narrator", "Press conference"),
        Cue(2000, 3000, "Minister Kamikawa", "Good morning."),
        Cue(3000, 5000, "Minister Kamikawa", "I have one announcement."),
        Cue(5000, 6000, "Minister Kamikawa", "It is short."),
        Cue(6000, 7000, "Reporter", "Thank you."),
        Cue(7000, 8000, "Minister Kamikawa", "Thank you."),
    )
    turns = site_turns(t, cues)
    assert [(x.speaker_name, x.start_ms) for x in turns] == [
        ("Minister Kamikawa", 2000),
        ("Reporter", 6000),
        ("Minister Kamikawa", 7000),
        ("Reporter", None),
    ]
    assert turns[0].paragraphs == ("Good morning. I have one announcement.", "It is short.")


def test_site_turns_without_cues_have_no_times() -> None:
    turns = site_turns(transcript(("min", "Hello.")))
    assert turns == (SiteTurn("Minister Kamikawa", ("Hello.",), None),)
