"""Reading sources: files in every encoding, HTML pages, stdin, and a real local HTTP server."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pressaudio.errors import SourceError
from pressaudio.transcript.html import extract_text
from pressaudio.transcript.reader import SourceText, read

TEXT = (
    "Press Conference by Foreign Minister KAMIKAWA Yoko\n"
    "\n"
    "Reporter: Minister’s “view” on the €20 café budget — señor?\n"
    "\n"
    "Minister Kamikawa: We will refrain.\n"
)


def source_error(source: str, **kwargs: float) -> SourceError:
    with pytest.raises(SourceError) as info:
        read(source, **kwargs)  # type: ignore[arg-type]
    err = info.value
    assert "\n" not in str(err), "a source error must be one line"
    return err


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# --- encodings ---------------------------------------------------------------------------------


def test_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", TEXT.encode("utf-8"))
    assert read(path) == SourceText(name=path, text=TEXT)


def test_utf8_with_bom_drops_the_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert read(path).text == TEXT


def test_cp1252_fallback(tmp_path: Path) -> None:
    data = TEXT.encode("cp1252")
    assert b"\x92" in data and b"\x80" in data  # curly apostrophe and euro sign, cp1252-only
    path = write(tmp_path, "t.txt", data)
    assert read(path).text == TEXT


def test_latin1_fallback_for_bytes_cp1252_leaves_undefined(tmp_path: Path) -> None:
    prose = "Señor Núñez: the año's café, déjà vu.\n" * 5
    data = prose.encode("latin-1") + b"odd \x81\x8d byte\n"
    path = write(tmp_path, "t.txt", data)
    # latin-1 reads them as C1 control characters, which are then removed like all controls
    assert read(path).text == prose + "odd  byte\n"


def test_mostly_utf8_with_stray_cp1252_bytes_keeps_both(tmp_path: Path) -> None:
    data = "Minister’s remarks: 外務省\n".encode() + b"Reporter\x92s question\n"
    path = write(tmp_path, "t.txt", data)
    assert read(path).text == "Minister’s remarks: 外務省\nReporter’s question\n"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    assert read(path).text == TEXT


def test_line_endings_are_normalised_without_adding_or_removing_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", b"one\r\ntwo\rthree\n\r\nfive\x0csix\xe2\x80\xa8seven")
    text = read(path).text
    assert text == "one\ntwo\nthree\n\nfive six seven"
    assert text.splitlines() == text.split("\n")  # every consumer counts lines the same way


def test_line_numbers_of_a_real_transcript_are_the_files_own(
    tmp_path: Path, reference_transcript: Path
) -> None:
    src = reference_transcript
    raw = src.read_bytes()
    crlf = write(tmp_path, "crlf.txt", raw.replace(b"\n", b"\r\n"))
    for path in (str(src), crlf):
        lines = read(path).text.split("\n")
        assert lines == raw.decode("utf-8").split("\n")
        assert lines[10].startswith("Ms. KAMIKAWA Yoko, Minister for Foreign Affairs:I held")


# --- refused files ---------------------------------------------------------------------------


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "audio.txt", bytes(range(256)) * 8)
    err = source_error(path)
    assert str(err) == f"{path}: is a binary file, not a text or HTML transcript"


def test_binary_without_nul_bytes_mostly_control_characters(tmp_path: Path) -> None:
    rng = random.Random(7)
    data = bytes(rng.choice([b for b in range(1, 256)]) for _ in range(4000))
    path = write(tmp_path, "noise.txt", data)
    assert "binary" in str(source_error(path))


def test_known_binary_formats_are_named(tmp_path: Path) -> None:
    pdf = write(tmp_path, "briefing.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>")
    # a PDF is read as one (transcript/pdf.py); this one is cut short, and says so
    assert str(source_error(pdf)).startswith(f"{pdf}: cannot read this PDF: ")
    png = write(tmp_path, "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "PNG image" in str(source_error(png))


def test_bad_utf16_is_undecodable(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")  # lone surrogate
    err = source_error(path)
    assert str(err).startswith(f"{path}: ") and "UTF-16" in str(err)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, "\u00a0\n".encode()])
def test_empty_or_whitespace_only(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    assert str(source_error(path)) == f"{path}: is empty; there is no transcript to read"


def test_directory(tmp_path: Path) -> None:
    err = source_error(str(tmp_path))
    assert str(err) == f"{tmp_path}: is a directory; give a transcript file"


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.txt")
    assert str(source_error(path)) == f"{path}: no such file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", b"text")
    os.chmod(path, 0)
    assert "permission denied" in str(source_error(path))


def test_too_large_file(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"word " * 400)
    err = source_error(path, max_bytes=1000)
    assert str(err) == f"{path}: is too large (2,000 bytes; the limit is 1,000 bytes)"
    assert read(path, max_bytes=2000).text == "word " * 400


def test_unsupported_url_scheme() -> None:
    err = source_error("ftp://example.org/briefing.txt")
    assert "unsupported URL scheme 'ftp'" in str(err)


# --- stdin -----------------------------------------------------------------------------------


def test_stdin_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(TEXT.encode("cp1252")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stream)
    assert read("-") == SourceText(name="-", text=TEXT)


def test_stdin_text_stream_without_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEXT))
    assert read("-").text == TEXT


def test_stdin_html_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    page = b"<!DOCTYPE html><html><body><p>Q: Why?</p><p>A: Because.</p></body></html>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert read("-").text == "Q: Why?\n\nA: Because.\n"


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n\n")))
    assert str(source_error("-")) == "<stdin>: is empty; there is no transcript to read"


# --- HTML ------------------------------------------------------------------------------------

GOV_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Press Conference by Foreign Minister KAMIKAWA Yoko | Ministry of Foreign Affairs</title>
<style>body { font-family: sans-serif } .hidden { display: none }</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(1);}</script>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Leak"}</script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<section class="usa-banner" aria-label="Official website">An official website of the
  government. Here's how you know</section>
<header id="header">
  <div class="logo"><a href="/">Ministry of Foreign Affairs of Japan</a></div>
  <form class="search" action="/search"><input name="q"><button>Search</button></form>
  <ul class="lang-bar"><li><a href="/ja/">日本語</a></li><li><a href="/fr/">Français</a></li></ul>
  <nav class="global-nav"><ul><li><a href="/policy/">Foreign Policy</a></li>
    <li><a href="/press/">Press Room</a></li></ul></nav>
</header>
<div id="breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/press/">Press Room</a></li>
  <li>Press Conferences</li></ol></div>
<div id="wrapper">
<main id="main">
<article>
  <h1>Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko</h1>
  <p class="date">Thursday, September 14, 2023, 9:31 p.m. Ministry of Foreign Affairs</p>
  <p>This is a provisional translation by an external company for reference purpose only.</p>
  <div class="share"><a href="#">Share on X</a> <a href="#">Facebook</a></div>
  <h2>Opening Remarks</h2>
  <p><strong>Ms. KAMIKAWA Yoko, Minister for Foreign Affairs:</strong>I held a telephone
     meeting earlier with Secretary Blinken.</p>
  <p>In addition, I stated that Japan will fulfill its role as the G7 Presidency.</p>
  <div style="display: none">Tracking pixel text</div>
  <p hidden>Hidden by attribute</p>
  <span class="sr-only">Opens in a new window</span>
  <h2>Question-and-Answer Session</h2>
  <p>Reporter:&nbsp;During your meeting with Secretary Blinken today, was the summit
     mentioned?</p>
  <p>Minister Kamikawa:<br>We discussed today what I mentioned in my opening remarks.<br>
     <br>As this is a matter of diplomatic communication, I would like to refrain.</p>
  <table><tr><td>Reporter:</td><td>Did you discuss meeting in person?</td></tr></table>
  <!-- a comment that is not text -->
  <p><a href="/press/kaiken/">Back to Press Conferences</a></p>
</article>
</main>
<aside class="related"><h2>Related Information</h2><ul><li><a href="#">Japan-U.S.</a></li></ul>
</aside>
</div>
<footer><p>Copyright © Ministry of Foreign Affairs of Japan</p><nav><a href="/map">Site map</a>
</nav></footer>
<noscript>Please enable JavaScript</noscript>
<script src="/js/app.js"></script>
</body>
</html>
"""

