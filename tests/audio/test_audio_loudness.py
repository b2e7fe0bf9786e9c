"""Loudness where the limiter bites: peaky material still meets the target on the default
path, at the cost of an extra measurement only where it is needed; and the peak profile
that predicts the limiter's loss, checked on signals whose answer is known."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest
from audio_helpers import (
    clicky,
    count_ffmpeg_passes,
    loudness,
    script_of,
    utterance,
    write_wav,
)

from pressaudio.audio import AudioSettings, EpisodeMeta, assemble
from pressaudio.audio import loudness as product_loudness
from pressaudio.audio.loudness import MAX_MAKEUP_DB, PeakProfile, makeup_gain
from pressaudio.model import Clip

RATE = 22050
META = EpisodeMeta("t", "a", "b")


@pytest.fixture(scope="module")
def peaky_clips(tmp_path_factory: pytest.TempPathFactory) -> list[Clip]:
    folder = tmp_path_factory.mktemp("peaky")
    clips = []
    for i in range(6):
        pcm = clicky(1500 + 200 * i, RATE, freq=180 + 40 * i, seed=i)
        wav = write_wav(folder / f"p{i}.wav", pcm, RATE)
        clips.append(Clip(utterance(f"Utterance {i}", pause_ms=400), wav, RATE, len(pcm) // 2))
    return clips


@pytest.mark.parametrize(("channels", "target"), [(1, -19.0), (2, -16.0)])
def test_peaky_sound_meets_the_loudness_target_on_the_default_path(
    peaky_clips: list[Clip],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    channels: int,
    target: float,
) -> None:
    passes = count_ffmpeg_passes(monkeypatch)
    out = tmp_path / "peaky.mp3"
    assemble(peaky_clips, script_of(peaky_clips, [("A", 0)]), out, META,
             AudioSettings(channels=channels))  # fmt: skip
    integrated, peak = loudness(out)
    print(f"peaky, {channels} channel(s): {integrated} LUFS, {peak} dBTP, passes {passes}")
    assert abs(integrated - target) <= 1.0
    assert peak <= -1.0
    # the limiter takes several dB here: the limited signal is measured before encoding
    assert passes[0] == "measure" and passes[-1] == "encode"
    assert 1 <= passes.count("limited") <= 2 and len(passes) == passes.count("limited") + 2


def test_without_making_up_for_the_limiter_peaky_sound_misses_the_target(
    peaky_clips: list[Clip], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The material above is a real test: one gain from the unlimited loudness (what
    assemble did before) leaves it far too quiet."""
    monkeypatch.setattr(
        product_loudness,
        "makeup_gain",
        lambda base, profile, limit, offset=0.0: product_loudness.Makeup(base, 0.0),
    )
    out = tmp_path / "peaky.mp3"
    assemble(peaky_clips, script_of(peaky_clips, [("A", 0)]), out, META)
    assert loudness(out)[0] < -21.0


def _tone(seconds: float, peak: float, freq: float = 440.0) -> bytes:
    n = round(seconds * RATE)
    return struct.pack(
        f"<{n}h", *(round(32767 * peak * math.sin(2 * math.pi * freq * i / RATE)) for i in range(n))
    )


def test_no_loss_predicted_while_the_peaks_stay_under_the_limit() -> None:
    profile = PeakProfile(RATE)
    profile.add(_tone(1.0, 10 ** (-12 / 20)))  # peaks at -12 dBFS
    assert profile.limiter_loss_db(9.5, -2.0) == 0.0  # -2.5 dBFS after the gain
    assert makeup_gain(9.5, profile, -2.0).gain_db == pytest.approx(9.5)


def test_a_steady_tone_loses_exactly_its_overshoot() -> None:
    profile = PeakProfile(RATE)
    profile.add(_tone(0.5, 10 ** (-6 / 20)))
    profile.gap(RATE)  # silence: no loudness either way
    profile.add(_tone(0.5, 10 ** (-6 / 20), freq=300.0))
    # peaks at -6 dBFS, +10 dB of gain, a limit at -2 dBFS: every block is 6 dB over
    assert profile.limiter_loss_db(10.0, -2.0) == pytest.approx(6.0, abs=0.1)


def test_makeup_adds_back_the_loss_it_causes() -> None:
    profile = PeakProfile(RATE)
    quiet, loud = _tone(0.9, 0.1), _tone(0.1, 1.0, freq=1000.0)  # -20 and 0 dBFS peaks
    for _ in range(5):
        profile.add(quiet)
        profile.add(loud)
    made = makeup_gain(6.0, profile, -2.0)
    assert made.gain_db > 6.5  # the loud tenth is limited, by more as the gain grows
    loss = profile.limiter_loss_db(made.gain_db, -2.0)
    assert made.gain_db == pytest.approx(6.0 + loss, abs=0.01)  # the fixed point
    assert made.predicted_loss_db == pytest.approx(loss)


def test_makeup_stops_where_nothing_but_peaks_is_left() -> None:
    profile = PeakProfile(RATE)
    profile.add(_tone(1.0, 1.0))  # all peak: more gain only means more limiting
    made = makeup_gain(3.0, profile, -2.0)
    assert made.gain_db == pytest.approx(3.0 + MAX_MAKEUP_DB)


@pytest.mark.parametrize(
    ("channels", "bitrate", "ceiling"),
    [(1, "64k", -2.0), (2, "128k", -2.0), (2, "64k", -2.75), (1, "32k", -2.75)],
)
def test_the_limiter_keeps_more_headroom_where_mp3_coding_is_coarse(
    channels: int, bitrate: str, ceiling: float
) -> None:
    """Below 64 kbit/s per channel, MP3 coding adds up to ~1.1 dB to the true peak."""
    settings = AudioSettings(channels=channels, bitrate=bitrate)
    assert product_loudness.limiter_ceiling_db(settings) == pytest.approx(ceiling)
