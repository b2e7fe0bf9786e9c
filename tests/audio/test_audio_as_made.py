"""Clips handed over as they are made (an iterator, as synthesis yields them): the loudness
is measured while the next clip is still being made, and the episode is the one the same
clips give when they are all there beforehand."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from audio_helpers import clip_file, count_ffmpeg_passes, script_of, utterance

from pressaudio.audio import EpisodeMeta, assemble
from pressaudio.errors import SynthesisError
from pressaudio.model import Clip

META = EpisodeMeta("Title", "Publisher", "Podcast")


def _children() -> list[str]:
    """The command lines of this process's child processes, from /proc."""

    def parent(pid: str) -> str | None:  # of a process that may end while we look
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        except OSError:
            return None

    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and parent(pid) == str(os.getpid()):
            with contextlib.suppress(OSError):
                found.append(Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"))
    return found


def _made(clips: Sequence[Clip], seen: list[list[str]]) -> Iterator[Clip]:
    """The clips one by one, noting before each what ffmpeg is running beside the maker."""
    for clip in clips:
        seen.append([c for c in _children() if "ebur128" in c])
        yield clip


def _files(mp3: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(mp3.parent.iterdir())}


def _clips(folder: Path, rates: Sequence[int]) -> list[Clip]:
    return [
        clip_file(folder, utterance(f"u{i}", pause_ms=300), ms=700, rate=rate, seed=i)
        for i, rate in enumerate(rates)
    ]


def test_clips_are_measured_while_the_next_is_made_and_give_the_same_episode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = _clips(tmp_path, [22050] * 5)
    script = script_of(clips, [("Opening", 0), ("Questions", 3)])
    (tmp_path / "given").mkdir()
    (tmp_path / "made").mkdir()
    given = assemble(clips, script, tmp_path / "given" / "ep.mp3", META)

    passes = count_ffmpeg_passes(monkeypatch)
    seen: list[list[str]] = []
    made = assemble(_made(clips, seen), script, tmp_path / "made" / "ep.mp3", META)
    assert passes == ["measure", "encode"]
    # The first clip is made before ffmpeg starts; every later one while it measures.
    assert seen[0] == [] and all(len(running) == 1 for running in seen[1:]), seen
    assert made.cues == given.cues and made.chapters == given.chapters
    assert _files(made.mp3) == _files(given.mp3)  # the same gain: the same bytes


def test_clips_at_another_rate_are_measured_again_at_the_stitching_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = _clips(tmp_path, [16000, 22050, 22050, 22050])  # the first is the odd one
    script = script_of(clips, [])
    (tmp_path / "given").mkdir()
    (tmp_path / "made").mkdir()
    given = assemble(clips, script, tmp_path / "given" / "ep.mp3", META)

    passes = count_ffmpeg_passes(monkeypatch)
    made = assemble(iter(clips), script, tmp_path / "made" / "ep.mp3", META)
    assert passes == ["measure", "measure", "encode"]
    assert _files(made.mp3) == _files(given.mp3)


def test_a_clip_that_cannot_be_made_stops_the_measuring_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    clips = _clips(tmp_path, [22050] * 4)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ep.mp3").write_text("the previous episode")

    def failing() -> Iterator[Clip]:
        yield from clips[:2]
        raise SynthesisError("the engine failed", source="voices/minister.toml")

    with pytest.raises(SynthesisError, match="the engine failed"):
        assemble(failing(), script_of(clips, []), out / "ep.mp3", META)
    assert _children() == []  # the measuring ffmpeg was killed and reaped
    assert os.listdir(out) == ["ep.mp3"]
    assert (out / "ep.mp3").read_text() == "the previous episode"
