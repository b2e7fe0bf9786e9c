"""What `pressaudio follow` remembers: DIR/.pressaudio/follow.json.

Per page URL: what became of it (saved as a transcript, skipped and why, gone, too old),
its ETag, Last-Modified and content hash (for conditional GETs and to see a change), the
file it was saved as, when it was first seen and last fetched, and the episode (slug and
guid) publish made of it. Per listing URL (a feed or an index page): its validators and the
links it listed, so a 304 still knows them. Per host: until when it asked to be left alone.

The file is written atomically after each page, so a killed round loses at most the page
in hand; saved file names are a function of the URL, so fetching it again overwrites the
same file with the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pressaudio.errors import FollowError
from pressaudio.files import exclusive_lock
from pressaudio.publish.catalogue import atomic_write_bytes, slugify

__all__ = [
    "FollowState", "ListingRecord", "PageRecord", "Status", "file_name", "follow_lock",
    "load_state", "save_state",
]

STATE_FILE = "follow.json"
LOCK_FILE = "follow.lock"
FORMAT = 1

Status = Literal["saved", "skipped", "gone", "old", "failed"]


@dataclass(frozen=True)
class PageRecord:
    url: str
    source: str  # the source's folder
    status: Status
    first_seen: str  # ISO 8601, UTC
    file: str | None = None  # relative to DIR: transcripts/<folder>/<name>
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    final_url: str | None = None  # after redirects
    fetched: str | None = None  # last time its content was downloaded
    checked: str | None = None  # last time it was asked for
    reason: str | None = None  # why skipped, gone or failed
    episode: str | None = None  # the slug publish gave it
    guid: str | None = None


@dataclass(frozen=True)
class ListingRecord:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    items: tuple[tuple[str, str | None, str | None], ...] = ()  # (url, title, published)
    next_pages: tuple[str, ...] = ()
    checked: str | None = None


@dataclass(frozen=True)
class FollowState:
    pages: dict[str, PageRecord] = field(default_factory=dict)
    listings: dict[str, ListingRecord] = field(default_factory=dict)
    busy: dict[str, float] = field(default_factory=dict)  # host -> wall-clock seconds

    def with_page(self, record: PageRecord) -> FollowState:
        return replace(self, pages={**self.pages, record.url: record})

    def with_listing(self, record: ListingRecord) -> FollowState:
        return replace(self, listings={**self.listings, record.url: record})


def state_path(out: Path) -> Path:
    return out / ".pressaudio" / STATE_FILE


def load_state(out: Path, note: Any = None) -> FollowState:
    """The state of DIR; empty for a first run. An unreadable file is noted and ignored
    (every listed page is then fetched again, into the same files)."""
    path = state_path(out)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return FollowState()
    except (OSError, ValueError):
        if note is not None:
            note(f"{path}: unreadable; every listed page will be fetched again")
        return FollowState()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return FollowState()
    try:
        pages = {u: PageRecord(**r) for u, r in data.get("pages", {}).items()}
        listings = {
            u: replace(ListingRecord(**r), items=tuple(tuple(i) for i in r.get("items", ())),
                       next_pages=tuple(r.get("next_pages", ())))
            for u, r in data.get("listings", {}).items()
        }
        busy = {str(h): float(t) for h, t in data.get("busy", {}).items()}
    except (TypeError, ValueError):
        if note is not None:
            note(f"{path}: not in the expected shape; every listed page will be fetched again")
        return FollowState()
    return FollowState(pages, listings, busy)


def save_state(out: Path, state: FollowState) -> None:
    data = {
        "format": FORMAT,
        "pages": {u: _compact(asdict(r)) for u, r in sorted(state.pages.items())},
        "listings": {u: _compact(asdict(r)) for u, r in sorted(state.listings.items())},
        "busy": dict(sorted(state.busy.items())),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    atomic_write_bytes(state_path(out), text.encode("utf-8") + b"\n")


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None}


_EXTENSION = re.compile(r"\.(html?|xhtml|shtml|php|aspx?|jsp|txt|pdf)$", re.IGNORECASE)


def file_name(url: str, folder: str, suffix: str, taken: set[str]) -> str:
    """`<folder>--<last part of the URL>.<suffix>`: readable, stable for the URL, unique
    among `taken` (a clash adds a hash of the URL). The folder prefix keeps names (and so
    episode slugs and guids) apart between sources and lets the source's time zone apply."""
    parts = urlsplit(url)
    last = [p for p in parts.path.split("/") if p]
    stem = _EXTENSION.sub("", last[-1]) if last else ""
    stem = slugify(f"{stem} {parts.query}")[:60].rstrip("-")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    name = f"{folder}--{stem or digest}{suffix}"
    if name in taken:
        name = f"{folder}--{stem}-{digest}{suffix}" if stem else name
    return name


def follow_lock(out: Path) -> AbstractContextManager[None]:
    """Hold DIR/.pressaudio/follow.lock for the block; refuse if another follow holds it."""

    def held(pid: int | None) -> FollowError:
        who = f" (process {pid})" if pid is not None else ""
        return FollowError(
            f"another follow into this folder is running{who}; this round is skipped",
            source=str(out),
        )

    return exclusive_lock(out / ".pressaudio" / LOCK_FILE, held=held, error=FollowError)
