"""SIGTERM unwinds like Ctrl-C: `finally` blocks run, temporaries go, workers are stopped.

`timeout`, `kill` and service managers stop a program with SIGTERM, whose default action
ends the process on the spot: no cleanup, no record of finished work, and worker processes
left running. The command line turns it into `Terminated` (exit status 143, as a shell
reports a process killed by SIGTERM); Ctrl-C stays KeyboardInterrupt (exit status 130).

Worker processes (publish's pool) ignore SIGINT — the parent, which gets Ctrl-C too, stops
them — and turn SIGTERM into `Terminated` as well; on Linux they also get SIGTERM when the
parent dies, however it dies, so none outlives it.

While the parent waits on its pool, both signals are only noted (`signals_deferred`) and
raised where the caller checks: an exception raised at any bytecode inside
concurrent.futures can leave a future's lock held, and the pool's manager thread then
waits on it for ever, so the process never exits.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

SIGTERM_STATUS = 128 + signal.SIGTERM  # 143
SIGINT_STATUS = 128 + signal.SIGINT  # 130


class Terminated(SystemExit):
    """Raised in the main thread when the process gets SIGTERM; exits with status 143."""

    def __init__(self) -> None:
        super().__init__(SIGTERM_STATUS)


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    # Only the first SIGTERM interrupts; more while unwinding would cut the cleanup short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated in the main thread."""
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def signals_deferred() -> Iterator[Callable[[], None]]:
    """Within the block, SIGINT and SIGTERM are noted, not raised; the yielded `check()`
    raises the first one noted as its previous handler would (KeyboardInterrupt,
    Terminated), at a point the caller chooses. More signals after that one are noted
    and dropped until the block ends, so the caller's cleanup is not cut short; the
    previous handlers then come back."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None  # signals are handled in the main thread only: nothing to defer
        return
    noted: list[signal.Signals] = []
    raised: list[signal.Signals] = []

    def note(signum: int, frame: FrameType | None) -> None:
        noted.append(signal.Signals(signum))  # only this: the main thread may be anywhere

    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, note) for signum in watched}

    def check() -> None:
        if not noted or raised:
            return
        signum = noted[0]
        raised.append(signum)
        handler = previous[signum]
        if callable(handler):
            handler(signum, None)  # default_int_handler, _raise_terminated: they raise
        elif handler == signal.SIG_DFL:
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)

    try:
        yield check
    finally:
        for signum in watched:
            if signal.getsignal(signum) is note:
                signal.signal(signum, previous[signum])
    check()  # a signal noted after the caller's last check, on the way out


# Where a worker must not be interrupted: sending its result to the parent (a message cut
# in two would leave the parent's pool waiting for the rest). The parent kills it later.
_UNINTERRUPTIBLE = frozenset({"_sendback_result"})


def _worker_sigterm(signum: int, frame: FrameType | None) -> None:
    f = frame
    while f is not None:
        if f.f_code.co_name in _UNINTERRUPTIBLE:
            return
        f = f.f_back
    _raise_terminated(signum, frame)


def init_worker(parent: int) -> None:
    """Initialiser of a worker process started by process `parent`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_sigterm)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        exit_now()


def exit_now() -> None:
    """End a worker that was terminated in the middle of a task, once its task has unwound
    (its `finally` blocks have run): the pool would otherwise catch Terminated and wait for
    the next task."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(SIGTERM_STATUS)
