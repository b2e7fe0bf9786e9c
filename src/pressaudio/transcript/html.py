"""The article text of a saved or fetched press-conference page (the one module using bs4).

`extract_text()` keeps the page's article — `<main>`, `<article>`, `role="main"` or a
content-like container, else the body — drops page chrome (navigation, banners, breadcrumbs,
language bars, scripts, styles, forms, buttons, hidden elements) and writes one paragraph
per block element with a blank line between paragraphs, so the result reads like a
plain-text transcript with each speaker label at the start of its paragraph.

Extraction costs about 25-45 µs and up to 1.5 kB per element (BeautifulSoup keeps a Python
object for each; measured on 2 cores), so a page is refused before parsing when it is larger
than `MAX_BYTES` or has more than `MAX_ELEMENTS` start tags. A briefing page has a few
thousand elements in well under a megabyte; the limits bound one page at a few seconds and
a couple of hundred MB, where a 19.5 MB page of nested tags once took 110 s and 2.2 GB.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice

from bs4 import BeautifulSoup, CData, Tag
from bs4.element import NavigableString

__all__ = ["MAX_BYTES", "MAX_ELEMENTS", "PageTooLarge", "check_page", "extract_text"]

MAX_BYTES = 5_000_000
MAX_ELEMENTS = 100_000
# A start tag, in text or bytes: their count bounds the number of elements a parser makes.
_START_TAG = re.compile(r"<[A-Za-z]")
_START_TAG_BYTES = re.compile(rb"<[A-Za-z]")

# Never text: removed everywhere before anything else.
_NEVER_TEXT = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "canvas", "map", "audio", "video", "picture", "img", "button", "input", "select",
    "textarea", "head", "title", "meta", "link", "base", "dialog",
)
# Page chrome by element or ARIA role.
_CHROME_TAGS = ("nav", "aside", "footer", "menu")
_CHROME_ROLES = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
    "toolbar", "dialog", "alertdialog", "tablist",
})
# Page chrome by class or id word (words split on "-", "_" and case changes).
_CHROME_WORDS = frozenset({
    "breadcrumb", "breadcrumbs", "breadcrumblist", "crumbs", "topicpath", "pankuzu",
    "skip", "skiplink", "skiplinks", "cookie", "cookies", "consent", "share", "sharing",
    "social", "sns", "pagination", "pager", "sidebar", "sidenav", "navbar", "navigation",
    "nav", "gnav", "lnav", "globalnav", "megamenu", "menu", "footer", "masthead",
    "langbar", "language", "languages", "toolbar", "related",
})
_HEADER_NAMES = frozenset({
    "header", "site-header", "siteheader", "global-header", "common-header", "top-header",
    "usa-banner", "gov-banner", "govbanner", "site-banner",
})
_HIDDEN_CLASSES = frozenset({
    "hidden", "hide", "invisible", "sr-only", "visually-hidden", "visuallyhidden",
    "screen-reader-text", "element-invisible", "d-none", "is-hidden", "u-hidden",
    "print-only",
})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CONTENT_NAME = re.compile(
    r"main|content|article|story|entry|transcript|post-?body|text-?body|body-?text|"
    r"kaiken|detail", re.IGNORECASE
)
_NOT_CONTENT_NAME = re.compile(
    r"nav|menu|header|footer|side|related|comment|banner|crumb|share|social|skip|teaser|"
    r"card|list", re.IGNORECASE
)
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
    "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "tr", "ul",
})
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_WORD_SPLIT = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")


class PageTooLarge(ValueError):
    """A page too large, or with too many elements, to parse in bounded time and memory."""

    def __init__(self, measure: str, size: int, limit: int, *, at_least: bool = False):
        super().__init__(measure, size, limit)
        self.measure = measure  # "bytes" or "elements"
        self.size = size
        self.limit = limit
        self.at_least = at_least  # counting stopped at the limit: `size` is a lower bound


def check_page(
    markup: str | bytes, *, max_bytes: int = MAX_BYTES, max_elements: int = MAX_ELEMENTS
) -> None:
    """Raise PageTooLarge when `markup` is over `max_bytes` (characters of a str) or has more
    than `max_elements` start tags. Cheap: one scan that stops at the limit."""
    if len(markup) > max_bytes:
        raise PageTooLarge("bytes", len(markup), max_bytes)
    tags = _START_TAG_BYTES.finditer(markup) if isinstance(markup, bytes) else (
        _START_TAG.finditer(markup)
    )
    elements = sum(1 for _ in islice(tags, max_elements + 1))
    if elements > max_elements:
        raise PageTooLarge("elements", elements, max_elements, at_least=True)


def extract_text(
    markup: str, *, max_bytes: int = MAX_BYTES, max_elements: int = MAX_ELEMENTS
) -> str:
    """The article text of an HTML page: paragraphs separated by blank lines.

    Returns "" when the page has no text outside its chrome; the caller decides what that
    means (the reader reports it as "no article text"). Raises PageTooLarge (see
    `check_page`) before parsing a page too large to parse in bounded time and memory.
    """
    check_page(markup, max_bytes=max_bytes, max_elements=max_elements)
    soup = BeautifulSoup(markup, "lxml")
    for el in soup.find_all(_NEVER_TEXT):
        el.decompose()
    body = soup.body or soup
    _drop_chrome(body)
    container = _container(body)
    _drop_page_headers(container)
    paragraphs = list(_paragraphs(container))
    title = _outside_title(body, container)
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


# --- choosing what to keep -------------------------------------------------------------------


def _text_len(el: Tag) -> int:
    return len(_SPACES.sub("", el.get_text()))


def _words(el: Tag) -> set[str]:
    names = [*_classes(el), str(el.get("id") or "")]
    return {w.lower() for name in names for w in _WORD_SPLIT.split(name) if w}


def _classes(el: Tag) -> list[str]:
    value = el.get("class")
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(c) for c in value]


def _is_hidden(el: Tag) -> bool:
    if el.has_attr("hidden") or str(el.get("aria-hidden", "")).lower() == "true":
        return True
    if _HIDDEN_STYLE.search(str(el.get("style") or "")):
        return True
    return any(c.lower() in _HIDDEN_CLASSES for c in _classes(el))


def _is_chrome(el: Tag) -> bool:
    if el.name in _CHROME_TAGS:
        return True
    if str(el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if el.name == "form":
        return True
    names = {c.lower() for c in _classes(el)} | {str(el.get("id") or "").lower()}
    if names & _HEADER_NAMES:
        return True
    return bool(_words(el) & _CHROME_WORDS)


def _holds_article(el: Tag) -> bool:
    if el.name in ("main", "article", "body", "html"):
        return True
    return el.find(["main", "article"]) is not None or el.find(role="main") is not None


def _prune(root: Tag, remove: Callable[[Tag], bool]) -> None:
    """Decompose every element under `root` for which `remove` holds, in one walk."""
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        el = stack.pop()
        if remove(el):
            el.decompose()  # its descendants go with it and are never visited
        else:
            stack.extend(child for child in reversed(el.contents) if isinstance(child, Tag))


def _drop_chrome(body: Tag) -> None:
    """Hidden elements and page chrome; never a wrapper that holds the article itself."""
    total = _text_len(body)

    def remove(el: Tag) -> bool:
        if not (_is_hidden(el) or _is_chrome(el)) or _holds_article(el):
            return False
        # A page-wide wrapper (an ASP.NET <form>, a div named "nav-wrapper") stays.
        return el.name not in ("form", "div", "section", "span", "table") or (
            _text_len(el) * 2 <= total
        )

    _prune(body, remove)


def _container(body: Tag) -> Tag:
    total = _text_len(body)
    if total == 0:
        return body
    for found in (
        body.find_all("main") + body.find_all(role="main"),
        body.find_all("article"),
        _content_like(body),
    ):
        sized = [(el, _text_len(el)) for el in found]
        sized = [(el, n) for el, n in sized if n > 0]
        if not sized:
            continue
        longest = max(n for _, n in sized)
        if longest * 5 < total:  # a small box, not the article: keep looking
            continue
        # The innermost candidate that still holds nearly all of the longest one's text.
        near = [el for el, n in sized if n * 10 >= longest * 9]
        return min(near, key=lambda el: _text_len(el))
    return body


def _content_like(body: Tag) -> list[Tag]:
    found: list[Tag] = []
    for el in body.find_all(["div", "section", "td"]):
        names = " ".join([*_classes(el), str(el.get("id") or "")])
        if names and _CONTENT_NAME.search(names) and not _NOT_CONTENT_NAME.search(names):
            found.append(el)
            if len(found) >= 200:
                break
    return found


def _drop_page_headers(container: Tag) -> None:
    """Drop <header>s that head the page rather than the article (which keeps its own)."""
    if container.name in ("article", "main"):
        return
    total = _text_len(container)

    def remove(el: Tag) -> bool:
        return (
            el.name == "header"
            and el.find_parent(["article", "main"]) is None
            and _text_len(el) * 2 <= total
        )

    _prune(container, remove)


def _outside_title(body: Tag, container: Tag) -> str | None:
    """The page's single <h1> when it sits outside (before) the kept container."""
    if container is body or container.find("h1") is not None:
        return None
    h1s = body.find_all("h1")
    if len(h1s) != 1:
        return None
    masthead = h1s[0].find_parent("header")
    if masthead is not None and masthead.find_parent(["article", "main"]) is None:
        return None  # the site's name in the page masthead, not the conference's title
    text = _SPACES.sub(" ", h1s[0].get_text()).strip()
    return text or None


