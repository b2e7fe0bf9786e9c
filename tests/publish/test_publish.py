"""`publish`: real renders of tiny transcripts into a podcast folder, then re-publishing.

Incremental (nothing changed: nothing rendered, no MP3 touched, feed.xml byte-identical; one
changed: only it), parallel, locked, and safe when killed with SIGKILL at random moments.
"""

from __future__ import annotations

import fcntl
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import podcastparser
import pytest
from lxml import etree
from pdf_helpers import transcript_pdf
from PIL import Image
from typer.testing import CliRunner

from pressaudio.cli import app
from pressaudio.errors import PublishError, SourceError
from pressaudio.model import Speaker, Transcript, Turn
from pressaudio.publish.catalogue import TEMP_MARK, episode_guid, slugify
from pressaudio.publish.publish import (
    PublishHooks,
    PublishReport,
    collect_sources,
    episode_slug,
    publish,
    published_at,
    summarise,
)
from pressaudio.publish.settings import PodcastSettings
from pressaudio.render import RenderOptions

BASE = "http://127.0.0.1:8765/pod/"
NS = {"podcast": "https://podcastindex.org/namespace/1.0"}


def briefing(title: str, when: str | None, answer: str = "We are working on it.") -> str:
    """A tiny transcript. Its sentences name the title: transcripts rendered at the same time
    share no utterance (see the report on concurrent writes to the synthesis cache)."""
    dateline = f"\n{when} Ministry of Foreign Affairs\n" if when else ""
    return f"""Press Conferences

{title}
{dateline}
Opening Remarks

Minister Kamikawa: Good evening. This is the {title}.

Question-and-Answer Session

Reporter: Could you tell us about the meeting, after the {title}?

Minister Kamikawa: {answer} That is all on the {title}.
"""


TRANSCRIPTS = {
    "kamikawa-2023-09-14.txt": briefing(
        "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko",
        "Thursday, September 14, 2023, 9:31 p.m.",
    ),
    "kamikawa-2023-09-29.txt": briefing(
        "Press Conference by Foreign Minister KAMIKAWA Yoko",
        "Friday, September 29, 2023, 10:02 a.m.",
        "The talks went well.",
    ),
    # A name that slugifies to nothing and a title that tries to climb out of the folder.
    "記者会見.txt": briefing(
        "../../Press Conference by Minister <x>", "Tuesday, April 21, 2015, 8:46 a.m."
    ),
    "undated.txt": briefing("Press Conference without a date", None, "No comment."),
}


class Notes:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def hooks(self) -> PublishHooks:
        return PublishHooks(note=self.lines.append)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A speech cache that already holds what every test transcript says alike (the section
    headings): two processes synthesising the same new utterance at once can currently
    disagree about its length (speech/synth.py writes without checking what another process
    wrote), which is reported, not tested, here."""
    folder = tmp_path_factory.mktemp("synth-cache")
    warm = tmp_path_factory.mktemp("warm")
    (warm / "warm.txt").write_text(briefing("Press Conference by the Minister", None), "utf-8")
    publish([warm / "warm.txt"], warm / "feed", BASE, jobs=1,
            options=RenderOptions(cache_dir=folder))
    return folder


@pytest.fixture(scope="module")
def options(cache: Path) -> RenderOptions:
    return RenderOptions(cache_dir=cache)


@pytest.fixture(scope="module")
def first(
    tmp_path_factory: pytest.TempPathFactory, options: RenderOptions
) -> tuple[Path, Path, PublishReport, list[str]]:
    """Four transcripts published once, in two processes: (sources, DIR, report, notes)."""
    root = tmp_path_factory.mktemp("first")
    src = root / "transcripts"
    src.mkdir()
    for name, text in TRANSCRIPTS.items():
        (src / name).write_text(text, encoding="utf-8")
    os.utime(src / "undated.txt", (1_700_000_000, 1_700_000_000))
    notes = Notes()
    report = publish([src], root / "feed", BASE, jobs=2, options=options, hooks=notes.hooks())
    return src, root / "feed", report, notes.lines


@pytest.fixture
def copy(first: tuple[Path, Path, PublishReport, list[str]], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the first publish (sources and DIR), to change and publish again."""
    src, out, _, _ = first
    shutil.copytree(src, tmp_path / "transcripts")
    shutil.copytree(out, tmp_path / "feed")
    return tmp_path / "transcripts", tmp_path / "feed"


