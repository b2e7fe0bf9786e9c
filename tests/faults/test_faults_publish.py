"""Fault injection for `publish` and `render`: signals, a full disk, a second file system,
a broken manifest, a tampered MP3 — always through the real command line.

Signals land at moments chosen by watching files appear (a temporary MP3, a finished
episode's line, a new manifest), never after a blind sleep. Full disks are small tmpfs
mounts (root only; CI runs as root with PRESSAUDIO_REQUIRE_E2E=1, where a missing root is
a failure, not a skip), always unmounted again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from conftest import BASE, TWO_TURNS, assert_feed_intact, assert_one_line_error, cli_env, pressaudio
from PIL import Image

from pressaudio.files import TEMP_MARK

GUARD_S = 300  # loop guard for anything awaited (never a bound on how long a step takes)


# --- helpers ----------------------------------------------------------------------------


def change(pod: Path, name: str, turns: int = 1) -> None:
    """Give transcripts/<name>.txt fresh words (the speech cache cannot shortcut them)."""
    p = pod / "transcripts" / f"{name}.txt"
    extra = "".join(
        f"\nReporter: Question {time.time_ns()} number {i} about {name}?\n\n"
        f"Minister Kamikawa: Answer {i} on {name}, with a few more words to read.\n"
        for i in range(turns)
    )
    p.write_text(p.read_text("utf-8") + extra, "utf-8")


def publish_cmd(pod: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pressaudio", "publish", str(pod / "transcripts"),
            "--out", str(pod / "feed"), "--base-url", BASE, *extra]


def start(cmd: list[str], cache: Path, stderr: Path) -> subprocess.Popen[bytes]:
    """The command in its own process group (pgid == its pid), stderr into a file."""
    with open(stderr, "wb") as err:
        return subprocess.Popen(cmd, env=cli_env(cache), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=err)


def signal_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], sig: int) -> None:
    """Send `sig` to the command's own process (not its workers) once `ready()`."""
    deadline = time.monotonic() + GUARD_S
    while not ready():
        assert proc.poll() is None, "the command ended before the moment came"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    os.kill(proc.pid, sig)


