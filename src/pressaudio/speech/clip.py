"""What every engine's audio goes through: one trimmer and one plausibility check.

The trimmer finds the speech by the RMS level of short frames, never by single samples
(a lone sample on the threshold moves the cut by tens of milliseconds between two
syntheses of the same word when a voice adds random breath noise):

- the speech core runs from the first to the last frame within ONSET_DB of the clip's
  loudest frame;
- from there each end is followed outwards while frames stay above the lower RELEASE_DB
  (dips shorter than HANGOVER_MS are bridged), so the decaying tail of a final vowel or
  fricative is kept, and the cut falls where the level has gone for good;
- EDGE_MS of silence is kept before and after; where the engine's buffer has less, digital
  silence is added, so every clip starts and ends with the same margin.

Frames quieter than SILENCE_DBFS are silence whatever the clip's level. No numpy (the main
install has none): 16-bit PCM frames are measured by the standard library's `audioop`
(`audioop-lts` from Python 3.13), float samples in plain Python; an engine that holds its
audio in numpy measures its own frames (`frame_length`) and passes the levels to
`span_of_levels`, so every engine is cut by the same rule.

The plausibility check compares a clip's length with the time its words take at the
profile's rate (numbers read digit by digit and capitals spelled at the most).
"""

from __future__ import annotations

import math
import operator
import re
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

with warnings.catch_warnings():  # deprecated in 3.11-3.12, where it is still the stdlib's
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

from pressaudio.errors import SynthesisError
from pressaudio.model import VoiceProfile

FRAME_MS = 5  # length of one RMS frame
EDGE_MS = 20  # silence kept before and after the speech of every clip
ONSET_DB = -40.0  # a frame this close to the loudest frame is speech
RELEASE_DB = -60.0  # the speech goes on, at each end, while frames stay above this
HANGOVER_MS = 50  # a dip below RELEASE_DB shorter than this does not end the speech
SILENCE_DBFS = -70.0  # a frame quieter than this (below full scale) is silence
S16_FULL_SCALE = 32768.0


@dataclass(frozen=True)
class Span:
    """The kept part of a clip: samples[start:stop] with `lead` and `tail` zero samples added."""

    start: int
    stop: int
    lead: int
    tail: int

    @property
    def length(self) -> int:
        return self.lead + (self.stop - self.start) + self.tail


def speech_span(samples: Sequence[float], sample_rate: int, *, full_scale: float) -> Span | None:
    """Where the speech in mono `samples` is, with EDGE_MS either side; None if silent.

    `full_scale` is the level of a full-scale sample (32768 for 16-bit PCM, 1.0 for float
    audio). Non-finite samples count as no audio.
    """
    frame = frame_length(sample_rate)
    return span_of_levels(_frame_rms(samples, frame), len(samples), sample_rate, full_scale)


