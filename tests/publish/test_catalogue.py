"""A long back-catalogue: the feed carries the newest `feed_items`, index.html the newest
`page_episodes` with players, archive pages by year list every episode; nothing is
rendered or rewritten again when nothing changed. The renderer is a stand-in here (a real
short MP3 copied, captions from the transcript): what is tested is the catalogue."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree, html

import pressaudio.publish.executors as executors
from pressaudio.audio.captions import chapters_json, srt, webvtt
from pressaudio.audio.ffmpeg import ffmpeg_exe
from pressaudio.model import ChapterMark, Cue, Episode
from pressaudio.publish.publish import publish
from pressaudio.render import RenderOptions

BASE = "http://127.0.0.1:8765/pod/"
DATES = [  # seven briefings over three years
    ("2022", "Monday, March 7, 2022"), ("2022", "Friday, November 18, 2022"),
    ("2023", "Tuesday, January 10, 2023"), ("2023", "Thursday, June 1, 2023"),
    ("2023", "Wednesday, December 20, 2023"), ("2024", "Monday, February 5, 2024"),
    ("2024", "Friday, April 12, 2024"),
]  # fmt: skip


def briefing(n: int, when: str) -> str:
    return f"""Press Conference by Foreign Minister KAMIKAWA Yoko, number {n}

{when}, 10:02 a.m. Ministry of Foreign Affairs

Opening Remarks

Minister Kamikawa: Good morning. This is briefing number {n}.

Question-and-Answer Session

Reporter: Could you tell us more about briefing number {n}?

Minister Kamikawa: That is all for briefing number {n}.
"""


@pytest.fixture
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Replace the renderer; yields the names of the episodes it rendered."""
    folder = tmp_path_factory.mktemp("mp3")
    template = folder / "short.mp3"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=24000:cl=mono",
                    "-t", "1", "-b:a", "48k", "-y", str(template)], check=True)  # fmt: skip
    rendered: list[str] = []

    def render_task(task: executors.RenderTask, options: RenderOptions) -> Episode:
        t = task.transcript
        cues = tuple(Cue(k * 1000, k * 1000 + 900, t.speaker(turn.speaker).name,
                         " ".join(turn.text.split())) for k, turn in enumerate(t.turns))
        chapters = tuple(ChapterMark(s, k * 1000, k * 1000 + 900) for k, s in enumerate(t.sections))
        mp3 = task.out_mp3
        stem = mp3.name.removesuffix(".mp3")
        shutil.copyfile(template, mp3)
        side = [mp3.with_name(stem + s) for s in (".chapters.json", ".vtt", ".srt")]
        side[0].write_text(chapters_json(chapters), "utf-8")
        side[1].write_text(webvtt(cues), "utf-8")
        side[2].write_text(srt(cues), "utf-8")
        rendered.append(task.name)
        return Episode(mp3, side[0], side[1], side[2], len(cues) * 1000, chapters, cues)

    saved = executors.render_task
    executors.render_task = render_task
    try:
        yield rendered
    finally:
        executors.render_task = saved


def catalogue(root: Path, settings: str) -> tuple[Path, Path]:
    src = root / "transcripts"
    src.mkdir(parents=True)
    for n, (_, when) in enumerate(DATES, start=1):
        (src / f"briefing-{n}.txt").write_text(briefing(n, when), encoding="utf-8")
    out = root / "feed"
    out.mkdir()
    (out / "podcast.toml").write_text(settings, encoding="utf-8")
    return src, out


def run(src: Path, out: Path) -> None:
    publish([src], out, BASE, jobs=1, options=RenderOptions(cache_dir=None))


def items(out: Path) -> list[str]:
    root = etree.parse(str(out / "feed.xml")).getroot()
    return [el.text or "" for el in root.iter("title") if el.getparent().tag == "item"]


