"""Who a label names: one stable key per person, a display name, and a role.

A label is split into honorific, title words, name tokens and news outlet
(`Ms. KAMIKAWA Yoko, Minister for Foreign Affairs` -> honorific Ms., names KAMIKAWA Yoko,
title Minister for Foreign Affairs; `NHK, Igarashi` -> outlet NHK, name Igarashi). Labels
whose name tokens are equal or one contains the other (`Tan` in `Dawn Tan`, `KIRBY` in
`MR. KIRBY`) are the same person; a title-only label (`Minister:`) joins the one named
official who holds that title. Every anonymous reporter label (`Q`, `Reporter`, `QUESTION`,
`JOURNALIST`) is the one key "reporter".

Roles come from the label's words first (Minister, Secretary, Spokesperson ... -> minister;
Moderator -> moderator; an outlet or Reporter -> reporter) and, for labels that say nothing
(`MS. LEAVITT`, `Mao Ning`), from behaviour: who asks questions, who answers them, who only
calls on others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from pressaudio.english import wordset
from pressaudio.model import (
    NARRATOR_KEY,
    OFFICIAL_KEY,
    REPORTER_KEY,
    Role,
    Speaker,
    Transcript,
    Turn,
)
from pressaudio.transcript.intermediates import LabelledTurn, Turns
from pressaudio.transcript.labels import (
    ANON_REPORTER_CORE,
    ANON_REPORTER_WORDS,
    ANSWER_WORDS,
    CONNECTORS,
    CORE_TITLE_WORDS,
    HONORIFICS,
    MODERATOR_WORDS,
    OUTLET_NAMES,
    OUTLET_WORDS,
    TITLE_WORDS,
)

__all__ = [
    "REPORTER_KEY",
    "Identity",
    "LabelInfo",
    "LabelKind",
    "assign_roles",
    "attribute",
    "defined_acronyms",
    "identify",
    "parse_label",
    "person_phrase",
    "title_person",
]


_IGNORED_PARENS = (
    "interpret",
    "translat",
    "in english",
    "in japanese",
    "in chinese",
    "in french",
    "in spanish",
    "off-mic",
    "off mic",
    "inaudible",
    "cont",
    "continuing",
    "continued",
    "via ",
    "by phone",
    "by video",
    "remotely",
    "virtual",
)
_ACRONYMS = wordset(
    "nhk afp ap cnn bbc cctv cgtn cna abc cbs nbc npr pbs nsc un u.n. us u.s. eu uk u.k. "
    "nato who imf g7 g20 asean dprk rok prc roc usa u.s.a. tv ndtv wion ani pti tbs ntv "
    "kbs mbc sbs rthk scmp cbc ctv rte itv dw rfi trt irna msnbc wsj ft nyt ii iii iv "
    "jr. sr. ceo cia fbi dhs dod mofa mea mfa"
)
_TIMESTAMP = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_OUTLET_LEADS = wordset("news tv radio channel daily weekly the")
_HONORIFIC_CANON = {"mr": "Mr.", "ms": "Ms.", "mrs": "Mrs.", "dr": "Dr.", "mx": "Mx."}


# what a label names: all anonymous reporters, an unattributed answer (`A`), a person, a
# title without a name (`PRIME MINISTER`), or a news outlet (`AFP`)
LabelKind = Literal["anon", "answer", "person", "title", "outlet"]


@dataclass(frozen=True)
class LabelInfo:
    label: str
    kind: LabelKind
    names: tuple[str, ...]  # name tokens as written, in order
    honorific: str | None
    titles: tuple[str, ...]  # title words as written, in order
    outlet: str | None
    role_hint: Role | None

    @property
    def name_keys(self) -> tuple[str, ...]:
        return tuple(_fold(n) for n in self.names)

    @property
    def surname(self) -> str | None:
        if len(self.names) == 1:
            return self.names[0]
        caps = [n for n in self.names if len(n) > 1 and n.isupper()]
        if len(caps) == 1 and len(caps) < len(self.names):
            return caps[0]
        return None


def _fold(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def _tok_core(tok: str) -> str:
    return tok.strip(".,()[]'’/&-‐–")


def _paren_parts(label: str) -> tuple[str, list[str]]:
    """The label without its (parentheticals), and the parentheticals' contents."""
    outside: list[str] = []
    inside: list[str] = []
    depth = 0
    current: list[str] = []
    for c in label:
        if c in "([":
            if depth == 0:
                current = []
            else:
                current.append(c)
            depth += 1
        elif c in ")]" and depth:
            depth -= 1
            if depth == 0:
                inside.append("".join(current).strip())
            else:
                current.append(c)
        elif depth:
            current.append(c)
        else:
            outside.append(c)
    if depth:  # unbalanced: keep the rest as text
        outside.append("".join(current))
    return " ".join("".join(outside).split()), [p for p in inside if p]


