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

Each request goes through `pressaudio.net` (the one HTTP client, which `render URL` uses
too: the deadline, the size cap, gzip, short bodies); this module adds what following a
site needs (robots, spacing, conditional GET, Retry-After). Sleeping and both clocks are
parameters, so tests run the real politeness without waiting.
"""

from __future__ import annotations

import email.utils
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from pressaudio import __version__, net
from pressaudio.errors import FollowError

__all__ = ["Fetcher", "Forbidden", "Gone", "HostBusy", "Politeness", "Response", "user_agent"]

ROBOTS_AGENT = "pressaudio"
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
        self.requests += 1
        try:
            answer = net.fetch(url, headers={"User-Agent": p.user_agent, **headers},
                               deadline=p.timeout, max_bytes=p.max_bytes, max_redirects=0)
        except net.FetchError as err:
            raise FollowError(err.message, source=url) from None
        finally:
            self._last[urlsplit(url).netloc.lower()] = self.clock()
        status, head = answer.status, answer.headers
        if 200 <= status < 300 or status in _REDIRECTS or status == 304:
            return status, head, answer.body
        if status in _GONE:
            raise Gone(f"the server answered HTTP {status} (not found)", source=url)
        if status in _RETRY_STATUSES:
            raise _Retry(status, _retry_after(head.get("Retry-After"), self.wall()))
        reason = f" {answer.reason}" if answer.reason else ""
        raise FollowError(f"the server answered HTTP {status}{reason}", source=url)


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