GOV_PAGE_TEXT = (
    "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko\n\n"
    "Thursday, September 14, 2023, 9:31 p.m. Ministry of Foreign Affairs\n\n"
    "This is a provisional translation by an external company for reference purpose only.\n\n"
    "Opening Remarks\n\n"
    "Ms. KAMIKAWA Yoko, Minister for Foreign Affairs:I held a telephone meeting earlier with"
    " Secretary Blinken.\n\n"
    "In addition, I stated that Japan will fulfill its role as the G7 Presidency.\n\n"
    "Question-and-Answer Session\n\n"
    "Reporter:\u00a0During your meeting with Secretary Blinken today, was the summit"
    " mentioned?\n\n"
    "Minister Kamikawa:\nWe discussed today what I mentioned in my opening remarks.\n\n"
    "As this is a matter of diplomatic communication, I would like to refrain.\n\n"
    "Reporter: Did you discuss meeting in person?\n\n"
    "Back to Press Conferences\n"
)


def test_government_page_keeps_the_article_and_drops_the_chrome(tmp_path: Path) -> None:
    path = write(tmp_path, "kaiken.html", GOV_PAGE.encode("utf-8"))
    assert read(path) == SourceText(name=path, text=GOV_PAGE_TEXT)


def test_html_content_in_a_txt_file_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path, "saved.txt", b"\n  " + GOV_PAGE.encode("utf-8"))
    assert read(path).text == GOV_PAGE_TEXT


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        "</head><body><main><p>外務大臣：本日は以上です。</p></main></body></html>"
    )
    path = write(tmp_path, "ja.htm", page.encode("shift_jis"))
    assert read(path).text == "外務大臣：本日は以上です。\n"


