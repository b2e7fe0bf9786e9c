"""podcast.toml: defaults, `init`'s template, validation with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressaudio.errors import ConfigError
from pressaudio.publish.cover import draw_cover
from pressaudio.publish.settings import (
    APPLE_CATEGORIES,
    PodcastSettings,
    load_settings,
    write_template,
)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "podcast.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_no_file_gives_the_documented_defaults(tmp_path: Path) -> None:
    s = load_settings(tmp_path)
    assert s == PodcastSettings()
    assert s.path is None
    assert s.category in APPLE_CATEGORIES
    assert s.explicit is False


def test_init_template_loads_back_as_the_defaults(tmp_path: Path) -> None:
    path = write_template(tmp_path / "feed")
    text = path.read_text(encoding="utf-8")
    assert text.count("#") > 15  # commented for a publisher to edit
    s = load_settings(tmp_path / "feed")
    assert s.path == path
    from dataclasses import replace

    assert replace(s, path=None) == PodcastSettings()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    write(tmp_path, 'title = "Mine"\n')
    with pytest.raises(ConfigError) as exc:
        write_template(tmp_path)
    assert "already exists" in str(exc.value)
    assert (tmp_path / "podcast.toml").read_text() == 'title = "Mine"\n'


def test_full_settings(tmp_path: Path) -> None:
    art = tmp_path / "art.png"
    art.write_bytes(draw_cover("X", "Y"))
    write(
        tmp_path,
        """
title = "MOFA Press Conferences"
description = "Briefings by the Minister"
author = "Ministry of Foreign Affairs"
language = "ja"
category = "News"
subcategory = "Politics"
explicit = true
timezone = "Asia/Tokyo"
artwork = "art.png"
link = "https://mofa.example.jp/"
copyright = "© MOFA"
locked = false

[owner]
name = "Press Division"
email = "press@mofa.example.jp"
""",
    )
    s = load_settings(tmp_path)
    assert s.title == "MOFA Press Conferences"
    assert (s.owner_name, s.owner_email) == ("Press Division", "press@mofa.example.jp")
    assert (s.category, s.subcategory, s.explicit, s.locked) == ("News", "Politics", True, False)
    assert s.tzinfo.key == "Asia/Tokyo"
    assert s.artwork == art.resolve()
    assert (s.link, s.copyright) == ("https://mofa.example.jp/", "© MOFA")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('title = "A"\ncategory = "Politics"\n', 2, "Apple's podcast categories"),
        ('category = "News"\nsubcategory = "Cooking"\n', 2, "not a subcategory of News"),
        ('category = "Government"\nsubcategory = "Politics"\n', 2, "allowed: none"),
        ('\n\ntimezone = "Asia/Tokio"\n', 3, "Asia/Tokyo"),
        ('owner_email = "not-an-address"\n', 1, "not an address"),
        ('explicit = "no"\n', 1, "true or false"),
        ('titel = "A"\n', 1, "unknown setting 'titel'; did you mean 'title'?"),
        ('language = "English"\n', 1, "code like en"),
        ('artwork = "missing.png"\n', 1, "does not exist"),
        ('title = ""\n', 1, "must not be empty"),
        ('link = "ftp://x"\n', 1, "http(s) URL"),
        ('title = "A"\nbase_url = "localhost:8000"\n', 2, "base_url 'localhost:8000' is not"),
        ('title = "A"\ndescription = "unterminated\n', 2, "broken TOML"),
        ('title = "A"\n[owner\n', 2, "broken TOML"),
        ('title = "A"\n[timezones]\n"*china*" = "Asia/Beijing"\n', 3, "unknown time zone"),
        ('[timezones]\n"*a*" = 9\n', 2, "string in quotes"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path)
    err = exc.value
    assert err.source == str(tmp_path / "podcast.toml")
    assert err.line == line
    assert words in str(err)
    assert str(err).startswith(f"{tmp_path / 'podcast.toml'}:{line}: ")


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "podcast.toml").write_bytes(b'title = "A"\nauthor = "\xff"\n')
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path)
    assert exc.value.line == 2


def test_time_zones_by_file_name(tmp_path: Path) -> None:
    write(tmp_path, 'timezone = "Asia/Tokyo"\n[timezones]\n"*china-mfa*" = "Asia/Shanghai"\n'
                    '"*.HTML" = "Europe/London"\n')
    s = load_settings(tmp_path)
    assert s.tz_for("30_china-mfa-mao-ning-2023-10-27.txt").key == "Asia/Shanghai"
    assert s.tz_for("briefing.html").key == "Europe/London"  # patterns ignore case
    assert s.tz_for("01_mofa-kamikawa.txt").key == "Asia/Tokyo"


def test_empty_optional_values_mean_unset(tmp_path: Path) -> None:
    write(tmp_path, 'subcategory = ""\nartwork = ""\nlink = ""\ncopyright = ""\nguid = ""\n')
    s = load_settings(tmp_path)
    assert (s.subcategory, s.artwork, s.link, s.copyright, s.guid) == (None,) * 5


def test_base_url_is_optional_and_written_commented_by_init(tmp_path: Path) -> None:
    text = write_template(tmp_path / "feed").read_text(encoding="utf-8")
    assert '\n# base_url = "https://podcast.example.org/"\n' in text
    assert load_settings(tmp_path / "feed").base_url is None  # commented: not set
    write(tmp_path, 'base_url = "https://podcast.example.org/briefings/"\n')
    assert load_settings(tmp_path).base_url == "https://podcast.example.org/briefings/"
    write(tmp_path, 'base_url = ""\n')
    assert load_settings(tmp_path).base_url is None
