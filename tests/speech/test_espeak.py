"""The eSpeak NG engine: library from the wheel, voices, settings, and reliable utterances."""

from __future__ import annotations

import dataclasses
import os
import random
import select
import signal
import threading
from pathlib import Path

import numpy as np
import pytest

from pressaudio.errors import ConfigError, SynthesisError
from pressaudio.model import VoiceProfile
from pressaudio.speech.clip import FRAME_MS, plausible_duration_s
from pressaudio.speech.engines import get_engine
from pressaudio.speech.engines.espeak import EspeakEngine
from pressaudio.speech.voices import load_voices

REPO = Path(__file__).resolve().parents[2]

_WORD_TEXT = """
budget council treaty harbour minister region policy energy summit export trade security
village farmer railway school hospital weather climate border ocean market science archive
museum bridge highway factory election cabinet embassy island valley river mountain garden
kitchen library station airport network battery computer signal question answer morning
evening journey history culture reform growth finance defence justice health housing
transport labour tourism fishery forest water coal steel rice wheat cotton silver copper
planet rocket satellite vaccine doctor nurse teacher student pilot sailor soldier officer
diplomat envoy partner neighbour visitor citizen worker artist writer singer dancer player
captain driver builder keeper painter baker
"""
WORDS = _WORD_TEXT.split()


