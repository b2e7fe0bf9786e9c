"""The ffmpeg binary shipped by imageio-ffmpeg, and running it with streamed PCM input.

The binary is looked up lazily (the first time something needs it), never at import.
Only `ffmpeg` is used: imageio-ffmpeg ships no `ffprobe`, and nothing here needs one.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

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
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", *args]
    with tempfile.TemporaryFile() as err_file:
        proc: subprocess.Popen[bytes] | None = None
        broken = False
        try:
            # A signal while Popen forks and execs would leave ffmpeg running unseen (it
            # then creates its output after the caller has removed it): it is raised
            # once `proc` is known, and ffmpeg is killed below.
            with signals_deferred():
                try:
                    proc = subprocess.Popen(
                        cmd,
                        stdin=subprocess.PIPE if stdin_chunks is not None else subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=err_file,
                    )
                except OSError as err:
                    raise AudioError(f"cannot run ffmpeg ({ffmpeg_exe()}): {err}") from err
            if stdin_chunks is not None:
                assert proc.stdin is not None
                try:
                    for chunk in stdin_chunks:
                        proc.stdin.write(chunk)
                except BrokenPipeError:
                    broken = True  # ffmpeg stopped reading: its exit status says why
                finally:
                    with contextlib.suppress(BrokenPipeError):
                        proc.stdin.close()
            code = proc.wait()
        except BaseException:
            if proc is not None:
                proc.kill()
                proc.wait()
            raise
        err_file.seek(0)
        stderr = err_file.read().decode("utf-8", errors="replace")
    if code != 0 or broken:
        full = disk_full(stderr)
        if full is not None and output is not None:
            raise AudioError(full, source=str(output))
        tail = _last_lines(stderr)
        raise AudioError(f"ffmpeg failed while {what} (exit status {code}): {tail}")
    return stderr


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
