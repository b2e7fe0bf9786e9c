"""Per-clip audio through pydub: read one WAV, make it mono 16-bit at the stitching rate.

pydub is imported lazily, with its import-time warnings silenced (it looks for ffmpeg on
PATH and, on Python 3.11-3.12, imports the deprecated `audioop`). Clips are read with
`AudioSegment(data=...)`, which parses WAV itself: no ffmpeg or ffprobe is run, and a
broken file is an error rather than a silent fallback to ffprobe.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any

from pressaudio.audio.ffmpeg import ffmpeg_exe
from pressaudio.errors import AudioError

SAMPLE_WIDTH = 2  # bytes: signed 16-bit little-endian


@functools.cache
def _audio_segment() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub import AudioSegment
    # pydub runs its converter only for non-WAV input; point it at our ffmpeg anyway.
    AudioSegment.converter = ffmpeg_exe()
    return AudioSegment


def read_clip(path: Path, sample_rate: int, frames: int, *, rate: int, out_frames: int) -> bytes:
    """The clip at `path` as mono s16le PCM at `rate`, exactly `out_frames` frames long.

    `sample_rate` and `frames` are what the clip is recorded to hold; a file that holds
    something else is an AudioError naming it (a stale or corrupt cache entry).
    """
    segment_cls = _audio_segment()
    try:
        data = path.read_bytes()
    except OSError as err:
        raise AudioError(f"cannot read audio clip: {err.strerror}", source=str(path)) from err
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seg = segment_cls(data=data)
    except Exception as err:  # pydub raises CouldntDecodeError, struct.error, ...
        raise AudioError(f"not a readable PCM WAV file ({err})", source=str(path)) from err
    have = int(seg.frame_count())
    if seg.frame_rate != sample_rate or have != frames:
        raise AudioError(
            f"audio clip holds {have} frames at {seg.frame_rate} Hz, expected {frames} frames "
            f"at {sample_rate} Hz (clear the cache and render again)",
            source=str(path),
        )
    if seg.channels != 1:
        seg = seg.set_channels(1)
    if seg.sample_width != SAMPLE_WIDTH:
        seg = seg.set_sample_width(SAMPLE_WIDTH)
    if seg.frame_rate != rate:
        seg = seg.set_frame_rate(rate)
    pcm: bytes = seg.raw_data
    want = out_frames * SAMPLE_WIDTH
    if len(pcm) < want:  # resampling rounds the length by a frame or two
        pcm += bytes(want - len(pcm))
    return pcm[:want]