def group(pgid: int) -> list[int]:
    """The processes of process group `pgid`, from /proc."""
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            with suppress(OSError):
                stat = Path(f"/proc/{d}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[2]) == pgid:
                    pids.append(int(d))
    return pids


def assert_no_process_left(pgid: int) -> None:
    """Every process of the command's group ends (workers, ffmpeg; multiprocessing's
    resource tracker ends on its own once the parent is gone)."""
    deadline = time.monotonic() + GUARD_S
    while group(pgid):
        assert time.monotonic() < deadline, [
            Path(f"/proc/{p}/cmdline").read_bytes()[:200] for p in group(pgid)
        ]
        time.sleep(0.01)


def no_temporaries(folder: Path) -> None:
    left = [p for p in folder.rglob("*") if TEMP_MARK in p.name or p.name.endswith(".part")]
    assert not left, left


def mp3s(feed: Path) -> dict[str, tuple[int, int]]:
    """episodes/*.mp3 -> (inode, mtime_ns): a file rendered again is a new file."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (feed / "episodes").glob("*.mp3")}


def need_root() -> None:
    if os.geteuid() != 0:
        reason = "mounting a tmpfs needs root"
        if os.environ.get("PRESSAUDIO_REQUIRE_E2E") == "1":
            pytest.fail(reason + " (PRESSAUDIO_REQUIRE_E2E=1)")
        pytest.skip(reason)


@contextmanager
def tmpfs(mountpoint: Path, size: str) -> Iterator[Path]:
    need_root()
    mountpoint.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
                   check=True, capture_output=True)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=True, capture_output=True)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of `folder` until only about `leave` bytes are free."""
    with open(folder / "filler", "wb") as f, suppress(OSError):
        while True:
            st = os.statvfs(folder)
            free = st.f_bavail * st.f_frsize - leave
            if free <= 0:
                break
            f.write(b"\0" * min(free, 1 << 20))
            f.flush()


def run_publish(pod: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return pressaudio("publish", pod / "transcripts", "--out", pod / "feed", "--base-url", BASE,
                      *extra, cache=cache)


# --- signals ------------------------------------------------------------------------------


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_before_the_first_render_ends(
    published: Path, fault_cache: Path, tmp_path: Path, sig: int, code: int
) -> None:
    feed = published / "feed"
    before = (feed / "feed.xml").read_bytes()
    change(published, "water")
    change(published, "energy")
    proc = start(publish_cmd(published, "--jobs", "2"), fault_cache, tmp_path / "err")
    signal_when(proc, lambda: any(p.name.endswith(".part")
                                  for p in (feed / "episodes").iterdir()), sig)
    assert proc.wait(GUARD_S) == code, (tmp_path / "err").read_text()
    assert "Traceback" not in (tmp_path / "err").read_text()
    assert_no_process_left(proc.pid)
    assert (feed / "feed.xml").read_bytes() == before
    assert_feed_intact(feed)
    no_temporaries(feed)
    done = run_publish(published, fault_cache, "--jobs", "2")  # the lock was released
    assert done.returncode == 0, done.stderr
    assert "2 rendered, 0 unchanged" in done.stdout
    assert_feed_intact(feed)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_between_renders_keeps_the_finished_one(
    published: Path, fault_cache: Path, tmp_path: Path, sig: int, code: int
) -> None:
    """water (short) is finished and reported, energy (long) still rendering: after the
    signal the next run renders energy alone, and water's file is the same file."""
    feed = published / "feed"
    before = (feed / "feed.xml").read_bytes()
    change(published, "water")
    change(published, "energy", turns=40)
    err = tmp_path / "err"
    proc = start(publish_cmd(published, "--jobs", "2"), fault_cache, err)
    signal_when(proc, lambda: "  water: " in err.read_text(), sig)
    assert proc.wait(GUARD_S) == code, err.read_text()
    assert_no_process_left(proc.pid)
    assert (feed / "feed.xml").read_bytes() == before
    assert_feed_intact(feed)
    no_temporaries(feed)
    water = {k: v for k, v in mp3s(feed).items() if k.startswith("water.r")}
    assert len(water) == 1
    done = run_publish(published, fault_cache, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert "1 rendered, 1 unchanged" in done.stdout
    listed = {p.name for p in assert_feed_intact(feed)}
    assert set(water) <= listed
    assert {k: mp3s(feed)[k] for k in water} == water  # not rendered again


def test_sigterm_while_writing_the_feed(
    published: Path, fault_cache: Path, tmp_path: Path
) -> None:
    """Once the new manifest is in place the run writes the web page, then feed.xml: a
    SIGTERM there leaves an intact feed (the old or the new), and nothing to render."""
    feed = published / "feed"
    manifest = feed / ".pressaudio" / "manifest.json"
    old = manifest.stat().st_ino
    change(published, "water")
    change(published, "energy")
    proc = start(publish_cmd(published, "--jobs", "2"), fault_cache, tmp_path / "err")
    signal_when(proc, lambda: manifest.stat().st_ino != old, signal.SIGTERM)
    assert proc.wait(GUARD_S) in (143, 0), (tmp_path / "err").read_text()
    assert_no_process_left(proc.pid)
    assert_feed_intact(feed)
    no_temporaries(feed)
    done = run_publish(published, fault_cache)
    assert done.returncode == 0, done.stderr
    assert "0 rendered, 2 unchanged" in done.stdout
    assert_feed_intact(feed)


def test_sigterm_to_render_leaves_no_partial_file(fault_cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "briefing.txt"
    src.write_text(TWO_TURNS.format(topic=f"rivers {time.time_ns()}"), "utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pressaudio", "render", str(src), "-o", str(out / "ep.mp3"),
           "--quiet"]
    proc = start(cmd, fault_cache, tmp_path / "err")
    signal_when(proc, lambda: out.is_dir() and any(p.name.endswith(".part")
                                                   for p in out.iterdir()), signal.SIGTERM)
    assert proc.wait(GUARD_S) == 143, (tmp_path / "err").read_text()
    assert "Traceback" not in (tmp_path / "err").read_text()
    assert_no_process_left(proc.pid)
    assert list(out.iterdir()) == []


# --- a full disk, another file system -------------------------------------------------------


def _noise_artwork(path: Path) -> None:
    """A valid 1400x1400 cover that does not compress (about 5.9 MB)."""
    Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(path)


@pytest.mark.parametrize("what", ["mp3", "mp3 via symlink", "cover", "manifest"])
def test_a_full_disk_is_one_line_and_the_feed_stays(
    published: Path, fault_cache: Path, tmp_path: Path, what: str
) -> None:
    feed = published / "feed"
    disk = tmp_path / "disk"
    with tmpfs(disk, "4m"):
        # The output folder, or only episodes/ (a symlink), on the small disk.
        if what == "mp3 via symlink":
            shutil.move(feed / "episodes", disk / "episodes")
            (feed / "episodes").symlink_to(disk / "episodes")
        else:
            shutil.copytree(feed, disk / "feed", symlinks=True)
            shutil.rmtree(feed)
            (feed).symlink_to(disk / "feed")
        before = (feed / "feed.xml").read_bytes()
        if what.startswith("mp3"):
            change(published, "water")
            change(published, "energy")
            leave, culprit, extra = 32_000, "episodes/", ("--jobs", "2")  # an MP3: 130 kB
        elif what == "cover":
            art = tmp_path / "art.png"
            _noise_artwork(art)
            (feed / "podcast.toml").write_text(f'artwork = "{art}"\n', "utf-8")
            leave, culprit, extra = 1_000_000, "cover.png", ()
        else:
            (published / "transcripts" / "water.txt").unlink()
            leave, culprit, extra = 0, "manifest.json", ()
        fill(disk, leave)
        done = run_publish(published, fault_cache, *extra)
        line = assert_one_line_error(done, code=1, mentions=[culprit, "no space left on device"])
        if what.startswith("mp3"):
            assert line.rstrip().endswith(".mp3: no space left on device"), line
        assert (feed / "feed.xml").read_bytes() == before
        assert_feed_intact(feed)
        no_temporaries(feed.resolve())
        no_temporaries((feed / "episodes").resolve())


def test_episodes_on_another_file_system(
    published: Path, fault_cache: Path, tmp_path: Path
) -> None:
    feed = published / "feed"
    with tmpfs(tmp_path / "disk", "16m") as disk:
        shutil.move(feed / "episodes", disk / "episodes")
        (feed / "episodes").symlink_to(disk / "episodes")
        change(published, "water")
        done = run_publish(published, fault_cache)
        assert done.returncode == 0, done.stderr
        assert "1 rendered, 1 unchanged" in done.stdout
        listed = assert_feed_intact(feed)
        assert (disk / "episodes" / "water.r2.mp3").is_file()
        assert "water.r2.mp3" in {p.name for p in listed}
        assert not (disk / "episodes" / "water.mp3").exists()  # superseded, removed
        no_temporaries(disk)


# --- broken state ---------------------------------------------------------------------------


def _manifest(feed: Path) -> Path:
    return feed / ".pressaudio" / "manifest.json"


def _list(data: dict) -> object:  # type: ignore[type-arg]
    return [data]


def _strings(data: dict) -> object:  # type: ignore[type-arg]
    return {**data, "episodes": {slug: "rendered" for slug in data["episodes"]}}


def _missing_keys(data: dict) -> object:  # type: ignore[type-arg]
    water = {k: v for k, v in data["episodes"]["water"].items() if k != "files"}
    return {**data, "episodes": {**data["episodes"], "water": water}}


def _episodes_a_list(data: dict) -> object:  # type: ignore[type-arg]
    return {**data, "episodes": list(data["episodes"])}


@pytest.mark.parametrize(
    ("breakage", "rebuilt"),
    [(_list, {"water", "energy"}), (_strings, {"water", "energy"}),
     (_missing_keys, {"water"}), (_episodes_a_list, {"water", "energy"})],
)
def test_a_manifest_of_the_wrong_shape_is_noted_and_rebuilt(
    published: Path, fault_cache: Path, breakage: Callable[[dict], object], rebuilt: set[str]  # type: ignore[type-arg]
) -> None:
    feed = published / "feed"
    listed_before = {p.name for p in assert_feed_intact(feed)}
    manifest = _manifest(feed)
    manifest.write_text(json.dumps(breakage(json.loads(manifest.read_text("utf-8")))), "utf-8")
    done = run_publish(published, fault_cache)
    assert done.returncode == 0, done.stderr
    notes = [ln for ln in done.stderr.splitlines()
             if ln.startswith("note:") and "manifest.json" in ln]
    assert len(notes) == 1, done.stderr
    assert f"{len(rebuilt)} rendered" in done.stdout
    listed = {p.name for p in assert_feed_intact(feed)}
    for slug in rebuilt:  # under a new name: no file the old feed listed was overwritten
        assert f"{slug}.r2.mp3" in listed and f"{slug}.mp3" in listed_before
    again = run_publish(published, fault_cache)  # the rebuilt manifest is sound
    assert "0 rendered, 2 unchanged" in again.stdout and "manifest.json" not in again.stderr


def test_an_mp3_overwritten_with_same_size_garbage_is_rendered_again(
    published: Path, fault_cache: Path
) -> None:
    feed = published / "feed"
    mp3 = feed / "episodes" / "water.mp3"
    st = mp3.stat()
    mp3.write_bytes(os.urandom(st.st_size))
    os.utime(mp3, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: only bytes
    done = run_publish(published, fault_cache)
    assert done.returncode == 0, done.stderr
    assert "1 rendered, 1 unchanged" in done.stdout
    listed = {p.name for p in assert_feed_intact(feed)}
    assert listed == {"water.r2.mp3", "energy.mp3"}
