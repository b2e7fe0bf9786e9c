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
from collections.abc import Sequence
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


def parse_label(label: str) -> LabelInfo:
    """Split a label into honorific, titles, names and outlet, and guess its role."""
    asked = _QUESTION_FROM.match(label.strip())
    if asked is not None:  # "Question from Channel NewsAsia": that outlet's reporter
        return LabelInfo(label, "outlet", (), None, (), asked.group(1).strip(), "reporter")
    if label.strip().rstrip(":").lower() in ("staff", "press staff", "press office staff"):
        # DoD's "STAFF:" calls on reporters and keeps time
        return LabelInfo(label, "title", (), None, (label.strip(),), None, "moderator")
    text, parens = _paren_parts(label)
    role_hint: Role | None = None
    outlet_parts: list[str] = []
    paren_others: list[str] = []  # "(CNA)" beside a name; "(YOTSUMOTO)" beside a title
    paren_titles: list[str] = []
    for p in parens:
        low = p.lower()
        if _TIMESTAMP.match(p):
            continue  # "Matthew Miller (00:00)": a transcription service's time code
        words = [_tok_core(w).lower() for w in p.split()]
        if any(w in MODERATOR_WORDS for w in words):
            role_hint = "moderator"
        elif any(k in low for k in _IGNORED_PARENS) and not any(w in OUTLET_NAMES for w in words):
            continue
        elif any(w in CORE_TITLE_WORDS for w in words) and not _is_outlet_part(p.split()):
            paren_titles.extend(p.split())
        else:
            paren_others.append(p)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    names: list[str] = []
    titles: list[str] = []
    honorific: str | None = None
    anon = False
    part_tokens = [p.split() for p in parts]
    # "NHK, Igarashi" / "Igarashi, XYZ": an unknown short acronym beside a name is the outlet
    acronym_outlet = -1
    if len(parts) == 2:
        for i, toks in enumerate(part_tokens):
            other = part_tokens[1 - i]
            word = toks[0] if len(toks) == 1 else ""
            if (
                not _is_outlet_part(other)
                and not " ".join(other).isupper()
                and word.isupper()
                and 2 <= len(word) <= 6
                and word.isalpha()
                and word.lower() not in TITLE_WORDS
                and word.lower() not in ANON_REPORTER_WORDS
                and not any(_tok_core(t).lower() in CORE_TITLE_WORDS for t in other)
            ):
                acronym_outlet = i
    for i, toks in enumerate(part_tokens):
        if _is_anon_part(toks):
            anon = True
            continue
        if i == acronym_outlet or _is_outlet_part(toks):
            outlet_parts.append(" ".join(toks))
            continue
        after_honorific = False
        last = ""  # what the previous word of this part was: "title" or "name"
        for tok in toks:
            core = _tok_core(tok)
            low = core.lower()
            if not core:
                continue
            if low in HONORIFICS or low + "." in HONORIFICS:
                if low in ("the", "his", "her") and last == "name":
                    names.append(core)
                    continue
                if low in ("the", "his", "her", "excellency"):
                    continue
                if honorific is None:
                    honorific = core + ("." if tok.endswith(".") and not core.endswith(".") else "")
                after_honorific = True
                continue
            if after_honorific and low not in CORE_TITLE_WORDS:
                names.append(core)
                last = "name"
                continue
            if low in CONNECTORS:
                if last == "title":
                    titles.append(core)
                elif last == "name":
                    names.append(core)
                continue
            if low in TITLE_WORDS or low in MODERATOR_WORDS:
                titles.append(core)
                after_honorific = False
                last = "title"
                continue
            names.append(core)
            last = "name"
    titles.extend(_tok_core(t) for t in paren_titles if _tok_core(t))
    for p in paren_others:
        toks = p.split()
        # a title with the holder's name in brackets: CABINET PUBLIC RELATIONS SECRETARY (YOTSUMOTO)
        if titles and not names and not anon and len(toks) <= 3 and not _is_outlet_part(toks):
            names.extend(_tok_core(t) for t in toks if _tok_core(t))
        else:
            outlet_parts.append(p)
    # connectors dangling at the end ("Minister for") belong to nothing
    while titles and titles[-1].lower() in CONNECTORS:
        titles.pop()
    while names and names[-1].lower() in CONNECTORS:
        names.pop()
    title_words = {t.lower() for t in titles}
    low_label = label.strip().lower()
    outlet = ", ".join(outlet_parts) or None
    if low_label.rstrip("0123456789 ") in ANSWER_WORDS:
        return LabelInfo(label, "answer", (), None, (), None, "minister")
    if anon and not names:
        return LabelInfo(label, "anon", (), None, (), outlet, "reporter")
    if role_hint is None:
        if title_words & MODERATOR_WORDS:
            role_hint = "moderator"
        elif outlet or anon or "correspondent" in title_words:
            role_hint = "reporter"
        elif title_words & CORE_TITLE_WORDS:
            role_hint = "minister"
    kind: LabelKind = "person" if names else "outlet" if outlet else "title"
    return LabelInfo(label, kind, tuple(names), honorific, tuple(titles), outlet, role_hint)


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
    clusters: list[_Cluster] = []
    by_label: dict[str, _Cluster] = {}
    token_index: dict[str, list[_Cluster]] = {}
    anon = _Cluster(key=REPORTER_KEY, name="Reporter", role_hint="reporter")
    answer = _Cluster(key=OFFICIAL_KEY, name="Official", role_hint="minister")
    outlets: dict[str, _Cluster] = {}
    titles_only: list[LabelInfo] = []
    for label in labels:
        if label in by_label:
            continue
        info = parse_label(label)
        if info.kind == "anon":
            anon.add(info)
            by_label[label] = anon
            continue
        if info.kind == "answer":
            answer.add(info)
            by_label[label] = answer
            continue
        if info.kind == "outlet":
            okey = _fold(info.outlet or label)
            cl = outlets.get(okey)
            if cl is None:
                cl = outlets[okey] = _Cluster()
                clusters.append(cl)
            cl.add(info)
            by_label[label] = cl
            continue
        if info.kind == "title":
            titles_only.append(info)
            continue
        form = info.name_keys
        best: _Cluster | None = None
        best_overlap = 0
        seen: set[int] = set()
        for tok in form:
            for cl in token_index.get(tok, ()):
                if id(cl) in seen:
                    continue
                seen.add(id(cl))
                if not _roles_compatible(cl.role_hint, info.role_hint):
                    continue
                for f in cl.forms:
                    if _forms_match(form, f):
                        overlap = len(set(form) & set(f))
                        if overlap > best_overlap:
                            best, best_overlap = cl, overlap
                        break
        if best is None:
            best = _Cluster()
            clusters.append(best)
        best.add(info)
        for tok in form:
            lst = token_index.setdefault(tok, [])
            if best not in lst:
                lst.append(best)
        by_label[label] = best
    # a title-only label ("Minister", "PRIME MINISTER") is the one named person with that title
    title_clusters: dict[str, _Cluster] = {}
    # longer titles first, so that "Minister" can join "Minister for Foreign Affairs"
    titles_only.sort(key=lambda i: -len(_core_titles(i)))
    moderator: _Cluster | None = None
    for info in titles_only:
        core = _core_titles(info)
        if info.role_hint == "moderator":
            # one chair per conference: "MODERATOR" and "... SECRETARY (MODERATOR)" alike
            if moderator is None:
                moderator = _Cluster()
                clusters.append(moderator)
            moderator.add(info)
            by_label[info.label] = moderator
            continue
        matches = [
            cl
            for cl in clusters
            if cl.forms
            and core
            and core <= cl.title_words
            and _roles_compatible(cl.role_hint, info.role_hint)
        ]
        if len(matches) == 1 and core & (CORE_TITLE_WORDS | MODERATOR_WORDS):
            matches[0].add(info)
            by_label[info.label] = matches[0]
            continue
        tkey = " ".join(sorted(core)) or _fold(info.label)
        wider = [
            c
            for k, c in title_clusters.items()
            if core
            and core < set(k.split())
            and not (set(k.split()) - core) & _RANK_WORDS
            and c.role_hint == "minister"
        ]
        if tkey not in title_clusters and len(wider) == 1 and info.role_hint == "minister":
            wider[0].add(info)
            by_label[info.label] = wider[0]
            continue
        cl = title_clusters.get(tkey)
        if cl is None:
            cl = title_clusters[tkey] = _Cluster()
            clusters.append(cl)
        cl.add(info)
        by_label[info.label] = cl
    used: set[str] = {REPORTER_KEY, OFFICIAL_KEY, NARRATOR_KEY}
    for cl in clusters:
        cl.key = _unique(_cluster_key(cl), used)
        cl.name = _display_name(cl, acronyms)
    return {label: Identity(cl.key, cl.name, cl.role_hint) for label, cl in by_label.items()}


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
    """KAMIKAWA -> Kamikawa, JEAN-PIERRE -> Jean-Pierre; acronyms and mixed case unchanged."""
    low = token.lower()
    if low.rstrip(".") in _HONORIFIC_CANON:
        return _HONORIFIC_CANON[low.rstrip(".")]
    if not token.isupper() or len(token) < 2 or low.rstrip(".") in (_ACRONYMS | acronyms):
        return token
    if low in CONNECTORS:
        return low
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), low)


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
    hints: dict[str, Role | None], turns: Sequence[tuple[str, str]]
) -> dict[str, Role]:
    """Roles for every speaker key, given label hints and the (key, text) turn sequence.

    Label words decide where they speak; otherwise behaviour: a speaker whose turns are
    mostly questions, or who asks after officials answer, is a reporter; one whose turns
    are all short and call on others or close the conference is a moderator; the rest are
    officials (ministers).
    """
    roles: dict[str, Role] = {k: r for k, r in hints.items() if r is not None}
    unknown = [k for k, r in hints.items() if r is None]
    stats = {k: _Stats() for k in hints}
    for n, (key, text) in enumerate(turns):
        if key not in stats:
            continue
        s = stats[key]
        s.turns += 1
        words = len(text.split())
        s.words += words
        low = text.lower().replace("’", "'")
        if _is_question(text):
            s.questions += 1
        if words <= _CHAIR_MAX_WORDS:
            s.short += 1
            if any(p in low for p in _CHAIR_PHRASES) or (
                words <= _OUTLET_CALL_WORDS and _names_outlet(text)
            ):
                s.chair += 1
        if n and roles.get(turns[n - 1][0]) == "reporter":
            s.after_reporter += 1
        if n + 1 < len(turns) and roles.get(turns[n + 1][0]) in ("minister",):
            s.before_minister += 1
    # a "Chair" who talks most, in long turns, is the principal (the Fed's Chair Powell),
    # not the chair of the meeting
    total = sum(st.words for st in stats.values()) or 1
    for key, role in list(roles.items()):
        s = stats[key]
        if role == "moderator" and s.turns and s.words * 2 > total and s.words > 80 * s.turns:
            roles[key] = "minister"
    # first pass: questions versus answers
    for key in unknown:
        s = stats[key]
        if not s.turns:
            roles[key] = "minister"
            continue
        q = s.questions / s.turns
        score = q + 0.5 * s.before_minister / s.turns - 0.5 * s.after_reporter / s.turns
        roles[key] = "reporter" if score >= 0.5 else "minister"
    # moderators: every turn short, most of them chairing, someone else does the answering
    # (a "Cabinet Public Relations Secretary" who only calls on reporters chairs)
    for key in list(roles):
        s = stats[key]
        if roles[key] != "minister" or not s.turns or key == OFFICIAL_KEY:
            continue
        talks_more = any(
            r == "minister" and k != key and stats[k].words > s.words for k, r in roles.items()
        )
        if s.short == s.turns and s.chair * 2 > s.turns and talks_more:
            roles[key] = "moderator"
    # whoever a moderator calls on, and who says little next to the officials, is a
    # reporter (the Fed's reporters are labelled by name alone, their questions often
    # without a question mark)
    moderators = {k for k, r in roles.items() if r == "moderator"}
    if moderators:
        after_mod: dict[str, int] = {}
        for n in range(1, len(turns)):
            if turns[n - 1][0] in moderators:
                after_mod[turns[n][0]] = after_mod.get(turns[n][0], 0) + 1
        top = max((stats[k].words for k in roles if roles[k] == "minister"), default=0)
        for key in unknown:
            s = stats[key]
            if (
                roles[key] == "minister"
                and s.turns
                and after_mod.get(key, 0) * 2 >= s.turns
                and s.words * 2 < top
            ):
                roles[key] = "reporter"
    # at least one official: the unknown speaker who talks most
    if "minister" not in roles.values():
        talkers = [k for k in unknown if stats[k].turns]
        if talkers:
            roles[max(talkers, key=lambda k: stats[k].words)] = "minister"
    return roles


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
    for ident in ids.values():
        if ident.key not in hints or hints[ident.key] is None:
            hints[ident.key] = ident.role_hint
        names.setdefault(ident.key, ident.name)
    seq = [(ids[d.who].key, _TURN_JOIN.join(d.paras)) for d in drafts if d.who]
    roles = assign_roles(hints, seq)
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
    """Title-only minister labels -> the named labels of two or more people holding it."""
    holders: dict[str, list[str]] = {}
    for who in {d.who for d in drafts if d.who}:
        info = parse_label(who)
        if info.kind != "title" or info.role_hint != "minister":
            continue
        want = {t.lower() for t in info.titles}
        named = [
            w for w in {d.who for d in drafts if d.who}
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