def enclosures(feed: Path) -> list[tuple[str, int]]:
    """(url, length) of every enclosure, read by gPodder's parser."""
    pod = podcastparser.parse(BASE + "feed.xml", io.BytesIO(feed.read_bytes()))
    return [(e["enclosures"][0]["url"], e["enclosures"][0]["file_size"]) for e in pod["episodes"]]


def assert_feed_intact(out: Path) -> list[str]:
    """feed.xml parses strictly and every file it links to exists; enclosures at their exact
    size. Returns the enclosure file names."""
    data = (out / "feed.xml").read_bytes()
    root = etree.fromstring(data, etree.XMLParser(recover=False))
    names = []
    for url, length in enclosures(out / "feed.xml"):
        assert url.startswith(BASE)
        path = out / url.removeprefix(BASE)
        assert path.is_file(), f"{url} is listed but missing"
        assert path.stat().st_size == length, f"{url}: listed {length}, is {path.stat().st_size}"
        names.append(path.name)
    linked = [el.get(attr) or "" for el in root.iter() for attr in ("url", "href")]
    linked += [el.text or "" for el in root.iter("link")]
    for value in linked:
        if value.startswith(BASE):  # chapters, captions, HTML transcript, cover, web page
            target = out / (value.removeprefix(BASE) or "index.html")
            assert target.is_file(), f"{value} is linked but missing"
    return names


def mp3_stats(out: Path) -> dict[str, tuple[int, int]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted((out / "episodes").glob("*.mp3"))
    }


# --- one publish ------------------------------------------------------------------------------


def test_first_publish_renders_every_episode(
    first: tuple[Path, Path, PublishReport, list[str]],
) -> None:
    _src, out, report, notes = first
    assert len(report.episodes) == 4
    assert sorted(report.rendered) == sorted(e.slug for e in report.episodes)
    assert report.reused == () and report.feed_changed
    assert report.feed_path == out.resolve() / "feed.xml"
    assert report.feed_url == BASE + "feed.xml"
    names = assert_feed_intact(out)
    assert len(names) == 4
    for ep in report.episodes:
        for p in (ep.episode.mp3, ep.episode.chapters_json, ep.episode.vtt, ep.episode.srt):
            assert p.parent == out.resolve() / "episodes" and p.is_file()
        assert ep.episode.mp3.stat().st_size == ep.mp3_bytes
        assert ep.episode.chapters and ep.episode.duration_ms > 1000
    # Newest first; the undated one is dated by its file's mtime (2023-11-14).
    assert [e.published for e in report.episodes] == sorted(
        (e.published for e in report.episodes), reverse=True
    )
    # The defaults are announced once; the undated transcript is announced too.
    assert sum("default podcast settings" in n for n in notes) == 1
    assert any("undated.txt" in n and "modification time" in n for n in notes)
    assert not (out / ".pressaudio" / "staging").exists()


def test_published_feed_passes_the_w3c_rules(
    first: tuple[Path, Path, PublishReport, list[str]],
) -> None:
    from test_feed import assert_w3c_rules  # the validator's rules, shared with test_feed

    _, out, _, _ = first
    assert_w3c_rules((out / "feed.xml").read_bytes(), out, BASE)


def test_cover_is_generated(first: tuple[Path, Path, PublishReport, list[str]]) -> None:
    _, out, _, _ = first
    with Image.open(out / "cover.png") as im:
        assert (im.format, im.size) == ("PNG", (3000, 3000))
    pod = podcastparser.parse(BASE + "feed.xml", io.BytesIO((out / "feed.xml").read_bytes()))
    assert pod["cover_url"] == BASE + "cover.png"