def _is_outlet_part(tokens: list[str]) -> bool:
    lows = [_tok_core(t).lower() for t in tokens]
    lows = [w for w in lows if w]
    if not lows:
        return False
    if any(w in CORE_TITLE_WORDS or w in MODERATOR_WORDS for w in lows):
        return False
    joined = "-".join(lows)
    if joined in OUTLET_NAMES or (len(lows) == 1 and lows[0] in OUTLET_NAMES):
        return True
    if len(lows) >= 2 and any(w in OUTLET_WORDS for w in lows[1:]):
        return True
    if len(lows) >= 2 and lows[0] in _OUTLET_LEADS:  # "News Nation", "TV Asahi"
        return True
    return len(lows) >= 2 and lows[0] in OUTLET_NAMES and lows[0] not in ("tokyo", "beijing")


def _is_anon_part(tokens: list[str]) -> bool:
    lows = [_tok_core(t).lower().rstrip("0123456789") for t in tokens]
    lows = [w for w in lows if w]
    return (
        bool(lows)
        and all(w in ANON_REPORTER_WORDS for w in lows)
        and any(w in ANON_REPORTER_CORE for w in lows)
    )


_QUESTION_FROM = re.compile(r"^(?:questions?|q\.?)\s+from\s+(\S.*)$", re.IGNORECASE)


_STAFF_LABELS = ("staff", "press staff", "press office staff")  # DoD's "STAFF:" chairs
_ACRONYM_OUTLET_LEN = (2, 6)  # "NHK, Igarashi": a short unknown acronym is the outlet
_BARE_ARTICLES = ("the", "his", "her")  # honorific-list words that may end a name


@dataclass(slots=True)
class _Reading:
    """A label's words as they are sorted into names, titles, honorific and outlet."""

    names: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    honorific: str | None = None
    anon: bool = False
    outlets: list[str] = field(default_factory=list)
    role_hint: Role | None = None


def parse_label(label: str) -> LabelInfo:
    """Split a label into honorific, titles, names and outlet, and guess its role."""
    special = _special_label(label)
    if special is not None:
        return special
    text, parens = _paren_parts(label)
    r = _Reading()
    paren_titles, paren_others = _read_parens(parens, r)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    part_tokens = [p.split() for p in parts]
    acronym_outlet = _acronym_outlet(part_tokens)
    for i, toks in enumerate(part_tokens):
        if _is_anon_part(toks):
            r.anon = True
        elif i == acronym_outlet or _is_outlet_part(toks):
            r.outlets.append(" ".join(toks))
        else:
            _read_part(toks, r)
    r.titles.extend(_tok_core(t) for t in paren_titles if _tok_core(t))
    for p in paren_others:
        toks = p.split()
        # a title with the holder's name in brackets: CABINET PUBLIC RELATIONS SECRETARY (YOTSUMOTO)
        if r.titles and not r.names and not r.anon and len(toks) <= 3 and not _is_outlet_part(toks):
            r.names.extend(_tok_core(t) for t in toks if _tok_core(t))
        else:
            r.outlets.append(p)
    # connectors dangling at the end ("Minister for") belong to nothing
    for words in (r.titles, r.names):
        while words and words[-1].lower() in CONNECTORS:
            words.pop()
    return _label_info(label, r)


def _special_label(label: str) -> LabelInfo | None:
    """`Question from Channel NewsAsia` (that outlet's reporter); DoD's `STAFF`."""
    asked = _QUESTION_FROM.match(label.strip())
    if asked is not None:
        return LabelInfo(label, "outlet", (), None, (), asked.group(1).strip(), "reporter")
    if label.strip().rstrip(":").lower() in _STAFF_LABELS:
        return LabelInfo(label, "title", (), None, (label.strip(),), None, "moderator")
    return None


def _read_parens(parens: list[str], r: _Reading) -> tuple[list[str], list[str]]:
    """Titles in brackets, and the other bracketed words ("(CNA)" beside a name,
    "(YOTSUMOTO)" beside a title); a moderator's mark sets the role; time codes, notes on
    interpreting and the like are left out."""
    titles: list[str] = []
    others: list[str] = []
    for p in parens:
        if _TIMESTAMP.match(p):
            continue  # "Matthew Miller (00:00)": a transcription service's time code
        words = [_tok_core(w).lower() for w in p.split()]
        if any(w in MODERATOR_WORDS for w in words):
            r.role_hint = "moderator"
        elif any(k in p.lower() for k in _IGNORED_PARENS) and not any(
            w in OUTLET_NAMES for w in words
        ):
            continue
        elif any(w in CORE_TITLE_WORDS for w in words) and not _is_outlet_part(p.split()):
            titles.extend(p.split())
        else:
            others.append(p)
    return titles, others


def _acronym_outlet(part_tokens: list[list[str]]) -> int:
    """`NHK, Igarashi` / `Igarashi, XYZ`: the index of the part that is an unknown short
    acronym beside a name (the outlet), else -1."""
    found = -1
    if len(part_tokens) != 2:
        return found
    low, high = _ACRONYM_OUTLET_LEN
    for i, toks in enumerate(part_tokens):
        other = part_tokens[1 - i]
        word = toks[0] if len(toks) == 1 else ""
        if (
            not _is_outlet_part(other)
            and not " ".join(other).isupper()
            and word.isupper()
            and low <= len(word) <= high
            and word.isalpha()
            and word.lower() not in TITLE_WORDS
            and word.lower() not in ANON_REPORTER_WORDS
            and not any(_tok_core(t).lower() in CORE_TITLE_WORDS for t in other)
        ):
            found = i
    return found


