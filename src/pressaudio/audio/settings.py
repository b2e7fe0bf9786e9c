"""What the audio stage is told: the episode's tags and the output format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pressaudio.errors import AudioError

# Sample rates the MP3 format (MPEG-1, 2 and 2.5 layer III) can carry.
MP3_SAMPLE_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
_BITRATE = re.compile(r"^(\d{1,3})k$")


@dataclass(frozen=True)
class EpisodeMeta:
    """The ID3 tags of one episode."""

    title: str
    artist: str  # the publisher (TPE1)
    album: str  # the podcast (TALB)
    date: str = ""  # ISO 8601: "2023-09-14" or "2023-09-14T15:00:00+09:00" ("" for none)
    comment: str = ""


@dataclass(frozen=True)
class AudioSettings:
    """Output format and loudness. Defaults: mono, 44.1 kHz, 64 kbit/s MP3 at -19 LUFS.

    `target_lufs` None means the platform target for the channel count: -16 LUFS integrated
    for stereo, -19 LUFS for mono (a mono file is heard on both ears, about 3 LU louder).
    `limiter_margin_db` is the headroom the limiter keeps below `true_peak_dbtp`, for the
    overshoot that MP3 coding adds (0.75 dB more below 64 kbit/s per channel, where the
    coding is coarser: e.g. 64 kbit/s stereo). The gain makes up for the loudness the limiter takes
    (predicted from the measuring pass; for peaky speech, where that is over 1 dB, also
    measured once or twice without encoding). With `verify`, the encoded MP3 is measured
    again and re-encoded (at most twice) if it misses the target by more than 0.5 LU or
    the peak ceiling; this costs about one extra decoding pass.
    """

    channels: int = 1
    sample_rate: int = 44100
    bitrate: str = "64k"
    target_lufs: float | None = None
    true_peak_dbtp: float = -1.0
    limiter_margin_db: float = 1.0
    verify: bool = False

    def __post_init__(self) -> None:
        if self.channels not in (1, 2):
            raise AudioError(f"audio channels must be 1 (mono) or 2 (stereo), not {self.channels}")
        if self.sample_rate not in MP3_SAMPLE_RATES:
            rates = ", ".join(str(r) for r in MP3_SAMPLE_RATES)
            raise AudioError(f"MP3 sample rate {self.sample_rate} Hz is not one of {rates}")
        m = _BITRATE.match(self.bitrate)
        if m is None or not 8 <= int(m.group(1)) <= 320:
            raise AudioError(f"bitrate {self.bitrate!r} is not like '64k' (8k to 320k)")
        if self.target_lufs is not None and not -40.0 <= self.target_lufs <= -5.0:
            raise AudioError(f"loudness target {self.target_lufs} LUFS is not in -40..-5")
        if not -12.0 <= self.true_peak_dbtp <= 0.0:
            raise AudioError(f"true-peak ceiling {self.true_peak_dbtp} dBTP is not in -12..0")
        if not 0.0 <= self.limiter_margin_db <= 6.0:
            raise AudioError(f"limiter margin {self.limiter_margin_db} dB is not in 0..6")

    @property
    def target(self) -> float:
        """The integrated loudness aimed at, in LUFS."""
        if self.target_lufs is not None:
            return self.target_lufs
        return -16.0 if self.channels == 2 else -19.0
