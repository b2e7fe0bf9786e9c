"""The podcast's own settings: DIR/podcast.toml, or documented defaults when there is none.

`load_settings(dir)` reads and validates the file; `write_template(dir)` is `pressaudio init`.
Every problem a publisher can cause is a ConfigError naming podcast.toml and the line.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pressaudio.config import TomlFile, line_in_file, read_toml
from pressaudio.errors import ConfigError
from pressaudio.follow.sources import Source, examples_text, sources_from_toml

SETTINGS_FILE = "podcast.toml"

# Apple Podcasts' categories and subcategories, as the W3C feed validator checks them
# (https://podcasters.apple.com/support/1691-apple-podcasts-categories).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
        "Home & Garden", "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
        "Sports News", "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Spirituality",
    ),
    "Science": (
        "Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
        "Natural Sciences", "Nature", "Physics", "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships",
    ),
    "Sports": (
        "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey",
        "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

_EMAIL = re.compile(r"^[A-Za-z0-9_+.\-]+@([A-Za-z0-9\-]+\.)+[A-Za-z]{2,}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_BOOLEANS = ("explicit", "locked", "daisy", "check")
_OPTIONAL = (  # "": not set
    "subcategory", "link", "base_url", "copyright", "artwork", "guid", "cluster",
)
_INTEGERS = {"feed_items": (1, 100_000), "page_episodes": (1, 1_000)}  # (lowest, highest)
_CLUSTER = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://\S+$")


@dataclass(frozen=True)
class PodcastSettings:
    """What the feed says about the podcast itself. Field defaults are the documented ones."""

    title: str = "Government Press Conferences"
    description: str = (
        "Government press conferences, read aloud: each speaker in a distinct synthetic voice, "
        "with chapters for every question and the full transcript."
    )
    author: str = "pressaudio"
    owner_name: str = "pressaudio"
    owner_email: str = "podcast@example.com"
    language: str = "en"
    category: str = "Government"
    subcategory: str | None = None
    explicit: bool = False
    timezone: str = "UTC"
    timezones: tuple[tuple[str, str], ...] = ()  # (file-name pattern, zone), first match wins
    link: str | None = None  # the podcast's web page; None: the published index.html
    base_url: str | None = None  # where DIR is served, when publish/follow get no --base-url
    copyright: str | None = None
    artwork: Path | None = None  # absolute; None: a cover generated from the title
    locked: bool = True  # podcast:locked: other hosts may not import the feed
    daisy: bool = False  # also publish each episode as a DAISY 2.02 book (episodes/*.daisy.zip)
    guid: str | None = None  # podcast:guid pinned here; None: derived from the feed URL
    feed_items: int = 300  # feed.xml carries this many newest episodes; the page, all
    page_episodes: int = 50  # index.html shows this many newest; archive pages the rest
    cluster: str | None = None  # a Dask scheduler to render on (publish --cluster)
    check: bool = False  # listen to each episode rendered, as publish --check does
    sources: tuple[Source, ...] = ()  # [[sources]] for `pressaudio follow`
    path: Path | None = None  # the file these came from; None: the built-in defaults

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def tz_for(self, file_name: str) -> ZoneInfo:
        """The time zone for dates without one in the transcript file `file_name`."""
        for pattern, zone in self.timezones:
            if fnmatch.fnmatchcase(file_name.lower(), pattern.lower()):
                return ZoneInfo(zone)
        return self.tzinfo


def load_settings(directory: Path) -> PodcastSettings:
    """Read DIR/podcast.toml; without one, the documented defaults (with `path` None)."""
    toml = read_toml(directory / SETTINGS_FILE, "podcast settings file", missing_ok=True)
    return PodcastSettings() if toml is None else _validate(toml)


def _validate(toml: TomlFile) -> PodcastSettings:
    tables = ("owner", "timezones", "sources")
    known = tuple(f.name for f in fields(PodcastSettings) if f.name not in ("path", *tables))
    data = dict(toml.data)
    values: dict[str, Any] = {}

    # Accept an [owner] table as well as owner_name / owner_email.
    owner = data.pop("owner", None)
    if isinstance(owner, dict):
        for k, v in owner.items():
            data.setdefault(f"owner_{k}", v)
    elif owner is not None:
        raise toml.error("owner must be a table with name and email", "owner")

    zones = data.pop("timezones", None)
    if zones is not None:
        if not isinstance(zones, dict):
            message = 'timezones must be a table of "pattern" = "Zone/Name"'
            raise toml.error(message, "timezones")
        pairs = []
        for pattern, zone in zones.items():
            if not isinstance(zone, str):
                message = f"the time zone for {pattern!r} must be a string in quotes"
                raise toml.error(message, pattern)
            problem = _zone_problem(zone.strip())
            if problem:
                raise toml.error(problem, pattern)
            pairs.append((pattern, zone.strip()))
        values["timezones"] = tuple(pairs)

    if "sources" in data:  # each source's zone applies to the files follow saves from it
        sources = sources_from_toml(toml, data.pop("sources"), zone_problem=_zone_problem)
        own = tuple((s.file_pattern, s.timezone) for s in sources if s.timezone)
        values["sources"] = sources
        values["timezones"] = (*values.get("timezones", ()), *own)

    toml.check_keys((*known, *tables), table=data)
    for key in data:
        if key in _BOOLEANS:
            values[key] = toml.boolean(key, False, table=data)
        elif key in _INTEGERS:
            low, high = _INTEGERS[key]
            values[key] = toml.integer(
                key, 0, must=f"a whole number from {low} to {high}", low=low, high=high, table=data
            )
        elif value := toml.string(key, "", empty_ok=key in _OPTIONAL, table=data):
            values[key] = value

    if "owner_email" in values and not _EMAIL.match(values["owner_email"]):
        message = f"owner email {values['owner_email']!r} is not an address"
        raise toml.error(message, "owner_email")
    if "language" in values and not _LANGUAGE.match(values["language"]):
        message = f"language {values['language']!r} is not a code like en or ja-JP"
        raise toml.error(message, "language")
    category = values.get("category", PodcastSettings.category)
    if category not in APPLE_CATEGORIES:
        close = difflib.get_close_matches(category, list(APPLE_CATEGORIES), n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        message = f"{category!r} is not one of Apple's podcast categories{hint}"
        raise toml.error(message, "category")
    sub = values.get("subcategory")
    if sub is not None and sub not in APPLE_CATEGORIES[category]:
        allowed = ", ".join(APPLE_CATEGORIES[category]) or "none"
        message = f"{sub!r} is not a subcategory of {category} (allowed: {allowed})"
        raise toml.error(message, "subcategory")
    if "timezone" in values and (problem := _zone_problem(values["timezone"])):
        raise toml.error(problem, "timezone")
    if "link" in values and not _URL.match(values["link"]):
        raise toml.error(f"link {values['link']!r} is not an http(s) URL", "link")
    if "base_url" in values and not _URL.match(values["base_url"]):
        message = f"base_url {values['base_url']!r} is not an http(s) URL"
        raise toml.error(message, "base_url")
    if "cluster" in values and not _CLUSTER.match(values["cluster"]):
        message = f"cluster {values['cluster']!r} is not a Dask scheduler address like tcp://host:8786"
        raise toml.error(message, "cluster")
    if "guid" in values and not _UUID.match(values["guid"]):
        raise toml.error(f"guid {values['guid']!r} is not a UUID", "guid")
    if "artwork" in values:
        art = Path(os.path.expanduser(values["artwork"]))
        art = art if art.is_absolute() else toml.path.parent / art
        if not art.is_file():
            raise toml.error(f"artwork file {str(art)!r} does not exist", "artwork")
        if art.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            message = "artwork must be a .png or .jpg file (Apple's requirement)"
            raise toml.error(message, "artwork")
        values["artwork"] = art.resolve()
    return PodcastSettings(**values, path=toml.path)


def _zone_problem(zone: str) -> str | None:
    """Why `zone` is not an IANA time zone name, or None if it is one."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(zone, sorted(available_timezones()), n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        return f"unknown time zone {zone!r}{hint}"
    return None


