"""Stitch the clips of one script into the episode: MP3 with ID3 chapters, and sidecars.

    assemble(clips, script, out_mp3, meta, settings) -> Episode

1. Plan the timeline in sample frames at one stitching rate (the rate most of the clips
   already have; the others are resampled to it, with their length fixed in advance), so
   every utterance's start and end is known exactly, in ms, before any audio is written.
2. Measure: stream the clips and their pauses (generated silence) into ffmpeg's `ebur128`,
   profiling their peaks on the way (loudness.PeakProfile), so the gain also makes up
   for what the limiter will take. Only for peaky speech, where that is over 1 dB, is
   the gained and limited signal measured once or twice more (no encoding) to correct it.
   `render` measures while the clips are being made (`LiveMeasurement`, fed by the
   synthesis, ffmpeg on the other core, the encoder's calibration meanwhile); `assemble`
   measures only when given no such measurement (or one of another timeline).
3. Encode: stream them again into ffmpeg, which applies one gain, resamples to the output
   rate, limits the peaks and encodes the MP3 (see loudness.py). Nothing is ever held
   whole in memory: one clip at a time goes down a pipe. `render` also starts this
   while the clips are being made (`SpeculativeEncoding`), at a gain estimated from a
   sample of them made first; `assemble` keeps that MP3 only if the gain it sets from
   the whole measurement is within SPECULATION_TOLERANCE_DB of it, else encodes again.
4. Tag the MP3 (ID3v2 chapters, tags.py) and write OUT.chapters.json, OUT.vtt, OUT.srt.

Every output is first written to a temporary file in its own folder and renamed into
place only when all four are complete (files.AtomicOutputs); on any failure or
interruption the temporary files are removed and no output path holds a partial file.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from pressaudio.audio import captions, loudness
from pressaudio.audio.ffmpeg import pcm_input_args, run_ffmpeg
from pressaudio.audio.pcm import SAMPLE_WIDTH, read_clip
from pressaudio.audio.settings import AudioSettings, EpisodeMeta
from pressaudio.audio.tags import write_tags
from pressaudio.errors import AudioError
from pressaudio.files import AtomicOutputs, disk_full, temp_path, writing
from pressaudio.model import ChapterMark, Clip, Cue, Episode, Script

__all__ = [
    "AudioSettings",
    "Encoded",
    "EpisodeMeta",
    "LiveMeasurement",
    "Measurement",
    "SpeculativeEncoding",
    "Timeline",
    "assemble",
    "plan_timeline",
    "sidecar_paths",
]

Progress = Callable[[float], None]
_SILENCE_CHUNK = 65536  # frames of silence per write
_MEASURE_SHARE = 0.2  # share of the progress bar for the measuring pass
_CHECK_SHARE = 0.1  # ... and for each measurement of the limited signal (peaky speech)
_MAX_CHECKS = 2  # measurements of the limited signal, at most
_CHECK_TOLERANCE_LU = 0.2  # a limited signal this close to the target is not corrected
_VERIFY_TOLERANCE_LU = 0.5
_MAX_ATTEMPTS = 3
_QUEUE_CHUNKS = 64  # clips and pauses waiting for a live ffmpeg run, at most
SPECULATION_TOLERANCE_DB = 0.25  # a speculative MP3 this close to the right gain is kept


@dataclass(frozen=True)
class Timeline:
    """Where every utterance sits, in frames at `rate` and in milliseconds."""

    rate: int  # stitching rate, frames per second
    starts: tuple[int, ...]  # first frame of each utterance
    lengths: tuple[int, ...]  # frames of each utterance's clip (at `rate`)
    pauses: tuple[int, ...]  # frames of silence after each utterance
    total_frames: int
    cues: tuple[Cue, ...]
    chapters: tuple[ChapterMark, ...]

    @property
    def duration_ms(self) -> int:
        return self.ms(self.total_frames)

    def ms(self, frame: int) -> int:
        return (frame * 1000 + self.rate // 2) // self.rate


def sidecar_paths(out_mp3: Path) -> tuple[Path, Path, Path]:
    """OUT.chapters.json, OUT.vtt and OUT.srt for OUT.mp3."""
    stem = out_mp3.with_suffix("") if out_mp3.suffix.lower() == ".mp3" else out_mp3
    return (
        stem.with_name(stem.name + ".chapters.json"),
        stem.with_name(stem.name + ".vtt"),
        stem.with_name(stem.name + ".srt"),
    )


def stitching_rate(clips: Sequence[Clip]) -> int:
    """The sample rate most of the audio already has (the higher one on a tie)."""
    if not clips:
        return 22050
    weight: Counter[int] = Counter()
    for c in clips:
        weight[c.sample_rate] += c.frames
    return max(weight, key=lambda rate: (weight[rate], rate))


def plan_timeline(clips: Sequence[Clip], script: Script, rate: int | None = None) -> Timeline:
    """Place every clip and pause; derive one cue per utterance and the chapter marks."""
    if len(clips) != len(script.utterances):
        raise ValueError(f"{len(clips)} clips for {len(script.utterances)} utterances")
    rate = rate or stitching_rate(clips)
    starts: list[int] = []
    lengths: list[int] = []
    pauses: list[int] = []
    pos = 0
    for clip, utt in zip(clips, script.utterances, strict=True):
        if clip.sample_rate <= 0 or clip.frames < 0:
            raise AudioError("audio clip has no valid sample rate or length", source=str(clip.wav))
        n = (
            clip.frames
            if clip.sample_rate == rate
            else _rescale(clip.frames, clip.sample_rate, rate)
        )
        gap = _rescale(max(utt.pause_after_ms, 0), 1000, rate)
        starts.append(pos)
        lengths.append(n)
        pauses.append(gap)
        pos += n + gap
    tl = Timeline(rate, tuple(starts), tuple(lengths), tuple(pauses), pos, (), ())
    cues = tuple(
        Cue(tl.ms(s), tl.ms(s + n), u.speaker_name, u.caption)
        for s, n, u in zip(starts, lengths, script.utterances, strict=True)
    )
    return Timeline(rate, tl.starts, tl.lengths, tl.pauses, pos, cues, _chapters(script, tl))


def _rescale(n: int, from_rate: int, to_rate: int) -> int:
    return (n * to_rate + from_rate // 2) // from_rate


def _chapters(script: Script, tl: Timeline) -> tuple[ChapterMark, ...]:
    n = len(script.utterances)
    for ch in script.chapters:
        if not 0 <= ch.first < n:
            raise ValueError(f"chapter {ch.title!r} starts at utterance {ch.first} of {n}")
    ordered = sorted(script.chapters, key=lambda ch: ch.first)
    # A chapter whose next one starts at the same utterance is empty: keep the later title.
    kept = [
        ch
        for i, ch in enumerate(ordered)
        if i + 1 == len(ordered) or ordered[i + 1].first != ch.first
    ]
    if not kept:
        return ()
    starts = [0 if i == 0 else tl.ms(tl.starts[ch.first]) for i, ch in enumerate(kept)]
    ends = [*starts[1:], tl.duration_ms]
    return tuple(
        ChapterMark(ch.title.strip() or f"Chapter {i + 1}", start, end)
        for i, (ch, start, end) in enumerate(zip(kept, starts, ends, strict=True))
    )


def assemble(
    clips: Sequence[Clip],
    script: Script,
    out_mp3: Path,
    meta: EpisodeMeta,
    settings: AudioSettings = AudioSettings(),  # noqa: B008 (frozen, so a safe default)
    *,
    on_progress: Progress | None = None,
    measured: Measurement | None = None,
    encoded: Encoded | None = None,
) -> Episode:
    """Write OUT.mp3 (+ OUT.chapters.json, OUT.vtt, OUT.srt) and describe the episode.

    `clips[i]` is the audio of `script.utterances[i]`. `on_progress` is called with the
    fraction done (0..1). `measured` is the loudness of these clips and pauses already
    measured (`LiveMeasurement`); without it, or if it is of another timeline, the
    clips are measured first. `encoded` is an MP3 of them already encoded at an
    estimated gain (`SpeculativeEncoding`): it becomes OUT.mp3 if that gain is within
    SPECULATION_TOLERANCE_DB of the one set here, else it is encoded again.
    Raises AudioError (naming the file) for unreadable clips, an
    unwritable output folder or an ffmpeg failure; no output is then left behind.
    """
    out_mp3 = Path(out_mp3)
    json_path, vtt_path, srt_path = sidecar_paths(out_mp3)
    tl = plan_timeline(clips, script)
    report = on_progress or (lambda fraction: None)
    # The MP3 last: the sidecars never outlive it.
    with AtomicOutputs([json_path, vtt_path, srt_path, out_mp3], error=AudioError) as tmp:
        _encode(
            clips, tl, tmp[out_mp3], settings, report,
            name=out_mp3, measured=measured, encoded=encoded,
        )  # fmt: skip
        try:
            write_tags(tmp[out_mp3], meta, tl.chapters, tl.duration_ms)
        except AudioError as err:
            full = disk_full(err)
            if full is None:
                raise
            raise AudioError(full, source=str(out_mp3)) from err
        _write_text(
            tmp[json_path],
            captions.chapters_json(tl.chapters, title=meta.title, podcast=meta.album or None),
            name=json_path,
        )
        _write_text(tmp[vtt_path], captions.webvtt(tl.cues), name=vtt_path)
        _write_text(tmp[srt_path], captions.srt(tl.cues), name=srt_path)
    report(1.0)
    return Episode(
        mp3=out_mp3,
        chapters_json=json_path,
        vtt=vtt_path,
        srt=srt_path,
        duration_ms=tl.duration_ms,
        chapters=tl.chapters,
        cues=tl.cues,
        casting=script.casting,
    )


def _encode(
    clips: Sequence[Clip],
    tl: Timeline,
    mp3: Path,
    settings: AudioSettings,
    report: Progress,
    *,
    name: Path,
    measured: Measurement | None = None,
    encoded: Encoded | None = None,
) -> None:
    """Measure, then encode into `mp3` (a temporary file for `name`) at the target.

    The measuring pass also profiles the peaks, so the gain includes what the limiter will
    take. Only where that is more than CHECK_ABOVE_DB (peaky speech) is the gained and
    limited signal measured again before encoding (at most _MAX_CHECKS times).
    """
    pipe_in = pcm_input_args(tl.rate)
    if measured is not None and measured.fits(tl):
        integrated, profile = measured.integrated_lufs, measured.profile
        report(_MEASURE_SHARE)
    else:
        profile = loudness.PeakProfile(tl.rate)
        stderr = run_ffmpeg(
            [*pipe_in, "-af", loudness.ebur128_filter(true_peak=False), "-f", "null", "-"],
            stdin_chunks=_stitched(clips, tl, lambda f: report(_MEASURE_SHARE * f), tap=profile),
            what=f"measuring the loudness of {name}",
        )
        integrated = loudness.parse_ebur128(stderr).integrated_lufs
    limit = loudness.limiter_ceiling_db(settings)
    base = loudness.gain_for(integrated, settings)
    makeup = loudness.makeup_gain(base, profile, limit)
    gain, offset, done = makeup.gain_db, 0.0, _MEASURE_SHARE
    checks = 0
    while (
        integrated > loudness.SILENCE_LUFS
        and makeup.predicted_loss_db > loudness.CHECK_ABOVE_DB
        and checks < _MAX_CHECKS
    ):
        checks += 1
        start = done
        chain = loudness.mastering_filter(gain, limit, settings)
        stderr = run_ffmpeg(
            [*pipe_in, "-af", f"{chain},{loudness.ebur128_filter(true_peak=False)}",
             "-f", "null", "-"],
            stdin_chunks=_stitched(clips, tl, _span(report, start, _CHECK_SHARE)),
            what=f"measuring the limited loudness of {name}",
        )  # fmt: skip
        done += _CHECK_SHARE
        limited = loudness.parse_ebur128(stderr).integrated_lufs
        shortfall = settings.target - loudness.codec_gain_db(settings) - limited
        if abs(shortfall) <= _CHECK_TOLERANCE_LU:
            break
        offset += shortfall  # the prediction's error at this gain
        makeup = loudness.makeup_gain(base, profile, limit, offset)
        gain = makeup.gain_db
    if (
        encoded is not None
        and encoded.fits(tl)
        and not settings.verify
        and abs(encoded.gain_db - gain) <= SPECULATION_TOLERANCE_DB
        and encoded.limit_db == limit
    ):
        os.replace(encoded.path, mp3)  # encoded beside it while the clips were made
        return
    attempts = _MAX_ATTEMPTS if settings.verify else 1
    for attempt in range(attempts):
        chain = loudness.mastering_filter(gain, limit, settings)
        start = done
        run_ffmpeg(
            [*pipe_in, "-af", chain, *loudness.encoder_args(settings), "-y", f"file:{mp3}"],
            stdin_chunks=_stitched(clips, tl, _span(report, start, 1 - start)),
            what=f"encoding {name}",
            output=name,
        )
        if attempt + 1 == attempts or integrated <= loudness.SILENCE_LUFS:
            break
        got = loudness.measure_file(mp3)
        peak = got.true_peak_dbtp if got.true_peak_dbtp is not None else settings.true_peak_dbtp
        off = settings.target - got.integrated_lufs
        if abs(off) <= _VERIFY_TOLERANCE_LU and peak <= settings.true_peak_dbtp:
            break
        gain += off
        if peak > settings.true_peak_dbtp:
            limit -= peak - settings.true_peak_dbtp + 0.3


@dataclass(frozen=True)
class Measurement:
    """The integrated loudness and peak profile of a stitched timeline, measured."""

    rate: int
    total_frames: int
    integrated_lufs: float
    profile: loudness.PeakProfile

    def fits(self, tl: Timeline) -> bool:
        """Whether this is the measurement of `tl`'s audio (the same rate and length)."""
        return self.rate == tl.rate and self.total_frames == tl.total_frames


