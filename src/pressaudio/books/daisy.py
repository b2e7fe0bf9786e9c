"""An episode as a DAISY 2.02 talking book (full text and audio), zipped for download.

    write_daisy(episode, transcript, out, meta) -> out

The zip holds one book folder's files at its root, as hardware players and library
collections expect:

    ncc.html        the navigation centre: the chapters as h1 (the first, the title, with
                    class="title") and the questions inside a section as h2, each heading a
                    link to the first par of its SMIL file; the dc:/ncc: metadata
    content.html    the full text: headings, and each turn's sentences with ids
    cNNNN.smil      SMIL 1.0, one per heading: a par per sentence, its text in
                    content.html and its clip of the MP3 (clip-begin/clip-end as npt=…s),
                    with ncc:totalElapsedTime and ncc:timeInThisSmil
    episode.mp3     the episode's MP3, the book's only audio

Clip times are the caption cues' own (see outline.py).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from pressaudio import __version__
from pressaudio.books.outline import Outline, Part, outline
from pressaudio.books.package import (
    BookMeta,
    Entry,
    day,
    element,
    modified,
    npt,
    write_zip,
    xml_bytes,
)
from pressaudio.model import Episode, Transcript

__all__ = ["AUDIO", "CONTENT", "NCC", "smil_name", "write_daisy"]

NCC = "ncc.html"
CONTENT = "content.html"
AUDIO = "episode.mp3"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
SMIL_DOCTYPE = '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'


def smil_name(part: Part) -> str:
    return f"c{part.number:04d}.smil"


def _hms(ms: int) -> str:
    """"H:MM:SS" (ncc:totalTime, ncc:totalElapsedTime, ncc:timeInThisSmil), rounded."""
    s = (max(0, ms) + 500) // 1000
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}"


def write_daisy(episode: Episode, transcript: Transcript, out: Path, meta: BookMeta) -> Path:
    """Write the DAISY 2.02 book of `episode`, zipped, to `out` (through a temporary file)."""
    book = outline(episode, transcript)
    when = modified(meta, episode.mp3)
    produced = when.strftime("%Y-%m-%d")
    entries = [Entry(NCC, _ncc(book, meta, produced)), Entry(CONTENT, _content(book, meta))]
    elapsed = 0
    for part in book.parts:
        entries.append(Entry(smil_name(part), _smil(book, meta, part, elapsed)))
        elapsed += _smil_duration(part)
    entries.append(Entry(AUDIO, path=episode.mp3, compress=False))
    return write_zip(out, entries, when)


def _smil_duration(part: Part) -> int:
    return sum(s.end_ms - s.start_ms for s in part.sentences)


def _head(title: str, metas: list[tuple[str, str]]) -> ET.Element:
    head = element(
        "head", {}, None,
        element("meta", {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"}),
        element("title", {}, title),
    )  # fmt: skip
    for name, content in metas:
        head.append(element("meta", {"name": name, "content": content}))
    return head


def _ncc(book: Outline, meta: BookMeta, produced: str) -> bytes:
    depth = max((p.level for p in book.parts), default=1)
    metas = [
        ("dc:title", book.title),
        ("dc:creator", meta.publisher),
        ("dc:publisher", meta.publisher),
        ("dc:date", day(book.held_at) or produced),
        ("dc:identifier", meta.identifier),
        ("dc:language", meta.language),
        ("dc:format", "Daisy 2.02"),
        ("dc:source", "Press conference transcript"),
        ("ncc:charset", "utf-8"),
        ("ncc:generator", f"pressaudio {__version__}"),
        ("ncc:narrator", "synthetic"),
        ("ncc:producer", meta.publisher),
        ("ncc:producedDate", produced),
        ("ncc:revision", "1"),
        ("ncc:revisionDate", produced),
        ("ncc:multimediaType", "audioFullText"),
        ("ncc:setInfo", "1 of 1"),
        ("ncc:tocItems", str(len(book.parts))),
        ("ncc:totalTime", _hms(sum(_smil_duration(p) for p in book.parts))),
        ("ncc:files", str(3 + len(book.parts))),
        ("ncc:depth", str(depth)),
        ("ncc:pageNormal", "0"),
        ("ncc:pageFront", "0"),
        ("ncc:pageSpecial", "0"),
        ("ncc:maxPageNormal", "0"),
        ("ncc:footnotes", "0"),
        ("ncc:prodNotes", "0"),
        ("ncc:sidebars", "0"),
    ]
    body = element("body")
    for i, part in enumerate(book.parts):
        attrs = {"id": f"ncc-{part.id}"}
        if i == 0:
            attrs["class"] = "title"
        title = book.title if i == 0 else part.title
        link = element("a", {"href": f"{smil_name(part)}#par-{part.sentences[0].id}"}, title)
        body.append(element(f"h{part.level}", attrs, None, link))
    root = element("html", {"xmlns": XHTML_NS, "lang": meta.language, "xml:lang": meta.language},
                   None, _head(book.title, metas), body)  # fmt: skip
    return xml_bytes(root, XHTML_DOCTYPE)


def _content(book: Outline, meta: BookMeta) -> bytes:
    body = element("body")
    for part in book.parts:
        body.append(element(f"h{part.level}", {"id": part.id}, part.title))
        for turn in part.turns:
            p = element("p", {"class": f"turn {turn.role}"})
            name = element("span", {"class": "speaker"}, f"{turn.speaker_name}:")
            name.tail = " "
            p.append(name)
            for s in turn.sentences:
                span = element("span", {"id": s.id}, s.text)
                span.tail = " "
                p.append(span)
            p[-1].tail = None
            body.append(p)
    root = element("html", {"xmlns": XHTML_NS, "lang": meta.language, "xml:lang": meta.language},
                   None, _head(book.title, [("dc:title", book.title)]), body)  # fmt: skip
    return xml_bytes(root, XHTML_DOCTYPE)


def _smil(book: Outline, meta: BookMeta, part: Part, elapsed_ms: int) -> bytes:
    head = element("head")
    for name, content in (
        ("dc:format", "Daisy 2.02"),
        ("dc:title", part.title),
        ("dc:identifier", meta.identifier),
        ("ncc:generator", f"pressaudio {__version__}"),
        ("ncc:totalElapsedTime", _hms(elapsed_ms)),
        ("ncc:timeInThisSmil", _hms(_smil_duration(part))),
    ):
        head.append(element("meta", {"name": name, "content": content}))
    head.append(element("layout", {}, None, element("region", {"id": "txtView"})))
    seq = element("seq", {"dur": f"{_smil_duration(part) / 1000:.3f}s"})
    for s in part.sentences:
        seq.append(element(
            "par", {"endsync": "last", "id": f"par-{s.id}"}, None,
            element("text", {"src": f"{CONTENT}#{s.id}", "id": f"txt-{s.id}"}),
            element("seq", {}, None, element("audio", {
                "src": AUDIO, "clip-begin": npt(s.start_ms), "clip-end": npt(s.end_ms),
                "id": f"aud-{s.id}"})),
        ))  # fmt: skip
    root = element("smil", {}, None, head, element("body", {}, None, seq))
    return xml_bytes(root, SMIL_DOCTYPE)
