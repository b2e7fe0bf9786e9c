"""The transcript links a source lists: RSS/Atom entries (feedparser, imported here only)
or the links of an HTML index page (the standard library's HTML parser).

Links are made absolute (against the page, or its `<base href>`), lose their `#fragment`,
keep their first position and are kept when the source's `links` pattern matches them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urldefrag, urljoin

from pressaudio.follow.sources import Source

__all__ = ["Item", "Listing", "read_listing"]

_FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
    "application/rdf+xml", "application/feed+json",
})
_FEED_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.DOTALL
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    """One transcript page a source lists."""

    url: str
    title: str | None = None
    published: datetime | None = None  # the feed entry's date (UTC); None on index pages


@dataclass(frozen=True)
class Listing:
    kind: Literal["feed", "index"]
    items: tuple[Item, ...]  # in the source's order (feeds: newest first)
    next_pages: tuple[str, ...] = ()  # pagination links of an index page


def is_feed(body: bytes, content_type: str) -> bool:
    return content_type in _FEED_TYPES or _FEED_START.match(body[:4096]) is not None


def read_listing(
    body: bytes, content_type: str, url: str, source: Source, charset: str | None = None
) -> Listing:
    """What the page at `url` (a feed or an index page) lists for `source`."""
    if is_feed(body, content_type):
        return _feed(body, url, source)
    return _index(body, url, source, charset)


def _decode(body: bytes, charset: str | None) -> str:
    """Enough of the page's text to find its links: links are ASCII, titles cosmetic."""
    declared = charset or (m.group(1).decode("ascii") if (m := _META_CHARSET.search(body[:4096]))
                           else None)
    try:
        return body.decode(declared or "utf-8", "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _feed(body: bytes, url: str, source: Source) -> Listing:
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    items: list[Item] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip():
            continue
        absolute = urldefrag(urljoin(url, link.strip())).url
        if absolute in seen or (source.links is not None and not source.is_transcript_link(
            absolute
        )):
            continue
        seen.add(absolute)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        when = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        title = entry.get("title")
        items.append(Item(absolute, title if isinstance(title, str) else None, when))
    dated = sorted((i for i in items if i.published), key=lambda i: i.published or 0,
                   reverse=True)
    return Listing("feed", (*dated, *(i for i in items if i.published is None)))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.hrefs: list[tuple[str, list[str]]] = []  # (href, text parts)
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        elif tag == "a" and values.get("href"):
            self._open = []
            self.hrefs.append((str(values["href"]), self._open))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def _index(body: bytes, url: str, source: Source, charset: str | None) -> Listing:
    parser = _Links()
    parser.feed(_decode(body, charset))
    parser.close()
    base = urljoin(url, parser.base) if parser.base else url
    items: list[Item] = []
    pages: list[str] = []
    seen: set[str] = set()
    for href, text in parser.hrefs:
        if href.strip().lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
            continue
        absolute = urldefrag(urljoin(base, href.strip())).url
        if absolute in seen or not absolute.lower().startswith(("http://", "https://")):
            continue
        seen.add(absolute)
        if source.is_next_link(absolute):
            pages.append(absolute)
        elif source.is_transcript_link(absolute):
            title = " ".join("".join(text).split()) or None
            items.append(Item(absolute, title))
    return Listing("index", tuple(items), tuple(pages))
