"""Text normalisation: transcript text in, what a human reader would say out.

`normalize()` turns written English as found in press-conference transcripts into plain
words an English speech engine (eSpeak NG, Piper) reads well: surnames written in capitals
become names ("KAMIKAWA" -> "Kamikawa"), acronyms are spelled ("NHK" -> "N-H-K") or said
as words ("NATO" -> "Nato") as the lexicon decides, numbers, money, times, dates and
ordinals become words, and typography (quotes, dashes, brackets, markdown escapes,
symbols, URLs) never reaches the engine as characters to be read out.

Spelled acronyms are written with hyphens ("N-H-K", "A-M"): eSpeak NG and the eSpeak-based
Piper phonemiser say each letter's name that way, including "A" (which on its own would
be the article), and without the pause a dotted "N.H.K." can cause.

`clean_text()` is the caption side: the original wording with markdown escapes, struck-out
text and odd whitespace removed. `split_stage_directions()` finds "(Laughter.)" and the like.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from num2words import num2words

from pressaudio.english import (
    FORMS_OF_ADDRESS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    ends_sentence,
    wordset,
)
from pressaudio.speech.lexicon import Lexicon

__all__ = [
    "clean_text",
    "normalize",
    "say_cardinal",
    "say_ordinal",
    "say_year",
    "split_stage_directions",
    "stage_direction_words",
]


# --- caption cleaning ---------------------------------------------------------------------

_STRUCK = re.compile(r"<(s|del|strike)\b[^<>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([\\`*{}\[\]()#+\-.!|<>~\"'$&%])")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


def clean_text(text: str) -> str:
    """The caption form of transcript text: original wording, tidied.

    Struck-out text (<s>...</s>) and other HTML tags are removed, markdown escapes
    (`\\[`, `\\_`) unescaped (`\\_` is a non-breaking space in the White House's front
    matter, so it becomes a space), and whitespace collapsed to single spaces.
    """
    text = _STRUCK.sub("", text)
    text = _TAG.sub("", text)
    text = text.replace("\\_", " ")
    text = _ESCAPE.sub(r"\1", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


# --- stage directions ---------------------------------------------------------------------

_BRACKETED = re.compile(r"\\?[(\[]\s*([^()\[\]\\]{1,80}?)\s*\\?[)\]]")
# Words that make a bracketed aside a stage direction (at least one must be present)...
_STAGE_KEYS = re.compile(
    r"laugh|applau|inaudibl|unintelligibl|indiscernibl|indistinct|inaudible|cross-?talk"
    r"|interpret|translat|off-?mic|microphone|audio|video|technical|pause|silence|chuckl"
    r"|cough|sigh|cheer|boo(?:s|ing)?\b|music|recess|garbled|overlapping|speaks|speaking"
    r"|spoken|phone rings|no response|break|interruption|static|feed"
)
# ...and the only words allowed in one (so "(local time)" or "(FOIP)" is never dropped).
_STAGE_VOCABULARY = wordset(
    """
    laughter laughs laugh laughing applause applauds applauding inaudible unintelligible
    indiscernible indistinct crosstalk cross-talk cross talk as interpreted interpretation
    interpreter interpreters through via an a the off-mic off mic microphone microphones
    audio video gap gaps cut cuts out technical difficulty difficulties pause pauses paused
    silence chuckles chuckle chuckling coughs cough coughing sighs sigh cheers cheering
    boos booing music plays playing phone rings ringing no response recess break
    interruption interrupted garbled static feed lost overlapping voices speaks speaking
    spoken in from into english japanese chinese korean french spanish russian arabic german
    ukrainian hebrew and audience members member reporters reporter question questions
    answer translated translation simultaneous consecutive begins ends begin end clip
    brief briefly long short of is not was unclear participants participant laughs.
    """
)


def _is_stage_direction(inner: str) -> bool:
    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", inner.lower())
    if not words or len(words) > 8:
        return False
    if any(w not in _STAGE_VOCABULARY for w in words):
        return False
    return _STAGE_KEYS.search(inner.lower()) is not None


def split_stage_directions(text: str) -> list[tuple[str, bool]]:
    """Split `text` into (segment, is_stage_direction) pieces, in order.

    A stage direction is a bracketed aside such as "(Laughter.)", "(Inaudible)",
    "(As interpreted.)", "(Cross-talk.)", "(Applause.)" or "\\[inaudible\\]"; its segment
    keeps the brackets as written. Joining all segments gives back `text` exactly; the
    pieces between directions keep their surrounding whitespace (and may be only that).
    """
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _BRACKETED.finditer(text):
        if not _is_stage_direction(m.group(1)):
            continue
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((text[pos:], False))
    return out


def stage_direction_words(segment: str) -> str:
    """What a narrator says for a stage direction: "(Laughter.)" -> "Laughter."."""
    inner = clean_text(segment).strip("()[] ")
    inner = inner[:1].upper() + inner[1:]
    return inner if inner.endswith((".", "!", "?")) else inner + "."


# --- number words -------------------------------------------------------------------------


def _words(n: int | str, to: str = "cardinal") -> str:
    # num2words writes "one thousand, one hundred"; a comma would make the engine pause.
    return str(num2words(int(n), lang="en", to=to)).replace(",", "")


def say_cardinal(digits: str) -> str:
    """ "1,179" -> "one thousand one hundred and seventy-nine"; "1.5" -> "one point five"."""
    digits = digits.replace(",", "")
    if "." in digits:
        whole, frac = digits.split(".", 1)
        head = _words(whole or "0")
        return f"{head} point {' '.join(_words(d) for d in frac)}" if frac else head
    if len(digits) > 1 and digits.startswith("0"):  # "007", "05": digit by digit
        return " ".join("oh" if d == "0" else _words(d) for d in digits)
    return _words(digits)


def say_ordinal(n: int | str) -> str:
    """ "21" -> "twenty-first"."""
    return _words(n, "ordinal")


def say_year(n: int | str) -> str:
    """ "2023" -> "twenty twenty-three"; "2005" -> "two thousand five"."""
    value = int(n)
    if 2000 <= value <= 2009:
        return _words(value).replace(" and ", " ")
    return str(num2words(value, lang="en", to="year")).replace(",", "")


def _designation(digits: str) -> str:
    """Model numbers are read in pairs: "150" -> "one fifty", "35" -> "thirty-five"."""
    value = int(digits)
    if digits.startswith("0") or value < 100 or value >= 10000 or value % 100 == 0:
        return say_cardinal(digits)
    return str(num2words(value, lang="en", to="year"))


def _plural(words: str) -> str:
    """ "thirty-five" -> "thirty-fives"; "ninety" -> "nineties"; "six" -> "sixes"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith(("x", "s")):
        return words + "es"
    return words + "s"


