"""What both books share: their metadata, XML serialisation, clocks and the zip writer.

Files are written through files.py's atomic writer. Markup is built as ElementTree
elements (every text and attribute escaped on the way out), never as strings. Zips are
deterministic: fixed entry order and times, so the same episode always gives the same
bytes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from pressaudio.errors import OutputError
from pressaudio.files import atomic_open, atomic_write_text

__all__ = [
    "BookMeta", "Entry", "clock", "day", "element", "modified", "npt", "write_text", "write_zip",
    "xml_bytes",
]


@dataclass(frozen=True)
class BookMeta:
    """Who and what a book is, beyond what the outline says."""

    identifier: str  # a URN, e.g. "urn:uuid:…" (the episode's guid)
    language: str = "en"
    publisher: str = "pressaudio"
    modified: datetime | None = None  # None: the MP3's modification time


@dataclass(frozen=True)
class Entry:
    """One file of a zip: its name inside, and either its bytes or a file to copy."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    compress: bool = True


def element(tag: str, attrs: dict[str, str] | None = None, text: str | None = None,
            *children: ET.Element) -> ET.Element:  # fmt: skip
    el = ET.Element(tag, attrs or {})
    if text is not None:
        el.text = text
    el.extend(children)
    return el


def xml_bytes(root: ET.Element, doctype: str = "") -> bytes:
    """`root` as a UTF-8 XML document (with `doctype` after the declaration, if given)."""
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    head = '<?xml version="1.0" encoding="utf-8"?>\n' + (doctype + "\n" if doctype else "")
    return (head + body + "\n").encode("utf-8")


def clock(ms: int) -> str:
    """A SMIL 3 full clock value, "H:MM:SS.mmm"."""
    ms = max(0, ms)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h}:{m:02d}:{s:02d}.{milli:03d}"


def npt(ms: int) -> str:
    """A SMIL 1.0 normal-play-time value, "npt=12.345s"."""
    return f"npt={max(0, ms) / 1000:.3f}s"


def modified(meta: BookMeta, mp3: Path) -> datetime:
    if meta.modified is not None:
        return meta.modified.astimezone(UTC).replace(microsecond=0)
    return datetime.fromtimestamp(int(mp3.stat().st_mtime), UTC)


def day(when: datetime | date | None) -> str:
    if when is None:
        return ""
    return (when.date() if isinstance(when, datetime) else when).isoformat()


def write_zip(out: Path, entries: Sequence[Entry], when: datetime) -> Path:
    """Write `entries` in order into the zip `out`, through the one atomic writer."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with atomic_open(out, error=OutputError) as f, zipfile.ZipFile(f, "w") as z:
        for e in entries:
            info = zipfile.ZipInfo(e.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if e.compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            if e.data is not None:
                z.writestr(info, e.data)
            elif e.path is not None:
                with open(e.path, "rb") as src, z.open(info, "w", force_zip64=True) as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
    return out


def write_text(out: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `out` through the one atomic writer."""
    atomic_write_text(out, text, error=OutputError)
    return out