def _read_part(toks: list[str], r: _Reading) -> None:
    """One comma-separated part's words into the honorific, names and titles: a word after
    the honorific (and not a core title) is a name; a connector goes with the word before
    it; then title words, then names."""
    after_honorific = False
    last = ""  # what the previous word of this part was: "title" or "name"
    for tok in toks:
        core = _tok_core(tok)
        low = core.lower()
        if not core:
            continue
        if low in HONORIFICS or low + "." in HONORIFICS:
            after_honorific = _read_honorific(tok, core, last, r) or after_honorific
        elif after_honorific and low not in CORE_TITLE_WORDS:
            r.names.append(core)
            last = "name"
        elif low in CONNECTORS:
            if last == "title":
                r.titles.append(core)
            elif last == "name":
                r.names.append(core)
        elif low in TITLE_WORDS or low in MODERATOR_WORDS:
            r.titles.append(core)
            after_honorific = False
            last = "title"
        else:
            r.names.append(core)
            last = "name"


def _read_honorific(tok: str, core: str, last: str, r: _Reading) -> bool:
    """A word of the honorific list: True when it is the honorific (names follow); "the",
    "his", "her" after a name are part of it; "Excellency" and lone articles are left out."""
    low = core.lower()
    if low in _BARE_ARTICLES and last == "name":
        r.names.append(core)
        return False
    if low in (*_BARE_ARTICLES, "excellency"):
        return False
    if r.honorific is None:
        dot = tok.endswith(".") and not core.endswith(".")
        r.honorific = core + ("." if dot else "")
    return True


def _label_info(label: str, r: _Reading) -> LabelInfo:
    """The label's kind and role hint from what its words were sorted into."""
    outlet = ", ".join(r.outlets) or None
    if label.strip().lower().rstrip("0123456789 ") in ANSWER_WORDS:
        return LabelInfo(label, "answer", (), None, (), None, "minister")
    if r.anon and not r.names:
        return LabelInfo(label, "anon", (), None, (), outlet, "reporter")
    role_hint = r.role_hint
    if role_hint is None:
        role_hint = _role_from_titles({t.lower() for t in r.titles}, outlet, r.anon)
    kind: LabelKind = "person" if r.names else "outlet" if outlet else "title"
    return LabelInfo(label, kind, tuple(r.names), r.honorific, tuple(r.titles), outlet, role_hint)


def _role_from_titles(title_words: set[str], outlet: str | None, anon: bool) -> Role | None:
    if title_words & MODERATOR_WORDS:
        return "moderator"
    if outlet or anon or "correspondent" in title_words:
        return "reporter"
    if title_words & CORE_TITLE_WORDS:
        return "minister"
    return None


# "the Director of the Chief Executive's Office (DCEO)": capitals in brackets after the words
# whose initials they spell
_BRACKETED_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)")
_ACRONYM_SKIP = wordset("of for the and to on in at de du la")
_ACRONYM_REACH = 12  # how many words before the brackets the spelled-out words may start


def defined_acronyms(text: str) -> frozenset[str]:
    """The acronyms `text` defines by spelling them out first (lower case): `Secretary for
    Commerce, Industry and Technology (SCIT)` -> {"scit"}, `Chief Secretary for
    Administration (CS)` -> {"cs"}. A bracketed surname beside a
    title (`CABINET SECRETARY (YOTSUMOTO)`) spells nothing, so it is not one."""
    found: set[str] = set()
    for m in _BRACKETED_ACRONYM.finditer(text):
        acronym = m.group(1)
        before = re.findall(r"[^\W\d_][\w'’\-]*", text[max(0, m.start() - 200) : m.start()])
        initials = [
            w[0].upper() for w in before[-_ACRONYM_REACH:] if w.lower() not in _ACRONYM_SKIP
        ]
        spelled = "".join(initials)
        # "Chief Secretary for Administration (CS)": the last word may be left out
        if spelled.endswith(acronym) or spelled[:-1].endswith(acronym):
            found.add(acronym.lower())
    return frozenset(found)


# --- identity -----------------------------------------------------------------------------


@dataclass
class _Cluster:
    infos: list[LabelInfo] = field(default_factory=list)
    forms: list[tuple[str, ...]] = field(default_factory=list)  # folded name tokens, ordered
    role_hint: Role | None = None
    key: str = ""
    name: str = ""

    def add(self, info: LabelInfo) -> None:
        self.infos.append(info)
        if info.names and info.name_keys not in self.forms:
            self.forms.append(info.name_keys)
        if self.role_hint is None:
            self.role_hint = info.role_hint

    @property
    def title_words(self) -> set[str]:
        return {t.lower() for i in self.infos for t in i.titles}


