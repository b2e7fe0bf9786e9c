"""The one lock file (files.exclusive_lock), as publish and follow hold it: refused while
another process holds it (naming that process), free again once it ends, and a lock file
that cannot be created is one error naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pressaudio.errors import FollowError, PressaudioError, PublishError
from pressaudio.files import exclusive_lock
from pressaudio.follow.state import follow_lock

HOLD = """
import sys
from pathlib import Path
from pressaudio.errors import PublishError
from pressaudio.files import exclusive_lock
with exclusive_lock(Path(sys.argv[1]), held=lambda pid: PublishError("held")):
    print("held", flush=True)
    sys.stdin.readline()
"""


class Held(PressaudioError):
    pass


def refuse(pid: int | None) -> Held:
    return Held(f"held by {pid}")


@contextmanager
def held_elsewhere(path: Path) -> Iterator[int]:
    """Another process holds the lock on `path` for the block; yields its pid."""
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline() == "held\n"
        yield child.pid
    finally:
        child.stdin.close()
        assert child.wait(timeout=60) == 0


def test_refused_while_another_process_holds_it_then_free(tmp_path: Path) -> None:
    path = tmp_path / "state" / "lock"  # the folder is created too
    with held_elsewhere(path) as pid, pytest.raises(Held) as caught, exclusive_lock(
        path, held=refuse
    ):
        pytest.fail("the block must not run while the lock is held")
    assert str(caught.value) == f"held by {pid}"
    with exclusive_lock(path, held=refuse):
        assert path.read_text() == str(os.getpid())


def test_one_process_cannot_take_it_twice(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    with exclusive_lock(path, held=refuse), pytest.raises(Held), exclusive_lock(
        path, held=refuse
    ):
        pytest.fail("taken twice")


def test_a_lock_file_that_cannot_be_created_is_one_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(PublishError, match="cannot create the lock file") as caught, \
            exclusive_lock(blocker / "lock", held=refuse, error=PublishError):
        pytest.fail("no lock, no block")
    assert caught.value.source == str(blocker / "lock")


def test_follow_refuses_a_second_round_in_the_same_folder(tmp_path: Path) -> None:
    lock = tmp_path / ".pressaudio" / "follow.lock"
    with held_elsewhere(lock) as pid, pytest.raises(FollowError) as caught, follow_lock(
        tmp_path
    ):
        pytest.fail("a second round ran")
    assert str(caught.value) == (f"{tmp_path}: another follow into this folder is running "
                                 f"(process {pid}); this round is skipped")
    with follow_lock(tmp_path):
        pass
