"""Joining MP3 parts encoded apart (audio/mp3join.py), and episodes encoded in two halves
at once: the join must decode to the very samples, in the very places, of one encoding."""

from __future__ import annotations

import importlib
import random
import subprocess
from pathlib import Path
from typing import Any

import mutagen.mp3
import numpy as np
import pytest
from audio_helpers import burst, clip_file, decode, loudness, script_of, sound_spans, utterance

from pressaudio.audio import EpisodeMeta, assemble, mp3join
from pressaudio.audio.ffmpeg import ffmpeg_exe
from pressaudio.audio.loudness import encoder_args
from pressaudio.audio.settings import AudioSettings
from pressaudio.errors import AudioError

ASSEMBLE = importlib.import_module("pressaudio.audio.assemble")  # the name is the function
RATE = 22050  # input; the MP3 is at 44.1 kHz, two samples for each
GAP = mp3join.gap_samples() // 2  # input frames the join puts back as coded silence


def encode(pcm: bytes, out: Path) -> Path:
    """`pcm` (mono 16-bit at RATE) encoded by the product's ffmpeg, as episodes are."""
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", str(RATE), "-ac", "1",
         "-i", "pipe:0", *encoder_args(AudioSettings()), "-y", str(out)],
        input=pcm, check=True,
    )  # fmt: skip
    return out


def same_sound(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], reach: int = 40) -> bool:
    """Two encodings of one signal: best aligned with no shift, and apart only by coding
    noise (correlation above 0.99; a 64 kbit/s encoding's noise is about 30 dB down)."""
    core = y[reach:-reach]
    scores = [
        np.dot(x[reach + lag : len(x) - reach + lag], core) for lag in range(-reach, reach + 1)
    ]
    best = int(np.argmax(scores)) - reach
    r = np.corrcoef(x[reach:-reach], core)[0, 1]
    return best == 0 and r > 0.99


def silence(frames: int) -> bytes:
    return bytes(2 * frames)


def test_one_part_comes_back_byte_for_byte(tmp_path: Path) -> None:
    """The Info frame is rebuilt as ffmpeg builds it: counts, seek table, padding, CRCs.
    Four minutes (over 400 frames: the seek table's sampling thins out) and a short one."""
    rnd = random.Random(1)
    for seconds in (0.7, 240.0):
        n = int(seconds * RATE)
        pcm = np.array([rnd.randint(-3000, 3000) for _ in range(n)], dtype="<i2").tobytes()
        part = encode(pcm, tmp_path / "part.mp3")
        mp3join.join([part], tmp_path / "joined.mp3")
        assert (tmp_path / "joined.mp3").read_bytes() == part.read_bytes()


