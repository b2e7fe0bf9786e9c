"""`render()` end to end, as a listener meets the episode: real eSpeak NG (and Piper), real
ffmpeg, and every promise of the render issue checked from the outside.

The reference transcript (MOFA, Kamikawa, 2023-09-14, about three minutes of speech) is
rendered once for the module. The MP3 is then read back by independent tools: mutagen
for the ID3 chapters, Debian's ffprobe for the chapters and the stream format, Debian's
ffmpeg (`ebur128`, true peak) for loudness, and Debian's ffmpeg again to decode it to PCM,
from which the speech is located (a short-window energy envelope) and its pitch measured
(normalised autocorrelation). The captions are parsed by webvtt-py and srt.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutagen.id3
import numpy as np
import pytest
import srt
import webvtt

from pressaudio.errors import AudioError
from pressaudio.render import RenderOptions, RenderResult, render
from pressaudio.speech.lexicon import load_lexicon
from pressaudio.speech.script import plan
from pressaudio.speech.synth import synthesize
from pressaudio.speech.voices import cast, load_voices

TESTS = Path(__file__).resolve().parent
REFERENCE = TESTS / "transcript" / "cases" / "01_mofa-kamikawa-extraordinary-2023-09-14.txt"
BRIEFING = TESTS / "cases" / "briefing-2023-09-15.txt"  # title, date, boilerplate, two turns
TWO_TURNS = TESTS / "cases" / "two-turns.txt"  # a reporter's question and the answer, no header
SECTIONS = ("Opening Remarks", "Question-and-Answer Session")  # the headings in REFERENCE
BOILERPLATE = ("provisional translation", "Back to Press Conferences")
MINISTER, REPORTER, NARRATOR = "Minister Kamikawa", "Reporter", "Narrator"

TOLERANCE_MS = 100  # a cue's start and end vs where its speech is heard
FRAME_MS = 5  # energy envelope resolution
DECODE_RATE = 48000  # 5 ms is a whole number of samples
SPEECH_RANGE_DB = 50.0  # a frame within this of the loudest speech is "heard"
LINE_WIDTH = 65
VOICES_APART = 1.15  # minister vs reporter median pitch ratio, at least (about 2.4 semitones)


# --- independent measurement -------------------------------------------------------------


def tool(name: str) -> str:
    """Debian's ffmpeg/ffprobe: not the product's binary, so the checks are independent."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (apt-get install ffmpeg): .ci/run installs it")
    return path