@dataclass(frozen=True)
class Identity:
    key: str
    name: str
    role_hint: Role | None  # from the label's words; None when they say nothing
    named: bool = True  # False for a function alone: "MODERATOR", "CHAIR"


def _forms_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    sa, sb = set(a), set(b)
    if sa == sb:
        return True
    small, big = (a, b) if len(sa) < len(sb) else (b, a)
    if not set(small) < set(big):
        return False
    if len(set(small)) == 1:
        return small[0] in (big[0], big[-1]) or (len(big) <= 3)
    return True


def _roles_compatible(a: Role | None, b: Role | None) -> bool:
    return a is None or b is None or a == b


def identify(
    labels: Sequence[str], *, acronyms: frozenset[str] = frozenset()
) -> dict[str, Identity]:
    """Map each distinct label to the identity of the person (or group) it names.

    `acronyms` (lower case) are words the document defines as acronyms (`defined_acronyms`):
    a label made of one keeps its capitals (`SCIT`, not `Scit`)."""
    ident = _Identifier()
    for label in labels:
        if label not in ident.by_label:
            ident.add(parse_label(label))
    # a title-only label ("Minister", "PRIME MINISTER") is the one named person with that
    # title; longer titles first, so that "Minister" can join "Minister for Foreign Affairs"
    for info in sorted(ident.titles_only, key=lambda i: -len(_core_titles(i))):
        ident.add_title(info)
    used: set[str] = {REPORTER_KEY, OFFICIAL_KEY, NARRATOR_KEY}
    for cl in ident.clusters:
        cl.key = _unique(_cluster_key(cl), used)
        cl.name = _display_name(cl, acronyms)
    return {
        label: Identity(cl.key, cl.name, cl.role_hint, bool(cl.forms))
        for label, cl in ident.by_label.items()
    }


@dataclass(slots=True)
class _Identifier:
    """The clusters of labels found so far, one per person (or outlet, or title)."""

    clusters: list[_Cluster] = field(default_factory=list)
    by_label: dict[str, _Cluster] = field(default_factory=dict)
    token_index: dict[str, list[_Cluster]] = field(default_factory=dict)
    anon: _Cluster = field(
        default_factory=lambda: _Cluster(key=REPORTER_KEY, name="Reporter", role_hint="reporter")
    )
    answer: _Cluster = field(
        default_factory=lambda: _Cluster(key=OFFICIAL_KEY, name="Official", role_hint="minister")
    )
    outlets: dict[str, _Cluster] = field(default_factory=dict)
    titles_only: list[LabelInfo] = field(default_factory=list)
    title_clusters: dict[str, _Cluster] = field(default_factory=dict)
    moderator: _Cluster | None = None

    def join(self, cl: _Cluster, info: LabelInfo) -> None:
        cl.add(info)
        self.by_label[info.label] = cl

    def new_cluster(self) -> _Cluster:
        cl = _Cluster()
        self.clusters.append(cl)
        return cl

    def add(self, info: LabelInfo) -> None:
        if info.kind == "anon":
            self.join(self.anon, info)
        elif info.kind == "answer":
            self.join(self.answer, info)
        elif info.kind == "outlet":
            okey = _fold(info.outlet or info.label)
            if okey not in self.outlets:
                self.outlets[okey] = self.new_cluster()
            self.join(self.outlets[okey], info)
        elif info.kind == "title":
            self.titles_only.append(info)  # placed once every named person is known
        else:
            self.add_person(info)

    def add_person(self, info: LabelInfo) -> None:
        form = info.name_keys
        best = self.best_match(form, info.role_hint) or self.new_cluster()
        self.join(best, info)
        for tok in form:
            lst = self.token_index.setdefault(tok, [])
            if best not in lst:
                lst.append(best)

    def best_match(self, form: tuple[str, ...], role: Role | None) -> _Cluster | None:
        """The cluster sharing most name tokens with `form`, its names matching."""
        best: _Cluster | None = None
        best_overlap = 0
        seen: set[int] = set()
        for tok in form:
            for cl in self.token_index.get(tok, ()):
                if id(cl) in seen:
                    continue
                seen.add(id(cl))
                if not _roles_compatible(cl.role_hint, role):
                    continue
                f = next((f for f in cl.forms if _forms_match(form, f)), None)
                if f is not None and len(set(form) & set(f)) > best_overlap:
                    best, best_overlap = cl, len(set(form) & set(f))
        return best

    def add_title(self, info: LabelInfo) -> None:
        core = _core_titles(info)
        if info.role_hint == "moderator":
            # one chair per conference: "MODERATOR" and "... SECRETARY (MODERATOR)" alike
            if self.moderator is None:
                self.moderator = self.new_cluster()
            self.join(self.moderator, info)
            return
        holder = self.one_holder(core, info) or self.wider_title(core, info)
        if holder is not None:
            self.join(holder, info)
            return
        tkey = " ".join(sorted(core)) or _fold(info.label)
        if tkey not in self.title_clusters:
            self.title_clusters[tkey] = self.new_cluster()
        self.join(self.title_clusters[tkey], info)

    def one_holder(self, core: set[str], info: LabelInfo) -> _Cluster | None:
        """The one named person whose titles include this title's core words."""
        matches = [
            cl
            for cl in self.clusters
            if cl.forms
            and core
            and core <= cl.title_words
            and _roles_compatible(cl.role_hint, info.role_hint)
        ]
        if len(matches) == 1 and core & (CORE_TITLE_WORDS | MODERATOR_WORDS):
            return matches[0]
        return None

    def wider_title(self, core: set[str], info: LabelInfo) -> _Cluster | None:
        """`Minister` beside the one `Minister for Foreign Affairs` (no rank between them)."""
        tkey = " ".join(sorted(core)) or _fold(info.label)
        if tkey in self.title_clusters or info.role_hint != "minister":
            return None
        wider = [
            c
            for k, c in self.title_clusters.items()
            if core
            and core < set(k.split())
            and not (set(k.split()) - core) & _RANK_WORDS
            and c.role_hint == "minister"
        ]
        return wider[0] if len(wider) == 1 else None


