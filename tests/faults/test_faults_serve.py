"""Fault injection for `pressaudio serve`: the real command, a real published folder, real
clients on 127.0.0.1. Hostile request lines, bursts, idle and silent clients, absurd ranges,
FIFOs, files that were never published, and paths that try to leave the folder."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BASE, assert_one_line_error, cli_env, pressaudio
from lxml import etree

from pressaudio.publish.serve import ServeLimits

GUARD = 30.0  # seconds: a guard against a hung server, never an assertion about speed
LIMITS = ServeLimits()


@dataclass(frozen=True)
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path  # the server's stderr

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=GUARD)

    def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = self.connect()
        try:
            conn.putrequest("GET", path, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            conn.endheaders()
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def raw(self, data: bytes) -> bytes:
        """Send bytes no HTTP client library would send; the reply until the server closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=GUARD) as s:
            s.sendall(data)
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def threads(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
        raise AssertionError("no Threads: line")

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))


@contextmanager
def serving(folder: Path, *options: str) -> Iterator[Server]:
    """`pressaudio serve FOLDER --port 0 OPTIONS` until the block ends, then Ctrl-C; its
    stderr goes to a file (a pipe nobody reads could fill and stall the server)."""
    log = folder.parent / f"serve-{len(list(folder.parent.glob('serve-*.log')))}.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pressaudio", "serve", str(folder), "--port", "0", *options],
            stdout=subprocess.PIPE, stderr=err, env=cli_env(),
        )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().decode()
        assert first.startswith("Serving ") and " at http://127.0.0.1:" in first, (
            first, log.read_text("utf-8", "replace"))
        port = int(first.rsplit(":", 1)[1].strip().rstrip("/"))
        yield Server(proc, port, log)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=GUARD)
        assert proc.returncode == 0, log.read_text("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def feed(published: Path) -> Path:
    """A published folder laid out like the demo's: transcripts/ and podcast.toml inside it,
    publish's state in .pressaudio/, plus files nobody published."""
    out = published / "feed"
    shutil.copytree(published / "transcripts", out / "transcripts")
    (out / "podcast.toml").write_text('title = "Private settings"\nowner_email = "me@x"\n')
    (out / "notes.txt").write_text("dropped here by hand\n")
    (out / "episodes" / "stray.mp3").write_bytes(b"ID3 not published")
    (out / "episodes" / ".water.mp3.pressaudio-tmp-x1").write_bytes(b"half written")
    return out


def feed_paths(out: Path) -> list[str]:
    """Every URL path feed.xml links to under its base URL (attributes and element text)."""
    root = etree.fromstring((out / "feed.xml").read_bytes())
    found = set()
    for el in root.iter():
        for value in [*el.attrib.values(), el.text or ""]:
            if value.strip().startswith(BASE):
                found.add("/" + value.strip().removeprefix(BASE))
    return sorted(found)


def status_of(reply: bytes) -> int:
    """The status of a raw reply; http.server answers a request it cannot read as HTTP/1.x
    in the HTTP/0.9 way, with the error page alone."""
    if not reply.startswith(b"HTTP/"):
        return 400 if b"Error code: 400" in reply else 0
    return int(reply.split(b"\r\n", 1)[0].split()[1])


# --- the log ---------------------------------------------------------------------------------


def test_request_line_cannot_drive_the_operators_terminal(feed: Path) -> None:
    hostile = [
        b"GET /\x1b]0;PWNED\x07\x1b[2J HTTP/1.1",  # retitle and clear the terminal
        b"GET /\x9b31m\x7f\x00 HTTP/1.1",  # C1 CSI, DEL, NUL
        b"GET / HTTP/1.1\x1b[2J",  # a malformed version: the 400 path logs it too
    ]
    with serving(feed) as srv:
        for line in hostile:
            reply = srv.raw(line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert status_of(reply) in (400, 404), reply[:80]
        assert srv.get("/feed.xml")[0] == 200
    log = srv.log.read_bytes()
    assert b"\\x1b]0;PWNED\\x07\\x1b[2J" in log, log
    assert b"\\x9b31m\\x7f\\x00" in log, log
    controls = {b for b in log if b < 0x20 and b != 0x0A} | ({0x7F} & set(log))
    assert not controls, (controls, log)
    text = log.decode("utf-8")  # and no C1 control smuggled in as UTF-8
    assert not [ch for ch in text if 0x80 <= ord(ch) < 0xA0], text
    assert "Traceback" not in text


# --- bursts and idle clients -----------------------------------------------------------------


def test_200_concurrent_range_requests_are_all_answered(feed: Path) -> None:
    mp3 = next((feed / "episodes").glob("water*.mp3"))
    data = mp3.read_bytes()
    path = "/episodes/" + mp3.name
    n = 200
    ranges = [(i * 97 % (len(data) - 1000), i * 97 % (len(data) - 1000) + 999) for i in range(n)]
    start = threading.Barrier(n, timeout=GUARD)

    def fetch(rng: tuple[int, int]) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=GUARD)
        try:
            start.wait()  # all 200 connect at once
            conn.request("GET", path, headers={"Range": f"bytes={rng[0]}-{rng[1]}"})
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Range", ""), resp.read()
        finally:
            conn.close()

    with serving(feed) as srv, ThreadPoolExecutor(max_workers=n) as pool:
        answers = list(pool.map(fetch, ranges))
        assert srv.threads() <= LIMITS.workers + 4
    for (first, last), (status, content_range, body) in zip(ranges, answers, strict=True):
        assert status == 206
        assert content_range == f"bytes {first}-{last}/{len(data)}"
        assert body == data[first : last + 1]


def idle_sockets(port: int, n: int, stack: ExitStack) -> list[socket.socket]:
    """`n` connections that never send a byte."""
    socks = []
    for _ in range(n):
        s = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=GUARD))
        socks.append(s)
    return socks