def test_two_parts_decode_as_one_encoding_in_length_and_place(tmp_path: Path) -> None:
    # The cut a whole number of MP3 frames (1152 samples, 576 input frames) from the start.
    cut = 576 * 60
    first = burst(700, RATE, 330.0, seed=1) + silence(cut - 700 * RATE // 1000)
    second = silence(4000) + burst(900, RATE, 520.0, seed=2) + silence(3000)
    whole = encode(first + second, tmp_path / "whole.mp3")
    parts = [
        encode(first[: 2 * (cut - GAP)], tmp_path / "1.mp3"),  # without the gap's frames
        encode(second, tmp_path / "2.mp3"),
    ]
    mp3join.join(parts, tmp_path / "joined.mp3")
    one, joined = decode(whole), decode(tmp_path / "joined.mp3")
    assert len(joined) == len(one) == 2 * len(first + second) // 2
    onset = 2 * (cut + 4000)  # the second burst, in output samples
    assert np.argmax(np.abs(joined[onset - 200 :]) > 0.05) == np.argmax(
        np.abs(one[onset - 200 :]) > 0.05
    )
    assert same_sound(joined[onset - 2000 :], one[onset - 2000 :])
    info = mutagen.mp3.MP3(tmp_path / "joined.mp3").info
    assert info.length == pytest.approx(mutagen.mp3.MP3(whole).info.length)


def test_crc_of_a_join_is_the_crc_of_the_whole() -> None:
    rnd = random.Random(7)
    for n_a, n_b in ((0, 5), (1, 1), (1000, 333), (20000, 77777)):
        a, b = rnd.randbytes(n_a), rnd.randbytes(n_b)
        combined = mp3join._crc16_combine(mp3join._crc16(a), mp3join._crc16(b), n_b)
        assert combined == mp3join._crc16(a + b)


def test_parts_that_cannot_join_are_refused_naming_the_part(tmp_path: Path) -> None:
    good = encode(silence(576 * 10 - GAP), tmp_path / "good.mp3")
    unaligned = encode(silence(576 * 10 - GAP + 100), tmp_path / "unaligned.mp3")
    with pytest.raises(AudioError, match="padding") as err:
        mp3join.join([unaligned, good], tmp_path / "out.mp3")
    assert "unaligned.mp3" in str(err.value)
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(good.read_bytes()[:-100])
    with pytest.raises(AudioError, match="partial frame") as err:
        mp3join.join([good, cut], tmp_path / "out.mp3")
    assert "cut.mp3" in str(err.value)
    other = tmp_path / "other.mp3"
    other.write_bytes(good.read_bytes()[:500] + b"not an MP3 frame" * 50)
    with pytest.raises(AudioError, match="other data") as err:
        mp3join.join([good, other], tmp_path / "out.mp3")
    assert "other.mp3" in str(err.value)
    assert not (tmp_path / "out.mp3").exists()


def test_an_episode_in_halves_is_the_episode_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two cores a 30-second episode is encoded in two halves at once: the MP3 is the
    one encoding's up to a cut near the middle, and after it the same sound in the same
    places; same length, same loudness, no half left behind."""
    clips = [
        clip_file(tmp_path, utterance(f"Turn {i}.", pause_ms=300 + 40 * i), ms=2200 + 90 * i,
                  freq=200 + 60 * i, seed=i)
        for i in range(11)
    ]  # fmt: skip
    script = script_of(clips, [("All", 0)])
    meta = EpisodeMeta(title="Halves", artist="Test", album="Test")
    episodes = {}
    for cores in (1, 2):
        monkeypatch.setattr(ASSEMBLE, "_cores", lambda cores=cores: cores)
        episodes[cores] = assemble(clips, script, tmp_path / f"{cores}.mp3", meta)
    one, two = episodes[1], episodes[2]
    assert two.cues == one.cues and two.duration_ms == one.duration_ms
    a, b = decode(one.mp3), decode(two.mp3)
    assert len(a) == len(b)
    cut = np.flatnonzero(a != b)[0] / len(a)  # the halves' encoder starts afresh here
    assert 0.35 < cut < 0.65
    after = int(cut * len(a))
    assert same_sound(b[after:], a[after:])
    for span in sound_spans(a):
        assert any(abs(s - span[0]) < 3 and abs(e - span[1]) < 3 for s, e in sound_spans(b))
    assert loudness(two.mp3) == pytest.approx(loudness(one.mp3), abs=0.1)
    assert sorted(p.name for p in tmp_path.glob("*.mp3*")) == ["1.mp3", "2.mp3"]


def test_a_join_refused_for_its_padding_falls_back_to_one_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An encoder that pads otherwise (another LAME) costs time, never the episode."""
    clips = [
        clip_file(tmp_path, utterance(f"Turn {i}.", pause_ms=500), ms=3000, seed=i)
        for i in range(8)
    ]
    monkeypatch.setattr(ASSEMBLE, "_cores", lambda: 2)
    monkeypatch.setattr(mp3join, "FRAME_SAMPLES", 1000)  # no part is padded like that
    refused: list[BaseException] = []
    real_join = mp3join.join

    def join(parts: list[Path], out: Path) -> None:
        try:
            real_join(parts, out)
        except mp3join.Misaligned as err:
            refused.append(err)
            raise

    monkeypatch.setattr(mp3join, "join", join)
    episode = assemble(clips, script_of(clips, [("All", 0)]), tmp_path / "e.mp3",
                       EpisodeMeta(title="Fallback", artist="Test", album="Test"))  # fmt: skip
    assert len(refused) == 1
    assert abs(len(decode(episode.mp3)) - episode.duration_ms * 44.1) < 44.1
    assert [p.name for p in tmp_path.glob("*.mp3*")] == ["e.mp3"]