def test_dates_and_guids(first: tuple[Path, Path, PublishReport, list[str]]) -> None:
    _src, _, report, _ = first
    by_source = {Path(e.source).name: e for e in report.episodes}
    ep = by_source["kamikawa-2023-09-14.txt"]
    assert ep.published.isoformat() == "2023-09-14T21:31:00+00:00"  # default zone: UTC
    assert ep.guid == episode_guid("kamikawa-2023-09-14.txt")
    undated = by_source["undated.txt"]
    assert undated.date_origin == "file-mtime"
    assert int(undated.published.timestamp()) == 1_700_000_000


def test_slugs_are_safe_whatever_the_title(
    first: tuple[Path, Path, PublishReport, list[str]],
) -> None:
    _, out, report, _ = first
    by_source = {Path(e.source).name: e for e in report.episodes}
    ep = by_source["記者会見.txt"]
    assert ep.slug == "2015-04-21-press-conference-by-minister-x"
    assert ep.title == "../../Press Conference by Minister <x>"
    assert ep.episode.mp3 == out.resolve() / "episodes" / f"{ep.slug}.mp3"
    for e in report.episodes:
        assert slugify(e.slug) == e.slug
    assert not (out.parent / "etc").exists()


# --- publishing again ---------------------------------------------------------------------------