def test_idle_connections_hold_no_threads_and_do_not_lock_others_out(feed: Path) -> None:
    n = LIMITS.connections + 88  # more than the server keeps open
    expected = (feed / "feed.xml").read_bytes()
    with serving(feed) as srv, ExitStack() as stack:
        idle_sockets(srv.port, n, stack)
        status, _, body = srv.get("/feed.xml")  # answered while they sit there
        assert (status, body) == (200, expected)
        # The server holds as many connections as it keeps, on a bounded number of threads.
        assert srv.open_files() >= LIMITS.connections
        assert srv.threads() <= LIMITS.workers + 4
        status, _, body = srv.get("/feed.xml")
        assert (status, body) == (200, expected)


def test_idle_connections_are_closed_after_the_timeout(feed: Path) -> None:
    expected = (feed / "feed.xml").read_bytes()
    with serving(feed, "--timeout", "0.5") as srv, ExitStack() as stack:
        silent = idle_sockets(srv.port, 300, stack)
        kept = srv.connect()  # a keep-alive connection idle after one request
        stack.callback(kept.close)
        kept.request("GET", "/feed.xml")
        resp = kept.getresponse()
        assert (resp.status, resp.read()) == (200, expected)
        assert resp.getheader("Connection", "keep-alive").lower() != "close"
        assert kept.sock is not None
        for s in [*silent, kept.sock]:
            assert s.recv(1) == b""  # the server closed it (a hung server trips GUARD)
        status, _, body = srv.get("/feed.xml")
        assert (status, body) == (200, expected)


def trickle(s: socket.socket, stop: threading.Event) -> None:
    """Begin a request, then send one more header byte every 0.1 s (far inside the per-read
    timeout) until the server hangs up or the test ends: a request that never completes."""
    try:
        s.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        while not stop.wait(0.1):
            s.sendall(b"a")
    except OSError:
        pass  # closed by the server


def closed_by_server(s: socket.socket) -> bool:
    """Whether the server ends the connection (a hung one trips GUARD: socket.timeout)."""
    try:
        while s.recv(65536):
            pass  # an error status first is fine too
    except ConnectionResetError:
        pass
    return True


def test_slow_clients_are_cut_off_at_the_request_deadline(feed: Path) -> None:
    """More trickling clients than worker threads: each is closed when its request's time is
    up (it never goes silent long enough for the per-read timeout), and a normal request
    made while they are all open is answered."""
    expected = (feed / "feed.xml").read_bytes()
    n = LIMITS.workers + 8
    stop = threading.Event()
    with serving(feed, "--request-timeout", "1") as srv, ExitStack() as stack:
        stack.callback(stop.set)
        slow = idle_sockets(srv.port, n, stack)
        threads = [threading.Thread(target=trickle, args=(s, stop), daemon=True) for s in slow]
        for t in threads:
            t.start()
        stack.callback(lambda: [t.join(GUARD) for t in threads])
        status, _, body = srv.get("/feed.xml")  # while all of them are open and trickling
        assert (status, body) == (200, expected)
        assert all(closed_by_server(s) for s in slow)
        status, _, body = srv.get("/feed.xml")
        assert (status, body) == (200, expected)
    assert "Traceback" not in srv.log.read_text("utf-8")


# --- requests that once broke the server -----------------------------------------------------


