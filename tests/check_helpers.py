"""Audio for the recogniser's tests: an episode with one cue made unintelligible."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

from pressaudio.audio.ffmpeg import ffmpeg_exe
from pressaudio.check import SpokenCue


def garble(episode: Path, cue: SpokenCue, out: Path) -> None:
    """The episode with `cue`'s audio played backwards: the same voice, no words."""
    wav = out.with_suffix(".wav")
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-i",
            str(episode),
            "-ac",
            "1",
            "-ar",
            "22050",
            str(wav),
        ],
        check=True,
    )
    with wave.open(str(wav), "rb") as f:
        rate = f.getframerate()
        samples = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16).copy()
    a, b = cue.start_ms * rate // 1000, cue.end_ms * rate // 1000
    samples[a:b] = samples[a:b][::-1]
    with wave.open(str(wav), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(samples.tobytes())
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-i", str(wav), "-b:a", "64k", str(out)], check=True
    )
    out.with_suffix(".vtt").write_bytes(episode.with_suffix(".vtt").read_bytes())
