"""A small static HTTP server for a published podcast folder.

Python's ``http.server`` answers neither byte-range requests nor podcast MIME types, and
both matter: a browser's audio player can only seek, and podcast apps only resume a
download, when the server answers ``Range: bytes=...`` with ``206 Partial Content``.
This module serves one folder, read-only, with HEAD, conditional and range requests.

What it serves is what ``publish`` wrote, and nothing else: ``feed.xml``, every file the
feed links to under its own base URL, the episode files and cover the manifest
(``.pressaudio/manifest.json``) lists, ``index.html`` and every file reachable by links
from the pages (episode pages, stylesheets, images). A file dropped into the folder by
hand, ``podcast.toml``, ``transcripts/``, ``.pressaudio/``, hidden and temporary files,
FIFOs, devices and symlinked files are answered 404, and so is any ``..`` path. The
set is worked out again whenever feed.xml, the manifest or a page it was read from
changes (publish replaces each by renaming, so a changed file is a new inode).

Connections are bounded (`ServeLimits`): one selector thread accepts them (a listen
backlog for bursts) and watches those waiting for their first or next request; only a
connection whose request is arriving takes one of a fixed number of worker threads, so
idle clients hold no thread. A connection silent for ``timeout`` seconds, idle or in the
middle of a request, is closed, and so is one whose request line and headers have not all
arrived ``request_timeout`` seconds after they began (a client trickling a byte at a time
would otherwise keep a worker for ever); beyond ``connections`` open ones, the longest idle
is closed to make room, and when none is idle new connections wait in the backlog.

Werkzeug's ``send_from_directory`` would bring the range and conditional handling, but
none of the connection handling (its development server starts a thread per connection
and never times one out) and not the served-set rule, so this stays a hand-written
`http.server` handler; `parse_range` is small and tested case by case.
"""

from __future__ import annotations

import email.utils
import errno
import io
import itertools
import json
import os
import queue
import re
import selectors
import socket
import stat
import sys
import threading
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BufferedReader
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote, unquote, urljoin, urlsplit

from pressaudio.errors import PublishError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "MIME_TYPES",
    "PORTS",
    "ByteRange",
    "PodcastServer",
    "ServeLimits",
    "announcement",
    "feed_self_url",
    "make_server",
    "mime_type",
    "parse_range",
    "printable",
    "published_files",
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
    ".transcript.json": "application/json",  # the Podcast Index JSON transcript
    ".epub": "application/epub+zip",
    ".zip": "application/zip",  # the DAISY 2.02 talking book (.daisy.zip)
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
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
PORTS = range(0, 65536)  # 0: any free port


@dataclass(frozen=True)
class ServeLimits:
    """How much the server takes on at once; the defaults suit a podcast on a home network."""

    backlog: int = 1024  # connections the kernel queues while the server is busy accepting
    workers: int = 32  # requests answered at once (one thread each)
    connections: int = 512  # open connections, idle ones included
    timeout: float = 30.0  # seconds a connection may stay silent, idle or mid-request
    request_timeout: float = 30.0  # seconds for a request line and headers to arrive in full


# --- what is published -------------------------------------------------------------------

_FEED = "feed.xml"
_INDEX = "index.html"
_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
# Publish's inputs that may sit inside the folder (feed/transcripts/): never served, even if
# something links to them. podcast.toml (settings.SETTINGS_FILE) and publish's state folder
# are added from their homes in `_private_names`.
_INPUT_FOLDERS = ("transcripts",)
_PAGE_SUFFIXES = (".html", ".htm", ".css")  # published files whose links are followed
_PAGE_ROOT = "http://pressaudio.invalid/"  # resolves a page's relative links
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)

_Signature = tuple[int, int, int] | None


def _signature(path: Path) -> _Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _private_names() -> tuple[frozenset[str], frozenset[str]]:
    """(top-level names never served, whole folders never served)."""
    from pressaudio.publish.publish import STATE_DIR
    from pressaudio.publish.settings import SETTINGS_FILE

    return frozenset({SETTINGS_FILE}), frozenset({STATE_DIR, *_INPUT_FOLDERS})


