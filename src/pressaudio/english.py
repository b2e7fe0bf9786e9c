"""English word lists shared by the transcript parser and the speech normaliser.

One home for each: months (names, abbreviations, numbers), abbreviations that end in a
full stop without ending a sentence, and `wordset()`, the one way to write a word list.
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "MONTHS", "MONTH_ABBREVIATIONS", "MONTH_NUMBERS", "wordset"]


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
