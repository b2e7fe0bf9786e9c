"""Terminal presentation (the one module using rich): transcript tables and progress bars.

Everything here works without a terminal: piped output is plain text with no colour codes,
and progress bars appear only on an interactive stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pressaudio.model import Transcript

__all__ = ["Advance", "progress", "render_table"]

_PREVIEW = 120  # characters of each turn's text shown in the table
_PIPED_WIDTH = 120  # columns used when stdout is not a terminal
_ROLE_STYLE = {"minister": "bold cyan", "reporter": "green", "moderator": "magenta",
               "narrator": "dim"}


def render_table(transcript: Transcript, *, file: TextIO | None = None) -> None:
    """Print the understood transcript: a header, then one row per turn.

    On a terminal the table fits its width, in colour; piped (to a file, `less`, a test),
    it is plain text, 120 columns wide, with no escape codes.
    """
    out = file if file is not None else sys.stdout
    console = _console(out)
    console.print(_header(transcript))
    table = Table(
        box=box.SIMPLE_HEAD if console.is_terminal else box.ASCII2,
        show_edge=False,
        pad_edge=False,
        expand=False,
    )
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=28)
    table.add_column("role", no_wrap=True)
    table.add_column("section", overflow="fold", max_width=24)
    table.add_column("text", overflow="fold", ratio=1)
    for turn in transcript.turns:
        try:
            name = transcript.speaker(turn.speaker).name
        except KeyError:
            name = turn.label or turn.speaker
        table.add_row(
            Text(str(turn.line)),
            Text(name),
            Text(turn.role, style=_ROLE_STYLE.get(turn.role, "")),
            Text(turn.section or ""),
            Text(_preview(turn.text)),
        )
    if transcript.turns:
        console.print(table)
    else:
        console.print(Text("(no turns)"))


def _header(transcript: Transcript) -> Text:
    held = transcript.held_at.isoformat() if transcript.held_at is not None else "-"
    n_turns = len(transcript.turns)
    n_speakers = len(transcript.speakers)
    lines = Text()
    lines.append(transcript.title or "(untitled)", style="bold")
    lines.append("\n")
    for key, value in (
        ("source", transcript.source),
        ("date", held),
        ("location", transcript.location or "-"),
        ("sections", f"{len(transcript.sections)}"
                     + (f": {' | '.join(transcript.sections)}" if transcript.sections else "")),
        ("speakers", f"{n_speakers}: "
                     + ", ".join(f"{s.name} ({s.role})" for s in transcript.speakers)
                     if n_speakers else "0"),
        ("turns", str(n_turns)),
    ):
        lines.append(f"{key:>9}: ", style="dim")
        lines.append(value)
        lines.append("\n")
    return lines


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _PREVIEW else flat[: _PREVIEW - 1].rstrip() + "…"


def _console(file: TextIO, *, stderr: bool = False) -> Console:
    is_tty = _isatty(file)
    return Console(
        file=file,
        width=None if is_tty else _PIPED_WIDTH,
        force_terminal=is_tty,
        no_color=not is_tty,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        stderr=stderr,
    )


def _isatty(file: TextIO) -> bool:
    try:
        return file.isatty()
    except (AttributeError, ValueError):  # closed or exotic streams
        return False


# --- progress ---------------------------------------------------------------------------------


class Advance(Protocol):
    """Moves a progress bar on by `n` steps."""

    def __call__(self, n: int = 1) -> None: ...


@contextmanager
def progress(
    total: int, description: str, *, quiet: bool, file: TextIO | None = None
) -> Iterator[Advance]:
    """A progress bar on an interactive stderr for the `with` block; nothing otherwise.

    Yields `advance(n=1)`, to be called as work completes:

        with progress(len(items), "Synthesising", quiet=args.quiet) as advance:
            for item in items:
                work(item)
                advance(1)
    """
    out = file if file is not None else sys.stderr
    if quiet or not _isatty(out):
        yield _no_advance
        return
    from rich.progress import (  # only when a bar is shown: it is slow to import
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=_console(out, stderr=file is None),
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=max(total, 0))

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def _no_advance(n: int = 1) -> None:
    """The `advance` of a hidden progress bar: does nothing."""
