"""The one HTTP client (pressaudio.net) against a real local server: statuses are answers,
redirects followed (or handed back), gzip and deflate, the size cap after decompression,
bodies cut short, and one deadline for a server that trickles."""

from __future__ import annotations

import contextlib
import gzip
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pressaudio import net

BODY = b"Minister: Good evening.\n" * 20
SEEN: list[dict[str, str]] = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    stop: threading.Event

    def do_GET(self) -> None:
        SEEN.append(dict(self.headers.items()))
        routes: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/plain": (200, {"Content-Type": "text/plain; charset=ISO-8859-1"}, BODY),
            "/gzip": (200, {"Content-Encoding": "gzip"}, gzip.compress(BODY)),
            "/deflate": (200, {"Content-Encoding": "deflate"}, zlib.compress(BODY)),
            "/raw-deflate": (200, {"Content-Encoding": "deflate"}, _raw_deflate(BODY)),
            "/bomb": (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 1_000_000)),
            "/brotli": (200, {"Content-Encoding": "br"}, BODY),
            "/hop1": (302, {"Location": "/hop2"}, b""),
            "/hop2": (301, {"Location": "/plain"}, b""),
            "/loop": (307, {"Location": "/loop"}, b""),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "/gone": (410, {}, b"this body is not read"),
        }
        if self.path == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(BODY[:100])
            return
        if self.path == "/trickle":
            self.send_response(200)
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(600):
                    if self.stop.wait(0.05):
                        return
                    self.wfile.write(b"x")
                    self.wfile.flush()
            return
        if self.path not in routes:
            self.send_error(404, "Not Found")
            return
        status, headers, body = routes[self.path]
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hangs up on purpose


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    stop = threading.Event()
    httpd = Server(("127.0.0.1", 0), type("Bound", (Handler,), {"stop": stop}))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def get(url: str, **kwargs: int) -> net.Response:
    return net.fetch(url, headers={"User-Agent": "pressaudio-test"}, deadline=30,
                     max_bytes=kwargs.pop("max_bytes", 100_000), **kwargs)


def test_a_page_with_its_status_headers_and_charset(base: str) -> None:
    answer = get(base + "/plain")
    assert (answer.status, answer.reason, answer.body) == (200, "OK", BODY)
    assert answer.content_type == "text/plain" and answer.charset == "iso-8859-1"
    assert answer.url == answer.final_url == base + "/plain"
    assert SEEN[-1]["User-Agent"] == "pressaudio-test"
    assert SEEN[-1]["Accept-Encoding"] == "gzip, deflate"


def test_error_statuses_are_answers_without_a_body(base: str) -> None:
    gone = get(base + "/gone")
    assert (gone.status, gone.reason, gone.body) == (410, "Gone", b"")
    missing = get(base + "/nothing")
    assert (missing.status, missing.reason) == (404, "Not Found")


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_compressed_bodies_are_decompressed(base: str, path: str) -> None:
    assert get(base + path).body == BODY


def test_the_size_cap_holds_after_decompression(base: str) -> None:
    with pytest.raises(net.FetchError, match=r"too large \(more than"):
        get(base + "/bomb", max_bytes=10_000)
    with pytest.raises(net.FetchError, match=r"too large \(5,000 bytes; the limit is 1,000"):
        get(base + "/short", max_bytes=1000)  # by Content-Length, before reading


def test_unknown_content_encoding_is_refused(base: str) -> None:
    with pytest.raises(net.FetchError, match="unsupported Content-Encoding 'br'"):
        get(base + "/brotli")


def test_redirects_followed_or_handed_back(base: str) -> None:
    moved = get(base + "/hop1")
    assert moved.final_url == base + "/plain" and moved.body == BODY
    hop = get(base + "/hop1", max_redirects=0)
    assert (hop.status, hop.headers["Location"], hop.body) == (302, "/hop2", b"")
    with pytest.raises(net.FetchError, match=r"too many redirects \(more than 5"):
        get(base + "/loop")
    with pytest.raises(net.FetchError, match="redirects to file:///etc/passwd; only http"):
        get(base + "/to-file")
    with pytest.raises(net.FetchError, match="only http:// and https:// URLs"):
        get("ftp://127.0.0.1/x")


def test_a_body_cut_short_is_an_error(base: str) -> None:
    with pytest.raises(net.FetchError, match="cut short: 100 of the 5,000 bytes"):
        get(base + "/short")


def test_a_trickling_server_meets_the_one_deadline(base: str) -> None:
    with pytest.raises(net.FetchError, match=r"within 0\.3 s \(timed out\)") as caught:
        net.fetch(base + "/trickle", headers={}, deadline=0.3, max_bytes=100_000)
    assert caught.value.timed_out


def test_an_unreachable_server(closed_port: int) -> None:
    with pytest.raises(net.FetchError, match="cannot reach the server: connection refused"):
        get(f"http://127.0.0.1:{closed_port}/")
