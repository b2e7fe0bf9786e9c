"""Read a transcript source into text: a file, an HTML page, an http(s) URL, or stdin.

`read()` returns the text the parser works on. For a plain-text source that text has exactly
the source's lines (line endings normalised to "\\n"), so the parser's 1-based line numbers
are the file's own. For HTML the text is the page's article, one paragraph per block with
blank lines between them (see `pressaudio.transcript.html`).

Decoding: a byte-order mark wins (UTF-8, UTF-16); then the charset the server or the page
declares, when it names a text encoding (not `hex`, `base64`, `rot13`, `idna`...); then
UTF-8; then cp1252, with latin-1 for the five bytes cp1252 leaves undefined. A mostly-UTF-8
file with a few cp1252 bytes (a file edited on two systems) keeps its UTF-8 and gets the
stray bytes as cp1252. Binary input is refused with one clear line. Control characters
(C0 but tab and newline, DEL, C1) are removed, so none reaches a terminal, a caption or a tag.

Fetching: one deadline (`timeout`, default $PRESSAUDIO_FETCH_TIMEOUT or 15 s) covers the
whole request — connecting, headers, body and every redirect (see `pressaudio.net`, the one
HTTP client). At most `MAX_REDIRECTS` redirects are followed, only to http(s) URLs; a body
shorter than its Content-Length is an error, not a transcript.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pressaudio import __version__, net
from pressaudio.errors import SourceError
from pressaudio.net import MAX_REDIRECTS, too_large
from pressaudio.transcript.pdf import is_pdf, pdf_text

__all__ = ["DEFAULT_TIMEOUT", "MAX_REDIRECTS", "TIMEOUT_ENV", "SourceText", "read"]

DEFAULT_TIMEOUT = 15.0  # seconds for a whole request, redirects included
TIMEOUT_ENV = "PRESSAUDIO_FETCH_TIMEOUT"
STDIN = "-"
_STDIN_NAME = "<stdin>"
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})

# Characters str.splitlines() treats as line breaks besides "\n" and "\r". They are turned
# into spaces so that every consumer counts lines the way an editor does (by "\n" alone).
_EXTRA_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters: C0 but tab, newline and the line breaks above, DEL, C1. Counted to
# refuse binary input, then removed from the text.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Terminal escape sequences (ECMA-48 CSI, 7- and 8-bit; OSC ended by BEL or ST; two-byte
# escapes): removed whole, so no "[31m" is left to be read aloud.
_ESCAPE_SEQUENCES = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"
    "|\x1b\\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\\\)"
    "|\x1b[@-Z\\\\-_]"
)
# Python text codecs that no server or page means by a charset: text transforms and escapes,
# a codec that always fails, and UTF-7 (which browsers refuse: it hides markup).
_NOT_CHARSETS = frozenset({
    "idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7",
    "charmap",
})
_REAL_UTF8 = re.compile("[\x80-\udc7f\udd00-\U0010ffff]")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
_CP1252_UNDEFINED = re.compile(b"([\x81\x8d\x8f\x90\x9d]+)")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a .docx or .odt document)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"ID3", "an MP3 file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|main|article|section|div|p|h[1-6]|table)"
    rb"[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)"
    rb"|<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SourceText:
    """The text of one transcript source, ready for the parser."""

    name: str  # the source as the user gave it: a path, a URL or "-"
    text: str


def read(
    source: str, *, timeout: float | None = None, max_bytes: int = 20_000_000
) -> SourceText:
    """Read `source` (a text or HTML file, an http(s):// URL, or "-" for stdin) as text.

    `timeout` bounds a whole fetch in seconds (default: $PRESSAUDIO_FETCH_TIMEOUT, else
    DEFAULT_TIMEOUT). Raises SourceError (one line, naming the source) when it is missing,
    a directory, unreadable, binary, empty, too large, unreachable, too slow, cut short, or
    an HTML page with no article text (or too large to parse).
    """
    if source == STDIN:
        data = _read_stdin(max_bytes)
        return _to_text(data, name=source, shown=_STDIN_NAME, is_html=None, charset=None)
    scheme = source.split("://", 1)[0].lower() if "://" in source else ""
    if scheme in ("http", "https"):
        seconds = fetch_timeout() if timeout is None else timeout
        data, is_html, charset = _fetch(source, timeout=seconds, max_bytes=max_bytes)
        return _to_text(data, name=source, shown=source, is_html=is_html, charset=charset)
    if scheme and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
        raise SourceError(
            f"unsupported URL scheme {scheme!r}; give an http(s):// URL, a file or -",
            source=source,
        )
    data = _read_file(source, max_bytes)
    suffix = Path(source).suffix.lower()
    return _to_text(
        data, name=source, shown=source, is_html=True if suffix in _HTML_SUFFIXES else None,
        charset=None,
    )


def fetch_timeout() -> float:
    """$PRESSAUDIO_FETCH_TIMEOUT in seconds, else DEFAULT_TIMEOUT."""
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86_400:
        raise SourceError(
            f"must be a number of seconds above 0, not {_printable(value)!r}", source=TIMEOUT_ENV
        )
    return seconds


# --- the three kinds of source ---------------------------------------------------------------


def _read_file(source: str, max_bytes: int) -> bytes:
    path = Path(source)
    try:
        if path.is_dir():
            raise SourceError("is a directory; give a transcript file", source=source)
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(too_large(size, max_bytes), source=source)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError("no such file", source=source) from None
    except PermissionError:
        raise SourceError("permission denied; cannot read this file", source=source) from None
    except IsADirectoryError:
        raise SourceError("is a directory; give a transcript file", source=source) from None
    except OSError as err:
        raise SourceError(f"cannot read: {err.strerror or err}", source=source) from None
    if len(data) > max_bytes:  # it grew while we read it (or stat lied, as for a pipe)
        raise SourceError(too_large(len(data), max_bytes), source=source)
    return data


def _read_stdin(max_bytes: int) -> bytes:
    stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without a buffer (replaced sys.stdin)
        text = sys.stdin.read(max_bytes + 1)
        data = text.encode("utf-8", "surrogatepass")
    else:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(too_large(len(data), max_bytes), source=_STDIN_NAME)
    return data


def _fetch(url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, bool | None, str | None]:
    """GET `url`; returns (body, is_html by Content-Type or None if unknown, charset)."""
    headers = {
        "User-Agent": f"pressaudio/{__version__} (+transcript reader)",
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    }
    try:
        answer = net.fetch(url, headers=headers, deadline=timeout, max_bytes=max_bytes,
                           max_redirects=MAX_REDIRECTS)
    except net.FetchError as err:
        raise SourceError(err.message, source=url) from None
    if not 200 <= answer.status < 300:
        reason = f" {answer.reason}" if answer.reason else ""
        raise SourceError(f"the server answered HTTP {answer.status}{reason}", source=url)
    content_type = answer.content_type
    major = content_type.split("/", 1)[0]
    if major in ("image", "audio", "video", "font") or content_type in (
        "application/pdf", "application/zip", "application/octet-stream-binary",
    ):
        raise SourceError(
            f"is {_printable(content_type)}, not a text or HTML transcript", source=url
        )
    is_html: bool | None = None
    if content_type in ("text/html", "application/xhtml+xml"):
        is_html = True
    return answer.body, is_html, answer.charset


def _printable(text: str, limit: int = 200) -> str:
    """`text` for a one-line message: control characters removed, at most `limit` long."""
    text = _CONTROL_CHARS.sub("", _EXTRA_LINE_BREAKS.sub(" ", text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- bytes to text ---------------------------------------------------------------------------


def _to_text(
    data: bytes, *, name: str, shown: str, is_html: bool | None, charset: str | None
) -> SourceText:
    if not data.strip():
        raise SourceError("is empty; there is no transcript to read", source=shown)
    if is_pdf(data):
        return SourceText(name=name, text=_clean(pdf_text(data, shown=shown)))
    if is_html is None:
        is_html = _HTML_START.match(data[:4096]) is not None
    if not is_html:
        text = _clean(_decode(data, charset=charset, shown=shown))
        if not text.strip():
            raise SourceError("is empty; there is no transcript to read", source=shown)
        return SourceText(name=name, text=text)

    from pressaudio.transcript import html

    try:
        html.check_page(data)  # before decoding: a page too costly to parse goes no further
        if charset is None:
            meta = _META_CHARSET.search(data[:4096])
            charset = (meta.group(1) or meta.group(2)).decode("ascii") if meta else None
        markup = _clean(_decode(data, charset=charset, shown=shown))
        text = _clean(html.extract_text(markup))  # a reference like &#27; is a control too
    except html.PageTooLarge as err:
        if err.measure == "bytes":
            what = too_large(err.size, err.limit, at_least=err.at_least) + " for an HTML page"
        else:
            what = f"has more than {err.limit:,} HTML elements, too many to read"
        raise SourceError(f"{what}; save its text as a .txt file", source=shown) from None
    if not text.strip():
        raise SourceError("the HTML page has no article text to read", source=shown)
    return SourceText(name=name, text=text)


def _clean(text: str) -> str:
    """Line endings as "\\n" alone; other line breaks as spaces; terminal escape sequences and
    control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCES.sub("", text)
    return _CONTROL_CHARS.sub("", _EXTRA_LINE_BREAKS.sub(" ", text))


def _decode(data: bytes, *, charset: str | None, shown: str) -> str:
    for magic, _ in _MAGIC:
        if data.startswith(magic):
            raise SourceError(_binary_message(data), source=shown)
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as err:
                if codec != "utf-8":
                    raise SourceError(
                        f"starts with a UTF-16 byte-order mark but is not UTF-16 "
                        f"(undecodable byte at offset {err.start + len(bom)})",
                        source=shown,
                    ) from None
                data = data[len(bom):]
                break  # a UTF-8 mark on a cp1252 body: go on to the fall-backs
            _refuse_binary(text, data, shown)
            return text
    declared = _codec_for(charset)
    if declared is not None and declared not in ("utf-8", "cp1252"):
        try:
            text = data.decode(declared)
        except (UnicodeError, LookupError):  # not in that charset after all: the fall-backs
            pass
        else:
            _refuse_binary(text, data, shown)
            return text
    text = _decode_utf8_or_cp1252(data)
    _refuse_binary(text, data, shown)
    return text


def _codec_for(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or None when it names no text encoding
    that a page could be written in (the declaration is then ignored, as browsers do)."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset.strip().strip("\"'"))
    except (LookupError, ValueError):  # unknown, or not even a name (a NUL inside)
        return None
    if not info._is_text_encoding or info.name in _NOT_CHARSETS:
        return None
    # As browsers do: pages that say latin-1 or ASCII are in practice windows-1252.
    if info.name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return info.name