# --- tables -------------------------------------------------------------------------------


_MONTH_ABBREVIATIONS = MONTH_ABBREVIATIONS
_MONTH = r"(?P<month>" + "|".join(MONTHS) + "|" + "|".join(_MONTH_ABBREVIATIONS) + r")(?:\.(?=\s))?"

# Words after which a word in capitals is a name ("Minister MOTEGI", "MR. KIRBY"): the forms
# of address (pressaudio.english, shared with the parser's labels) and office titles. Not
# labels.HONORIFICS, which also skips the articles a label puts before a name ("the").
_NAME_TITLES = FORMS_OF_ADDRESS | wordset(
    """
    minister secretary president
    premier chancellor ambassador senator representative congressman congresswoman governor
    mayor general admiral colonel major captain lieutenant commander director director-general
    secretary-general chairman chairwoman chair spokesperson spokesman spokeswoman
    king queen emperor empress prince princess speaker leader chief commissioner deputy
    vice judge justice counselor councillor pope comrade his her
    """
)

# All-capital words read as plain words when they stand among other capitalised words
# ("END QUOTE", "THE PRESIDENT").
_COMMON_WORDS = wordset(
    """
    A AN THE AND OR OF TO IN ON AT BY FOR WITH FROM AS IS ARE WAS BE IT WE OUR YOU HE SHE
    HIS HER THEY NOT NO YES ALL END NEW NOW HOW WHO WHY BUT SO DO MY ME ONE TWO OFF OUT UP GO
    BIG DAY WAR MAN GET SAY SEE ANY ITS HAS HAD CAN MAY OWN
    """
)

_ROMAN = re.compile(r"(?=[IVXLC]{2,}$)(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_CARDINAL_AFTER = wordset(
    "war phase title part chapter article section pillar stage level class grade"
)

# English syllable edges, to tell a pronounceable word in capitals from an acronym.
_ONSETS = wordset(
    """
    B C D F G H J K L M N P Q R S T V W X Y Z BL BR CH CL CR DR DW FL FR GL GN GR KH KL KN KR
    KW KY PH PL PR PS RY NY MY GY BY HY PY SC SCH SCR SH SHR SK SL SM SN SP SPL SPR ST STR SV
    SW TH THR TR TS TW VL WH WR ZH
    """
)
_CODAS = wordset(
    """
    B C D F G H K L M N P R S T V W X Z CH CK CT FF FT GH LB LD LF LK LL LM LN LP LS LT MB MP
    MS ND NG NK NN NS NT NZ PH PS PT RB RC RD RF RG RK RL RM RN RP RR RS RT SH SK SP SS ST TH
    TS TT TZ WN WS WL XT ZZ NCH NGS NKS NTS RDS RTS RST LDS NDS NTH RTH CKS MPS RCH TCH
    """
)


def _pronounceable(word: str) -> bool:
    """Could an English reader say this capitalised word as a word? ("HAYASHI" yes, "DPRK" no)."""
    w = word.upper()
    if not w.isalpha() or len(w) < 2:
        return False
    runs: list[tuple[bool, str]] = []  # (is_vowel_run, letters)
    for i, ch in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        vowel = ch in "AEIOU" or (ch == "Y" and i > 0 and nxt not in tuple("AEIOU"))
        if runs and runs[-1][0] == vowel:
            runs[-1] = (vowel, runs[-1][1] + ch)
        else:
            runs.append((vowel, ch))
    if not any(v for v, _ in runs):
        return False
    for i, (vowel, letters) in enumerate(runs):
        if vowel:
            if len(letters) > 2:
                return False
            continue
        first, last = i == 0, i == len(runs) - 1
        if first and last:
            return False
        if first:
            if letters not in _ONSETS:
                return False
        elif last:
            if letters not in _CODAS:
                return False
        elif not any(
            (letters[:k] in _CODAS or k == 0) and (letters[k:] in _ONSETS or k == len(letters))
            for k in range(len(letters) + 1)
        ):
            return False
    return True


