"""Text out of a PDF transcript (the Federal Reserve, Australia's PM archive, ministries).

`pdf_text()` extracts each page's text with pypdf (the only module that imports it) in
reading order, joins words hyphenated across line ends (`eco-` / `nomy`), and leaves the
running headers, footers and page numbers in place: the parser's page pass
(`transcript/pages.py`) recognises and drops them wherever the text comes from.
"""

from __future__ import annotations

import io
import re

from pressaudio.errors import SourceError

__all__ = ["is_pdf", "pdf_text"]

_HYPHENATED = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def pdf_text(data: bytes, *, shown: str) -> str:
    """The text of every page, pages separated by a blank line."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise SourceError(f"cannot read this PDF: {err}", source=shown) from None
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise SourceError("this PDF has no text layer (a scan?); nothing to read", source=shown)
    return _HYPHENATED.sub("", text)
