"""The one HTTP client: every URL pressaudio reads is fetched here.

`fetch()` sends one GET (and follows up to `max_redirects` redirects, only to http(s) URLs)
and returns a `Response`: the status, the headers, the final URL and, for a 2xx answer, the
body, decompressed. Whatever the server does, it keeps to:

- one deadline for the whole request, in seconds: connecting, the TLS handshake, the
  headers, the body and every redirect together, because each send and receive waits only
  for what is left of it (a server trickling a byte at a time cannot hold it longer);
- a size cap, checked against Content-Length first, then counted, then after decompression;
- gzip and deflate bodies (asked for, and decompressed within the cap);
- a body shorter than its Content-Length, or a chunked body that stops early, is an error.

Anything that leaves no usable answer raises `FetchError`, whose `message` is one line that
does not name the URL (callers add it: `reader.py` as a SourceError, `follow/fetch.py` as a
FollowError). HTTP error statuses are answers, not errors: the caller decides what a 404
means. Politeness (robots.txt, spacing, conditional GET) is `follow/fetch.py`'s; charsets
and what a transcript is are `transcript/reader.py`'s.
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["MAX_REDIRECTS", "FetchError", "Response", "fetch", "too_large"]

MAX_REDIRECTS = 5
_SCHEMES = frozenset({"http", "https"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(Exception):
    """No usable answer: unreachable, too slow, too large, cut short, a corrupt body, or a
    redirect that is not followed. `message` is one line, without the URL."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.timed_out = timed_out


@dataclass(frozen=True)
class Response:
    """One answer. `body` is the decompressed body of a 2xx answer; empty for any other."""

    url: str  # as asked for
    final_url: str  # after the redirects followed
    status: int
    reason: str  # the status line's phrase ("Not Found"), one line, may be empty
    headers: Message
    body: bytes = b""

    @property
    def content_type(self) -> str:
        """"text/html": lower case, without parameters; "" when the server sent none."""
        return self.headers.get_content_type().lower() if self.headers.get("Content-Type") else ""

    @property
    def charset(self) -> str | None:
        return self.headers.get_content_charset()


def fetch(
    url: str,
    *,
    headers: Mapping[str, str],
    deadline: float,
    max_bytes: int,
    max_redirects: int = MAX_REDIRECTS,
) -> Response:
    """GET `url` with `headers`, all of it within `deadline` seconds, its body at most
    `max_bytes`. Redirects are followed up to `max_redirects` times (only to http(s));
    with 0 a redirect is returned as it came. Raises FetchError."""
    end = time.monotonic() + deadline
    late = f"no complete answer within {deadline:g} s (timed out)"
    sent = {"Accept-Encoding": "gzip, deflate", **headers}
    opener = urllib.request.build_opener(
        _DeadlineHTTPHandler(end), _DeadlineHTTPSHandler(end), _NoRedirects()
    )
    target = url
    hops = 0
    while True:
        if urllib.parse.urlsplit(target).scheme.lower() not in _SCHEMES:
            raise FetchError("only http:// and https:// URLs are fetched")
        answer = _get(opener, url, target, sent, end=end, late=late, max_bytes=max_bytes)
        location = answer.headers.get("Location") or answer.headers.get("URI")
        if answer.status not in _REDIRECTS or not location or max_redirects <= 0:
            return answer
        target = urllib.parse.urljoin(target, location.strip())
        if urllib.parse.urlsplit(target).scheme.lower() not in _SCHEMES:
            raise FetchError(f"the server redirects to {_printable(target)}; only http:// and "
                             "https:// redirects are followed")
        hops += 1
        if hops > max_redirects:
            raise FetchError(f"too many redirects (more than {max_redirects}; the last to "
                             f"{_printable(target)})")


def too_large(size: int, max_bytes: int, *, at_least: bool = False) -> str:
    """"is too large (5.0 MB; the limit is 2.0 MB)": for a body, a file or a page."""
    more = "more than " if at_least else ""
    return f"is too large ({more}{_mb(size)}; the limit is {_mb(max_bytes)})"


# --- one request -------------------------------------------------------------------------------


