"""eSpeak NG through pyttsx3's ctypes binding, with the library and data of `espeakng-loader`.

pyttsx3 2.99 provides the binding (`pyttsx3.drivers._espeak`) and initialises eSpeak NG
(`pyttsx3.init("espeak")`); voices, rate, pitch and volume go through its driver. Its
`save_to_file()`/`runAndWait()` path is not used: `runAndWait()` returns before the
asynchronous synthesis has finished, so an utterance's audio can be written late, under
the next utterance's file name, from a buffer grown by `bytes +=`, with a print on stdout.

Instead each call installs this module's own synthesis callback, tags the utterance with
a unique `user_data` value, collects only the chunks carrying that tag into a list, and
waits for that utterance's end-of-message event before returning. Nothing else is queued
meanwhile (a lock), so a voice change can never reach into the previous utterance. Every
utterance is trimmed and checked by `pressaudio.speech.clip` (non-empty, duration plausible
for its words at the profile's rate), retried once, and otherwise a `SynthesisError`.
"""

from __future__ import annotations

import ctypes
import difflib
import importlib.metadata
import os
import threading
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from pressaudio.errors import ConfigError, SynthesisError
from pressaudio.model import VoiceProfile
from pressaudio.speech import clip
from pressaudio.speech.engines import Audio, EngineVoice

SAMPLE_RATE = 22050  # eSpeak NG's native output rate (updated from its SAMPLERATE event)

# speak_lib.h event types (pyttsx3's _espeak names the first seven)
_EVENT_LIST_TERMINATED = 0
_EVENT_MSG_TERMINATED = 6
_EVENT_SAMPLERATE = 8

_EE_OK = 0
_EE_BUFFER_FULL = 1

# Options a profile may give in its [options] table, with their eSpeak parameter ids
# (speak_lib.h: espeakRANGE = 4, espeakWORDGAP = 7 in the ng headers) and bounds.
_OPTIONS: dict[str, tuple[int, int, int]] = {
    "range": (4, 0, 100),  # pitch range: 0 monotone, 50 normal, 100 lively
    "wordgap": (7, 0, 100),  # extra pause between words, in units of 10 ms
}


@dataclass
class _Request:
    """The one utterance in flight: its tag, its chunks, and its end-of-message signal."""

    tag: int
    chunks: list[bytes] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)