def decode(mp3: Path, rate: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The MP3 decoded by Debian's ffmpeg to mono float samples at `rate`."""
    raw = subprocess.run(
        [tool("ffmpeg"), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "-"],
        check=True, capture_output=True, timeout=120,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def loudness(mp3: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) from ffmpeg's ebur128 summary."""
    err = subprocess.run(
        [tool("ffmpeg"), "-hide_banner", "-nostats", "-i", str(mp3),
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        check=True, capture_output=True, text=True, timeout=120,
    ).stderr  # fmt: skip
    summary = err[err.rindex("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert integrated and peak, summary
    return float(integrated.group(1)), float(peak.group(1))


def ffprobe(mp3: Path) -> dict[str, Any]:
    out = subprocess.run(
        [tool("ffprobe"), "-v", "error", "-show_chapters", "-show_streams", "-show_format",
         "-print_format", "json", str(mp3)],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    doc: dict[str, Any] = json.loads(out)
    return doc


@dataclass(frozen=True)
class Caption:
    start_ms: int
    end_ms: int
    voice: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())


def _ms(stamp: str) -> int:
    h, m, s = stamp.split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def read_vtt(path: Path) -> list[Caption]:
    return [
        Caption(_ms(c.start), _ms(c.end), c.voice or "", tuple(c.text.split("\n")))
        for c in webvtt.read(str(path))
    ]


def speech_frames(samples: np.ndarray[Any, Any], rate: int) -> np.ndarray[Any, Any]:
    """One bool per FRAME_MS: is speech heard there (energy near that of the speech)?"""
    w = rate * FRAME_MS // 1000
    n = len(samples) // w
    power = np.mean(samples[: n * w].reshape(n, w) ** 2, axis=1)
    level = 10 * np.log10(power + 1e-12)
    return np.asarray(level > np.percentile(level, 99) - SPEECH_RANGE_DB)


@dataclass(frozen=True)
class Timing:
    index: int
    start_error_ms: int  # where speech begins minus the cue's start
    end_error_ms: int  # where speech ends minus the cue's end


def cue_timings(heard: np.ndarray[Any, Any], cues: Sequence[Caption]) -> list[Timing]:
    """Where each cue's speech is heard, relative to its times.

    The timeline is cut in the middle of each pause between cues; there must be silence
    there (speech does not run across the pause), and the speech heard between two cuts
    belongs to the cue between them: its first and last frames are compared with the cue.
    Every stretch of speech thus belongs to some cue, and a cue with none fails.
    """
    total = len(heard) * FRAME_MS
    out = []
    for i, cue in enumerate(cues):
        lo = 0 if i == 0 else (cues[i - 1].end_ms + cue.start_ms) // 2
        hi = total if i + 1 == len(cues) else (cue.end_ms + cues[i + 1].start_ms) // 2
        a, b = lo // FRAME_MS, hi // FRAME_MS
        if i > 0:
            assert not heard[a - 1 : a + 1].any(), f"no pause heard before cue {i} {cue}"
        found = np.flatnonzero(heard[a:b])
        assert found.size, f"nothing heard during cue {i} {cue}"
        start = (a + int(found[0])) * FRAME_MS
        end = (a + int(found[-1]) + 1) * FRAME_MS
        out.append(Timing(i, start - cue.start_ms, end - cue.end_ms))
    return out


def worst_ms(timings: Sequence[Timing]) -> int:
    return max(max(abs(t.start_error_ms), abs(t.end_error_ms)) for t in timings)


F0_RATE = 16000


def pitches(samples: np.ndarray[Any, Any], rate: int = F0_RATE) -> np.ndarray[Any, Any]:
    """f0 in Hz of each clearly voiced 40 ms frame (10 ms hop), by normalised autocorrelation.

    Frames whose autocorrelation peak (60-400 Hz) is below 0.6 are unvoiced and left out;
    the shortest lag reaching 90% of the peak is taken, so a period's multiples (which
    correlate as well) do not halve the pitch.
    """
    n, hop = rate * 40 // 1000, rate * 10 // 1000
    lo, hi = rate // 400, rate // 60
    if len(samples) < n:
        return np.zeros(0)
    frames = samples[np.arange(0, len(samples) - n + 1, hop)[:, None] + np.arange(n)]
    frames = frames - frames.mean(axis=1, keepdims=True)
    frames = frames[np.sqrt((frames**2).mean(axis=1)) > 0.01]
    if not len(frames):
        return np.zeros(0)
    window = np.hanning(n)
    spectrum = np.fft.rfft(frames * window, 2 * n)
    ac = np.fft.irfft(np.abs(spectrum) ** 2)[:, :n]
    wac = np.fft.irfft(np.abs(np.fft.rfft(window, 2 * n)) ** 2)[:n]
    r = (ac / ac[:, :1]) / (wac / wac[0])  # 1 at lag 0; window taper undone
    band = r[:, lo : hi + 1]
    peak = band.max(axis=1)
    band, peak = band[peak > 0.6], peak[peak > 0.6]
    lag = (band >= 0.9 * peak[:, None]).argmax(axis=1)
    rows = np.arange(len(lag))
    for _ in range(hi - lo):  # climb to the top of that peak
        up = np.minimum(lag + 1, band.shape[1] - 1)
        better = band[rows, up] > band[rows, lag]
        if not better.any():
            break
        lag = np.where(better, up, lag)
    return np.asarray(rate / (lag + lo), dtype=np.float64)


def pitch_by_voice(
    samples: np.ndarray[Any, Any], cues: Sequence[Caption]
) -> tuple[dict[str, float], list[tuple[Caption, float]]]:
    """Median f0 of each voice over its cues, and of each cue with enough voiced frames."""
    frames: dict[str, list[float]] = {}
    per_cue = []
    for cue in cues:
        f0 = pitches(samples[cue.start_ms * F0_RATE // 1000 : cue.end_ms * F0_RATE // 1000])
        frames.setdefault(cue.voice, []).extend(f0.tolist())
        if len(f0) >= 30:
            per_cue.append((cue, float(np.median(f0))))
    return {v: float(np.median(f)) for v, f in frames.items()}, per_cue


def check_voices_apart(samples: np.ndarray[Any, Any], cues: Sequence[Caption]) -> dict[str, float]:
    medians, per_cue = pitch_by_voice(samples, cues)
    low, high = sorted((medians[MINISTER], medians[REPORTER]))
    assert high / low > VOICES_APART, medians
    for cue, f0 in per_cue:  # every cue sounds like its own speaker, not another
        nearest = min(medians, key=lambda v: abs(math.log(f0 / medians[v])))
        assert nearest == cue.voice, (cue, f0, medians)
    return medians


# --- the reference episode ---------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    result: RenderResult
    cache: Path
    vtt: list[Caption]

    @property
    def mp3(self) -> Path:
        return self.result.episode.mp3


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("reference")
    out = folder / "episode" / "kamikawa.mp3"  # a folder that does not exist yet
    result = render(str(REFERENCE), out, RenderOptions(cache_dir=folder / "cache"))
    return Rendered(result, folder / "cache", read_vtt(result.episode.vtt))


@pytest.fixture(scope="module")
def reference_pcm(reference: Rendered) -> np.ndarray[Any, Any]:
    return decode(reference.mp3, DECODE_RATE)


def test_the_outputs_sit_beside_the_mp3(reference: Rendered) -> None:
    ep = reference.result.episode
    folder = ep.mp3.parent
    assert sorted(p.name for p in folder.iterdir()) == [
        "kamikawa.chapters.json", "kamikawa.mp3", "kamikawa.srt", "kamikawa.transcript.json",
        "kamikawa.vtt",
    ]  # fmt: skip
    assert (ep.chapters_json, ep.vtt, ep.srt) == (
        folder / "kamikawa.chapters.json", folder / "kamikawa.vtt", folder / "kamikawa.srt",
    )  # fmt: skip


def test_mp3_is_mono_44k_64kbps_of_the_episode_length(reference: Rendered) -> None:
    probe = ffprobe(reference.mp3)
    (stream,) = probe["streams"]
    assert stream["codec_name"] == "mp3"
    assert int(stream["sample_rate"]) == 44100
    assert stream["channels"] == 1
    assert abs(int(stream["bit_rate"]) - 64000) <= 2000
    duration_ms = reference.result.episode.duration_ms
    assert 170_000 < duration_ms < 200_000  # about three minutes of speech
    # ffprobe counts whole MP3 frames, the encoder's delay and padding included (< 60 ms)
    assert 0 <= float(probe["format"]["duration"]) * 1000 - duration_ms < 60
    assert abs(len(decode(reference.mp3, 8000)) / 8 - duration_ms) < 30  # gapless decode


def test_chapters_read_back_with_mutagen_in_toc_order(reference: Rendered) -> None:
    ep = reference.result.episode
    tags = mutagen.id3.ID3(str(ep.mp3))
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    tops = [t for t in tags.getall("CTOC") if t.flags & mutagen.id3.CTOCFlags.TOP_LEVEL]
    assert len(tops) == 1
    assert tops[0].flags & mutagen.id3.CTOCFlags.ORDERED
    children = list(tops[0].child_element_ids)
    assert sorted(children) == sorted(chaps)
    read = [
        (chaps[c].sub_frames.getall("TIT2")[0].text[0], chaps[c].start_time, chaps[c].end_time)
        for c in children
    ]
    assert read == [(c.title, c.start_ms, c.end_ms) for c in ep.chapters]
    assert read[0][1] == 0 and read[-1][2] == ep.duration_ms
    for (_, _, end), (_, start, _) in itertools.pairwise(read):
        assert end == start  # contiguous, in time order
    assert str(tags["TIT2"]) == "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko"
    assert str(tags["TDRC"]).startswith("2023-09-14")
    assert str(tags["TPE1"]) and str(tags["TALB"])


def test_chapters_read_back_with_ffprobe(reference: Rendered) -> None:
    ep = reference.result.episode
    listed = ffprobe(ep.mp3)["chapters"]
    assert [c["tags"]["title"] for c in listed] == [c.title for c in ep.chapters]
    for got, want in zip(listed, ep.chapters, strict=True):
        assert abs(float(got["start_time"]) * 1000 - want.start_ms) < 1
        assert abs(float(got["end_time"]) * 1000 - want.end_ms) < 1


def test_chapters_json_is_podcasting_2_format(reference: Rendered) -> None:
    ep = reference.result.episode
    doc = json.loads(ep.chapters_json.read_text(encoding="utf-8"))
    assert doc["version"] == "1.2.0"
    chapters = doc["chapters"]
    assert [c["title"] for c in chapters] == [c.title for c in ep.chapters]
    for got, want in zip(chapters, ep.chapters, strict=True):
        assert isinstance(got["startTime"], int | float)
        assert abs(got["startTime"] - want.start_ms / 1000) < 0.0015
    assert chapters[0]["startTime"] == 0
    assert [c["startTime"] for c in chapters] == sorted(c["startTime"] for c in chapters)


def test_chapters_start_at_each_heading_and_question_as_heard(reference: Rendered) -> None:
    """The introduction, then a chapter where the narrator reads each section heading;
    any further chapter starts where a reporter's question begins."""
    chapters = reference.result.episode.chapters
    vtt = reference.vtt
    starts = {c.start_ms: i for i, c in enumerate(vtt)}
    assert chapters[0].start_ms == 0 and vtt[0].voice == NARRATOR
    headings = {c.start_ms: c.text for c in vtt if c.voice == NARRATOR and c.text in SECTIONS}
    assert sorted(headings.values()) == sorted(SECTIONS)
    assert set(headings) <= {c.start_ms for c in chapters}
    for chapter in chapters[1:]:
        i = starts[chapter.start_ms]
        if chapter.start_ms in headings:
            continue
        assert vtt[i].voice == REPORTER and vtt[i - 1].voice != REPORTER, chapter
        assert "Question" in chapter.title
    titles = [c.title for c in chapters]
    assert all(titles) and len(set(titles)) == len(titles)


def test_loudness_is_minus_19_lufs_mono_with_true_peak_below_minus_1(reference: Rendered) -> None:
    integrated, peak = loudness(reference.mp3)
    print(f"reference: {integrated:.2f} LUFS integrated, true peak {peak:.2f} dBTP")
    assert -20.0 <= integrated <= -18.0
    assert peak <= -1.0


def test_vtt_and_srt_parse_and_agree(reference: Rendered) -> None:
    ep = reference.result.episode
    vtt = reference.vtt
    subs = list(srt.parse(ep.srt.read_text(encoding="utf-8")))
    assert len(subs) == len(vtt) > 30
    cast_names = {name for name, _ in ep.casting}
    assert {c.voice for c in vtt} == {NARRATOR, MINISTER, REPORTER} <= cast_names
    previous = None
    for sub, cue in zip(subs, vtt, strict=True):
        assert round(sub.start.total_seconds() * 1000) == cue.start_ms
        assert round(sub.end.total_seconds() * 1000) == cue.end_ms
        assert cue.end_ms > cue.start_ms
        for line in [*cue.lines, *sub.content.split("\n")]:
            assert 0 < len(line) <= LINE_WIDTH, line
        text = " ".join(sub.content.split())
        if cue.voice != previous:  # SRT names the speaker where the turn changes
            assert text.startswith(cue.voice + ": ")
            text = text[len(cue.voice) + 2 :]
        assert text == cue.text
        previous = cue.voice
    raw = ep.vtt.read_text(encoding="utf-8")
    assert raw.startswith("WEBVTT")
    assert raw.count("<v ") == len(vtt)  # every cue carries its voice tag


def test_captions_carry_every_word_of_every_turn(reference: Rendered) -> None:
    transcript = reference.result.transcript
    spoken = [c.text for c in reference.vtt if c.voice != NARRATOR]
    said = [t.text for t in transcript.turns]
    assert " ".join(" ".join(spoken).split()) == " ".join(" ".join(said).split())
    names = {t.speaker: transcript.speaker(t.speaker).name for t in transcript.turns}
    turn_voices = [names[t.speaker] for t in transcript.turns]
    cue_voices = [c.voice for c in reference.vtt if c.voice != NARRATOR]
    assert [v for i, v in enumerate(cue_voices) if i == 0 or cue_voices[i - 1] != v] == [
        v for i, v in enumerate(turn_voices) if i == 0 or turn_voices[i - 1] != v
    ]


def test_boilerplate_is_never_in_a_cue_or_chapter(reference: Rendered) -> None:
    source = REFERENCE.read_text(encoding="utf-8").lower()
    ep = reference.result.episode
    shown = [c.text for c in reference.vtt] + [c.title for c in ep.chapters]
    shown.append(ep.srt.read_text(encoding="utf-8"))
    for phrase in BOILERPLATE:
        assert phrase.lower() in source  # it is there to be left out
        assert not [s for s in shown if phrase.lower() in s.lower()]


def test_every_cue_is_within_100_ms_of_its_speech(
    reference: Rendered, reference_pcm: np.ndarray[Any, Any]
) -> None:
    timings = cue_timings(speech_frames(reference_pcm, DECODE_RATE), reference.vtt)
    print(f"reference: {len(timings)} cues, worst cue timing error {worst_ms(timings)} ms")
    late = [t for t in timings if max(abs(t.start_error_ms), abs(t.end_error_ms)) > TOLERANCE_MS]
    assert not late, late


def test_intro_is_the_narrator_saying_the_title_and_the_date_in_words(
    reference: Rendered,
) -> None:
    ep = reference.result.episode
    intro = [c for c in reference.vtt if c.start_ms < ep.chapters[1].start_ms]
    assert intro and {c.voice for c in intro} == {NARRATOR}
    assert intro[0].text == "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko"
    # What was spoken: the script render() planned (the same one: its captions are the cues)
    transcript = reference.result.transcript
    script = plan(transcript, cast(transcript, load_voices(None)), load_lexicon(None))
    assert [(" ".join(u.caption.split()), u.speaker_name) for u in script.utterances] == [
        (c.text, c.voice) for c in reference.vtt
    ]
    said = script.utterances[: len(intro)]
    words = " ".join(u.text for u in said)
    assert not re.search(r"\d", words), words  # the date and time as words, not digits
    for word in ("Thursday", "fourteen", "September", "twenty"):
        assert word.lower() in words.lower(), words
    # ...and that is what is heard there: each intro clip (from the render's cache) is the
    # audio of the MP3 at its cue, up to the loudness gain.
    clips = synthesize(said, cache_dir=reference.cache)
    rate = clips[0].sample_rate
    mp3 = decode(ep.mp3, rate)
    for clip, cue in zip(clips, intro, strict=True):
        assert clip.wav.is_relative_to(reference.cache)
        with wave.open(str(clip.wav), "rb") as w:
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        assert abs(len(pcm) * 1000 / rate - (cue.end_ms - cue.start_ms)) <= 1
        at = cue.start_ms * rate // 1000  # cue times are rounded to the ms: look ±2 ms
        similarity = max(
            _similarity(mp3[max(at + lag, 0) :][: len(pcm)], pcm)
            for lag in range(-rate // 500, rate // 500 + 1)
        )
        assert similarity > 0.95, (cue, similarity)


def _similarity(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """Normalised correlation of two equally long signals (1: the same up to a gain)."""
    if len(a) != len(b):
        return 0.0
    return float(np.dot(a, b) / math.sqrt(float(np.dot(a, a)) * float(np.dot(b, b)) + 1e-12))


def test_pitch_estimator_finds_known_pitches() -> None:
    t = np.arange(F0_RATE) / F0_RATE
    for f0 in (85.0, 120.0, 170.0, 230.0):
        voiced = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 9)) * 0.2
        assert abs(float(np.median(pitches(voiced))) / f0 - 1) < 0.03
    assert len(pitches(np.random.default_rng(0).uniform(-0.3, 0.3, F0_RATE))) < 10


def test_minister_and_reporter_voices_differ_clearly(reference: Rendered) -> None:
    medians = check_voices_apart(decode(reference.mp3, F0_RATE), reference.vtt)
    print("reference median f0: " + ", ".join(f"{v} {f:.0f} Hz" for v, f in medians.items()))


# --- Piper ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def piper_episode(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    pytest.importorskip("piper", reason="the neural extra: pip install 'pressaudio[neural]'")
    folder = tmp_path_factory.mktemp("piper")
    options = RenderOptions(engine="piper", cache_dir=folder / "cache")
    result = render(str(TWO_TURNS), folder / "two-turns.mp3", options)
    return Rendered(result, folder / "cache", read_vtt(result.episode.vtt))


def test_piper_cues_are_within_100_ms_of_its_speech(piper_episode: Rendered) -> None:
    vtt = piper_episode.vtt
    assert [c.voice for c in vtt] == [NARRATOR, REPORTER, MINISTER]
    pcm = decode(piper_episode.mp3, DECODE_RATE)
    timings = cue_timings(speech_frames(pcm, DECODE_RATE), vtt)
    print(f"piper: {len(timings)} cues, worst cue timing error {worst_ms(timings)} ms")
    assert worst_ms(timings) <= TOLERANCE_MS, timings


def test_piper_loudness_is_minus_19_lufs_mono_with_true_peak_below_minus_1(
    piper_episode: Rendered,
) -> None:
    """Piper normalises every utterance to its peak: the limiter bites harder than with
    eSpeak NG, and the gain must make up for it."""
    integrated, peak = loudness(piper_episode.mp3)
    print(f"piper: {integrated:.2f} LUFS integrated, true peak {peak:.2f} dBTP")
    assert -20.0 <= integrated <= -18.0
    assert peak <= -1.0


def test_piper_minister_and_reporter_voices_differ_clearly(piper_episode: Rendered) -> None:
    medians = check_voices_apart(decode(piper_episode.mp3, F0_RATE), piper_episode.vtt)
    print("piper median f0: " + ", ".join(f"{v} {f:.0f} Hz" for v, f in medians.items()))


# --- failures ------------------------------------------------------------------------------


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_an_interrupted_render_leaves_the_previous_episode_whole(tmp_path: Path) -> None:
    out = tmp_path / "out" / "briefing.mp3"
    options = RenderOptions(cache_dir=tmp_path / "cache")
    render(str(BRIEFING), out, options)
    before = _outputs(out.parent)
    assert sorted(before) == [
        "briefing.chapters.json", "briefing.mp3", "briefing.srt", "briefing.transcript.json",
        "briefing.vtt",
    ]  # fmt: skip
    seen: list[tuple[str, float]] = []

    def ctrl_c_while_encoding(phase: str, fraction: float) -> None:
        seen.append((phase, fraction))
        if phase == "audio" and fraction >= 0.5:
            assert any(p.name.endswith(".part") for p in out.parent.iterdir())  # mid-write
            raise KeyboardInterrupt

    slower = RenderOptions(cache_dir=tmp_path / "cache", rate=140)  # a different episode
    with pytest.raises(KeyboardInterrupt):
        render(str(BRIEFING), out, slower, on_progress=ctrl_c_while_encoding)
    assert seen[-1][0] == "audio"
    assert _outputs(out.parent) == before  # the old episode, whole; no temporary files


def test_a_failed_render_leaves_no_output_and_names_the_file(tmp_path: Path) -> None:
    out = tmp_path / "out" / "briefing.mp3"

    def folder_vanishes(phase: str, fraction: float) -> None:
        if phase == "audio" and out.parent.exists():
            shutil.rmtree(out.parent)

    with pytest.raises(AudioError) as failed:
        render(str(BRIEFING), out, RenderOptions(cache_dir=tmp_path / "cache"),
               on_progress=folder_vanishes)  # fmt: skip
    assert str(out) in str(failed.value)
    assert "\n" not in str(failed.value)
    assert not list(tmp_path.rglob("briefing.*")) and not list(tmp_path.rglob("*.part"))
