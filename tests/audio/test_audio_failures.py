"""Failures a user can cause end in one AudioError naming the file, and leave no output."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from audio_helpers import clip_file, script_of, utterance

from pressaudio.audio import AudioSettings, EpisodeMeta, assemble, loudness
from pressaudio.errors import AudioError
from pressaudio.model import Clip

META = EpisodeMeta("Title", "Publisher", "Podcast")
OUTPUTS = ("ep.mp3", "ep.chapters.json", "ep.vtt", "ep.srt")


def _clips(folder: Path, n: int = 3) -> list[Clip]:
    return [clip_file(folder, utterance(f"u{i}", pause_ms=200), ms=300, seed=i) for i in range(n)]


def _out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return out


def _assert_nothing_written(out: Path) -> None:
    assert sorted(os.listdir(out)) == []  # no output and no temporary file


def test_missing_clip_names_the_file_and_leaves_nothing(tmp_path: Path) -> None:
    clips = _clips(tmp_path)
    gone = clips[1].wav.with_name("gone.wav")
    clips[1] = Clip(clips[1].utterance, gone, clips[1].sample_rate, clips[1].frames)
    out = _out(tmp_path)
    with pytest.raises(AudioError) as err:
        assemble(clips, script_of(clips, [("A", 0)]), out / "ep.mp3", META)
    assert str(gone) in str(err.value) and "cannot read audio clip" in str(err.value)
    _assert_nothing_written(out)


def test_corrupt_or_mismatched_clip_names_the_file(tmp_path: Path) -> None:
    clips = _clips(tmp_path)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" + os.urandom(100))
    out = _out(tmp_path)
    broken = [clips[0], Clip(clips[1].utterance, bad, 22050, 50)]
    with pytest.raises(AudioError, match="not a readable PCM WAV") as err:
        assemble(broken, script_of(broken, []), out / "ep.mp3", META)
    assert str(bad) in str(err.value)
    stale = [clips[0], Clip(clips[1].utterance, clips[1].wav, 22050, clips[1].frames + 100)]
    with pytest.raises(AudioError, match="expected 6715 frames") as err:
        assemble(stale, script_of(stale, []), out / "ep.mp3", META)
    assert str(clips[1].wav) in str(err.value)
    _assert_nothing_written(out)


@pytest.mark.parametrize("halves", [False, True], ids=["one encoding", "two halves at once"])
def test_ffmpeg_failure_is_an_audio_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, halves: bool
) -> None:
    monkeypatch.setattr(loudness, "mastering_filter", lambda *args: "no_such_filter")
    monkeypatch.setattr(importlib.import_module("pressaudio.audio.assemble"), "_cores", lambda: 2)
    clips = _clips(tmp_path) if not halves else [
        clip_file(tmp_path, utterance(f"u{i}", pause_ms=400), ms=3000, seed=i) for i in range(10)
    ]  # fmt: skip
    out = _out(tmp_path)
    with pytest.raises(AudioError) as err:
        assemble(clips, script_of(clips, []), out / "ep.mp3", META)
    assert f"ffmpeg failed while encoding {out / 'ep.mp3'} (exit status" in str(err.value)
    assert "no_such_filter" in str(err.value)  # ffmpeg's own words
    _assert_nothing_written(out)


def test_interrupt_keeps_the_previous_episode_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = _clips(tmp_path)
    out = _out(tmp_path)
    for name in OUTPUTS:
        (out / name).write_text(f"previous {name}")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    module = importlib.import_module("pressaudio.audio.assemble")
    monkeypatch.setattr(module, "write_tags", interrupted)
    with pytest.raises(KeyboardInterrupt):
        assemble(clips, script_of(clips, []), out / "ep.mp3", META)
    assert sorted(os.listdir(out)) == sorted(OUTPUTS)
    assert all((out / n).read_text() == f"previous {n}" for n in OUTPUTS)


@pytest.mark.parametrize("pause_ms", [0, 500], ids=["one encoding", "two halves at once"])
def test_interrupt_while_ffmpeg_runs_kills_it_and_leaves_nothing(
    tmp_path: Path, pause_ms: int
) -> None:
    """A real Ctrl-C (SIGINT) to a render in another process, in the middle of encoding;
    with pauses to cut at (and two cores) the episode is encoded in two halves at once."""
    clips_dir = tmp_path / "clips"
    clips_dir.mkdir()
    out = _out(tmp_path)
    script = f"""
