"""One transcript in, one episode out: load -> plan -> synthesize -> assemble."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path

from pressaudio.audio.assemble import assemble
from pressaudio.audio.loudness import calibrate_meanwhile
from pressaudio.audio.settings import AudioSettings, EpisodeMeta
from pressaudio.errors import AudioError, SourceError
from pressaudio.model import Casting, Episode, Transcript, VoiceProfile
from pressaudio.speech.lexicon import load_lexicon
from pressaudio.speech.script import plan
from pressaudio.speech.synth import synthesize_lazily
from pressaudio.speech.voices import cast, load_voices
from pressaudio.transcript import load

Progress = Callable[[str, float], None]  # (phase, fraction done 0..1)
BOOK_ID_BASE = "https://pressaudio.invalid/book/"


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
    extras: tuple[Path, ...] = ()  # the files written beside the MP3 and its captions


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
    total = max(len(script.utterances), 1)
    calibrate_meanwhile(options.audio)  # the encoder's level, measured while speech is made
    clips = synthesize_lazily(  # made as assemble() measures their loudness
        script.utterances,
        cache_dir=options.cache_dir,
        on_progress=lambda done: report("speech", done / total),
    )
    meta = EpisodeMeta(
        title=script.title,
        artist=options.publisher,
        album=options.podcast,
        date=transcript.held_at.isoformat() if transcript.held_at else "",
        comment=f"Synthetic-voice reading of {transcript.source}",
    )
    episode = assemble(
        clips, script, out_mp3, meta, options.audio, on_progress=lambda f: report("audio", f)
    )
    extras = _write_extras(episode, transcript, options)
    return RenderResult(transcript=transcript, episode=episode, extras=extras)


def _write_extras(
    episode: Episode, transcript: Transcript, options: RenderOptions
) -> tuple[Path, ...]:
    """OUT.transcript.json, and the talking books asked for, from the finished episode;
    returns the paths written."""
    from pressaudio.audio.captions import transcript_json, transcript_json_path
    from pressaudio.books import daisy_path, epub_path
    from pressaudio.books.package import BookMeta, write_text

    written = [transcript_json_path(episode.mp3)]
    write_text(written[0], transcript_json(episode.cues))
    if not (options.epub or options.daisy):
        return tuple(written)
    meta = BookMeta(
        identifier=book_identifier(transcript.source),
        language=options.language,
        publisher=options.publisher,
    )
    if options.epub:
        from pressaudio.books.epub import write_epub

        written.append(epub_path(episode.mp3))
        write_epub(episode, transcript, written[-1], meta)
    if options.daisy:
        from pressaudio.books.daisy import write_daisy

        written.append(daisy_path(episode.mp3))
        write_daisy(episode, transcript, written[-1], meta)
    return tuple(written)


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