def test_the_feed_carries_the_newest_feed_items(tmp_path: Path, stand_in: list[str]) -> None:
    src, out = catalogue(tmp_path, "feed_items = 4\n")
    run(src, out)
    assert len(stand_in) == 7
    titles = items(out)
    assert [int(t.rsplit(" ", 1)[1]) for t in titles] == [7, 6, 5, 4]  # newest first
    # the older episodes are still published: their files and pages are there
    assert (out / "episodes" / "briefing-1.mp3").is_file()
    assert (out / "episodes" / "briefing-1.html").is_file()


def test_the_default_feed_carries_every_episode_of_a_short_catalogue(
    tmp_path: Path, stand_in: list[str]
) -> None:
    src, out = catalogue(tmp_path, "")
    run(src, out)
    assert len(items(out)) == 7
    assert not list(out.glob("archive-*.html"))  # all fit on index.html (50 by default)


def test_index_shows_the_newest_and_archive_pages_list_every_episode_by_year(
    tmp_path: Path, stand_in: list[str]
) -> None:
    src, out = catalogue(tmp_path, "page_episodes = 3\n")
    run(src, out)
    index = html.parse(str(out / "index.html")).getroot()
    players = index.findall(".//audio")
    assert len(players) == 3
    assert not index.findall(".//cite")  # the transcripts are on the episodes' own pages
    shown = [a.text_content() for a in index.findall(".//article//h2/a")]
    assert [int(t.rsplit(" ", 1)[1]) for t in shown] == [7, 6, 5]
    years = [a.get("href") for a in index.findall(".//nav[@class='years']//a")]
    assert years == ["archive-2024.html", "archive-2023.html", "archive-2022.html"]

    listed: dict[str, list[str]] = {}
    for href in years:
        page = html.parse(str(out / href)).getroot()
        assert not page.findall(".//audio") and not page.findall(".//script[@src]")
        links = [a.get("href") for a in page.findall(".//ol[@class='archive']//a")]
        for link in links:
            assert (out / link).is_file(), link  # each episode's own page, with its player
        listed[href] = links
        current = page.findall(".//a[@aria-current='page']")
        assert [a.get("href") for a in current] == [href]
    assert listed["archive-2023.html"] == [
        "episodes/briefing-5.html", "episodes/briefing-4.html", "episodes/briefing-3.html"
    ]
    assert sorted(link for links in listed.values() for link in links) == sorted(
        f"episodes/briefing-{n}.html" for n in range(1, 8)
    )


def test_nothing_changed_rewrites_no_page(tmp_path: Path, stand_in: list[str]) -> None:
    src, out = catalogue(tmp_path, "page_episodes = 3\n")
    run(src, out)
    pages = sorted(out.glob("*.html")) + sorted((out / "episodes").glob("*.html"))
    before = {p: p.stat().st_mtime_ns for p in pages}
    stand_in.clear()
    run(src, out)
    assert stand_in == []
    assert {p: p.stat().st_mtime_ns for p in pages} == before

    # one corrected transcript: its page (and only the pages that show it) change
    (src / "briefing-2.txt").write_text(
        briefing(2, DATES[1][1]).replace("That is all", "That is really all"), "utf-8"
    )
    run(src, out)
    assert stand_in == ["briefing-2"]
    changed = {p for p in pages if p.stat().st_mtime_ns != before[p]}
    assert out / "episodes" / "briefing-2.html" in changed
    assert out / "episodes" / "briefing-3.html" not in changed
    assert out / "index.html" not in changed


def test_archive_pages_go_when_every_episode_fits_on_the_index(
    tmp_path: Path, stand_in: list[str]
) -> None:
    src, out = catalogue(tmp_path, "page_episodes = 3\n")
    run(src, out)
    assert len(list(out.glob("archive-*.html"))) == 3
    (out / "podcast.toml").write_text("page_episodes = 10\n", encoding="utf-8")
    run(src, out)
    assert not list(out.glob("archive-*.html"))
    index = (out / "index.html").read_text("utf-8")
    assert len(re.findall(r"<audio ", index)) == 7