def _spell(letters: str) -> str:
    """ "NHK" -> "N-H-K" (marked so that joining hyphens around it become spaces)."""
    return _SPELLED + "-".join(ch.upper() for ch in letters if ch.isalnum()) + _SPELLED


def _name_case(word: str) -> str:
    """ "KAMIKAWA" -> "Kamikawa", "O'DONNELL" -> "O'Donnell", "MCDONALD" -> "McDonald"."""
    parts = re.split(r"(['’])", word)
    out = []
    for part in parts:
        if part.upper().startswith("MC") and len(part) > 3:
            out.append("Mc" + part[2:].capitalize())
        else:
            out.append(part.capitalize())
    return "".join(out)


# --- the normaliser -----------------------------------------------------------------------

# Private-use characters: placeholders for finished text, and the marks around spelled
# acronyms (joining hyphens next to them become spaces: "Japan-U.S." -> "Japan U-S").
_OPEN, _CLOSE, _SPELLED, _APOSTROPHE = "\ue000", "\ue001", "\ue002", "\ue003"
_DIGIT_BASE = 0xE100


class _Protector:
    """Swaps finished spoken text out of the way of later rules, then back in."""

    def __init__(self) -> None:
        self.saved: list[str] = []

    def __call__(self, spoken: str) -> str:
        self.saved.append(spoken)
        index = "".join(chr(_DIGIT_BASE + int(d)) for d in str(len(self.saved) - 1))
        return f"{_OPEN}{index}{_CLOSE}"

    def restore(self, text: str) -> str:
        def back(m: re.Match[str]) -> str:
            return self.saved[int("".join(str(ord(c) - _DIGIT_BASE) for c in m.group(1)))]

        return re.sub(f"{_OPEN}([^{_CLOSE}]+){_CLOSE}", back, text)


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z][A-Za-z'’.-]*)[\s,]*$", text[:start])
    return m.group(1).rstrip(".") if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s+([A-Za-z][A-Za-z'’-]*)", text[end:])
    return m.group(1) if m else ""


def normalize(text: str, lexicon: Lexicon) -> str:
    """What a human reader would say for `text`, as plain words for an English TTS engine."""
    protect = _Protector()
    t = clean_text(text)
    t = _typography(t)
    t = _repeated_acronyms(t)
    t = _links(t, protect)
    t = _apply_aliases(t, lexicon, protect)
    t = _brackets(t)
    t = _times(t, protect)
    t = _dates(t, protect)
    t = _money_and_measures(t)
    t = _title_acronyms(t)
    t = _abbreviations(t)
    t = _capitals(t, lexicon)
    t = _numbers(t)
    t = _symbols(t)
    t = protect.restore(t).replace(_SPELLED, "")
    # phonemes from the lexicon or the name rules ("[[moUt'Egi:]]") pass untouched
    phonemes = _Protector()
    t = _PHONEMES.sub(lambda m: phonemes(m.group(0)), t)
    return phonemes.restore(_tidy(t))


_PHONEMES = re.compile(r"\[\[[^\[\]]*\]\]")


def _typography(t: str) -> str:
    t = re.sub(r"\.{3,}|…", " \u2026 ", t)  # ellipsis, resolved in _tidy
    t = re.sub(r"[“”„‟«»\"]", " ", t)
    t = re.sub(r"(?<=[A-Za-z0-9])[’'](?=[A-Za-z])", _APOSTROPHE, t)  # don't, Japan's
    t = re.sub(r"(?<=s)[’'](?=\s|$|[,.;:?!])", _APOSTROPHE, t)  # ministers'
    t = re.sub(r"(?<=[A-Z]\.)[’'](?=s\b)", _APOSTROPHE, t)  # the U.S.'s
    t = re.sub(r"(?<![A-Za-z0-9])[’'](?=\d0s\b)", "", t)  # '90s
    t = re.sub(r"[‘’`´']", " ", t).replace(_APOSTROPHE, "'")
    # A false start cut off by a dash is not read: "coup- — two things", "ethni- –ethnically".
    t = re.sub(r"(?<![\w-])[A-Za-z']+-(?=\s*[—–])", "", t)
    t = re.sub(r"(?<![\w-])[A-Za-z']+-\s+(?=-\s)", "", t)
    t = re.sub(r"[\u2010\u2011]", "-", t)  # typographic hyphens
    t = re.sub(r"[\u2012\u2015\u2e3a\u2e3b]", "—", t)
    t = t.replace("\u2212", "-")  # minus sign
    # Scripts an English voice cannot read (the language menu of a web page).
    t = re.sub(r"[\u0370-\u03ff\u0400-\u052f\u0590-\u06ff\u0900-\u0dff\u0e00-\u0eff]+", " ", t)
    t = re.sub(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+", " ", t)
    return t


_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@([\w-]+(?:\.[\w-]+)+)\b")
_DOMAIN = re.compile(
    r"\b((?:[A-Za-z0-9-]+\.)+(?:gov|com|org|net|edu|int|mil|jp|uk|cn|kr|io|us|info))"
    r"((?:/[A-Za-z0-9_-]+)*)/?(?!\w|\.\w)"
)


def _say_host(host: str) -> str:
    host = re.sub(r"^www\.", "", host.lower())
    return " dot ".join(host.split("."))


def _camel_words(part: str) -> str:
    return " ".join(re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", part.replace("-", " ")))


def _links(t: str, protect: Callable[[str], str]) -> str:
    def url(m: re.Match[str]) -> str:
        raw = m.group(0).rstrip(".,;:!?")
        host = re.sub(r"^(?:https?://)?", "", raw, flags=re.IGNORECASE).split("/")[0]
        return protect(_say_host(host)) + m.group(0)[len(raw) :]

    def email(m: re.Match[str]) -> str:
        user = m.group(0).split("@")[0]
        return protect(f"{' dot '.join(user.split('.'))} at {_say_host(m.group(1))}")

    def domain(m: re.Match[str]) -> str:
        host = m.group(1)
        spoken = " dot ".join(_camel_words(p) or p for p in host.split("."))
        for part in m.group(2).split("/")[1:]:
            spoken += " slash " + _camel_words(part)
        return protect(spoken)

    t = re.sub(r"\bhttps?://(?=\s|$)", "", t, flags=re.IGNORECASE)
    t = _URL.sub(url, t)
    t = _EMAIL.sub(email, t)
    return _DOMAIN.sub(domain, t)


@lru_cache(maxsize=16)
def _alias_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    if not lexicon.aliases:
        return None, {}
    table: dict[str, str] = {}
    parts: list[str] = []
    for a in sorted(lexicon.aliases, key=lambda a: -len(a.grapheme)):
        key = a.grapheme.lower() if a.ignore_case else a.grapheme
        table.setdefault(key, a.say)
        body = re.escape(a.grapheme)
        parts.append(f"(?i:{body})" if a.ignore_case else body)
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(parts) + r")(?![\w&])")
    return pattern, table


def _apply_aliases(t: str, lexicon: Lexicon, protect: Callable[[str], str]) -> str:
    pattern, table = _alias_patterns(lexicon)
    if pattern is None:
        return t

    def sub(m: re.Match[str]) -> str:
        found = m.group(0)
        say = table.get(found) or table.get(found.lower()) or found
        return protect(say)

    return pattern.sub(sub, t)


_BRACKETED_ACRONYM = re.compile(
    r"\s*\(\s*(?:the\s+)?(?P<acronym>[A-Z][A-Za-z&.]{1,9}?)(?:s|’s|'s)?\s*\)(?=[\s,.;:!?]|$)"
)
_CONNECTIVES = wordset("of and for the on in to at de du la le des del & on")


def _expands_to(acronym: str, before: str) -> bool:
    """Do the words just before spell `acronym`? "United Nations" + "UN", "Department of
    Defense" + "DoD", "non-governmental organizations" + "NGO" (small words may count or not)."""
    letters = [ch.lower() for ch in acronym if ch.isalpha()]
    words = [w for w in re.split(r"[\s\-–/]+", before) if w]
    if len(letters) < 2 or not words:
        return False
    words = [re.sub(r"^[^\w&]+|[^\w&]+$", "", w) for w in words[-3 * len(letters) :]]

    @cache
    def match(i: int, j: int) -> bool:  # letters[:i] from words[:j], ending at the bracket
        if i == 0:
            return True
        if j == 0:
            return False
        word = words[j - 1]
        if not word:
            return match(i, j - 1)
        small = word.lower() in _CONNECTIVES
        if word[0].lower() == letters[i - 1] and match(i - 1, j - 1):
            return True
        return small and match(i, j - 1)

    # the last word before the bracket must begin the acronym's last letter
    last = words[-1] if words else ""
    return bool(last) and last[0].lower() == letters[-1] and match(len(letters), len(words))


def _repeated_acronyms(t: str) -> str:
    """ "The United Nations (UN) High-level Week": a reader skips the bracket that only
    repeats the words before it (the caption keeps it)."""

    def sub(m: re.Match[str]) -> str:
        before = t[max(0, m.start() - 200) : m.start()]
        before = re.split(r"[.;:!?()]\s", before)[-1]
        return "" if _expands_to(m.group("acronym"), before) else m.group(0)

    return _BRACKETED_ACRONYM.sub(sub, t)


# Titles written as acronyms, said in full before a name ("PM Kishida", "the FM").
TITLE_ACRONYMS = {
    "PM": "Prime Minister", "DPM": "Deputy Prime Minister", "FM": "Foreign Minister",
    "DFM": "Deputy Foreign Minister", "SG": "Secretary-General", "UNSG": "U-N Secretary-General",
    "DSG": "Deputy Secretary-General", "CCS": "Chief Cabinet Secretary", "CE": "Chief Executive",
    "CS": "Chief Secretary", "FS": "Financial Secretary", "VP": "Vice President",
    "DG": "Director-General", "EAM": "External Affairs Minister", "HRVP": "High Representative",
    "HR": "High Representative", "SecState": "Secretary of State", "SecDef": "Secretary of Defense",
}  # fmt: skip
_TITLE_ACRONYM = re.compile(
    r"(?<![\w.])(?P<title>" + "|".join(TITLE_ACRONYMS) + r")\b(?![-'’]\w)"
)
_FISCAL_YEAR = re.compile(r"\bFY\s?(?P<year>(?:19|20)?\d{2})\b|\bFY\b")


def _title_acronyms(t: str) -> str:
    """ "PM Kishida" -> "Prime Minister Kishida"; "the FM said" too; "FY 2024" -> "fiscal
    year twenty twenty-four". "PM" after a number (a time) or before a plain word is left."""

    def title(m: re.Match[str]) -> str:
        prev = _previous_word(t, m.start())
        following = t[m.end() :].lstrip(". ")
        named = bool(re.match(r"(?:[A-Z][a-z]|[A-Z]{2,}\b|\ue000)", following))
        if prev[:1].isdigit():  # "3 PM": a time
            return m.group(0)
        if prev.lower() in ("the", "a", "as", "our", "their", "his", "her", "former") or named:
            return TITLE_ACRONYMS[m.group("title")]
        return m.group(0)

    def fiscal(m: re.Match[str]) -> str:
        year = m.group("year")
        if year is None:
            return "fiscal year"
        return "fiscal year " + (say_year(year) if len(year) == 4 else say_cardinal(year))

    t = _FISCAL_YEAR.sub(fiscal, t)
    return _TITLE_ACRONYM.sub(title, t)


def _brackets(t: str) -> str:
    t = re.sub(r"\s*[\[(]\s*sic\s*[\])]", "", t, flags=re.IGNORECASE)
    # Editorial insertions read straight through: "official[s]", "[t]here's".
    t = t.replace("[", "").replace("]", "")
    # Asides in parentheses get a pause either side: "the United Nations (UN) High-level".
    t = re.sub(r"\s*\(\s*", ", ", t)
    t = re.sub(r"\s*\)", ", ", t)
    return t.replace("{", " ").replace("}", " ")


_AMPM = r"(?P<ampm>[AaPp])\.?\s?[Mm]\b\.?"
_TIME = re.compile(
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))?(?::[0-5]\d)?\s?" + _AMPM
    + r"|(?<![\d:.])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
)  # fmt: skip


def _say_clock(hour: int, minute: int, *, with_oclock: bool) -> str:
    if minute == 0:
        return _words(hour) + (" o'clock" if with_oclock else "")
    if minute < 10:
        return f"{_words(hour)} oh {_words(minute)}"
    return f"{_words(hour)} {_words(minute)}"


def _times(t: str, protect: Callable[[str], str]) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group("h24") is not None:
            hour, minute = int(m.group("h24")), int(m.group("m24"))
            named = re.match(r"\s+(?:noon|midnight)\b", t[m.end() :])
            if minute == 0 and hour > 12:
                return protect(f"{_words(hour)} hundred")
            return protect(_say_clock(hour, minute, with_oclock=hour < 13 and not named))
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if hour > 12:
            return m.group(0)
        spoken = f"{_say_clock(hour, minute, with_oclock=False)} {_spell(m.group('ampm') + 'M')}"
        if m.group(0).endswith(".") and ends_sentence(t, m.end(), capital_ends=True):
            spoken += "."
        return protect(spoken)

    return _TIME.sub(sub, t)


def _month(name: str) -> str:
    return _MONTH_ABBREVIATIONS.get(name, name)


_DAY = r"(?P<{0}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?![\d:])"
_MONTH_DAY = re.compile(
    r"\b" + _MONTH + r"\s+" + _DAY.format("d1")
    + r"(?:\s?(?:[-–]|to|through)\s?" + _DAY.format("d2")
    + r"|\s+(?P<and>and|or)\s+" + _DAY.format("d3")
    + r"(?!\s*(?:percent|%|per\b|million|billion|thousand|hundred)))?"
    + r"(?:,?\s+(?P<year>1\d{3}|20\d{2})\b)?"
)  # fmt: skip
_DAY_MONTH = re.compile(
    r"\b(?:" + _DAY.format("d0") + r"\s*(?P<and0>and|or|to|[-–])\s*)?"
    + _DAY.format("d1") + r"\s+" + _MONTH + r"(?:,?\s+(?P<year>1\d{3}|20\d{2})\b)?"
)
_ISO_DATE = re.compile(r"\b(?P<year>1\d{3}|20\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b")


def _dates(t: str, protect: Callable[[str], str]) -> str:
    def iso(m: re.Match[str]) -> str:
        month = MONTHS[int(m.group("m")) - 1]
        spoken = f"{month} {say_ordinal(m.group('d'))}, {say_year(m.group('year'))}"
        return protect(spoken)

    def month_day(m: re.Match[str]) -> str:
        spoken = f"{_month(m.group('month'))} {say_ordinal(m.group('d1'))}"
        if m.group("d2"):
            spoken += f" to {say_ordinal(m.group('d2'))}"
        elif m.group("d3"):  # "July 22 and 23": the second day is a date too
            spoken += f" {m.group('and')} {say_ordinal(m.group('d3'))}"
        if m.group("year"):
            spoken += f", {say_year(m.group('year'))}"
        return protect(spoken)

    def day_month(m: re.Match[str]) -> str:
        spoken = f"the {say_ordinal(m.group('d1'))} of {_month(m.group('month'))}"
        if m.group("d0"):  # "22 and 23 July", "22-23 July"
            joint = "to" if m.group("and0") in ("-", "–") else m.group("and0")
            first = say_ordinal(m.group("d0"))
            spoken = f"the {first} {joint} {spoken.removeprefix('the ')}"
        if m.group("year"):
            spoken += f" {say_year(m.group('year'))}"
        return protect(spoken)

    t = _ISO_DATE.sub(iso, t)
    # a day glued to the next word by a typo: "July 22and 23"
    t = re.sub(
        r"(\b" + _MONTH + r"\s+\d{1,2})(?P<glue>and|to|or)\b",
        lambda m: f"{m.group(1)} {m.group('glue')}",
        t,
    )
    t = _MONTH_DAY.sub(month_day, t)
    return _DAY_MONTH.sub(day_month, t)


_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CURRENCIES = {"$": "dollar", "US$": "U-S dollar", "€": "euro", "£": "pound", "¥": "yen"}
_SCALES = {
    "thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion",
    "k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion",
    "tn": "trillion",
}  # fmt: skip
_MONEY = re.compile(
    r"(?P<cur>US\$|[$€£¥])\s?(?P<num>" + _NUMBER + r")"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|k|mn|m|bn|b|tn)\b)?",
    re.IGNORECASE,
)


