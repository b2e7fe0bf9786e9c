"""`pressaudio render` as a user runs it: through typer's CliRunner, and as the installed
command (on a pseudo-terminal, for the progress bar, and interrupted with Ctrl-C).

Every test runs in its own folder (the current directory, so there is no ./voices and the
bundled profiles speak) with PRESSAUDIO_CACHE_DIR pointing into it: the user's own speech
cache is never touched.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import mutagen.id3
import mutagen.mp3
import pytest
import webvtt
from typer.testing import CliRunner

from pressaudio.cli import app
from pressaudio.speech.voices import default_voices_dir

TESTS = Path(__file__).resolve().parent
BRIEFING = TESTS / "cases" / "briefing-2023-09-15.txt"  # title, date, boilerplate, two turns
TWO_TURNS = TESTS / "cases" / "two-turns.txt"
PRESSAUDIO = Path(sys.executable).parent / "pressaudio"  # the installed console script
SIDECARS = (".chapters.json", ".mp3", ".srt", ".transcript.json", ".vtt")
CASTING = {"Narrator": "narrator", "Reporter": "reporter", "Minister Kamikawa": "minister"}
SUMMARY = re.compile(r"^(?P<mp3>.+\.mp3): (?P<m>\d+):(?P<s>\d\d), (?P<n>\d+) chapters?$")

runner = CliRunner()


@pytest.fixture(autouse=True)
def env_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test in its own folder, with its own speech cache (named by the environment)."""
    cache = tmp_path / "env-cache"
    monkeypatch.setenv("PRESSAUDIO_CACHE_DIR", str(cache))
    monkeypatch.chdir(tmp_path)
    return cache


def outputs(folder: Path, stem: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(stem + "."))


def expected(stem: str) -> list[str]:
    return sorted(stem + suffix for suffix in SIDECARS)


def clips(cache: Path) -> dict[str, int]:
    """The cached clips: relative path -> modification time (ns)."""
    if not cache.exists():
        return {}
    return {str(p.relative_to(cache)): p.stat().st_mtime_ns for p in cache.rglob("*.wav")}


def cue_voices(vtt: Path) -> list[str]:
    return [c.voice for c in webvtt.read(str(vtt))]


def check_summary(stdout: str, mp3: Path) -> None:
    """The summary: duration and chapter count as the MP3 has them, then the casting."""
    lines = stdout.splitlines()
    m = SUMMARY.match(lines[0])
    assert m, stdout
    assert Path(m["mp3"]).resolve() == mp3.resolve()
    seconds = int(m["m"]) * 60 + int(m["s"])
    assert abs(seconds - mutagen.mp3.MP3(str(mp3)).info.length) <= 0.5 + 1e-3
    chapters = json.loads(mp3.with_suffix(".chapters.json").read_text(encoding="utf-8"))
    assert int(m["n"]) == len(chapters["chapters"]) == len(mutagen.id3.ID3(str(mp3)).getall("CHAP"))
    casting = dict(line.strip().split(": ", 1) for line in lines[1:] if ": " in line)
    assert {name: said.split(" (")[0] for name, said in casting.items()} == CASTING, stdout
    assert all(re.search(r"\((espeak|piper) \S+, pitch \d+\)$", s) for s in casting.values())
    assert set(cue_voices(mp3.with_suffix(".vtt"))) == set(CASTING)  # who is heard is listed
    also = lines[-1].strip()
    assert also.startswith("also "), stdout
    beside = set(outputs(mp3.parent, mp3.stem)) - {mp3.name}
    assert set(also.removeprefix("also ").split(", ")) == beside  # every file written, named


# --- a render --------------------------------------------------------------------------------


