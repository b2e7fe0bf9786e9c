"""Speech engines behind one small interface, in an explicit registry (one module each).

An engine turns one short text into mono 16-bit PCM in one voice profile. Engines are
created lazily, once per process, so importing this package loads no speech library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from pressaudio.errors import ConfigError
from pressaudio.model import VoiceProfile


@dataclass(frozen=True)
class EngineVoice:
    id: str  # what a profile's `voice =` names
    name: str
    languages: tuple[str, ...] = ()
    gender: str | None = None


@dataclass(frozen=True)
class Audio:
    pcm: bytes  # mono, signed 16-bit little-endian
    sample_rate: int


class Engine(Protocol):
    name: str

    def version(self) -> str:
        """Engine and library version; part of every cache key."""
        ...

    def voices(self) -> tuple[EngineVoice, ...]:
        """The voices this engine can speak with on this machine."""
        ...

    def check_voice(self, profile: VoiceProfile) -> None:
        """Raise ConfigError (naming the closest voices) if `profile.voice` is unusable here."""
        ...

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        """Speak `text` in `profile`, trimmed by `pressaudio.speech.clip`.

        Raise SynthesisError rather than return bad audio; synth.py also refuses any clip
        that fails `clip.check`.
        """
        ...


def _espeak() -> Engine:
    from pressaudio.speech.engines.espeak import EspeakEngine

    return EspeakEngine()


def _piper() -> Engine:
    from pressaudio.speech.engines.piper import PiperEngine

    return PiperEngine()


REGISTRY: dict[str, Callable[[], Engine]] = {
    "espeak": _espeak,
    "piper": _piper,
}

_loaded: dict[str, Engine] = {}


def get_engine(name: str) -> Engine:
    """The engine registered as `name`, created once per process."""
    if name not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise ConfigError(f"unknown speech engine {name!r}; known engines: {known}")
    if name not in _loaded:
        _loaded[name] = REGISTRY[name]()
    return _loaded[name]
