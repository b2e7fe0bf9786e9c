"""Fixtures shared across the test suite (keep this small)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

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
