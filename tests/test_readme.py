"""The README's command table documents every command the CLI has, and only those."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.main import get_command_name

from pressaudio.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
ROW = re.compile(r"^\|\s*`pressaudio ([a-z][a-z0-9-]*)\b[^`]*`\s*\|(.*)\|\s*$")


def cli_commands() -> dict[str, str]:
    """Every visible command (and command group) of the typer app -> its help text."""
    found: dict[str, str] = {}
    entries: list[tuple[str | None, Callable[..., Any] | None, str | None, bool]] = [
        (c.name, c.callback, c.help, bool(c.hidden)) for c in app.registered_commands
    ]
    for g in app.registered_groups:  # sub-apps (`pressaudio voices list` ...)
        sub = g.typer_instance
        assert sub is not None
        group_callback = g.callback
        if group_callback is None and sub.registered_callback is not None:
            group_callback = sub.registered_callback.callback
        group_help = g.help if isinstance(g.help, str) else sub.info.help
        entries.append((g.name or sub.info.name, group_callback,
                        group_help if isinstance(group_help, str) else None, bool(g.hidden)))
    for name, callback, help_text, hidden in entries:
        if hidden:
            continue
        if name is None:
            assert callback is not None
            name = get_command_name(callback.__name__)
        doc = help_text if isinstance(help_text, str) else (
            (inspect.getdoc(callback) or "") if callback is not None else ""
        )
        found[name] = doc
    return found


def readme_table() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        if m := ROW.match(line):
            rows[m.group(1)] = m.group(2).strip()
    return rows


def test_every_command_is_in_the_readme_table() -> None:
    commands = cli_commands()
    table = readme_table()
    assert "segment" in commands  # the test sees the real app
    missing = sorted(set(commands) - set(table))
    assert not missing, f"commands missing from README.md's command table: {missing}"
    for name, what in table.items():
        assert what, f"README.md says nothing about `pressaudio {name}`"


def test_the_readme_table_lists_no_command_that_does_not_exist() -> None:
    stale = sorted(set(readme_table()) - set(cli_commands()))
    assert not stale, f"README.md documents commands the CLI lacks: {stale}"


def test_every_command_has_help_with_an_example() -> None:
    for name, doc in cli_commands().items():
        assert doc.strip(), f"`pressaudio {name}` has no help"
        assert "Example:" in doc, f"`pressaudio {name} --help` shows no example"
