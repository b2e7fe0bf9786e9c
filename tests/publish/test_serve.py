"""The podcast folder server, driven over real sockets on 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressaudio.errors import PublishError
from pressaudio.publish.serve import (
    ByteRange,
    PodcastServer,
    announcement,
    make_server,
    mime_type,
    parse_range,
    running,
)

AUDIO = bytes(range(256)) * 40  # 10240 bytes, every offset distinguishable mod 256
BASE = "http://127.0.0.1:8000/"  # what the fixture's feed was "published" for
FEED = f"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<atom:link href="{BASE}feed.xml" rel="self" type="application/rss+xml"/>
<link>{BASE}</link>
<image><url>{BASE}cover.png</url></image>
<item>
  <enclosure url="{BASE}episodes/one.mp3" length="{len(AUDIO)}" type="audio/mpeg"/>
  <podcast:chapters url="{BASE}episodes/one.chapters.json" type="application/json+chapters"/>
  <podcast:transcript url="{BASE}episodes/one.vtt" type="text/vtt"/>
  <podcast:transcript url="{BASE}episodes/one.srt" type="application/x-subrip"/>
  <podcast:transcript url="{BASE}episodes/one.transcript.json" type="application/json"/>
  <podcast:transcript url="{BASE}odd%20name%20%C3%A9.txt" type="text/plain"/>
</item>
<item><enclosure url="{BASE}episodes/empty.mp3" length="0" type="audio/mpeg"/></item>
</channel></rss>
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("serve")
    (base / "secret.txt").write_text("outside the served folder\n")
    root = base / "site"
    (root / "episodes").mkdir(parents=True)
    (root / "episodes" / "one.mp3").write_bytes(AUDIO)
    (root / "episodes" / "one.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n<v A>Hi\n")
    (root / "episodes" / "one.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    (root / "episodes" / "one.chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    (root / "episodes" / "empty.mp3").write_bytes(b"")
    # Only what the feed (or the page) links to is served: list every file the tests fetch.
    (root / "feed.xml").write_text(FEED, encoding="utf-8")
    (root / "episodes" / "one.transcript.json").write_text('{"version": "1.0.0", "segments": []}')
    (root / "episodes" / "one.epub").write_bytes(b"PK\x03\x04 an EPUB")
    (root / "episodes" / "one.daisy.zip").write_bytes(b"PK\x03\x04 a DAISY book")
    (root / "index.html").write_text(  # the page offers the talking books
        '<!doctype html><title>Podcast</title><a href="episodes/one.epub">EPUB</a>'
        '<a href="episodes/one.daisy.zip">DAISY</a>'
    )
    (root / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "odd name é.txt").write_text("percent-encoded names work")
    (root / ".publish.lock").write_text("private")
    (root / "escape").symlink_to(base / "secret.txt")
    return root


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[PodcastServer]:
    with running(site) as srv:
        yield srv


def request(
    server: PodcastServer, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        # skip_host/putrequest keep the path exactly as written (no client-side normalising)
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        return resp, body
    finally:
        conn.close()


def raw_request(server: PodcastServer, request_line: str) -> bytes:
    """Send bytes the HTTP client libraries would refuse to send."""
    with socket.create_connection((server.host, server.port), timeout=10) as s:
        s.sendall(f"{request_line}\r\nHost: x\r\nConnection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while data := s.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


# --- plain GET and HEAD ----------------------------------------------------------------------


def test_get_whole_file(server: PodcastServer) -> None:
    resp, body = request(server, "GET", "/episodes/one.mp3")
    assert resp.status == 200
    assert body == AUDIO
    assert resp.getheader("Content-Length") == str(len(AUDIO))
    assert resp.getheader("Accept-Ranges") == "bytes"
    assert resp.getheader("Content-Type") == "audio/mpeg"
    assert resp.getheader("ETag")
    assert resp.getheader("Last-Modified")


def test_head_has_headers_and_no_body(server: PodcastServer) -> None:
    resp, body = request(server, "HEAD", "/episodes/one.mp3")
    assert resp.status == 200
    assert body == b""
    assert resp.getheader("Content-Length") == str(len(AUDIO))
    assert resp.getheader("Accept-Ranges") == "bytes"


def test_head_with_range(server: PodcastServer) -> None:
    resp, body = request(server, "HEAD", "/episodes/one.mp3", {"Range": "bytes=10-19"})
    assert resp.status == 206
    assert body == b""
    assert resp.getheader("Content-Range") == f"bytes 10-19/{len(AUDIO)}"
    assert resp.getheader("Content-Length") == "10"


def test_keep_alive_serves_several_requests_on_one_connection(server: PodcastServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        for rng, expected in (("bytes=0-3", AUDIO[:4]), ("bytes=100-", AUDIO[100:])):
            conn.request("GET", "/episodes/one.mp3", headers={"Range": rng})
            resp = conn.getresponse()
            assert resp.status == 206
            assert resp.read() == expected
        conn.request("HEAD", "/feed.xml")
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.read() == b""
    finally:
        conn.close()


def test_root_serves_index_html(server: PodcastServer) -> None:
    resp, body = request(server, "GET", "/")
    assert resp.status == 200
    assert body.startswith(b"<!doctype html>")
    assert resp.getheader("Content-Type") == "text/html; charset=utf-8"


def test_folder_is_not_served(server: PodcastServer) -> None:
    resp, _ = request(server, "GET", "/episodes")
    assert resp.status == 404


def test_folder_without_index_is_not_listed(server: PodcastServer) -> None:
    resp, body = request(server, "GET", "/episodes/")
    assert resp.status == 404
    assert b"one.mp3" not in body


def test_missing_file_is_404(server: PodcastServer) -> None:
    resp, _ = request(server, "GET", "/episodes/nope.mp3")
    assert resp.status == 404


def test_percent_encoded_name(server: PodcastServer) -> None:
    resp, body = request(server, "GET", "/odd%20name%20%C3%A9.txt")
    assert resp.status == 200
    assert body == b"percent-encoded names work"


def test_query_string_is_ignored(server: PodcastServer) -> None:
    resp, body = request(server, "GET", "/episodes/one.mp3?t=12")
    assert resp.status == 200
    assert body == AUDIO


def test_writes_are_refused(server: PodcastServer) -> None:
    resp, _ = request(server, "POST", "/feed.xml", {"Content-Length": "0"})
    assert resp.status == 405
    assert resp.getheader("Allow") == "GET, HEAD"


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("/episodes/one.mp3", "audio/mpeg"),
        ("/feed.xml", "application/rss+xml"),
        ("/episodes/one.vtt", "text/vtt; charset=utf-8"),
        ("/episodes/one.srt", "application/x-subrip"),
        ("/episodes/one.chapters.json", "application/json"),
        ("/episodes/one.transcript.json", "application/json"),
        ("/episodes/one.epub", "application/epub+zip"),
        ("/episodes/one.daisy.zip", "application/zip"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/cover.png", "image/png"),
    ],
)
def test_mime_types(server: PodcastServer, name: str, mime: str) -> None:
    resp, _ = request(server, "HEAD", name)
    assert resp.status == 200
    assert resp.getheader("Content-Type") == mime


def test_mime_type_of_names_with_several_dots() -> None:
    assert mime_type(Path("water.r2.mp3")) == "audio/mpeg"  # a re-rendered episode
    assert mime_type(Path("water.r2.transcript.json")) == "application/json"
    assert mime_type(Path("WATER.DAISY.ZIP")) == "application/zip"
    assert mime_type(Path("notes.r2")) == "application/octet-stream"


# --- ranges ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-0", 0, 0),  # first byte
        ("bytes=0-1023", 0, 1023),  # first kilobyte
        ("bytes=5000-5009", 5000, 5009),
        ("bytes=10000-", 10000, len(AUDIO) - 1),  # open-ended
        ("bytes=-100", len(AUDIO) - 100, len(AUDIO) - 1),  # suffix
        ("bytes=-999999", 0, len(AUDIO) - 1),  # suffix longer than the file
        ("bytes=10200-99999", 10200, len(AUDIO) - 1),  # end past the file is clamped
        ("BYTES = 7 - 8", 7, 8),  # whitespace and case are tolerated
    ],
)
def test_satisfiable_ranges(server: PodcastServer, header: str, first: int, last: int) -> None:
    resp, body = request(server, "GET", "/episodes/one.mp3", {"Range": header})
    assert resp.status == 206
    assert body == AUDIO[first : last + 1]
    assert resp.getheader("Content-Range") == f"bytes {first}-{last}/{len(AUDIO)}"
    assert resp.getheader("Content-Length") == str(last - first + 1)
    assert resp.getheader("Content-Type") == "audio/mpeg"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-1,5-6",  # several ranges: the whole file is an allowed answer
        "bytes=9-3",  # last before first: invalid, ignored
        "bytes=abc",
        "bytes=-",
        "items=0-10",  # unknown unit
        "0-10",
    ],
)
def test_ranges_the_server_ignores_get_the_whole_file(server: PodcastServer, header: str) -> None:
    resp, body = request(server, "GET", "/episodes/one.mp3", {"Range": header})
    assert resp.status == 200
    assert body == AUDIO
    assert resp.getheader("Content-Range") is None


@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("/episodes/one.mp3", f"bytes={len(AUDIO)}-"),
        ("/episodes/one.mp3", f"bytes={len(AUDIO) + 5}-{len(AUDIO) + 10}"),
        ("/episodes/one.mp3", "bytes=-0"),
        ("/episodes/empty.mp3", "bytes=0-"),
        ("/episodes/empty.mp3", "bytes=-5"),
    ],
)
def test_unsatisfiable_range_is_416(server: PodcastServer, path: str, header: str) -> None:
    resp, body = request(server, "GET", path, {"Range": header})
    assert resp.status == 416
    size = (server.directory / path.lstrip("/")).stat().st_size
    assert resp.getheader("Content-Range") == f"bytes */{size}"
    assert body == b""


def test_if_range_with_current_etag_honours_range(server: PodcastServer) -> None:
    head, _ = request(server, "HEAD", "/episodes/one.mp3")
    etag = head.getheader("ETag")
    assert etag
    resp, body = request(
        server, "GET", "/episodes/one.mp3", {"Range": "bytes=0-9", "If-Range": etag}
    )
    assert resp.status == 206
    assert body == AUDIO[:10]


def test_if_range_with_stale_etag_sends_whole_file(server: PodcastServer) -> None:
    resp, body = request(
        server, "GET", "/episodes/one.mp3", {"Range": "bytes=0-9", "If-Range": '"stale"'}
    )
    assert resp.status == 200
    assert body == AUDIO


def test_conditional_get_is_304(server: PodcastServer) -> None:
    head, _ = request(server, "HEAD", "/feed.xml")
    resp, body = request(server, "GET", "/feed.xml", {"If-None-Match": head.getheader("ETag", "")})
    assert resp.status == 304
    assert body == b""
    lm = head.getheader("Last-Modified", "")
    resp, _ = request(server, "GET", "/feed.xml", {"If-Modified-Since": lm})
    assert resp.status == 304


def test_parse_range_unit() -> None:
    assert parse_range(None, 10) is None
    assert parse_range("bytes=2-4", 10) == ByteRange(2, 4)
    assert ByteRange(2, 4).length == 3
    assert parse_range("bytes=-3", 10) == ByteRange(7, 9)
    assert parse_range("bytes=10-", 10) == "unsatisfiable"
    assert parse_range("bytes=0-", 0) == "unsatisfiable"


# --- staying inside the folder ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/episodes/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/episodes/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%252e%252e/secret.txt",  # double-encoded: stays a literal name, not found
        "/episodes/one.mp3%00.txt",
        "/%ff%fe",  # not UTF-8
        "/escape",  # a symlink pointing outside the folder
        "/.publish.lock",  # hidden files (locks, temporaries) are private
        "//etc/passwd",
        "/etc/passwd",
    ],
)
def test_traversal_is_refused(server: PodcastServer, path: str) -> None:
    resp, body = request(server, "GET", path)
    assert resp.status == 404, path
    assert b"outside the served folder" not in body
    assert b"root:" not in body


def test_traversal_in_raw_request_line_is_refused(server: PodcastServer) -> None:
    for target in ("/../secret.txt", "/episodes/../../secret.txt", "../secret.txt"):
        reply = raw_request(server, f"GET {target} HTTP/1.1")
        status_line = reply.split(b"\r\n", 1)[0]
        assert b" 404 " in status_line or b" 400 " in status_line, (target, status_line)
        assert b"outside the served folder" not in reply


def test_absolute_uri_in_request_line(server: PodcastServer) -> None:
    reply = raw_request(server, "GET http://example.invalid/feed.xml HTTP/1.1")
    assert reply.split(b"\r\n", 1)[0].endswith(b"200 OK")
    reply = raw_request(server, "GET http://example.invalid/../secret.txt HTTP/1.1")
    assert b"outside the served folder" not in reply


# --- binding and the announcement ------------------------------------------------------------


def test_missing_folder_is_a_publish_error(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="no such folder"):
        make_server(tmp_path / "nope", port=0)


def test_port_in_use_is_a_publish_error(server: PodcastServer, site: Path) -> None:
    with pytest.raises(PublishError, match=f"cannot listen on 127.0.0.1:{server.port}"):
        make_server(site, "127.0.0.1", server.port)


def test_announcement_on_loopback(server: PodcastServer) -> None:
    text = "\n".join(announcement(server))
    assert f"http://127.0.0.1:{server.port}/feed.xml" in text
    assert "anyone on your network" not in text


def test_announcement_warns_when_not_loopback(site: Path) -> None:
    srv = make_server(site, "0.0.0.0", 0, quiet=True)
    try:
        text = "\n".join(announcement(srv))
    finally:
        srv.server_close()
    assert "serving on all interfaces: anyone on your network can" in text
    assert f":{srv.port}/feed.xml" in text


def test_announcement_notes_a_feed_published_for_another_url(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text(
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        '<atom:link href="https://podcasts.example.org/feed.xml" rel="self"/></channel></rss>'
    )
    with running(tmp_path) as srv:
        text = "\n".join(announcement(srv))
    assert "published for https://podcasts.example.org/feed.xml" in text
    assert f"--base-url http://127.0.0.1:{srv.port}/" in text


def test_file_modified_while_serving_is_served_fresh(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_text("old")
    with running(tmp_path) as srv:
        _, first = request(srv, "GET", "/feed.xml")
        tmp = tmp_path / ".feed.xml.tmp"
        tmp.write_text("new and longer")
        os.replace(tmp, target)
        _, second = request(srv, "GET", "/feed.xml")
    assert (first, second) == (b"old", b"new and longer")


def feed_for(folder: Path, url: str) -> None:
    (folder / "feed.xml").write_text(
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f'<atom:link href="{url}" rel="self"/></channel></rss>'
    )


def test_announcement_accepts_localhost_for_127_0_0_1(tmp_path: Path) -> None:
    with running(tmp_path) as srv:
        feed_for(tmp_path, f"http://localhost:{srv.port}/feed.xml")
        text = "\n".join(announcement(srv))
    assert "note:" not in text


def test_announcement_notes_a_feed_for_the_network_served_on_loopback(tmp_path: Path) -> None:
    with running(tmp_path) as srv:
        feed_for(tmp_path, f"http://192.0.2.7:{srv.port}/feed.xml")
        text = "\n".join(announcement(srv))
    assert "other devices cannot reach it: add --host 0.0.0.0" in text


def test_announcement_notes_another_port(tmp_path: Path) -> None:
    with running(tmp_path) as srv:
        feed_for(tmp_path, f"http://127.0.0.1:{srv.port + 1}/feed.xml")
        text = "\n".join(announcement(srv))
    assert f"--base-url http://127.0.0.1:{srv.port}/" in text


# --- the command -----------------------------------------------------------------------------


def test_serve_command_announces_serves_and_stops_on_ctrl_c(site: Path) -> None:
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "pressaudio", "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith(f"Serving {site.resolve()} at http://127.0.0.1:"), first
        base = first.rsplit(" at ", 1)[1].strip()
        lines = [proc.stdout.readline().rstrip("\n") for _ in range(3)]
        assert lines[0] == f"Podcast feed (paste into your podcast app): {base}feed.xml"
        assert "anyone on your network" not in "".join(lines)
        port = int(base.rsplit(":", 1)[1].rstrip("/"))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/episodes/one.mp3", headers={"Range": "bytes=0-9"})
        resp = conn.getresponse()
        assert (resp.status, resp.read()) == (206, AUDIO[:10])
        conn.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.rstrip().endswith("stopped")


def test_serve_command_missing_folder_is_one_line_and_exit_1(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "pressaudio", "serve", str(tmp_path / "nope"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nope'}: no such folder to serve "
        "(publish one first: pressaudio publish ...)"
    ]
