"""The loudness measured while the clips are made (LiveMeasurement) is the measuring pass:
given it, assemble encodes at once and writes the same MP3 as when it measures itself.
An MP3 encoded meanwhile at an estimated gain (SpeculativeEncoding) is kept only when
that gain is close to the one the whole measurement sets, and never left behind."""

from __future__ import annotations

import dataclasses
import wave
from pathlib import Path

import pytest
from audio_helpers import (
    clicky,
    clip_file,
    count_ffmpeg_passes,
    loudness,
    script_of,
    utterance,
    write_wav,
)

from pressaudio.audio import AudioSettings, EpisodeMeta, assemble
from pressaudio.audio.assemble import (
    SPECULATION_TOLERANCE_DB,
    LiveMeasurement,
    Measurement,
    SpeculativeEncoding,
)
from pressaudio.errors import PressaudioError
from pressaudio.model import Clip

META = EpisodeMeta("t", "a", "b")
REFERENCE = "01_mofa-kamikawa-extraordinary-2023-09-14.txt"


def _pcm(clip: Clip) -> bytes:
    with wave.open(str(clip.wav), "rb") as w:
        return w.readframes(w.getnframes())


def _clips(folder: Path) -> list[Clip]:
    return [
        clip_file(folder, utterance(f"line {i}", pause_ms=300 + 250 * i), ms=900 + 300 * i,
                  freq=180 + 70 * i, amp=0.2 + 0.1 * i, seed=i)
        for i in range(5)
    ]  # fmt: skip


def _peaky(folder: Path) -> list[Clip]:
    pcm = clicky(4000, 22050, 300)
    wav = write_wav(folder / "peaky.wav", pcm, 22050)
    return [Clip(utterance("peaky", pause_ms=500), wav, 22050, len(pcm) // 2)]


@pytest.mark.parametrize("make", [_clips, _peaky], ids=["speech-like", "peaky"])
@pytest.mark.parametrize("channels", [1, 2])
def test_live_measurement_gives_the_same_episode_without_a_measuring_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: object, channels: int
) -> None:
    clips = make(tmp_path)  # type: ignore[operator]
    script = script_of(clips, [("A", 0)])
    settings = AudioSettings(channels=channels)
    measured_first = tmp_path / "measured.mp3"
    assemble(clips, script, measured_first, META, settings)

    with LiveMeasurement(settings) as live:
        for clip in clips:
            live.add(clip, _pcm(clip))
        measured = live.result()
    assert measured is not None
    passes = count_ffmpeg_passes(monkeypatch)
    live_out = tmp_path / "live.mp3"
    assemble(clips, script, live_out, META, settings, measured=measured)

    assert "measure" not in passes and passes[-1] == "encode"
    assert live_out.read_bytes() == measured_first.read_bytes()


def test_a_measurement_of_another_timeline_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = _clips(tmp_path)
    with LiveMeasurement(AudioSettings()) as live:
        for clip in clips[:-1]:  # one clip short
            live.add(clip, _pcm(clip))
        measured = live.result()
    passes = count_ffmpeg_passes(monkeypatch)
    assemble(clips, script_of(clips, []), tmp_path / "ep.mp3", META, measured=measured)
    assert passes[0] == "measure" and passes[-1] == "encode"


def test_clips_of_two_sample_rates_leave_the_measuring_to_assemble(tmp_path: Path) -> None:
    clips = [
        clip_file(tmp_path, utterance("a"), ms=800, rate=22050),
        clip_file(tmp_path, utterance("b"), ms=800, rate=16000, seed=1),
    ]
    with LiveMeasurement(AudioSettings()) as live:
        for clip in clips:
            live.add(clip, _pcm(clip))
        assert live.result() is None


def test_an_interrupted_synthesis_winds_the_measurement_down(tmp_path: Path) -> None:
    clips = _clips(tmp_path)
    with pytest.raises(KeyboardInterrupt), LiveMeasurement(AudioSettings()) as live:
        live.add(clips[0], _pcm(clips[0]))
        raise KeyboardInterrupt
    assert live.result() is not None  # (what was added): ffmpeg ended, nothing left running


def _measure(clips: list[Clip], settings: AudioSettings) -> Measurement:
    with LiveMeasurement(settings) as live:
        for clip in clips:
            live.add(clip, _pcm(clip))
        measured = live.result()
    assert measured is not None
    return measured


@pytest.mark.parametrize("off_by_db", [0.0, 0.1, 3.0])
def test_a_speculative_mp3_is_kept_only_at_nearly_the_right_gain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, off_by_db: float
) -> None:
    clips = _clips(tmp_path)
    script = script_of(clips, [("A", 0)])
    settings = AudioSettings()
    exact = tmp_path / "exact.mp3"
    assemble(clips, script, exact, META, settings)
    whole = _measure(clips, settings)
    # an estimate that is off by `off_by_db` (as a sample of the clips may be)
    estimate = dataclasses.replace(whole, integrated_lufs=whole.integrated_lufs - off_by_db)
    out = tmp_path / "out" / "ep.mp3"
    out.parent.mkdir()
    with SpeculativeEncoding(out, settings, estimate) as speculative:
        for clip in clips:
            speculative.add(clip, _pcm(clip))
        encoded = speculative.result()
        assert encoded is not None and encoded.path.parent == out.parent
        passes = count_ffmpeg_passes(monkeypatch)
        assemble(clips, script, out, META, settings, measured=whole, encoded=encoded)
    kept = off_by_db <= SPECULATION_TOLERANCE_DB
    assert passes == ([] if kept else ["encode"])
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["ep.mp3", "ep.chapters.json", "ep.vtt", "ep.srt"]
    )  # the speculative file adopted or removed
    integrated, peak = loudness(out)
    assert abs(integrated - loudness(exact)[0]) <= off_by_db + 0.15
    assert abs(integrated + 19.0) <= 0.5 and peak <= -1.0
    if not kept:
        assert out.read_bytes() == exact.read_bytes()


def test_a_speculative_encoding_left_unused_leaves_nothing_behind(tmp_path: Path) -> None:
    clips = _clips(tmp_path)
    out = tmp_path / "out" / "ep.mp3"
    out.parent.mkdir()
    estimate = _measure(clips, AudioSettings())
    with pytest.raises(KeyboardInterrupt), SpeculativeEncoding(out, AudioSettings(), estimate) as s:
        s.add(clips[0], _pcm(clips[0]))
        raise KeyboardInterrupt
    assert list(out.parent.iterdir()) == []


def test_render_encodes_while_synthesising_and_leaves_only_its_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressaudio.render import RenderOptions, render

    reference = Path(__file__).resolve().parents[2] / "feed" / "transcripts" / REFERENCE
    passes = count_ffmpeg_passes(monkeypatch)
    out = tmp_path / "out" / "ep.mp3"
    try:
        result = render(str(reference), out, RenderOptions())
    except PressaudioError as err:
        pytest.skip(f"eSpeak NG is not available here: {err}")
    # a sample measured, the whole measured, and the MP3 encoded meanwhile (and kept)
    assert sorted(passes) == ["encode", "measure", "measure"]
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["ep.mp3", "ep.chapters.json", "ep.vtt", "ep.srt", "ep.transcript.json"]
    )
    integrated, peak = loudness(out)
    assert abs(integrated + 19.0) <= 0.5 and peak <= -1.0
    assert len(result.episode.cues) > 30