# --- writing the text --------------------------------------------------------------------------


class _Writer:
    """Collects text into lines and paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.lines: list[str] = []
        self.parts: list[str] = []

    def text(self, s: str, *, pre: bool = False) -> None:
        if pre:
            first, *rest = s.split("\n")
            self.parts.append(first)
            for line in rest:
                self.end_line()
                self.parts.append(line)
        else:
            self.parts.append(_SPACES.sub(" ", s))

    def end_line(self) -> None:
        line = _SPACES.sub(" ", "".join(self.parts)).strip()
        self.parts = []
        if line:
            self.lines.append(line)

    def line_break(self) -> None:
        """A <br>: a new line; two in a row (nothing between) start a new paragraph."""
        if "".join(self.parts).strip():
            self.end_line()
        elif self.lines:
            self.end_paragraph()

    def end_paragraph(self) -> None:
        self.end_line()
        if self.lines:
            self.paragraphs.append("\n".join(self.lines))
            self.lines = []


def _paragraphs(container: Tag) -> Iterator[str]:
    out = _Writer()
    # An explicit stack (not recursion): real pages nest deeper than Python likes.
    stack: list[tuple[object, bool]] = [(container, False)]
    pre_depth = 0
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            name = node.name
            if leaving:
                if name == "pre":
                    pre_depth -= 1
                if name in _BLOCKS:
                    out.end_paragraph()
                elif name in _CELLS:
                    out.text(" ")
                continue
            if name == "br":
                out.line_break()
                continue
            if name in _BLOCKS:
                out.end_paragraph()
            if name == "pre":
                pre_depth += 1
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and (
            type(node) is NavigableString or isinstance(node, CData)
        ):
            out.text(str(node), pre=pre_depth > 0)
    out.end_paragraph()
    yield from out.paragraphs