def _money_and_measures(t: str) -> str:
    def money(m: re.Match[str]) -> str:
        currency = _CURRENCIES[m.group("cur").upper()]
        num = m.group("num").replace(",", "")
        scale = m.group("scale")
        # "an $8 billion investment" is an eight billion dollar investment.
        attributive = re.search(r"(?:^|\s)[Aa]n? $", t[max(0, m.start() - 4) : m.start()])
        if scale:
            plural = currency != "yen" and attributive is None
            unit = currency + ("s" if plural else "")
            return f"{say_cardinal(num)} {_SCALES[scale.lower()]} {unit}"
        if "." in num and currency == "dollar" and len(num.split(".")[1]) == 2:
            dollars, cents = num.split(".")
            d_unit = "dollar" if int(dollars) == 1 else "dollars"
            c_unit = "cent" if int(cents) == 1 else "cents"
            return f"{_words(dollars)} {d_unit} and {_words(cents)} {c_unit}"
        single = num == "1" or currency == "yen" or attributive is not None
        return f"{say_cardinal(num)} {currency if single else currency + 's'}"

    t = _MONEY.sub(money, t)
    t = re.sub(r"(?<=\d)\s?%", " percent", t)
    t = re.sub(r"(?<=\d)\s?°\s?([CF])\b", lambda m: " degrees " + m.group(1), t)
    t = re.sub(r"(?<=\d)\s?°", " degrees", t)
    # "2+2", "ASEAN+3", "LGBTQ+": plus is said; the sign is not.
    t = re.sub(r"(?<=[\w\ue001])\s?\+\s?(?=[\w\ue000])", " plus ", t)
    t = re.sub(r"(?<=[A-Za-z])\+", " plus", t)
    t = re.sub(r"(?<![\w])\+(?=\d)", "plus ", t)
    # Number ranges: "December 1-7" is handled with dates; "10-15 percent", "2014–2016".
    t = re.sub(r"(?<![\w.,-])(\d[\d,.]*)\s?[-–]\s?(\d[\d,.]*)(?![\w-])", r"\1 to \2", t)
    t = re.sub(r"#\s?(?=\d)", "number ", t)
    return t


