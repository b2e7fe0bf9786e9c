"""Where publish's renders run: a local process pool, or a Dask distributed cluster.

    executor = make_executor(jobs=2)                      # this machine
    executor = make_executor(cluster="tcp://host:8786")   # a Dask scheduler
    executor.run(tasks, options, deliver)

Both take the same `RenderTask`s (a parsed transcript and the MP3 path to render it to)
and call `deliver(task, episode)` in the calling thread as each render ends. A render
writes its files straight to their final names beside each other (through temporaries,
atomically, as `render` always does); only the caller, in its own process, records them.
On any failure or interruption the executor stops what is still running, delivers the
renders that had already finished, then lets the error go on.

Dask is imported by this module only, and only for a cluster (the `pressaudio[cluster]`
extra). On a cluster every worker must see the output folder at the same absolute path
(a shared folder: NFS or similar) and have pressaudio installed with the same versions
as the client; a worker lost in the middle of a render is replaced by the scheduler, which
runs the render again on another worker (`distributed.scheduler.allowed-failures`, 3 by
default), and a render that raised is tried again `RETRIES` times.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from pressaudio.errors import PublishError
from pressaudio.interrupt import Terminated, exit_now, init_worker, signals_deferred
from pressaudio.model import Episode, Transcript
from pressaudio.render import RenderOptions, render

__all__ = [
    "RETRIES",
    "DaskExecutor",
    "Deliver",
    "Executor",
    "ProcessPool",
    "RenderTask",
    "Serial",
    "make_executor",
]

RETRIES = 2  # a render that raised on a cluster worker is tried this many more times
CONNECT_TIMEOUT_S = 20.0  # reaching the scheduler
_STOP_GRACE_S = 10.0  # how long stopped pool workers get to clean up before they are killed
_SIGNAL_POLL_S = 0.1  # how often the waiting parent looks for a signal it has noted


@dataclass(frozen=True)
class RenderTask:
    """One episode to render: `source` (its name, as given) into `out_mp3`."""

    name: str  # unique among the tasks of one run (the episode's slug)
    source: str
    out_mp3: Path  # absolute; on a cluster, the same path on every worker
    transcript: Transcript


Deliver = Callable[[RenderTask, Episode], None]


class Executor(Protocol):
    def run(self, tasks: Sequence[RenderTask], options: RenderOptions, deliver: Deliver) -> None:
        """Render every task, calling `deliver` in this thread as each one ends."""


def make_executor(
    *, jobs: int | None = None, cluster: str | None = None, n_tasks: int | None = None
) -> Executor:
    """A Dask cluster if `cluster` is its scheduler's address; else `jobs` local processes
    (default: the machine's cores, at most one per task), or this process for one."""
    if cluster:
        return DaskExecutor(cluster)
    n = jobs or os.cpu_count() or 1
    if n_tasks is not None:
        n = min(n, n_tasks)
    return Serial() if n <= 1 else ProcessPool(n)


def render_task(task: RenderTask, options: RenderOptions) -> Episode:
    """Render one task (in any process)."""
    return render(task.source, task.out_mp3, options, transcript=task.transcript).episode


# --- this process -------------------------------------------------------------------------


class Serial:
    """Each render in turn, in this process."""

    def run(self, tasks: Sequence[RenderTask], options: RenderOptions, deliver: Deliver) -> None:
        for task in tasks:
            deliver(task, render_task(task, options))


# --- a local process pool -----------------------------------------------------------------


def _pool_render(task: RenderTask, options: RenderOptions) -> Episode:
    """Pool worker entry point (a top-level function, so it can run in another process)."""
    try:
        return render_task(task, options)
    except Terminated:
        exit_now()  # the render has unwound (no temporaries left): end the worker
        raise


class ProcessPool:
    """`jobs` worker processes on this machine ("spawn": each starts clean, with no
    inherited lock, threads or speech-engine state)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def run(self, tasks: Sequence[RenderTask], options: RenderOptions, deliver: Deliver) -> None:
        pool = ProcessPoolExecutor(
            max_workers=min(self.jobs, max(1, len(tasks))),
            mp_context=get_context("spawn"),
            initializer=init_worker,
            initargs=(os.getpid(),),
        )
        futures: dict[Future[Episode], RenderTask] = {}
        delivered: set[Future[Episode]] = set()

        def hand_over(fut: Future[Episode]) -> None:
            task = futures[fut]
            delivered.add(fut)
            try:
                episode = fut.result()
            except BrokenProcessPool:
                raise PublishError(
                    "a rendering process stopped unexpectedly (killed, or out of memory?)",
                    source=task.source,
                ) from None
            deliver(task, episode)

        with signals_deferred() as check_signals:  # raised here, never inside the pool
            try:
                for task in tasks:
                    futures[pool.submit(_pool_render, task, options)] = task
                pending = set(futures)
                while pending:
                    check_signals()
                    done, pending = wait(pending, _SIGNAL_POLL_S, FIRST_COMPLETED)
                    for fut in sorted(done, key=lambda f: futures[f].name):
                        hand_over(fut)
            except BaseException:
                _stop_workers(pool)
                for fut in sorted(futures, key=lambda f: futures[f].name):
                    if fut in delivered or not fut.done() or fut.cancelled() or fut.exception():
                        continue
                    with suppress(Exception):  # best effort: the error being raised first
                        hand_over(fut)
                raise
            pool.shutdown(wait=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now: SIGTERM (they unwind, removing their temporaries and
    their ffmpeg), then SIGKILL for any still there after _STOP_GRACE_S."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        with suppress(OSError, ValueError):
            p.terminate()
    deadline = time.monotonic() + _STOP_GRACE_S
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join()


# --- a Dask distributed cluster -----------------------------------------------------------


@dataclass(frozen=True)
class _Portable:
    """Render options as a worker on another machine reads them: the client's own cache
    folder and the bundled voice profiles' place inside the client's installation mean
    nothing there, so each worker uses its own."""

    options: RenderOptions
    own_cache: bool  # use the worker's default cache folder
    bundled_voices: str | None  # a profile set inside the worker's own installation


def _portable(options: RenderOptions) -> _Portable:
    from pressaudio.speech.synth import default_cache_dir
    from pressaudio.speech.voices import default_voices_dir, find_voices_dir

    own_cache = options.cache_dir is not None and (
        Path(options.cache_dir).resolve() == default_cache_dir().resolve()
    )
    voices = find_voices_dir(options.voices_dir, options.engine).resolve()
    bundled = default_voices_dir().resolve()
    bundled_voices: str | None = None
    if voices == bundled or voices.is_relative_to(bundled):
        bundled_voices = voices.relative_to(bundled).as_posix()
        voices_dir: Path | None = None
    else:
        voices_dir = voices  # a publisher's folder: on the shared folder, at the same path
    return _Portable(
        replace(options, voices_dir=voices_dir, cache_dir=None if own_cache else options.cache_dir),
        own_cache,
        bundled_voices,
    )


def _cluster_render(task: RenderTask, portable: _Portable) -> Episode:
    """Dask task: render one episode on whichever worker runs it."""
    from pressaudio.speech.synth import default_cache_dir
    from pressaudio.speech.voices import default_voices_dir

    folder = task.out_mp3.parent
    if not folder.is_dir():
        raise PublishError(
            f"this worker does not see the output folder {folder}: mount the shared folder "
            "at the same path on every worker",
            source=task.source,
        )
    options = portable.options
    if portable.own_cache:
        options = replace(options, cache_dir=default_cache_dir())
    if portable.bundled_voices is not None:
        options = replace(options, voices_dir=default_voices_dir() / portable.bundled_voices)
    return render_task(task, options)


class DaskExecutor:
    """Renders as tasks on the Dask cluster whose scheduler is at `address`."""

    def __init__(self, address: str) -> None:
        self.address = address

    def _client(self) -> Any:
        try:
            from distributed import Client
        except ImportError:
            raise PublishError(
                "--cluster needs Dask: pip install 'pressaudio[cluster]' (here and on "
                "every worker)"
            ) from None
        try:
            return Client(  # type: ignore[no-untyped-call]
                self.address, timeout=CONNECT_TIMEOUT_S, set_as_default=False
            )
        except (OSError, TimeoutError, ValueError) as err:
            raise PublishError(
                f"cannot reach the Dask scheduler at {self.address}: {err}; start it with "
                "`dask scheduler` and its workers with `dask worker ADDRESS`"
            ) from None

    def run(self, tasks: Sequence[RenderTask], options: RenderOptions, deliver: Deliver) -> None:
        from distributed import as_completed

        client = self._client()
        try:
            portable = _portable(options)
            futures: dict[str, RenderTask] = {}
            submitted = []
            for task in tasks:
                fut = client.submit(
                    _cluster_render,
                    task,
                    portable,
                    key=f"pressaudio-render-{task.name}-{os.urandom(4).hex()}",
                    pure=False,
                    retries=RETRIES,
                )
                futures[fut.key] = task
                submitted.append(fut)
            delivered: set[str] = set()
            try:
                for fut in as_completed(submitted, loop=client.loop):  # type: ignore[no-untyped-call]
                    task = futures[fut.key]
                    delivered.add(fut.key)
                    deliver(task, _result(fut, task))
            except BaseException:
                with suppress(Exception):
                    client.cancel([f for f in submitted if not f.done()])
                for fut in submitted:  # hand over what had finished
                    if fut.key in delivered or fut.status != "finished":
                        continue
                    with suppress(Exception):
                        deliver(futures[fut.key], fut.result())
                raise
        finally:
            with suppress(Exception):
                client.close()


def _result(fut: Any, task: RenderTask) -> Episode:
    """A finished task's episode; its error as the worker raised it, or one line when the
    cluster gave up on it (its workers kept dying) or lost it."""
    try:
        episode: Episode = fut.result()
    except Exception as err:
        if type(err).__name__ == "KilledWorker":
            raise PublishError(
                "the cluster's workers kept dying while rendering this episode (killed, or "
                "out of memory?)",
                source=task.source,
            ) from None
        if type(err).__name__ in ("CancelledError", "FutureCancelledError"):
            raise PublishError(
                "the cluster lost this render (the scheduler stopped?)", source=task.source
            ) from None
        raise
    return episode
