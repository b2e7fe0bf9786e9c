"""Fault injection: the real `pressaudio` commands driven through hostile input, broken
state and signals. Every case ends in one clear line (naming the file or URL) and a clean
exit code, and afterwards the previous feed parses and every file it lists is intact.

Helpers shared by the fault tests live here; each area has its own test module.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import podcastparser
import pytest
from lxml import etree

BASE = "http://127.0.0.1:8765/pod/"

TWO_TURNS = """Press Conference by the Minister for Fault Tolerance

Opening Remarks

Minister Kamikawa: Good evening. Today I have one announcement about {topic}.

Reporter: Will you travel to New York next week?

Minister Kamikawa: Yes, I will attend the General Assembly.
"""


def cli_env(cache: Path | None = None) -> dict[str, str]:
    """The environment a user's shell gives the command: no terminal, a private cache."""
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    if cache is not None:
        env["PRESSAUDIO_CACHE_DIR"] = str(cache)
    return env


def pressaudio(
    *args: str | os.PathLike[str],
    cache: Path | None = None,
    timeout: float = 300,
    cwd: Path | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real command line (`python -m pressaudio ARGS`) to completion."""
    cmd = [sys.executable, "-m", "pressaudio", *map(str, args)]
    done = subprocess.run(
        cmd, env=cli_env(cache), cwd=cwd, capture_output=True, timeout=timeout,
        input=stdin,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode,
        done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
    )


def assert_one_line_error(
    done: subprocess.CompletedProcess[str], *, code: int | Sequence[int] = 1,
    mentions: Sequence[str] = (),
) -> str:
    """The command failed with exit `code` and said why in exactly one `error:` line on
    stderr, naming each of `mentions` (a file, a URL); no traceback. Returns that line."""
    codes = (code,) if isinstance(code, int) else tuple(code)
    assert done.returncode in codes, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, done.stderr
    line = errors[0]
    for text in mentions:
        assert text in line, (text, line)
    assert all(ch >= " " or ch == "\t" for ch in line), repr(line)
    return line


def assert_feed_intact(out: Path, base: str = BASE) -> list[Path]:
    """feed.xml parses strictly; every enclosure exists at its listed size and decodes
    without error from start to end; every other file it links to exists."""
    data = (out / "feed.xml").read_bytes()
    root = etree.fromstring(data, etree.XMLParser(recover=False))
    pod = podcastparser.parse(base + "feed.xml", io.BytesIO(data))
    files: list[Path] = []
    for episode in pod["episodes"]:
        enclosure = episode["enclosures"][0]
        path = out / enclosure["url"].removeprefix(base)
        assert path.is_file(), f"{enclosure['url']} is listed but missing"
        assert path.stat().st_size == enclosure["file_size"], enclosure["url"]
        assert_mp3_decodes(path)
        files.append(path)
    for el in root.iter():
        for attr in ("url", "href"):
            value = el.get(attr) or ""
            if value.startswith(base):
                target = out / (value.removeprefix(base) or "index.html")
                assert target.is_file(), f"{value} is linked but missing"
    return files


def assert_mp3_decodes(path: Path) -> None:
    """ffmpeg decodes the whole MP3 without a single error."""
    from pressaudio.audio.ffmpeg import ffmpeg_exe

    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-nostdin", "-i", str(path), "-f", "null", "-"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0 and not done.stderr.strip(), (path, done.stderr)


@pytest.fixture(scope="session")
def fault_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One speech cache for the fault tests, so each clip is synthesised once."""
    return tmp_path_factory.mktemp("fault-cache")


@pytest.fixture(scope="session")
def published_once(tmp_path_factory: pytest.TempPathFactory, fault_cache: Path) -> Path:
    """A folder with two tiny transcripts in transcripts/ and their feed in feed/."""
    root = tmp_path_factory.mktemp("published")
    src = root / "transcripts"
    src.mkdir()
    for topic in ("water", "energy"):
        (src / f"{topic}.txt").write_text(TWO_TURNS.format(topic=topic), "utf-8")
    done = pressaudio("publish", src, "--out", root / "feed", "--base-url", BASE,
                      "--jobs", "1", cache=fault_cache)
    assert done.returncode == 0, done.stderr
    assert_feed_intact(root / "feed")
    return root


@pytest.fixture
def published(published_once: Path, tmp_path: Path) -> Path:
    """A private copy of `published_once` (transcripts/ and feed/) to break."""
    shutil.copytree(published_once, tmp_path / "pod", symlinks=True)
    return tmp_path / "pod"
