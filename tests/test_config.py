"""The shared TOML reading behind voice profiles, the lexicon and podcast.toml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pressaudio.config import TomlFile, line_in_file, line_of, read_text, read_toml
from pressaudio.errors import ConfigError


def toml_file(tmp_path: Path, text: str) -> TomlFile:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    return read_toml(path, "test file")


def failure(tmp_path: Path, text: str) -> ConfigError:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_toml(path, "test file")
    return caught.value


# --- reading --------------------------------------------------------------------------------


def test_a_good_file_keeps_its_path_text_and_data(tmp_path: Path) -> None:
    toml = toml_file(tmp_path, 'title = "A"\n[owner]\nname = "B"\n')
    assert toml.path == tmp_path / "x.toml"
    assert toml.text == 'title = "A"\n[owner]\nname = "B"\n'
    assert toml.data == {"title": "A", "owner": {"name": "B"}}


def test_broken_toml_is_one_line_at_the_line_toml_names(tmp_path: Path) -> None:
    err = failure(tmp_path, 'a = 1\n\nb = = 2\nc = 3\n')
    assert err.line == 3
    assert err.source == str(tmp_path / "x.toml")
    assert str(err).startswith(f"{tmp_path / 'x.toml'}:3: broken TOML: ")
    assert "(at line" not in str(err)
    assert "\n" not in str(err)


def test_an_error_at_the_end_of_the_document_names_the_last_line(tmp_path: Path) -> None:
    err = failure(tmp_path, 'a = 1\nb = [1,\n  2,\n')
    assert err.message.startswith("broken TOML: ")
    assert err.message.endswith(" at the end of the file")
    assert "(at end of document)" not in err.message
    assert err.line == 4  # the (empty) line after the last newline


def test_text_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b'a = "ok"\nb = "\xff"\n')
    with pytest.raises(ConfigError) as caught:
        read_toml(path, "test file")
    assert (caught.value.message, caught.value.line) == ("test file is not UTF-8 text", 2)


def test_a_missing_file_is_an_error_unless_missing_ok(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_toml(tmp_path / "nope.toml", "test file")
    assert caught.value.message == "test file not found"
    assert caught.value.source == str(tmp_path / "nope.toml")
    assert read_toml(tmp_path / "nope.toml", "test file", missing_ok=True) is None
    assert read_text(tmp_path / "nope.toml", "test file", missing_ok=True) is None


def test_an_unreadable_path_names_the_reason(tmp_path: Path) -> None:
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(ConfigError) as caught:
        read_toml(tmp_path / "dir.toml", "test file", missing_ok=True)
    assert caught.value.message.startswith("cannot read test file: ")
    assert caught.value.line is None


def test_windows_and_old_mac_newlines_read_as_newlines(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b'a = 1\r\nb = 2\rc = "x"\r\n')
    toml = read_toml(path, "test file")
    assert toml.text == 'a = 1\nb = 2\nc = "x"\n'
    assert toml.data == {"a": 1, "b": 2, "c": "x"}
    assert toml.line_of("c") == 3


# --- line_of --------------------------------------------------------------------------------

TEXT = """\
# title = "in a comment"
title = "A"
"quoted key" = 1
rates = 3
rate = 2

[owner]
name = "B"
  email = 'b@example.com'