def f0_track(pcm: bytes, sample_rate: int) -> np.ndarray:
    """Pitch (Hz) of each voiced 40 ms frame, by autocorrelation (FFT, all frames at once)."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frame, hop = int(0.04 * sample_rate), int(0.01 * sample_rate)
    if len(x) < frame:
        return np.zeros(0)
    starts = np.arange(0, len(x) - frame, hop)
    frames = np.stack([x[s : s + frame] for s in starts])
    frames -= frames.mean(axis=1, keepdims=True)
    loud = np.sqrt((frames**2).mean(axis=1)) > 300
    frames = frames[loud]
    if len(frames) == 0:
        return np.zeros(0)
    spectrum = np.fft.rfft(frames, n=2 * frame, axis=1)
    ac = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :frame]
    lo, hi = sample_rate // 400, sample_rate // 60
    lags = lo + np.argmax(ac[:, lo:hi], axis=1)
    strength = ac[np.arange(len(ac)), lags] / np.maximum(ac[:, 0], 1e-9)
    return np.asarray(sample_rate / lags[strength > 0.5], dtype=np.float64)


def median_f0(pcm: bytes, sample_rate: int) -> float:
    track = f0_track(pcm, sample_rate)
    return float(np.median(track)) if len(track) else 0.0


def seconds(pcm: bytes, sample_rate: int) -> float:
    return len(pcm) / 2 / sample_rate


def silent_edges_ms(pcm: bytes, sample_rate: int) -> tuple[float, float]:
    """Milliseconds before the first and after the last sample louder than -60 dBFS."""
    x = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    loud = np.nonzero(x > 32768 // 1000)[0]
    ms = 1000 / sample_rate
    return float(loud[0] * ms), float((len(x) - 1 - loud[-1]) * ms)


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    found = get_engine("espeak")
    assert isinstance(found, EspeakEngine)
    return found


@pytest.fixture(scope="module")
def minister() -> VoiceProfile:
    return load_voices(REPO / "voices").minister.primary


@pytest.fixture(scope="module")
def reporter() -> VoiceProfile:
    return load_voices(REPO / "voices").reporter.primary


def test_library_and_data_come_from_the_espeakng_loader_wheel(engine: EspeakEngine) -> None:
    import espeakng_loader

    engine.version()  # loads the library (pyttsx3's binding alone would not find it)
    from pyttsx3.drivers import _espeak

    maps = Path("/proc/self/maps").read_text()
    assert str(Path(espeakng_loader.get_library_path()).resolve().parent) in maps
    assert "libespeak-ng" in maps
    loaded = [line.split()[-1] for line in maps.splitlines() if "libespeak-ng" in line]
    assert all("espeakng_loader" in path for path in loaded), loaded
    assert _espeak.dll is not None


def test_version_names_espeak_ng_and_pyttsx3(engine: EspeakEngine) -> None:
    version = engine.version()
    assert version.startswith("eSpeak NG 1.")
    assert "pyttsx3 2.99" in version


def test_voices_list_languages_and_variants(engine: EspeakEngine) -> None:
    ids = {v.id for v in engine.voices()}
    assert {"en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en"} <= ids
    assert {"+m3", "+f2", "+f4"} <= ids
    english = next(v for v in engine.voices() if v.id == "en-gb-scotland")
    assert english.name == "English (Scotland)"


def test_speech_is_mono_pcm_of_plausible_length(
    engine: EspeakEngine, minister: VoiceProfile
) -> None:
    text = "The minister will now take questions from the press."
    audio = engine.synthesize(text, minister)
    assert audio.sample_rate == 22050
    duration = seconds(audio.pcm, audio.sample_rate)
    lo, hi = plausible_duration_s(text, minister.rate)
    assert lo <= duration <= hi
    # nine words at 165 wpm: about 3.3 s
    assert 2.0 < duration < 5.0


def test_leading_and_trailing_silence_is_trimmed_to_20_ms(
    engine: EspeakEngine, reporter: VoiceProfile, minister: VoiceProfile
) -> None:
    # "Yes." starts at once in eSpeak's buffer; "History." ends on a breathy tail (+f3)
    for text, profile in (("Yes.", reporter), ("History.", reporter), ("Thank you.", minister)):
        audio = engine.synthesize(text, profile)
        before, after = silent_edges_ms(audio.pcm, audio.sample_rate)
        assert 20 - FRAME_MS <= before <= 20 + FRAME_MS, (text, before)
        assert 20 - FRAME_MS <= after <= 20 + FRAME_MS, (text, after)


def test_rate_pitch_and_volume_are_applied(engine: EspeakEngine, minister: VoiceProfile) -> None:
    text = "We will continue to work closely with our partners in the region."
    slow = engine.synthesize(text, dataclasses.replace(minister, rate=120))
    fast = engine.synthesize(text, dataclasses.replace(minister, rate=300))
    assert seconds(slow.pcm, 22050) > 2 * seconds(fast.pcm, 22050)

    low = engine.synthesize(text, dataclasses.replace(minister, pitch=10))
    high = engine.synthesize(text, dataclasses.replace(minister, pitch=90))
    assert median_f0(high.pcm, 22050) > 1.4 * median_f0(low.pcm, 22050)

    loud = engine.synthesize(text, dataclasses.replace(minister, volume=1.0))
    quiet = engine.synthesize(text, dataclasses.replace(minister, volume=0.3))
    peak = lambda pcm: int(np.abs(np.frombuffer(pcm, "<i2").astype(np.int32)).max())  # noqa: E731
    assert peak(quiet.pcm) < 0.5 * peak(loud.pcm)


def test_voice_and_variant_change_the_sound(engine: EspeakEngine, minister: VoiceProfile) -> None:
    text = "Thank you very much for coming today, and good afternoon to you all."
    male = engine.synthesize(text, dataclasses.replace(minister, voice="en-us", pitch=50))
    female = engine.synthesize(text, dataclasses.replace(minister, voice="en-us+f2", pitch=50))
    assert median_f0(female.pcm, 22050) > 1.4 * median_f0(male.pcm, 22050)


def test_unknown_voice_is_a_config_error_naming_the_file_and_close_ids(
    engine: EspeakEngine, minister: VoiceProfile, tmp_path: Path
) -> None:
    profile = dataclasses.replace(minister, voice="en-gb-scotlnd", path=tmp_path / "m.toml")
    with pytest.raises(ConfigError) as err:
        engine.synthesize("Hello.", profile)
    assert str(err.value).startswith(f"{tmp_path / 'm.toml'}: unknown voice 'en-gb-scotlnd'")
    assert "en-gb-scotland" in str(err.value)

    with pytest.raises(ConfigError, match=r"en-us\+m3"):
        engine.synthesize("Hello.", dataclasses.replace(minister, voice="en-us+m33"))


def test_unknown_option_is_a_config_error(engine: EspeakEngine, minister: VoiceProfile) -> None:
    with pytest.raises(ConfigError, match="unknown espeak option 'tempo'"):
        engine.synthesize("Hello.", dataclasses.replace(minister, options=(("tempo", "3"),)))
    with pytest.raises(ConfigError, match="between 0 and 100"):
        engine.synthesize("Hello.", dataclasses.replace(minister, options=(("range", "300"),)))


def test_text_with_nothing_to_say_is_a_synthesis_error(
    engine: EspeakEngine, minister: VoiceProfile
) -> None:
    with pytest.raises(SynthesisError, match="nothing to speak"):
        engine.synthesize(" … — ", minister)


def test_phoneme_input_is_spoken(engine: EspeakEngine, minister: VoiceProfile) -> None:
    audio = engine.synthesize("Minister [[k'amik'awa]] said so.", minister)
    assert 1.0 < seconds(audio.pcm, audio.sample_rate) < 4.0


class _LaggingEngine(EspeakEngine):
    """Hands back the previous request's audio, as pyttsx3's save_to_file path can."""

    def __init__(self, first: bytes) -> None:
        super().__init__()
        self.previous = first
        self.attempts = 0

    def _synth_once(self, text: str, identifier: str, params: list[tuple[int, int]]) -> bytes:
        self.attempts += 1
        pcm = super()._synth_once(text, identifier, params)
        stale, self.previous = self.previous, pcm
        return stale


class _SilentEngine(EspeakEngine):
    """Returns silence, as pyttsx3's first runAndWait() after init() can."""

    attempts = 0

    def _synth_once(self, text: str, identifier: str, params: list[tuple[int, int]]) -> bytes:
        self.attempts += 1
        super()._synth_once(text, identifier, params)
        return bytes(2 * 2205)


