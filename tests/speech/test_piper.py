"""The Piper engine with the real bundled model (en_US-joe-medium): voices, variants, timing.

Kept few and short: Piper runs a few times faster than real time on two cores.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from pressaudio.errors import ConfigError, SynthesisError
from pressaudio.model import VoiceProfile
from pressaudio.speech.engines import Audio, get_engine, piper_pitch
from pressaudio.speech.engines.piper import BUNDLED_VOICE, PiperEngine
from pressaudio.speech.voices import load_voices

REPO = Path(__file__).resolve().parents[2]
TWO_SENTENCES = "Thank you for your question. We will review the budget next week."


def samples(audio: Audio) -> npt.NDArray[np.float64]:
    return np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)


def seconds(audio: Audio) -> float:
    return len(audio.pcm) / 2 / audio.sample_rate


def words_per_minute(text: str, audio: Audio) -> float:
    return len(text.split()) * 60 / seconds(audio)


def median_f0(audio: Audio) -> float:
    """Median pitch (Hz) of the voiced 40 ms frames, by (unbiased) autocorrelation."""
    x, rate = samples(audio), audio.sample_rate
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    frames = np.stack([x[s : s + frame] for s in range(0, len(x) - frame, hop)])
    frames -= frames.mean(axis=1, keepdims=True)
    energy = np.sqrt((frames**2).mean(axis=1))
    frames = frames[energy > 0.3 * energy.max()]
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames, n=2 * frame, axis=1)) ** 2, axis=1)[:, :frame]
    ac *= frame / (frame - np.arange(frame))  # else short lags win: octave errors
    lo, hi = rate // 300, rate // 50
    lags = lo + np.argmax(ac[:, lo:hi], axis=1)
    strength = ac[np.arange(len(ac)), lags] / np.maximum(ac[:, 0], 1e-9)
    voiced = lags[strength > 0.6]
    assert len(voiced) > 10, "too few voiced frames to measure the pitch"
    return float(np.median(rate / voiced))


def speech_edges_ms(audio: Audio) -> tuple[float, float]:
    """Silence before and after the speech: 5 ms frames more than 60 dB below the loudest
    (Piper's silence is below -75 dB; a final /s/ or /dZ/ fades out through -50 dB, and
    the clip keeps it)."""
    x, rate = samples(audio), audio.sample_rate
    frame = rate // 200
    count = len(x) // frame
    energy = np.sqrt((x[: count * frame].reshape(count, frame) ** 2).mean(axis=1))
    loud = np.nonzero(energy > 10 ** (-60 / 20) * energy.max())[0]
    return float(loud[0] * 5), float((count - 1 - loud[-1]) * 5)


@pytest.fixture(scope="module")
def engine() -> PiperEngine:
    found = get_engine("piper")
    assert isinstance(found, PiperEngine)
    return found


@pytest.fixture(scope="module")
def roles() -> dict[str, VoiceProfile]:
    voices = load_voices(REPO / "voices" / "piper")
    return {"minister": voices.minister.primary, "reporter": voices.reporter.primary}


@pytest.fixture(scope="module")
def spoken(engine: PiperEngine, roles: dict[str, VoiceProfile]) -> dict[str, Audio]:
    return {role: engine.synthesize(TWO_SENTENCES, profile) for role, profile in roles.items()}


def test_roles_from_one_model_sound_clearly_distinct(
    spoken: dict[str, Audio], roles: dict[str, VoiceProfile]
) -> None:
    for role, audio in spoken.items():
        assert audio.sample_rate == 22050
        assert len(audio.pcm) % 2 == 0 and np.abs(samples(audio)).max() > 10000
        # the profile's rate is what the listener hears (the model runs ~210 wpm at 1.0)
        assert words_per_minute(TWO_SENTENCES, audio) == pytest.approx(roles[role].rate, rel=0.2)
    minister, reporter = median_f0(spoken["minister"]), median_f0(spoken["reporter"])
    print(f"\nmedian f0: minister {minister:.0f} Hz, reporter {reporter:.0f} Hz")
    assert reporter > minister * 1.15


def test_clip_boundaries_are_the_speech_boundaries(spoken: dict[str, Audio]) -> None:
    for audio in spoken.values():
        before, after = speech_edges_ms(audio)
        # 20 ms kept, give or take the trimmer's and this measure's 5 ms frames (each
        # sentence is trimmed against its own loudest frame, this measure the clip's)
        assert 10 <= before <= 35 and 10 <= after <= 35, (before, after)


def test_pitch_shift_keeps_the_duration(engine: PiperEngine) -> None:
    # noise_w 0 makes Piper's phoneme durations repeatable, so only the pitch differs
    base = VoiceProfile(
        name="t", engine="piper", voice=BUNDLED_VOICE, rate=170, options=(("noise_w", "0"),)
    )
    text = "The summit will take place in October."
    plain = engine.synthesize(text, base)
    low = engine.synthesize(text, dataclasses.replace(base, pitch=25))
    high = engine.synthesize(text, dataclasses.replace(base, pitch=75))
    for shifted in (low, high):
        assert seconds(shifted) == pytest.approx(seconds(plain), rel=0.05)
    # 25 pitch steps are 4 semitones: a factor of 1.26 each way
    assert median_f0(high) / median_f0(plain) == pytest.approx(1.26, rel=0.1)
    assert median_f0(plain) / median_f0(low) == pytest.approx(1.26, rel=0.1)


def tone(frequency: float, sample_rate: int = 22050) -> npt.NDArray[np.float32]:
    """One second of a sine at half scale between 0.1 s of silence either side."""
    t = np.arange(sample_rate) / sample_rate
    silence = np.zeros(sample_rate // 10)
    wave = np.concatenate([silence, 0.5 * np.sin(2 * np.pi * frequency * t), silence])
    return wave.astype(np.float32)


def frequency(x: npt.NDArray[np.float32], sample_rate: int) -> float:
    """Mean frequency (Hz) of a steady tone, by its zero crossings."""
    negative = np.signbit(x)
    crossings = np.nonzero(negative[1:] != negative[:-1])[0]
    return float((len(crossings) - 1) / 2 / ((crossings[-1] - crossings[0]) / sample_rate))


def loud_seconds(x: npt.NDArray[np.float32], sample_rate: int) -> float:
    """From the first to the last sample above a tenth of the peak."""
    loud = np.nonzero(np.abs(x) > 0.1 * np.abs(x).max())[0]
    return float((loud[-1] - loud[0]) / sample_rate)


@pytest.mark.parametrize("formant", ["shifted", "preserved"])
@pytest.mark.parametrize("semitones", [-4, 4])
def test_in_process_pitch_shift_moves_a_tone_and_keeps_its_length(
    semitones: int, formant: str
) -> None:
    rate, factor = 22050, 2.0 ** (semitones / 12)
    before = tone(220.0, rate)
    after = piper_pitch.shift_in_process(before, rate, factor, formant)
    assert after.dtype == np.float32 and len(after) == len(before)
    # the tone where it was (Rubber Band smears its edges by a few milliseconds)
    assert loud_seconds(after, rate) == pytest.approx(loud_seconds(before, rate), abs=0.015)
    steady = after[rate // 10 + rate // 10 : rate // 10 + rate - rate // 10]
    assert frequency(steady, rate) == pytest.approx(220.0 * factor, rel=0.02)


def test_in_process_pitch_shift_matches_the_ffmpeg_filter_on_speech(
    engine: PiperEngine,
) -> None:
    """The same musical result as the ffmpeg filter piper.py ran before (and still runs
    without pylibrb): median f0 within 2 %, length of the speech within 10 ms. Read
    without Piper's sampling noise, so it is the same sentence every run (with the noise,
    one clean-clone run drew a reading whose two medians differed by 4.6 %)."""
    base = VoiceProfile(
        name="t", engine="piper", voice=BUNDLED_VOICE, rate=190,
        options=(("noise_scale", "0"), ("noise_w", "0")),
    )
    plain = engine.synthesize("We will review the budget next week.", base)
    rate = plain.sample_rate
    pad = np.zeros(rate // 10, dtype=np.float32)
    x = np.concatenate([pad, (samples(plain) / 32768.0).astype(np.float32), pad])

    def spoken(shifted: npt.NDArray[np.float32]) -> Audio:
        pcm = np.round(shifted / np.abs(shifted).max() * 0.89 * 32767).astype("<i2")
        return Audio(pcm=pcm.tobytes(), sample_rate=rate)

    for pitch, formant in ((36, "shifted"), (66, "shifted"), (72, "preserved")):
        factor = 2.0 ** ((pitch - 50) * 0.16 / 12)
        ours = spoken(piper_pitch.shift_in_process(x, rate, factor, formant))
        ffmpeg = spoken(piper_pitch.shift_with_ffmpeg(x, rate, factor, formant))
        assert median_f0(ours) == pytest.approx(median_f0(ffmpeg), rel=0.02)
        ours_span, ffmpeg_span = speech_edges_ms(ours), speech_edges_ms(ffmpeg)
        ours_ms = len(ours.pcm) / 2 / rate * 1000 - sum(ours_span)
        ffmpeg_ms = len(ffmpeg.pcm) / 2 / rate * 1000 - sum(ffmpeg_span)
        assert ours_ms == pytest.approx(ffmpeg_ms, abs=10), (pitch, formant)

    def centroid(y: npt.NDArray[np.float32]) -> float:
        power = np.abs(np.fft.rfft(y)) ** 2
        return float((power * np.fft.rfftfreq(len(y), 1 / rate)).sum() / power.sum())

    # the formant option reaches Rubber Band: 3.5 semitones up, the spectral envelope
    # moves up with the pitch when shifted and stays where it was when preserved
    shifted = centroid(piper_pitch.shift_in_process(x, rate, 1.225, "shifted"))
    preserved = centroid(piper_pitch.shift_in_process(x, rate, 1.225, "preserved"))
    assert shifted > 1.15 * preserved
    assert preserved == pytest.approx(centroid(x), rel=0.1)


def test_without_pylibrb_the_pitch_shift_falls_back_to_ffmpeg(
    engine: PiperEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_library = engine.version()
    assert "pylibrb " in with_library
    monkeypatch.setitem(sys.modules, "pylibrb", None)  # `import pylibrb` now raises
    without = PiperEngine().version()  # (an engine finds its packages' versions once)
    assert "imageio-ffmpeg " in without and "pylibrb" not in without
    x = tone(220.0)
    assert frequency(piper_pitch.shift(x, 22050, 1.25, "shifted")[4410:19845], 22050) == (
        pytest.approx(275.0, rel=0.02)
    )
    with pytest.raises(SynthesisError, match="pylibrb is not installed"):
        piper_pitch.shift_in_process(x, 22050, 1.25, "shifted")


def test_model_is_loaded_once_per_process(
    engine: PiperEngine, roles: dict[str, VoiceProfile], tmp_path: Path
) -> None:
    assert get_engine("piper") is engine
    engine.synthesize("Yes.", roles["minister"])
    get_engine("piper").synthesize("Next question, please.", roles["reporter"])
    assert engine.load_count == 1
    assert len(engine.loaded_models) == 1
    # the same model named by a path (here a link to it) is still the one loaded model
    model = engine.model_for(roles["minister"])
    (tmp_path / "joe.onnx").symlink_to(model.onnx)
    (tmp_path / "joe.onnx.json").symlink_to(model.config)
    by_path = dataclasses.replace(roles["minister"], voice=str(tmp_path / "joe.onnx"))
    assert len(samples(engine.synthesize("Yes.", by_path))) > 0
    assert engine.load_count == 1


def test_voices_lists_the_bundled_model_and_the_models_folder(
    engine: PiperEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = engine.model_for(VoiceProfile(name="t", engine="piper", voice=BUNDLED_VOICE))
    (tmp_path / "en_GB-test-medium.onnx").symlink_to(model.onnx)
    (tmp_path / "en_GB-test-medium.onnx.json").symlink_to(model.config)
    (tmp_path / "no-config.onnx").write_bytes(b"")  # without its .onnx.json: not a model
    monkeypatch.setenv("PRESSAUDIO_PIPER_MODELS", str(tmp_path))
    local = PiperEngine()
    assert [v.id for v in local.voices()] == [BUNDLED_VOICE, "en_GB-test-medium"]
    assert local.voices()[0].languages == ("en_US",)
    assert "en_GB-test-medium" in local.version() and "piper-tts" in local.version()
    assert local.version() != engine.version()
    assert local.load_count == 0  # listing loads nothing


def test_unknown_model_or_option_is_a_one_line_config_error(
    engine: PiperEngine, tmp_path: Path
) -> None:
    where = tmp_path / "minister.toml"
    profile = VoiceProfile(name="t", engine="piper", voice="en_US-jo-medium", path=where)
    with pytest.raises(ConfigError) as unknown:
        engine.synthesize("Hello.", profile)
    message = str(unknown.value)
    assert message.startswith(f"{where}: ") and "\n" not in message
    assert "did you mean en_US-joe-medium" in message and "available: en_US-joe-medium" in message
    with pytest.raises(ConfigError, match=r"not found"):
        engine.synthesize("Hello.", dataclasses.replace(profile, voice="models/missing.onnx"))
    good = dataclasses.replace(profile, voice=BUNDLED_VOICE)
    with pytest.raises(ConfigError, match=r"unknown Piper option\(s\) nosie_w; known:"):
        engine.synthesize("Hello.", dataclasses.replace(good, options=(("nosie_w", "1"),)))
    with pytest.raises(SynthesisError, match="nothing to speak"):
        engine.synthesize("...", good)


def test_without_the_neural_extra_creating_the_engine_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "piper", None)  # `import piper` now raises ImportError
    with pytest.raises(ConfigError) as missing:
        PiperEngine()
    assert "\n" not in str(missing.value)
    assert "pip install 'pressaudio[neural]'" in str(missing.value)


def test_a_passage_is_spoken_at_the_profiles_rate(
    engine: PiperEngine, roles: dict[str, VoiceProfile]
) -> None:
    """About 20 s of speech, utterance by utterance as a render sends them (the speed of
    synthesis is measured by benchmarks/bench.py --engine piper, not here)."""
    passage = (
        "Good afternoon, and thank you all for coming today.",
        "I will begin with an announcement on the economic package.",
        "The government will support small businesses through the winter.",
        "We are working closely with our partners in the region.",
        "I would like to ask about the visit to the United States.",
        "Could you tell us when the summit will take place?",
        "The details will be announced in due course.",
    )
    profiles = (roles["minister"], roles["reporter"])
    clips = [engine.synthesize(text, profiles[i % 2]) for i, text in enumerate(passage)]
    audio_s = sum(seconds(c) for c in clips)
    assert 12 < audio_s < 30
    # short words are quicker: the rate holds over a passage, not each sentence
    words = sum(len(text.split()) for text in passage)
    expected = sum(profiles[i % 2].rate for i in range(len(passage))) / len(passage)
    assert words * 60 / audio_s == pytest.approx(expected, rel=0.15)
