"""English word lists and sentence ends shared by the transcript parser and the speech side.

One home for each: months (names, abbreviations, numbers), abbreviations that end in a
full stop without ending a sentence, forms of address, the words that start a sentence,
`wordset()` (the one way to write a word list) and the one sentence-end detector:
`sentence_ends()` (where sentences end in a text), `split_sentences()` (the text cut there),
`ends_sentence()` (does an abbreviation's full stop also end its sentence?). The parser
asks whether a line holds a sentence end inside it; the script cuts captions at them; the
normaliser asks whether `U.S.` ends its sentence. All are linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "ABBREVIATIONS",
    "FORMS_OF_ADDRESS",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NUMBERS",
    "SENTENCE_STARTERS",
    "ends_sentence",
    "sentence_ends",
    "split_sentences",
    "wordset",
]


def wordset(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBREVIATIONS: dict[str, str] = {
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June",
    "Jul": "July", "Aug": "August", "Sep": "September", "Sept": "September",
    "Oct": "October", "Nov": "November", "Dec": "December",
}  # fmt: skip
# lower-case month name or abbreviation -> month number
MONTH_NUMBERS: dict[str, int] = {
    **{m.lower(): n for n, m in enumerate(MONTHS, start=1)},
    **{a.lower(): MONTHS.index(full) + 1 for a, full in MONTH_ABBREVIATIONS.items()},
}

# lower case, without the full stop: "Mr." does not end a sentence
ABBREVIATIONS = wordset(
    """
    mr mrs ms dr st jr sr gen lt col maj adm capt sgt sen rep gov pres prof amb hon rev dept
    vs v etc no nos vol ave mt ft h.e e.g i.e approx corp inc ltd cf a.k.a
    """
)

# lower case, as written before a name (`Mr. KIRBY`, `Shri Bagchi`) or as read out (`mister`)
FORMS_OF_ADDRESS = wordset(
    """
    mr mr. ms ms. mrs mrs. miss mx mx. dr dr. prof prof. professor sir dame lord lady madam
    madame mister miz missus doctor h.e. hon hon. honorable honourable rt rt. shri sri smt
    smt. kumari m. mme mme. mlle herr frau señor sr. sra. señora dato dato' datuk datin tun
    puan encik excellency rev rev. reverend
    """
)

# Words that begin a new sentence after an abbreviation's full stop ("...the U.S. It is").
SENTENCE_STARTERS = wordset(
    """
    A An And As At But By For From He Her Here His How However I If In It Its Let My Now
    Of On Or Our Please She So Still Thank Thanks That The Their Then There These They This
    Those Today To We Well What When Where Which While Who Why With Yes Yesterday You Your
    Also After Before Is Are Was Were Do Does Did Can Could Will Would Should Since Although
    Tomorrow Again Finally First Second Third Next Last Meanwhile Indeed Okay
    """
)
# a capital after "a.m." that does not start a sentence: "9 a.m. EDT"
_TIME_ZONES = wordset("EDT EST CDT CST MDT MST PDT PST GMT UTC JST KST BST CET CEST")

_STOP = re.compile(r"[.?!…]+[\"”’')\]]*(?=\s|$)")
_AFTER_STOP = re.compile(r"\s+[\"“‘'(\[]*(\S)")
_NEXT_WORD = re.compile(r"\s+[\"“‘'(\[]*([A-Za-z]+)")
_DOTTED_OR_INITIAL = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
_TOKEN_SPLIT = re.compile(r"[-–—/\"“‘'(\[]")


def ends_sentence(text: str, end: int, *, capital_ends: bool = False) -> bool:
    """Does the full stop of an abbreviation ending at `end` also end the sentence?

    Yes at the end of the text or of a line, and before a word that starts sentences
    (`the U.S. It is`); with `capital_ends`, before any capitalised word but a time zone.
    """
    rest = text[end:]
    if not rest.strip(" \"”’'") or rest.startswith("\n"):
        return True
    m = _NEXT_WORD.match(rest)
    if m is None:
        return False
    word = m.group(1)
    if word in SENTENCE_STARTERS:
        return True
    return capital_ends and word[0].isupper() and word not in _TIME_ZONES


def sentence_ends(text: str) -> Iterator[int]:
    """The offsets just after each sentence end in `text` (its final stop included).

    A stop ends a sentence when what follows starts with a capital or a digit (or nothing
    follows) and it is not the full stop of "Mr.", "U.S. Special" or "9:31 p.m. on".
    """
    for m in _STOP.finditer(text):
        if _is_end(text, m):
            yield m.end()


def split_sentences(text: str) -> list[str]:
    """Split cleaned text into sentences, not at "Mr.", "U.S. Special", "9:31 p.m. on"."""
    out: list[str] = []
    start = 0
    for end in sentence_ends(text):
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def _is_end(text: str, m: re.Match[str]) -> bool:
    after = _AFTER_STOP.match(text, m.end())
    if after is None:
        return True
    first = after.group(1)
    if not (first.isupper() or first.isdigit()):
        return False
    if not m.group(0).startswith("."):
        return True
    token = text[max(text.rfind(" ", 0, m.start()) + 1, 0) : m.start()]
    token = _TOKEN_SPLIT.split(token)[-1]  # "Japan-U.S" -> "U.S"
    next_word = _NEXT_WORD.match(text, m.end())
    starter = next_word is not None and next_word.group(1) in SENTENCE_STARTERS
    if token.lower() in ABBREVIATIONS:
        return starter
    if token.lower() in ("a.m", "p.m"):
        return next_word is not None and not next_word.group(1).isupper()
    if _DOTTED_OR_INITIAL.fullmatch(token):  # U.S., an initial
        return starter
    # capitals on both sides are a title, not two sentences: "PRESS BRIEFING OF USEC. CASTRO"
    return not (token.isupper() and next_word is not None and next_word.group(1).isupper())