def _url_key(path: str) -> str | None:
    """A decoded URL path (``/episodes/a.mp3``) as a folder-relative key, or None.

    Empty and ``.`` segments are dropped; a path ending in ``/`` means its ``index.html``;
    any ``..`` segment, hidden segment (locks, temporaries, .pressaudio/), backslash or NUL
    gives None.
    """
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." or p.startswith(".") for p in parts):
        return None
    if not parts or path.endswith("/"):
        parts.append(_INDEX)
    return "/".join(parts)


def _open_regular(path: Path) -> BinaryIO | None:
    """Open ``path`` for reading if it is a regular file; never blocks on a FIFO or device."""
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_NOFOLLOW", "O_BINARY"):
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
    except OSError:
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


class _Links(HTMLParser):
    """Every href/src/poster/srcset value in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster"):
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(p.split()[0] for p in value.split(",") if p.strip())


def _page_links(data: bytes, key: str) -> list[str]:
    text = data.decode("utf-8", "replace")
    if key.endswith(".css"):
        return _CSS_URL.findall(text)
    parser = _Links()
    parser.feed(text)
    parser.close()
    return parser.links


def _self_link(root: ET.Element) -> str | None:
    for link in root.iter(_ATOM_LINK):
        if link.get("rel") == "self" and link.get("href"):
            return link.get("href")
    return None


def _linked_key(url: str, base: str | None, page: str | None) -> str | None:
    """The key of the published file a link points at: a URL under the feed's base URL,
    or (in a page) a link relative to that page; None for anything else."""
    url = url.strip()
    if base is not None and url.startswith(base):
        tail = url[len(base) :]
    elif page is not None:
        joined = urljoin(_PAGE_ROOT + quote(page), url)
        if not joined.startswith(_PAGE_ROOT):
            return None
        tail = joined[len(_PAGE_ROOT) :]
    else:
        return None
    tail = tail.split("#", 1)[0].split("?", 1)[0]
    try:
        return _url_key("/" + unquote(tail, errors="strict"))
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class _Scan:
    files: frozenset[str]
    read: tuple[tuple[Path, _Signature], ...]  # what it was worked out from, as it was then

    def stale(self) -> bool:
        return any(_signature(path) != sig for path, sig in self.read)


def _scan(root: Path) -> _Scan:
    """Work out the published files of ``root`` from feed.xml, the manifest and the pages."""
    from pressaudio.publish.publish import MANIFEST_FILE, STATE_DIR

    read: dict[Path, _Signature] = {}

    def content(key: str) -> bytes | None:
        path = root / key
        read[path] = _signature(path)  # before reading: a change after it is seen next time
        f = _open_regular(path)
        if f is None:
            return None
        with f:
            try:
                return f.read()
            except OSError:
                return None

    found: set[str] = set()
    base: str | None = None
    feed = content(_FEED)
    if feed is not None:
        found.add(_FEED)
        try:
            channel = ET.fromstring(feed)
        except ET.ParseError:
            channel = None
        if channel is not None:
            self_url = _self_link(channel)
            if self_url is not None:
                base = self_url.rsplit("/", 1)[0] + "/"
                for el in channel.iter():
                    values = [*el.attrib.values(), (el.text or "")]
                    found.update(k for v in values if (k := _linked_key(v, base, None)))

    manifest = content(f"{STATE_DIR}/{MANIFEST_FILE}")
    if manifest is not None:
        found.update(_manifest_files(manifest))

    pages = [_INDEX, *sorted(k for k in found if k.endswith(_PAGE_SUFFIXES))]
    seen: set[str] = set()
    while pages:
        page = pages.pop()
        if page in seen:
            continue
        seen.add(page)
        data = content(page)
        if data is None:
            continue
        found.add(page)
        for link in _page_links(data, page):
            key = _linked_key(link, base, page)
            if key is not None and key not in found:
                found.add(key)
                if key.endswith(_PAGE_SUFFIXES):
                    pages.append(key)

    top, folders = _private_names()
    served = frozenset(
        k for k in found if k not in top and k.split("/", 1)[0] not in folders
    )
    return _Scan(served, tuple(read.items()))


def _manifest_files(data: bytes) -> Iterator[str]:
    """The episode files and the cover a manifest records (publish's _record, cover)."""
    try:
        manifest = json.loads(data)
        episodes = manifest.get("episodes", {})
        names = [n for rec in episodes.values() for n in rec.get("files", [])]
        cover = manifest.get("cover", {}).get("file")
    except (ValueError, AttributeError, TypeError):
        return
    for name in names:
        if isinstance(name, str) and (key := _url_key(f"/episodes/{name}")):
            yield key
    if isinstance(cover, str) and (key := _url_key(f"/{cover}")):
        yield key


def published_files(directory: Path) -> frozenset[str]:
    """The folder-relative paths (``episodes/a.mp3``) that serving ``directory`` answers."""
    return _scan(directory).files


class _Published:
    """`published_files` of one folder, worked out again when a file it read changes."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._lock = threading.Lock()
        self._scan: _Scan | None = None

    def __contains__(self, key: str) -> bool:
        with self._lock:
            if self._scan is None or self._scan.stale():
                self._scan = _scan(self._root)
            return key in self._scan.files


# --- what is logged ----------------------------------------------------------------------

# C0 controls, DEL and C1 controls (as http.server escapes them), and the backslash itself
# so an escaped form cannot be faked.
_CONTROL = {c: f"\\x{c:02x}" for c in itertools.chain(range(0x20), range(0x7F, 0xA0))}
_CONTROL_TABLE = str.maketrans({**_CONTROL, ord("\\"): "\\\\"})


def printable(text: str) -> str:
    """``text`` with every control character escaped (``\\x1b``), safe to write to a terminal."""
    return text.translate(_CONTROL_TABLE)


# --- ranges ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ByteRange:
    """An inclusive byte range ``first..last`` of a representation of ``size`` bytes."""

    first: int
    last: int

    @property
    def length(self) -> int:
        return self.last - self.first + 1


_RANGE_RE = re.compile(r"^\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*$", re.IGNORECASE)
_MAX_DIGITS = 18  # a longer position is past the end of any file (and int() never sees it)
_PAST_ANY_FILE = 10**_MAX_DIGITS


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_DIGITS else _PAST_ANY_FILE


def parse_range(header: str | None, size: int) -> ByteRange | str | None:
    """Interpret a ``Range`` header for a file of ``size`` bytes (RFC 9110 section 14).

    Returns a `ByteRange` to send as 206; ``None`` to ignore the header and send the whole
    file (no header, a syntax the server does not support, or several ranges — which a
    server may answer with the full representation); or the string ``"unsatisfiable"``
    for a well-formed single range that lies wholly outside the file (answer 416).
    Positions of any length are accepted: one past every file's end is just that.
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
        suffix = _position(last_s)
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return ByteRange(max(0, size - suffix), size - 1)
    first = _position(first_s)
    if last_s:
        last = _position(last_s)
        if last < first:
            return None  # invalid: ignore the header
    else:
        last = size - 1
    if first >= size:
        return "unsatisfiable"
    return ByteRange(first, min(last, size - 1))


# --- the server --------------------------------------------------------------------------

_LISTEN = "listen"  # selector data of the listening socket
_WAKE = "wake"  # selector data of the socket workers wake the loop with


@dataclass
class _Idle:
    address: Any
    deadline: float  # time.monotonic() when it is closed unless a request arrives


@dataclass
class _Loop:
    """The accepting thread's state while `PodcastServer.serve_forever` runs."""

    selector: selectors.BaseSelector
    pool: ThreadPoolExecutor
    idle: dict[socket.socket, _Idle] = field(default_factory=dict)  # oldest first
    accepting: bool = False
    resume_at: float = 0.0  # after running out of file descriptors, try again then


class PodcastServer(HTTPServer):
    """An HTTP server bound to one folder, with bounded threads and connections."""

    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        directory: Path,
        *,
        quiet: bool = False,
        address_family: socket.AddressFamily = socket.AF_INET,
        limits: ServeLimits = ServeLimits(),
    ) -> None:
        self.address_family = address_family
        self.directory = directory
        self.quiet = quiet
        self.limits = limits
        self.request_queue_size = limits.backlog
        self.published = _Published(directory)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._lock = threading.Lock()  # guards _dispatched and _returned
        self._dispatched: set[socket.socket] = set()  # with a worker, or queued for one
        self._returned: queue.SimpleQueue[tuple[socket.socket, Any, bool]] = queue.SimpleQueue()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_w.setblocking(False)  # a full wake-up buffer already wakes the loop
        try:
            super().__init__(address, _Handler)
        except BaseException:
            self._wake_r.close()
            self._wake_w.close()
            raise

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

    # --- the accepting thread ------------------------------------------------------------

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept and dispatch connections until `shutdown()` (or an exception here)."""
        self._stopped.clear()
        loop = _Loop(
            selectors.DefaultSelector(),
            ThreadPoolExecutor(self.limits.workers, thread_name_prefix="pressaudio-serve"),
        )
        self.socket.setblocking(False)
        self._wake_r.setblocking(False)
        loop.selector.register(self._wake_r, selectors.EVENT_READ, _WAKE)
        try:
            while not self._stop.is_set():
                room = self._has_room(loop) and time.monotonic() >= loop.resume_at
                self._set_accepting(loop, room)
                timeout = poll_interval
                if loop.idle:
                    first = next(iter(loop.idle.values()))
                    timeout = max(0.0, min(timeout, first.deadline - time.monotonic()))
                for key, _ in loop.selector.select(timeout):
                    if key.data == _LISTEN:
                        self._accept(loop)
                    elif key.data == _WAKE:
                        with suppress(OSError):
                            self._wake_r.recv(4096)
                    elif key.fileobj in loop.idle:  # (not closed above to make room)
                        self._dispatch(loop, key.fileobj)
                self._take_returned(loop)
                now = time.monotonic()
                while loop.idle:
                    conn, entry = next(iter(loop.idle.items()))
                    if entry.deadline > now:
                        break
                    self._close_idle(loop, conn)
        finally:
            self._wind_down(loop)
            self._stop.clear()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop `serve_forever` (from another thread) and wait until it has."""
        self._stop.set()
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_r.close()
        self._wake_w.close()

    def _wake(self) -> None:
        with suppress(OSError):
            self._wake_w.send(b"\0")

    def _open_connections(self, loop: _Loop) -> int:
        with self._lock:
            return len(loop.idle) + len(self._dispatched)

    def _has_room(self, loop: _Loop) -> bool:
        return self._open_connections(loop) < self.limits.connections or bool(loop.idle)

    def _set_accepting(self, loop: _Loop, on: bool) -> None:
        if on != loop.accepting:
            if on:
                loop.selector.register(self.socket, selectors.EVENT_READ, _LISTEN)
            else:
                loop.selector.unregister(self.socket)
            loop.accepting = on

    def _accept(self, loop: _Loop) -> None:
        while True:
            if self._open_connections(loop) >= self.limits.connections and not loop.idle:
                self._set_accepting(loop, False)  # all busy: the rest wait in the backlog
                return
            try:
                conn, address = self.socket.accept()
            except BlockingIOError:
                return
            except OSError as err:
                if err.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    if loop.idle:
                        self._close_idle(loop, next(iter(loop.idle)))
                        continue
                    loop.resume_at = time.monotonic() + 0.5
                    self._set_accepting(loop, False)
                return  # e.g. ECONNABORTED: the client gave up before it was accepted
            if self._open_connections(loop) >= self.limits.connections:
                self._close_idle(loop, next(iter(loop.idle)))  # the longest idle makes room
            conn.settimeout(self.limits.timeout)
            self._watch(loop, conn, address)

    def _watch(self, loop: _Loop, conn: socket.socket, address: Any) -> None:
        """Wait (without a thread) for the connection's next request, or close it."""
        try:
            loop.selector.register(conn, selectors.EVENT_READ, address)
        except (OSError, ValueError):
            self.shutdown_request(conn)
            return
        loop.idle[conn] = _Idle(address, time.monotonic() + self.limits.timeout)

    def _close_idle(self, loop: _Loop, conn: socket.socket) -> None:
        # Tolerant: winding down after Ctrl-C may find a connection half moved.
        with suppress(KeyError, ValueError):
            loop.selector.unregister(conn)
        loop.idle.pop(conn, None)
        self.shutdown_request(conn)

    def _dispatch(self, loop: _Loop, conn: socket.socket) -> None:
        """A request is arriving: hand the connection to a worker thread."""
        loop.selector.unregister(conn)
        entry = loop.idle.pop(conn)
        with self._lock:
            self._dispatched.add(conn)
        loop.pool.submit(self._work, conn, entry.address)

    def _take_returned(self, loop: _Loop) -> None:
        while True:
            try:
                conn, address, keep = self._returned.get_nowait()
            except queue.Empty:
                return
            if keep:
                self._watch(loop, conn, address)
            else:
                self.shutdown_request(conn)

    def _wind_down(self, loop: _Loop) -> None:
        """Close every connection: idle ones at once, busy ones by ending their I/O."""
        self._stop.set()
        with suppress(KeyError, ValueError):
            self._set_accepting(loop, False)
        for conn in list(loop.idle):
            self._close_idle(loop, conn)
        with self._lock:
            busy = list(self._dispatched)
        for conn in busy:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        loop.pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            left = list(self._dispatched)  # queued but never started
            self._dispatched.clear()
        for conn in left:
            self.shutdown_request(conn)
        while True:  # returned by a worker before it finished: close them too
            try:
                conn, _address, _keep = self._returned.get_nowait()
            except queue.Empty:
                break
            self.shutdown_request(conn)
        loop.selector.close()

    # --- a worker thread -----------------------------------------------------------------

    def _work(self, conn: socket.socket, address: Any) -> None:
        keep = False
        try:
            handler = _Handler(conn, address, self)
            keep = handler.keep_open
        except OSError:
            pass  # the client went away
        except Exception:
            self.handle_error(conn, address)
        with self._lock:
            self._dispatched.discard(conn)
            stopping = self._stop.is_set()
            if not stopping:
                self._returned.put((conn, address, keep))
        if stopping:
            self.shutdown_request(conn)
        else:
            self._wake()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A bug, not a client: report it, each line escaped."""
        lines = traceback.format_exc().splitlines()
        sys.stderr.write(
            f"{printable(str(client_address))} - internal error\n"
            + "".join(f"  {printable(line)}\n" for line in lines)
        )


def mime_type(path: Path) -> str:
    """The Content-Type for a file name: its last two suffixes (".transcript.json") if
    MIME_TYPES names them, else its last one, else application/octet-stream."""
    suffixes = [s.lower() for s in path.suffixes]
    return (MIME_TYPES.get("".join(suffixes[-2:])) or MIME_TYPES.get(path.suffix.lower())
            or _DEFAULT_TYPE)


class _HeadReader(io.RawIOBase):
    """A connection's reader. While a request head is arriving (`deadline` set), each
    receive waits only for what is left of the request's time, never more than the
    per-read timeout, so a client sending a byte every few seconds is cut off on time."""

    def __init__(self, sock: socket.socket, timeout: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._timeout = timeout
        self.deadline: float | None = None  # time.monotonic() the head must be in by

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int | None:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request's line and headers took too long")
            self._sock.settimeout(min(self._timeout, left))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _is_loopback(host: str) -> bool:
    return host in _LOOPBACK_NAMES or host.startswith("127.") or host in ("::1", "0:0:0:0:0:0:0:1")


class _Handler(BaseHTTPRequestHandler):
    """The requests of one connection, until it goes idle (then the server watches it)."""

    server: PodcastServer
    protocol_version = "HTTP/1.1"
    server_version = "pressaudio"
    sys_version = ""
    keep_open = False  # the connection stays open, waiting for another request

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.limits.timeout)
        self.rfile.close()  # (the socket stays open) read through the deadline instead:
        self._head = _HeadReader(self.connection, self.server.limits.timeout)
        self.rfile = BufferedReader(self._head)

    def handle_one_request(self) -> None:
        # A TimeoutError while the head arrives ends the request and closes the connection
        # (BaseHTTPRequestHandler.handle_one_request catches it).
        self._head.deadline = time.monotonic() + self.server.limits.request_timeout
        try:
            super().handle_one_request()
        finally:
            self._end_of_head()

    def parse_request(self) -> bool:
        try:
            return super().parse_request()  # reads the headers
        finally:
            self._end_of_head()  # the answer is written with the per-read timeout

    def _end_of_head(self) -> None:
        if self._head.deadline is not None:
            self._head.deadline = None
            with suppress(OSError):
                self.connection.settimeout(self.server.limits.timeout)

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection:
            if not self._request_waiting():
                self.keep_open = True  # idle: give the thread back, keep the connection
                return
            self.handle_one_request()

    def _request_waiting(self) -> bool:
        """Whether the next request's bytes are already here (read, or pipelined)."""
        if not isinstance(self.rfile, BufferedReader):
            return True
        try:
            self.connection.settimeout(0.0)
            try:
                return bool(self.rfile.peek(1))
            finally:
                self.connection.settimeout(self.server.limits.timeout)
        except OSError:
            self.close_connection = True
            return False

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

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{printable(self.address_string())} - {printable(format % args)}\n")

    # --- the response ----------------------------------------------------------------------

    def _respond(self, *, send_body: bool) -> None:
        path = self._resolve()
        f = _open_regular(path) if path is not None else None
        if path is None or f is None:
            self._error(HTTPStatus.NOT_FOUND, send_body)
            return
        with f:
            self._send_file(f, path, send_body=send_body)

    def _send_file(self, f: BinaryIO, path: Path, *, send_body: bool) -> None:
        st = os.fstat(f.fileno())
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
        self.send_header("Content-Type", mime_type(path))
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

    # --- what may be served ----------------------------------------------------------------

    def _resolve(self) -> Path | None:
        """Map the request path to a published file of the served folder, or None.

        Only a path in the published set (see the module docstring) is answered, and on
        top of that any ``..`` segment (plain or percent-encoded), a backslash, a NUL byte
        or a hidden name is refused. A folder on the way may be a symlink (episodes/ on
        another disk); the file itself may not (`_open_regular` does not follow it).
        """
        raw = urlsplit(self.path).path
        try:
            decoded = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if not decoded.startswith("/"):
            return None
        key = _url_key(decoded)
        if key is None or key not in self.server.published:
            return None
        return self.server.directory / key