_TITLE_ABBREVIATIONS = {
    "Mrs": "Missus", "Dr": "Doctor", "Gen": "General", "Lt": "Lieutenant", "Col": "Colonel",
    "Maj": "Major", "Adm": "Admiral", "Capt": "Captain", "Sgt": "Sergeant", "Sen": "Senator",
    "Rep": "Representative", "Gov": "Governor", "Pres": "President", "Prof": "Professor",
    "Amb": "Ambassador", "Hon": "Honorable", "Rev": "Reverend", "Supt": "Superintendent",
}  # fmt: skip
_OTHER_ABBREVIATIONS = {
    "Jr": "Junior", "Sr": "Senior", "Dept": "Department", "Corp": "Corporation",
    "Ltd": "Limited", "Inc": "Incorporated", "approx": "approximately",
}  # fmt: skip


def _abbreviations(t: str) -> str:
    t = re.sub(r"\b(?:Mr|MR)\b\.?(?=\s+[A-Za-z\ue000])", "Mister", t)
    t = re.sub(r"\b(?:Mrs|MRS)\b\.?(?=\s+[A-Za-z\ue000])", "Missus", t)
    t = re.sub(r"\b(?:Ms|MS)\.(?=\s)|\bMs\b(?=\s+[A-Z])", "Miz", t)

    def excellency(m: re.Match[str]) -> str:
        rest = t[m.end() : m.end() + 12]
        her = re.match(r"\s*(?:Ms|Mrs|MS|MRS|Madam|Madame|Miz|Missus)\b", rest)
        return "Her Excellency" if her else "His Excellency"

    t = re.sub(r"\bH\.\s?E\.(?=\s)", excellency, t)
    for short, long in _TITLE_ABBREVIATIONS.items():  # "Hon.", and "HON." in a capitals line
        t = re.sub(rf"\b(?:{short}|{short.upper()})\.(?=\s+[A-Z\ue000])", long, t)
    for short, long in _OTHER_ABBREVIATIONS.items():
        t = re.sub(rf"\b{short}\.(?=[\s,;:)]|$)", long, t)
    t = re.sub(r"\bSt\.(?=\s+[A-Z])", "Saint", t)
    t = re.sub(r"\b(No|NO|no)\.\s?(?=\d)", "number ", t)
    t = re.sub(r"\b(Nos|nos)\.\s?(?=\d)", "numbers ", t)
    t = re.sub(r"\be\.\s?g\.,?", "for example,", t, flags=re.IGNORECASE)
    t = re.sub(r"\bi\.\s?e\.,?", "that is,", t, flags=re.IGNORECASE)
    t = re.sub(r"\bcf\.", "compare", t)
    t = re.sub(r"\b(?:vs\.?|v\.)(?=\s)", "versus", t)

    def etc(m: re.Match[str]) -> str:
        return "et cetera." if ends_sentence(t, m.end()) else "et cetera"

    t = re.sub(r"\betc\.", etc, t)
    t = re.sub(r"\ba\.k\.a\.", "also known as", t, flags=re.IGNORECASE)

    def initial(m: re.Match[str]) -> str:
        return m.group(0) if ends_sentence(t, m.end()) else m.group(1) + m.group(2)

    # A middle initial's full stop is no sentence end: "James S. Brady".
    return re.sub(r"\b([A-Z][a-z]+ )([A-Z])\.(?= [A-Z][a-z])", initial, t)


