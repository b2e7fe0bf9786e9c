"""`pressaudio segment`, driven through typer's CliRunner and through the installed command."""

from __future__ import annotations

import functools
import html
import json
import subprocess
import sys
import threading
from datetime import date, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pressaudio.cli import app

PRESSAUDIO = Path(sys.executable).parent / "pressaudio"  # the installed console script
TOP_KEYS = {"title", "held_at", "location", "sections", "turns"}  # the shape
EXTRA_TOP_KEYS = {"speakers", "metadata"}  # added by transcript.to_json_dict, allowed by the issue
TURN_KEYS = {"speaker", "label", "role", "section", "text", "line"}

runner = CliRunner()


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert PRESSAUDIO.exists(), f"{PRESSAUDIO} missing: run `pip install -e .` in the venv"
    return subprocess.run(
        [str(PRESSAUDIO), *args], input=stdin, capture_output=True, timeout=60, check=False
    )


def check_shape(doc: dict[str, Any]) -> None:
    assert set(doc) >= TOP_KEYS and set(doc) - TOP_KEYS <= EXTRA_TOP_KEYS
    assert doc["title"] is None or isinstance(doc["title"], str)
    assert doc["location"] is None or isinstance(doc["location"], str)
    if doc["held_at"] is not None:
        assert isinstance(doc["held_at"], str)
        parsed = (
            datetime.fromisoformat(doc["held_at"]) if "T" in doc["held_at"]
            else date.fromisoformat(doc["held_at"])
        )
        assert parsed.isoformat() == doc["held_at"]
    assert isinstance(doc["sections"], list)
    assert all(isinstance(s, str) and s for s in doc["sections"])
    assert isinstance(doc["turns"], list) and doc["turns"]
    for turn in doc["turns"]:
        assert set(turn) == TURN_KEYS
        for key in ("speaker", "label", "text"):
            assert isinstance(turn[key], str)
        assert turn["speaker"] and turn["text"].strip()
        assert turn["role"] in ("minister", "reporter", "moderator", "narrator")
        assert turn["section"] is None or turn["section"] in doc["sections"]
        assert type(turn["line"]) is int and turn["line"] >= 1
    lines = [t["line"] for t in doc["turns"]]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def check_reference(doc: dict[str, Any], source_lines: list[str]) -> None:
    """What any reader of the reference transcript can check by eye."""
    check_shape(doc)
    assert doc["title"] == "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko"
    assert doc["held_at"].startswith("2023-09-14T21:31")
    assert doc["location"] == "Ministry of Foreign Affairs"
    assert doc["sections"] == ["Opening Remarks", "Question-and-Answer Session"]
    turns = doc["turns"]
    assert [t["role"] for t in turns] == ["minister"] + ["reporter", "minister"] * 3
    assert len({t["speaker"] for t in turns if t["role"] == "minister"}) == 1
    assert turns[0]["line"] == 11 and turns[0]["text"].startswith("I held a telephone meeting")
    assert turns[0]["text"].endswith("around the world.")
    assert turns[0]["text"].count("\n\n") == 6  # seven paragraphs
    for turn in turns:
        assert turn["label"].rstrip(": ") in source_lines[turn["line"] - 1]
        assert "Back to Press Conferences" not in turn["text"]
        assert "provisional translation" not in turn["text"]


# --- happy paths -----------------------------------------------------------------------------


def test_json_through_clirunner(reference_transcript: Path) -> None:
    result = runner.invoke(app, ["segment", str(reference_transcript), "--json"])
    assert result.exit_code == 0, result.output
    check_reference(json.loads(result.stdout), reference_transcript.read_text().split("\n"))