def make_server(
    directory: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    quiet: bool = False,
    limits: ServeLimits = ServeLimits(),
) -> PodcastServer:
    """Bind a server for ``directory`` (port 0 picks a free port); call ``serve_forever()``."""
    root = directory.expanduser()
    if not root.is_dir():
        raise PublishError(
            "no such folder to serve (publish one first: pressaudio publish ...)",
            source=str(directory),
        )
    if port not in PORTS:
        raise PublishError(f"port {port} is not a TCP port (0 to 65535; 0: any free port)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return PodcastServer(
            (host, port), root.resolve(), quiet=quiet, address_family=family, limits=limits
        )
    except (OSError, OverflowError) as err:
        reason = (err.strerror if isinstance(err, OSError) else None) or str(err)
        hint = " (is another server running there? try --port)" if port else ""
        raise PublishError(f"cannot listen on {host}:{port}: {reason}{hint}") from err


@contextmanager
def running(
    directory: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    quiet: bool = True,
    limits: ServeLimits = ServeLimits(),
) -> Iterator[PodcastServer]:
    """Serve ``directory`` on a background thread for the duration of a ``with`` block."""
    server = make_server(directory, host, port, quiet=quiet, limits=limits)
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
    limits: ServeLimits = ServeLimits(),
) -> None:
    """Serve ``directory`` over HTTP until interrupted (Ctrl-C raises KeyboardInterrupt)."""
    server = make_server(directory, host, port, limits=limits)
    try:
        if on_ready is not None:
            on_ready(server)
        server.serve_forever()
    finally:
        server.server_close()


def feed_self_url(directory: Path) -> str | None:
    """The ``atom:link rel="self"`` of ``directory/feed.xml``, if any."""
    try:
        root = ET.parse(directory / _FEED).getroot()
    except (OSError, ET.ParseError):
        return None
    return _self_link(root)


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
            "the published podcast (feed, episodes, web page)."
        )
    feed = server.directory / _FEED
    if feed.is_file():
        lines.append(f"Podcast feed (paste into your podcast app): {base}feed.xml")
        published_for = feed_self_url(server.directory)
        note = _feed_mismatch(server, published_for) if published_for else None
        if note:
            lines.append(note)
    else:
        lines.append(f"note: no feed.xml in {server.directory} yet (run pressaudio publish)")
    if (server.directory / _INDEX).is_file():
        lines.append(f"Web page: {base}")
    lines.append("Press Ctrl-C to stop.")
    return lines
