"""Writing output files safely: the one atomic writer, and one line for why a write failed.

Every file pressaudio writes (episodes and their sidecars, the cover, the manifest, the web
pages, feed.xml) goes through `AtomicOutputs`: a temporary file beside each final path, in
the same folder and so on the same file system (a rename never crosses devices), fsync'd
and renamed into place only when all of the group are complete. On any failure or
interruption the temporaries are removed; readers see the old files or the new ones.

A temporary's name is `.NAME.pressaudio-tmp-XXXXXXXX.part`: hidden, marked with TEMP_MARK
so `remove_temporaries` can clean what a killed run left, and never a name anything lists.

`exclusive_lock` is the one lock file: publish and follow each hold one per folder, so a
second run into the same folder is refused instead of writing beside the first.
"""

from __future__ import annotations

import errno
import os
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from pressaudio.errors import OutputError, PressaudioError

TEMP_MARK = ".pressaudio-tmp-"

# Why a write failed, for the errors a user can do something about. The text that tools
# (ffmpeg) print for the same errors is the C library's own wording: os.strerror(code).
REASONS: dict[int, str] = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
}


def disk_full(problem: BaseException | str) -> str | None:
    """"no space left on device" (or "disk quota exceeded") if that is what `problem` is:
    an OSError, an exception caused by one, or a tool's message; else None."""
    if isinstance(problem, str):
        for code, reason in REASONS.items():
            if os.strerror(code).lower() in problem.lower():
                return reason
        return None
    seen: set[int] = set()
    err: BaseException | None = problem
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, OSError) and err.errno in REASONS:
            return REASONS[err.errno]
        err = err.__cause__ or err.__context__
    return disk_full(str(problem))


def reason(err: OSError) -> str:
    """A short, lower-case reason for a failed file operation."""
    return disk_full(err) or (err.strerror or str(err)).lower()


@contextmanager
def writing(path: Path, error: type[PressaudioError] = OutputError) -> Iterator[None]:
    """Turn an OSError raised in the block into `error` naming `path` and saying why."""
    try:
        yield
    except OSError as err:
        raise error(reason(err), source=str(path)) from err


def temp_path(final: Path) -> Path:
    """A fresh temporary name beside `final` (not created)."""
    return final.with_name(f".{final.name}{TEMP_MARK}{secrets.token_hex(4)}.part")


class AtomicOutputs:
    """Temporary files beside each of `finals`, renamed into place together on success.

    `with AtomicOutputs([a, b]) as tmp:` gives `tmp[a]`, `tmp[b]`: new empty files to
    write (by any means: another process may write them). On success each is fsync'd and
    renamed over its final path in the order given (put the one that others point at last);
    on failure nothing is renamed, or what was already renamed is removed again, and every
    temporary is deleted. OSErrors become `error` naming the final path.
    """

    def __init__(
        self, finals: Sequence[Path], *, error: type[PressaudioError] = OutputError
    ) -> None:
        self.finals = [Path(p) for p in finals]
        self.error = error
        self.temps: dict[Path, Path] = {}

    def __enter__(self) -> dict[Path, Path]:
        try:
            for final in self.finals:
                if final.is_dir():
                    raise self.error("output path is a folder", source=str(final))
                self._create(final)
            return self.temps
        except BaseException:
            self._cleanup()
            raise

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self._cleanup()
            return
        placed: list[Path] = []
        final = self.finals[0] if self.finals else Path()
        try:
            for final in self.finals:
                _fsync(self.temps[final])
            for final in self.finals:
                os.replace(self.temps[final], final)
                placed.append(final)
        except BaseException as err:
            for done in placed:
                with suppress(OSError):
                    done.unlink()
            self._cleanup()
            if isinstance(err, OSError):
                raise self.error(reason(err), source=str(final)) from err
            raise

    def _create(self, final: Path) -> None:
        """Create the temporary for `final`. Its name is recorded before the file is
        created, so an interruption just after the system call never leaves a file the
        cleanup does not know of."""
        for _ in range(100):
            tmp = temp_path(final)
            self.temps[final] = tmp
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                del self.temps[final]  # someone else's file: not ours to remove
                continue
            except OSError as err:
                del self.temps[final]
                raise self.error(
                    f"cannot write to folder {final.parent}: {reason(err)}", source=str(final)
                ) from err
            os.close(fd)
            return
        raise self.error(f"cannot create a temporary file in {final.parent}", source=str(final))

    def _cleanup(self) -> None:
        for tmp in self.temps.values():
            with suppress(OSError):
                tmp.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_open(path: Path, *, error: type[PressaudioError] = OutputError) -> Iterator[IO[bytes]]:
    """Write `path` through a temporary file beside it, renamed over it when complete."""
    path = Path(path)
    with writing(path, error):
        path.parent.mkdir(parents=True, exist_ok=True)
    with AtomicOutputs([path], error=error) as tmp, writing(path, error), open(
        tmp[path], "wb"
    ) as f:
        yield f


def atomic_write_bytes(
    path: Path, data: bytes, *, error: type[PressaudioError] = OutputError
) -> None:
    with atomic_open(path, error=error) as f:
        f.write(data)


def atomic_write_text(
    path: Path, text: str, *, error: type[PressaudioError] = OutputError
) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), error=error)


def remove_temporaries(folder: Path) -> int:
    """Delete temporaries left by a killed run in `folder` (not recursive). Returns how many."""
    n = 0
    if folder.is_dir():
        for p in folder.iterdir():
            if TEMP_MARK in p.name and p.is_file():
                p.unlink(missing_ok=True)
                n += 1
    return n


@contextmanager
def exclusive_lock(
    path: Path,
    *,
    held: Callable[[int | None], PressaudioError],
    error: type[PressaudioError] = OutputError,
) -> Iterator[None]:
    """Hold an exclusive, non-blocking lock on the file `path` (created, with its folder)
    for the block. When another process holds it, raise `held(pid)`, pid being the
    holder's process id as it wrote it in the file (None if unknown). The lock goes with
    the process: one that is killed holds nothing. A file that cannot be created is
    `error` naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        f: IO[str] = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block
    except OSError as err:
        raise error(f"cannot create the lock file: {reason(err)}", source=str(path)) from None
    try:
        if not _try_lock(f):
            f.seek(0)
            holder = f.read().strip()
            raise held(int(holder) if holder.isdigit() else None)
        with suppress(OSError):  # who holds it is only for a message (and the disk may be full)
            f.seek(0)
            f.truncate()
            f.write(str(os.getpid()))
            f.flush()
        yield
    finally:
        with suppress(OSError):  # closing the file releases the lock (even if flushing fails)
            f.close()


def _try_lock(f: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