_RANK_WORDS = wordset(
    "deputy vice assistant under associate acting principal senior junior second first "
    "parliamentary state"
)


def _core_titles(info: LabelInfo) -> set[str]:
    return {t.lower() for t in info.titles} - CONNECTORS - {"the"}


def _slug(text: str) -> str:
    folded = _fold(text)
    out = re.sub(r"[^\w]+", "-", folded).strip("-_")
    return out or "speaker"


def _unique(key: str, used: set[str]) -> str:
    candidate = key
    n = 2
    while candidate in used:
        candidate = f"{key}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _cluster_key(cl: _Cluster) -> str:
    persons = [i for i in cl.infos if i.kind == "person"]
    if persons:
        singles = [i.names[0] for i in persons if len(i.names) == 1]
        if singles:
            return _slug(singles[0])
        for i in persons:
            if i.surname:
                return _slug(i.surname)
        shortest = min(persons, key=lambda i: len(i.names))
        return _slug(" ".join(shortest.names))
    first = cl.infos[0]
    if first.kind == "outlet":
        return _slug(first.outlet or first.label)
    return _slug(" ".join(first.titles) or first.label)


def _nice(token: str, acronyms: frozenset[str] = frozenset()) -> str:
    """KAMIKAWA -> Kamikawa, JEAN-PIERRE -> Jean-Pierre, MCKEE -> McKee; acronyms and mixed
    case unchanged."""
    low = token.lower()
    if low.rstrip(".") in _HONORIFIC_CANON:
        return _HONORIFIC_CANON[low.rstrip(".")]
    if not token.isupper() or len(token) < 2 or low.rstrip(".") in (_ACRONYMS | acronyms):
        return token
    if low in CONNECTORS:
        return low
    word = re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), low)
    return _MC_NAME.sub(lambda m: "Mc" + m.group(1).upper(), word)  # MCKEE -> McKee


_MC_NAME = re.compile(r"\bMc([a-z])(?=[a-z])")


def _nice_words(tokens: Sequence[str], acronyms: frozenset[str] = frozenset()) -> str:
    out = []
    for n, t in enumerate(tokens):
        word = _nice(t, acronyms)
        if n == 0:
            word = word[:1].upper() + word[1:]
        out.append(word)
    return " ".join(out)


def _title_head(titles: Sequence[str]) -> list[str]:
    """`Minister for Foreign Affairs` -> `Minister`; `Foreign Press Secretary` unchanged."""
    head: list[str] = []
    for t in titles:
        if t.lower() in CONNECTORS and head:
            break
        head.append(t)
    while head and head[0].lower() in ("the",):
        head.pop(0)
    return head


def _display_name(cl: _Cluster, acronyms: frozenset[str]) -> str:
    infos = cl.infos
    persons = [i for i in infos if i.kind == "person"]
    if persons:
        surname = next((i.surname for i in persons if i.surname), None)
        # "Minister Kamikawa": titles then the surname alone, as written
        for i in persons:
            if i.titles and len(i.names) == 1 and not i.outlet and "," not in i.label:
                return _nice_words([*i.titles, *i.names], acronyms)
        for i in persons:
            if i.honorific and not i.titles and not i.outlet:
                return _nice_words([i.honorific, *i.names], acronyms)
        first = persons[0]
        name_words = [surname] if surname else list(first.names)
        titled = next((i for i in persons if i.titles), None)
        if titled is not None:
            return _nice_words([*_title_head(titled.titles), *name_words], acronyms)
        outlet = next((i.outlet for i in persons if i.outlet), None)
        who = _nice_words(list(first.names), acronyms)
        return f"{who} ({outlet})" if outlet else who
    first = infos[0]
    if first.kind == "outlet":
        return first.outlet or first.label
    words = list(first.titles) or first.label.split()
    return _nice_words(words, acronyms)


# --- roles --------------------------------------------------------------------------------