def _get(
    opener: urllib.request.OpenerDirector, url: str, target: str, headers: dict[str, str], *,
    end: float, late: str, max_bytes: int,
) -> Response:
    request = urllib.request.Request(target, headers=headers)
    try:
        with opener.open(request, timeout=max(_left(end), 0.001)) as raw:
            head: Message = raw.headers
            length = head.get("Content-Length", "").strip()
            expected = int(length) if length.isdigit() else None
            if expected is not None and expected > max_bytes:
                raise FetchError(too_large(expected, max_bytes))
            body = _read_capped(raw, end=end, late=late, max_bytes=max_bytes)
            status, reason = int(raw.status), str(raw.reason or "")
    except FetchError:
        raise
    except urllib.error.HTTPError as err:  # any status but 2xx: an answer, without its body
        err.close()
        return Response(url, target, err.code, _one_line(err.reason), err.headers)
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise FetchError(late, timed_out=True) from None
        raise FetchError(f"cannot reach the server: {_reason(err.reason)}") from None
    except TimeoutError:
        raise FetchError(late, timed_out=True) from None
    except http.client.IncompleteRead as err:  # a chunked body that stops before its end
        raise FetchError(
            f"the answer was cut short after {len(err.partial):,} bytes of a chunk; "
            "the server closed the connection early"
        ) from None
    except (OSError, ValueError, http.client.HTTPException) as err:
        # reset connections, malformed URLs, malformed responses
        raise FetchError(f"cannot fetch: {_reason(err)}") from None
    if expected is not None and len(body) < expected:
        raise FetchError(
            f"the answer was cut short: {len(body):,} of the {expected:,} bytes its "
            "Content-Length announced; the server closed the connection early"
        )
    body = _decompress(body, head.get("Content-Encoding", ""), max_bytes=max_bytes)
    return Response(url, target, status, _one_line(reason), head, body)


def _read_capped(raw: Any, *, end: float, late: str, max_bytes: int) -> bytes:
    read1 = getattr(raw, "read1", None) or raw.read
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > end:
            raise FetchError(late, timed_out=True)
        chunk: bytes = read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(too_large(size, max_bytes, at_least=True))


def _decompress(body: bytes, encoding: str, *, max_bytes: int) -> bytes:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"the server sent an unsupported Content-Encoding "
                         f"{_printable(encoding)!r}")
    corrupt = "the server sent a corrupt compressed body"
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        out = zlib.decompressobj(wbits).decompress(body, max_bytes + 1)
    except zlib.error:
        if encoding != "deflate":
            raise FetchError(corrupt) from None
        try:  # some servers send raw deflate without the zlib header
            out = zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, max_bytes + 1)
        except zlib.error:
            raise FetchError(corrupt) from None
    if len(out) > max_bytes:
        raise FetchError(too_large(len(out), max_bytes, at_least=True))
    return out


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """3xx answers come back to `fetch`, which checks each hop before following it."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# --- one deadline for the whole request --------------------------------------------------------


def _left(end: float) -> float:
    """Seconds left before `end`; TimeoutError when none are."""
    left = end - time.monotonic()
    if left <= 0:
        raise TimeoutError("the deadline passed")
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket's reader whose every receive waits at most until the deadline."""

    def __init__(self, sock: socket.socket, end: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # counts as a user of the socket
        self._end = end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int | None:
        self._sock.settimeout(_left(self._end))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket (plain or TLS) that sends and receives only until the deadline."""

    def __init__(self, sock: socket.socket, end: float) -> None:
        self._sock = sock
        self._end = end

    def makefile(self, mode: str = "rb", buffering: int | None = None, **_: Any) -> io.IOBase:
        assert "b" in mode and "w" not in mode, mode  # http.client only reads its answers
        return io.BufferedReader(_DeadlineReader(self._sock, self._end))

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(_left(self._end))
        self._sock.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _DeadlineHTTPConnection(http.client.HTTPConnection):
    end = 0.0

    def connect(self) -> None:
        self.timeout = _left(self.end)  # connecting waits no longer
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self.end)


class _DeadlineHTTPSConnection(http.client.HTTPSConnection):
    end = 0.0

    def connect(self) -> None:
        self.timeout = _left(self.end)  # nor does the TLS handshake
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self.end)


def _connection(
    cls: type[http.client.HTTPConnection], end: float, *args: Any, **kwargs: Any
) -> http.client.HTTPConnection:
    conn = cls(*args, **kwargs)
    conn.end = end  # type: ignore[attr-defined]
    return conn


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, end: float) -> None:
        super().__init__()
        self._connect = functools.partial(_connection, _DeadlineHTTPConnection, end)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connect, req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, end: float, context: ssl.SSLContext | None = None) -> None:
        super().__init__(context=context)
        self._tls = context  # None: http.client's default, verifying context
        self._connect = functools.partial(_connection, _DeadlineHTTPSConnection, end)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connect, req, context=self._tls)


# --- one line for a message ----------------------------------------------------------------------


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return str(reason.strerror)
    return _one_line(reason) or type(reason).__name__


def _one_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return _printable(lines[0]) if lines else ""


def _printable(text: str, limit: int = 200) -> str:
    """`text` (a server's URL or phrase) with no character a terminal would obey."""
    text = "".join(ch if ch.isprintable() else "" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
