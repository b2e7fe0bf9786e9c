"""The podcast's web page in a real browser: axe-core finds no WCAG 2.2 AA or best-practice
violation in light or dark mode, and a keyboard alone can skip to the content, reach a
chapter and seek the player to it (which needs the server's byte-range answers).

Needs Debian's chromium (installed by .ci/run); Playwright drives it, never downloads one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from pressaudio.model import ChapterMark
from pressaudio.publish.serve import PodcastServer, running
from pressaudio.publish.site import SiteEpisode, SiteLink, SiteTurn, build_site

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
REQUIRE_E2E = os.environ.get("PRESSAUDIO_REQUIRE_E2E") == "1"

DURATION_S = 30
CHAPTERS = (
    ChapterMark("Opening remarks", 0, 10_000),
    ChapterMark("Question 1: the summit & <allies>", 10_000, 20_000),
    ChapterMark("Question 2: 北朝鮮", 20_000, DURATION_S * 1000),
)


def need_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)"
    if REQUIRE_E2E:
        pytest.fail(f"PRESSAUDIO_REQUIRE_E2E=1 but {reason}")
    pytest.skip(reason)


def make_mp3(path: Path, seconds: int, freq: int = 440) -> None:
    """A real MP3 (sine tone) encoded by the ffmpeg that imageio-ffmpeg ships."""
    import imageio_ffmpeg

    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:duration={seconds}",
            "-ac",
            "1",
            "-codec:a",
            "libmp3lame",
            "-b:a",
            "64k",
            str(path),
        ],
        check=True,
    )


def episode(slug: str, title: str, published: datetime | date, seconds: int) -> SiteEpisode:
    turns = (
        SiteTurn("Minister Kamikawa", ("Good evening. <script>alert(1)</script> & “quotes”.",), 0),
        SiteTurn("Reporter", ("Was the summit discussed?", "A second paragraph."), 10_000),
        SiteTurn("Minister Kamikawa", ("We discussed it. 日本語のテキスト。",), 20_000),
        SiteTurn("Moderator", ("That is all for today.",), None),
    )
    links = (
        SiteLink("WebVTT captions", f"episodes/{slug}.vtt", "text/vtt"),
        SiteLink("SRT captions", f"episodes/{slug}.srt", "application/x-subrip"),
    )
    return SiteEpisode(
        slug=slug,
        title=title,
        published=published,
        duration_ms=seconds * 1000,
        audio_url=f"episodes/{slug}.mp3",
        chapters=CHAPTERS,
        turns=turns,
        transcript_links=links,
        location="Ministry of Foreign Affairs",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_chromium()
    out = tmp_path_factory.mktemp("site")
    jst = timezone(timedelta(hours=9), "JST")
    newest = episode(
        "newest", "Press conference & <Q&A>", datetime(2023, 9, 14, 21, 31, tzinfo=jst), DURATION_S
    )
    older = episode("older", "An older briefing", date(2023, 4, 21), DURATION_S)
    episodes = []
    for ep, freq in ((older, 660), (newest, 440)):
        make_mp3(out / ep.audio_url, DURATION_S, freq)
        for link in ep.transcript_links:
            (out / link.url).write_text("WEBVTT\n")
        episodes.append(replace(ep, audio_bytes=(out / ep.audio_url).stat().st_size))
    build_site(
        "Press Conferences, Read Aloud",
        "Government press conferences.\n\nRead by synthetic voices.",
        "http://127.0.0.1:1/feed.xml",
        None,
        episodes,  # older first: build_site orders them newest first
        out,
    )
    return out


@pytest.fixture(scope="module")
def archived(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PodcastServer]:
    """The same two episodes with one shown on index.html: the other on archive pages."""
    out = tmp_path_factory.mktemp("archived")
    shutil.copytree(site / "episodes", out / "episodes")
    jst = timezone(timedelta(hours=9), "JST")
    newest = episode(
        "newest", "Press conference & <Q&A>", datetime(2023, 9, 14, 21, 31, tzinfo=jst), DURATION_S
    )
    oldest = episode("older", "An older briefing", date(2022, 4, 21), DURATION_S)
    build_site(
        "Press Conferences, Read Aloud",
        "Government press conferences.",
        "http://127.0.0.1:1/feed.xml",
        None,
        [replace(newest, turns=()), replace(oldest, turns=())],
        out,
        page_episodes=1,
    )
    assert (out / "archive-2022.html").is_file() and (out / "archive-2023.html").is_file()
    with running(out) as srv:
        yield srv


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[PodcastServer]:
    with running(site) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    assert page.evaluate("axe.version") == AXE_VERSION
    result: dict[str, Any] = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


# --- axe-core ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", ["/", "/archive-2023.html", "/archive-2022.html"])
def test_axe_finds_no_violations_on_a_catalogue_with_archive_pages(
    browser: Any, archived: PodcastServer, scheme: str, page_path: str
) -> None:
    context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(archived.base_url.rstrip("/") + page_path, wait_until="load")
        violations = run_axe(page)
        assert violations == [], describe(violations)
        page.focus("nav.years a >> nth=0")  # with the focus on a link, contrast still holds
        violations = run_axe(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_archive_pages_work_without_javascript(browser: Any, archived: PodcastServer) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(archived.base_url, wait_until="load")
        page.click("text=2022")
        assert page.url.endswith("/archive-2022.html")
        page.click("text=An older briefing")
        assert page.url.endswith("/episodes/older.html")
        assert page.locator("audio").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", ["/", "/episodes/newest.html"])
def test_axe_finds_no_violations(
    browser: Any, server: PodcastServer, scheme: str, page_path: str
) -> None:
    context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(server.base_url.rstrip("/") + page_path, wait_until="load")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        violations = run_axe(page)
        assert violations == [], describe(violations)
        # and with the keyboard focus visible on a chapter link, contrast still holds
        page.focus("a.chapter >> nth=1")
        violations = run_axe(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_dark_scheme_really_changes_the_colours(browser: Any, server: PodcastServer) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(server.base_url, wait_until="load")
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] == "rgb(255, 255, 255)"
    assert colours["dark"] != colours["light"]


# --- structure --------------------------------------------------------------------------------


def test_page_structure(browser: Any, server: PodcastServer) -> None:
    page = browser.new_page()
    try:
        page.goto(server.base_url, wait_until="load")
        assert page.get_attribute("html", "lang") == "en"
        assert page.locator("h1").count() == 1
        for landmark in ("header", "nav", "main", "footer"):
            assert page.locator(landmark).count() >= 1, landmark
        titles = page.locator("article.episode h2").all_inner_texts()
        assert titles == ["Press conference & <Q&A>", "An older briefing"]  # newest first
        assert (
            page.locator("article.episode h3").all_inner_texts() == ["Chapters", "Transcript"] * 2
        )
        audio = page.locator("#player-newest")
        assert audio.get_attribute("controls") is not None
        assert audio.get_attribute("preload") == "metadata"
        assert audio.get_attribute("autoplay") is None
        assert page.evaluate("document.getElementById('player-newest').paused") is True
        speakers = page.locator("#ep-newest cite.speaker").all_inner_texts()
        assert speakers == ["Minister Kamikawa:", "Reporter:", "Minister Kamikawa:", "Moderator:"]
        # text is escaped, never executed
        assert "<script>alert(1)</script>" in page.locator("#ep-newest .turn").first.inner_text()
        assert page.evaluate("document.querySelectorAll('article script').length") == 0
        assert page.locator("#feed-url").input_value() == "http://127.0.0.1:1/feed.xml"
    finally:
        page.close()


def test_without_javascript_chapters_and_transcript_are_links(
    browser: Any, server: PodcastServer
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.base_url, wait_until="load")
        hrefs = page.eval_on_selector_all(
            "#ep-newest a.chapter", "els => els.map(e => e.getAttribute('href'))"
        )
        assert hrefs == [
            "episodes/newest.mp3#t=0",
            "episodes/newest.mp3#t=10",
            "episodes/newest.mp3#t=20",
        ]
        assert page.locator("#ep-newest .turn").count() == 4
        assert page.locator("#copy-feed").is_hidden()  # needs JS; the field is still there
        assert page.locator("#feed-url").is_visible()
    finally:
        context.close()


def test_episode_page_is_a_podcasting_html_transcript(browser: Any, server: PodcastServer) -> None:
    page = browser.new_page()
    try:
        page.goto(server.base_url + "episodes/newest.html", wait_until="load")
        assert page.locator("h1").all_inner_texts() == ["Press conference & <Q&A>"]
        assert page.locator("h2").all_inner_texts() == ["Chapters", "Transcript"]
        assert page.locator(".turn cite").count() == 4
        assert page.locator(".turn time").count() == 3
        assert page.locator(".turn p").count() == 5
        # relative links resolve from episodes/
        src = page.evaluate("document.getElementById('player-newest').currentSrc")
        assert src == server.base_url + "episodes/newest.mp3"
        page.click("text=Press Conferences, Read Aloud")
        page.wait_for_url(server.base_url + "index.html")
    finally:
        page.close()


def test_reflows_at_320_css_pixels(browser: Any, server: PodcastServer) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        for path in ("", "episodes/newest.html"):
            page.goto(server.base_url + path, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path or 'index'} scrolls sideways: {width}px wide"
    finally:
        context.close()


# --- the keyboard -----------------------------------------------------------------------------


def active(page: Any) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(
        """() => {
            const el = document.activeElement;
            const cs = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
                    text: (el.innerText || "").trim(), seek: el.getAttribute("data-seek"),
                    player: el.getAttribute("data-player"),
                    focusVisible: el.matches(":focus-visible"),
                    outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth,
                    top: el.getBoundingClientRect().top,
                    bottom: el.getBoundingClientRect().bottom};
        }"""
    )
    return info


def keyboard_seek(browser: Any, base_url: str, slug: str, seek: str) -> None:
    """From the top of index.html, by keyboard alone: skip link, into main, Tab to the
    chapter of episode `slug` that starts at `seek` seconds, Enter; the player seeks there
    through byte-range requests."""
    start = float(seek)
    context = browser.new_context()
    page = context.new_page()
    statuses: list[int] = []
    page.on(
        "response",
        lambda r: statuses.append(r.status) if r.url.endswith(".mp3") else None,
    )
    try:
        page.goto(base_url, wait_until="load")
        page.wait_for_function(f"document.getElementById('player-{slug}').readyState >= 1")

        page.keyboard.press("Tab")
        first = active(page)
        assert first["cls"] == "skip" and first["text"] == "Skip to main content", first
        assert first["focusVisible"] and first["outlineStyle"] != "none", first
        assert first["top"] >= 0 and first["bottom"] > first["top"], "skip link shown on focus"

        page.keyboard.press("Enter")
        assert active(page)["id"] == "main"

        target = None
        for _ in range(80):
            page.keyboard.press("Tab")
            now = active(page)
            if (
                now["cls"] == "chapter"
                and now["player"] == f"player-{slug}"
                and now["seek"] == seek
            ):
                target = now
                break
        assert target is not None, f"Tab never reached the chapter at {seek}s of {slug}"
        assert target["focusVisible"], target
        assert target["outlineStyle"] != "none" and target["outlineWidth"] != "0px", target

        page.keyboard.press("Enter")
        page.wait_for_function(
            f"(() => {{ const a = document.getElementById('player-{slug}');"
            f" return !a.seeking && a.currentTime >= {start - 0.1}"
            f" && a.currentTime < {start + 2}; }})()",
            timeout=4000,  # well before playing from 0 could get there
        )
        assert page.url in (base_url, base_url + "#main"), "JS seeks in place"
        assert active(page)["seek"] == seek, "focus stays on the chapter link"
        page.wait_for_function(
            f"(document.querySelector('#ep-{slug} a.chapter[aria-current=\"true\"]') || {{}})"
            f".getAttribute?.('data-seek') === '{seek}'"
        )
        assert 206 in statuses, f"the player fetched the MP3 without ranges: {statuses}"
    finally:
        context.close()


def test_keyboard_skip_link_then_chapter_seeks_the_player(
    browser: Any, server: PodcastServer
) -> None:
    keyboard_seek(browser, server.base_url, "newest", "10")


def test_keyboard_transcript_time_seeks_and_other_player_pauses(
    browser: Any, server: PodcastServer
) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server.base_url, wait_until="load")
        page.focus("#ep-older .turn a[data-seek='20']")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "document.getElementById('player-older').currentTime >= 19.9", timeout=4000
        )
        page.focus("#ep-newest a.chapter[data-seek='10']")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "document.getElementById('player-newest').currentTime >= 9.9", timeout=4000
        )
        page.wait_for_function("document.getElementById('player-older').paused")
    finally:
        context.close()


def test_keyboard_copy_feed_url(browser: Any, server: PodcastServer) -> None:
    context = browser.new_context()
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=server.base_url.rstrip("/")
    )
    page = context.new_page()
    try:
        page.goto(server.base_url, wait_until="load")
        page.focus("#feed-url")
        page.keyboard.press("Tab")
        assert active(page)["id"] == "copy-feed"
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
        assert page.inner_text("#copy-status") == "Feed URL copied."
        assert page.evaluate("navigator.clipboard.readText()") == "http://127.0.0.1:1/feed.xml"
    finally:
        context.close()


# --- a real published episode ------------------------------------------------------------------

BRIEFING = """\
Press Conference by Foreign Minister TESTER

