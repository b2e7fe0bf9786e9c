"""`pressaudio follow --watch`: rounds until SIGTERM, which ends it with status 143, the feed
intact and no render worker left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import feedparser
from conftest import MOFA_0119, MOFA_0929, Page, Site, cli_env, mofa_index, mofa_page

BASE = "http://127.0.0.1:8765/pod/"
PAGE = "/press/kaiken/kaiken24e_000220.html"
SECOND = "/press/kaiken/kaikenwe_000001_00025.html"


def session_processes(sid: int) -> list[int]:
    """Processes still alive in session `sid` (the command and anything it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[3]) == sid:  # state, ppid, pgrp, session
            found.append(int(entry.name))
    return found


def test_watch_rounds_until_sigterm(site: Site, tmp_path: Path, follow_cache: Path) -> None:
    site.pages.update({
        "/press/kaiken/index.html": Page(mofa_index([
            ("September 29, 2023", PAGE, "Press Conference by Foreign Minister KAMIKAWA Yoko"),
        ])),
        PAGE: Page(mofa_page(MOFA_0929.read_text("utf-8"))),
    })
    root = tmp_path / "pod"
    root.mkdir()
    (root / "podcast.toml").write_text(f"""owner_email = "ops@example.org"
[[sources]]
name = "MOFA"
url = "{site.base}/press/kaiken/index.html"
links = "/press/kaiken/kaiken[0-9a-z]*_[0-9_]+[.]html$"
""", "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pressaudio", "follow", str(root), "--watch", "1s",
         "--base-url", BASE, "--delay", "0", "--jobs", "2"],
        env=cli_env(follow_cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    rounds = threading.Semaphore(0)
    out: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.append(line)
            if line.startswith("Next round in"):
                rounds.release()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert rounds.acquire(timeout=240), "".join(out)  # first round: renders the episode
        assert rounds.acquire(timeout=60), "".join(out)  # second round: nothing new
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=10)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert code == 143, (code, "".join(out), stderr)
    assert "Traceback" not in stderr, stderr
    assert session_processes(proc.pid) == []
    parsed = feedparser.parse((root / "feed.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 1
    mp3 = root / parsed.entries[0].enclosures[0].href.removeprefix(BASE)
    assert mp3.stat().st_size == int(parsed.entries[0].enclosures[0].length)
    assert "1 new" in "".join(out) and "1 unchanged" in "".join(out)


def test_sigterm_while_rendering_leaves_no_worker(
    site: Site, tmp_path: Path, follow_cache: Path
) -> None:
    site.pages.update({
        "/press/kaiken/index.html": Page(mofa_index([
            ("January 19, 2024", SECOND, "Press Conference by Foreign Minister KAMIKAWA Yoko"),
            ("September 29, 2023", PAGE, "Press Conference by Foreign Minister KAMIKAWA Yoko"),
        ])),
        PAGE: Page(mofa_page(MOFA_0929.read_text("utf-8") + "\n\nA sentence only here.\n")),
        SECOND: Page(mofa_page(MOFA_0119.read_text("utf-8") + "\n\nA sentence only here.\n")),
    })  # two episodes, so publish renders them in a pool of two worker processes
    root = tmp_path / "pod"
    root.mkdir()
    (root / "podcast.toml").write_text(f"""[[sources]]
name = "MOFA"
url = "{site.base}/press/kaiken/index.html"
""", "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pressaudio", "follow", str(root), "--once",
         "--base-url", BASE, "--delay", "0", "--jobs", "2"],
        env=cli_env(tmp_path / "fresh-cache"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )
    try:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if line.startswith("rendering"):
                break
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert code == 143, (code, "".join(seen))
    assert session_processes(proc.pid) == []
    assert not (root / "feed.xml").exists()  # nothing half-published
    assert (root / "transcripts").is_dir()  # the fetched transcript is kept for next time


def test_a_site_that_is_down_is_one_line(tmp_path: Path, closed_port: int,
                                         follow_cache: Path) -> None:
    from conftest import pressaudio

    (tmp_path / "podcast.toml").write_text(f"""[[sources]]
name = "Down"
url = "http://127.0.0.1:{closed_port}/feed/"
""", "utf-8")
    done = pressaudio("follow", tmp_path, "--once", "--base-url", BASE, cache=follow_cache)
    assert done.returncode == 0, done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("skipped:")]
    assert len(lines) == 1 and f"127.0.0.1:{closed_port}" in lines[0], done.stderr
    assert "connection refused" in lines[0] and "Traceback" not in done.stderr
    assert "1 skipped" in done.stdout
