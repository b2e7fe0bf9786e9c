"""An episode as an EPUB 3 talking book with Media Overlays.

    write_epub(episode, transcript, out, meta) -> out

The book (EPUB 3.2, reflowable, one content document):

    mimetype                       application/epub+zip (first, stored)
    META-INF/container.xml
    EPUB/package.opf               metadata (with EPUB Accessibility 1.1), manifest, spine
    EPUB/nav.xhtml                 the chapter list (epub:type="toc", role="doc-toc")
    EPUB/briefing.xhtml            title, date and place, then each chapter as a section
                                   (h2 for chapters, h3 for questions inside a section),
                                   each turn a paragraph naming its speaker (the role in
                                   data-role), each spoken sentence a span with an id
    EPUB/briefing.smil             the overlay: a seq per chapter (epub:textref to its
                                   section), a par per sentence with the clip of the MP3
    EPUB/audio/episode.mp3         the episode's MP3, the book's only audio
    EPUB/style.css                 with the class a reading system adds to the sentence
                                   being read (media:active-class)

The times in the overlay are the caption cues' own, so a reading system highlights each
sentence while it is heard.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from pressaudio.books.outline import Outline, Part, outline
from pressaudio.books.package import (
    BookMeta,
    Entry,
    clock,
    day,
    element,
    modified,
    write_zip,
    xml_bytes,
)
from pressaudio.model import Episode, Transcript

__all__ = ["ACTIVE_CLASS", "AUDIO", "CONTENT", "SMIL", "write_epub"]

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
SMIL_NS = "http://www.w3.org/ns/SMIL"
CONTENT = "briefing.xhtml"
SMIL = "briefing.smil"
AUDIO = "audio/episode.mp3"
ACTIVE_CLASS = "-epub-media-overlay-active"
PLAYBACK_ACTIVE_CLASS = "-epub-media-overlay-playing"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
A11Y_PREFIX = "a11y: http://www.idpf.org/epub/vocab/package/a11y/#"

STYLE = f"""\
body {{ font-family: serif; line-height: 1.5; margin: 0 5%; }}
h1, h2, h3 {{ font-family: sans-serif; line-height: 1.25; }}
.meta {{ font-style: italic; }}
.turn {{ margin: 0.6em 0; }}
.speaker {{ font-weight: bold; }}
.narrator {{ font-style: italic; }}
.{ACTIVE_CLASS} {{ background-color: #ffe680; color: #000000; }}
"""

SUMMARY = (
    "A synchronised talking book of a press conference: the full text of the transcript, "
    "with every sentence highlighted while a synthetic voice reads it (one voice per "
    "speaker). Headings mark the introduction, the sections and each question, and the "
    "table of contents lists them. Each turn names its speaker in the text. There are no "
    "images, tables or page numbers."
)


def write_epub(episode: Episode, transcript: Transcript, out: Path, meta: BookMeta) -> Path:
    """Write the EPUB 3 talking book of `episode` to `out` (through a temporary file)."""
    book = outline(episode, transcript)
    when = modified(meta, episode.mp3)
    entries = [
        Entry("mimetype", b"application/epub+zip", compress=False),
        Entry("META-INF/container.xml", _container()),
        Entry("EPUB/package.opf", _package(book, meta, when)),
        Entry("EPUB/nav.xhtml", _nav(book, meta)),
        Entry(f"EPUB/{CONTENT}", _content(book, meta)),
        Entry(f"EPUB/{SMIL}", _smil(book)),
        Entry("EPUB/style.css", STYLE.encode("utf-8")),
        Entry(f"EPUB/{AUDIO}", path=episode.mp3, compress=False),
    ]
    return write_zip(out, entries, when)


# --- the package -------------------------------------------------------------------------


def _container() -> bytes:
    root = element(
        "container",
        {"version": "1.0", "xmlns": "urn:oasis:names:tc:opendocument:xmlns:container"},
        None,
        element("rootfiles", {}, None, element("rootfile", {
            "full-path": "EPUB/package.opf", "media-type": "application/oebps-package+xml"})),
    )  # fmt: skip
    return xml_bytes(root)


def _package(book: Outline, meta: BookMeta, when: datetime) -> bytes:
    md = element("metadata", {"xmlns:dc": DC_NS})

    def dc(name: str, text: str, **attrs: str) -> None:
        md.append(element(f"dc:{name}", attrs, text))

    def prop(name: str, text: str, **attrs: str) -> None:
        md.append(element("meta", {"property": name, **attrs}, text))

    dc("identifier", meta.identifier, id="pub-id")
    dc("title", book.title)
    dc("language", meta.language)
    dc("creator", meta.publisher)
    dc("publisher", meta.publisher)
    if day(book.held_at):
        dc("date", day(book.held_at))
    dc("description", "A synthetic-voice reading of the press conference transcript.")
    prop("dcterms:modified", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    prop("media:duration", clock(book.duration_ms))
    prop("media:duration", clock(book.duration_ms), refines="#overlay")
    prop("media:narrator", "Synthetic voices (text-to-speech)")
    prop("media:active-class", ACTIVE_CLASS)
    prop("media:playback-active-class", PLAYBACK_ACTIVE_CLASS)
    for mode in ("textual", "auditory"):
        prop("schema:accessMode", mode)
    for sufficient in ("textual", "auditory", "textual,auditory"):
        prop("schema:accessModeSufficient", sufficient)
    for feature in ("synchronizedAudioText", "structuralNavigation", "tableOfContents",
                    "readingOrder", "displayTransformability"):  # fmt: skip
        prop("schema:accessibilityFeature", feature)
    prop("schema:accessibilityHazard", "none")
    prop("schema:accessibilitySummary", SUMMARY)
    prop("dcterms:conformsTo", CONFORMS_TO)
    prop("a11y:certifiedBy", meta.publisher)

    manifest = element("manifest")
    for attrs in (
        {"id": "nav", "href": "nav.xhtml", "media-type": "application/xhtml+xml",
         "properties": "nav"},
        {"id": "content", "href": CONTENT, "media-type": "application/xhtml+xml",
         "media-overlay": "overlay"},
        {"id": "overlay", "href": SMIL, "media-type": "application/smil+xml"},
        {"id": "style", "href": "style.css", "media-type": "text/css"},
        {"id": "audio", "href": AUDIO, "media-type": "audio/mpeg"},
    ):  # fmt: skip
        manifest.append(element("item", attrs))
    spine = element("spine", {}, None, element("itemref", {"idref": "content"}))
    root = element(
        "package",
        {"xmlns": OPF_NS, "version": "3.0", "unique-identifier": "pub-id",
         "xml:lang": meta.language, "prefix": A11Y_PREFIX},
        None, md, manifest, spine,
    )  # fmt: skip
    return xml_bytes(root)


# --- the documents -----------------------------------------------------------------------


def _html(book: Outline, meta: BookMeta, title: str, *body: ET.Element) -> bytes:
    head = element(
        "head", {}, None,
        element("meta", {"charset": "utf-8"}),
        element("title", {}, title),
        element("link", {"rel": "stylesheet", "type": "text/css", "href": "style.css"}),
    )  # fmt: skip
    root = element(
        "html",
        {"xmlns": XHTML_NS, "xmlns:epub": OPS_NS, "lang": meta.language,
         "xml:lang": meta.language},
        None, head, element("body", {}, None, *body),
    )  # fmt: skip
    return xml_bytes(root, "<!DOCTYPE html>")


def _nav(book: Outline, meta: BookMeta) -> bytes:
    top = element("ol")
    current: ET.Element | None = None  # the last top-level item, for nested questions
    for part in book.parts:
        item = element("li", {}, None, element("a", {"href": f"{CONTENT}#{part.id}"}, part.title))
        if part.level == 2 and current is not None:
            sub = current.find("ol")
            if sub is None:
                sub = element("ol")
                current.append(sub)
            sub.append(item)
        else:
            top.append(item)
            current = item
    nav = element(
        "nav", {"epub:type": "toc", "role": "doc-toc", "id": "toc", "aria-labelledby": "toc-title"},
        None, element("h1", {"id": "toc-title"}, "Contents"), top,
    )  # fmt: skip
    return _html(book, meta, f"Contents – {book.title}", nav)


def _meta_line(book: Outline) -> str:
    parts: list[str] = []
    if book.held_at is not None:
        when = book.held_at
        text = f"{when:%A} {when.day} {when:%B %Y}"
        if isinstance(when, datetime):
            text += f", {when:%H:%M}"
            if when.tzinfo is not None and when.tzname():
                text += f" {when.tzname()}"
        parts.append(text)
    if book.location:
        parts.append(book.location)
    minutes = max(1, round(book.duration_ms / 60000))
    parts.append(f"{minutes} minute{'s' if minutes != 1 else ''} of audio")
    return " · ".join(parts)


def _section(part: Part) -> ET.Element:
    heading = f"h{part.level + 1}"
    section = element(
        "section",
        {"id": part.id, "aria-labelledby": f"{part.id}-title"},
        None, element(heading, {"id": f"{part.id}-title"}, part.title),
    )  # fmt: skip
    for turn in part.turns:
        classes = "turn narrator" if turn.role == "narrator" else "turn"
        p = element("p", {"class": classes, "data-role": turn.role})
        name = element("span", {"class": "speaker"}, f"{turn.speaker_name}:")
        name.tail = " "
        p.append(name)
        for sentence in turn.sentences:
            span = element("span", {"id": sentence.id}, sentence.text)
            span.tail = " "
            p.append(span)
        p[-1].tail = None
        section.append(p)
    return section


def _content(book: Outline, meta: BookMeta) -> bytes:
    body: list[ET.Element] = [
        element("h1", {}, book.title),
        element("p", {"class": "meta"}, _meta_line(book)),
    ]
    stack: list[ET.Element] = []  # the open level-1 section
    for part in book.parts:
        section = _section(part)
        if part.level == 2 and stack:
            stack[-1].append(section)
            continue
        body.append(section)
        stack = [section]
    main = element("main", {"epub:type": "bodymatter"}, None, *body)
    return _html(book, meta, book.title, main)


def _smil(book: Outline) -> bytes:
    body = element("body")
    for part in book.parts:  # in document order: a section's questions follow its own turns
        chapter = element("seq", {"id": f"seq-{part.id}", "epub:textref": f"{CONTENT}#{part.id}"})
        for s in part.sentences:
            chapter.append(element(
                "par", {"id": f"par-{s.id}"}, None,
                element("text", {"src": f"{CONTENT}#{s.id}"}),
                element("audio", {"src": AUDIO, "clipBegin": clock(s.start_ms),
                                  "clipEnd": clock(s.end_ms)}),
            ))  # fmt: skip
        body.append(chapter)
    root = element(
        "smil", {"xmlns": SMIL_NS, "xmlns:epub": OPS_NS, "version": "3.0"}, None, body
    )
    return xml_bytes(root)
