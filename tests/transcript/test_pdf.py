"""PDF sources: made here with fpdf2 from a shared transcript, with a running header and
page numbers on every page; read back through `load()` and parsed."""

from __future__ import annotations

from pathlib import Path

from pdf_helpers import make_pdf

from pressaudio.transcript import load

CASES = Path(__file__).parent / "cases"


def test_pdf_with_running_header_and_page_numbers(tmp_path: Path) -> None:
    src = (CASES / "75_au-pm-abbott-oneill-joint-press-conference-2014-03-21.txt").read_text(
        encoding="utf-8"
    )
    body = [
        line.strip().replace("’", "'")
        for line in src.splitlines()
        if line.strip() and not line.strip().isdigit() and "www.pm.gov.au" not in line
    ]
    pdf = tmp_path / "joint.pdf"
    make_pdf(pdf, body, "Transcript - Joint press conference, Port Moresby")
    t = load(str(pdf))
    spoken = "\n".join(turn.text for turn in t.turns)
    assert "Page 2" not in spoken and "Joint press conference, Port Moresby" not in spoken
    assert sum(1 for turn in t.turns if turn.label) == 19
    assert {s.role for s in t.speakers} >= {"minister", "reporter"}
