"""The ffmpeg binary shipped by imageio-ffmpeg, and running it with streamed PCM input.

The binary is looked up lazily (the first time something needs it), never at import.
Only `ffmpeg` is used: imageio-ffmpeg ships no `ffprobe`, and nothing here needs one.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pressaudio.errors import AudioError
from pressaudio.files import disk_full
from pressaudio.interrupt import signals_deferred

_STDERR_TAIL = 4000  # characters of ffmpeg's stderr kept for an error message


@functools.cache
def ffmpeg_exe() -> str:
    """Path of imageio-ffmpeg's ffmpeg binary (IMAGEIO_FFMPEG_EXE overrides it)."""
    try:
        import imageio_ffmpeg

        exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as err:  # RuntimeError when no binary is bundled for this platform
        raise AudioError(f"cannot find the ffmpeg binary of imageio-ffmpeg: {err}") from err
    return exe


def pcm_input_args(sample_rate: int, channels: int = 1) -> list[str]:
    """ffmpeg input options for raw signed 16-bit little-endian PCM on standard input."""
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", str(channels), "-i", "pipe:0"]


@dataclass(frozen=True)
class FfmpegRun:
    """One run of ffmpeg: its arguments, the chunks for its standard input (None: no
    input), what it does (for an error message) and the file it writes (to name when the
    disk is full)."""

    args: Sequence[str]
    stdin_chunks: Iterable[bytes] | None
    what: str
    output: Path | None = None


def run_ffmpeg(
    args: Sequence[str],
    *,
    stdin_chunks: Iterable[bytes] | None = None,
    what: str,
    output: Path | None = None,
) -> str:
    """Run `ffmpeg ARGS`, writing `stdin_chunks` to its standard input; return its stderr.

    Standard error goes to a temporary file (not a pipe), so a chatty ffmpeg can never
    block while we are still writing its input. On failure, or if interrupted, the process
    is killed and reaped; failures raise AudioError with `what` and ffmpeg's last words,
    or, when ffmpeg ran out of disk space writing `output` (the file to name), just that.
    """
    return run_ffmpeg_all([FfmpegRun(args, stdin_chunks, what, output)])[0]


def run_ffmpeg_all(runs: Sequence[FfmpegRun]) -> list[str]:
    """Run several ffmpeg processes at once (as `run_ffmpeg` runs one); their stderrs.

    The first is fed from this thread, each other one from a thread of its own. On any
    failure or interruption every process is killed and reaped, and the feeding threads
    have ended, before the error is raised.
    """
    with contextlib.ExitStack() as stack:
        err_files = [stack.enter_context(tempfile.TemporaryFile()) for _ in runs]
        procs: list[subprocess.Popen[bytes]] = []
        threads: list[threading.Thread] = []
        broken = [False] * len(runs)
        failed: list[BaseException] = []

        def feed(i: int) -> None:
            try:
                broken[i] = _feed(procs[i], runs[i].stdin_chunks)
            except BaseException as err:  # reported by the main thread
                failed.append(err)
                procs[i].kill()

        try:
            for run, err_file in zip(runs, err_files, strict=True):
                _start(run, err_file, procs)
            threads = [threading.Thread(target=feed, args=(i,)) for i in range(1, len(runs))]
            for thread in threads:
                thread.start()
            broken[0] = _feed(procs[0], runs[0].stdin_chunks)
            for thread in threads:
                thread.join()
            if failed:
                raise failed[0]
            codes = [proc.wait() for proc in procs]
        except BaseException:
            for proc in procs:
                proc.kill()
            for thread in threads:
                thread.join()  # each ends: its pipe is broken
            for proc in procs:
                proc.wait()
            raise
        stderrs = []
        for err_file in err_files:
            err_file.seek(0)
            stderrs.append(err_file.read().decode("utf-8", errors="replace"))
    for run, code, stopped, stderr in zip(runs, codes, broken, stderrs, strict=True):
        if code != 0 or stopped:
            full = disk_full(stderr)
            if full is not None and run.output is not None:
                raise AudioError(full, source=str(run.output))
            tail = _last_lines(stderr)
            raise AudioError(f"ffmpeg failed while {run.what} (exit status {code}): {tail}")
    return stderrs


def _start(run: FfmpegRun, err_file: IO[bytes], procs: list[subprocess.Popen[bytes]]) -> None:
    """Start ffmpeg for `run` and append it to `procs`."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", *run.args]
    # A signal while Popen forks and execs would leave ffmpeg running unseen (it then
    # creates its output after the caller has removed it): it is raised once the process
    # is in `procs`, and the caller kills it.
    with signals_deferred():
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE if run.stdin_chunks is not None else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err_file,
            )
        except OSError as err:
            raise AudioError(f"cannot run ffmpeg ({ffmpeg_exe()}): {err}") from err
        procs.append(proc)


def _feed(proc: subprocess.Popen[bytes], chunks: Iterable[bytes] | None) -> bool:
    """Write `chunks` to ffmpeg's input and close it; True if ffmpeg stopped reading."""
    if chunks is None:
        return False
    assert proc.stdin is not None
    try:
        for chunk in chunks:
            proc.stdin.write(chunk)
    except BrokenPipeError:
        return True  # ffmpeg stopped reading: its exit status says why
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    return False


def _last_lines(text: str, n: int = 3) -> str:
    lines = [line.strip() for line in text[-_STDERR_TAIL:].splitlines() if line.strip()]
    return " | ".join(lines[-n:]) or "no message"


@functools.cache
def ffmpeg_help(topic: str) -> str:
    """`ffmpeg -h TOPIC` (e.g. "filter=ebur128"): what this build offers."""
    try:
        done = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-h", topic],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as err:
        raise AudioError(f"cannot run ffmpeg ({ffmpeg_exe()}): {err}") from err
    return (done.stdout + done.stderr).decode("utf-8", errors="replace")
