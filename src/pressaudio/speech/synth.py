"""Utterances -> clips: synthesis through the engine registry, with a content-addressed cache.

Each clip is a mono 16-bit WAV named by the SHA-256 of everything that shapes its sound:
the engine's name and version, the profile's voice, rate, pitch, volume and options, and
the text. A second render of an unchanged transcript synthesises nothing; a changed voice
profile changes the key. Files are written to a temporary name and renamed into place, so
a concurrent or interrupted render never leaves a half-written clip under a key.

Engines hand back audio trimmed by `pressaudio.speech.clip`; every clip, whatever its
engine, passes the same plausibility check here before it is stored.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
import wave
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pressaudio.errors import SynthesisError
from pressaudio.model import Clip, Utterance, VoiceProfile
from pressaudio.speech.clip import check as check_audio
from pressaudio.speech.engines import Engine, get_engine

# Bump when the processing applied to an engine's audio changes (trimming, format).
# 2: speech/clip.py trims by RMS frames and keeps 20 ms margins for every engine.
CACHE_FORMAT = "pressaudio-clip-3"


def default_cache_dir() -> Path:
    """$PRESSAUDIO_CACHE_DIR, else the per-user cache folder (~/.cache/pressaudio on Linux)."""
    env = os.environ.get("PRESSAUDIO_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("pressaudio"))


def cache_key(engine: Engine, profile: VoiceProfile, text: str) -> str:
    """The SHA-256 hex digest naming the clip of `text` spoken in `profile` by `engine`."""
    material = [
        CACHE_FORMAT,
        engine.name,
        engine.version(),
        profile.voice,
        profile.rate,
        profile.pitch,
        round(profile.volume, 4),
        [list(option) for option in profile.options],
        text,
    ]
    blob = json.dumps(material, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def synthesize(
    utterances: Sequence[Utterance],
    *,
    cache_dir: Path | None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[Clip, ...]:
    """One clip per utterance, in order, from the cache where possible.

    `cache_dir` None means a private temporary folder, removed when the process exits
    (the --no-cache case). `on_progress(done)` is called after each utterance with the
    number of utterances finished so far (1..len(utterances)).
    """
    return tuple(synthesize_lazily(utterances, cache_dir=cache_dir, on_progress=on_progress))


def synthesize_lazily(
    utterances: Sequence[Utterance],
    *,
    cache_dir: Path | None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[Clip]:
    """`synthesize`, each clip made only when it is asked for: `assemble` measures the
    loudness of one clip while the engine speaks the next."""
    folder = cache_dir if cache_dir is not None else _private_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SynthesisError(
            f"cannot create the cache folder: {err.strerror}", source=str(folder)
        ) from None
    known: dict[str, tuple[Path, int, int]] = {}  # key -> (wav, sample_rate, frames)
    for done, utterance in enumerate(utterances, start=1):
        profile = utterance.voice
        engine = get_engine(profile.engine)
        key = cache_key(engine, profile, utterance.text)
        found = known.get(key)
        if found is None:
            wav = folder / key[:2] / f"{key}.wav"
            found = _read(wav)
            if found is None:
                audio = engine.synthesize(utterance.text, profile)
                check_audio(utterance.text, profile, audio.pcm, audio.sample_rate)
                found = _write(wav, audio.pcm, audio.sample_rate)
            known[key] = found
        yield Clip(utterance=utterance, wav=found[0], sample_rate=found[1], frames=found[2])
        if on_progress is not None:
            on_progress(done)


def read_pcm(clip: Clip) -> bytes:
    """The clip's mono s16le samples."""
    with wave.open(str(clip.wav), "rb") as w:
        return w.readframes(w.getnframes())


def _read(wav: Path) -> tuple[Path, int, int] | None:
    """(path, sample_rate, frames) of a complete cached clip, or None to synthesise it."""
    try:
        with wave.open(str(wav), "rb") as w:
            if w.getnchannels() != 1 or w.getsampwidth() != 2 or w.getnframes() == 0:
                return None
            frames = w.getnframes()
            rate = w.getframerate()
        # a truncated file (a full disk) has fewer bytes than its header promises
        if wav.stat().st_size < 44 + frames * 2:
            return None
        return (wav, rate, frames)
    except (OSError, EOFError, wave.Error):
        return None


def _write(wav: Path, pcm: bytes, sample_rate: int) -> tuple[Path, int, int]:
    """Store a clip under its key unless another process stored one first; return what is there.

    The first complete clip under a key never changes: two processes synthesising the same
    utterance may get a few frames' difference, and a clip already planned into an episode
    by one of them must keep the length that was read.
    """
    try:
        wav.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=wav.parent)
        try:
            with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(sample_rate)
                w.writeframes(pcm)
            _publish_once(Path(tmp), wav)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as err:
        raise SynthesisError(
            f"cannot write to the cache: {err.strerror}", source=str(wav.parent)
        ) from None


    found = _read(wav)
    if found is None:
        raise SynthesisError("the cached clip could not be read back", source=str(wav))
    return found


def _publish_once(tmp: Path, wav: Path) -> None:
    """Put `tmp` at `wav` only if no complete clip is there (a hard link never overwrites)."""
    try:
        os.link(tmp, wav)
    except FileExistsError:
        if _read(wav) is None:  # a broken leftover: replace it
            os.replace(tmp, wav)
    except OSError:  # a file system without hard links
        os.replace(tmp, wav)


def _private_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="pressaudio-clips-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
