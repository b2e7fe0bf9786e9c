"""The polite HTTP client of `pressaudio follow`.

- only http(s), redirects included (followed here, at most `max_redirects`, each hop
  checked against robots.txt and spaced like any other request);
- a User-Agent naming pressaudio and the publisher's contact;
- robots.txt respected (`urllib.robotparser`, its Crawl-delay too), read once per host;
- at most one request per `delay` seconds per host;
- conditional GET (If-None-Match / If-Modified-Since), so an unchanged page costs a 304;
- `Retry-After` on 429/503 honoured: waited for when it is at most `max_wait`, else the
  host is left alone until then (`busy`, kept across rounds by the follow state);
- a size cap and a deadline for the whole request, however slowly the server drips.

Sleeping and both clocks are parameters, so tests run the real politeness without waiting.

Note: transcript/reader.py has its own one-shot URL reader (for `render URL`); this client
adds what following a site needs (robots, spacing, conditional GET, Retry-After).
"""

from __future__ import annotations

import email.utils
import http.client
import time
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

from pressaudio import __version__
from pressaudio.errors import FollowError

__all__ = ["Fetcher", "Forbidden", "Gone", "HostBusy", "Politeness", "Response", "user_agent"]

ROBOTS_AGENT = "pressaudio"
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 503})
_GONE = frozenset({404, 410})


def user_agent(contact: str) -> str:
    """`pressaudio/0.1.0 (+https://...; podcast@example.org)`: who asks, and whom to tell."""
    return f"pressaudio/{__version__} (podcast feed builder; contact: {contact})"


@dataclass(frozen=True)
class Politeness:
    """How gently to fetch. The defaults are the polite ones."""

    user_agent: str
    delay: float = 1.0  # seconds between two requests to one host (robots Crawl-delay wins)
    max_wait: float = 120.0  # the longest Retry-After waited for; longer: skip the host
    timeout: float = 30.0  # seconds for a whole request, connection to last byte
    max_bytes: int = 10_000_000  # a page larger than this is refused
    max_redirects: int = 5
    retries: int = 2  # how often a 429/503 is retried after its Retry-After


