"""Loudness (ITU-R BS.1770, via ffmpeg's `ebur128`) and the mastering filter chain.

Normalisation is measure-then-apply: a first pass measures the integrated loudness of the
stitched speech; the encoding pass applies one constant gain (so it is linear: the voices'
relative levels and the pauses stay as they are), then a look-ahead peak limiter
(`alimiter`, latency-compensated, so nothing moves in time) at `true_peak_dbtp` minus a
margin for the overshoot MP3 coding adds (`limiter_ceiling_db`). The MP3 round trip
(LAME) also scales the level by a constant (about -0.45 dB); that is measured once per
format on a reference tone and compensated in the gain.

The limiter takes loudness away wherever the gain pushes peaks over its ceiling: about
0.3 dB for eSpeak NG, 0.5-1.1 dB for Piper, whose every utterance peaks near full scale,
and several dB for quiet sound with loud clicks. The peak alone does not say how much
(eSpeak and Piper speech both peak at 0 dBFS and both get ~4 dB of peak reduction), so
while the first pass streams, a `PeakProfile` records how the speech's energy sits under
its peaks: the energy of each 10 ms block, binned by the level of the peaks around it
(the limiter's look-ahead and release). From that, `makeup_gain` predicts what the
limiter will take at any gain and adds it back, within 0.1-0.2 dB of what `alimiter`
then takes from speech. Where the prediction is large (`CHECK_ABOVE_DB`), the caller
measures the gained and limited signal once more (no encoding) and corrects the rest.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pressaudio.audio.ffmpeg import ffmpeg_help, run_ffmpeg
from pressaudio.audio.settings import AudioSettings
from pressaudio.errors import AudioError

SILENCE_LUFS = -70.0  # ebur128's value for input below the absolute gate
STEREO_SUM_DB = 10 * math.log10(2)  # BS.1770 sums channel powers: dual mono reads +3.01 LU
MIN_LIMIT_DB = -24.0  # alimiter's lowest limit (0.0625)
CHECK_ABOVE_DB = 1.0  # a predicted limiter loss above this is measured, not trusted
MAX_MAKEUP_DB = 12.0  # at most this much gain is added back for what the limiter takes
LOW_BITRATE_PER_CHANNEL = 64  # kbit/s per channel below which MP3 overshoots more...
LOW_BITRATE_MARGIN_DB = 0.75  # ...so the limiter keeps this much more headroom

PEAK_BLOCK_MS = 10  # the peak profile's resolution
RELEASE_DB_PER_BLOCK = 2.0  # how fast the modelled limiter lets go (fitted to alimiter)
_SAMPLE_WIDTH = 2  # bytes: the stitched PCM is s16le
_FULL_SCALE_DB = 20 * math.log10(32768)  # dB of a full-scale sample value
_FLOOR_DB = -120.0  # the level of a silent block

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


class PeakProfile:
    """How the stitched speech's energy sits under its peaks, enough to predict a limiter.

    Fed with the mono s16le PCM in order (`add`, and `gap` for silence) during the
    measuring pass. Each 10 ms block's energy is binned (0.1 dB) by the peak level the
    limiter sees there: the block's own peak, the next block's (look-ahead) and the
    earlier peaks still being released. Memory stays constant (a few thousand bins)
    however long the episode; the cost is two C calls per block (audioop).
    """

    def __init__(self, rate: int) -> None:
        self.block_frames = max(1, rate * PEAK_BLOCK_MS // 1000)
        self._energy: dict[int, float] = {}  # held peak level, 0.1 dB steps -> energy
        self._held = _FLOOR_DB  # the released peak level at the last block
        self._last: tuple[float, float] | None = None  # (held level, energy) awaiting look-ahead

    def add(self, pcm: bytes) -> None:
        """The next stretch of audio (its length a whole number of frames)."""
        ops = _audioop()
        peak_of, rms_of, log10 = ops.max, ops.rms, math.log10
        view = memoryview(pcm)
        end = len(view) - len(view) % _SAMPLE_WIDTH
        if end == 0:
            return
        step = self.block_frames * _SAMPLE_WIDTH
        release, floor, offset = RELEASE_DB_PER_BLOCK, _FLOOR_DB, _FULL_SCALE_DB
        energy = self._energy
        held = self._held
        last_held, last_energy = self._last if self._last is not None else (floor, 0.0)
        for i in range(0, end, step):
            block = view[i : i + step] if i + step <= end else view[i:end]
            peak = peak_of(block, _SAMPLE_WIDTH)
            level = 20.0 * log10(peak) - offset if peak else floor
            held = held - release if held - release > level else level
            if last_energy > 0.0:  # the previous block, now that its look-ahead is known
                key = round((last_held if last_held > level else level) * 10)
                energy[key] = energy.get(key, 0.0) + last_energy
            rms = rms_of(block, _SAMPLE_WIDTH)
            last_held, last_energy = held, float(rms * rms * (len(block) // _SAMPLE_WIDTH))
        self._held, self._last = held, (last_held, last_energy)

    def gap(self, frames: int) -> None:
        """`frames` of digital silence."""
        if frames <= 0:
            return
        self._flush()
        blocks = -(-frames // self.block_frames)
        self._held = max(_FLOOR_DB, self._held - RELEASE_DB_PER_BLOCK * blocks)

    def _flush(self) -> None:
        if self._last is not None and self._last[1] > 0.0:
            key = round(self._last[0] * 10)
            self._energy[key] = self._energy.get(key, 0.0) + self._last[1]
        self._last = None

    def limiter_loss_db(self, gain_db: float, limit_db: float) -> float:
        """How much loudness (dB) a peak limiter at `limit_db` takes after `gain_db`."""
        self._flush()
        total = kept = 0.0
        for key, energy in self._energy.items():
            over = gain_db + key / 10 - limit_db
            total += energy
            kept += energy * (10 ** (-over / 10) if over > 0 else 1.0)
        if total <= 0.0:
            return 0.0
        return 10 * math.log10(total / kept) if kept > 0.0 else math.inf


@dataclass(frozen=True)
class Makeup:
    """The gain to apply before the limiter, and the loss it was computed to make up."""

    gain_db: float
    predicted_loss_db: float


def makeup_gain(
    base_gain_db: float, profile: PeakProfile, limit_db: float, offset_db: float = 0.0
) -> Makeup:
    """The gain G with G = base + offset + what the limiter takes at G (a fixed point).

    `base_gain_db` is `gain_for`'s (the gain an unlimited signal would need); `offset_db`
    corrects the prediction where a measurement has shown it off. The loss grows more
    slowly than the gain for anything like speech, so the iteration converges; for a
    signal that is nearly all peak, the added gain stops at MAX_MAKEUP_DB.
    """
    limit = max(limit_db, MIN_LIMIT_DB)
    gain = base_gain_db + offset_db
    loss = 0.0
    for _ in range(50):
        loss = min(profile.limiter_loss_db(gain, limit), MAX_MAKEUP_DB)
        nxt = min(base_gain_db + offset_db + loss, base_gain_db + MAX_MAKEUP_DB)
        if abs(nxt - gain) < 0.005:
            gain = nxt
            break
        gain = nxt
    return Makeup(gain, profile.limiter_loss_db(gain, limit))


@functools.cache
def _audioop() -> ModuleType:
    """The `audioop` module (stdlib to 3.12, `audioop-lts` from 3.13, as pydub needs it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop
    return audioop


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


def limiter_ceiling_db(settings: AudioSettings) -> float:
    """Where the limiter holds the sample peaks: `true_peak_dbtp` less the margin for what
    MP3 coding adds, and more margin where the coding is coarse.

    Measured on limited eSpeak NG and Piper speech (44.1 kHz): the true peak of the MP3 ends
    up to 0.5 dB over the limiter's ceiling at 64 kbit/s or more per channel, but up to
    1.1 dB over at 24-48 kbit/s per channel (64 kbit/s stereo, 32 kbit/s mono).
    """
    kbps_per_channel = int(settings.bitrate.removesuffix("k")) / settings.channels
    coarse = LOW_BITRATE_MARGIN_DB if kbps_per_channel < LOW_BITRATE_PER_CHANNEL else 0.0
    return settings.true_peak_dbtp - settings.limiter_margin_db - coarse


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


_CALIBRATING = threading.Lock()


def calibrate_meanwhile(settings: AudioSettings) -> None:
    """Start measuring `codec_gain_db(settings)` in a thread (ffmpeg runs while speech is
    synthesised); the first caller waits for it. A failure is raised again by that call."""

    def run() -> None:
        with contextlib.suppress(AudioError):  # not cached: the caller measures and reports
            codec_gain_db(settings)

    threading.Thread(target=run, name="pressaudio-calibration").start()


def codec_gain_db(settings: AudioSettings) -> float:
    """How much the MP3 round trip changes the level, in dB, measured on a 997 Hz tone
    once per format and process."""
    with _CALIBRATING:
        return _codec_gain_db(settings)


@functools.cache
def _codec_gain_db(settings: AudioSettings) -> float:
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