class _Feed:
    """Clips, in script order as they are made, streamed with their pauses into one
    ffmpeg run on a thread (so ffmpeg works on the other core while synthesis goes on).

    The first clip fixes the sample rate; a clip at another rate (the timeline will be
    resampled) or of a length other than its record makes the feed unusable, and what
    it made is then not used. Used as a context manager: ffmpeg and the thread are
    always wound down, also when synthesis fails or is interrupted.
    """

    def __init__(self) -> None:
        self.rate = 0
        self.frames = 0
        self._usable = True
        self._chunks: queue.Queue[bytes | int | None] = queue.Queue(maxsize=_QUEUE_CHUNKS)
        self._stderr: str | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        err: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close()

    def add(self, clip: Clip, pcm: bytes) -> None:
        """The next clip, with its mono s16le samples, and the pause after it."""
        if not self._usable or self._closed:
            return
        if self._thread is None:
            self.rate = clip.sample_rate
            self._thread = threading.Thread(
                target=self._work, name="pressaudio-ffmpeg", daemon=True
            )
            self._thread.start()
        if clip.sample_rate != self.rate or len(pcm) != clip.frames * SAMPLE_WIDTH:
            self._usable = False
            return
        gap = _rescale(max(clip.utterance.pause_after_ms, 0), 1000, self.rate)
        self.frames += clip.frames + gap
        for item in (pcm, gap):
            if self._error is not None:
                self._usable = False
                return
            self._chunks.put(item)

    def _finished(self) -> str | None:
        """ffmpeg's stderr once everything added has gone through; None if unusable."""
        self._close()
        if self._error is not None or not self._usable:
            return None
        return self._stderr

    def _args(self) -> list[str]:
        raise NotImplementedError

    def _tap(self, pcm: bytes | None, gap: int) -> None:
        """Each clip's samples (or, with None, a pause of `gap` frames) on its way."""

    def _work(self) -> None:
        def chunks() -> Iterator[bytes]:
            while (item := self._chunks.get()) is not None:
                if isinstance(item, bytes):
                    self._tap(item, 0)
                    yield item
                    continue
                self._tap(None, item)
                while item > 0:
                    step = min(item, _SILENCE_CHUNK)
                    yield bytes(step * SAMPLE_WIDTH)
                    item -= step

        try:
            self._stderr = run_ffmpeg(
                self._args(), stdin_chunks=chunks(), what="processing the speech as it is made"
            )
        except BaseException as err:  # the feed is then unusable
            self._error = err
            while self._chunks.get() is not None:  # let add() finish without blocking
                pass

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._chunks.put(None)
            self._thread.join()


