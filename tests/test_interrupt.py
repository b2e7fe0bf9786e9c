"""Signals while publish's parent waits on its pool: noted, then raised where it checks.

An exception raised at an arbitrary point inside concurrent.futures can leave a future's
lock held; the pool's manager thread then waits on it for ever and the process never
exits (seen on a clean-clone CI run: SIGINT between two renders, the command still there
after 300 s, its manager thread in Future.cancel). So `signals_deferred` only notes them.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from pressaudio.interrupt import Terminated, signals_deferred, sigterm_unwinds


@pytest.fixture(autouse=True)
def default_handlers() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt, SIGTERM is the command's Terminated."""
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with sigterm_unwinds():
        yield
    for s, handler in before.items():
        signal.signal(s, handler)


def test_a_signal_is_raised_where_the_caller_checks_not_where_it_lands() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), signals_deferred() as check:
        os.kill(os.getpid(), signal.SIGINT)
        reached.append("after the signal")  # not interrupted here
        check()
        reached.append("after the check")
    assert reached == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_sigterm_comes_out_as_terminated_and_a_second_one_is_ignored_after() -> None:
    cleaned = []
    with pytest.raises(Terminated), signals_deferred() as check:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            check()
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # during the cleanup: ignored (as after any)
            os.kill(os.getpid(), signal.SIGINT)  # noted and dropped
            check()
            cleaned.append(True)
    assert cleaned == [True]
    # as sigterm_unwinds has it: only the first SIGTERM interrupts
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_signal_noted_after_the_last_check_is_raised_on_the_way_out() -> None:
    with pytest.raises(KeyboardInterrupt), signals_deferred():
        os.kill(os.getpid(), signal.SIGINT)


def test_an_ignored_signal_stays_ignored_and_nothing_noted_raises_nothing() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under nohup
    with signals_deferred() as check:
        os.kill(os.getpid(), signal.SIGINT)
        check()
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    with signals_deferred() as check:
        check()


def test_outside_the_main_thread_it_changes_no_handler() -> None:
    seen: list[object] = []

    def run() -> None:
        with signals_deferred() as check:
            check()
            seen.append(signal.getsignal(signal.SIGINT))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert seen == [signal.default_int_handler]
