"""The Piper engine's pitch shift, which keeps the duration: Rubber Band, in this process.

The shift is done by the Rubber Band Library through ``pylibrb`` (its Python bindings,
part of ``pressaudio[neural]``), with what the ``rubberband`` filter of ffmpeg does given
``pitch=FACTOR:formant=shifted|preserved:pitchq=quality``, the filter piper.py ran as one
ffmpeg process per utterance before: the R2 ("faster") engine in real-time mode, the
high-quality pitch method, the formants shifted with the pitch or preserved, and every
other option at its default (crisp transients, compound detector, laminar phase, standard
window, no smoothing, time ratio 1).

Where ``pylibrb`` cannot be imported (it publishes wheels for CPython 3.8 to 3.11 and an
abi3 wheel for 3.12 and later, on Linux x86-64, macOS and Windows; none for Linux on ARM or
musl), the shift falls back to that ffmpeg filter, run by the ffmpeg imageio-ffmpeg ships.
:func:`backend` says which one runs; it is part of the engine's version, so a clip cached
from one is never reused for the other.

This is the one module that imports ``pylibrb``.
"""

from __future__ import annotations

import subprocess
from importlib import metadata
from typing import TYPE_CHECKING, Any

from pressaudio.errors import SynthesisError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]

FORMANTS = ("shifted", "preserved")
BLOCK = 8192  # samples handed to the stretcher at a time


def backend() -> str:
    """What shifts the pitch here, with its version: ``pylibrb 0.1.2`` or the ffmpeg filter."""
    if _has_pylibrb():
        return f"pylibrb {metadata.version('pylibrb')}"
    return f"imageio-ffmpeg {metadata.version('imageio-ffmpeg')}"


def shift(
    samples: Samples, sample_rate: int, factor: float, formant: str, source: str | None = None
) -> Samples:
    """`samples` (mono float32) with the pitch times `factor`, as long as they were.

    `formant` is ``"shifted"`` (the spectral envelope moves with the pitch: another
    speaker) or ``"preserved"``. In process where pylibrb is installed, else by ffmpeg.
    """
    if formant not in FORMANTS:
        raise ValueError(f"formant must be one of {FORMANTS}, not {formant!r}")
    if _has_pylibrb():
        return shift_in_process(samples, sample_rate, factor, formant, source)
    return shift_with_ffmpeg(samples, sample_rate, factor, formant, source)


def shift_in_process(
    samples: Samples, sample_rate: int, factor: float, formant: str, source: str | None = None
) -> Samples:
    """The shift by the Rubber Band Library in this process (needs pylibrb)."""
    import numpy as np

    try:
        import pylibrb as rb
    except ImportError:
        raise SynthesisError(
            "pylibrb is not installed; install it with: pip install 'pressaudio[neural]'",
            source=source,
        ) from None
    option = rb.Option
    count = len(samples)
    try:
        options = (
            option.PROCESS_REALTIME
            | option.ENGINE_FASTER
            | _pitch_high_quality(rb)
            | (option.FORMANT_PRESERVED if formant == "preserved" else option.FORMANT_SHIFTED)
        )
        stretcher = rb.RubberBandStretcher(
            sample_rate=sample_rate,
            channels=1,
            options=options,
            initial_time_ratio=1.0,
            initial_pitch_scale=factor,
        )
        stretcher.set_max_process_size(BLOCK)
        # Real-time mode leaves delay compensation to the caller: lead with the stretcher's
        # preferred padding, drop its start delay from the output, and feed as many zeros
        # after the signal so its last samples are flushed through.
        pad, delay = stretcher.get_preferred_start_pad(), stretcher.get_start_delay()
        data = np.zeros((1, pad + count + delay), dtype=np.float32)
        data[0, pad : pad + count] = samples
        total = data.shape[1]
        out: list[npt.NDArray[np.float32]] = []
        for start in range(0, total, BLOCK):
            block = np.ascontiguousarray(data[:, start : start + BLOCK])
            stretcher.process(block, final=start + BLOCK >= total)
            out.append(stretcher.retrieve_available())
        while not stretcher.is_done():
            more = stretcher.retrieve_available()
            if more.shape[-1] == 0:
                break
            out.append(more)
    except (RuntimeError, ValueError, TypeError) as exc:  # what nanobind raises
        raise SynthesisError(f"Rubber Band pitch shift failed: {exc}", source=source) from exc
    shifted = np.concatenate(out, axis=1)[0, delay : delay + count].astype(np.float32)
    if len(shifted) < count:  # not expected: the stretcher returns what it was given
        shifted = np.pad(shifted, (0, count - len(shifted)))
    return shifted


def shift_with_ffmpeg(
    samples: Samples, sample_rate: int, factor: float, formant: str, source: str | None = None
) -> Samples:
    """The shift by ffmpeg's Rubber Band filter, one ffmpeg process per call (the fallback).

    Its output is as long as its input but not delay-compensated: the speech comes a few
    milliseconds late, which the trim after the shift takes back.
    """
    import numpy as np

    from pressaudio.audio.ffmpeg import ffmpeg_exe

    fmt = ["-f", "f32le", "-ar", str(sample_rate), "-ac", "1"]
    flt = f"rubberband=pitch={factor:.6f}:formant={formant}:pitchq=quality"
    cmd = [
        ffmpeg_exe(),
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        *fmt,
        "-i",
        "pipe:0",
        "-af",
        flt,
        *fmt,
        "pipe:1",
    ]
    try:
        done = subprocess.run(
            cmd, input=samples.astype("<f4").tobytes(), capture_output=True, check=False
        )
    except OSError as exc:
        raise SynthesisError(
            f"cannot run ffmpeg for the pitch shift: {exc}", source=source
        ) from exc
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SynthesisError(
            f"ffmpeg pitch shift failed: {why[-1] if why else done.returncode}",
            source=source,
        )
    return np.frombuffer(done.stdout, dtype="<f4").astype(np.float32)


def _has_pylibrb() -> bool:
    """Whether pylibrb can be imported here (it is imported on first use, not before)."""
    try:
        import pylibrb  # noqa: F401
    except ImportError:
        return False
    return True


def _pitch_high_quality(rb: Any) -> Any:
    """Rubber Band's OptionPitchHighQuality (0x02000000) as pylibrb names it.

    pylibrb 0.1.2's type stub calls it ``Option.PITCH_HIGH_QUALITY``, its compiled module
    ``Option.PitchHighQuality``: whichever exists.
    """
    for name in ("PITCH_HIGH_QUALITY", "PitchHighQuality"):
        value = getattr(rb.Option, name, None)
        if value is not None:
            return value
    raise RuntimeError("this pylibrb has no high-quality pitch option")