class LiveMeasurement(_Feed):
    """The measuring pass, run while the clips are being made.

    `add(clip, pcm)` takes each clip, in script order, with its samples as it is made (the
    `on_clip` of `synth.synthesize`); its samples and the pause after it go to ffmpeg's
    `ebur128` and through the peak profile exactly as `assemble`'s own measuring pass
    streams them, so the result is the same measurement. Meanwhile (with `calibrate`)
    the MP3 encoder is calibrated (`loudness.codec_gain_db`). `result()` waits for the
    measurement; it is None when the clips do not share one sample rate (`assemble`
    then measures after resampling, as before) or when the measuring failed.
    """

    def __init__(self, settings: AudioSettings, *, calibrate: bool = True) -> None:
        super().__init__()
        self._settings = settings
        self._profile: loudness.PeakProfile | None = None
        self._warm = threading.Thread(
            target=self._warm_up, name="pressaudio-calibrate", daemon=True
        )
        if calibrate:
            self._warm.start()

    def calibrated(self) -> None:
        """Wait for the encoder's calibration (so that nothing runs it twice)."""
        if self._warm.ident is not None:
            self._warm.join()

    def result(self) -> Measurement | None:
        """The measurement of everything added; None if unusable or if it failed (then
        `assemble` measures again itself, and reports what fails there)."""
        stderr = self._finished()
        if stderr is None or self._profile is None:
            return None
        integrated = loudness.parse_ebur128(stderr).integrated_lufs
        return Measurement(self.rate, self.frames, integrated, self._profile)

    def _warm_up(self) -> None:
        with contextlib.suppress(Exception):  # assemble runs it again and reports the error
            loudness.codec_gain_db(self._settings)

    def _args(self) -> list[str]:
        self._profile = loudness.PeakProfile(self.rate)
        return [
            *pcm_input_args(self.rate),
            "-af", loudness.ebur128_filter(true_peak=False),
            "-f", "null", "-",
        ]  # fmt: skip

    def _tap(self, pcm: bytes | None, gap: int) -> None:
        assert self._profile is not None
        if pcm is not None:
            self._profile.add(pcm)
        else:
            self._profile.gap(gap)  # as _stitched() streams a pause

    def _close(self) -> None:
        super()._close()
        self.calibrated()


