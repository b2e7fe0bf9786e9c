"""Stitch the clips of one script into the episode: MP3 with ID3 chapters, and sidecars.

    assemble(clips, script, out_mp3, meta, settings) -> Episode

1. Plan the timeline in sample frames at one stitching rate (the rate most of the clips
   already have; the others are resampled to it, with their length fixed in advance), so
   every utterance's start and end is known exactly, in ms, before any audio is encoded.
2. Measure: stream the clips and their pauses (generated silence) into ffmpeg's `ebur128`,
   profiling their peaks on the way (loudness.PeakProfile), so the gain also makes up
   for what the limiter will take. The clips may still be being made (an iterator, as
   synthesis yields them): each is measured as it arrives, ffmpeg on another core, so
   the encoding starts as soon as the last clip is made. Only for peaky speech, where
   the limiter would take over 1 dB, is the gained and limited signal measured once or
   twice more (no encoding) to correct it.
3. Encode: stream them again into ffmpeg, which applies one gain, resamples to the output
   rate, limits the peaks and encodes the MP3 (see loudness.py). Nothing is ever held
   whole in memory: one clip at a time goes down a pipe.
4. Tag the MP3 (ID3v2 chapters, tags.py) and write OUT.chapters.json, OUT.vtt, OUT.srt.

Every output is first written to a temporary file in its own folder and renamed into
place only when all four are complete (files.AtomicOutputs); on any failure or
interruption the temporary files are removed and no output path holds a partial file.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pressaudio.audio import captions, loudness, mp3join
from pressaudio.audio.ffmpeg import FfmpegRun, pcm_input_args, run_ffmpeg, run_ffmpeg_all
from pressaudio.audio.pcm import SAMPLE_WIDTH, read_clip
from pressaudio.audio.settings import AudioSettings, EpisodeMeta
from pressaudio.audio.tags import write_tags
from pressaudio.errors import AudioError
from pressaudio.files import AtomicOutputs, disk_full, writing
from pressaudio.model import ChapterMark, Clip, Cue, Episode, Script

__all__ = ["AudioSettings", "EpisodeMeta", "Timeline", "assemble", "plan_timeline", "sidecar_paths"]

Progress = Callable[[float], None]
Span = tuple[int, int]  # first frame, end frame
_SILENCE_CHUNK = 65536  # frames of silence per write
_MEASURE_SHARE = 0.2  # share of the progress bar for the measuring pass
_CHECK_SHARE = 0.1  # ... and for each measurement of the limited signal (peaky speech)
_MAX_CHECKS = 2  # measurements of the limited signal, at most
_CHECK_TOLERANCE_LU = 0.2  # a limited signal this close to the target is not corrected
_VERIFY_TOLERANCE_LU = 0.5
_MAX_ATTEMPTS = 3
_SPLIT_MIN_SECONDS = 20  # shorter episodes are encoded in one go
_SPLIT_MARGIN_MS = 20  # speech this near a cut would be touched by the resampler's filter


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


@dataclass(frozen=True)
class _Level:
    """The measured loudness of the stitched clips at `rate`, and their peak profile."""

    rate: int
    integrated_lufs: float
    profile: loudness.PeakProfile


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
    clips: Iterable[Clip],
    script: Script,
    out_mp3: Path,
    meta: EpisodeMeta,
    settings: AudioSettings = AudioSettings(),  # noqa: B008 (frozen, so a safe default)
    *,
    on_progress: Progress | None = None,
) -> Episode:
    """Write OUT.mp3 (+ OUT.chapters.json, OUT.vtt, OUT.srt) and describe the episode.

    The i-th clip is the audio of `script.utterances[i]`; `clips` may be an iterator that
    makes them (synthesis), whose errors then pass through. `on_progress` is called with
    the fraction done (0..1). Raises AudioError (naming the file) for unreadable clips, an
    unwritable output folder or an ffmpeg failure; no output is then left behind.
    """
    out_mp3 = Path(out_mp3)
    json_path, vtt_path, srt_path = sidecar_paths(out_mp3)
    report = on_progress or (lambda fraction: None)
    # The MP3 last: the sidecars never outlive it.
    with AtomicOutputs([json_path, vtt_path, srt_path, out_mp3], error=AudioError) as tmp:
        made, level = _measure_as_made(clips, script, name=out_mp3)
        tl = plan_timeline(made, script)
        if level is None or level.rate != tl.rate:  # clips at several rates: measure again
            level = _measure(made, tl, report, name=out_mp3)
        report(_MEASURE_SHARE)
        _encode(made, tl, level, tmp[out_mp3], settings, report, name=out_mp3)
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


def _measure_as_made(
    clips: Iterable[Clip], script: Script, *, name: Path
) -> tuple[list[Clip], _Level | None]:
    """Every clip, and the loudness of their stitching measured as each one arrives, at the
    first clip's rate (None: no clips, or some at another rate, to be measured again)."""
    made: list[Clip] = []
    coming = iter(clips)
    first = next(coming, None)
    if first is None:
        return made, None
    rate = first.sample_rate
    profile = loudness.PeakProfile(rate)
    one_rate = True

    def stitched() -> Iterator[bytes]:
        nonlocal one_rate
        for i, clip in enumerate(itertools.chain([first], coming)):
            made.append(clip)
            one_rate = one_rate and clip.sample_rate == rate
            if not one_rate:
                continue  # made all the same; measured at the stitching rate afterwards
            pause_ms = script.utterances[i].pause_after_ms if i < len(script.utterances) else 0
            gap = _rescale(max(pause_ms, 0), 1000, rate)
            pcm = read_clip(clip.wav, rate, clip.frames, rate=rate, out_frames=clip.frames)
            profile.add(pcm)
            profile.gap(gap)
            yield pcm
            yield from _silence(gap)

    stderr = _run_measuring(rate, stitched(), name=name)
    if not one_rate:
        return made, None
    return made, _Level(rate, loudness.parse_ebur128(stderr).integrated_lufs, profile)