import sys, signal, os, threading
sys.path.insert(0, {str(Path(__file__).parent)!r})
from pathlib import Path
from audio_helpers import clip_file, script_of, utterance
from pressaudio.audio import EpisodeMeta, assemble
import pressaudio.audio.assemble
one = clip_file(Path({str(clips_dir)!r}), utterance("x", pause_ms={pause_ms}), ms=5000)
clips = [one] * 400  # 33 minutes: long enough to be interrupted
sys.modules["pressaudio.audio.assemble"]._cores = lambda: 2
def progress(f):
    if f > 0.5:  # encoding
        os.kill(os.getpid(), signal.SIGINT)
try:
    assemble(clips, script_of(clips, []), Path({str(out / "ep.mp3")!r}), EpisodeMeta("t", "a", "b"),
             on_progress=progress)
except KeyboardInterrupt:
    def parent(pid):  # of a process that may end while we look
        try:
            return open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()[1]
        except OSError:
            return None
    children = [p for p in os.listdir("/proc") if p.isdigit() and parent(p) == str(os.getpid())]
    print("interrupted", "children:", children, "threads:", threading.active_count())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert "interrupted children: [] threads: 1" in done.stdout, done.stderr
    _assert_nothing_written(out)


def test_unwritable_output_folder_is_an_audio_error_naming_the_path(tmp_path: Path) -> None:
    clips = _clips(tmp_path, 1)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with pytest.raises(AudioError, match="cannot write to folder") as err:
        assemble(clips, script_of(clips, []), not_a_folder / "ep.mp3", META)
    assert str(not_a_folder / "ep.chapters.json") in str(err.value)
    with pytest.raises(AudioError, match="cannot write to folder"):
        assemble(clips, script_of(clips, []), tmp_path / "missing" / "ep.mp3", META)
    (tmp_path / "dir.mp3").mkdir()
    with pytest.raises(AudioError, match="output path is a folder"):
        assemble(clips, script_of(clips, []), tmp_path / "dir.mp3", META)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_folder_is_an_audio_error(tmp_path: Path) -> None:
    clips = _clips(tmp_path, 1)
    out = _out(tmp_path)
    out.chmod(0o555)
    try:
        with pytest.raises(AudioError, match="Permission denied"):
            assemble(clips, script_of(clips, []), out / "ep.mp3", META)
    finally:
        out.chmod(0o755)


def test_settings_are_checked() -> None:
    with pytest.raises(AudioError, match="channels"):
        AudioSettings(channels=6)
    with pytest.raises(AudioError, match="sample rate 44000"):
        AudioSettings(sample_rate=44000)
    with pytest.raises(AudioError, match="bitrate"):
        AudioSettings(bitrate="64kbps")
    assert AudioSettings().target == -19.0
    assert AudioSettings(channels=2).target == -16.0
    assert AudioSettings(channels=2, target_lufs=-18.0).target == -18.0


def test_importing_the_audio_package_starts_nothing() -> None:
    code = (
        "import sys, pressaudio.audio, pressaudio.audio.assemble;"
        "print(sorted(m for m in ('pydub', 'imageio_ffmpeg') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert done.stderr == ""


def test_a_signal_while_ffmpeg_starts_still_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (or SIGTERM) landing while Popen forks and execs: ffmpeg is killed and
    reaped, not left running to create its output after the caller removed it."""
    import signal

    from pressaudio.audio import ffmpeg

    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen_then_signal(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        proc: subprocess.Popen[bytes] = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        if "-hide_banner" in args[0]:  # run_ffmpeg's own ffmpeg, not a version probe
            started.append(proc)
            os.kill(os.getpid(), signal.SIGINT)  # before Popen has returned to run_ffmpeg
        return proc

    signal.signal(signal.SIGINT, signal.default_int_handler)
    monkeypatch.setattr(ffmpeg.subprocess, "Popen", popen_then_signal)
    with pytest.raises(KeyboardInterrupt):
        ffmpeg.run_ffmpeg(
            ["-f", "lavfi", "-i", "sine=duration=60", "-f", "null", "-"], what="testing"
        )
    assert len(started) == 1
    assert started[0].returncode is not None  # killed and reaped: no ffmpeg left running
