"""Loudness (ITU-R BS.1770, via ffmpeg's `ebur128`) and the mastering filter chain.

Normalisation is measure-then-apply: a first pass measures the integrated loudness of the
stitched speech; the encoding pass applies one constant gain (so it is linear: the voices'
relative levels and the pauses stay as they are), then a look-ahead peak limiter
(`alimiter`, latency-compensated, so nothing moves in time) at `true_peak_dbtp` minus a
margin for the overshoot MP3 coding adds. The MP3 round trip (LAME) also scales the level
by a constant (about -0.45 dB); that is measured once per format on a reference tone and
compensated in the gain.
"""

from __future__ import annotations

import functools
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pressaudio.audio.ffmpeg import ffmpeg_help, run_ffmpeg
from pressaudio.audio.settings import AudioSettings
from pressaudio.errors import AudioError

SILENCE_LUFS = -70.0  # ebur128's value for input below the absolute gate
STEREO_SUM_DB = 10 * math.log10(2)  # BS.1770 sums channel powers: dual mono reads +3.01 LU
MIN_LIMIT_DB = -24.0  # alimiter's lowest limit (0.0625)

_SUMMARY = re.compile(r"Summary:(.*)", re.S)
_INTEGRATED = re.compile(r"I:\s+(-?[\d.]+|-?inf|nan)\s+LUFS")
_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-?inf|nan)\s+dBFS")
_RMS = re.compile(r"RMS level dB:\s+(-?[\d.]+|-?inf)")


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float | None = None  # None when not measured


def ebur128_filter(*, true_peak: bool) -> str:
    """The measuring filter; quiet per-frame logging where this ffmpeg supports it (6.1+)."""
    options = ["framelog=quiet"] if _has_framelog() else []
    if true_peak:
        options.append("peak=true")
    return "ebur128" + ("=" + ":".join(options) if options else "")


def _has_framelog() -> bool:
    return "framelog" in ffmpeg_help("filter=ebur128")


def parse_ebur128(stderr: str) -> Loudness:
    """The integrated loudness (and true peak, if measured) from ebur128's summary."""
    m = _SUMMARY.search(stderr)
    summary = m.group(1) if m else ""
    i = _INTEGRATED.search(summary)
    if i is None:
        raise AudioError("ffmpeg's ebur128 filter printed no loudness summary")
    integrated = max(float(i.group(1)), SILENCE_LUFS)
    p = _PEAK.search(summary)
    peak = float(p.group(1)) if p else None
    return Loudness(integrated, peak)


def measure_file(path: Path, *, true_peak: bool = True) -> Loudness:
    """Integrated loudness and true peak of an audio file, decoded by ffmpeg."""
    stderr = run_ffmpeg(
        ["-i", f"file:{path}", "-af", ebur128_filter(true_peak=true_peak), "-f", "null", "-"],
        what=f"measuring the loudness of {path}",
    )
    return parse_ebur128(stderr)


def gain_for(measured_lufs: float, settings: AudioSettings) -> float:
    """The gain in dB that brings mono speech measured at `measured_lufs` to the target."""
    if measured_lufs <= SILENCE_LUFS:
        return 0.0  # silence: nothing to normalise
    level = measured_lufs + (STEREO_SUM_DB if settings.channels == 2 else 0.0)
    return settings.target - level - codec_gain_db(settings)


def mastering_filter(gain_db: float, limit_db: float, settings: AudioSettings) -> str:
    """ffmpeg filter chain: gain, resample to the output rate, channel layout, limiter."""
    limit = 10 ** (max(limit_db, MIN_LIMIT_DB) / 20)
    parts = [
        f"volume={gain_db:.3f}dB:precision=double",
        f"aresample={settings.sample_rate}",
    ]
    if settings.channels == 2:
        parts.append("pan=stereo|c0=c0|c1=c0")
    parts.append(f"alimiter=limit={limit:.5f}:attack=5:release=50:level=0:latency=1")
    return ",".join(parts)


def encoder_args(settings: AudioSettings) -> list[str]:
    """ffmpeg output options for the MP3 itself (no tags: mutagen writes them)."""
    return [
        "-ar", str(settings.sample_rate),
        "-ac", str(settings.channels),
        "-c:a", "libmp3lame",
        "-b:a", settings.bitrate,
        "-map_metadata", "-1",
        "-id3v2_version", "0",
        "-write_id3v1", "0",
        "-write_xing", "1",  # the Xing/LAME frame carries encoder delay and padding
        "-fflags", "+bitexact",
        "-f", "mp3",
    ]  # fmt: skip


@functools.cache
def codec_gain_db(settings: AudioSettings) -> float:
    """How much the MP3 round trip changes the level, in dB, measured on a 997 Hz tone."""
    with tempfile.TemporaryDirectory(prefix="pressaudio-") as tmp:
        mp3 = Path(tmp) / "tone.mp3"
        tone = f"sine=frequency=997:sample_rate={settings.sample_rate}:duration=2"
        layout = ["-af", "pan=stereo|c0=c0|c1=c0"] if settings.channels == 2 else []
        run_ffmpeg(
            ["-f", "lavfi", "-i", tone, *layout, *encoder_args(settings), "-y", f"file:{mp3}"],
            what="calibrating the MP3 encoder",
        )
        before = _rms_db(["-f", "lavfi", "-i", tone])
        after = _rms_db(["-i", f"file:{mp3}"])
    gain = after - before
    if not -3.0 < gain < 3.0:  # a broken encoder, not a level offset
        raise AudioError(f"the MP3 encoder changes the level by {gain:.2f} dB; expected ~0")
    return gain


def _rms_db(input_args: list[str]) -> float:
    stderr = run_ffmpeg(
        [
            *input_args,
            "-af", "atrim=start=0.25:end=1.75,"
            "astats=measure_perchannel=none:measure_overall=RMS_level",
            "-f", "null", "-",
        ],
        what="measuring a reference tone",
    )  # fmt: skip
    m = _RMS.search(stderr)
    if m is None:
        raise AudioError("ffmpeg's astats filter printed no RMS level")
    return float(m.group(1))