def setting_line(settings: PodcastSettings, key: str) -> int | None:
    """The line of `key` in the settings file, for errors found later (bad artwork image)."""
    return line_in_file(settings.path, key)


TEMPLATE = """\
# The podcast's own settings, read by `pressaudio publish`.
# Edit the values; delete a line to fall back to its default.

# The show's name, as podcast apps list it.
title = "{title}"

# One or two sentences for the podcast's page in an app.
description = "{description}"

# Who publishes it (itunes:author), and who to contact about the feed (itunes:owner).
# Apple and other directories send verification mail to owner_email.
author = "{author}"
owner_name = "{owner_name}"
owner_email = "{owner_email}"

# Language of the episodes: a code such as "en", "en-GB", "ja".
language = "{language}"

# One of Apple's podcast categories, e.g. "Government", or "News" with
# subcategory "Politics" or "Daily News". The full list:
# https://podcasters.apple.com/support/1691-apple-podcasts-categories
category = "{category}"
subcategory = ""

# true if episodes contain explicit language (itunes:explicit true/false).
explicit = false

# Time zone (IANA name) for transcripts whose date has no time zone,
# e.g. "Asia/Tokyo", "Europe/London", "America/New_York".
timezone = "{timezone}"

# Square PNG or JPEG, 1400 to 3000 pixels, relative to this file.
# Empty: a 3000x3000 cover is generated from the title.
artwork = ""

# The podcast's web page. Empty: the index.html published next to the feed.
link = ""

# Where this folder will be served: every link in the feed starts with it. publish and
# follow use it when they are given no --base-url (the option wins).
# base_url = "https://podcast.example.org/"

# e.g. "Public domain" or "© 2024 Ministry of Example"
copyright = ""

# podcast:locked: true asks other podcast hosts not to import this feed.
locked = true

# Every episode is also published as an EPUB 3 talking book (text highlighted as it is
# spoken). true also publishes a DAISY 2.02 book (a zip), which hardware players such as
# the Victor Reader Stream and libraries for the blind read.
daisy = false

# podcast:guid is derived from the feed URL on first publish; to keep the podcast's
# identity when the feed moves, copy the value from feed.xml here.
guid = ""

# How many of the newest episodes feed.xml carries (podcast apps read the whole feed on
# every check, so keep it modest); older ones stay on the web page's archive pages.
feed_items = 300

# How many of the newest episodes the web page (index.html) shows with players; the rest
# are listed on archive pages, one per year, each linking to the episode's own page.
page_episodes = 50

# A Dask scheduler to render episodes on, e.g. "tcp://render1.example.org:8786" (the
# same as publish --cluster; needs pressaudio[cluster]). Empty: this machine's cores.
cluster = ""

# true: after rendering, a speech recogniser listens to each episode rendered in that run
# and lists the cues a listener may mishear in episodes/<slug>.check.txt (the same as
# publish --check; needs pressaudio[check]; a few seconds per episode).
check = false

# Time zones for some transcripts, by file-name pattern (* matches anything); the first
# match wins, other files use `timezone` above. Keep this table at the end of the file,
# before any [[sources]].
[timezones]
{timezones}
# Sites `pressaudio follow` fetches new transcripts from (RSS/Atom feeds or index pages).
# Remove the "# " before the lines of a source to follow it; they are examples to verify.
{sources}"""


def _commented_examples() -> str:
    """The bundled example sources (without their header comment), commented out."""
    body = examples_text().split("\n\n", 1)[-1]
    return "".join(
        f"{line}\n" if line.startswith("#") or not line.strip() else f"# {line}\n"
        for line in body.splitlines()
    )


def write_template(directory: Path) -> Path:
    """`pressaudio init`: write a commented DIR/podcast.toml; never overwrite one."""
    d = PodcastSettings()
    text = TEMPLATE.format(
        title=d.title,
        description=d.description,
        author=d.author,
        owner_name=d.owner_name,
        owner_email=d.owner_email,
        language=d.language,
        category=d.category,
        timezone=d.timezone,
        timezones='# "*china-mfa*" = "Asia/Shanghai"\n',
        sources=_commented_examples(),
    )
    path = directory / SETTINGS_FILE
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as f:  # "x": refuses an existing file
            f.write(text)
    except FileExistsError:
        raise ConfigError(
            "already exists; edit it, or delete it to start again", source=str(path)
        ) from None
    except OSError as err:
        raise ConfigError(f"cannot write: {err.strerror}", source=str(path)) from None
    return path
