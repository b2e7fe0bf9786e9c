"""`pressaudio follow --once`, run for real against a local server that plays MOFA's
press-conference list and a briefing-room RSS feed: what is new becomes an episode, what
fails is one line and skipped, a changed page re-renders under the same guid, a page that
disappears keeps its episode, and an unchanged round touches nothing."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from conftest import (
    MOFA_0119,
    MOFA_0929,
    WH_GAGGLE,
    Page,
    Site,
    briefing_feed,
    mofa_index,
    mofa_page,
    navigation_page,
    pressaudio,
    wh_page,
)

OWNER = "listener-desk@example.org"
BASE = "http://127.0.0.1:8765/pod/"
K = "/press/kaiken/"
P0119 = K + "kaikenwe_000001_00025.html"
P0929 = K + "kaiken24e_000220.html"
P0929_MOVED = K + "2023/kaiken24e_000220.html"
P_ROBOTS = K + "kaiken24e_000666.html"
P_NAV = K + "kaiken24e_000999.html"
WH = "/briefing-room/press-briefings/2024/03/25/on-the-record-press-gaggle-by-john-kirby/"
WH_OLD = "/briefing-room/press-briefings/2022/01/05/press-briefing-by-jen-psaki/"
WH_STATEMENT = "/briefing-room/statements-releases/2024/03/25/statement-on-a-visit/"


def settings(site: Site) -> str:
    return f"""title = "Followed briefings"
owner_email = "{OWNER}"

[[sources]]
name = "MOFA"
url = "{site.base}/press/kaiken/"
links = "/press/kaiken/kaiken[0-9a-z]*_[0-9_]+[.]html$"
timezone = "Asia/Tokyo"
since = 2023-01-01

