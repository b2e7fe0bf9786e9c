"""End to end with a real podcast client: publish two tiny transcripts, serve the folder on
127.0.0.1 with `pressaudio serve`'s server, and let gPodder's command-line client `gpo`
subscribe, update and download. The downloads must equal the enclosures byte for byte.

Needs Debian's gpodder package (installed by .ci/run).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pressaudio.publish.publish import publish
from pressaudio.publish.serve import PodcastServer, running
from pressaudio.render import RenderOptions

pytestmark = pytest.mark.e2e

REQUIRE_E2E = os.environ.get("PRESSAUDIO_REQUIRE_E2E") == "1"
GPO_TIMEOUT_S = 180

FIRST = """\
Press Conference by Foreign Minister TESTER

Monday, October 2, 2023, 10:00 a.m. Ministry of Foreign Affairs

Minister Tester: Good morning. The summit will be held next week.

Reporter: Will you travel to New York for it?
"""

SECOND = """\
Press Conference by Foreign Minister TESTER & <Guests>

Tuesday, October 3, 2023, 4:30 p.m. Ministry of Foreign Affairs

Minister Tester: Good afternoon. I returned from New York this morning.

Reporter: Was the meeting useful?
"""


def gpo_path() -> str:
    found = shutil.which("gpo")
    if found:
        return found
    reason = "gPodder's gpo is missing (apt-get install gpodder; .ci/run installs it)"
    if REQUIRE_E2E:
        pytest.fail(f"PRESSAUDIO_REQUIRE_E2E=1 but {reason}")
    pytest.skip(reason)


@dataclass(frozen=True)
class Published:
    out: Path
    server: PodcastServer
    sources: tuple[Path, ...]
    options: RenderOptions


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    gpo_path()
    base = tmp_path_factory.mktemp("gpodder")
    sources = base / "transcripts"
    sources.mkdir()
    first = sources / "first-briefing.txt"
    second = sources / "second-briefing.txt"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    out = base / "feed"
    out.mkdir()
    options = RenderOptions(cache_dir=base / "cache")
    with running(out) as server:
        publish([sources], out, server.base_url, jobs=1, options=options)
        yield Published(out, server, (first, second), options)


def enclosures(feed: Path) -> list[tuple[str, str]]:
    """(item title, enclosure URL) in feed order."""
    root = ET.parse(feed).getroot()
    found = []
    for item in root.iter("item"):
        enc = item.find("enclosure")
        assert enc is not None
        found.append((item.findtext("title", ""), enc.get("url", "")))
    return found


def local_file(p: Published, url: str) -> Path:
    assert url.startswith(p.server.base_url), url
    return p.out / unquote(urlsplit(url).path.lstrip("/"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Gpo:
    def __init__(self, home: Path) -> None:
        self.env = {
            **os.environ,
            "HOME": str(home),
            "GPODDER_HOME": str(home / "gpodder"),
            "GPODDER_DOWNLOAD_DIR": str(home / "downloads"),
            "LC_ALL": "C.UTF-8",
        }
        self.downloads = home / "downloads"

    def __call__(self, *args: str) -> str:
        proc = subprocess.run(
            [gpo_path(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=GPO_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
        assert proc.returncode == 0, f"gpo {' '.join(args)}: {proc.stdout}\n{proc.stderr}"
        return proc.stdout

    def downloaded(self) -> dict[str, Path]:
        return {
            f.name: f
            for f in self.downloads.rglob("*")
            if f.is_file() and not f.name.endswith(".partial")
        }


def test_gpodder_subscribes_updates_and_downloads_identical_files(
    published: Published, tmp_path: Path
) -> None:
    gpo = Gpo(tmp_path)
    feed_url = published.server.base_url + "feed.xml"
    items = enclosures(published.out / "feed.xml")
    assert [title for title, _ in items] == [
        "Press Conference by Foreign Minister TESTER & <Guests>",
        "Press Conference by Foreign Minister TESTER",
    ]

    assert "Successfully added" in gpo("subscribe", feed_url)
    assert "2 new episodes" in gpo("update")
    listing = gpo("episodes", feed_url)
    for title, _ in items:
        assert title in listing
    assert "2 episodes downloaded" in gpo("download")

    downloaded = gpo.downloaded()
    assert len(downloaded) == len(items), sorted(downloaded)
    for _, url in items:
        original = local_file(published, url)
        assert original.suffix == ".mp3"
        got = downloaded.get(original.name)
        assert got is not None, f"{original.name} not downloaded: {sorted(downloaded)}"
        assert got.stat().st_size == original.stat().st_size
        assert sha256(got) == sha256(original), f"{original.name} differs from the enclosure"


def test_gpodder_sees_no_new_episode_when_a_transcript_is_corrected(
    published: Published, tmp_path: Path
) -> None:
    """A corrected, re-rendered transcript keeps its guid: the app updates, not duplicates."""
    gpo = Gpo(tmp_path)
    feed_url = published.server.base_url + "feed.xml"
    gpo("subscribe", feed_url)
    assert "2 new episodes" in gpo("update")
    assert "2 episodes downloaded" in gpo("download")
    first = published.sources[0]
    original = first.read_text(encoding="utf-8")
    try:
        first.write_text(original.replace("next week", "next Tuesday"), encoding="utf-8")
        report = publish(
            [first.parent],
            published.out,
            published.server.base_url,
            jobs=1,
            options=published.options,
        )
        assert len(report.rendered) == 1
        out = gpo("update")
        assert "0 new episodes" in out, out
        listing = gpo("episodes", feed_url)
        assert listing.count("Press Conference by Foreign Minister TESTER") == 2, listing
    finally:
        first.write_text(original, encoding="utf-8")