def test_audio_of_another_utterance_is_caught_and_retried(
    engine: EspeakEngine, minister: VoiceProfile
) -> None:
    lagging = _LaggingEngine(first=engine.synthesize("Yes.", minister).pcm)
    text = "This sentence has a dozen words in it, so one word is far too short."
    audio = lagging.synthesize(text, minister)
    assert lagging.attempts == 2
    assert seconds(audio.pcm, audio.sample_rate) > 3.0
    # and the shared engine still works after another instance took over the callback
    assert seconds(engine.synthesize(text, minister).pcm, 22050) > 3.0


def test_silence_twice_is_a_synthesis_error(minister: VoiceProfile) -> None:
    silent = _SilentEngine()
    with pytest.raises(SynthesisError, match=r"failed twice on 'Hello there\.': no audio"):
        silent.synthesize("Hello there.", minister)
    assert silent.attempts == 2


def test_nothing_is_printed_on_stdout(
    engine: EspeakEngine, minister: VoiceProfile, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    for text in ("First utterance.", "Second one, a bit longer than the first.", "Third."):
        engine.synthesize(text, minister)
    out, _err = capfd.readouterr()
    assert out == ""


def test_concurrent_callers_each_get_their_own_audio(
    engine: EspeakEngine, minister: VoiceProfile, reporter: VoiceProfile
) -> None:
    jobs = [("Yes.", minister), (" ".join(WORDS[:14]) + ".", reporter)] * 6
    results: dict[int, bytes] = {}

    def run(i: int) -> None:
        results[i] = engine.synthesize(jobs[i][0], jobs[i][1]).pcm

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, (text, _profile) in enumerate(jobs):
        duration = seconds(results[i], 22050)
        assert (duration < 1.0) if text == "Yes." else (duration > 3.0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_gets_a_clear_error_not_a_hang(
    engine: EspeakEngine, minister: VoiceProfile
) -> None:
    engine.version()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what happens, never return into pytest
        try:
            engine.synthesize("Hello.", minister)
            message = b"no error"
        except SynthesisError as err:
            message = str(err).encode()
        os.write(write, message)
        os._exit(0)
    os.close(write)
    # a guard, not a timing: a child that hangs is killed rather than blocking the suite
    answered, _, _ = select.select([read], [], [], 60)
    if not answered:
        os.kill(pid, signal.SIGKILL)
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read().decode() if answered else "no answer: the child hung"
    os.waitpid(pid, 0)
    assert "'spawn'" in message, message


def test_300_consecutive_utterances_with_alternating_voices_keep_audio_and_order(
    engine: EspeakEngine, minister: VoiceProfile, reporter: VoiceProfile
) -> None:
    """Each clip is checked by what cannot drift between syntheses: its length band (the
    texts cycle through 1, 12 and 5 words, so a clip one place off lands in another band)
    and the pitch of its voice (the minister low, the reporter high, alternating)."""
    rng = random.Random(3)
    lengths = (1, 12, 5)
    texts = []
    for i in range(300):
        n = lengths[i % 3]
        words = [WORDS[(i // 3) % len(WORDS)]] if n == 1 else rng.sample(WORDS, n)
        texts.append(" ".join(words).capitalize() + ".")
    profiles = [minister if i % 2 == 0 else reporter for i in range(300)]

    clips = [engine.synthesize(t, p) for t, p in zip(texts, profiles, strict=True)]

    bands: dict[int, list[float]] = {n: [] for n in lengths}
    for i, (text, profile, audio) in enumerate(zip(texts, profiles, clips, strict=True)):
        duration = seconds(audio.pcm, audio.sample_rate)
        lo, hi = plausible_duration_s(text, profile.rate)
        assert lo <= duration <= hi, (i, text, duration)
        bands[lengths[i % 3]].append(duration)
        if lengths[i % 3] > 1:  # enough voiced frames for a steady pitch estimate
            f0 = median_f0(audio.pcm, audio.sample_rate)
            assert (f0 < 102) if profile is minister else (f0 > 110), (i, text, f0)  # 85, 124 Hz
    # the bands are far apart: the longest clip of one is well below the shortest of the next
    assert 1.3 * max(bands[1]) < min(bands[5]), (max(bands[1]), min(bands[5]))
    assert 1.3 * max(bands[5]) < min(bands[12]), (max(bands[5]), min(bands[12]))