[[sources]]
name = "White House"
url = "{site.base}/briefing-room/feed/"
links = "/briefing-room/press-briefings/"
timezone = "America/New_York"
since = 2023-01-01
"""


def build_site(site: Site) -> None:
    site.pages.update({
        "/robots.txt": Page(f"User-agent: *\nDisallow: {P_ROBOTS}\n".encode(), "text/plain"),
        K: Page(b"", status=301, location=K + "index.html"),  # the list moved under index.html
        K + "index.html": Page(mofa_index([
            ("January 19, 2024", P0119, "Press Conference by Foreign Minister KAMIKAWA Yoko"),
            ("December 1, 2023", P_ROBOTS, "Press Conference by the Press Secretary"),
            ("October 2, 2023", P_NAV, "Press Conferences (archive)"),
            ("September 29, 2023", P0929, "Press Conference by Foreign Minister KAMIKAWA Yoko"),
        ])),
        P0119: Page(mofa_page(MOFA_0119.read_text("utf-8"))),
        P0929: Page(b"", status=301, location=P0929_MOVED),
        P0929_MOVED: Page(mofa_page(MOFA_0929.read_text("utf-8"))),
        P_ROBOTS: Page(mofa_page(MOFA_0929.read_text("utf-8"))),
        P_NAV: Page(navigation_page()),
        "/briefing-room/feed/": Page(briefing_feed(site.base, [
            ("Statement on a Visit", WH_STATEMENT, "Mon, 25 Mar 2024 18:00:00 +0000"),
            ("On-the-Record Press Gaggle by John Kirby", WH, "Mon, 25 Mar 2024 15:44:54 +0000"),
            ("Press Briefing by Press Secretary Jen Psaki", WH_OLD,
             "Wed, 05 Jan 2022 20:00:00 +0000"),
        ]), "application/rss+xml; charset=UTF-8"),
        WH: Page(wh_page(WH_GAGGLE.read_text("utf-8"))),
    })
    site.busy[WH] = 1  # the first request for the gaggle gets 429, Retry-After: 1


def follow(root: Path, cache: Path, *more: str) -> tuple[str, str]:
    done = pressaudio("follow", root, "--once", "--base-url", BASE, "--delay", "0",
                      "--max-wait", "5", "--jobs", "1", *more, cache=cache)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stdout, done.stderr


def feed_items(root: Path) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse((root / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return {e.id: e for e in parsed.entries}


def enclosure_file(root: Path, entry: feedparser.FeedParserDict) -> Path:
    href = entry.enclosures[0].href
    assert href.startswith(BASE)
    path = root / href.removeprefix(BASE)
    assert path.is_file(), href
    assert path.stat().st_size == int(entry.enclosures[0].length)
    return path


def stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def lines_with(text: str, needle: str) -> list[str]:
    return [ln for ln in text.splitlines() if needle in ln]


def test_follow_once_twice_then_unchanged(site: Site, tmp_path: Path, follow_cache: Path) -> None:
    root = tmp_path / "pod"
    root.mkdir()
    (root / "podcast.toml").write_text(settings(site), "utf-8")
    build_site(site)

    # --- the first round: three transcripts become three episodes ---------------------------
    out, err = follow(root, follow_cache)
    items = feed_items(root)
    assert len(items) == 3, (out, err)
    titles = sorted(e.title for e in items.values())
    assert titles == [
        "On-the-Record Press Gaggle by White House National Security Communications Advisor "
        "John Kirby",
        "Press Conference by Foreign Minister KAMIKAWA Yoko",
        "Press Conference by Foreign Minister KAMIKAWA Yoko",
    ]
    # A page of pure navigation: one line, skipped; robots.txt: one line, never fetched.
    assert len(lines_with(err, P_NAV)) == 1, err
    assert "no press conference" in lines_with(err, P_NAV)[0]
    assert len(lines_with(err, P_ROBOTS)) == 1 and "robots.txt" in err, err
    assert site.requests_for(P_ROBOTS) == []
    # The too-old feed entry and the entry that is no briefing are never asked for.
    assert site.requests_for(WH_OLD) == [] and site.requests_for(WH_STATEMENT) == []
    # 429 with Retry-After: waited for, asked again, fetched.
    assert len(site.requests_for(WH)) == 2
    assert len(site.requests_for("/robots.txt")) == 1
    # Every request named pressaudio and the publisher's contact.
    for _path, headers in site.log:
        assert "pressaudio/" in headers["User-Agent"] and OWNER in headers["User-Agent"]
    assert "3 new" in out and "2 skipped" in out and "1 older than since" in out, out

    state = json.loads((root / ".pressaudio" / "follow.json").read_text("utf-8"))
    pages = state["pages"]
    assert pages[site.base + P0119]["status"] == "saved"
    moved = pages[site.base + P0929]
    assert moved["status"] == "saved" and moved["final_url"] == site.base + P0929_MOVED
    assert pages[site.base + P_NAV]["status"] == "skipped"
    assert pages[site.base + P_ROBOTS]["status"] == "skipped"
    assert pages[site.base + WH_OLD]["status"] == "old"
    for url in (P0119, P0929, WH):
        record = pages[site.base + url]
        assert record["guid"] in items, record
        assert (root / record["file"]).is_file()
        assert record["etag"] and record["sha256"] and record["fetched"]
    guid_0119 = pages[site.base + P0119]["guid"]
    guid_0929 = pages[site.base + P0929]["guid"]
    guid_wh = pages[site.base + WH]["guid"]
    mp3_0119 = enclosure_file(root, items[guid_0119])
    kept = {g: stamp(enclosure_file(root, items[g])) for g in (guid_0929, guid_wh)}

    # --- the second round: one page corrected, one gone, one unchanged -----------------------
    corrected = MOFA_0119.read_text("utf-8") + "\n\n(Corrected on January 22, 2024.)\n"
    site.pages[P0119] = Page(mofa_page(corrected))
    del site.pages[P0929_MOVED]
    site.log.clear()
    out, err = follow(root, follow_cache)
    items2 = feed_items(root)
    assert set(items2) == set(items)  # same guids: the corrected one replaces itself
    new_mp3 = enclosure_file(root, items2[guid_0119])
    assert new_mp3 != mp3_0119 and not mp3_0119.exists()  # re-rendered under a new name
    for g, before in kept.items():  # the gone page's episode and the unchanged one: untouched
        assert stamp(enclosure_file(root, items2[g])) == before
    assert len(lines_with(err, "gone:")) == 1 and P0929_MOVED in err, err
    assert len(lines_with(err, P_NAV)) == 1, err
    # The unchanged page was asked for conditionally (and answered 304).
    (wh_request,) = site.requests_for(WH)
    assert wh_request.get("If-None-Match")
    assert "1 changed" in out and "1 gone" in out and "1 unchanged" in out, out
    state = json.loads((root / ".pressaudio" / "follow.json").read_text("utf-8"))
    assert state["pages"][site.base + P0929]["status"] == "gone"
    assert (root / state["pages"][site.base + P0929]["file"]).is_file()

    # --- a third round with nothing changed: no MP3 touched, feed.xml byte-for-byte ------------
    feed_before = (root / "feed.xml").read_bytes()
    every = {p: stamp(p) for p in (root / "episodes").glob("*.mp3")}
    out, err = follow(root, follow_cache)
    assert (root / "feed.xml").read_bytes() == feed_before
    assert {p: stamp(p) for p in (root / "episodes").glob("*.mp3")} == every
    assert "0 rendered" in out, out


def test_dry_run_lists_and_writes_nothing(site: Site, tmp_path: Path, follow_cache: Path) -> None:
    root = tmp_path / "pod"
    root.mkdir()
    (root / "podcast.toml").write_text(settings(site), "utf-8")
    build_site(site)
    site.busy.clear()
    done = pressaudio("follow", root, "--dry-run", "--delay", "0", cache=follow_cache)
    assert done.returncode == 0, done.stderr
    listed = lines_with(done.stdout, "would fetch")
    assert sorted(ln.rsplit(" ", 1)[-1] for ln in listed) == sorted(
        site.base + p for p in (P0119, P0929, P_NAV, P_ROBOTS, WH)
    )
    assert sorted(p.name for p in root.iterdir()) == ["podcast.toml"]
    asked = set(site.paths())
    assert asked <= {"/robots.txt", K, K + "index.html", "/briefing-room/feed/"}, asked


@pytest.mark.parametrize("toml, needle", [
    ('title = "x"\n', "no [[sources]]"),
    ('[[sources]]\nname = "A"\nurl = "ftp://example.org/"\n', "is not an http(s):// URL"),
])
def test_settings_problems_are_one_line(
    tmp_path: Path, follow_cache: Path, toml: str, needle: str
) -> None:
    (tmp_path / "podcast.toml").write_text(toml, "utf-8")
    done = pressaudio("follow", tmp_path, "--once", "--base-url", BASE, cache=follow_cache)
    assert done.returncode == 1
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and needle in errors[0] and "podcast.toml" in errors[0], done.stderr
    assert "Traceback" not in done.stderr