[alias]
FOIP = { say = "Foyp", ignore_case = true }
variants = [
    { voice = "en-gb", pitch = 55 },
    { voice = "en-us", rate = 150 },  # { pitch = 1 } in a comment
]
spell = [
    "NHK",
    "nhk",
]
"""


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("title", 2),  # the commented-out one is skipped
        ("quoted key", 3),
        ("rate", 5),  # not the `rates` before it
        ("owner", 7),  # a table header
        ("alias", 11),
        ("name", 8),  # a key in a table
        ("email", 9),  # indented, single-quoted value
        ("FOIP", 12),
        ("say", 12),  # inside an inline table
        ("ignore_case", 12),  # after a comma in an inline table
        ("voice", 14),
        ("pitch", 14),
        ("spell", 17),
        ("missing", None),
    ],
)
def test_line_of_finds_where_a_key_is_set(key: str, line: int | None) -> None:
    assert line_of(TEXT, key) == line


def test_line_of_an_item_finds_where_the_key_is_set_to_it() -> None:
    assert line_of(TEXT, "voice", "en-us") == 15  # the second `voice =`, not the first
    assert line_of(TEXT, "spell", "nhk") == 19  # an entry of the list
    assert line_of(TEXT, "spell", "NHK") == 18
    assert line_of(TEXT, "spell", "absent") == 17  # the key's own line
    assert line_of(TEXT, "absent", "NHK") is None


def test_line_in_file_reads_the_file_again(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(TEXT, encoding="utf-8")
    assert line_in_file(path, "rate") == 5
    assert line_in_file(path, "voice", "en-us") == 15
    assert line_in_file(None, "rate") is None
    assert line_in_file(tmp_path / "gone.toml", "rate") is None


# --- errors and typed getters ---------------------------------------------------------------


def test_error_names_the_file_and_the_line_of_the_key(tmp_path: Path) -> None:
    toml = toml_file(tmp_path, TEXT)
    err = toml.error("bad pitch", "pitch")
    assert str(err) == f"{tmp_path / 'x.toml'}:14: bad pitch"
    assert toml.error("no line").line is None
    assert toml.error("bad item", "spell", "nhk").line == 19


Read = Callable[[TomlFile], object]


def _rate(t: TomlFile) -> object:
    return t.integer("rate", 100, must="from 80 to 450", low=80, high=450)


@pytest.mark.parametrize(
    ("text", "read", "message", "line"),
    [
        ("\nname = 3\n", lambda t: t.string("name", "x"), "must be a string in quotes, not 3", 2),
        ('name = "  "\n', lambda t: t.string("name", "x"), "name must not be empty", 1),
        ("\nrate = 2.5\n", lambda t: t.integer("rate", 1), "must be a whole number, not 2.5", 2),
        ("rate = true\n", lambda t: t.integer("rate", 1), "must be a whole number, not True", 1),
        ("rate = 20\n", _rate, "rate must be from 80 to 450, not 20", 1),
        ('a = 1\nvolume = "1"\n', lambda t: t.number("volume", 1.0), "must be a number", 2),
        ("volume = 3\n", lambda t: t.number("volume", 1.0, low=0, high=1), "not 3", 1),
        ('a = 1\nlocked = "yes"\n', lambda t: t.boolean("locked", True),
         "locked must be true or false (without quotes), not 'yes'", 2),
        ("locked = 1\n", lambda t: t.boolean("locked", True), "true or false, not 1", 1),
        ('tags = "a"\n', lambda t: t.strings("tags"),
         "tags must be a list of strings in quotes, not 'a'", 1),
        ('tags = [\n  "a",\n  "",\n]\n', lambda t: t.strings("tags"),
         "tags must be a list of strings in quotes, not a list holding ''", 3),
        ('tags = ["a", 2]\n', lambda t: t.strings("tags"), "not a list holding 2", 1),
    ],
)  # fmt: skip
def test_a_wrong_type_names_the_key_the_value_and_the_line(
    tmp_path: Path, text: str, read: Read, message: str, line: int
) -> None:
    toml = toml_file(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        read(toml)
    assert message in caught.value.message
    assert caught.value.line == line
    assert caught.value.source == str(tmp_path / "x.toml")


def test_getters_return_values_and_defaults(tmp_path: Path) -> None:
    toml = toml_file(tmp_path, 'name = " A "\nrate = 5\nvolume = 1\nok = false\nempty = ""\n'
                               'tags = ["x", "y"]\n[sub]\nrate = 7\n')  # fmt: skip
    assert toml.string("name", "") == "A"
    assert toml.string("empty", "d", empty_ok=True) == ""
    assert toml.string("other", "d") == "d"
    assert toml.integer("rate", 0) == 5
    assert toml.integer("rate", 0, table=toml.data["sub"]) == 7
    assert toml.number("volume", 0.5) == 1.0
    assert isinstance(toml.number("volume", 0.5), float)
    assert toml.boolean("ok", True) is False
    assert toml.strings("tags") == ("x", "y")
    assert toml.strings("none") == ()


def test_check_keys_suggests_the_closest_key_or_lists_them(tmp_path: Path) -> None:
    toml = toml_file(tmp_path, 'title = "A"\n\ntitel = "B"\nv = [{ voice = "x", speed = 3 }]\n')
    with pytest.raises(ConfigError) as caught:
        toml.check_keys(("title", "v"))
    assert str(caught.value) == (
        f"{tmp_path / 'x.toml'}:3: unknown setting 'titel'; did you mean 'title'?"
    )
    with pytest.raises(ConfigError) as caught:
        toml.check_keys(("voice", "pitch"), table=toml.data["v"][0], where=" in a variant")
    assert caught.value.message == (
        "unknown setting 'speed' in a variant (expected one of: voice, pitch)"
    )
    assert caught.value.line == 4
    toml.check_keys(("title", "titel", "v"))  # all known: no error
