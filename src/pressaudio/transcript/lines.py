"""Pass 1, lines: the text's lines, its front matter, and what each body line is.

Every line is cleaned (`boilerplate.soft_clean`, then single-spaced) and given a kind: text,
blank, site boilerplate (`boilerplate.is_boilerplate`), PDF page chrome (`pages`), or a
footnote at a page's foot, whose marks are taken out of the text they annotate.
"""

from __future__ import annotations

from pressaudio.transcript.boilerplate import clean, is_boilerplate, soft_clean
from pressaudio.transcript.dates import parse_date_value
from pressaudio.transcript.frontmatter import FrontMatter, split_front_matter
from pressaudio.transcript.intermediates import FrontFacts, Line, LineKind, Lines, Source
from pressaudio.transcript.labels import match_label
from pressaudio.transcript.pages import footnotes, page_chrome

__all__ = ["split_lines"]

# line endings written as "\r\n" or "\r" read as "\n"; a byte-order mark is no text
_NEWLINES = (("\r\n", "\n"), ("\r", "\n"))
_BOM = "\ufeff"


def split_lines(source: Source) -> Lines:
    """The lines of `source.text`, its front matter read, each body line cleaned and kinded."""
    raw = _physical_lines(source.text)
    fm = split_front_matter(raw)
    body_from = fm.end_line + 1 if fm is not None else 0
    softs = [soft_clean(line) for line in raw[body_from:]]
    cleaned = [" ".join(s.split()) for s in softs]
    boiler = [bool(c) and is_boilerplate(c) for c in cleaned]  # before marks come out
    chrome = page_chrome(cleaned, lambda line: match_label(line) is not None)
    notes = footnotes(cleaned, chrome)
    for k in notes.marks:
        softs[k] = notes.unmark(k, softs[k])
        cleaned[k] = " ".join(softs[k].split())
    body = tuple(
        Line(
            index=body_from + k,
            raw=raw[body_from + k],
            soft=softs[k],
            text=cleaned[k],
            kind=_kind(cleaned[k], boiler[k], k in chrome, k in notes.lines),
        )
        for k in range(len(cleaned))
    )
    return Lines(
        source=source,
        raw=tuple(raw),
        body_from=body_from,
        front=_front_facts(fm),
        body=body,
        footnotes=tuple(cleaned[k] for k in sorted(notes.lines)),
    )


def _physical_lines(text: str) -> list[str]:
    if "\r" in text:
        for old, new in _NEWLINES:
            text = text.replace(old, new)
    if text.startswith(_BOM):
        text = text[1:]
    return text.split("\n")


def _kind(text: str, boilerplate: bool, chrome: bool, footnote: bool) -> LineKind:
    if chrome:
        return "chrome"
    if footnote:
        return "footnote"
    if not text:
        return "blank"
    return "boilerplate" if boilerplate else "text"


def _front_facts(fm: FrontMatter | None) -> FrontFacts:
    """Title, date and time from the front matter's `title`, `date` and `time` keys."""
    if fm is None:
        return FrontFacts()
    title = " ".join(clean(fm.fields.get("title", "")).split()) or None
    day = None
    time = None
    for key in ("date", "time"):
        value = fm.fields.get(key, "").strip()
        if not value:
            continue
        found, dl = parse_date_value(value)
        if key == "date" and found:
            day = found
        if dl is not None and dl.hour is not None:
            time = dl
    return FrontFacts(title=title, day=day, time=time)