_CHAIR_PHRASES = (
    "next question",
    "last question",
    "final question",
    "first question",
    "last reporter",
    "go ahead",
    "the floor",
    "over to you",
    "turn it over",
    "hand it over",
    "concludes",
    "conclude",
    "all the time we have",
    "all the time that we have",
    "thank you, everyone",
    "thank you, everybody",
    "thanks, everyone",
    "thanks, everybody",
    "thank you all",
    "please state",
    "your name and",
    "question from",
    "questions from",
    "let's go to",
    "we'll take",
    "we will take",
    "we'll go to",
    "we will go to",
    "please ask",
    "please go",
    "operator",
    "open the line",
    "opening remarks",
    "any questions",
    "take questions",
    "take your questions",
    "end of the press conference",
    "end the press conference",
    "this press conference",
    "the press conference",
    "call on",
    "calling on",
    "please, ",
    ", please.",
    "go to",
    "going to the",
    "going to go",
    "turn to",
    "take some questions",
    "ask a question",
    "ask your question",
    "sent online",
    "submitted online",
    "from online",
    "next is",
    "the line of",
)
_CHAIR_MAX_WORDS = 40
_OUTLET_CALL_WORDS = 15  # "Okay, Bloomberg TV.": a short turn naming an outlet calls on it


def _names_outlet(text: str) -> bool:
    return any(
        w in OUTLET_NAMES or (w in OUTLET_WORDS and w not in ("report", "reports", "media"))
        for w in (t.strip(".,;:!?()“”\"'’").lower() for t in text.split())
    )


def _is_question(text: str) -> bool:
    """The turn ends with a question, or at least half its sentences are questions."""
    body = text.rstrip(' )]"”’')
    if body.endswith("?"):
        return True
    questions = text.count("?")
    return questions > 0 and questions * 2 >= questions + text.count(".") + text.count("!")


@dataclass
class _Stats:
    turns: int = 0
    words: int = 0
    questions: int = 0
    chair: int = 0
    short: int = 0
    after_reporter: int = 0
    before_minister: int = 0


def assign_roles(
    hints: dict[str, Role | None],
    turns: Sequence[tuple[str, str]],
    unnamed: Collection[str] = (),
) -> dict[str, Role]:
    """Roles for every speaker key, given label hints and the (key, text) turn sequence.

    Label words decide where they speak; otherwise behaviour: a speaker whose turns are
    mostly questions, or who asks after officials answer, is a reporter; one whose turns
    are all short and call on others or close the conference is a moderator; the rest are
    officials (ministers). The rules run in the order of `_ROLE_RULES`. `unnamed`: the keys
    whose labels name a function and no person ("MODERATOR").
    """
    roles: dict[str, Role] = {k: r for k, r in hints.items() if r is not None}
    ctx = _RoleContext(
        roles=roles,
        unknown=[k for k, r in hints.items() if r is None],
        stats=_behaviour(hints, turns, roles),
        turns=turns,
        unnamed=frozenset(unnamed),
    )
    for rule in _ROLE_RULES:
        rule(ctx)
    return roles


@dataclass(frozen=True, slots=True)
class _RoleContext:
    roles: dict[str, Role]  # filled in by the rules, in order
    unknown: list[str]  # the keys whose labels say nothing of their role
    stats: dict[str, _Stats]
    turns: Sequence[tuple[str, str]]
    unnamed: frozenset[str]


def _behaviour(
    hints: dict[str, Role | None], turns: Sequence[tuple[str, str]], roles: dict[str, Role]
) -> dict[str, _Stats]:
    """How each speaker speaks: turns, words, questions, chairing, and who is around."""
    stats = {k: _Stats() for k in hints}
    for n, (key, text) in enumerate(turns):
        if key not in stats:
            continue
        s = stats[key]
        s.turns += 1
        words = len(text.split())
        s.words += words
        if _is_question(text):
            s.questions += 1
        if words <= _CHAIR_MAX_WORDS:
            s.short += 1
            s.chair += _chairs(text, words)
        if n and roles.get(turns[n - 1][0]) == "reporter":
            s.after_reporter += 1
        if n + 1 < len(turns) and roles.get(turns[n + 1][0]) in ("minister",):
            s.before_minister += 1
    return stats


def _chairs(text: str, words: int) -> bool:
    """A short turn that calls on someone or closes the conference."""
    low = text.lower().replace("’", "'")
    return any(p in low for p in _CHAIR_PHRASES) or (
        words <= _OUTLET_CALL_WORDS and _names_outlet(text)
    )


def _chair_who_talks_most(ctx: _RoleContext) -> None:
    """A named "Chair" who talks most, in long turns, is the principal (the Fed's Chair
    Powell), not the chair of the meeting; a "MODERATOR" with no name stays the moderator."""
    total = sum(st.words for st in ctx.stats.values()) or 1
    for key, role in list(ctx.roles.items()):
        s = ctx.stats[key]
        if role != "moderator" or key in ctx.unnamed or not s.turns:
            continue
        if s.words * 2 > total and s.words > 80 * s.turns:
            ctx.roles[key] = "minister"