_DOTTED = re.compile(r"(?<![\w.])((?:[A-Za-z]\.){2,})(?:(['’]s)\b)?")
_LETTER_NUMBER = re.compile(r"(?<![\w-])([A-Z]{1,6})-?(\d+)(s|'s)?(?![\w.,]\d|\w)")
_NUMBER_LETTER = re.compile(r"(?<![\w.,])(\d+)([A-Z]{1,3})(s?)\b")
_CAPS = re.compile(r"(?<![\w'’])([A-Z][A-Z'’]*[A-Z])(?:(['’]s)|(s))?(?![\w'’])")


def _capitals(t: str, lexicon: Lexicon) -> str:
    def say_letters(word: str) -> str:
        """An acronym without dots, spelled or said as a word, as the lexicon decides."""
        alias = lexicon.alias_for(word)
        if alias is not None:
            return alias
        if word in lexicon.words:
            return _name_case(word)
        return _spell(word) if len(word) > 1 or word in lexicon.spell else word

    def dotted(m: re.Match[str]) -> str:
        letters = m.group(1).replace(".", "")
        if not letters.isupper() and letters.lower() not in ("us", "un", "uk", "eu"):
            return m.group(0)
        letters = letters.upper()
        spoken = say_letters(letters) if letters in lexicon.words else _spell(letters)
        spoken += "'s" if m.group(2) else ""
        if not m.group(2) and ends_sentence(t, m.end()):
            spoken += "."
        return spoken

    def letter_number(m: re.Match[str]) -> str:
        letters, digits, plural = m.groups()
        number = _designation(digits)
        if plural:
            number = _plural(number)
        return f"{_SPELLED}{_caps_word(letters, '', lexicon, m, t)} {number}{_SPELLED}"

    def number_letter(m: re.Match[str]) -> str:
        digits, letters, plural = m.groups()
        suffix = "'s" if plural else ""
        return f"{say_cardinal(digits)} {_spell(letters)}{suffix}"

    t = _DOTTED.sub(dotted, t)
    t = _LETTER_NUMBER.sub(letter_number, t)
    t = _NUMBER_LETTER.sub(number_letter, t)
    t = re.sub(r"\b([A-Z])&([A-Z])\b", r"\1 and \2", t)

    def caps(m: re.Match[str]) -> str:
        return _caps_word(m.group(1), m.group(2) or m.group(3) or "", lexicon, m, t)

    return _CAPS.sub(caps, t)