def test_nothing_changed_renders_nothing_and_touches_nothing(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    feed_before = (out / "feed.xml").read_bytes()
    feed_stat = (out / "feed.xml").stat()
    mp3s = mp3_stats(out)
    notes = Notes()
    report = publish([src], out, BASE, jobs=2, options=options, hooks=notes.hooks())
    assert report.rendered == ()
    assert len(report.reused) == 4
    assert not report.feed_changed
    assert (out / "feed.xml").read_bytes() == feed_before
    assert (out / "feed.xml").stat().st_mtime_ns == feed_stat.st_mtime_ns
    assert mp3_stats(out) == mp3s


def test_one_changed_rerenders_that_one_only_and_keeps_its_guid(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    changed = src / "kamikawa-2023-09-29.txt"
    changed.write_text(
        briefing("Press Conference by Foreign Minister KAMIKAWA Yoko",
                 "Friday, September 29, 2023, 10:02 a.m.", "The talks went very well indeed."),
        encoding="utf-8",
    )
    old_guids = guids(out)
    mp3s = mp3_stats(out)
    report = publish([src], out, BASE, jobs=2, options=options)
    assert report.rendered == ("kamikawa-2023-09-29",)
    assert len(report.reused) == 3
    after = mp3_stats(out)
    # The corrected episode has a new file (the old name was in the served feed) ...
    assert "kamikawa-2023-09-29.r2.mp3" in after
    assert "kamikawa-2023-09-29.mp3" not in after  # removed once the new feed was in place
    # ... and every other MP3 is the very same file, untouched.
    for name, stat in mp3s.items():
        if name != "kamikawa-2023-09-29.mp3":
            assert after[name] == stat
    assert_feed_intact(out)
    assert guids(out) == old_guids  # same guid: apps see a corrected episode, not a new one
    # A third publish reuses the corrected rendering.
    assert publish([src], out, BASE, options=options).rendered == ()


def test_a_pdf_transcript_in_the_folder_is_published(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    title = "Press Conference by Foreign Minister HAYASHI Yoshimasa"
    (src / "hayashi-2023-03-03.pdf").write_bytes(transcript_pdf(
        briefing(title, "Friday, March 3, 2023, 4:15 p.m.", "The PDF reads as well."),
        header="Ministry of Foreign Affairs of Japan",
    ))
    mp3s = mp3_stats(out)
    report = publish([src], out, BASE, jobs=2, options=options)
    assert report.rendered == ("hayashi-2023-03-03",)
    assert len(report.reused) == 4 and mp3_stats(out).items() >= mp3s.items()
    assert "hayashi-2023-03-03.mp3" in assert_feed_intact(out)
    pdf_episode = next(e for e in report.episodes if e.slug == "hayashi-2023-03-03")
    assert pdf_episode.published.replace(tzinfo=None) == datetime(2023, 3, 3, 16, 15)
    assert title in guids(out)  # its title from the PDF's text, not its file name
    assert publish([src], out, BASE, options=options).rendered == ()


def guids(out: Path) -> dict[str, str]:
    """Episode title -> guid, as gPodder reads them from feed.xml."""
    pod = podcastparser.parse(BASE + "feed.xml", io.BytesIO((out / "feed.xml").read_bytes()))
    return {e["title"]: e["guid"] for e in pod["episodes"]}


def test_lost_manifest_never_overwrites_a_listed_file(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    (out / ".pressaudio" / "manifest.json").unlink()
    listed = set(assert_feed_intact(out))
    stats = mp3_stats(out)
    report = publish([src], out, BASE, options=options)
    assert len(report.rendered) == 4  # nothing is known: everything is rendered again ...
    now = set(assert_feed_intact(out))
    assert not now & listed  # ... under new names, never over a file the old feed listed
    assert all(name.endswith(".r2.mp3") for name in now)
    assert not set(mp3_stats(out)) & set(stats)  # the old files went once the feed moved on


def test_removed_transcript_leaves_the_feed(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    (src / "undated.txt").unlink()
    report = publish([src], out, BASE, options=options)
    assert report.removed == ("undated",) and report.rendered == ()
    assert len(assert_feed_intact(out)) == 3
    assert not list((out / "episodes").glob("undated*"))


def test_settings_change_the_feed_not_the_audio(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    (out / "podcast.toml").write_text(
        'owner_email = "press@example.org"\nexplicit = false\ncategory = "News"\n'
        'subcategory = "Politics"\n',
        encoding="utf-8",
    )
    mp3s = mp3_stats(out)
    notes = Notes()
    report = publish([src], out, BASE, options=options, hooks=notes.hooks())
    assert report.rendered == () and report.feed_changed
    assert mp3_stats(out) == mp3s
    assert not any("default podcast settings" in n for n in notes.lines)
    pod = podcastparser.parse(BASE + "feed.xml", io.BytesIO((out / "feed.xml").read_bytes()))
    assert pod["itunes_categories"] == [["News", "Politics"]]
    assert pod["itunes_owner"]["email"] == "press@example.org"


def test_leftovers_of_a_killed_run_are_cleaned(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    junk = [
        out / f".feed.xml{TEMP_MARK}abc",
        out / "episodes" / f".x.mp3{TEMP_MARK}def",
        out / ".pressaudio" / "staging" / "123-456" / "x" / "x.mp3",
    ]
    for j in junk:
        j.parent.mkdir(parents=True, exist_ok=True)
        j.write_bytes(b"partial")
    publish([src], out, BASE, options=options)
    assert not any(j.exists() for j in junk)
    assert not (out / ".pressaudio" / "staging").exists()


# --- refusals ----------------------------------------------------------------------------------


def test_a_second_publish_is_refused_while_one_runs(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    with open(out / ".pressaudio" / "lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        before = (out / "feed.xml").read_bytes()
        with pytest.raises(PublishError) as exc:
            publish([src], out, BASE, options=options)
        assert "another publish into this folder is running" in str(exc.value)
        assert (out / "feed.xml").read_bytes() == before
    assert publish([src], out, BASE, options=options).rendered == ()  # lock released


def test_concurrent_cli_publishes(copy: tuple[Path, Path], cache: Path) -> None:
    """Two real `pressaudio publish` processes: the second is refused with a clear message."""
    src, out = copy
    for p in src.glob("*.txt"):
        p.write_text(p.read_text(encoding="utf-8") + "\nReporter: One more?\n\nMinister "
                     "Kamikawa: No.\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "pressaudio", "publish", str(src), "--out", str(out),
           "--base-url", BASE, "--jobs", "1", "--quiet"]
    env = {**os.environ, "PRESSAUDIO_CACHE_DIR": str(cache)}
    first_run = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        lock = out / ".pressaudio" / "lock"
        deadline = time.monotonic() + 60
        while lock.read_text() != str(first_run.pid):
            assert time.monotonic() < deadline and first_run.poll() is None
            time.sleep(0.05)
        second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "another publish into this folder is running" in second.stderr
        assert f"process {first_run.pid}" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
    finally:
        _out_text, err_text = first_run.communicate(timeout=300)
    assert first_run.returncode == 0, err_text
    assert_feed_intact(out)


def test_same_slug_is_reported(tmp_path: Path, options: RenderOptions) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "briefing.txt").write_text(
            TRANSCRIPTS["kamikawa-2023-09-14.txt"], encoding="utf-8"
        )
    with pytest.raises(PublishError) as exc:
        publish([tmp_path / "a", tmp_path / "b"], tmp_path / "feed", BASE, options=options)
    message = str(exc.value)
    assert "a/briefing.txt" in message and "b/briefing.txt" in message
    assert "episodes/briefing.mp3" in message
    assert not (tmp_path / "feed" / "feed.xml").exists()


def test_same_guid_is_reported(tmp_path: Path, options: RenderOptions) -> None:
    # Same file name (so the same guid) but different titles (so different slugs).
    for folder, title in (("a", "Press Conference by Minister A"),
                          ("b", "Press Conference by Minister B")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "会見.txt").write_text(
            briefing(title, "Thursday, September 14, 2023, 9:31 p.m."), encoding="utf-8"
        )
    with pytest.raises(PublishError, match="same episode guid"):
        publish([tmp_path / "a", tmp_path / "b"], tmp_path / "feed", BASE, options=options)


def test_an_empty_transcript_stops_publish_before_any_render(
    copy: tuple[Path, Path], options: RenderOptions
) -> None:
    src, out = copy
    before = (out / "feed.xml").read_bytes()
    (src / "zz-empty.txt").write_text("Press Conferences\n\n", encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        publish([src], out, BASE, options=options)
    assert "zz-empty.txt" in str(exc.value)
    assert (out / "feed.xml").read_bytes() == before


def test_bad_base_url(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="http"):
        publish([tmp_path], tmp_path / "feed", "ftp://example.org/")


# --- killed at random moments ------------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_previous_feed_intact(
    copy: tuple[Path, Path], cache: Path
) -> None:
    src, out = copy
    env = {**os.environ, "PRESSAUDIO_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "pressaudio", "publish", str(src), "--out", str(out),
           "--base-url", BASE, "--jobs", "2", "--quiet"]
    rng = random.Random(20231014)

    def change_two() -> None:
        """Two transcripts get fresh words (the speech cache cannot shortcut them)."""
        for name in ("kamikawa-2023-09-14.txt", "undated.txt"):
            p = src / name
            p.write_text(p.read_text(encoding="utf-8") + f"\nReporter: Question "
                         f"{rng.random():.6f}?\n\nMinister Kamikawa: An answer on "
                         f"{p.stem}.\n", encoding="utf-8")

    # How long such a publish takes here, uninterrupted: the kills land within it.
    change_two()
    start = time.monotonic()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=600)
    took = time.monotonic() - start
    assert_feed_intact(out)

    feeds_seen = {(out / "feed.xml").read_bytes()}
    running = 0  # kills that hit a publish still at work
    for attempt in range(5):
        change_two()
        proc = subprocess.Popen(cmd, env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.95) * took)
        running += proc.poll() is None
        with suppress(ProcessLookupError):  # it may have finished already
            if attempt == 4:
                os.kill(proc.pid, signal.SIGKILL)  # the parent alone: its workers orphaned
            else:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole process group
        proc.wait()
        names = assert_feed_intact(out)
        assert len(names) == 4
        feeds_seen.add((out / "feed.xml").read_bytes())
    print(f"publish took {took:.1f} s; killed {running} of 5 runs at work; "
          f"{len(feeds_seen)} distinct feeds seen")
    assert running >= 3
    # Orphaned workers may still be finishing; then a clean run completes the job.
    time.sleep(1)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    names = assert_feed_intact(out)
    assert len(names) == 4
    leftovers = [p for p in out.rglob("*") if TEMP_MARK in p.name]
    assert not leftovers
    assert not (out / ".pressaudio" / "staging").exists()
    on_disk = {p.name for p in (out / "episodes").glob("*.mp3")}
    assert on_disk == set(names)  # superseded renderings are gone


@pytest.mark.slow
def test_sigkill_the_moment_a_new_rendering_lands(copy: tuple[Path, Path], cache: Path) -> None:
    """The riskiest moment: new MP3s are in episodes/ but feed.xml is not yet replaced."""
    src, out = copy
    env = {**os.environ, "PRESSAUDIO_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "pressaudio", "publish", str(src), "--out", str(out),
           "--base-url", BASE, "--jobs", "2", "--quiet"]
    before_feed = (out / "feed.xml").read_bytes()
    before = set(mp3_stats(out))
    p = src / "kamikawa-2023-09-29.txt"
    p.write_text(p.read_text(encoding="utf-8") + "\nReporter: A late question on the "
                 "twenty-ninth?\n\nMinister Kamikawa: A late answer.\n", encoding="utf-8")
    proc = subprocess.Popen(cmd, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not set(mp3_stats(out)) - before:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.001)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    listed = assert_feed_intact(out)
    if (out / "feed.xml").read_bytes() == before_feed:  # the usual case: killed in the window
        assert "kamikawa-2023-09-29.mp3" in listed
    else:  # the machine was slow to notice: the run finished its feed before the kill
        assert "kamikawa-2023-09-29.r2.mp3" in listed
    assert set(mp3_stats(out)) - before == {"kamikawa-2023-09-29.r2.mp3"}
    # The next run picks the finished rendering up from the manifest, or renders it again.
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "kamikawa-2023-09-29.r2.mp3" in assert_feed_intact(out)


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_publish_summary(copy: tuple[Path, Path], cache: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = copy
    monkeypatch.setenv("PRESSAUDIO_CACHE_DIR", str(cache))
    result = CliRunner().invoke(
        app, ["publish", str(src), "--out", str(out), "--base-url", BASE]
    )
    assert result.exit_code == 0, result.output
    assert "Published 4 episodes: 0 rendered, 4 unchanged." in result.stdout
    assert f"URL:  {BASE}feed.xml" in result.stdout
    assert f"`pressaudio serve {out} --port 8765`" in result.stdout  # BASE's port
    assert "podcast app" in result.stdout


def test_cli_publish_takes_the_base_url_from_podcast_toml(
    copy: tuple[Path, Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = copy
    monkeypatch.setenv("PRESSAUDIO_CACHE_DIR", str(cache))
    (out / "podcast.toml").write_text(f'base_url = "{BASE}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["publish", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"URL:  {BASE}feed.xml" in result.stdout
    assert "0 rendered, 4 unchanged" in result.stdout  # the same feed as with the option
    other = "http://127.0.0.1:9999/elsewhere/"  # the option wins over the file
    result = CliRunner().invoke(app, ["publish", str(src), "--out", str(out),
                                      "--base-url", other])
    assert result.exit_code == 0, result.output
    assert f"URL:  {other}feed.xml" in result.stdout
    # the hints name the URL's port, which is not serve's default
    assert f"`pressaudio serve {out} --port 9999`" in result.stdout
    assert "--base-url http://<this computer's address>:9999/" in result.stdout


def test_cli_publish_without_a_base_url_is_a_usage_error_naming_both_ways(
    tmp_path: Path,
) -> None:
    (tmp_path / "t.txt").write_text(briefing("Press Conference", None), encoding="utf-8")
    result = CliRunner().invoke(app, ["publish", str(tmp_path / "t.txt"), "--out",
                                      str(tmp_path / "feed")])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: no base URL: where {tmp_path / 'feed'} will be served (every link in the feed "
        f'starts with it); give --base-url URL, or set base_url = "URL" in '
        f"{tmp_path / 'feed' / 'podcast.toml'}"
    )
    assert not (tmp_path / "feed" / "feed.xml").exists()


def test_cli_publish_bad_base_url_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["publish", str(tmp_path), "--base-url", "example.org"])
    assert result.exit_code == 2


def test_cli_init(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["init", str(tmp_path / "pod")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pod" / "podcast.toml").is_file()
    again = runner.invoke(app, ["init", str(tmp_path / "pod")])
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


# --- the parts, without rendering ----------------------------------------------------------------


def transcript(title: str | None, held: datetime | date | None) -> Transcript:
    sp = Speaker("kamikawa", "Minister Kamikawa", "minister")
    return Transcript(
        source="x.txt", title=title, held_at=held, location="Ministry of Foreign Affairs",
        sections=(), turns=(Turn("kamikawa", "Minister Kamikawa", "minister", None,
                                 "Good evening. " * 60, 3),),
        speakers=(sp,),
    )


def test_published_at(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("x")
    os.utime(f, (1_600_000_000, 1_600_000_000))
    s = PodcastSettings(timezone="Asia/Tokyo")
    tokyo = ZoneInfo("Asia/Tokyo")
    ny = ZoneInfo("America/New_York")
    aware = datetime(2024, 1, 19, 17, 5, tzinfo=ny)
    assert published_at(transcript("t", aware), f, s) == (aware, "transcript")
    naive = datetime(2024, 1, 19, 17, 5)
    assert published_at(transcript("t", naive), f, s) == (
        naive.replace(tzinfo=tokyo), "default-timezone")
    assert published_at(transcript("t", date(2024, 1, 19)), f, s) == (
        datetime(2024, 1, 19, 12, 0, tzinfo=tokyo), "default-timezone")
    china = replace(s, timezones=(("*china*", "Asia/Shanghai"),))
    assert published_at(transcript("t", naive), tmp_path / "30_china-mfa.txt", china) == (
        naive.replace(tzinfo=ZoneInfo("Asia/Shanghai")), "default-timezone")
    when, origin = published_at(transcript("t", None), f, s)
    assert origin == "file-mtime" and when.timestamp() == 1_600_000_000
    assert when.utcoffset() is not None and when.utcoffset().total_seconds() == 9 * 3600


@pytest.mark.parametrize(
    ("name", "title", "held", "slug"),
    [
        ("01_mofa-kamikawa-2023-09-14.txt", "T", None, "01-mofa-kamikawa-2023-09-14"),
        ("Briefing (Final) ÉTÉ.html", "T", None, "briefing-final-ete"),
        ("記者会見.txt", "../../etc/passwd", date(2015, 4, 21), "2015-04-21-etc-passwd"),
        ("記者会見.txt", "..", None, None),
        ("....txt", "記者会見", None, None),
    ],
)
def test_episode_slug(name: str, title: str, held: date | None, slug: str | None) -> None:
    got = episode_slug(Path(name), transcript(title, held))
    if slug is not None:
        assert got == slug
    assert slugify(got) == got and got and "." not in got and "/" not in got
    assert got == episode_slug(Path(name), transcript(title, held))  # stable


def test_collect_sources(tmp_path: Path) -> None:
    (tmp_path / "a" / "sub").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    for p in ("a/1.txt", "a/sub/2.html", "a/.hidden/3.txt", "a/.4.txt", "a/5.mp3",
              "a/feed/episodes/6.html", "a/feed/index.html", "a/feed/transcripts/7.txt",
              "b.htm", "a/sub/8.PDF"):
        (tmp_path / p).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / p).write_text("x")
    found = collect_sources([tmp_path / "a", tmp_path / "b.htm", tmp_path / "a/1.txt"],
                            out_dir=tmp_path / "a" / "feed")
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/1.txt", "a/feed/transcripts/7.txt", "a/sub/2.html", "a/sub/8.PDF", "b.htm"]
    with pytest.raises(PublishError, match="no such file"):
        collect_sources([tmp_path / "missing"])
    with pytest.raises(PublishError, match="save the page as a file"):
        collect_sources(["https://www.mofa.go.jp/press/kaiken/index.html"])


def test_summary() -> None:
    text = summarise(transcript("Press Conference by Minister X", datetime(2023, 9, 14, 21, 31)))
    assert text.startswith("Press Conference by Minister X. Held Thursday 14 September 2023, "
                           "21:31 at Ministry of Foreign Affairs. Speakers: Minister Kamikawa.")
    assert "“Good evening." in text and text.endswith("Read by synthetic voices.")
    assert len(text) < 700
