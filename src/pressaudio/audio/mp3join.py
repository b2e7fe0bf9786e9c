"""Join MP3 files encoded apart into one, as if they had been encoded in one go.

    join(parts, out)

Each part is an MPEG-1 Layer III file as ffmpeg's LAME encoder writes it here (constant
bitrate, no ID3): an Info frame (the Xing header with the LAME extension: encoder delay,
end padding, lengths and CRCs), then the audio frames. MP3 frames can simply follow one
another (each part's first frame borrows nothing from before it), so the audio is the
parts' frames end to end, under one Info frame rewritten for the whole: frame count,
bytes, seek table, the last part's end padding, music length and CRCs, computed as
ffmpeg's muxer computes them (joining one part gives it back byte for byte).

Where the parts meet, a decoder plays the first part's end padding and the next part's
encoder delay: ENCODER_DELAY + FRAME_SAMPLES + ... samples of coded silence. The caller
splits inside a pause and leaves those samples out of the first part: a first part whose
length plus ENCODER_DELAY is a whole number of frames gets exactly one frame of padding
(`gap_samples()` says how many samples the join adds), which `join` checks.
"""

from __future__ import annotations

import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

from pressaudio.errors import AudioError

__all__ = ["ENCODER_DELAY", "FRAME_SAMPLES", "SAMPLE_RATES", "Misaligned", "gap_samples", "join"]

FRAME_SAMPLES = 1152  # per MPEG-1 Layer III frame (32, 44.1 and 48 kHz)
ENCODER_DELAY = 576  # LAME's delay before the first sample, as its tag records it
_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
SAMPLE_RATES = (44100, 48000, 32000)  # MPEG-1, in the order of the header's index
_XING_FLAGS = 0x0F  # frames, bytes, seek table and quality, as ffmpeg writes them
_TOC_SIZE = 100
_XING_BAGS = 400  # ffmpeg's seek-point sampling (libavformat/mp3enc.c)
_TAG_CRC_SPAN = 190  # bytes of the Info frame its CRC covers (the CRC field zeroed)
_CHUNK = 1 << 20  # bytes read at a time
_CRC16_POLY = 0xA001  # CRC-16/ARC, reflected (ffmpeg's AV_CRC_16_ANSI_LE)


class Misaligned(AudioError):
    """The parts are sound MP3s, but not padded as a join needs (another LAME version)."""


def gap_samples() -> int:
    """Samples a join adds between two parts: one frame of padding and an encoder delay."""
    return FRAME_SAMPLES + ENCODER_DELAY


@dataclass(frozen=True)
class _Part:
    path: Path
    header: int  # the first 4 bytes of every frame, padding bit cleared
    info: bytes  # the Info frame
    xing: int  # offset of "Info"/"Xing" in it
    sizes: tuple[int, ...]  # bytes of each audio frame after it
    delay: int
    padding: int
    music_crc: int

    @property
    def audio_bytes(self) -> int:
        return sum(self.sizes)


def join(parts: Sequence[Path], out: Path) -> None:
    """Write `out`: the audio of `parts`, in order, under one Info frame for the whole.

    Raises AudioError when a part is not such a file or the parts differ in format, and
    Misaligned when a part has another encoder delay or, before the last, was not padded
    to exactly one frame. The audio is copied
    from file to file, never held whole.
    """
    if not parts:
        raise ValueError("nothing to join")
    read = [_read(path) for path in parts]
    first, last = read[0], read[-1]
    for part in read[1:]:
        if part.header != first.header:
            raise AudioError("cannot join MP3 parts of different formats", source=str(part.path))
        if part.delay != ENCODER_DELAY:
            raise Misaligned(
                f"MP3 part has an encoder delay of {part.delay} samples, not {ENCODER_DELAY}",
                source=str(part.path),
            )
    for part in read[:-1]:
        if part.padding != FRAME_SAMPLES:
            raise Misaligned(
                f"MP3 part ends with {part.padding} samples of padding, not {FRAME_SAMPLES}",
                source=str(part.path),
            )
    sizes = [size for part in read for size in part.sizes]
    size = len(first.info) + sum(sizes)
    music_crc = reduce(
        lambda crc, part: _crc16_combine(crc, part.music_crc, part.audio_bytes), read[1:],
        first.music_crc,
    )  # fmt: skip
    info = bytearray(first.info)
    x = first.xing
    struct.pack_into(">II", info, x + 8, len(sizes), size)
    info[x + 16 : x + 16 + _TOC_SIZE] = _seek_table(len(first.info), sizes, size)
    lame = x + 120
    info[lame + 21 : lame + 24] = ((first.delay << 12) | last.padding).to_bytes(3, "big")
    struct.pack_into(">IHH", info, lame + 28, size, music_crc, 0)
    struct.pack_into(">H", info, lame + 34, _crc16(bytes(info[:_TAG_CRC_SPAN])))
    try:
        with open(out, "wb") as f:
            f.write(info)
            for part in read:
                with open(part.path, "rb") as src:
                    src.seek(len(part.info))
                    shutil.copyfileobj(src, f)
    except OSError as err:
        raise AudioError(f"cannot join MP3 parts: {err.strerror or err}", source=str(out)) from err