def test_range_with_thousands_of_digits_is_answered(feed: Path) -> None:
    mp3 = next((feed / "episodes").glob("water*.mp3"))
    data = mp3.read_bytes()
    path = "/episodes/" + mp3.name
    huge = "9" * 5000
    with serving(feed) as srv:
        status, headers, body = srv.get(path, {"Range": f"bytes={huge}-"})
        assert (status, headers.get("Content-Range"), body) == (416, f"bytes */{len(data)}", b"")
        for header in (f"bytes=0-{huge}", f"bytes=-{huge}"):
            status, headers, body = srv.get(path, {"Range": header})
            assert status == 206 and body == data
            assert headers["Content-Range"] == f"bytes 0-{len(data) - 1}/{len(data)}"
        status, _, body = srv.get(path, {"Range": "bytes=" + "0" * 5000 + "5-9"})
        assert (status, body) == (206, data[5:10])
    assert "Traceback" not in srv.log.read_text("utf-8")


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_port_out_of_range_is_a_usage_error(feed: Path, port: str) -> None:
    done = pressaudio("serve", feed, "--port", port, timeout=60)
    assert_one_line_error(done, code=2, mentions=("--port", port))
    assert done.stdout == ""


def test_fifo_is_not_served_and_blocks_nothing(feed: Path) -> None:
    os.mkfifo(feed / "episodes" / "stuck.mp3")  # never published
    (feed / "cover.png").unlink()
    os.mkfifo(feed / "cover.png")  # a published name, now a FIFO
    with serving(feed) as srv:
        for path in ("/episodes/stuck.mp3", "/cover.png", "/episodes/stuck.mp3"):
            assert srv.get(path)[0] == 404, path
        assert srv.get("/feed.xml")[0] == 200
        (feed / "feed.xml").unlink()
        os.mkfifo(feed / "feed.xml")  # even the file the served set is read from
        assert srv.get("/feed.xml")[0] == 404
        assert srv.get("/")[0] == 200


# --- exactly what publish wrote --------------------------------------------------------------


def test_everything_published_is_served(feed: Path) -> None:
    paths = feed_paths(feed)
    assert "/episodes/water.mp3" in paths and "/cover.png" in paths, paths
    pages = ["/", "/index.html", *(f"/episodes/{p.name}" for p in feed.glob("episodes/*.html"))]
    with serving(feed) as srv:
        for path in ["/feed.xml", *paths, *pages]:
            status, _, body = srv.get(path)
            assert status == 200, path
            name = path.lstrip("/") or "index.html"
            assert body == (feed / name).read_bytes(), path


@pytest.mark.parametrize(
    "path",
    [
        "/podcast.toml",
        "/.pressaudio/manifest.json",
        "/.pressaudio/lock",
        "/.pressaudio/",
        "/transcripts/water.txt",
        "/transcripts/",
        "/notes.txt",
        "/episodes/stray.mp3",  # in episodes/, but no feed or page lists it
        "/episodes/.water.mp3.pressaudio-tmp-x1",
        "/episodes/",
        "/episodes",
    ],
)
def test_what_publish_did_not_write_is_not_served(feed: Path, path: str) -> None:
    with serving(feed) as srv:
        status, _, body = srv.get(path)
        assert status == 404, path
        assert b"Private settings" not in body and b"Minister" not in body


def test_unpublished_files_stay_hidden_even_when_linked_from_a_page(feed: Path) -> None:
    index = feed / "index.html"
    index.write_text(
        index.read_text("utf-8").replace(
            "</body>", '<a href="podcast.toml">x</a><a href="transcripts/water.txt">y</a></body>'
        ),
        "utf-8",
    )
    with serving(feed) as srv:
        assert srv.get("/index.html")[0] == 200
        assert srv.get("/podcast.toml")[0] == 404
        assert srv.get("/transcripts/water.txt")[0] == 404


@pytest.mark.parametrize(
    "target",
    [
        "/../feed/podcast.toml",
        "/episodes/../podcast.toml",
        "/episodes/../../transcripts/water.txt",
        "/%2e%2e/transcripts/water.txt",
        "/episodes/%2e%2e%2fpodcast.toml",
        "/episodes/..%5cpodcast.toml",
        "/episodes/water.mp3%00.txt",
        "../podcast.toml",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_path_traversal_is_refused(feed: Path, target: str) -> None:
    with serving(feed) as srv:
        reply = srv.raw(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert status_of(reply) in (400, 404), (target, reply[:80])
    assert b"Private settings" not in reply and b"root:" not in reply


def test_episodes_folder_on_another_disk_is_still_served(feed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other-disk" / "episodes"
    elsewhere.parent.mkdir()
    shutil.move(feed / "episodes", elsewhere)
    (feed / "episodes").symlink_to(elsewhere, target_is_directory=True)
    (feed / "leak.txt").symlink_to(feed / "podcast.toml")  # a symlink nobody published
    with serving(feed) as srv:
        status, _, body = srv.get("/episodes/water.mp3")
        assert (status, body) == (200, (elsewhere / "water.mp3").read_bytes())
        assert srv.get("/leak.txt")[0] == 404
