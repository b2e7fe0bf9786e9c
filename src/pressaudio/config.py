"""Reading the TOML files a publisher edits: voice profiles, the lexicon, podcast.toml.

`read_toml(path, what)` reads and parses one file; every problem is a ConfigError naming
the file and, where there is one, the line. The `TomlFile` it returns has typed getters
that fail the same way, and `line_of(key)` for problems found later. What each file may
contain, and what its values must look like beyond their type, stays with its reader.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from pressaudio.errors import ConfigError

Table = Mapping[str, Any]

_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


# --- reading --------------------------------------------------------------------------------


@overload
def read_text(path: Path, what: str) -> str: ...
@overload
def read_text(path: Path, what: str, *, missing_ok: Literal[True]) -> str | None: ...
def read_text(path: Path, what: str, *, missing_ok: bool = False) -> str | None:
    """The file's UTF-8 text with newlines made "\\n"; `what` names it in errors
    ("voice profile"). With `missing_ok`, a missing file is None instead of an error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None
        raise ConfigError(f"{what} not found", source=str(path)) from None
    except OSError as err:
        raise ConfigError(f"cannot read {what}: {err.strerror}", source=str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ConfigError(f"{what} is not UTF-8 text", source=str(path), line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@overload
def read_toml(path: Path, what: str) -> TomlFile: ...
@overload
def read_toml(path: Path, what: str, *, missing_ok: Literal[True]) -> TomlFile | None: ...
def read_toml(path: Path, what: str, *, missing_ok: bool = False) -> TomlFile | None:
    """Read and parse one TOML file; broken TOML is an error at the line TOML names."""
    text = read_text(path, what, missing_ok=True) if missing_ok else read_text(path, what)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message, line = str(err), None
        if found := _AT_LINE.search(message):
            message, line = message[: found.start()], int(found.group(1))
        elif found := _AT_END.search(message):
            message, line = message[: found.start()] + " at the end of the file", _lines(text)
        raise ConfigError(f"broken TOML: {message}", source=str(path), line=line) from None
    return TomlFile(path, text, data)


def _lines(text: str) -> int:
    return text.count("\n") + 1


# --- finding lines --------------------------------------------------------------------------


def line_of(text: str, key: str, item: str | None = None) -> int | None:
    """The line where `key` is set: `key = ...` at the start of a line or in an inline table
    (`{ key = ...`, `, key = ...`), or a `[key]` table header; comments are skipped.

    With `item`, the line of that quoted string: where `key = "item"` is set, else its first
    appearance after the place `key` is first set (an entry of a list); else the key's line.
    """
    name = re.escape(key)
    pattern = (
        rf"(?m)(?:^|[{{,])[ \t]*([\"']?){name}\1[ \t]*="
        rf"|^[ \t]*\[\[?[ \t]*([\"']?){name}\2[ \t]*\]"
    )
    found = [m for m in re.finditer(pattern, text) if not _in_comment(text, m.start())]
    if not found:
        return None
    start = found[0].start()
    if item is not None:
        quoted = rf"[\"']{re.escape(item)}[\"']"
        value = re.compile(rf"[ \t]*{quoted}")
        if exact := next((m for m in found if value.match(text, m.end())), None):
            start = exact.start()
        elif later := re.compile(quoted).search(text, start):
            start = later.start()
    return text.count("\n", 0, start) + 1


def _in_comment(text: str, at: int) -> bool:
    return "#" in text[text.rfind("\n", 0, at) + 1 : at]


def line_in_file(path: Path | None, key: str, item: str | None = None) -> int | None:
    """`line_of` in a file read earlier, for problems found after loading; None when the
    file is gone or unreadable (the error is still reported, without its line)."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return line_of(text, key, item)


# --- the parsed file ------------------------------------------------------------------------


@dataclass(frozen=True)
class TomlFile:
    """One parsed TOML file. Getters read `data`, or `table` (a table inside it), and raise
    a ConfigError naming the file and the line of the key. `must` says what a value must
    be ("an engine voice id"), for the message."""

    path: Path
    text: str
    data: dict[str, Any]

    def line_of(self, key: str, item: str | None = None) -> int | None:
        return line_of(self.text, key, item)

    def error(self, message: str, key: str | None = None, item: str | None = None) -> ConfigError:
        line = None if key is None else self.line_of(key, item)
        return ConfigError(message, source=str(self.path), line=line)

    def check_keys(
        self, allowed: Iterable[str], *, table: Table | None = None, where: str = ""
    ) -> None:
        """Fail on the first key not in `allowed`, suggesting the closest allowed one, or
        listing them. `where` places the table in the message (" in a variant")."""
        names = list(allowed)
        for key in self.data if table is None else table:
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1)
                if close:
                    hint = f"; did you mean {close[0]!r}?"
                else:
                    hint = f" (expected one of: {', '.join(names)})"
                raise self.error(f"unknown setting {key!r}{where}{hint}", key)

    def string(
        self,
        key: str,
        default: str,
        *,
        must: str = "a string in quotes",
        empty_ok: bool = False,
        table: Table | None = None,
    ) -> str:
        """The value without surrounding spaces; empty only with `empty_ok`."""
        value = self._get(key, default, table)
        if not isinstance(value, str):
            raise self.error(f"{key} must be {must}, not {value!r}", key)
        if not value.strip() and not empty_ok:
            raise self.error(f"{key} must not be empty", key)
        return value.strip()

    def integer(
        self,
        key: str,
        default: int,
        *,
        must: str = "a whole number",
        low: int | None = None,
        high: int | None = None,
        table: Table | None = None,
    ) -> int:
        value = self._get(key, default, table)
        if isinstance(value, bool) or not isinstance(value, int) or not _within(value, low, high):
            raise self.error(f"{key} must be {must}, not {value!r}", key)
        return value

    def number(
        self,
        key: str,
        default: float,
        *,
        must: str = "a number",
        low: float | None = None,
        high: float | None = None,
        table: Table | None = None,
    ) -> float:
        value = self._get(key, default, table)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not _within(value, low, high)
        ):
            raise self.error(f"{key} must be {must}, not {value!r}", key)
        return float(value)

    def boolean(self, key: str, default: bool, *, table: Table | None = None) -> bool:
        value = self._get(key, default, table)
        if not isinstance(value, bool):
            quotes = " (without quotes)" if isinstance(value, str) else ""
            raise self.error(f"{key} must be true or false{quotes}, not {value!r}", key)
        return value

    def strings(
        self,
        key: str,
        default: tuple[str, ...] = (),
        *,
        must: str = "a list of strings in quotes",
        table: Table | None = None,
    ) -> tuple[str, ...]:
        """A list of non-empty strings, as written."""
        value = self._get(key, default, table)
        if not isinstance(value, list | tuple):
            raise self.error(f"{key} must be {must}, not {value!r}", key)
        for item in value:
            if not isinstance(item, str) or not item.strip():
                at = item if isinstance(item, str) else None
                raise self.error(f"{key} must be {must}, not a list holding {item!r}", key, at)
        return tuple(value)

    def _get(self, key: str, default: Any, table: Table | None) -> Any:
        return (self.data if table is None else table).get(key, default)


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)