def _read(path: Path) -> _Part:
    """The Info frame of `path` and the size of every frame after it."""
    try:
        with open(path, "rb") as f:
            data = f.read(_CHUNK)
            length = _frame_length(data, 0)
            info = data[:length]
            sizes: list[int] = []
            pos = length  # where the next frame starts, in `data` (the file from some byte on)
            while True:
                while pos + 4 <= len(data):
                    sizes.append(_frame_length(data, pos))
                    pos += sizes[-1]
                more = f.read(_CHUNK)
                if not more:
                    break
                # Keep the start of a header left in `data`, or skip into `more`.
                data, pos = (data[pos:] + more, 0) if pos < len(data) else (more, pos - len(data))
    except OSError as err:
        raise AudioError(
            f"cannot read an MP3 part: {err.strerror or err}", source=str(path)
        ) from err
    except _NotAFrame as err:
        raise AudioError(
            f"MP3 part is cut short or holds other data ({err})", source=str(path)
        ) from err
    if pos != len(data):
        raise AudioError("MP3 part ends in a partial frame", source=str(path))
    xing = 4 + (17 if (info[3] >> 6) == 3 else 32)  # after the side information
    if length <= xing + 156 or info[xing : xing + 4] not in (b"Info", b"Xing"):
        raise AudioError("MP3 part does not start with an Info frame", source=str(path))
    flags, frames = struct.unpack_from(">II", info, xing + 4)
    if flags != _XING_FLAGS or frames != len(sizes):
        raise AudioError("MP3 part's Info frame does not describe it", source=str(path))
    lame = xing + 120
    b = info[lame + 21 : lame + 24]
    return _Part(
        path=path,
        header=struct.unpack_from(">I", info)[0] & ~0x200,
        info=info,
        xing=xing,
        sizes=tuple(sizes),
        delay=(b[0] << 4) | (b[1] >> 4),
        padding=((b[1] & 0x0F) << 8) | b[2],
        music_crc=struct.unpack_from(">H", info, lame + 32)[0],
    )


class _NotAFrame(ValueError):
    pass


def _frame_length(data: bytes, pos: int) -> int:
    """Bytes of the MPEG-1 Layer III frame at `pos`."""
    h: int = struct.unpack_from(">I", data, pos)[0]
    version, layer = (h >> 19) & 3, (h >> 17) & 3
    bitrate, rate = (h >> 12) & 15, (h >> 10) & 3
    if h >> 21 != 0x7FF or version != 3 or layer != 1 or bitrate in (0, 15) or rate == 3:
        raise _NotAFrame(f"no MPEG-1 Layer III frame at byte {pos}")
    return 144_000 * _BITRATES_KBPS[bitrate] // SAMPLE_RATES[rate] + ((h >> 9) & 1)


def _seek_table(start: int, sizes: Sequence[int], size: int) -> bytes:
    """The Xing seek table as ffmpeg's muxer samples it: file offsets after every n-th frame."""
    bag: list[int] = []
    want, seen, done = 1, 0, start
    for step in sizes:
        done += step
        seen += 1
        if seen == want:
            bag.append(done)
            if len(bag) == _XING_BAGS:
                bag = bag[1::2]  # keep every second point, and take half as many from now
                want *= 2
            seen = 0
    toc = [0] + [
        min(256 * bag[i * len(bag) // _TOC_SIZE] // size, 255) for i in range(1, _TOC_SIZE)
    ]
    return bytes(toc)


def _crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (_CRC16_POLY if crc & 1 else 0)
    return crc


def _crc16_combine(crc_a: int, crc_b: int, len_b: int) -> int:
    """CRC-16/ARC of A followed by B from the CRCs of both, without reading either.

    With a zero start and no final XOR the CRC is linear: CRC(A+B) is CRC(A) carried
    through len(B) zero bytes, XOR CRC(B). Carrying is a 16x16 bit matrix, raised to the
    power len(B) by squaring.
    """
    zero_byte = [_crc16(b"\0", 1 << k) for k in range(16)]  # columns: image of each bit
    power = [1 << k for k in range(16)]  # identity
    while len_b:
        if len_b & 1:
            power = [_apply(zero_byte, column) for column in power]
        zero_byte = [_apply(zero_byte, column) for column in zero_byte]
        len_b >>= 1
    return _apply(power, crc_a) ^ crc_b


def _apply(matrix: list[int], vector: int) -> int:
    out = 0
    for k in range(16):
        if vector >> k & 1:
            out ^= matrix[k]
    return out