Monday, October 2, 2023, 10:00 a.m. Ministry of Foreign Affairs

Opening Remarks

Minister Tester: Good morning. One announcement & it is short: the "summit" is next week.

Question-and-Answer Session

Reporter: Will you travel to New York for it?

Minister Tester: Yes. I will leave on Sunday.
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PodcastServer]:
    """A feed folder written by publish() from a real transcript, rendered by eSpeak."""
    need_chromium()
    from pressaudio.publish.publish import publish
    from pressaudio.render import RenderOptions

    base = tmp_path_factory.mktemp("published")
    source = base / "tester-briefing.txt"
    source.write_text(BRIEFING, encoding="utf-8")
    out = base / "feed"
    out.mkdir()
    with running(out) as srv:
        publish([source], out, srv.base_url, jobs=1, options=RenderOptions(cache_dir=base / "c"))
        yield srv


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", ["", "episodes/tester-briefing.html"])
def test_published_site_has_no_axe_violations(
    browser: Any, published: PodcastServer, scheme: str, page_path: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(published.base_url + page_path, wait_until="load")
        assert page.locator("audio").count() == 1
        violations = run_axe(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_published_site_keyboard_seeks_to_the_questions(
    browser: Any, published: PodcastServer
) -> None:
    import json

    chapters = json.loads(
        (published.directory / "episodes" / "tester-briefing.chapters.json").read_text()
    )["chapters"]
    questions = [c for c in chapters if c["title"].startswith("Questions and answers")]
    assert len(questions) == 1, chapters
    start = questions[0]["startTime"]
    assert start > 1
    seek = f"{start:.3f}".rstrip("0").rstrip(".")
    keyboard_seek(browser, published.base_url, "tester-briefing", seek)


def test_published_transcript_is_timed_by_speaker(browser: Any, published: PodcastServer) -> None:
    page = browser.new_page()
    try:
        page.goto(published.base_url + "episodes/tester-briefing.html", wait_until="load")
        speakers = page.locator(".turn cite").all_inner_texts()
        assert speakers == ["Minister Tester:", "Reporter:", "Minister Tester:"]
        times = page.eval_on_selector_all(
            ".turn a[data-seek]", "els => els.map(e => parseFloat(e.dataset.seek))"
        )
        assert len(times) == 3 and times == sorted(times) and times[0] > 0, times
    finally:
        page.close()


# --- the transcript follows the audio ---------------------------------------------------------


def cue_times(page: Any) -> list[tuple[float, float]]:
    times: list[list[float]] = page.eval_on_selector_all(
        "span.cue", "els => els.map(e => [parseFloat(e.dataset.start), parseFloat(e.dataset.end)])"
    )
    return [(start, end) for start, end in times]


def play_at(page: Any, seconds: float) -> None:
    """Seek the episode's player (muted, paused) to `seconds`; timeupdate fires on seek."""
    page.evaluate(
        """(t) => new Promise((done) => {
            const a = document.querySelector('audio');
            a.muted = true;
            a.addEventListener('seeked', () => { a.dispatchEvent(new Event('timeupdate'));
                                                   done(); }, {once: true});
            a.currentTime = t;
        })""",
        seconds,
    )


def highlighted(page: Any) -> list[int]:
    found: list[int] = page.eval_on_selector_all(
        "span.cue", "els => els.flatMap((e, i) => e.classList.contains('now') ? [i] : [])"
    )
    return found


def open_episode(browser: Any, published: PodcastServer, **context_options: Any) -> Any:
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(published.base_url + "episodes/tester-briefing.html", wait_until="load")
    page.wait_for_function("document.querySelector('audio').readyState >= 1")
    return page


def test_the_sentence_being_heard_is_highlighted(browser: Any, published: PodcastServer) -> None:
    page = open_episode(browser, published)
    try:
        cues = cue_times(page)
        assert len(cues) >= 3 and cues == sorted(cues), cues
        assert page.is_visible("#follow-tester-briefing"), "the switch shows once JS runs"
        for i in (0, len(cues) // 2, len(cues) - 1):
            start, end = cues[i]
            play_at(page, (start + end) / 2)
            assert highlighted(page) == [i], (i, cues)
    finally:
        page.context.close()


def test_highlighting_can_be_switched_off_and_stays_off(
    browser: Any, published: PodcastServer
) -> None:
    page = open_episode(browser, published)
    try:
        start, end = cue_times(page)[1]
        play_at(page, (start + end) / 2)
        assert highlighted(page) == [1]
        page.uncheck("#follow-on-tester-briefing")
        assert highlighted(page) == []
        play_at(page, (start + end) / 2 + 0.01)
        assert highlighted(page) == [], "switched off: nothing is marked while playing"
        page.reload(wait_until="load")
        page.wait_for_function("document.querySelector('audio').readyState >= 1")
        assert not page.is_checked("#follow-on-tester-briefing"), "the choice is remembered"
        play_at(page, (start + end) / 2)
        assert highlighted(page) == []
        page.check("#follow-on-tester-briefing")
        play_at(page, (start + end) / 2 + 0.01)
        assert highlighted(page) == [1]
    finally:
        page.context.close()


def test_keyboard_moves_between_sentences_and_plays_from_the_focused_one(
    browser: Any, published: PodcastServer
) -> None:
    page = open_episode(browser, published)
    try:
        cues = cue_times(page)
        tab_stops = page.eval_on_selector_all("span.cue", "els => els.map(e => e.tabIndex)")
        assert tab_stops.count(0) == 1 and tab_stops[0] == 0, "the sentences are one Tab stop"
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('cue')"):
                break
        assert page.evaluate("document.activeElement === document.querySelector('span.cue')")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowDown")
        focused = page.evaluate(
            "[...document.querySelectorAll('span.cue')].indexOf(document.activeElement)"
        )
        assert focused == 2
        page.evaluate("document.querySelector('audio').muted = true")
        page.keyboard.press("Enter")
        start = cues[2][0]
        page.wait_for_function(
            f"(() => {{ const a = document.querySelector('audio');"
            f" return !a.seeking && a.currentTime >= {start - 0.05}"
            f" && a.currentTime < {start + 2}; }})()",
            timeout=4000,
        )
        page.keyboard.press("End")
        last = page.evaluate(
            "[...document.querySelectorAll('span.cue')].indexOf(document.activeElement)"
        )
        assert last == len(cues) - 1
    finally:
        page.context.close()


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_following_scrolls_only_without_reduced_motion(
    browser: Any, published: PodcastServer, motion: str
) -> None:
    page = open_episode(browser, published, reduced_motion=motion,
                        viewport={"width": 400, "height": 240})
    try:
        cues = cue_times(page)
        page.evaluate("window.scrollTo(0, 0)")
        start, end = cues[-1]
        play_at(page, (start + end) / 2)
        assert highlighted(page) == [len(cues) - 1]
        last_in_view = """() => { const r = [...document.querySelectorAll('span.cue')]
                                       .pop().getBoundingClientRect();
                                   return r.top >= 0 && r.bottom <= window.innerHeight; }"""
        if motion == "reduce":
            assert page.evaluate("window.scrollY") == 0, "no scrolling under reduced motion"
            assert not page.evaluate(last_in_view)
        else:  # brought into view (scrolling may be animated)
            page.wait_for_function(last_in_view, timeout=4000)
            assert page.evaluate("window.scrollY") > 0
    finally:
        page.context.close()