def test_html_without_main_falls_back_to_body_without_chrome() -> None:
    page = """<html><body>
      <div id="header"><a href="/">Home</a> | <a href="/en">English</a></div>
      <ul class="breadcrumbs"><li>Home</li><li>Briefings</li></ul>
      <h1>Daily Briefing</h1>
      <p>MR PRICE: Good afternoon.</p>
      <p>QUESTION: Thank you, Ned.</p>
      <pre>Line one
  Line two</pre>
      <div id="footer">Privacy policy</div>
    </body></html>"""
    assert extract_text(page) == (
        "Daily Briefing\n\nMR PRICE: Good afternoon.\n\nQUESTION: Thank you, Ned.\n\n"
        "Line one\nLine two\n"
    )


def test_page_wide_form_wrapper_is_not_dropped() -> None:
    # ASP.NET pages wrap the whole page in one <form>.
    page = (
        '<html><body><form id="aspnetForm" method="post"><div id="nav"><a>Menu</a></div>'
        '<div id="contents"><p>Spokesperson: We have no announcements today.</p>'
        "<p>Reporter: Thank you.</p></div></form></body></html>"
    )
    assert extract_text(page) == (
        "Spokesperson: We have no announcements today.\n\nReporter: Thank you.\n"
    )


def test_title_outside_the_article_is_kept() -> None:
    page = (
        '<html><body><header role="banner"><a>State Department</a></header>'
        '<div class="page-hero"><h1>Department Press Briefing - March 13, 2023</h1></div>'
        "<article><p>2:09 p.m. EST</p><p>MR PRICE: Good afternoon.</p></article>"
        "</body></html>"
    )
    assert extract_text(page) == (
        "Department Press Briefing - March 13, 2023\n\n2:09 p.m. EST\n\n"
        "MR PRICE: Good afternoon.\n"
    )


def test_deeply_nested_html_does_not_overflow_the_stack() -> None:
    page = "<html><body>" + "<div><span>" * 3000 + "Q: deep?" + "</span></div>" * 3000
    assert "Q: deep?" in extract_text(page + "</body></html>")