def _askers_and_answerers(ctx: _RoleContext) -> None:
    """Questions versus answers, and who speaks after whom."""
    for key in ctx.unknown:
        s = ctx.stats[key]
        if not s.turns:
            ctx.roles[key] = "minister"
            continue
        q = s.questions / s.turns
        score = q + 0.5 * s.before_minister / s.turns - 0.5 * s.after_reporter / s.turns
        ctx.roles[key] = "reporter" if score >= 0.5 else "minister"


def _chairs_who_only_call_on_others(ctx: _RoleContext) -> None:
    """Moderators: every turn short, most of them chairing, someone else does the answering
    (a "Cabinet Public Relations Secretary" who only calls on reporters chairs)."""
    roles, stats = ctx.roles, ctx.stats
    for key in list(roles):
        s = stats[key]
        if roles[key] != "minister" or not s.turns or key == OFFICIAL_KEY:
            continue
        talks_more = any(
            r == "minister" and k != key and stats[k].words > s.words for k, r in roles.items()
        )
        if s.short == s.turns and s.chair * 2 > s.turns and talks_more:
            roles[key] = "moderator"


def _called_on_by_a_chair(ctx: _RoleContext) -> None:
    """Whoever a moderator calls on, and who says little next to the officials, is a
    reporter (the Fed's reporters are labelled by name alone, their questions often
    without a question mark)."""
    roles, stats, turns = ctx.roles, ctx.stats, ctx.turns
    moderators = {k for k, r in roles.items() if r == "moderator"}
    if not moderators:
        return
    after_mod: dict[str, int] = {}
    for n in range(1, len(turns)):
        if turns[n - 1][0] in moderators:
            after_mod[turns[n][0]] = after_mod.get(turns[n][0], 0) + 1
    top = max((stats[k].words for k in roles if roles[k] == "minister"), default=0)
    for key in ctx.unknown:
        s = stats[key]
        if (
            roles[key] == "minister"
            and s.turns
            and after_mod.get(key, 0) * 2 >= s.turns
            and s.words * 2 < top
        ):
            roles[key] = "reporter"


def _at_least_one_official(ctx: _RoleContext) -> None:
    """At least one official: the unknown speaker who talks most."""
    if "minister" in ctx.roles.values():
        return
    talkers = [k for k in ctx.unknown if ctx.stats[k].turns]
    if talkers:
        ctx.roles[max(talkers, key=lambda k: ctx.stats[k].words)] = "minister"


_ROLE_RULES: tuple[Callable[[_RoleContext], None], ...] = (
    _chair_who_talks_most,
    _askers_and_answerers,
    _chairs_who_only_call_on_others,
    _called_on_by_a_chair,
    _at_least_one_official,
)


# --- phrases that name an official --------------------------------------------------------

_TITLE_BY = re.compile(r"\bby\s+(?:the\s+)?(.+)$", re.IGNORECASE)
# where a title stops naming its speaker: "... Federica Mogherini upon arrival at ..."
_OCCASION = re.compile(
    r"\s+(?:upon|on|at|in|after|ahead\s+of|before|during|following|to|with|for|from|"
    r"about|regarding|concerning)\s.*$|\s+[-–—|]\s.*$|\s*[(\[].*$",
    re.IGNORECASE,
)
_PHRASE_MAX_WORDS = 8


def person_phrase(phrase: str, *, title_ok: bool = False) -> str | None:
    """`phrase` when it names one person (or, with `title_ok`, one minister by title)."""
    phrase = phrase.strip(" .,:;[]")
    if not phrase or " and " in phrase or " & " in phrase:
        return None
    if len(phrase.split()) > _PHRASE_MAX_WORDS:
        return None
    info = parse_label(phrase)
    if info.kind == "person":
        return phrase
    if title_ok and info.kind == "title" and info.role_hint == "minister":
        return phrase  # "Opening Statement by the Prime Minister"
    return None


def title_person(title: str | None) -> str | None:
    """`Remarks by High Representative/Vice-President Federica Mogherini upon arrival ...`
    -> `High Representative Vice-President Federica Mogherini`: the one official it names."""
    if not title:
        return None
    m = _TITLE_BY.search(title)
    if m is None:
        return None
    phrase = _OCCASION.sub("", m.group(1).replace("/", " "))
    return person_phrase(phrase)


# --- the pass: speakers and roles for the labelled turns ------------------------------------

_NUMBERED_SPEAKER = re.compile(r"^(?:speaker|participant|person|voice)\s*\d{1,3}$", re.IGNORECASE)
_TURN_JOIN = "\n\n"


def attribute(turns: Turns) -> Transcript:
    """Pass 7: one speaker per person, with a display name and a role, for every turn."""
    header = turns.header
    source = header.headings.paragraphs.lines.source
    warnings = [*turns.warnings, *header.warnings]
    drafts = [_speechless(d, source.name, warnings) for d in turns.turns]
    if drafts and not any(d.label or d.who for d in drafts):
        warnings.append(
            f"{source.name}: no speaker labels recognised; the narrator reads the whole text"
        )
    whos = list(dict.fromkeys(d.who for d in drafts if d.who))
    ids = identify(whos, acronyms=defined_acronyms(source.text))
    _answers_by_the_one_official(whos, ids, title_person(header.title))
    drafts = _titles_to_the_last_holder(drafts, ids)
    _numbered_speakers_report(ids)
    spoken, speakers = _speakers_of(drafts, ids)
    return Transcript(
        source=source.name,
        title=header.title,
        held_at=header.held_at,
        location=header.location,
        sections=turns.sections,
        turns=spoken,
        speakers=speakers,
        warnings=tuple(warnings),
        metadata=header.facts + turns.facts,
    )