def test_render_writes_the_four_files_named_after_the_source_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No -o: SOURCE's stem in the current folder; no cache option: the user cache folder."""
    monkeypatch.delenv("PRESSAUDIO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # the per-user cache root
    result = runner.invoke(app, ["render", str(BRIEFING)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar off a terminal, no warnings
    stem = BRIEFING.stem
    assert outputs(tmp_path, stem) == expected(stem)
    check_summary(result.stdout, tmp_path / f"{stem}.mp3")
    cached = clips(tmp_path / "xdg" / "pressaudio")
    assert len(cached) == len(cue_voices(tmp_path / f"{stem}.vtt"))  # one clip per cue


def test_epub_and_daisy_are_written_beside_the_mp3_and_named(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(BRIEFING), "-o", "ep.mp3", "--epub", "--daisy"])
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path, "ep") == sorted([*expected("ep"), "ep.daisy.zip", "ep.epub"])
    check_summary(result.stdout, tmp_path / "ep.mp3")


def test_cache_dir_option_and_no_cache(
    tmp_path: Path, env_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flag_cache = tmp_path / "flag-cache"
    result = runner.invoke(
        app, ["render", str(BRIEFING), "-o", "nested/deeper/ep.mp3", "--cache-dir",
              str(flag_cache), "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "nested" / "deeper", "ep") == expected("ep")
    check_summary(result.stdout, tmp_path / "nested" / "deeper" / "ep.mp3")
    before = clips(flag_cache)
    assert before and not env_cache.exists()  # the option wins over the environment

    # --no-cache at another rate: every utterance is new, and none goes into either cache
    monkeypatch.setenv("PRESSAUDIO_CACHE_DIR", str(flag_cache))
    result = runner.invoke(
        app, ["render", str(BRIEFING), "-o", "slow/ep.mp3", "--no-cache", "--rate", "120", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "slow", "ep") == expected("ep")
    assert clips(flag_cache) == before and not env_cache.exists()
    normal = mutagen.mp3.MP3(str(tmp_path / "nested" / "deeper" / "ep.mp3")).info.length
    slow = mutagen.mp3.MP3(str(tmp_path / "slow" / "ep.mp3")).info.length
    assert slow > normal * 1.15  # really synthesised again, at 120 words a minute


def test_a_second_render_synthesises_nothing(tmp_path: Path, env_cache: Path) -> None:
    """With Piper, where synthesis is what a render spends its time on."""
    pytest.importorskip("piper", reason="the neural extra: pip install 'pressaudio[neural]'")
    source = tmp_path / "tiny.txt"
    source.write_text("Reporter: Any comment?\n\nMinister Kamikawa: None today.\n")
    args = ["render", str(source), "--engine", "piper", "-q", "-o"]
    first = runner.invoke(app, [*args, "first/t.mp3"])
    assert first.exit_code == 0, first.output
    cached = clips(env_cache)
    assert len(cached) == len(cue_voices(tmp_path / "first" / "t.vtt")) == 3
    files = sorted(p.relative_to(env_cache) for p in env_cache.rglob("*"))

    second = runner.invoke(app, [*args, "second/t.mp3"])
    assert second.exit_code == 0, second.output
    assert clips(env_cache) == cached  # nothing new, nothing rewritten
    assert sorted(p.relative_to(env_cache) for p in env_cache.rglob("*")) == files  # no temp
    # the same episode: Piper never speaks a clip twice alike, so equal timings mean
    # every clip came from the cache
    for name in ("t.vtt", "t.srt", "t.chapters.json"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


# --- the installed command on a terminal -------------------------------------------------


def run_on_terminal(*args: str) -> tuple[int, str, str]:
    """Run the installed command with stderr on a pseudo-terminal: (exit code, stdout,
    what the terminal showed)."""
    assert PRESSAUDIO.exists(), f"{PRESSAUDIO} missing: run `pip install -e .` in the venv"
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [str(PRESSAUDIO), *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=terminal, env={**os.environ, "COLUMNS": "100"},
    )  # fmt: skip
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the command closed the terminal: it has exited
                    break
                if not chunk:
                    break
                shown += chunk
            elif proc.poll() is not None:
                break
        assert proc.stdout is not None
        stdout = proc.stdout.read().decode()
        code = proc.wait(timeout=30)
    finally:
        os.close(controller)
        if proc.poll() is None:
            proc.kill()
    return code, stdout, shown.decode(errors="replace")


def test_progress_bar_on_a_terminal_and_quiet_silences_it(tmp_path: Path, env_cache: Path) -> None:
    code, stdout, shown = run_on_terminal("render", str(TWO_TURNS), "-o", "tty/ep.mp3")
    assert code == 0, shown
    assert "Rendering ep.mp3" in shown and "/200" in shown  # the bar, with its count
    check_summary(stdout, tmp_path / "tty" / "ep.mp3")
    assert clips(env_cache)  # the installed command honours PRESSAUDIO_CACHE_DIR

    code, stdout, shown = run_on_terminal("render", str(TWO_TURNS), "-o", "q/ep.mp3", "--quiet")
    assert code == 0, stdout
    assert shown == ""
    check_summary(stdout, tmp_path / "q" / "ep.mp3")
    assert outputs(tmp_path / "q", "ep") == expected("ep")


# --- bad input: one line naming the file, exit 1, nothing written ------------------------


def _profiles(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of the bundled voice profiles with one line of minister.toml changed."""
    folder = tmp_path / name
    shutil.copytree(default_voices_dir(), folder)
    path = folder / "minister.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    (index,) = [i for i, line in enumerate(lines) if line.startswith(old)]
    lines[index] = new + lines[index][len(old) :]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, index + 1


@pytest.mark.parametrize(
    "case",
    ["unknown voice", "broken TOML", "unwritable output", "empty transcript",
     "boilerplate only", "missing file"],
)  # fmt: skip
def test_bad_input_is_one_error_line_naming_the_file(tmp_path: Path, case: str) -> None:
    source, out = str(BRIEFING), "out/ep.mp3"
    args: list[str] = []
    if case == "unknown voice":
        voice = next(
            line.split('"')[1]
            for line in (default_voices_dir() / "minister.toml").read_text().splitlines()
            if line.startswith("voice =")
        )
        typo = voice.replace("-", "", 1)  # "en-gb-x-rp+m3" -> "engb-x-rp+m3"
        path, line = _profiles(tmp_path, "typo", "voice =", f'voice = "{typo}" #')
        args, want = ["--voices", str(path.parent)], [f"{path}:{line}:", typo, voice]
    elif case == "broken TOML":
        path, line = _profiles(tmp_path, "broken", "rate =", "rate = =")
        args, want = ["--voices", str(path.parent)], [f"{path}:{line}:"]
    elif case == "unwritable output":
        (tmp_path / "afile").write_text("a regular file, not a folder\n")
        out, want = "afile/ep.mp3", ["afile"]
    elif case == "empty transcript":
        (tmp_path / "empty.txt").write_text("  \n\n\t\n")
        source, want = "empty.txt", ["empty.txt"]
    elif case == "boilerplate only":
        (tmp_path / "nothing.txt").write_text(
            "This is a provisional translation by an external company for reference purpose "
            "only.\n\nBack to Press Conferences\n"
        )
        source, want = "nothing.txt", ["nothing.txt"]
    else:
        source, want = "missing.txt", ["missing.txt"]
    result = runner.invoke(app, ["render", source, "-o", out, *args])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for part in want:
        assert part in lines[0]
    assert "Traceback" not in result.output
    assert not list(tmp_path.rglob("ep.*")) and not list(tmp_path.rglob("*.part"))


def test_ctrl_c_during_encoding_leaves_no_file(tmp_path: Path) -> None:
    """The installed command, interrupted as Ctrl-C would (SIGINT to the process group)
    once its temporary outputs exist: nothing at any output path, no temporary file."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(PRESSAUDIO), "render", str(BRIEFING), "-o", str(out / "ep.mp3"), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    interrupted = False
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if out.exists() and any(p.name.endswith(".part") for p in out.iterdir()):
                os.killpg(proc.pid, signal.SIGINT)
                interrupted = True
                break
            time.sleep(0.002)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert interrupted, "the render finished before its outputs were being written"
    assert proc.returncode == 130, stderr
    assert b"Traceback" not in stderr and stdout == b""
    assert list(out.iterdir()) == []
