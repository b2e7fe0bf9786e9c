"""Making PDF transcripts for tests, with fpdf2: a running header and a page number on every
page, as government PDFs have, so the reader has something to strip."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF


def make_pdf(path: Path, lines: list[str], header: str) -> None:
    """Write `lines` (one paragraph each, Latin-1 or replaced) as a PDF at `path`."""
    path.write_bytes(pdf_bytes(lines, header))


def pdf_bytes(lines: list[str], header: str = "Press conference transcript") -> bytes:
    """`lines` (one paragraph each, Latin-1 or replaced) as the bytes of a PDF."""

    class _Doc(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Page {self.page_no()}", align="C")

    pdf = _Doc()
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line.encode("latin-1", "replace").decode("latin-1"))
        pdf.ln(3)
    return bytes(pdf.output())


def transcript_pdf(text: str, header: str = "Press conference transcript") -> bytes:
    """A plain-text transcript as the bytes of a PDF: each paragraph (lines up to a blank
    line) set with the space of a paragraph after it, its lines kept as lines."""
    blocks = ("\n".join(x.strip() for x in b.splitlines() if x.strip()) for b in text.split("\n\n"))
    return pdf_bytes([b for b in blocks if b], header)