def _caps_word(word: str, suffix: str, lexicon: Lexicon, m: re.Match[str], t: str) -> str:
    """One word written in capitals: an acronym to spell, an acronym said as a word, a name."""
    possessive = "'s" if suffix in ("'s", "’s") else ""
    plural = suffix == "s"
    prev = _previous_word(t, m.start())
    nxt = _next_word(t, m.end())

    def as_word() -> str:
        cased = _name_case(word)
        return (lexicon.alias_for(cased) or cased) + possessive + ("s" if plural else "")

    def spelled() -> str:
        return _spell(word) + ("'s" if plural or possessive else "")

    def capitalised(neighbour: str) -> bool:
        core = neighbour.strip("'’-")
        return len(core) > 1 and core.isupper() and core.isalpha()

    in_caps_run = capitalised(prev) or capitalised(nxt)
    if in_caps_run and word in _COMMON_WORDS:
        return word.lower() + possessive + ("s" if plural else "")

    alias = lexicon.alias_for(word)
    if alias is not None:
        return alias + possessive + ("s" if plural else "")
    if word in lexicon.words:
        return as_word()
    if word in lexicon.spell:
        return spelled()

    letters = word.replace("'", "").replace("’", "")
    if not letters.isalpha():
        return spelled()
    after_title = prev.lower() in _NAME_TITLES
    if after_title and _pronounceable(letters):
        return as_word()

    if _ROMAN.fullmatch(word) and prev:
        value = _roman_value(word)
        if prev.lower() in _ROMAN_CARDINAL_AFTER:
            return _words(value).capitalize()
        name_before = prev[0].isupper() and not prev.isupper()
        name_after = bool(nxt) and nxt[0].isupper()
        if name_before and not name_after:
            return "the " + say_ordinal(value).capitalize()

    if _pronounceable(letters) and len(letters) >= 4:
        return as_word()
    if in_caps_run and len(letters) >= 6 and _pronounceable(letters[:4]):
        return as_word()
    return spelled()