class EspeakEngine:
    """The "espeak" engine: eSpeak NG in-process, one verified utterance per call."""

    name = "espeak"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self._espeak: ModuleType | None = None
        self._pyttsx3: Any = None  # keeps pyttsx3's engine (and its driver) alive
        self._callback: Any = None  # the ctypes callback object currently installed
        self._request: _Request | None = None
        self._tag = 0
        self._sample_rate = SAMPLE_RATE
        self._version = ""
        self._base_voices: dict[str, str] = {}  # id -> eSpeak identifier ("gmw/en-US")
        self._variants: set[str] = set()  # variant file names ("m3", "f2", "Alex")
        self._voice_list: tuple[EngineVoice, ...] = ()
        self._pid = 0  # the process that started eSpeak NG (its worker thread lives there)

    # --- the Engine protocol ----------------------------------------------------------

    def version(self) -> str:
        self._load()
        return self._version

    def voices(self) -> tuple[EngineVoice, ...]:
        """Language voices ("en-us", "en-gb-scotland") then variants ("+m3", "+f2").

        A profile names a voice, optionally followed by a variant: "en-us+f2".
        """
        self._load()
        return self._voice_list

    def check_voice(self, profile: VoiceProfile) -> None:
        self._load()
        self._resolve(profile)

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        self._load()
        identifier = self._resolve(profile)
        params = self._parameters(profile)
        if not clip.speakable(text):
            raise SynthesisError(f"nothing to speak in {text!r}", source=_where(profile))
        problem = ""
        with self._lock:
            for _attempt in range(2):
                try:
                    pcm = self._synth_once(text, identifier, params)
                except _Failed as err:
                    problem = str(err)
                    continue
                trimmed = clip.trim(pcm, self._sample_rate)
                problem = clip.problem(text, profile.rate, trimmed, self._sample_rate)
                if not problem:
                    return Audio(pcm=trimmed, sample_rate=self._sample_rate)
        raise SynthesisError(
            f"eSpeak NG failed twice on {_preview(text)}: {problem}", source=_where(profile)
        )

    # --- loading ----------------------------------------------------------------------

    def _load(self) -> None:
        with self._lock:
            if not self._loaded:
                self._load_locked()
                self._pid = os.getpid()
                self._loaded = True
        if os.getpid() != self._pid:
            # a fork() copies the library's state but not its synthesis thread
            raise SynthesisError(
                "eSpeak NG was started before this process was forked; "
                "start worker processes with the 'spawn' method"
            )

    def _load_locked(self) -> None:
        data_path: str | None = None
        handle: int | None = None
        try:
            import espeakng_loader
        except ImportError:  # not Linux: pyttsx3 finds a system eSpeak NG itself
            pass
        else:
            # pyttsx3's binding loads "libespeak-ng.so.1" by name when first imported; a
            # library already loaded with that soname satisfies the lookup, so load the
            # wheel's copy first and the binding binds to it (a no-op if already loaded).
            handle = ctypes.CDLL(espeakng_loader.get_library_path())._handle
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
        except (OSError, RuntimeError) as err:
            raise SynthesisError(f"eSpeak NG is not available: {err}") from err
        from_wheel = handle is not None and _espeak.dll._handle == handle
        if from_wheel:
            data_path = espeakng_loader.get_data_path()
        saved = os.environ.get("ESPEAK_DATA_PATH")
        if data_path is not None:
            # read once, by espeak_Initialize(), which pyttsx3 calls with path=NULL
            os.environ["ESPEAK_DATA_PATH"] = data_path
        try:
            self._pyttsx3 = pyttsx3.init("espeak")
        except RuntimeError as err:
            raise SynthesisError(f"eSpeak NG could not start: {err}") from err
        finally:
            if data_path is not None:
                if saved is None:
                    os.environ.pop("ESPEAK_DATA_PATH", None)
                else:
                    os.environ["ESPEAK_DATA_PATH"] = saved
        self._espeak = _espeak
        info = _espeak.Info(None)
        espeak_version = info.decode() if isinstance(info, bytes) else str(info)
        loader = ""
        if from_wheel:
            loader = f"; espeakng-loader {importlib.metadata.version('espeakng-loader')}"
        self._version = (
            f"eSpeak NG {espeak_version}; pyttsx3 {importlib.metadata.version('pyttsx3')}{loader}"
        )
        self._list_voices(_espeak)

    def _list_voices(self, es: ModuleType) -> None:
        bases: list[EngineVoice] = []
        genders = {1: "male", 2: "female"}
        for v in es.ListVoices(None):
            identifier = v.identifier.decode("utf-8", "replace")
            language = (v.languages or b"\x05")[1:].decode("utf-8", "replace").lower()
            file_id = identifier.rsplit("/", 1)[-1].lower()
            name = v.name.decode("utf-8", "replace")
            gender = genders.get(v.gender)
            for vid in (language, file_id):
                if vid and vid not in self._base_voices:
                    self._base_voices[vid] = identifier
                    bases.append(EngineVoice(vid, name, (language,), gender))
        spec = es.VOICE()
        spec.languages = b"variant"
        variants: list[EngineVoice] = []
        for v in es.ListVoices(ctypes.pointer(spec)):
            file_name = v.identifier.decode("utf-8", "replace").rsplit("/", 1)[-1]
            if file_name in self._variants or " " in file_name:
                continue
            self._variants.add(file_name)
            name = v.name.decode("utf-8", "replace")
            variants.append(EngineVoice("+" + file_name, name, (), genders.get(v.gender)))
        bases.sort(key=lambda ev: ev.id)
        variants.sort(key=lambda ev: ev.id.lower())
        self._voice_list = (*bases, *variants)

    # --- one utterance ----------------------------------------------------------------

    def _resolve(self, profile: VoiceProfile) -> str:
        """The eSpeak voice name for `profile.voice`: "gmw/en-US+m3"."""
        base, _, variant = profile.voice.partition("+")
        identifier = self._base_voices.get(base.lower())
        if identifier is None or (variant and variant not in self._variants):
            ids = [v.id for v in self._voice_list]
            raise ConfigError(unknown_voice_message(profile.voice, ids), source=_where(profile))
        return f"{identifier}+{variant}" if variant else identifier

    def _parameters(self, profile: VoiceProfile) -> list[tuple[int, int]]:
        es = self._module()
        params = [
            (es.RATE, max(80, min(450, int(profile.rate)))),
            (es.PITCH, max(0, min(100, int(profile.pitch)))),
            (es.VOLUME, max(0, min(200, round(profile.volume * 100)))),
            (es.RANGE, 50),
            (7, 0),  # espeakWORDGAP
            (es.PUNCTUATION, es.PUNCT_NONE),
            (es.CAPITALS, 0),
        ]
        for key, value in profile.options:
            if key not in _OPTIONS:
                known = ", ".join(sorted(_OPTIONS))
                raise ConfigError(
                    f"unknown espeak option {key!r} (known: {known})", source=_where(profile)
                )
            param, low, high = _OPTIONS[key]
            try:
                number = int(value)
            except ValueError:
                raise ConfigError(
                    f"espeak option {key} must be a whole number, not {value!r}",
                    source=_where(profile),
                ) from None
            if not low <= number <= high:
                raise ConfigError(
                    f"espeak option {key} must be between {low} and {high}, not {number}",
                    source=_where(profile),
                )
            params.append((param, number))
        return params

    def _module(self) -> ModuleType:
        if self._espeak is None:
            raise SynthesisError("eSpeak NG is not loaded")
        return self._espeak

    def _synth_once(self, text: str, identifier: str, params: list[tuple[int, int]]) -> bytes:
        es = self._module()
        self._wait_idle(es)
        if es.SynthCallback is not self._callback or self._callback is None:
            # (re)install ours: a pyttsx3 driver created later would have replaced it
            es.SetSynthCallback(self._on_synth)
            self._callback = es.SynthCallback
        if es.SetVoiceByName(identifier.encode("utf-8")) != _EE_OK:
            raise _Failed(f"could not select voice {identifier!r}")
        for param, value in params:
            es.SetParameter(param, value, 0)
        self._tag += 1
        request = _Request(tag=self._tag)
        self._request = request
        try:
            data = text.encode("utf-8")
            flags = es.CHARS_UTF8 | es.PHONEMES  # [[...]] is eSpeak phoneme input
            for _ in range(100):
                status = es.Synth(data, flags=flags, user_data=request.tag)
                if status != _EE_BUFFER_FULL:
                    break
                time.sleep(0.01)
            if status != _EE_OK:
                raise _Failed(f"espeak_Synth returned {status}")
            timeout = 10.0 + len(data) / 20
            if not request.done.wait(timeout):
                es.Cancel()
                raise _Failed(f"no end of message within {timeout:.0f} s")
            return b"".join(request.chunks)
        finally:
            self._request = None

    def _wait_idle(self, es: ModuleType) -> None:
        """Let a previous (cancelled or stray) message finish before changing voice."""
        deadline = time.monotonic() + 2.0
        while es.IsPlaying() and time.monotonic() < deadline:
            time.sleep(0.002)
        if es.IsPlaying():
            es.Cancel()

    def _on_synth(self, wav: Any, numsamples: int, events: Any) -> int:
        """eSpeak NG's synthesis callback, called on its own thread. Never raises."""
        try:
            request = self._request
            tag: int | None = None
            finished = False
            i = 0
            while True:
                event = events[i]
                if tag is None:
                    tag = event.user_data
                if event.type == _EVENT_LIST_TERMINATED:
                    break
                if event.type == _EVENT_SAMPLERATE and event.id.number > 0:
                    self._sample_rate = int(event.id.number)
                if event.type == _EVENT_MSG_TERMINATED:
                    finished = True
                i += 1
            if request is None or tag != request.tag:
                return 0  # audio of a cancelled or foreign message
            if numsamples > 0 and wav:
                request.chunks.append(ctypes.string_at(wav, numsamples * 2))
            if finished:
                request.done.set()
        except Exception:  # an exception must not unwind into C
            return 0
        return 0


class _Failed(Exception):
    """One synthesis attempt went wrong; the caller retries once."""


# --- helpers ---------------------------------------------------------------------------------


def _where(profile: VoiceProfile) -> str | None:
    return str(profile.path) if profile.path is not None else None


def _preview(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def unknown_voice_message(voice: str, ids: list[str]) -> str:
    """`unknown voice 'x'; closest available: a, b, c (...)`."""
    base, plus, variant = voice.partition("+")
    bases = [i for i in ids if not i.startswith("+")]
    variants = [i for i in ids if i.startswith("+")]
    if plus and base.lower() in {b.lower() for b in bases}:
        close = [base + v for v in difflib.get_close_matches("+" + variant, variants, n=3)]
    else:
        close = difflib.get_close_matches(base.lower(), bases, n=3, cutoff=0.5)
        if plus:
            close = [c + plus + variant for c in close]
    hint = f"; closest available: {', '.join(close)}" if close else ""
    return f"unknown voice {voice!r}{hint} (`pressaudio voices` lists them all)"
