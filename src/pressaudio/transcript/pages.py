"""Page chrome left by PDF-to-text conversion: page numbers and running headers/footers.

A PDF page ends (or starts) with its number (`Page 3 of 21`, `- 3 -`, a bare `3`) and a
line the document repeats on every page (`March 15, 2020  Chair Powell's Press Conference
Call  FINAL`, `www.pm.gov.au`). Once the text is one stream, these lines fall inside turns,
often mid-sentence. `page_chrome()` finds them so the parser can drop them:

- `Page N` / `Page N of M` / `- N -` lines are page numbers wherever they are;
- bare numbers are page numbers when they count up one by one through the document;
- a short line next to a page number (blank lines aside) that recurs in the same place
  next to another page number, with its digits counted as equal, is a running header or
  footer; so is a contact
  line (`Telephone`, `Fax`, `www.`) next to one, and a letterhead footer (`Telephone ...
  Fax ...`) anywhere in a document that has page numbers.

`footnotes()` finds footnotes at a page's foot (`1 Chairman Powell intended to say ...`
just above the running header) together with their marks glued to the text
(`1¾ percent.1  This decision`): each needs the other, so a sentence that starts with a
number is never taken for one.

`rejoin_split_words()` closes the stray space a PDF's text layer leaves inside a word
(`econom y’s`, `n ot`, `rig ht`), where the document itself writes the whole word elsewhere.

Linear in the size of the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Footnotes", "footnotes", "page_chrome", "rejoin_split_words"]

_PAGE_OF = re.compile(r"^(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DASHED = re.compile(r"^[-–—]\s*\d{1,4}\s*[-–—]$")
_BARE = re.compile(r"^\d{1,4}$")
_DIGITS = re.compile(r"\d+")
_CONTACT = re.compile(r"\b(?:telephone|tel\.?|fax|phone)\b.*\d|\bwww\.\S+", re.IGNORECASE)
# "Parliament House, Canberra ACT 2600 • Telephone (02) ... • Fax (02) ...", on any page
_LETTERHEAD = re.compile(r"\b(?:telephone|tel\.?|phone)\W+[(+\d].*\bfax\W+[(+\d]", re.IGNORECASE)
_NEAR = 3  # how many non-blank lines from a page number a running line may sit
_FOOTNOTE = re.compile(r"^(\d{1,2})\s+(?=[A-Z“\"])\S")
# the mark: a number glued to a word's end or to the punctuation after it ("percent.1")
_MARK = r"(?<=[^\W\d_][.,;:”’\")])({n})(?=\s|$)"
_MAX_RUNNING = 140


def page_chrome(lines: Sequence[str], is_label: Callable[[str], bool]) -> frozenset[int]:
    """Indices of `lines` (already cleaned, single-spaced) that are PDF page chrome.

    `is_label(line)` protects speaker labels (`QUESTION:` often follows a page break).
    """
    numbers = _page_numbers(lines)
    if not numbers:
        return frozenset()
    nonblank = [k for k, line in enumerate(lines) if line]
    where = {k: n for n, k in enumerate(nonblank)}
    # a short line, and where it sits from a page number (a running header or footer keeps
    # its place: "two lines below the number") -> its lines, and which page numbers
    near: dict[tuple[str, int], set[int]] = {}
    beside: dict[tuple[str, int], set[int]] = {}
    # the document's start is the first page's top, as a page number is the next one's
    for k, n in [(-1, -1), *((k, where[k]) for k in sorted(numbers))]:
        for j in nonblank[max(0, n - _NEAR) : n + _NEAR + 1]:
            line = lines[j]
            if j in numbers or len(line) > _MAX_RUNNING or is_label(line):
                continue
            at = (_DIGITS.sub("#", line.casefold()), where[j] - n)
            near.setdefault(at, set()).add(j)
            beside.setdefault(at, set()).add(k)
    drop = set(numbers)
    drop.update(k for k, line in enumerate(lines) if _LETTERHEAD.search(line))
    for at, js in near.items():
        # running: twice, in the same place beside two page tops or numbers ("... important
        # alliance." ending two paragraphs above the only page number is speech)
        if (len(js) >= 2 and len(beside[at]) >= 2) or _CONTACT.search(at[0]):
            drop.update(js)
    return frozenset(drop)


def _page_numbers(lines: Sequence[str]) -> set[int]:
    found = {k for k, line in enumerate(lines) if _PAGE_OF.match(line) or _DASHED.match(line)}
    bare = [(k, int(line)) for k, line in enumerate(lines) if _BARE.match(line)]
    values = [value for _, value in bare]
    rising = [
        k
        for n, (k, value) in enumerate(bare)
        if (n > 0 and values[n - 1] + 1 == value)
        or (n + 1 < len(values) and values[n + 1] == value + 1)
    ]
    if len(rising) >= 2:
        found.update(rising)
    return found


@dataclass(frozen=True)
class Footnotes:
    lines: frozenset[int]  # indices of footnote text lines
    marks: dict[int, tuple[str, ...]]  # line index -> the footnote numbers glued to it

    def unmark(self, k: int, line: str) -> str:
        """Line k without its footnote marks: `1¾ percent.1  This` -> `1¾ percent.  This`."""
        for n in self.marks.get(k, ()):
            line = re.sub(_MARK.format(n=n), "", line)
        return line


def footnotes(lines: Sequence[str], chrome: frozenset[int]) -> Footnotes:
    """Footnotes (`N Text`) right above a page's chrome, and their marks in the text.

    `lines` are cleaned; `chrome` is what `page_chrome()` found. Linear in the text.
    """
    if not chrome:
        return Footnotes(frozenset(), {})
    nonblank = [k for k, line in enumerate(lines) if line]
    candidates: dict[str, list[int]] = {}
    for n, k in enumerate(nonblank):
        m = _FOOTNOTE.match(lines[k])
        if m is None or k in chrome:
            continue
        after = nonblank[n + 1 : n + 1 + _NEAR]
        if after and after[0] in chrome:  # the page's running header or number follows
            candidates.setdefault(m.group(1), []).append(k)
    if not candidates:
        return Footnotes(frozenset(), {})
    last_mark: dict[str, int] = {}  # footnote number -> the last line above it marked so
    any_mark = re.compile(_MARK.format(n=r"\d{1,2}"))
    for k in nonblank:
        if k in chrome:
            continue
        for m in any_mark.finditer(lines[k]):
            number = m.group(1)
            if number in candidates and k < candidates[number][0]:
                last_mark[number] = k
    found: set[int] = set()
    marks: dict[int, list[str]] = {}
    for number, k in last_mark.items():
        found.update(candidates[number])
        marks.setdefault(k, []).append(number)
    return Footnotes(frozenset(found), {k: tuple(v) for k, v in marks.items()})


# a PDF text layer's word split by a stray space: "econom y’s", "n ot", "rig ht", "media n"
_SPLIT_PAIR = re.compile(r"(?<![\w’'-])(?=([A-Za-z]+) ([a-z]+(?:’[a-z]+)?)(?![\w’'-]))")
_WORD = re.compile(r"(?<![\w’'])[A-Za-z]+(?:’[a-z]+)?(?![\w’'])")
_CLITIC = re.compile(r"’(?:s|re|ve|ll|d|t|m)$")
_WHOLE_SEEN = 2  # the whole word is written at least this often elsewhere in the document


def rejoin_split_words(texts: Sequence[str]) -> list[str]:
    """`texts` (a PDF document's paragraphs) with each word a stray space split rejoined:
    two pieces are one word when the document writes them joined at least twice elsewhere
    (`economy`, `not`) and one of them never stands alone in it (`econom`, `n`), so two
    words that happen to make a third ("every one") stay apart. A paragraph's first word
    is left as written. Linear in the size of the text."""
    seen = Counter(w.lower() for t in texts for w in _WORD.findall(t))
    return [_rejoin(t, seen) for t in texts]


def _rejoin(text: str, seen: Counter[str]) -> str:
    out: list[str] = []
    pos = 0
    for m in _SPLIT_PAIR.finditer(text):
        if m.start() == 0 or m.start() < pos:
            continue
        a, b = m.group(1), m.group(2)
        whole = (a + b).lower()
        base = _CLITIC.sub("", whole)  # "economy’s": "economy" counts too
        if seen[whole] + (seen[base] if base != whole else 0) < _WHOLE_SEEN:
            continue
        if seen[a.lower()] > 1 and seen[b.lower()] > 1:
            continue  # both pieces stand alone elsewhere: two words
        out.append(text[pos : m.start()] + a + b)
        pos = m.start() + len(a) + 1 + len(b)
    out.append(text[pos:])
    return "".join(out)