def _speechless(d: LabelledTurn, source: str, warnings: list[str]) -> LabelledTurn:
    """A label and no speech (a truncated page): its words are kept, read by the narrator."""
    if not d.label or any(d.paras):
        return d
    warnings.append(f"{source}:{d.line}: the label {d.label!r} is followed by no speech")
    return replace(d, paras=(d.label,), label="", who="")


def _numbered_speakers_report(ids: dict[str, Identity]) -> None:
    """Rev's "Speaker 1", "Speaker 2" beside named officials: unnamed reporters."""
    if not any(i.role_hint == "minister" for i in ids.values()):
        return
    for w, ident in list(ids.items()):
        if ident.role_hint is None and _NUMBERED_SPEAKER.match(w):
            ids[w] = Identity(ident.key, ident.name, "reporter")


def _speakers_of(
    drafts: Sequence[LabelledTurn], ids: dict[str, Identity]
) -> tuple[tuple[Turn, ...], tuple[Speaker, ...]]:
    hints: dict[str, Role | None] = {}
    names: dict[str, str] = {}
    unnamed = {i.key for i in ids.values() if not i.named}
    for ident in ids.values():
        if ident.key not in hints or hints[ident.key] is None:
            hints[ident.key] = ident.role_hint
        names.setdefault(ident.key, ident.name)
    seq = [(ids[d.who].key, _TURN_JOIN.join(d.paras)) for d in drafts if d.who]
    roles = assign_roles(hints, seq, unnamed)
    out: list[Turn] = []
    speakers: dict[str, Speaker] = {}
    for d in drafts:
        if d.who:
            key = ids[d.who].key
            role: Role = roles.get(key, "minister")
            speakers.setdefault(key, Speaker(key=key, name=names[key], role=role))
        else:
            key, role = NARRATOR_KEY, "narrator"
            speakers.setdefault(key, Speaker(key=key, name="Narrator", role="narrator"))
        text = _TURN_JOIN.join(p for p in d.paras if p)
        out.append(
            Turn(speaker=key, label=d.label, role=role, section=d.section, text=text, line=d.line)
        )
    return tuple(out), tuple(speakers.values())


def _titles_to_the_last_holder(
    drafts: list[LabelledTurn], ids: dict[str, Identity]
) -> list[LabelledTurn]:
    """`PRIME MINISTER:` in a joint press conference of two prime ministers is the one who
    last spoke under a `PRIME MINISTER <NAME>:` label (PDF transcripts shorten the label)."""
    holders = _title_holders(drafts, ids)
    if not holders:
        return drafts
    last: dict[str, str] = {}  # title-only label -> the last named holder who spoke
    out = []
    for d in drafts:
        for title, named in holders.items():
            if d.who in named:
                last[title] = d.who
        if d.who in holders:
            d = replace(d, who=last.get(d.who, holders[d.who][0]))
        out.append(d)
    return out


def _title_holders(
    drafts: Sequence[LabelledTurn], ids: dict[str, Identity]
) -> dict[str, list[str]]:
    """Title-only minister labels -> the named labels of two or more people holding it, in
    the order they first speak (a title-only label before any of them falls to the first)."""
    holders: dict[str, list[str]] = {}
    labels = list(dict.fromkeys(d.who for d in drafts if d.who))  # in order of appearance
    for who in labels:
        info = parse_label(who)
        if info.kind != "title" or info.role_hint != "minister":
            continue
        want = {t.lower() for t in info.titles}
        named = [
            w for w in labels
            if w != who and parse_label(w).kind == "person"
            and want <= {t.lower() for t in parse_label(w).titles}
        ]  # fmt: skip
        if len({ids[w].key for w in named}) >= 2:
            holders[who] = named
    return holders


def _answers_by_the_one_official(
    whos: list[str], ids: dict[str, Identity], named_in_title: str | None
) -> None:
    """A bare `A:` is the briefer when exactly one official is named (`Spokesperson Lim:`),
    in a label or else in the title (`Press remarks by High Representative Kaja Kallas`)."""
    answers = [w for w in whos if w.strip().rstrip(".").upper() == "A"]  # not "A1", "Answer"
    if not answers:
        return
    officials: dict[str, str] = {}
    for w in whos:
        if w not in answers and ids[w].role_hint == "minister":
            officials.setdefault(ids[w].key, w)
    if len(officials) == 1:
        only = ids[next(iter(officials.values()))]
        for w in answers:
            ids[w] = only
    elif not officials and named_in_title is not None:
        named = identify([named_in_title])[named_in_title]
        for w in answers:
            ids[w] = Identity(named.key, named.name, "minister")
