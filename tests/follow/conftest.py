"""A local web server on 127.0.0.1 that plays government sites for `pressaudio follow`.

`Site` holds the pages (path -> Page) and can be changed between two runs of the real
command: a page edited (same URL), removed (404), a 429 with Retry-After for the next
request of a path, a redirect, a robots.txt. Every request is logged with its headers, so
tests see what the client sent (User-Agent, If-None-Match) and what it never asked for.

The pages are shaped like the real ones: the MOFA press-conference list
(https://www.mofa.go.jp/press/kaiken/index.html) and its transcript pages, built from the
real transcripts in this folder (see SOURCES.tsv), and a White House briefing-room RSS feed.
"""

from __future__ import annotations

import hashlib
import html
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MOFA_0929 = HERE / "mofa-kamikawa-2023-09-29.txt"  # kaiken24e_000220.html
MOFA_0119 = HERE / "mofa-kamikawa-2024-01-19.txt"  # kaikenwe_000001_00025.html
WH_GAGGLE = HERE / "wh-kirby-gaggle-2024-03-25.txt"
LAST_MODIFIED = "Fri, 29 Sep 2023 09:00:00 GMT"


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=UTF-8"
    status: int = 200
    location: str | None = None  # for a redirect
    validators: bool = True  # send ETag and Last-Modified, answer 304 to a match


@dataclass
class Site:
    pages: dict[str, Page] = field(default_factory=dict)
    busy: dict[str, int] = field(default_factory=dict)  # path -> Retry-After for next GET
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    observer: Callable[[str], None] = lambda path: None  # called at each request

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests_for(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.log if p == path]

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.log]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        site = self.site
        path = self.path
        with site.lock:
            site.log.append((path, {k: v for k, v in self.headers.items()}))
            site.observer(path)
            retry = site.busy.pop(path, None)
            page = site.pages.get(path)
        if retry is not None:
            self._send(429, b"Too Many Requests\n", "text/plain", {"Retry-After": str(retry)})
            return
        if page is None:
            self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
            return
        if page.location is not None:
            self._send(page.status, b"", "text/html", {"Location": page.location})
            return
        headers: dict[str, str] = {}
        if page.validators:
            tag = etag_of(page.body)
            headers = {"ETag": tag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == tag:
                self._send(304, b"", None, headers)
                return
        self._send(page.status, page.body, page.content_type, headers)

    def _send(self, status: int, body: bytes, ctype: str | None,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[Site]:
    """A server on 127.0.0.1 (any free port) in a thread, always shut down."""
    s = Site()
    handler = type("Handler", (_Handler,), {"site": s})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    s.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- pages shaped like the real sites ---------------------------------------------------------


def mofa_page(text: str) -> bytes:
    """A MOFA transcript page: masthead, global navigation, breadcrumbs, the article in
    #maincontents (the first line 'Press Conferences' as a category line, the title as h1,
    one <p> per paragraph), a footer."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    category, title, *rest = paragraphs
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in rest)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>{html.escape(title)} | Ministry of Foreign
Affairs of Japan</title></head>
<body>
<div id="header"><p class="logo"><a href="/index.html">Ministry of Foreign Affairs of Japan</a></p>
<ul id="gnav"><li><a href="/policy/index.html">Foreign Policy</a></li>
<li><a href="/region/index.html">Countries &amp; Regions</a></li>
<li><a href="/press/index.html">Press Releases</a></li></ul></div>
<div id="topicpath"><a href="/index.html">Home</a> &gt; <a href="/press/index.html">Press
Releases</a> &gt; <a href="/press/kaiken/index.html">Press Conferences</a></div>
<div id="maincontents">
<div class="title-category">{html.escape(category)}</div>
<h1>{html.escape(title)}</h1>
{body}
</div>
<div id="footer"><ul><li><a href="/about/policy.html">Site Policy</a></li>
<li><a href="/about/accessibility.html">Accessibility</a></li></ul>
<p>Ministry of Foreign Affairs of Japan 2-2-1 Kasumigaseki, Chiyoda-ku, Tokyo</p></div>
</body></html>
""".encode()


def mofa_index(entries: list[tuple[str, str, str]]) -> bytes:
    """The MOFA press-conference list: (date, path, title) rows, root-relative links."""
    rows = "\n".join(
        f'<li><span class="date">{d}</span> <a href="{p}">{html.escape(t)}</a></li>'
        for d, p, t in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>Press Conferences | Ministry of Foreign
Affairs of Japan</title></head>
<body>
<div id="header"><a href="/index.html">Ministry of Foreign Affairs of Japan</a>
<a href="/press/kaiken/index.html#maincontents">Skip to content</a></div>
<div id="maincontents"><h1>Press Conferences</h1>
<p><a href="/press/kaiken/index2022.html">2022</a> |
<a href="/press/kaiken/index2021.html">2021</a></p>
<ul class="list-kaiken">
{rows}
</ul></div>
<div id="footer"><a href="/about/policy.html">Site Policy</a></div>
</body></html>
""".encode()


def navigation_page() -> bytes:
    """A page the index links like a transcript that holds only navigation (a list of
    links, as a section's landing page does)."""
    links = "\n".join(
        f'<li><a href="/press/kaiken/kaiken{n}e_000001.html">Press Conferences {n}</a></li>'
        for n in range(2015, 2024)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>Archive</title></head>
<body><div id="header"><a href="/index.html">Ministry of Foreign Affairs of Japan</a></div>
<div id="maincontents"><h1>Press Conferences Archive</h1><ul>
{links}
</ul></div></body></html>
""".encode()


def wh_page(text: str) -> bytes:
    """A briefing-room page: the title in h1, the transcript in .body-content."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    title, *rest = paragraphs
    body = "\n".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in rest)
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>{html.escape(title)} | The White
House</title></head>
<body>
<header class="header"><a href="/">The White House</a>
<nav><a href="/administration/">Administration</a> <a href="/briefing-room/">Briefing Room</a></nav>
</header>
<main id="main-content"><h1 class="page-title">{html.escape(title)}</h1>
<section class="body-content">
{body}
</section></main>
<footer class="footer"><a href="/privacy/">Privacy Policy</a></footer>
</body></html>
""".encode()


def briefing_feed(base: str, items: list[tuple[str, str, str]]) -> bytes:
    """The briefing room's RSS 2.0 feed (WordPress): (title, path, RFC 822 date) items."""
    entries = "\n".join(
        f"""<item><title>{html.escape(t)}</title><link>{base}{p}</link>
<pubDate>{d}</pubDate><guid isPermaLink="false">{base}/?p={i}</guid>
<description>{html.escape(t)}</description></item>"""
        for i, (t, p, d) in enumerate(items)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Briefing Room - The White House</title>
<atom:link href="{base}/briefing-room/feed/" rel="self" type="application/rss+xml"/>
<link>{base}/briefing-room/</link><description>Briefing Room</description>
<language>en-US</language>
{entries}
</channel></rss>
""".encode()


# --- running the real command -----------------------------------------------------------------


def cli_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    env["PRESSAUDIO_CACHE_DIR"] = str(cache)
    return env


def pressaudio(
    *args: str | os.PathLike[str], cache: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `python -m pressaudio ARGS` to completion."""
    return subprocess.run(
        [sys.executable, "-m", "pressaudio", *map(str, args)],
        env=cli_env(cache), capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture(scope="session")
def follow_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One speech cache for the follow tests, so each clip is synthesised once."""
    return tmp_path_factory.mktemp("follow-cache")