def _measure(clips: Sequence[Clip], tl: Timeline, report: Progress, *, name: Path) -> _Level:
    """The loudness of the stitched clips at the timeline's rate, and their peak profile."""
    profile = loudness.PeakProfile(tl.rate)
    chunks = _stitched(clips, tl, lambda f: report(_MEASURE_SHARE * f), tap=profile)
    stderr = _run_measuring(tl.rate, chunks, name=name)
    return _Level(tl.rate, loudness.parse_ebur128(stderr).integrated_lufs, profile)


def _run_measuring(rate: int, chunks: Iterable[bytes], *, name: Path) -> str:
    """ffmpeg's `ebur128` report on the PCM `chunks` at `rate`."""
    return run_ffmpeg(
        [*pcm_input_args(rate), "-af", loudness.ebur128_filter(true_peak=False), "-f", "null",
         "-"],
        stdin_chunks=chunks,
        what=f"measuring the loudness of {name}",
    )  # fmt: skip


def _encode(
    clips: Sequence[Clip],
    tl: Timeline,
    level: _Level,
    mp3: Path,
    settings: AudioSettings,
    report: Progress,
    *,
    name: Path,
) -> None:
    """Encode into `mp3` (a temporary file for `name`) at the target, from the `level` measured.

    The measurement profiled the peaks, so the gain includes what the limiter will take.
    Only where that is more than CHECK_ABOVE_DB (peaky speech) is the gained and limited
    signal measured again before encoding (at most _MAX_CHECKS times).
    """
    pipe_in = pcm_input_args(tl.rate)
    measured, profile = level.integrated_lufs, level.profile
    limit = loudness.limiter_ceiling_db(settings)
    base = loudness.gain_for(measured, settings)
    makeup = loudness.makeup_gain(base, profile, limit)
    gain, offset, done = makeup.gain_db, 0.0, _MEASURE_SHARE
    checks = 0
    while (
        measured > loudness.SILENCE_LUFS
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
    attempts = _MAX_ATTEMPTS if settings.verify else 1
    split = _split_point(tl, settings)
    for attempt in range(attempts):
        chain = loudness.mastering_filter(gain, limit, settings)
        encode = [*pipe_in, "-af", chain, *loudness.encoder_args(settings), "-y"]
        progress = _span(report, done, 1 - done)
        if split is None:
            _encode_whole(clips, tl, encode, mp3, progress, name=name)
        else:
            _encode_halves(clips, tl, split, encode, mp3, progress, name=name)
        if attempt + 1 == attempts or measured <= loudness.SILENCE_LUFS:
            break
        got = loudness.measure_file(mp3)
        peak = got.true_peak_dbtp if got.true_peak_dbtp is not None else settings.true_peak_dbtp
        off = settings.target - got.integrated_lufs
        if abs(off) <= _VERIFY_TOLERANCE_LU and peak <= settings.true_peak_dbtp:
            break
        gain += off
        if peak > settings.true_peak_dbtp:
            limit -= peak - settings.true_peak_dbtp + 0.3


def _span(report: Progress, start: float, share: float) -> Progress:
    """Progress of one pass, reported as its share of the whole, from `start`."""
    return lambda fraction: report(start + share * fraction)


def _stitched(
    clips: Sequence[Clip],
    tl: Timeline,
    progress: Progress,
    *,
    tap: loudness.PeakProfile | None = None,
    span: Span | None = None,
) -> Iterator[bytes]:
    """The episode's PCM, clip by clip and pause by pause (never the whole at once).

    With `span` (first frame, end frame), only that part of it: a span starts and ends
    inside pauses (see `_split_point`).
    """
    first, end = span or (0, tl.total_frames)
    done = 0
    total = max(end - first, 1)
    for clip, start, n, gap in zip(clips, tl.starts, tl.lengths, tl.pauses, strict=True):
        silence = (max(start + n, first), min(start + n + gap, end))
        if first <= start < end:
            pcm = read_clip(clip.wav, clip.sample_rate, clip.frames, rate=tl.rate, out_frames=n)
            if tap is not None:
                tap.add(pcm)
                tap.gap(gap)
            yield pcm
            done += n
        left = silence[1] - silence[0]
        done += max(left, 0)
        yield from _silence(left)
        progress(min(done / total, 1.0))


def _silence(frames: int) -> Iterator[bytes]:
    """`frames` of silence, in chunks."""
    while frames > 0:
        step = min(frames, _SILENCE_CHUNK)
        yield bytes(step * SAMPLE_WIDTH)
        frames -= step


def _split_point(tl: Timeline, settings: AudioSettings) -> tuple[Span, Span] | None:
    """The two halves of the episode to encode at once, on two cores (None: don't split).

    The cut is a frame inside the pause nearest the middle where a new MP3 frame can begin
    (a whole number of MP3 frames from the start). The first half leaves out the
    mp3join.gap_samples() before it: the join puts that much coded silence back.
    """
    out_rate = settings.sample_rate
    step, uneven = divmod(mp3join.FRAME_SAMPLES * tl.rate, out_rate)
    gap, gap_uneven = divmod(mp3join.gap_samples() * tl.rate, out_rate)
    margin = tl.rate * _SPLIT_MARGIN_MS // 1000
    if (
        _cores() < 2
        or out_rate not in mp3join.SAMPLE_RATES
        or uneven
        or gap_uneven
        or tl.total_frames < tl.rate * _SPLIT_MIN_SECONDS
    ):
        return None
    middle = tl.total_frames // 2
    best: int | None = None
    for start, n, pause in zip(tl.starts, tl.lengths, tl.pauses, strict=True):
        lo, hi = start + n + gap + margin, start + n + pause - margin  # the cut's range
        cut = -(-min(max(middle, lo), hi) // step) * step  # rounded up to a frame boundary
        if cut <= hi and (best is None or abs(cut - middle) < abs(best - middle)):
            best = cut
    return None if best is None else ((0, best - gap), (best, tl.total_frames))


def _cores() -> int:
    """CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _encode_whole(
    clips: Sequence[Clip],
    tl: Timeline,
    encode: Sequence[str],
    mp3: Path,
    progress: Progress,
    *,
    name: Path,
) -> None:
    """Encode the episode into `mp3` in one run of ffmpeg."""
    run_ffmpeg(
        [*encode, f"file:{mp3}"],
        stdin_chunks=_stitched(clips, tl, progress),
        what=f"encoding {name}",
        output=name,
    )


def _encode_halves(
    clips: Sequence[Clip],
    tl: Timeline,
    spans: tuple[Span, Span],
    encode: Sequence[str],
    mp3: Path,
    progress: Progress,
    *,
    name: Path,
) -> None:
    """Encode the two halves of the episode at once and join them into `mp3`."""
    halves = [mp3.with_name(f"{mp3.name}.{i}") for i in (1, 2)]
    runs = [
        FfmpegRun(
            [*encode, f"file:{half}"],
            _stitched(clips, tl, report, span=span),
            what=f"encoding {name}",
            output=name,
        )
        for half, span, report in zip(halves, spans, [progress, lambda f: None], strict=True)
    ]
    try:
        run_ffmpeg_all(runs)
        mp3join.join(halves, mp3)
    except mp3join.Misaligned:  # an encoder that pads otherwise: encode in one go
        _encode_whole(clips, tl, encode, mp3, progress, name=name)
    finally:
        for half in halves:
            half.unlink(missing_ok=True)


def _write_text(path: Path, text: str, *, name: Path) -> None:
    """Write `path` (the temporary for `name`)."""
    with writing(name, AudioError), open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