def _decode_utf8_or_cp1252(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mixed = data.decode("utf-8", "surrogateescape")
    if _REAL_UTF8.search(mixed):
        # UTF-8 with stray single-byte characters: keep the UTF-8, read the rest as cp1252.
        return _ESCAPED_BYTES.sub(
            lambda m: _cp1252_or_latin1(bytes(ord(c) - 0xDC00 for c in m.group())), mixed
        )
    return _cp1252_or_latin1(data)


def _cp1252_or_latin1(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps them (to C1 control characters).
        parts = _CP1252_UNDEFINED.split(data)
        return "".join(
            part.decode("latin-1") if i % 2 else part.decode("cp1252")
            for i, part in enumerate(parts)
        )


def _refuse_binary(text: str, data: bytes, shown: str) -> None:
    """Refuse text that is mostly control characters: binary data decoded by a fall-back."""
    sample = _ESCAPE_SEQUENCES.sub("", text[:200_000])  # a coloured terminal log is text
    controls = len(_CONTROL_CHARS.findall(sample))  # NULs too: a few stray ones are removed
    if controls > max(2, len(sample) // 50):
        raise SourceError(_binary_message(data), source=shown)


def _binary_message(data: bytes) -> str:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"is {kind}, not a text or HTML transcript"
    return "is a binary file, not a text or HTML transcript"