def _roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        if i + 1 < len(numeral) and values[numeral[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


_ORDINAL = re.compile(r"(?<![\w.,])(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_DECADE = re.compile(r"(?<![\w.,])(1[1-9]|20)?(\d)0s\b")
_PLURAL_NUMBER = re.compile(r"(?<![\w.,])(\d+)s\b")
_YEAR = re.compile(r"(?<![\w.,$])(1[1-9]\d\d|20\d\d)(?![\w]|[.,]\d)(?!\s?(?:percent|per cent))")
_YEAR_NOT_BEFORE = re.compile(
    r"\s+(?:people|persons|troops|soldiers|members|times|cases|arrests|votes|units|tons"
    r"|tonnes|miles|kilometers|kilometres|meters|metres|feet|yen|dollars|euros|won|yuan"
    r"|participants|students|workers|jobs|homes|families|children|employees|deaths)\b"
)
_CARDINAL = re.compile(r"(?<![\w])(" + _NUMBER + r")(?![\w])")


def _numbers(t: str) -> str:
    def decade(m: re.Match[str]) -> str:
        century, tens = m.group(1), m.group(2)
        tens_words = _plural(_words(int(tens) * 10)) if tens != "0" else "hundreds"
        if century is None:
            return tens_words
        if tens == "0":
            return _plural(say_year(century + "00"))
        return f"{_words(century)} {tens_words}"

    def year(m: re.Match[str]) -> str:
        if _YEAR_NOT_BEFORE.match(t, m.end()):
            return m.group(0)
        return say_year(m.group(1))

    t = _ORDINAL.sub(lambda m: say_ordinal(m.group(1)), t)
    t = _DECADE.sub(decade, t)
    t = _PLURAL_NUMBER.sub(lambda m: _plural(say_cardinal(m.group(1))), t)
    t = _YEAR.sub(year, t)
    t = re.sub(r"(?<=\d)/(?=\d)", " / ", t)
    t = re.sub(r"\b24 / 7\b", "twenty-four seven", t)
    t = re.sub(r"(?<![\w.,])(\d+) / (\d+)(?![\w])", _fraction, t)
    # A minus sign before a number (not a hyphen inside a word).
    t = re.sub(r"(?<![\w-])-(?=\d)", "minus ", t)
    return _CARDINAL.sub(lambda m: say_cardinal(m.group(1)), t)


def _fraction(m: re.Match[str]) -> str:
    num, den = int(m.group(1)), int(m.group(2))
    if 1 <= num < den <= 10:
        name = {2: "half", 4: "quarter"}.get(den) or say_ordinal(den)
        if num == 1:
            return "one " + name
        return f"{_words(num)} {name}s" if den != 2 else f"{_words(num)} halves"
    return f"{m.group(1)} over {m.group(2)}"


def _symbols(t: str) -> str:
    t = re.sub(r"\s*[—–]+\s*|\s+-{1,2}\s+|(?<=\w)--(?=\w)", ", ", t)
    t = t.replace("&", " and ")
    t = re.sub(r"(?<=\w)@(?=\w)", " at ", t)
    t = re.sub(r"(?<=\w)\s?/\s?(?=\w)", " ", t)  # "Aqaba/Sharm", "and/or"
    t = re.sub(r"\s=\s", " equals ", t)
    t = re.sub(r"(?<=\s)~(?=\d)", "about ", t)
    t = t.replace("§", " section ")
    # Joining hyphens next to a spelled acronym or a designation become spaces.
    t = re.sub(rf"-{_SPELLED}|{_SPELLED}-", " ", t).replace(_SPELLED, "")
    # A suspended hyphen ("pre- and post-war") or a stray one at a word's edge.
    t = re.sub(r"(?<=\w)-(?=\s|$)|(?<=\s)-(?=\w)|^-(?=\w)", "", t)
    return re.sub(r"[*_|<>^\\#@~=`{}%/$+]", " ", t)


def _tidy(t: str) -> str:
    t = _SPACES.sub(" ", t)
    t = re.sub(r"\s*\u2026\s*(?=[.?!]|$)", ".", t)  # an ellipsis at the end is a full stop
    t = re.sub(r"\s*\u2026\s*", ", ", t)  # ...in the middle, a pause
    t = re.sub(r"\s+([,.;:?!])", r"\1", t)
    t = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", t)  # ", ," -> ","
    t = re.sub(r"[,;:]+\s*([.?!])", r"\1", t)  # ",." -> "."
    t = re.sub(r"([.?!])\s*[,;:]+", r"\1", t)  # ".," -> "."
    t = re.sub(r"\.{2,}", ".", t)
    t = re.sub(r"([,;:])(?=[^\s\d])", r"\1 ", t)
    t = re.sub(r"^[\s,;:.]+", "", t)
    t = re.sub(r"[\s,;:]+$", "", t)
    return _SPACES.sub(" ", t).strip()
