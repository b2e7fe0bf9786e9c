"""The polite fetcher against a local server: robots.txt, one request per `delay` per host
(Crawl-delay too), conditional GET and 304, Retry-After on 429, redirects (http(s) only,
bounded), a size cap. Sleeping and the clocks are injected, so nothing here waits."""

from __future__ import annotations

import itertools

import pytest
from conftest import Page, Site

from pressaudio.errors import FollowError
from pressaudio.follow.fetch import Fetcher, Forbidden, Gone, HostBusy, Politeness, user_agent


class FakeTime:
    """A clock that moves only when the fetcher sleeps."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def fetcher(t: FakeTime, **polite: float) -> Fetcher:
    return Fetcher(Politeness(user_agent("ops@example.org"), **polite),  # type: ignore[arg-type]
                   sleep=t.sleep, clock=t.clock, wall=t.clock)


def page(n: int) -> Page:
    return Page(f"<html><body><p>page {n}</p></body></html>".encode())


def test_one_request_per_delay_per_host_robots_included(site: Site) -> None:
    site.pages.update({f"/p{n}.html": page(n) for n in range(3)})
    t = FakeTime()
    seen: list[tuple[str, float]] = []
    site.observer = lambda path: seen.append((path, t.now))
    f = fetcher(t, delay=1.0)
    for n in range(3):
        assert f.get(f"{site.base}/p{n}.html").status == 200
    assert [p for p, _ in seen] == ["/robots.txt", "/p0.html", "/p1.html", "/p2.html"]
    times = [when for _, when in seen]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times)), times


def test_crawl_delay_and_disallow_in_robots_txt(site: Site) -> None:
    site.pages["/robots.txt"] = Page(
        b"User-agent: *\nCrawl-delay: 3\nDisallow: /private/\n", "text/plain"
    )
    site.pages.update({"/a.html": page(1), "/b.html": page(2), "/private/x.html": page(3)})
    t = FakeTime()
    f = fetcher(t, delay=1.0)
    f.get(site.base + "/a.html")
    f.get(site.base + "/b.html")
    assert t.slept == [3.0, 3.0]  # robots.txt -> a -> b, each 3 s apart
    with pytest.raises(Forbidden, match=r"robots\.txt"):
        f.get(site.base + "/private/x.html")
    assert site.requests_for("/private/x.html") == []


def test_conditional_get_gives_304(site: Site) -> None:
    site.pages["/a.html"] = page(1)
    f = fetcher(FakeTime(), delay=0)
    first = f.get(site.base + "/a.html")
    assert first.etag and first.last_modified and not first.unchanged
    again = f.get(site.base + "/a.html", etag=first.etag, last_modified=first.last_modified)
    assert again.unchanged and again.body == b"" and again.etag == first.etag
    assert site.requests_for("/a.html")[-1]["If-None-Match"] == first.etag


def test_short_retry_after_is_waited_for(site: Site) -> None:
    site.pages["/a.html"] = page(1)
    site.busy["/a.html"] = 7
    t = FakeTime()
    assert fetcher(t, delay=0, max_wait=10).get(site.base + "/a.html").status == 200
    assert 7 in t.slept and len(site.requests_for("/a.html")) == 2


def test_long_retry_after_leaves_the_host_alone(site: Site) -> None:
    site.pages.update({"/a.html": page(1), "/b.html": page(2)})
    site.busy["/a.html"] = 3600
    t = FakeTime()
    f = fetcher(t, delay=0, max_wait=10)
    with pytest.raises(HostBusy, match="HTTP 429") as caught:
        f.get(site.base + "/a.html")
    assert caught.value.until == pytest.approx(t.now + 3600)
    with pytest.raises(HostBusy, match="left alone"):
        f.get(site.base + "/b.html")
    assert site.requests_for("/b.html") == []  # not even asked
    assert f.busy == {f"127.0.0.1:{site.port}": caught.value.until}


def test_redirects_are_followed_checked_and_bounded(site: Site) -> None:
    site.pages.update({
        "/old.html": Page(b"", status=301, location="/new.html"),
        "/new.html": page(1),
        "/ftp.html": Page(b"", status=302, location="ftp://127.0.0.1/file.txt"),
        "/loop.html": Page(b"", status=307, location="/loop.html"),
    })
    f = fetcher(FakeTime(), delay=0)
    moved = f.get(site.base + "/old.html")
    assert moved.final_url == site.base + "/new.html" and b"page 1" in moved.body
    with pytest.raises(FollowError, match=r"only http\(s\) URLs .*ftp://"):
        f.get(site.base + "/ftp.html")
    with pytest.raises(FollowError, match="more than 5 redirects"):
        f.get(site.base + "/loop.html")


def test_gone_too_large_and_errors_name_the_url(site: Site) -> None:
    site.pages["/big.html"] = Page(b"<p>" + b"x" * 5000 + b"</p>")
    site.pages["/boom.html"] = Page(b"oops", status=500)
    f = fetcher(FakeTime(), delay=0, max_bytes=1000)
    with pytest.raises(Gone, match="404") as gone:
        f.get(site.base + "/nothing.html")
    assert str(gone.value).startswith(site.base + "/nothing.html: ")
    with pytest.raises(FollowError, match="too large"):
        f.get(site.base + "/big.html")
    with pytest.raises(FollowError, match="HTTP 500"):
        f.get(site.base + "/boom.html")


def test_unreachable_site_is_one_error(closed_port: int) -> None:
    f = fetcher(FakeTime(), delay=0, timeout=5)
    with pytest.raises(FollowError, match=r"cannot read robots\.txt.*connection refused"):
        f.get(f"http://127.0.0.1:{closed_port}/a.html")
