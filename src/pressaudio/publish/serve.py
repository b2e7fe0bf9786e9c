"""A small static HTTP server for a published podcast folder.

Python's ``http.server`` answers neither byte-range requests nor podcast MIME types, and
both matter: a browser's audio player can only seek, and podcast apps only resume a
download, when the server answers ``Range: bytes=...`` with ``206 Partial Content``.
This module serves one folder, read-only, with HEAD, conditional and range requests, and
refuses any path that would leave the folder.
"""

from __future__ import annotations

import email.utils
import os
import re
import socket
import stat
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from pressaudio.errors import PublishError

__all__ = [
    "MIME_TYPES",
    "ByteRange",
    "PodcastServer",
    "announcement",
    "feed_self_url",
    "make_server",
    "parse_range",
    "running",
    "serve",
]

MIME_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".xml": "application/rss+xml",
    ".rss": "application/rss+xml",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".toml": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
_DEFAULT_TYPE = "application/octet-stream"
_CHUNK = 64 * 1024
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


@dataclass(frozen=True)
class ByteRange:
    """An inclusive byte range ``first..last`` of a representation of ``size`` bytes."""

    first: int
    last: int

    @property
    def length(self) -> int:
        return self.last - self.first + 1


_RANGE_RE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def parse_range(header: str | None, size: int) -> ByteRange | str | None:
    """Interpret a ``Range`` header for a file of ``size`` bytes (RFC 9110 section 14).

    Returns a `ByteRange` to send as 206; ``None`` to ignore the header and send the whole
    file (no header, a syntax the server does not support, or several ranges — which a
    server may answer with the full representation); or the string ``"unsatisfiable"``
    for a well-formed single range that lies wholly outside the file (answer 416).
    """
    if header is None:
        return None
    if "," in header:  # several ranges: serve the whole file rather than multipart
        return None
    m = _RANGE_RE.match(header)
    if m is None:
        return None
    first_s, last_s = m.group(1), m.group(2)
    if not first_s and not last_s:
        return None
    if not first_s:  # suffix range: the last N bytes
        suffix = int(last_s)
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return ByteRange(max(0, size - suffix), size - 1)
    first = int(first_s)
    if last_s:
        last = int(last_s)
        if last < first:
            return None  # invalid: ignore the header
    else:
        last = size - 1
    if first >= size:
        return "unsatisfiable"
    return ByteRange(first, min(last, size - 1))


class PodcastServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one folder."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        directory: Path,
        *,
        quiet: bool = False,
        address_family: socket.AddressFamily = socket.AF_INET,
    ) -> None:
        self.address_family = address_family
        self.directory = directory
        self.quiet = quiet
        super().__init__(address, _Handler)

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def base_url(self) -> str:
        """The URL of the folder's root, with a trailing slash."""
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname() or "localhost"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    @property
    def loopback_only(self) -> bool:
        return _is_loopback(self.host)


def _is_loopback(host: str) -> bool:
    return host in _LOOPBACK_NAMES or host.startswith("127.") or host in ("::1", "0:0:0:0:0:0:0:1")


