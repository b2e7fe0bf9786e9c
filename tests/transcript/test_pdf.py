"""PDF sources: made here with fpdf2 from a shared transcript, with a running header and
page numbers on every page; read back through `load()` and parsed."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from pressaudio.transcript import load

CASES = Path(__file__).parent / "cases"


def _make_pdf(path: Path, lines: list[str], header: str) -> None:
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=20)

    class _Doc(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Page {self.page_no()}", align="C")

    pdf = _Doc()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line.encode("latin-1", "replace").decode("latin-1"))
        pdf.ln(3)
    pdf.output(str(path))


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
    _make_pdf(pdf, body, "Transcript - Joint press conference, Port Moresby")
    t = load(str(pdf))
    spoken = "\n".join(turn.text for turn in t.turns)
    assert "Page 2" not in spoken and "Joint press conference, Port Moresby" not in spoken
    assert sum(1 for turn in t.turns if turn.label) == 19
    assert {s.role for s in t.speakers} >= {"minister", "reporter"}
