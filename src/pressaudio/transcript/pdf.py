"""Text out of a PDF transcript (the Federal Reserve, Australia's PM archive, ministries).

`pdf_text()` extracts each page's text with pypdf (the only module that imports it) in
its layout mode, which keeps the vertical space between paragraphs as blank lines (a PDF
has no paragraph marks: a label after a heading or a finished paragraph is told from a
hard-wrapped line by that space, as in a text file); lines are stripped of the layout's
indentation and runs of blank lines closed to one. A page set in columns (most of its
lines holding a wide gap) is read in pypdf's plain mode instead, a column at a time. Words
hyphenated across line ends (`eco-` / `nomy`) are joined. The running headers, footers and
page numbers stay in place: the parser's page pass (`transcript/pages.py`) recognises and
drops them wherever the text comes from.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pressaudio.errors import SourceError

__all__ = ["is_pdf", "pdf_text"]

_HYPHENATED = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")
_COLUMN_GAP = re.compile(r"\S {6,}\S")  # two columns side by side on one layout line
_COLUMNS_SHARE = 0.2  # a page is set in columns when this share of its lines has a gap
_BLANK_RUNS = re.compile(r"\n{3,}")


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def pdf_text(data: bytes, *, shown: str) -> str:
    """The text of every page, pages separated by a blank line."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [_page_text(page) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise SourceError(f"cannot read this PDF: {err}", source=shown) from None
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise SourceError("this PDF has no text layer (a scan?); nothing to read", source=shown)
    return _HYPHENATED.sub("", text)


def _page_text(page: Any) -> str:
    """One page's lines with a blank line where the layout leaves a gap between them."""
    layout = page.extract_text(extraction_mode="layout") or ""
    lines = [line.strip() for line in layout.splitlines()]
    written = [line for line in layout.splitlines() if line.strip()]
    if written and sum(1 for x in written if _COLUMN_GAP.search(x.strip())) > (
        _COLUMNS_SHARE * len(written)
    ):
        return str(page.extract_text() or "")
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
