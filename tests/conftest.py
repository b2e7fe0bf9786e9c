"""Fixtures shared across the test suite (keep this small)."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import pytest
from hypothesis import settings

# The suite's property tests are the same examples on every run, with no time limit per
# example: a red run is a defect, never a slow or unlucky machine. A fresh random search
# for new cases: pytest --hypothesis-profile=explore tests/transcript/test_properties.py
settings.register_profile(
    "suite", max_examples=100, derandomize=True, deadline=None, database=None
)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile("suite")

# A runner may start the suite with SIGINT ignored (`cmd &` in a script, nohup), and every
# child inherits that: the tests that press Ctrl-C on a child need it delivered as at a
# terminal, so it is caught here again (a caught signal is reset to default in children).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CASES = TESTS / "transcript" / "cases"
REFERENCE = CASES / "01_mofa-kamikawa-extraordinary-2023-09-14.txt"


@pytest.fixture
def reference_transcript() -> Path:
    """The reference transcript (MOFA, Kamikawa, 2023-09-14), a real full page's text."""
    return REFERENCE


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
