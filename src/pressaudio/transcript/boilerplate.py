"""Line cleaning and the page chrome that is never spoken.

`clean()` turns one source line into plain text: unusual spaces become spaces, markdown
escapes (`\\[`, `\\_`) and emphasis markers go, simple inline HTML tags go (their words
stay), runs of whitespace collapse. `is_boilerplate()` recognises whole lines of page chrome:
breadcrumbs, navigation, translation notices, language bars, .gov banners, share links,
end markers and copyright lines. Both are linear in the line's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from pressaudio.english import wordset
from pressaudio.transcript.dates import find_date, parse_dateline

__all__ = [
    "clean",
    "is_boilerplate",
    "is_closing_mark",
    "is_end_marker",
    "is_issuer_line",
    "is_statement_mark",
    "mend",
    "soft_clean",
    "trailer_date",
]


_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u200e\u200f]")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_EMPHASIS = re.compile(r"\*\*|__(?=\S)|(?<=\S)__")
_HTML_TAG = re.compile(
    r"</?(?:s|del|strike|ins|em|i|b|strong|u|sup|sub|span|br|p|mark|small|big|font|a)"
    r"(?:[ \t/][^<>]{0,200})?>",
    re.IGNORECASE,
)
_WS = re.compile(r"[ ]{2,}")


def clean(line: str) -> str:
    """One source line as plain text (no leading/trailing space, single spaces)."""
    return " ".join(soft_clean(line).split())


def soft_clean(line: str) -> str:
    """Markdown escapes, emphasis, inline tags and invisible characters removed; spacing kept."""
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
    if "<" in line:
        line = _HTML_TAG.sub("", line)
    if "**" in line or "__" in line:
        line = _MD_EMPHASIS.sub("", line)
    return _INVISIBLE.sub("", line)


# mended in joined text: a transcription service's time code inside a bracketed note
# ("[inaudible 00:00:27]"; a clock time in a note, "(local time 10:30)", stays), and the
# stray spaces a PDF's text layer leaves around an apostrophe or before a comma or full
# stop ("it’ s", "we ’re", "you know ,", "Powell .")
_MENDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\[[A-Za-z][A-Za-z' -]{0,40}?)[ ]+\d{1,2}:\d{2}:\d{2}(?=\])"), r"\1"),
    (re.compile(r"(?<=[A-Za-z])(?: ’|’ )(?=(?:s|re|ve|ll|d|t|m)\b)"), "’"),
    (re.compile(r"(?<=[A-Za-z]) (?=,[ ]|,$)"), ""),
    (re.compile(r"(?<=[a-z]) (?=\.(?: [A-Z“\"]|$))"), ""),
)


def mend(text: str) -> str:
    """Joined text with the time codes in its notes and its PDF spacing damage mended; its
    first word is left as written, so a turn still starts with a word of its source line."""
    first = text.find(" ")  # no mend reaches back before it, so it stays put
    if first < 0:
        return text
    for pattern, repl in _MENDS:
        text = pattern.sub(_after(first, repl), text)
    return text


def _after(first: int, repl: str) -> Callable[[re.Match[str]], str]:
    def sub(m: re.Match[str]) -> str:
        return m.group(0) if m.start() <= first else m.expand(repl)

    return sub


_EXACT = frozenset(
    s.lower()
    for s in (
        "Press Conferences",
        "Press Releases",
        "Press Briefings",
        "Briefings",
        "Briefing Room",
        "Speeches and Remarks",
        "Speeches & Remarks",
        "Statements and Releases",
        "Back to Press Conferences",
        "Back to top",
        "Back to Top",
        "Page Top",
        "Top of page",
        "Top of Page",
        "To top",
        "Print",
        "Print this page",
        "Print page",
        "Share",
        "Share this",
        "Share this page",
        "Share this post",
        "Pinterest",
        "Reddit logo",
        "X logo",
        "LinkedIn logo",
        "Facebook logo",
        "Hungry For More?",
        "Copyright Disclaimer",
        "Thank You for Subscribing!",
        "Check against delivery!",
        "Check against delivery",
        "(Please also refer to the Chinese portion of the transcript.)",
        "(Please also refer to the English portion of the transcript.)",
        "Share:",
        "Tweet",
        "Email",
        "E-mail",
        "Copy link",
        "Copy Link",
        "Link copied",
        "Skip to main content",
        "Skip to content",
        "Main menu",
        "Menu",
        "Search",
        "Close",
        "Related Information",
        "Related Links",
        "Related Link",
        "Related Articles",
        "Related Content",
        "Provisional Translation",
        "[Provisional Translation]",
        "(Provisional Translation)",
        "Provisional translation",
        "Official websites use .gov",
        "Secure .gov websites use HTTPS",
        "The White House",
        "Office of the Press Secretary",
        "For Immediate Release",
        "Immediate Release",
        "###",
        "# # #",
        "-30-",
        "Font size",
        "Text size",
        "Sitemap",
        "Site Map",
        "Contact Us",
        "Accessibility",
        "Privacy Policy",
        "Home",
        "E&OE",
        "E & OE",
        "ENDS",
        "- ENDS -",
        "News and communications",
        "Speech",
        "From:",
        "Published",
        "Last updated",
        "Contents",
        "Transcript",
        "News Transcript",
        "Transcripts",
        "Media release",
        "Media Release",
    )
)
_LANGUAGES = wordset(
    "english japanese 日本語 中文 简体 繁體 繁体 简体中文 繁體中文 繁体中文 español espanol "
    "русский français francais عربي العربية deutsch português portugues 한국어 italiano "
    "bahasa indonesia melayu tiếng việt ไทย हिन्दी hindi chinese korean french spanish "
    "russian arabic german portuguese italian "
    "日本語版 english version türkçe polski nederlands فارسی اردو"
)
_SOCIAL = wordset(
    "share facebook twitter x linkedin email e-mail print whatsapp line weibo wechat "
    "reddit pinterest telegram tweet copy link on this page mail"
)
_BREADCRUMB_SEPS = (" > ", " » ", " › ", " / ", " ＞ ", " ▸ ", " → ")
_BANNER_STARTS = (
    "an official website of the united states government",
    "a .gov website belongs to",
    "a lock (",
    "a locked padlock",
    "https:// means you",
    "official websites use .gov",
    "secure .gov websites use https",
    "this is a provisional translation",
    "unofficial translation",
    "unofficial english translation",
    "this is an unofficial translation",
    "this is an unofficial english translation",
    "the following is a provisional translation",
    "(video)",
    "[video]",
    "video:",
    "transcript id:",
    "e&oe",
    "related information (",
    "related information:",
    "related links:",
    "you are here:",
    "home >",
    "home »",
    "home ›",
    "home /",
    "home ＞",
    "© ",
    "(c) ",
)
_BANNER_CONTAINS = (
    "here's how you know",
    "here’s how you know",
    "all rights reserved",
    "provisional translation by",
    "for reference purpose only",
    "for reference purposes only",
    "not an official record",
    "check against delivery",
    # a transcription service's subscription box and fair-use notice (Rev.com)
    "subscribe to our blog",
    "subscribe to our newsletter",
    "a confirmation email is on its way",
    "a confirmation email is on it’s way",
    "a confirmation email is on it's way",
    "fair use is permitted by copyright statute",
    'allowance is made for "fair use"',
)
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_BANNER_RE = re.compile("|".join(re.escape(s) for s in _BANNER_CONTAINS))
_TIMESTAMP = re.compile(r"^[(\[]?\d{1,2}:\d{2}(?::\d{2})?[)\]]?$")
_CRUMB_CHARS = re.compile("[>»›/＞▸→]")
_ISSUER_WORDS = wordset(
    "council office house department ministry agency commission bureau secretariat "
    "cabinet government administration"
)


# "Copyright © 2024 ...", "COPYRIGHT 2003 ...", "Copyright Ministry of ...": not "copyright."
# ending a wrapped sentence, nor a wrapped line that goes on "copyright law ..." (lower case)
_COPYRIGHT = re.compile(r"(?:copyright|©)\W.*(?:\d{4}|©|\(c\)|rights reserved)", re.IGNORECASE)
_COPYRIGHT_STARTS = ("copyright ", "copyright©")


def is_boilerplate(text: str) -> bool:
    """True when the cleaned line `text` is page chrome, never spoken."""
    if not text:
        return False
    n = len(text)
    low = text.lower()
    if n <= 80 and (low in _EXACT or low.rstrip(" :|") in _EXACT):
        return True
    if n <= 300:
        if low.startswith(_BANNER_STARTS) or _BANNER_RE.search(low):
            return True
        if (
            n < 160
            and not text[0].islower()
            and (_COPYRIGHT.match(text) or low.startswith(_COPYRIGHT_STARTS))
        ):
            return True
        if _CRUMB_CHARS.search(low) and _is_breadcrumb(low):
            return True
        if n <= 200 and "." not in low:
            first = low.split(None, 1)[0].strip("|/·•,:")
            if first in _LANGUAGES and _is_language_bar(low):
                return True
            if first in _SOCIAL and _is_share_bar(low):
                return True
    if n <= 40 and text[:1] in "-#*.([" and is_closing_mark(text):
        return True
    if n <= 12 and _TIMESTAMP.match(text):
        return True  # a transcription service's "(00:12)" marker
    if "END" in text[:8] or "End" in text[:8]:
        return is_end_marker(text)
    if text[0].isalnum():
        return False
    return n >= 3 and bool(_PUNCT_ONLY.match(text)) and set(text) <= set("-=_*~#•·|")


def _is_breadcrumb(low: str) -> bool:
    return any(low.count(sep) >= 2 or low.startswith("home" + sep) for sep in _BREADCRUMB_SEPS)


def _is_language_bar(low: str) -> bool:
    words = [w.strip("|/·•,") for w in low.split()]
    words = [w for w in words if w]
    return bool(words) and len(words) <= 16 and all(w in _LANGUAGES for w in words)


def _is_share_bar(low: str) -> bool:
    words = [w.strip("|/·•,:") for w in low.split()]
    words = [w for w in words if w]
    if not words or len(words) > 10 or not all(w in _SOCIAL for w in words):
        return False
    return any(w in ("share", "facebook", "twitter", "linkedin", "tweet", "print") for w in words)


def is_end_marker(text: str) -> bool:
    """`END`, `END 2:45 P.M. EDT`, `- END -`, `(END)`."""
    core = text.strip(" -–—()[]*.#")
    if core[:3] not in ("END", "End"):
        return False
    rest = core[3:]
    if rest and rest[0].isalpha():
        return False
    rest = rest.strip(" -–—.:()[]")
    if not rest:
        return True
    dl = parse_dateline(rest)
    return dl is not None and dl.place is None


_CLOSING_TIGHT = frozenset(("ends", "-ends-", "-30-", "###", "***", "(concluded)", "[concluded]",
                            "concluded", "(ends)", "[ends]", "-end-", "endofbriefing",
                            "[endofbriefing]", "(endofbriefing)", "[endoftranscript]",
                            "endoftranscript", "(endoftranscript)"))
_CLOSING_RE = re.compile(
    r"^[(\[]?(?:the\s+)?(?:conclusion\s+of\s+(?:the\s+)?(?:press\s+conference|briefing|"
    r"press\s+briefing|media\s+conference|interview|doorstop)|"
    r"(?:press\s+conference|briefing|press\s+briefing|meeting)\s+(?:was\s+)?(?:concluded|ended|"
    r"adjourned)(?:\s+at\s+[\w:. ]{1,20})?)\.?[)\]]?\.?$",
    re.IGNORECASE,
)
_DOTS = re.compile(r"^(?:\.\s+){2,}\.$")


def is_closing_mark(text: str) -> bool:
    """A line that ends the transcript: `ENDS`, `- 30 -`, `(Concluded)`, `# # #`, `* * *`,
    `[END OF BRIEFING]`, `conclusion of press conference`, `. . . . .`, `END 2:45 P.M.`."""
    if not text or len(text) > 80:
        return False
    tight = "".join(text.split()).lower()
    if tight in _CLOSING_TIGHT:
        return True
    if is_end_marker(text) or tight in ("relatedlink", "relatedlinks"):
        return True
    if len(tight) >= 3 and (set(tight) <= {"*"} or set(tight) <= {"#"}):
        return True
    if len(tight) >= 5 and len(set(tight)) == 1 and tight[0] in "-_=":
        return True  # a rule line under the last answer, then the footer
    if _ENDS_DATED.match(text):
        return True  # Hong Kong ISD: "Ends/Friday, March 17, 2023"
    return bool(_CLOSING_RE.match(text) or _DOTS.match(text))


_ENDS_DATED = re.compile(r"^ends?\s*/\s*\S", re.IGNORECASE)
_TRAILER_LINES = 6  # how many non-blank lines at the foot of a page the trailer may span


def trailer_date(lines: Sequence[str]) -> date | None:
    """The date in a page's trailer: an end mark near the foot of the text and the lines
    after it (`Ends/Friday, March 17, 2023` / `Issued at HKT 22:30`; `ENDS` / `Canberra, 21
    March 2014`). None when the text ends with no end mark, so a date in speech never counts.
    The time of issue there is when the page went out, not when the event was held."""
    tail: list[str] = []
    for line in reversed(lines):
        text = " ".join(line.split())
        if text:
            tail.append(text)
            if len(tail) == _TRAILER_LINES:
                break
    tail.reverse()
    mark = next((k for k, text in enumerate(tail) if is_closing_mark(text)), None)
    if mark is None:
        return None
    for text in tail[mark:]:
        day = find_date(text)
        if day is not None:
            return day
    return None


# "Check against delivery": what follows is a prepared statement, its own turn
_STATEMENT_MARKS = frozenset(
    "".join(s.split()).lower()
    for s in (
        "check against delivery", "check against delivery!", "(check against delivery)",
        "[check against delivery]", "*check against delivery*", "embargoed until delivery",
        "embargoed until delivered", "only the spoken word counts", "as prepared for delivery",
        "(as prepared for delivery)", "es gilt das gesprochene wort", "seul le prononcé fait foi",
    )
)  # fmt: skip


def is_statement_mark(text: str) -> bool:
    """`Check against delivery!`: the prepared statement that follows is a turn of its own,
    even when the page prints it after a question and answer."""
    return "".join(text.split()).lower().rstrip(".") in _STATEMENT_MARKS


def is_issuer_line(text: str) -> bool:
    """An all-capitals issuing-office line at the top of a page (`NATIONAL SECURITY COUNCIL`)."""
    words = text.split()
    if not words or len(words) > 7 or not text.isupper():
        return False
    return any(w.strip(",.").lower() in _ISSUER_WORDS for w in words)
