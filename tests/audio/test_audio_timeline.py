"""The timeline: where each utterance and chapter sits, computed before any audio exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import script_of, utterance

from pressaudio.audio import plan_timeline, sidecar_paths
from pressaudio.audio.assemble import stitching_rate
from pressaudio.errors import AudioError
from pressaudio.model import Clip


def clip(frames: int, rate: int = 22050, pause_ms: int = 500, speaker: str = "A") -> Clip:
    return Clip(utterance(f"{frames}", speaker, pause_ms), Path("x.wav"), rate, frames)


def test_times_follow_frames_and_pauses_exactly() -> None:
    clips = [clip(22050), clip(11025, pause_ms=250), clip(2205, pause_ms=0), clip(441)]
    tl = plan_timeline(clips, script_of(clips, [("One", 0), ("Two", 2)]))
    assert tl.rate == 22050
    assert [(c.start_ms, c.end_ms) for c in tl.cues] == [
        (0, 1000),
        (1500, 2000),
        (2250, 2350),
        (2350, 2370),
    ]
    assert tl.duration_ms == 2870  # the last pause is part of the episode
    assert [(m.title, m.start_ms, m.end_ms) for m in tl.chapters] == [
        ("One", 0, 2250),
        ("Two", 2250, 2870),
    ]
    assert [c.speaker_name for c in tl.cues] == ["A"] * 4
    assert tl.cues[0].text == "22050"


def test_clips_at_other_rates_are_placed_on_the_stitching_timeline() -> None:
    # 1 s at 16 kHz between clips at 22.05 kHz: it lasts 1 s on the common timeline too
    clips = [clip(44100, pause_ms=0), clip(16000, 16000, pause_ms=0), clip(22050, pause_ms=0)]
    tl = plan_timeline(clips, script_of(clips, []))
    assert tl.rate == 22050
    assert tl.lengths == (44100, 22050, 22050)
    assert [(c.start_ms, c.end_ms) for c in tl.cues] == [(0, 2000), (2000, 3000), (3000, 4000)]
    assert tl.chapters == ()


def test_stitching_rate_is_the_rate_of_most_of_the_audio() -> None:
    assert stitching_rate([clip(100, 22050), clip(50, 16000), clip(50, 16000)]) == 22050
    assert stitching_rate([clip(100, 22050), clip(300, 24000)]) == 24000
    assert stitching_rate([clip(100, 16000), clip(100, 22050)]) == 22050  # tie: the higher


def test_first_chapter_starts_at_zero_and_empty_chapters_are_dropped() -> None:
    clips = [clip(22050) for _ in range(4)]
    chapters = [("Title only", 1), ("Opening", 1), ("Questions", 3), ("", 2)]
    tl = plan_timeline(clips, script_of(clips, chapters))
    assert [(m.title, m.start_ms, m.end_ms) for m in tl.chapters] == [
        ("Opening", 0, 3000),  # covers the intro before its first utterance
        ("Chapter 2", 3000, 4500),  # untitled: numbered
        ("Questions", 4500, 6000),
    ]


def test_mismatched_script_and_bad_chapters_are_refused() -> None:
    clips = [clip(100), clip(100)]
    with pytest.raises(ValueError, match="2 clips for 1 utterances"):
        plan_timeline(clips, script_of(clips[:1], []))
    with pytest.raises(ValueError, match="starts at utterance 2 of 2"):
        plan_timeline(clips, script_of(clips, [("Late", 2)]))
    with pytest.raises(AudioError, match=r"x\.wav"):
        plan_timeline([clip(100, rate=0)], script_of([clip(100)], []))


def test_sidecars_sit_beside_the_mp3() -> None:
    assert sidecar_paths(Path("out/a.b.mp3")) == (
        Path("out/a.b.chapters.json"),
        Path("out/a.b.vtt"),
        Path("out/a.b.srt"),
    )
    assert sidecar_paths(Path("episode"))[1] == Path("episode.vtt")