def test_json_through_the_installed_command(reference_transcript: Path) -> None:
    proc = run("segment", str(reference_transcript), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    doc = json.loads(proc.stdout.decode("utf-8"))
    check_reference(doc, reference_transcript.read_text().split("\n"))


def test_table_mode_prints(reference_transcript: Path) -> None:
    result = runner.invoke(app, ["segment", str(reference_transcript)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko\n")
    assert "Question-and-Answer Session" in out and "reporter" in out and "minister" in out
    assert "\x1b" not in out
    proc = run("segment", str(reference_transcript))
    assert proc.returncode == 0 and proc.stdout.decode().startswith("Extraordinary Press")
    assert b"\x1b" not in proc.stdout


def test_stdin(reference_transcript: Path) -> None:
    data = reference_transcript.read_bytes()
    result = runner.invoke(app, ["segment", "-", "--json"], input=data)
    assert result.exit_code == 0, result.output
    check_reference(json.loads(result.stdout), data.decode().split("\n"))
    proc = run("segment", "-", "--json", stdin=data)
    assert proc.returncode == 0, proc.stderr.decode()
    check_reference(json.loads(proc.stdout), data.decode().split("\n"))


def test_text_without_labels_is_one_narrator_turn_and_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("The minister visited the port this morning and met local officials.\n")
    proc = run("segment", str(path), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert [t["role"] for t in doc["turns"]] == ["narrator"]
    assert "port this morning" in doc["turns"][0]["text"]
    stderr = proc.stderr.decode().splitlines()
    assert len(stderr) == 1 and stderr[0].startswith("warning:")


# --- bad input: one line, exit 1 or 2, no traceback --------------------------------------------


@pytest.fixture
def bad_sources(tmp_path: Path, closed_port: int) -> dict[str, str]:
    (tmp_path / "empty.txt").write_bytes(b"  \n\n")
    (tmp_path / "audio.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "folder").mkdir()
    (tmp_path / "chrome.html").write_text(
        "<!DOCTYPE html><html><head><script>load()</script><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a></nav><div id='app'></div><footer>© Gov</footer></body></html>"
    )
    return {
        "empty": str(tmp_path / "empty.txt"),
        "binary": str(tmp_path / "audio.txt"),
        "directory": str(tmp_path / "folder"),
        "missing": str(tmp_path / "missing.txt"),
        "unreachable": f"http://127.0.0.1:{closed_port}/briefing.html",
        "no article": str(tmp_path / "chrome.html"),
    }


EXPECTED_MESSAGE = {
    "empty": "is empty",
    "binary": "binary",
    "directory": "is a directory",
    "missing": "no such file",
    "unreachable": "cannot reach the server",
    "no article": "no article text",
}


def check_one_line_error(kind: str, source: str, code: int, stdout: str, stderr: str) -> None:
    assert code in (1, 2), (kind, code, stderr)
    assert stdout == ""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {source}: ")
    assert EXPECTED_MESSAGE[kind] in lines[0]


@pytest.mark.parametrize("kind", sorted(EXPECTED_MESSAGE))
def test_bad_input_through_clirunner(kind: str, bad_sources: dict[str, str]) -> None:
    source = bad_sources[kind]
    result = runner.invoke(app, ["segment", source, "--json"])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    check_one_line_error(kind, source, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("kind", sorted(EXPECTED_MESSAGE))
def test_bad_input_through_the_installed_command(kind: str, bad_sources: dict[str, str]) -> None:
    source = bad_sources[kind]
    proc = run("segment", source)
    check_one_line_error(
        kind, source, proc.returncode, proc.stdout.decode(), proc.stderr.decode()
    )


def test_empty_stdin() -> None:
    proc = run("segment", "-", stdin=b"")
    assert proc.returncode == 1
    assert proc.stderr.decode() == "error: <stdin>: is empty; there is no transcript to read\n"


def test_usage_error_exits_2() -> None:
    proc = run("segment")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    proc = run("segment", "a.txt", "--no-such-option")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr


# --- help ------------------------------------------------------------------------------------


def test_help_has_a_purpose_and_an_example() -> None:
    for args in (["--help"], ["segment", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        text = result.stdout
        assert "Usage:" in text and "Example:" in text, text
    assert "Show who says what" in runner.invoke(app, ["segment", "--help"]).stdout
    assert "podcast" in runner.invoke(app, ["--help"]).stdout
    proc = run("segment", "--help")
    assert proc.returncode == 0 and b"Example: pressaudio segment" in proc.stdout


# --- the same transcript as a saved page and over HTTP ------------------------------------------


def as_government_page(text: str) -> str:
    """The reference transcript laid out as its ministry page: chrome around <p> paragraphs."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "\n".join(
        f"<h2>{html.escape(p)}</h2>" if p in ("Opening Remarks", "Question-and-Answer Session")
        else f"<p>{html.escape(p)}</p>"
        for p in paragraphs
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>MOFA</title>"
        "<script>var tracking = 'Reporter: not a turn';</script><style>p {margin: 0}</style>"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/press/'>Press Room</a></nav>"
        "</header><div class='breadcrumbs'>Home &gt; Press Room &gt; Press Conferences</div>"
        f"<main><article>{body}</article></main>"
        "<aside><h2>Related Information</h2><p>Minister: a link</p></aside>"
        "<footer>Copyright © Ministry of Foreign Affairs of Japan</footer></body></html>"
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def turns_without_lines(doc: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(t["speaker"], t["label"], t["role"], t["text"]) for t in doc["turns"]]


def test_saved_page_and_url_read_like_the_text(
    tmp_path: Path, reference_transcript: Path
) -> None:
    text = reference_transcript.read_text(encoding="utf-8")
    page = tmp_path / "kaiken.html"
    page.write_text(as_government_page(text), encoding="utf-8")
    from_text = json.loads(runner.invoke(app, ["segment", str(reference_transcript),
                                               "--json"]).stdout)
    from_page = json.loads(runner.invoke(app, ["segment", str(page), "--json"]).stdout)
    for key in ("title", "held_at", "location", "sections"):
        assert from_page[key] == from_text[key]
    assert turns_without_lines(from_page) == turns_without_lines(from_text)

    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/kaiken.html"
        proc = run("segment", url, "--json")
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == from_page
