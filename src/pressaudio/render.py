"""One transcript in, one episode out: load -> plan -> synthesize -> assemble."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path

from pressaudio.audio.assemble import LiveMeasurement, SpeculativeEncoding, assemble
from pressaudio.audio.settings import AudioSettings, EpisodeMeta
from pressaudio.errors import AudioError, SourceError
from pressaudio.model import Casting, Clip, Episode, Transcript, Utterance, VoiceProfile
from pressaudio.speech.lexicon import load_lexicon
from pressaudio.speech.script import plan
from pressaudio.speech.synth import synthesize
from pressaudio.speech.voices import cast, load_voices
from pressaudio.transcript import load

Progress = Callable[[str, float], None]  # (phase, fraction done 0..1)
BOOK_ID_BASE = "https://pressaudio.invalid/book/"
SAMPLE_EVERY = 3  # the clips that set the speculative encoder's gain: every third...
SPECULATE_FROM = 12  # ...in a script of at least this many utterances


@dataclass(frozen=True)
class RenderOptions:
    voices_dir: Path | None = None  # None: ./voices if present, else the bundled defaults
    engine: str | None = None  # its profile set (voices/piper/) if any; else overrides profiles
    rate: int | None = None  # overrides every profile's words per minute
    cache_dir: Path | None = None  # None: no cache (private temporary folder)
    default_tz: tzinfo | None = None
    publisher: str = "pressaudio"
    podcast: str = "pressaudio"
    audio: AudioSettings = field(default_factory=AudioSettings)
    epub: bool = False  # also write OUT.epub (EPUB 3 with Media Overlays)
    daisy: bool = False  # also write OUT.daisy.zip (DAISY 2.02)
    language: str = "en"  # the books' language


@dataclass(frozen=True)
class RenderResult:
    transcript: Transcript
    episode: Episode


def render(
    source: str,
    out_mp3: Path,
    options: RenderOptions,
    *,
    on_progress: Progress | None = None,
    transcript: Transcript | None = None,
) -> RenderResult:
    """Render `source` into `out_mp3` with its .chapters.json, .vtt, .srt and
    .transcript.json beside it (and .epub, .daisy.zip if `options` ask for them).

    `on_progress(phase, fraction)` reports "speech" then "audio", each from 0 to 1.
    A `transcript` already parsed from `source` may be passed to skip reading it again.
    """
    report = on_progress or (lambda phase, fraction: None)
    with contextlib.ExitStack() as stack:
        # The MP3 encoder is calibrated, and the loudness measured as the clips are made,
        # on the other core, so no measuring pass is left for after the synthesis.
        live = stack.enter_context(LiveMeasurement(options.audio))
        if transcript is None:
            transcript = load(source, default_tz=options.default_tz)
        if not transcript.turns:
            raise SourceError("no speech found in the transcript", source=transcript.source)
        try:
            out_mp3.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise AudioError(
                f"cannot create the output folder: {err.strerror}", source=str(out_mp3.parent)
            ) from None
        voices = load_voices(options.voices_dir, engine=options.engine)
        casting = _override(cast(transcript, voices), options)
        script = plan(transcript, casting, load_lexicon(options.voices_dir))
        folder = options.cache_dir
        if folder is None:  # no cache: this render's own folder, removed at the end
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pressaudio-")))
        encoding = _speculate(
            script.utterances, folder, out_mp3, options.audio, stack, live.calibrated
        )
        total = max(len(script.utterances), 1)

        def made(clip: Clip, pcm: bytes) -> None:
            live.add(clip, pcm)
            if encoding is not None:
                encoding.add(clip, pcm)

        clips = synthesize(
            script.utterances,
            cache_dir=folder,
            on_progress=lambda done: report("speech", done / total),
            on_clip=made,
        )
        measured = live.result()
        encoded = encoding.result() if encoding is not None else None
        meta = EpisodeMeta(
            title=script.title,
            artist=options.publisher,
            album=options.podcast,
            date=transcript.held_at.isoformat() if transcript.held_at else "",
            comment=f"Synthetic-voice reading of {transcript.source}",
        )
        episode = assemble(
            clips,
            script,
            out_mp3,
            meta,
            options.audio,
            on_progress=lambda f: report("audio", f),
            measured=measured,
            encoded=encoded,
        )
    _write_extras(episode, transcript, options)
    return RenderResult(transcript=transcript, episode=episode)


def _speculate(
    utterances: Sequence[Utterance],
    folder: Path,
    out_mp3: Path,
    settings: AudioSettings,
    stack: contextlib.ExitStack,
    calibrated: Callable[[], None],
) -> SpeculativeEncoding | None:
    """Start encoding at a gain estimated from every SAMPLE_EVERY-th clip, made first.

    The encoder then runs on the other core while the rest is made; `assemble` keeps
    its MP3 only if the whole measurement sets (nearly) the same gain. On eSpeak NG and
    Piper briefings such a sample is within 0.1-0.2 LU of the whole. Not for a short
    script (the sample would be most of it) or when `verify` re-measures the MP3 anyway.
    """
    if len(utterances) < SPECULATE_FROM or settings.verify:
        return None
    sample = utterances[1::SAMPLE_EVERY]
    with LiveMeasurement(settings, calibrate=False) as probe:
        synthesize(sample, cache_dir=folder, on_clip=probe.add)
        estimate = probe.result()
    if estimate is None:
        return None
    calibrated()  # the gain needs the encoder's calibration, made meanwhile
    # (if ffmpeg cannot write beside the output, assemble encodes again and reports it)
    return stack.enter_context(SpeculativeEncoding(out_mp3, settings, estimate))


def _write_extras(episode: Episode, transcript: Transcript, options: RenderOptions) -> None:
    """OUT.transcript.json, and the talking books asked for, from the finished episode."""
    from pressaudio.audio.captions import transcript_json, transcript_json_path
    from pressaudio.books import daisy_path, epub_path
    from pressaudio.books.package import BookMeta, write_text

    write_text(transcript_json_path(episode.mp3), transcript_json(episode.cues))
    if not (options.epub or options.daisy):
        return
    meta = BookMeta(
        identifier=book_identifier(transcript.source),
        language=options.language,
        publisher=options.publisher,
    )
    if options.epub:
        from pressaudio.books.epub import write_epub

        write_epub(episode, transcript, epub_path(episode.mp3), meta)
    if options.daisy:
        from pressaudio.books.daisy import write_daisy

        write_daisy(episode, transcript, daisy_path(episode.mp3), meta)


def book_identifier(source: str) -> str:
    """A book's dc:identifier from its source's name (as episode guids are), as a URN."""
    import uuid

    name = source.replace("\\", "/").rsplit("/", 1)[-1] or source
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, BOOK_ID_BASE + name))


def _override(casting: Casting, options: RenderOptions) -> Casting:
    def fix(p: VoiceProfile) -> VoiceProfile:
        if options.engine is not None:
            p = replace(p, engine=options.engine)
        if options.rate is not None:
            p = replace(p, rate=options.rate)
        return p

    return Casting(
        narrator=fix(casting.narrator),
        speakers=tuple((key, fix(p)) for key, p in casting.speakers),
    )