@dataclass(frozen=True)
class Encoded:
    """An MP3 of a stitched timeline, encoded at `gain_db` with the limiter at `limit_db`."""

    path: Path
    rate: int
    total_frames: int
    gain_db: float
    limit_db: float

    def fits(self, tl: Timeline) -> bool:
        return self.rate == tl.rate and self.total_frames == tl.total_frames


def estimated_gain(estimate: Measurement, settings: AudioSettings) -> tuple[float, float]:
    """(gain, limiter ceiling) in dB for speech measured as `estimate`, as `assemble`
    sets them from its measuring pass (before any measurement of the limited signal)."""
    limit = loudness.limiter_ceiling_db(settings)
    base = loudness.gain_for(estimate.integrated_lufs, settings)
    return loudness.makeup_gain(base, estimate.profile, limit).gain_db, limit


class SpeculativeEncoding(_Feed):
    """The MP3 encoded while the clips are still being made, at a gain estimated
    beforehand (from a sample of the clips: `estimate`), into a hidden file beside
    `out_mp3`. `assemble` adopts it when the gain it sets from the whole measurement is
    within SPECULATION_TOLERANCE_DB of this one, and encodes again otherwise. The file
    is removed on leaving the context unless it was adopted (moved into place).
    """

    def __init__(self, out_mp3: Path, settings: AudioSettings, estimate: Measurement) -> None:
        super().__init__()
        self._settings = settings
        self.gain_db, self.limit_db = estimated_gain(estimate, settings)
        self.path = temp_path(out_mp3)  # hidden, and cleaned up if a killed run left it

    def result(self) -> Encoded | None:
        """The MP3 of everything added; None if unusable or if the encoding failed."""
        if self._finished() is None:
            return None
        return Encoded(self.path, self.rate, self.frames, self.gain_db, self.limit_db)

    def _args(self) -> list[str]:
        chain = loudness.mastering_filter(self.gain_db, self.limit_db, self._settings)
        return [
            *pcm_input_args(self.rate), "-af", chain,
            *loudness.encoder_args(self._settings), "-y", f"file:{self.path}",
        ]  # fmt: skip

    def __exit__(
        self,
        kind: type[BaseException] | None,
        err: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close()
        self.path.unlink(missing_ok=True)


def _span(report: Progress, start: float, share: float) -> Progress:
    """Progress of one pass, reported as its share of the whole, from `start`."""
    return lambda fraction: report(start + share * fraction)


def _stitched(
    clips: Sequence[Clip],
    tl: Timeline,
    progress: Progress,
    *,
    tap: loudness.PeakProfile | None = None,
) -> Iterator[bytes]:
    """The episode's PCM, clip by clip and pause by pause (never the whole at once)."""
    done = 0
    total = max(tl.total_frames, 1)
    for clip, n, gap in zip(clips, tl.lengths, tl.pauses, strict=True):
        pcm = read_clip(clip.wav, clip.sample_rate, clip.frames, rate=tl.rate, out_frames=n)
        if tap is not None:
            tap.add(pcm)
            tap.gap(gap)
        yield pcm
        left = gap
        while left > 0:
            step = min(left, _SILENCE_CHUNK)
            yield bytes(step * SAMPLE_WIDTH)
            left -= step
        done += n + gap
        progress(min(done / total, 1.0))


def _write_text(path: Path, text: str, *, name: Path) -> None:
    """Write `path` (the temporary for `name`)."""
    with writing(name, AudioError), open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
