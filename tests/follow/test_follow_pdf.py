"""`pressaudio follow --once` against a local site whose index links a transcript as a PDF
(as many ministries publish them): the PDF is kept as fetched and becomes an episode. The
base URL comes from podcast.toml here, as it may when --base-url is not given."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from conftest import MOFA_0929, Page, Site, mofa_index, pressaudio
from pdf_helpers import transcript_pdf

BASE = "http://127.0.0.1:8765/pod/"
INDEX = "/press/kaiken/index.html"
PDF = "/press/kaiken/files/100560123.pdf"
TITLE = "Press Conference by Foreign Minister KAMIKAWA Yoko"


def test_a_pdf_page_is_saved_and_published(
    site: Site, tmp_path: Path, follow_cache: Path
) -> None:
    root = tmp_path / "pod"
    root.mkdir()
    (root / "podcast.toml").write_text(f"""title = "Followed briefings"
owner_email = "listener-desk@example.org"
base_url = "{BASE}"

[[sources]]
name = "MOFA PDFs"
url = "{site.base}{INDEX}"
links = "[.]pdf$"
timezone = "Asia/Tokyo"
""", "utf-8")
    pdf = transcript_pdf(MOFA_0929.read_text("utf-8").replace("’", "'"),
                         header="Ministry of Foreign Affairs of Japan")
    site.pages.update({
        "/robots.txt": Page(b"User-agent: *\nAllow: /\n", "text/plain"),
        INDEX: Page(mofa_index([("September 29, 2023", PDF, TITLE)])),
        PDF: Page(pdf, "application/pdf"),
    })

    done = pressaudio("follow", root, "--once", "--delay", "0", "--jobs", "1",
                      cache=follow_cache)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "skipped:" not in done.stderr, done.stderr
    assert "1 new" in done.stdout, done.stdout

    record = json.loads((root / ".pressaudio" / "follow.json").read_text("utf-8"))[
        "pages"][site.base + PDF]
    assert record["status"] == "saved" and record["file"].endswith(".pdf"), record
    assert (root / record["file"]).read_bytes() == pdf  # kept exactly as fetched

    parsed = feedparser.parse((root / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    (entry,) = parsed.entries
    assert entry.id == record["guid"] and entry.title == TITLE
    mp3 = root / entry.enclosures[0].href.removeprefix(BASE)
    assert entry.enclosures[0].href.startswith(BASE)
    assert mp3.is_file() and mp3.stat().st_size == int(entry.enclosures[0].length)