def frame_length(sample_rate: int) -> int:
    """Samples in one FRAME_MS frame at `sample_rate`."""
    return max(1, sample_rate * FRAME_MS // 1000)


def span_of_levels(
    levels: Sequence[float], count: int, sample_rate: int, full_scale: float
) -> Span | None:
    """speech_span() from the RMS `levels` of the `frame_length` frames of `count` samples
    (the last frame may be shorter: its RMS over the samples it has)."""
    frame = frame_length(sample_rate)
    if not levels or not all(math.isfinite(level) for level in levels):
        return None
    loudest = max(levels)
    floor = full_scale * _ratio(SILENCE_DBFS)
    if loudest <= floor:
        return None
    onset = max(floor, loudest * _ratio(ONSET_DB))
    release = max(floor, loudest * _ratio(RELEASE_DB))
    loud = [i for i, level in enumerate(levels) if level >= onset]
    hangover = max(1, HANGOVER_MS // FRAME_MS)
    first = _follow(levels, loud[0], -1, release, hangover)
    last = _follow(levels, loud[-1], 1, release, hangover)
    edge = sample_rate * EDGE_MS // 1000
    begin = first * frame  # the speech: samples[begin:end]
    end = min(count, (last + 1) * frame)
    start = max(0, begin - edge)
    stop = min(count, end + edge)
    return Span(start=start, stop=stop, lead=edge - (begin - start), tail=edge - (stop - end))


def trim(pcm: bytes, sample_rate: int) -> bytes:
    """Mono s16le `pcm` cut to its speech with EDGE_MS of silence each side; b"" if silent."""
    pcm = pcm[: len(pcm) - len(pcm) % 2]
    native = pcm if sys.byteorder == "little" else audioop.byteswap(pcm, 2)
    step = 2 * frame_length(sample_rate)
    levels = [float(audioop.rms(native[i : i + step], 2)) for i in range(0, len(native), step)]
    span = span_of_levels(levels, len(pcm) // 2, sample_rate, S16_FULL_SCALE)
    if span is None:
        return b""
    return bytes(2 * span.lead) + pcm[2 * span.start : 2 * span.stop] + bytes(2 * span.tail)


def _frame_rms(samples: Sequence[float], frame: int) -> list[float]:
    levels: list[float] = []
    for i in range(0, len(samples), frame):
        chunk = samples[i : i + frame]
        levels.append(math.sqrt(sum(map(operator.mul, chunk, chunk)) / len(chunk)))
    return levels


def _follow(levels: Sequence[float], index: int, step: int, release: float, hangover: int) -> int:
    """From the speech frame `index`, the last frame in direction `step` before the level
    stays at or below `release` for `hangover` frames (or the clip ends)."""
    last = index
    i = index + step
    while 0 <= i < len(levels) and abs(i - last) <= hangover:
        if levels[i] > release:
            last = i
        i += step
    return last


def _ratio(db: float) -> float:
    return float(10.0 ** (db / 20.0))


# --- plausibility ----------------------------------------------------------------------------

_TOKEN = re.compile(r"\[\[.*?\]\]|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def speakable(text: str) -> bool:
    """Whether `text` has anything an engine can say (a word, a number, [[phonemes]])."""
    return _TOKEN.search(text) is not None


def plausible_duration_s(text: str, rate_wpm: int) -> tuple[float, float]:
    """The (shortest, longest) plausible duration of `text` spoken at `rate_wpm`.

    Lower bound: a quarter of the time its words take at that rate. Upper bound: four
    times the time its words take if every number is read digit by digit and every
    all-capital word is spelled, plus a second for pauses. (0, 0) if nothing is speakable.
    """
    low_words = 0.0
    high_words = 0.0
    for token in _TOKEN.findall(text):
        low_words += 1
        if token.startswith("[["):
            high_words += max(1, len(token) // 4)
        elif any(ch.isdigit() for ch in token):
            high_words += 2 * sum(ch.isalnum() for ch in token)
        elif token.isupper() and len(token) > 1:
            high_words += len(token)
        else:
            high_words += max(1.0, len(token) / 6)
    if low_words == 0:
        return (0.0, 0.0)
    seconds_per_word = 60.0 / max(rate_wpm, 1)
    return (0.25 * low_words * seconds_per_word, 4.0 * high_words * seconds_per_word + 1.0)


def problem(text: str, rate_wpm: int, pcm: bytes, sample_rate: int) -> str:
    """Why mono s16le `pcm` cannot be `text` spoken at `rate_wpm`; "" when it can."""
    if not pcm:
        return "no audio"
    seconds = len(pcm) / 2 / sample_rate
    lo, hi = plausible_duration_s(text, rate_wpm)
    if not lo <= seconds <= hi:
        return f"{seconds:.2f} s of audio, expected {lo:.2f}-{hi:.2f} s at {rate_wpm} wpm"
    return ""


def check(text: str, profile: VoiceProfile, pcm: bytes, sample_rate: int) -> None:
    """Raise SynthesisError, naming the profile's file, unless `pcm` can be `text` spoken."""
    why = problem(text, profile.rate, pcm, sample_rate)
    if why:
        preview = text if len(text) <= 60 else text[:57] + "..."
        source = str(profile.path) if profile.path is not None else None
        raise SynthesisError(
            f"implausible audio from the {profile.engine} engine for {preview!r}: {why}",
            source=source,
        )
