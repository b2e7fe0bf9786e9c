"""What `pressaudio follow` reads: the `[[sources]]` tables of podcast.toml.

A source is an RSS/Atom feed or an HTML index page (which one is decided by what the site
sends). Each table:

    [[sources]]
    name = "MOFA press conferences"                      # shown in messages; names the folder
    url = "https://www.mofa.go.jp/press/kaiken/index.html"
    links = "/press/kaiken/kaiken[0-9a-z]*_[0-9_]+[.]html$"  # which links are transcripts
    next = "/press/kaiken/index_[0-9]+[.]html$"          # pagination links (optional)
    pages = 3                                            # index pages read at most per round
    timezone = "Asia/Tokyo"                              # for dates without a zone
    since = 2024-01-01                                   # ignore older items on a first run
    limit = 20                                           # new pages fetched per round at most

`links` and `next` are regular expressions searched in each link's absolute URL. The
folder (`DIR/transcripts/<folder>/`) and the prefix of every saved file's name are the
name made safe, so saved names never clash between sources; `timezone` applies to the
files with that prefix. `EXAMPLES` is the bundled file of example definitions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

from pressaudio.config import TomlFile

__all__ = ["EXAMPLES_FILE", "Source", "examples_text", "sources_from_toml"]

EXAMPLES_FILE = "follow/sources.example.toml"  # under pressaudio/defaults/

# Each key a source table may have, with what its value must be (for the messages).
_KEYS: Mapping[str, str] = {
    "name": "a short name in quotes",
    "url": "an http(s):// URL in quotes",
    "links": "a regular expression in quotes",
    "next": "a regular expression in quotes",
    "pages": "a whole number from 1 to 50",
    "timezone": "a time zone name in quotes",
    "since": "a date such as 2024-01-01",
    "limit": "a whole number from 1 to 500",
    "recheck_days": "a whole number of days from 0 to 3650",
}
_URL = re.compile(r"^https?://[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
_FOLDER_MAX = 40


@dataclass(frozen=True)
class Source:
    """One site to follow, as podcast.toml defines it."""

    name: str
    url: str
    folder: str  # DIR/transcripts/<folder>/ and the prefix of saved file names
    links: str | None = None  # regex on absolute link URLs; None: the index's own folder
    next: str | None = None  # regex on pagination links of an index page
    pages: int = 3  # index pages read per round, the first included
    timezone: str | None = None
    since: date | None = None
    limit: int = 20  # new pages fetched per round
    recheck_days: int = 14  # re-check (conditionally) pages first seen this recently

    @property
    def file_pattern(self) -> str:
        """The podcast.toml `[timezones]` pattern for this source's saved files."""
        return f"{self.folder}--*"

    def is_transcript_link(self, url: str) -> bool:
        if self.links is not None:
            return re.search(self.links, url) is not None
        folder = self.url.rsplit("/", 1)[0] + "/"
        return url.startswith(folder) and url.split("#")[0] != self.url

    def is_next_link(self, url: str) -> bool:
        return self.next is not None and re.search(self.next, url) is not None


def sources_from_toml(
    toml: TomlFile, raw: Any, *, zone_problem: Callable[[str], str | None]
) -> tuple[Source, ...]:
    """The `[[sources]]` array of tables of podcast.toml; ConfigError naming the line."""
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise toml.error("sources must be [[sources]] tables, one per site", "sources")
    found: list[Source] = []
    folders: dict[str, str] = {}
    for table in raw:
        source = _source(toml, table, zone_problem)
        if source.folder in folders:
            message = (
                f"sources {folders[source.folder]!r} and {source.name!r} would share the "
                f"folder transcripts/{source.folder}/; give them more different names"
            )
            raise toml.error(message, "name", source.name)
        folders[source.folder] = source.name
        found.append(source)
    return tuple(found)


def _source(
    toml: TomlFile, t: dict[str, Any], zone_problem: Callable[[str], str | None]
) -> Source:
    toml.check_keys(_KEYS, table=t, where=" in [[sources]]")
    for missing, other in (("name", "url"), ("url", "name")):
        if missing not in t:
            near = t.get(other)
            raise toml.error(
                f"a [[sources]] table needs {missing} = ...",
                other if isinstance(near, str) else "sources",
                near if isinstance(near, str) else None,
            )
    name = toml.string("name", "", must=_KEYS["name"], table=t)
    url = toml.string("url", "", must=_KEYS["url"], table=t)
    if not _URL.match(url):
        raise toml.error(f"source url {url!r} is not an http(s):// URL", "url", url)
    values: dict[str, Any] = {}
    for key in ("links", "next"):
        if key in t:
            pattern = toml.string(key, "", must=_KEYS[key], table=t)
            try:
                re.compile(pattern)
            except re.error as err:
                raise toml.error(
                    f"{key} {pattern!r} is not a regular expression: {err}", key, pattern
                ) from None
            values[key] = pattern
    if "timezone" in t:
        zone = toml.string("timezone", "", must=_KEYS["timezone"], table=t)
        if problem := zone_problem(zone):
            raise toml.error(problem, "timezone", zone)
        values["timezone"] = zone
    if "since" in t:
        values["since"] = _since(toml, t["since"])
    for key, low, high in (("pages", 1, 50), ("limit", 1, 500), ("recheck_days", 0, 3650)):
        if key in t:
            values[key] = toml.integer(key, 0, must=_KEYS[key], low=low, high=high, table=t)
    folder = _folder(name)
    if not folder:
        raise toml.error(
            f"source name {name!r} needs some Latin letters or digits (it names a folder)",
            "name", name,
        )
    return Source(name=name, url=url, folder=folder, **values)


def _since(toml: TomlFile, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise toml.error(f"since must be {_KEYS['since']} (without quotes), not {value!r}", "since")


def _folder(name: str) -> str:
    from pressaudio.publish.catalogue import slugify

    return slugify(name)[:_FOLDER_MAX].rstrip("-")


def examples_text() -> str:
    """The bundled example source definitions (a TOML file of commented [[sources]])."""
    return resources.files("pressaudio").joinpath("defaults", EXAMPLES_FILE).read_text("utf-8")
