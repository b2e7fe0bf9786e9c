"""Fault injection, reading sources: hostile charsets, servers that trickle or cut short or
redirect away from http(s), control characters, and HTML too large to parse. The real
`pressaudio segment` (and `publish`) must answer each with one line, or read the text and
keep nothing that could reach a terminal, a caption or an ID3 tag."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import BASE, TWO_TURNS, assert_feed_intact, assert_one_line_error, pressaudio

# Codecs Python knows that are not charsets a page can be written in.
NOT_TEXT_CHARSETS = (
    "hex", "base64", "rot13", "zlib", "idna", "uu", "bz2", "quopri", "punycode",
    "undefined", "unicode_escape", "utf-7",
)
BODY = TWO_TURNS.format(topic="the café budget")
TRICKLE_INTERVAL = 0.2  # seconds between header bytes
TRICKLE_BYTES = 150  # at most 30 s of trickling, whatever the client does
CONTROLS = (
    "Press Conference by the Minister for Fault Tolerance\n"
    "\n"
    "Opening Remarks\n"
    "\n"
    "Minister Kamikawa: Good \x1b[2J\x1b[1;31mevening\x1b[0m.\x07 Today I have one "
    "announcement\x00 about water, and it is a long one, so please bear with me.\r\n"
    "\r\n"
    "Reporter: Will you \x1b]0;owned\x07travel to New York next week, Minister?\x7f\u009b6n\n"
    "\n"
    "Minister Kamikawa: Yes, I will attend the General Assembly and meet many people.\n"
)


def is_clean(text: str) -> bool:
    """No control character but newline and tab: nothing a terminal would obey."""
    return all(ch in "\n\t" or not (ch < " " or "\x7f" <= ch <= "\x9f") for ch in text)


# --- a local server with hostile answers ----------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    stop: threading.Event  # set by the fixture when the test is over

    def do_GET(self) -> None:
        path = self.path
        if path.startswith("/charset/"):  # a body in UTF-8 that claims a codec in its header
            charset = path.removeprefix("/charset/")
            self._send(200, {"Content-Type": f"text/plain; charset={charset}"}, BODY.encode())
        elif path == "/trickle-headers":
            self._trickle_headers()
        elif path == "/short":  # promises 4,000 bytes, sends fewer, closes
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", "4000")
            self.end_headers()
            self.wfile.write(BODY.encode()[:200])
        elif path.startswith("/redirect/"):
            self._send(302, {"Location": path.removeprefix("/redirect/")}, b"")
        elif path == "/loop":
            self._send(302, {"Location": "/loop"}, b"")
        elif path == "/controls.txt":
            self._send(200, {"Content-Type": "text/plain; charset=utf-8"}, CONTROLS.encode())
        else:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")

    def _trickle_headers(self) -> None:
        head = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nX-Padding: " + b"a" * 400
        with contextlib.suppress(OSError):
            for byte in head[:TRICKLE_BYTES]:
                if self.stop.wait(TRICKLE_INTERVAL):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the command hangs up on purpose; no tracebacks in the test output


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    stop = threading.Event()
    handler = type("BoundHandler", (Handler,), {"stop": stop})
    httpd = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stop.set()  # trickling handlers return at once
        httpd.shutdown()
        httpd.server_close()  # joins the handler threads
        thread.join(timeout=10)


def segment_json(*args: str | Path) -> dict[str, object]:
    done = pressaudio("segment", *args, "--json", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    doc: dict[str, object] = json.loads(done.stdout)
    return doc


def turn_texts(doc: dict[str, object]) -> list[str]:
    turns = doc["turns"]
    assert isinstance(turns, list)
    return [str(t["text"]) for t in turns]


# --- charsets that are not text encodings ---------------------------------------------------


@pytest.mark.parametrize("charset", NOT_TEXT_CHARSETS)
def test_non_text_charset_in_the_header_is_ignored(server: str, charset: str) -> None:
    doc = segment_json(f"{server}/charset/{charset}")
    assert any("café budget" in t for t in turn_texts(doc)), doc


META_FORMS: tuple[Callable[[str], str], ...] = (
    lambda c: f'<meta charset="{c}">',
    lambda c: f'<meta http-equiv="Content-Type" content="text/html; charset={c}">',
    lambda c: f"<meta charset={c}>",
)


@pytest.mark.parametrize("charset", NOT_TEXT_CHARSETS)
def test_non_text_charset_in_a_local_page_is_ignored(tmp_path: Path, charset: str) -> None:
    form = META_FORMS[NOT_TEXT_CHARSETS.index(charset) % len(META_FORMS)]
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = f"<!DOCTYPE html><html><head>{form(charset)}</head><body>{paragraphs}</body></html>"
    path = tmp_path / "briefing.html"
    path.write_bytes(page.encode())
    doc = segment_json(path)
    assert any("café budget" in t for t in turn_texts(doc)), doc


def test_non_text_encoding_in_an_xml_declaration_is_ignored(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = f'<?xml version="1.0" encoding="rot13"?><html><body>{paragraphs}</body></html>'
    path = tmp_path / "briefing.xhtml"
    path.write_bytes(page.encode())
    assert any("café budget" in t for t in turn_texts(segment_json(path)))


# --- servers that misbehave -----------------------------------------------------------------


def test_header_trickling_server_hits_the_deadline(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSAUDIO_FETCH_TIMEOUT", "1")
    url = f"{server}/trickle-headers"
    done = pressaudio("segment", url, timeout=60)  # the guard: 30 s of trickle at most
    line = assert_one_line_error(done, mentions=[url])
    assert "timed out" in line and "within 1 s" in line, line


def test_fetch_timeout_that_is_not_a_number_is_one_line(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSAUDIO_FETCH_TIMEOUT", "soon")
    done = pressaudio("segment", f"{server}/controls.txt", timeout=60)
    assert_one_line_error(done, mentions=["PRESSAUDIO_FETCH_TIMEOUT", "soon"])


def test_body_shorter_than_its_content_length_is_an_error(server: str) -> None:
    url = f"{server}/short"
    line = assert_one_line_error(pressaudio("segment", url, timeout=60), mentions=[url])
    assert "cut short" in line and "200 of the 4,000 bytes" in line, line


@pytest.mark.parametrize("target", ["ftp://127.0.0.1:1/briefing.txt", "file:///etc/passwd"])
def test_redirect_away_from_http_is_refused(server: str, target: str) -> None:
    url = f"{server}/redirect/{target}"
    line = assert_one_line_error(pressaudio("segment", url, timeout=60), mentions=[url, target])
    assert "only http:// and https:// redirects" in line, line


def test_redirect_loop_is_bounded(server: str) -> None:
    url = f"{server}/loop"
    line = assert_one_line_error(pressaudio("segment", url, timeout=60), mentions=[url])
    assert "too many redirects" in line, line


# --- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["url", "file"])
def test_control_characters_never_reach_the_table_or_json(
    server: str, tmp_path: Path, where: str
) -> None:
    if where == "url":
        source = f"{server}/controls.txt"
    else:
        path = tmp_path / "controls.txt"
        path.write_bytes(CONTROLS.encode())
        source = str(path)
    doc = segment_json(source)
    texts = turn_texts(doc)
    assert len(texts) == 3, texts
    assert all(is_clean(t) for t in texts), texts
    assert "[31m" not in json.dumps(doc) and "owned" not in json.dumps(doc)
    assert texts[0].startswith("Good evening. Today I have one announcement about water"), texts
    table = pressaudio("segment", source, timeout=60)
    assert table.returncode == 0, table.stderr
    assert is_clean(table.stdout) and is_clean(table.stderr), repr(table.stdout)
    assert "evening" in table.stdout


# --- HTML too large to parse ------------------------------------------------------------------


def nested_page(size: int) -> bytes:
    """A page of `size` bytes that is nothing but nested tags around one question."""
    head, tail = b"<html><body>", b"Q: deep?</body></html>"
    return head + b"<div><span>" * ((size - len(head) - len(tail)) // 11) + tail


def test_huge_deeply_nested_page_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_bytes(nested_page(19_500_000))
    line = assert_one_line_error(pressaudio("segment", path, timeout=120), mentions=[str(path)])
    assert "too large" in line and "HTML" in line and "19.5 MB" in line, line


def test_page_of_too_many_elements_under_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_bytes(nested_page(4_500_000))
    line = assert_one_line_error(pressaudio("segment", path, timeout=120), mentions=[str(path)])
    assert "HTML elements" in line, line


def test_publish_with_a_huge_page_stops_in_one_line_and_keeps_the_feed(published: Path) -> None:
    feed = published / "feed"
    before = (feed / "feed.xml").read_bytes()
    bad = published / "transcripts" / "nested.html"
    bad.write_bytes(nested_page(19_500_000))
    done = pressaudio("publish", published / "transcripts", "--out", feed, "--base-url", BASE,
                      "--jobs", "1", timeout=120)  # the guard: it used to take minutes
    assert_one_line_error(done, mentions=[str(bad)])
    assert (feed / "feed.xml").read_bytes() == before
    assert len(assert_feed_intact(feed)) == 2


def test_publish_with_a_non_text_charset_page_publishes_every_episode(
    published: Path, fault_cache: Path
) -> None:
    feed = published / "feed"
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = f'<html><head><meta charset="base64"></head><body>{paragraphs}</body></html>'
    (published / "transcripts" / "budget.html").write_text(page, "utf-8")
    done = pressaudio("publish", published / "transcripts", "--out", feed, "--base-url", BASE,
                      "--jobs", "1", cache=fault_cache, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert len(assert_feed_intact(feed)) == 3