def test_html_with_no_article_text(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Loading</title><script>app()</script></head>"
        "<body><nav><a href='/'>Home</a></nav><div id='app'></div>"
        "<footer>© Government</footer></body></html>"
    )
    path = write(tmp_path, "spa.html", page.encode())
    assert str(source_error(path)) == f"{path}: the HTML page has no article text to read"


# --- over HTTP -------------------------------------------------------------------------------

ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/briefing.txt": (200, {"Content-Type": "text/plain; charset=windows-1252"},
                      TEXT.encode("cp1252")),
    "/kaiken.html": (200, {"Content-Type": "text/html; charset=utf-8"}, GOV_PAGE.encode()),
    "/no-type": (200, {}, GOV_PAGE.encode()),
    "/gzip.txt": (200, {"Content-Type": "text/plain; charset=utf-8", "Content-Encoding": "gzip"},
                  gzip.compress(TEXT.encode())),
    "/moved": (301, {"Location": "/briefing.txt"}, b""),
    "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
    "/big.txt": (200, {"Content-Type": "text/plain"}, b"word " * 1000),
    "/empty.html": (200, {"Content-Type": "text/html"}, b"<html><body><nav>Home</nav></body>"),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        if self.path == "/big-unsized.txt":  # no Content-Length: the cap must count bytes
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"word " * 100)
            return
        if self.path == "/slow":  # no answer at all for a while
            time.sleep(2.0)
            self._send(200, {"Content-Type": "text/plain"}, b"too late")
            return
        if self.path == "/trickle":  # answers at once, then a byte at a time
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        if self.path not in ROUTES:
            self.send_error(404, "Not Found")
            return
        self._send(*ROUTES[self.path])

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
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out hang up on purpose; no tracebacks in the test output


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_http_text_with_charset_from_header(base_url: str) -> None:
    url = f"{base_url}/briefing.txt"
    assert read(url) == SourceText(name=url, text=TEXT)


def test_http_html_by_content_type(base_url: str) -> None:
    assert read(f"{base_url}/kaiken.html").text == GOV_PAGE_TEXT


def test_http_html_by_sniffing(base_url: str) -> None:
    assert read(f"{base_url}/no-type").text == GOV_PAGE_TEXT


def test_http_gzip_and_redirect(base_url: str) -> None:
    assert read(f"{base_url}/gzip.txt").text == TEXT
    assert read(f"{base_url}/moved").text == TEXT


def test_http_404(base_url: str) -> None:
    url = f"{base_url}/missing"
    assert str(source_error(url)) == f"{url}: the server answered HTTP 404 Not Found"


def test_http_non_text_content_type(base_url: str) -> None:
    url = f"{base_url}/image.png"
    assert str(source_error(url)) == f"{url}: is image/png, not a text or HTML transcript"


def test_http_html_without_article_text(base_url: str) -> None:
    assert "no article text" in str(source_error(f"{base_url}/empty.html"))


def test_http_too_large_by_content_length(base_url: str) -> None:
    url = f"{base_url}/big.txt"
    err = source_error(url, max_bytes=1000)
    assert str(err) == f"{url}: is too large (5,000 bytes; the limit is 1,000 bytes)"


def test_http_too_large_without_content_length(base_url: str) -> None:
    err = source_error(f"{base_url}/big-unsized.txt", max_bytes=1000)
    assert "is too large (more than" in str(err)


def test_http_slow_server_times_out(base_url: str) -> None:
    err = source_error(f"{base_url}/slow", timeout=0.3)
    assert "timed out" in str(err)


def test_http_trickling_server_hits_the_overall_deadline(base_url: str) -> None:
    err = source_error(f"{base_url}/trickle", timeout=0.5)
    assert "timed out" in str(err)


def test_http_unreachable(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/briefing.txt"
    assert str(source_error(url)) == f"{url}: cannot reach the server: connection refused"


def test_malformed_url() -> None:
    assert str(source_error("http://")).startswith("http://: ")
