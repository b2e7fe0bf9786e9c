"""Helpers for the audio tests: clips of known sound, scripts, and independent measurement.

Clips are tone-plus-noise bursts that sound from their first frame to their last (3 ms
fades), written as mono 16-bit WAVs with the stdlib `wave` module, so where each one is
heard in the MP3 is known. Measurements use Debian's ffmpeg/ffprobe (not the binary the
product uses), numpy, mutagen, webvtt-py and srt.
"""

from __future__ import annotations

import array
import importlib
import json
import math
import random
import re
import shutil
import subprocess
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pressaudio.model import Chapter, Clip, Script, Utterance, VoiceProfile

VOICE = VoiceProfile(name="narrator", engine="espeak", voice="en")
FADE_MS = 3


def burst(
    ms: int, rate: int, freq: float, amp: float = 0.5, seed: int = 0, noise: float = 0.3
) -> bytes:
    """`ms` of a tone with noise on it, sounding from the first frame to the last."""
    rnd = random.Random(seed)
    n = ms * rate // 1000
    fade = max(1, FADE_MS * rate // 1000)
    out = array.array("h")
    for i in range(n):
        env = min(1.0, (i + 1) / fade, (n - i) / fade)
        tone = (1 - noise) * math.sin(2 * math.pi * freq * i / rate)
        v = amp * env * (tone + noise * rnd.uniform(-1, 1))
        out.append(max(-32767, min(32767, int(v * 32767))))
    return out.tobytes()


def clicky(ms: int, rate: int, freq: float, seed: int = 0, every_ms: int = 400) -> bytes:
    """Peaky sound: a quiet tone with noise (about -30 dBFS) and, every `every_ms`, a
    3 ms full-scale 1 kHz click. Its loudness sits far below its peaks, so the gain that
    brings it to the target drives the clicks deep into the limiter."""
    pcm = array.array("h", burst(ms, rate, freq, amp=0.05, seed=seed))
    n = rate * 3 // 1000
    click = [round(32767 * math.sin(2 * math.pi * 1000 * j / rate)) for j in range(n)]
    for start in range(rate * every_ms // 2000, len(pcm) - len(click), rate * every_ms // 1000):
        pcm[start : start + len(click)] = array.array("h", click)
    return pcm.tobytes()


def write_wav(path: Path, pcm: bytes, rate: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return path


def utterance(caption: str, speaker: str = "Narrator", pause_ms: int = 400) -> Utterance:
    return Utterance(
        text=caption,
        caption=caption,
        speaker=speaker.lower(),
        speaker_name=speaker,
        voice=VOICE,
        pause_after_ms=pause_ms,
    )


def clip_file(folder: Path, utt: Utterance, ms: int, *, rate: int = 22050, freq: float = 440.0,
              amp: float = 0.5, seed: int = 0, noise: float = 0.3) -> Clip:  # fmt: skip
    pcm = burst(ms, rate, freq, amp, seed, noise)
    wav = write_wav(folder / f"clip-{seed}-{freq:g}-{rate}-{ms}.wav", pcm, rate)
    return Clip(utterance=utt, wav=wav, sample_rate=rate, frames=len(pcm) // 2)


def script_of(
    clips: Sequence[Clip], chapters: Sequence[tuple[str, int]], title: str = "Test"
) -> Script:
    return Script(
        title=title,
        utterances=tuple(c.utterance for c in clips),
        chapters=tuple(Chapter(t, first) for t, first in chapters),
        casting=(("Narrator", "narrator"),),
    )


def count_ffmpeg_passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each ffmpeg run of assemble as "measure", "limited" (a measurement of the
    gained and limited signal) or "encode" (one run, or two halves encoded at once); the
    list fills as assemble runs."""
    module = importlib.import_module("pressaudio.audio.assemble")  # the name is the function
    real = module.run_ffmpeg
    passes: list[str] = []

    def counting(args: Sequence[str], **kwargs: Any) -> str:
        if "libmp3lame" in args:
            passes.append("encode")
        else:
            chain = args[list(args).index("-af") + 1]
            passes.append("limited" if "alimiter" in chain else "measure")
        result: str = real(args, **kwargs)
        return result

    def counting_halves(runs: Sequence[Any]) -> list[str]:
        assert all("libmp3lame" in run.args for run in runs)
        passes.append("encode")  # one encoding pass, in halves at once
        result: list[str] = real_all(runs)
        return result

    real_all = module.run_ffmpeg_all
    monkeypatch.setattr(module, "run_ffmpeg", counting)
    monkeypatch.setattr(module, "run_ffmpeg_all", counting_halves)
    return passes


def system_tool(name: str) -> str:
    """Debian's ffmpeg/ffprobe (independent of the product's binary); skip without it."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install ffmpeg)")
    return path


def decode(mp3: Path, rate: int = 44100) -> np.ndarray[Any, Any]:
    """The MP3 decoded by Debian's ffmpeg, downmixed to mono float samples at `rate`."""
    raw = subprocess.run(
        [system_tool("ffmpeg"), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def sound_spans(samples: np.ndarray[Any, Any], rate: int = 44100) -> list[tuple[float, float]]:
    """(start_ms, end_ms) of each stretch of sound, found from the energy in 2 ms windows."""
    w = 2 * rate // 1000
    env = np.sqrt(np.convolve(samples**2, np.ones(w) / w, mode="same"))
    loud = env > 0.05 * env.max()
    spans: list[list[float]] = []
    i = 0
    n = len(loud)
    idx = np.flatnonzero(np.diff(loud.astype(np.int8)))
    edges = [0] if loud[0] else []
    edges += [int(k) + 1 for k in idx]
    if loud[-1]:
        edges.append(n)
    for i in range(0, len(edges), 2):
        start, end = edges[i] * 1000 / rate, edges[i + 1] * 1000 / rate
        if spans and start - spans[-1][1] < 50:  # a dip inside one burst
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(s, e) for s, e in spans if e - s >= 20]


def loudness(mp3: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by Debian ffmpeg's ebur128 filter."""
    err = subprocess.run(
        [system_tool("ffmpeg"), "-hide_banner", "-nostats", "-i", str(mp3),
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        check=True, capture_output=True, text=True,
    ).stderr  # fmt: skip
    summary = err[err.rindex("Summary:") :]
    i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return i, peak


def ffprobe(mp3: Path) -> dict[str, Any]:
    out = subprocess.run(
        [system_tool("ffprobe"), "-v", "error", "-show_chapters", "-show_streams", "-show_format",
         "-print_format", "json", str(mp3)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    result: dict[str, Any] = json.loads(out)
    return result