class _Handler(BaseHTTPRequestHandler):
    server: PodcastServer
    protocol_version = "HTTP/1.1"
    server_version = "pressaudio"
    sys_version = ""

    # --- entry points ----------------------------------------------------------------------

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _method_not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    # --- the response ----------------------------------------------------------------------

    def _respond(self, *, send_body: bool) -> None:
        path = self._resolve()
        if path is None:
            self._error(HTTPStatus.NOT_FOUND, send_body)
            return
        if path.is_dir():
            raw = urlsplit(self.path).path
            if not raw.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", raw + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
            if not path.is_file():
                self._error(HTTPStatus.NOT_FOUND, send_body)
                return
        try:
            f = path.open("rb")
        except OSError:
            self._error(HTTPStatus.NOT_FOUND, send_body)
            return
        with f:
            self._send_file(f, path, send_body=send_body)

    def _send_file(self, f: BinaryIO, path: Path, *, send_body: bool) -> None:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            self._error(HTTPStatus.NOT_FOUND, send_body)
            return
        size = st.st_size
        etag = f'"{size:x}-{st.st_mtime_ns:x}"'
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        if self._not_modified(etag, st.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return

        wanted: ByteRange | str | None = None
        if self._if_range_matches(etag, last_modified):
            wanted = parse_range(self.headers.get("Range"), size)
        if wanted == "unsatisfiable":
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return

        if isinstance(wanted, ByteRange):
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {wanted.first}-{wanted.last}/{size}")
            first, length = wanted.first, wanted.length
        else:
            self.send_response(HTTPStatus.OK)
            first, length = 0, size
        self.send_header("Content-Type", MIME_TYPES.get(path.suffix.lower(), _DEFAULT_TYPE))
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        # A published folder changes on every publish: let clients revalidate cheaply.
        self.send_header("Cache-Control", "no-cache")
        # Browser-based podcast players fetch transcripts and chapters cross-origin.
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if send_body:
            self._copy(f, first, length)

    def _copy(self, f: BinaryIO, first: int, length: int) -> None:
        f.seek(first)
        remaining = length
        try:
            while remaining > 0:
                chunk = f.read(min(_CHUNK, remaining))
                if not chunk:  # the file shrank while being sent: end the connection
                    self.close_connection = True
                    return
                self.wfile.write(chunk)
                remaining -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # Players routinely abandon a request once they have what they need.
            self.close_connection = True

    def _not_modified(self, etag: str, mtime: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is None:
            return False
        try:
            since = email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            return False
        return int(mtime) <= int(since.timestamp())

    def _if_range_matches(self, etag: str, last_modified: str) -> bool:
        if_range = self.headers.get("If-Range")
        if if_range is None:
            return True
        if_range = if_range.strip()
        if if_range.startswith('"'):
            return if_range == etag
        return if_range == last_modified

    def _error(self, status: HTTPStatus, send_body: bool) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    # --- path safety -----------------------------------------------------------------------

    def _resolve(self) -> Path | None:
        """Map the request path to a file inside the served folder, or None.

        Any ``..`` segment (plain or percent-encoded), a backslash, a NUL byte, or a path
        whose real location (after symlinks) lies outside the folder is refused.
        """
        raw = urlsplit(self.path).path
        try:
            decoded = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\x00" in decoded or "\\" in decoded or not decoded.startswith("/"):
            return None
        parts = [p for p in decoded.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            return None
        if any(p.startswith(".") for p in parts):  # hidden files: locks, temporaries
            return None
        root = self.server.directory
        candidate = root.joinpath(*parts) if parts else root
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if real != root and root not in real.parents:
            return None
        return real


def make_server(
    directory: Path, host: str = "127.0.0.1", port: int = 8000, *, quiet: bool = False
) -> PodcastServer:
    """Bind a server for ``directory`` (port 0 picks a free port); call ``serve_forever()``."""
    root = directory.expanduser()
    if not root.is_dir():
        raise PublishError(
            "no such folder to serve (publish one first: pressaudio publish ...)",
            source=str(directory),
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return PodcastServer((host, port), root.resolve(), quiet=quiet, address_family=family)
    except OSError as err:
        reason = err.strerror or str(err)
        hint = " (is another server running there? try --port)" if port else ""
        raise PublishError(f"cannot listen on {host}:{port}: {reason}{hint}") from err


@contextmanager
def running(
    directory: Path, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True
) -> Iterator[PodcastServer]:
    """Serve ``directory`` on a background thread for the duration of a ``with`` block."""
    import threading

    server = make_server(directory, host, port, quiet=quiet)
    thread = threading.Thread(target=server.serve_forever, name="pressaudio-serve", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve(
    directory: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    on_ready: Callable[[PodcastServer], None] | None = None,
) -> None:
    """Serve ``directory`` over HTTP until interrupted (Ctrl-C raises KeyboardInterrupt)."""
    server = make_server(directory, host, port)
    try:
        if on_ready is not None:
            on_ready(server)
        server.serve_forever()
    finally:
        server.server_close()


def feed_self_url(directory: Path) -> str | None:
    """The ``atom:link rel="self"`` (or channel link) of ``directory/feed.xml``, if any."""
    feed = directory / "feed.xml"
    try:
        root = ET.parse(feed).getroot()
    except (OSError, ET.ParseError):
        return None
    for link in root.iter("{http://www.w3.org/2005/Atom}link"):
        if link.get("rel") == "self" and link.get("href"):
            return link.get("href")
    return None


def _feed_mismatch(server: PodcastServer, published_for: str) -> str | None:
    """A note when feed.xml's links (from publish --base-url) will not reach this server."""
    url = urlsplit(published_for)
    try:
        port = url.port or (443 if url.scheme == "https" else 80)
    except ValueError:
        port = -1
    host = url.hostname or ""
    all_interfaces = server.host in ("0.0.0.0", "::", "")
    same_place = (
        url.scheme == "http"
        and port == server.port
        and url.path == "/feed.xml"
        and (all_interfaces or host == server.host or (_is_loopback(host) and server.loopback_only))
    )
    if same_place:
        return None
    if url.scheme == "http" and port == server.port and url.path == "/feed.xml":
        return (
            f"note: feed.xml was published for {published_for}, but this server listens on "
            f"{server.host} only, so other devices cannot reach it: add --host 0.0.0.0"
        )
    return (
        f"note: feed.xml was published for {published_for}; its episode links point there. "
        f"To try it from this server, publish with --base-url {server.base_url}"
    )


def announcement(server: PodcastServer) -> list[str]:
    """What ``pressaudio serve`` tells the user once the server is listening."""
    base = server.base_url
    lines = [f"Serving {server.directory} at {base}"]
    if not server.loopback_only:
        where = "all interfaces" if server.host in ("0.0.0.0", "::", "") else server.host
        lines.append(
            f"warning: serving on {where}: anyone on your network can download "
            "every file in this folder."
        )
    feed = server.directory / "feed.xml"
    if feed.is_file():
        lines.append(f"Podcast feed (paste into your podcast app): {base}feed.xml")
        published_for = feed_self_url(server.directory)
        note = _feed_mismatch(server, published_for) if published_for else None
        if note:
            lines.append(note)
    else:
        lines.append(f"note: no feed.xml in {server.directory} yet (run pressaudio publish)")
    if (server.directory / "index.html").is_file():
        lines.append(f"Web page: {base}")
    lines.append("Press Ctrl-C to stop.")
    return lines
