"""The published podcast as data: what the feed (feed.py) and the web page (site.py) both read.

`publish()` builds one `Catalogue` per run: the podcast settings, the base URL, the cover
and every episode (newest first) with its transcript and rendered files. Nothing here does
I/O; the atomic writer every publish-stage writer uses (files.py) is named here too.

Layout of a published folder DIR (all URLs are `base_url` + the path relative to DIR):

    feed.xml                     RSS 2.0 (written last)
    index.html                   the podcast's web page (site.py)
    cover.png | cover.jpg        artwork
    episodes/<stem>.mp3          audio; <stem> is the slug, or "<slug>.r<N>" for the Nth
                                 rendering of a corrected transcript (a new name, so the feed
                                 being served never points at a file that changes under it)
    episodes/<stem>.chapters.json, .vtt, .srt
    episodes/<slug>.html         the episode's HTML transcript (site.py)
    .pressaudio/                 manifest, lock and staging area (not for serving)
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from pressaudio.files import TEMP_MARK, atomic_write_bytes, atomic_write_text, remove_temporaries
from pressaudio.model import Episode, Transcript
from pressaudio.publish.settings import PodcastSettings

# The Podcasting 2.0 namespace's UUID for podcast:guid (UUIDv5 of the feed URL).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
# pressaudio's own namespace for episode guids: UUIDv5 of the source's file name.
EPISODE_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pressaudio.invalid/episode")

DateOrigin = Literal["transcript", "default-timezone", "file-mtime"]


@dataclass(frozen=True)
class PublishedEpisode:
    """One item of the feed: a transcript and the files rendered from it."""

    slug: str  # safe ASCII, unique within the podcast: [a-z0-9-], never "." or ".."
    guid: str  # stable across corrections: derived from the source's name, not its content
    source: str  # the transcript's path as given to publish
    title: str
    published: datetime  # timezone-aware
    date_origin: DateOrigin  # where `published` came from
    summary: str  # plain text, a few sentences
    transcript: Transcript
    episode: Episode  # absolute paths inside DIR/episodes
    mp3_bytes: int  # exact size of episode.mp3

    @property
    def html_name(self) -> str:
        """File name (in DIR/episodes) of the episode's HTML transcript page."""
        return f"{self.slug}.html"


@dataclass(frozen=True)
class Catalogue:
    settings: PodcastSettings
    out_dir: Path  # absolute
    base_url: str  # absolute http(s) URL ending in "/"
    cover: Path  # absolute, inside out_dir
    episodes: tuple[PublishedEpisode, ...]  # newest first

    @property
    def feed_path(self) -> Path:
        return self.out_dir / "feed.xml"

    @property
    def feed_url(self) -> str:
        return self.base_url + "feed.xml"

    @property
    def link(self) -> str:
        """The podcast's web page."""
        return self.settings.link or self.base_url

    def url(self, path: Path) -> str:
        """The public URL of a file inside out_dir."""
        return self.base_url + relative_url(path, self.out_dir)

    def html_transcript(self, ep: PublishedEpisode) -> Path:
        return self.out_dir / "episodes" / ep.html_name


def relative_url(path: Path, root: Path) -> str:
    """The URL of `path` relative to the folder `root` it is in (percent-encoded).

    Symlinks are not followed: episodes/ may be a symlink onto another disk, and what is
    served under root/episodes/ is still there."""
    rel = Path(os.path.normpath(path.absolute())).relative_to(os.path.normpath(root.absolute()))
    return quote(rel.as_posix())


def normalise_base_url(url: str) -> str:
    """`https://example.org/pod` -> `https://example.org/pod/`; raises ValueError if not http(s)."""
    url = url.strip()
    if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", url):
        raise ValueError(f"{url!r} is not an http(s) URL like https://example.org/podcast/")
    return url.rstrip("/") + "/"


def podcast_guid(feed_url: str) -> str:
    """podcast:guid per the namespace spec: UUIDv5 of the feed URL minus scheme and end slashes."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def episode_guid(source_name: str) -> str:
    """An item guid from the source's identity (its file name), never from its content."""
    return str(uuid.uuid5(EPISODE_GUID_NAMESPACE, source_name))


_SLUG_MAX = 80


def slugify(text: str) -> str:
    """Safe ASCII file-name part: lower-case letters, digits and single hyphens; may be ""."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:_SLUG_MAX].rstrip("-")


# --- atomic writes: one writer for the whole project (files.py), named here for publish ---

__all__ = [
    "EPISODE_GUID_NAMESPACE", "PODCAST_GUID_NAMESPACE", "TEMP_MARK", "Catalogue", "DateOrigin",
    "PublishedEpisode", "atomic_write_bytes", "atomic_write_text",
    "episode_guid", "normalise_base_url", "podcast_guid", "relative_url",
    "remove_temporaries", "slugify",
]