@dataclass(frozen=True)
class Response:
    """A page as fetched (status 200), or the news that it is unchanged (304, no body)."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""  # "text/html", lower case, without parameters
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def unchanged(self) -> bool:
        return self.status == 304


class Forbidden(FollowError):
    """robots.txt does not allow pressaudio to fetch the page."""


class Gone(FollowError):
    """The page is not there (HTTP 404 or 410)."""


class HostBusy(FollowError):
    """The site asked to be left alone (429/503 with a long Retry-After) until `until`."""

    def __init__(self, message: str, *, source: str, until: float):
        super().__init__(message, source=source)
        self.until = until  # wall-clock seconds (time.time())


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back to the Fetcher, which checks each hop before following it."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Fetcher:
    """One round's HTTP client. `busy` maps a host to the wall-clock time before which it is
    not asked anything (from an earlier Retry-After); it is updated as sites answer."""

    politeness: Politeness
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic  # for spacing requests
    wall: Callable[[], float] = time.time  # for Retry-After dates and `busy`
    busy: dict[str, float] = field(default_factory=dict)
    requests: int = 0  # how many requests were sent (robots.txt included)
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | FollowError | None] = field(
        default_factory=dict
    )
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(_NoRedirects())
    )

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
    ) -> Response:
        """GET `url` politely. Raises Forbidden (robots.txt), Gone (404/410), HostBusy (a
        long Retry-After) or FollowError (anything else), each naming the URL."""
        target = url
        for _hop in range(self.politeness.max_redirects + 1):
            _check_scheme(target, url)
            self._check_robots(target)
            headers = {"Accept": accept}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, head, body = self._request(target, headers)
            if status in _REDIRECTS:
                location = head.get("Location")
                if not location:
                    raise FollowError(f"the server answered HTTP {status} without a Location",
                                      source=target)
                target = urljoin(target, location.strip())
                continue
            if status == 304:
                return Response(url, target, 304, etag=head.get("ETag") or etag,
                                last_modified=head.get("Last-Modified") or last_modified)
            content_type = head.get_content_type() if head.get("Content-Type") else ""
            return Response(
                url, target, status, body, content_type.lower(), head.get_content_charset(),
                head.get("ETag"), head.get("Last-Modified"),
            )
        raise FollowError(
            f"more than {self.politeness.max_redirects} redirects (last to {target})", source=url
        )

    # --- robots.txt ----------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                self._robots[origin] = self._read_robots(origin)
            except FollowError as err:  # asked once per round; its pages wait for the next
                self._robots[origin] = err
        robots = self._robots[origin]
        if isinstance(robots, FollowError):
            raise FollowError(f"cannot read robots.txt of {parts.netloc}: {robots.message}",
                              source=url)
        if robots is not None and not robots.can_fetch(ROBOTS_AGENT, url):
            raise Forbidden(f"robots.txt of {parts.netloc} does not allow fetching it",
                            source=url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's rules; None when it has none (404 and other 4xx: everything allowed).
        401/403 on robots.txt itself forbid everything, as RFC 9309 and robotparser say."""
        robots_url = origin + "/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        target = robots_url
        for _hop in range(self.politeness.max_redirects + 1):
            try:
                status, head, body = self._request(target, {"Accept": "text/plain"})
            except Gone:
                return None
            if status in _REDIRECTS and head.get("Location"):
                target = urljoin(target, str(head.get("Location")).strip())
                _check_scheme(target, robots_url)
                continue
            if status in (401, 403):
                parser.parse(["User-agent: *", "Disallow: /"])
                return parser
            if status != 200:
                return None
            text = body.decode(head.get_content_charset() or "utf-8", "replace")
            parser.parse(text.splitlines())
            return parser
        return None

    def _delay_for(self, host: str) -> float:
        rules = [
            r for o, r in self._robots.items()
            if urlsplit(o).netloc.lower() == host
            and isinstance(r, urllib.robotparser.RobotFileParser)
        ]
        crawl = [float(d) for r in rules if (d := r.crawl_delay(ROBOTS_AGENT))]
        return max([self.politeness.delay, *crawl])

    # --- one request ---------------------------------------------------------------------

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, Message, bytes]:
        """One GET, spaced from the last one to its host, retried after a short Retry-After.
        Returns (status, headers, body) for 2xx, 3xx and 304; raises for the rest."""
        host = urlsplit(url).netloc.lower()
        for attempt in range(self.politeness.retries + 1):
            until = self.busy.get(host, 0.0)
            if until > self.wall():
                raise HostBusy(
                    f"{host} asked to be left alone until {_http_date(until)}; skipped this "
                    "round", source=url, until=until,
                )
            self._space(host)
            try:
                return self._send(url, headers)
            except _Retry as retry:
                wait = retry.seconds
                if wait is None or wait > self.politeness.max_wait or (
                    attempt == self.politeness.retries
                ):
                    seconds = wait if wait is not None else 600.0
                    self.busy[host] = self.wall() + seconds
                    raise HostBusy(
                        f"the server answered HTTP {retry.status} (too busy) and asks to wait "
                        f"{seconds:g} s; skipped this round", source=url,
                        until=self.busy[host],
                    ) from None
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _space(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = last + self._delay_for(host) - self.clock()
            if wait > 0:
                self.sleep(wait)

    def _send(self, url: str, headers: dict[str, str]) -> tuple[int, Message, bytes]:
        p = self.politeness
        request = urllib.request.Request(
            url, headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip", **headers}
        )
        deadline = self.clock() + p.timeout
        self.requests += 1
        host = urlsplit(url).netloc.lower()
        try:
            with self._opener.open(request, timeout=p.timeout) as response:
                head: Message = response.headers
                length = head.get("Content-Length", "")
                if length.isdigit() and int(length) > p.max_bytes:
                    raise FollowError(_too_large(int(length), p.max_bytes), source=url)
                body = self._read(response, url, deadline)
                status = int(response.status)
        except FollowError:
            raise
        except urllib.error.HTTPError as err:
            status, head = err.code, err.headers
            err.close()
            if status in _REDIRECTS or status == 304:
                return status, head, b""
            if status in _GONE:
                raise Gone(f"the server answered HTTP {status} (not found)", source=url) from None
            if status in _RETRY_STATUSES:
                raise _Retry(status, _retry_after(head.get("Retry-After"), self.wall())) from None
            reason = f" {err.reason}" if err.reason else ""
            raise FollowError(f"the server answered HTTP {status}{reason}", source=url) from None
        except urllib.error.URLError as err:
            raise FollowError(f"cannot reach the server: {_reason(err.reason)}",
                              source=url) from None
        except TimeoutError:
            raise FollowError(f"no answer within {p.timeout:g} s (timed out)", source=url) from None
        except (OSError, ValueError, http.client.HTTPException) as err:
            raise FollowError(f"cannot fetch: {_reason(err)}", source=url) from None
        finally:
            self._last[host] = self.clock()
        body = _decompress(body, head.get("Content-Encoding", ""), url, p.max_bytes)
        return status, head, body

    def _read(self, response: Any, url: str, deadline: float) -> bytes:
        p = self.politeness
        read = getattr(response, "read1", None) or response.read
        chunks: list[bytes] = []
        size = 0
        while True:
            if self.clock() > deadline:
                raise FollowError(f"no complete answer within {p.timeout:g} s (timed out)",
                                  source=url)
            chunk: bytes = read(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > p.max_bytes:
                raise FollowError(_too_large(size, p.max_bytes, at_least=True), source=url)


class _Retry(Exception):  # an answer that says "ask again later"
    def __init__(self, status: int, seconds: float | None):
        super().__init__(status)
        self.status = status
        self.seconds = seconds


def _check_scheme(target: str, asked: str) -> None:
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        where = "" if target == asked else f" (a redirect led to {target})"
        raise FollowError(f"only http(s) URLs are fetched{where}", source=asked)


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _http_date(wall: float) -> str:
    return email.utils.formatdate(wall, usegmt=True)


def _decompress(body: bytes, encoding: str, url: str, max_bytes: int) -> bytes:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip"):
        raise FollowError(f"the server sent an unasked-for Content-Encoding {encoding!r}",
                          source=url)
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, max_bytes + 1)
    except zlib.error:
        raise FollowError("the server sent a corrupt compressed body", source=url) from None
    if len(out) > max_bytes:
        raise FollowError(_too_large(len(out), max_bytes, at_least=True), source=url)
    return out


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return str(reason.strerror)
    text = str(reason).strip() or type(reason).__name__
    return text.splitlines()[0]


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"is too large ({more}{size:,} bytes; the limit is {limit:,})"
