"""Names said the way they are said: romanised Japanese and Chinese names read by rule.

English speech engines read "Motegi" and "Hayashi" as English spellings ("Motkey",
"Keyashi"). Romanised Japanese (Hepburn) and Chinese (pinyin) are regular, so a token that
parses fully as either, and that the transcript marks as a name, is read by rule as
phonemes. Which tokens are names: those in speaker labels and names, surnames written in
capitals ("KAMIKAWA Yoko", and the given name after one), a capitalised word after a title
("Foreign Minister Motegi"), longer Hepburn words in a transcript about Japan
("Fukushima"), and a common Chinese surname followed by a pinyin given name ("Mao Ning",
"Xi Jinping").

Phonemes are written as each engine takes them: eSpeak NG's own ASCII phonemes in
`[[...]]` for eSpeak, IPA in `[[...]]` for Piper (which feeds a `[[...]]` block to its
model as raw IPA). The result is a Lexicon of aliases to lay *under* the publisher's
lexicon, so an entry in voices/lexicon.toml always wins over a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pressaudio.model import Transcript
from pressaudio.speech.lexicon import Alias, Lexicon

__all__ = ["hepburn", "name_lexicon", "phonemes", "pinyin"]

# A phoneme is (eSpeak ASCII, IPA). A syllable is (onset phonemes, nucleus phonemes, coda).
Phone = tuple[str, str]
Syllable = tuple[tuple[Phone, ...], tuple[Phone, ...], tuple[Phone, ...]]

_C: dict[str, tuple[Phone, ...]] = {
    "k": (("k", "k"),), "g": (("g", "ɡ"),), "s": (("s", "s"),), "z": (("z", "z"),),
    "t": (("t", "t"),), "d": (("d", "d"),), "n": (("n", "n"),), "h": (("h", "h"),),
    "f": (("f", "f"),), "m": (("m", "m"),), "y": (("j", "j"),), "r": (("r", "ɹ"),),
    "w": (("w", "w"),), "b": (("b", "b"),), "p": (("p", "p"),), "l": (("l", "l"),),
    "sh": (("S", "ʃ"),), "ch": (("tS", "tʃ"),), "j": (("dZ", "dʒ"),), "ts": (("ts", "ts"),),
}  # fmt: skip

# --- Hepburn ------------------------------------------------------------------------------

_JA_VOWELS: dict[str, tuple[Phone, ...]] = {
    "a": (("A:", "ɑː"),), "i": (("i:", "iː"),), "u": (("u:", "uː"),), "e": (("E", "ɛ"),),
    "o": (("oU", "oʊ"),), "ou": (("oU", "oʊ"),), "oo": (("oU", "oʊ"),), "ō": (("oU", "oʊ"),),
    "uu": (("u:", "uː"),), "ū": (("u:", "uː"),), "ei": (("eI", "eɪ"),), "ai": (("aI", "aɪ"),),
    "aa": (("A:", "ɑː"),), "oh": (("oU", "oʊ"),), "ā": (("A:", "ɑː"),), "ii": (("i:", "iː"),),
}  # fmt: skip
_JA_ONSETS = "ky gy sh ch ts ny hy my ry by py j k g s z t d n h f m y r w b p".split()  # noqa: SIM905 (longest first)
_JA_FORBIDDEN = {"si", "ti", "tu", "hu", "zi", "di", "du", "wi", "we", "wu", "yi", "ye", "wo"}
_JA_SYLLABLE = re.compile(
    r"(?P<gem>k(?=k)|s(?=s)|t(?=t)|p(?=p)|g(?=g)|d(?=d)|b(?=b)|z(?=z)|t(?=ch))?"
    r"(?P<onset>" + "|".join(_JA_ONSETS) + r")?"
    r"(?P<vowel>oh(?![aiueo])|ou|oo|uu|ei|ai|aa|ii|[aiueoōūā])"
    r"|(?P<n>n(?![aiueoy]))"
)


def _parse_ja(word: str) -> list[Syllable] | None:
    w = word.lower().replace("-", "")
    out: list[Syllable] = []
    at = 0
    while at < len(w):
        m = _JA_SYLLABLE.match(w, at)
        if m is None or m.end() == at:
            return None
        if m.group("n"):
            if not out:
                return None
            before, nucleus, coda = out[-1]
            out[-1] = (before, nucleus, coda + _C["n"])
        else:
            gem = m.group("gem")
            if gem and m.group("onset") and not m.group("onset").startswith(gem[0]):
                return None
            onset_letters = m.group("onset") or ""
            if onset_letters + m.group("vowel")[0] in _JA_FORBIDDEN:
                return None
            onset: tuple[Phone, ...] = ()
            if onset_letters:
                if len(onset_letters) == 2 and onset_letters[1] == "y" and onset_letters != "ny":
                    onset = _C[onset_letters[0]] + _C["y"]
                elif onset_letters == "ny":
                    onset = _C["n"] + _C["y"]
                else:
                    onset = _C[onset_letters]
            out.append((onset, _JA_VOWELS[m.group("vowel")], ()))
        at = m.end()
    return out


def hepburn(word: str) -> list[Syllable] | None:
    """The syllables of a romanised Japanese word, or None if it is not one."""
    if not word.isalpha() or len(word) < 2:
        return None
    syllables = _parse_ja(word)
    if not syllables:
        return None
    return syllables


# --- pinyin -------------------------------------------------------------------------------

_PY_INITIALS = "zh ch sh b p m f d t n l g k h j q x r z c s y w".split()  # noqa: SIM905
_PY_INITIAL: dict[str, tuple[Phone, ...]] = {
    **{k: v for k, v in _C.items() if k in _PY_INITIALS},
    "zh": (("dZ", "dʒ"),), "ch": (("tS", "tʃ"),), "sh": (("S", "ʃ"),), "j": (("dZ", "dʒ"),),
    "q": (("tS", "tʃ"),), "x": (("S", "ʃ"),), "r": (("r", "ɹ"),), "z": (("dz", "dz"),),
    "c": (("ts", "ts"),),
}  # fmt: skip
_PY_FINALS: dict[str, tuple[tuple[Phone, ...], tuple[Phone, ...]]] = {
    # final: (nucleus, coda)
    "a": ((("A:", "ɑː"),), ()), "o": ((("O:", "ɔː"),), ()), "e": ((("@", "ə"),), ()),
    "i": ((("i:", "iː"),), ()), "u": ((("u:", "uː"),), ()), "ai": ((("aI", "aɪ"),), ()),
    "ei": ((("eI", "eɪ"),), ()), "ao": ((("aU", "aʊ"),), ()), "ou": ((("oU", "oʊ"),), ()),
    "an": ((("A", "ɑ"),), _C["n"]), "en": ((("@", "ə"),), _C["n"]),
    "ang": ((("A:", "ɑː"),), (("N", "ŋ"),)), "eng": ((("@", "ə"),), (("N", "ŋ"),)),
    "ong": ((("U", "ʊ"),), (("N", "ŋ"),)), "er": ((("A@", "ɑɹ"),), ()),
    "ia": ((("j", "j"), ("A:", "ɑː")), ()), "ie": ((("j", "j"), ("E", "ɛ")), ()),
    "iao": ((("j", "j"), ("aU", "aʊ")), ()), "iu": ((("j", "j"), ("oU", "oʊ")), ()),
    "ian": ((("j", "j"), ("E", "ɛ")), _C["n"]), "in": ((("I", "ɪ"),), _C["n"]),
    "iang": ((("j", "j"), ("A:", "ɑː")), (("N", "ŋ"),)), "ing": ((("I", "ɪ"),), (("N", "ŋ"),)),
    "iong": ((("j", "j"), ("U", "ʊ")), (("N", "ŋ"),)),
    "ua": ((("w", "w"), ("A:", "ɑː")), ()), "uo": ((("w", "w"), ("O:", "ɔː")), ()),
    "uai": ((("w", "w"), ("aI", "aɪ")), ()), "ui": ((("w", "w"), ("eI", "eɪ")), ()),
    "uan": ((("w", "w"), ("A", "ɑ")), _C["n"]), "un": ((("w", "w"), ("@", "ə")), _C["n"]),
    "uang": ((("w", "w"), ("A:", "ɑː")), (("N", "ŋ"),)), "ue": ((("w", "w"), ("E", "ɛ")), ()),
    "ve": ((("w", "w"), ("E", "ɛ")), ()), "ü": ((("u:", "uː"),), ()),
}  # fmt: skip
_PY_SYLLABLE = re.compile(
    r"(?P<initial>" + "|".join(_PY_INITIALS) + r")?"
    r"(?P<final>" + "|".join(sorted(_PY_FINALS, key=len, reverse=True)) + r")"
    r"(?![aeiouü])"
)
_RETROFLEX_I = {"zh", "ch", "sh", "r", "z", "c", "s"}  # "shi", "zi": a buzzed vowel


def _valid_pinyin(initial: str, final: str) -> bool:
    if initial in ("j", "q", "x") and final[0] not in "iuü":
        return False
    if initial in ("zh", "ch", "sh", "r", "z", "c", "s", "g", "k", "h") and final.startswith("i"):
        return final == "i"  # only the buzzed "zhi", "shi", "si"...
    if initial in ("y", "w") and final in ("i", "u") and not initial:
        return True
    if not initial and final[0] in "iu" and len(final) > 1:
        return False  # written with y- or w- in pinyin
    return not (initial == "w" and final.startswith("u"))


def _parse_pinyin(word: str) -> list[Syllable] | None:
    w = word.lower().replace("'", "").replace("’", "")
    out: list[Syllable] = []
    at = 0
    while at < len(w):
        best: list[Syllable] | None = None
        for m in _candidates(w, at):
            rest = _parse_pinyin(w[m.end() :]) if m.end() < len(w) else []
            if rest is not None:
                best = [_py_syllable(m.group("initial") or "", m.group("final")), *rest]
                break
        return best
    return out


def _candidates(w: str, at: int) -> list[re.Match[str]]:
    found = []
    for initial in [*_PY_INITIALS, ""]:
        if not w.startswith(initial, at):
            continue
        for final in sorted(_PY_FINALS, key=len, reverse=True):
            start = at + len(initial)
            if w.startswith(final, start) and _valid_pinyin(initial, final):
                m = _PY_SYLLABLE.match(w[: start + len(final)], at)
                if m and m.end() == start + len(final) and (m.group("initial") or "") == initial:
                    found.append(m)
    return found


def _py_syllable(initial: str, final: str) -> Syllable:
    onset = _PY_INITIAL.get(initial, ())
    nucleus, coda = _PY_FINALS[final]
    if final == "i" and initial in _RETROFLEX_I:
        nucleus = (("@", "ə"),) if initial in ("z", "c", "s") else (("3:", "ɜː"),)
    if initial in ("j", "q", "x", "y") and final in ("u", "ue", "un", "uan"):  # ü
        nucleus = (("u:", "uː"),) + (nucleus[1:] if final in ("ue", "uan") else ())
    if initial == "y" and final.startswith("i"):
        onset = ()
    return onset, nucleus, coda


@lru_cache(maxsize=4096)
def pinyin(word: str) -> list[Syllable] | None:
    """The syllables of a pinyin word (a name: "Jinping", "Mao", "Keqiang"), or None."""
    if not word.isalpha() or not word.isascii() or len(word) < 2 or len(word) > 12:
        return None
    return _parse_pinyin(word)


# --- phonemes -----------------------------------------------------------------------------


def phonemes(syllables: list[Syllable], engine: str, *, stress: int | None = None) -> str:
    """`[[...]]` for `engine`: eSpeak's ASCII phonemes, or IPA for Piper."""
    index = 1 if engine == "piper" else 0
    n = len(syllables)
    if stress is None:
        stress = max(n - 2, 0)  # the next-to-last syllable, as English speakers say them
    parts = []
    for i, (onset, nucleus, coda) in enumerate(syllables):
        # the stress mark goes before the vowel, where eSpeak NG's own IPA (which Piper's
        # voices were trained on) puts it
        mark = ("ˈ" if index else "'") if i == stress and n > 1 else ""
        glide = tuple(p for p in nucleus if p[0] in ("j", "w"))
        vowel = nucleus[len(glide) :]
        parts.append(
            "".join(p[index] for p in (*onset, *glide))
            + mark
            + "".join(p[index] for p in (*vowel, *coda))
        )
    return "[[" + "".join(parts) + "]]"


# --- which words are names ----------------------------------------------------------------

# Common Chinese surnames in pinyin: one of these before a pinyin given name is a name.
CHINESE_SURNAMES = frozenset(
    """
    wang li zhang liu chen yang zhao huang zhou wu xu sun hu zhu gao lin he guo ma luo liang
    song zheng xie han tang feng yu dong xiao cheng cao yuan deng fu shen zeng peng su lu jiang
    cai jia ding wei xue ye yan pan du dai xia zhong tian ren fan fang shi yao tan liao zou
    xiong jin hao kong bai cui kang mao qiu qin gu hou shao meng long wan duan lei qian yin yi
    chang qiao lai gong wen xi hua geng mu niu
    """.split()  # noqa: SIM905
)
# Capitalised English words and names that also parse as Hepburn or pinyin.
_NOT_NAMES = frozenset(
    """
    a an the i in on no so to go do be he we me my by may make made same name take came game
    time home hope rose more some come done gone one none zone tone bone note vote wide side
    tide ride hide ride dime mine fine line nine pine wine shine here there where were mere
    sure pure cure due sue use rule june tube cube nose pose those hose dose role pole hole
    mole sole tame fame lame date fate gate hate kate late mate rate pane sane wane bane cane
    biden rubio mike joe dana maria nina anna sara rosa erika monika romano moreno mario jose
    obama panama sudan kenya nigeria samoa tonga tobago congo togo monaco morocco oman iran
    japan korea taiwan china maui bahamas tokyo gaza hamas sahara sierra one two ten men hen
    pen den ban can fan man pan ran tan van wan hang bang gang sang long song tong ding king
    ring sing wing thing bing ming ping he she shed ten tin bin pin sin win gin hi her him his
    hum mum sum gum bun fun gun nun pun run sun tun hug mug rug tug dug but cut gut hut nut put
    rut also and any are as at by for from has have into is it its of or our out see than that
    then this was who will with you your can cannot china india minister secretary president
    premier chief cabinet press conference prime general mr mrs ms dr sir madam today
    arizona montana dakota minnesota sonoma tacoma anita rita tina sonia monica sofia tamara
    karine marine aide before guinea papua hon donna shapiro bureau nairu kaja kishi
    """.split()  # noqa: SIM905
)
_TITLES = re.compile(
    r"\b(?:Minister|Secretary|President|Premier|Ambassador|Governor|Mayor|Chancellor|"
    r"Spokesperson|Spokesman|Spokeswoman|Senator|Director|Director-General|Chairman|Chair|"
    r"Envoy|Counselor|Mr|Ms|Mrs|Dr|Madam|Mister|Emperor|Empress|Prince|Princess|Deputy|"
    r"Vice|Chief|Commissioner|General|Admiral|Consul|Counsellor|Professor)\.?\s+"
    r"(?P<name>[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?P<given>[A-Z][a-z]+))?"
)
_CAPS_NAME = re.compile(r"\b(?P<name>[A-Z]{3,})(?:\s+(?P<given>[A-Z][a-z]+))?\b")
_WORD = re.compile(r"[A-Za-zōūā]+")
_CAPITALISED = re.compile(r"\b[A-Z][a-zōūā]{3,}\b")
_SURNAME_GIVEN = re.compile(r"\b([A-Z][a-z]{0,5})\s+([A-Z][a-z]{1,10})(?:-([a-z]{2,6}))?\b")
_JAPAN = re.compile(r"\bJapan(?:ese)?\b")
_CHINA = re.compile(r"\b(?:China|Chinese|Beijing)\b")


def _japanese(word: str, *, strict: bool = True) -> bool:
    """Is `word` shaped like a romanised Japanese name? `strict`: it ends in a, i, o or u
    (not in -e or -n, as "Chinese", "Europe", "Korean", "Benjamin" do)."""
    w = word.lower()
    if w in _NOT_NAMES or re.search("ea|ia|ie|eo|oa|au", w) or hepburn(word) is None:
        return False
    return not strict or w[-1] in "aiou"


def _chinese(word: str) -> bool:
    return word.lower() not in _NOT_NAMES and pinyin(word) is not None


def _label_words(transcript: Transcript) -> Iterable[str]:
    for s in transcript.speakers:
        yield from _WORD.findall(s.name)
    for t in transcript.turns:
        yield from _WORD.findall(t.label)


def find_names(transcript: Transcript) -> tuple[dict[str, str], ...]:
    """(Japanese names, Chinese names): each a {spelling: kind} of the tokens to read by rule."""
    text = " ".join(t.text for t in transcript.turns)
    head = " ".join(filter(None, (transcript.title, *transcript.sections)))
    everything = head + " " + text
    japan = bool(_JAPAN.search(everything)) or any(_japanese(w) for w in _label_words(transcript))
    china = bool(_CHINA.search(everything))
    ja: set[str] = set()
    zh: set[str] = set()

    for w in _label_words(transcript):
        if japan and len(w) >= 4 and w[0].isupper() and _japanese(w, strict=False):
            ja.add(w)
    # Chinese: a common surname and a pinyin given name, in labels or the text
    for source in (" ".join(_label_words(transcript)), head, text):
        for m in _SURNAME_GIVEN.finditer(source):
            surname, given = m.group(1), m.group(2) + (m.group(3) or "")
            if (
                surname.lower() in CHINESE_SURNAMES
                and pinyin(surname)
                and pinyin(given)
                and given.lower() not in _NOT_NAMES
                and (china or m.group(3) is None)
            ):
                zh.update({surname, m.group(2)})
    for m in _CAPS_NAME.finditer(everything):  # "KAMIKAWA Yoko", "Minister HAYASHI"
        if japan and len(m.group("name")) >= 4 and _japanese(m.group("name"), strict=False):
            ja.add(m.group("name"))
            given = m.group("given")
            if given and _japanese(given, strict=False):
                ja.add(given)
    if japan:
        for m in _TITLES.finditer(everything):  # "Foreign Minister Motegi", "Mr. Osuga"
            for g in ("name", "given"):
                w = m.group(g)
                if w and _japanese(w, strict=not w.isupper()) and len(w) >= 4 and w not in zh:
                    ja.add(w)
        for w in _CAPITALISED.findall(everything):  # places: "Fukushima", "Hokkaido"
            syllables = hepburn(w)
            if syllables and len(syllables) >= 3 and _japanese(w) and w not in zh:
                ja.add(w)
    return {w: "ja" for w in ja}, {w: "zh" for w in zh}


def name_lexicon(transcript: Transcript, engine: str, lexicon: Lexicon | None = None) -> Lexicon:
    """Aliases that read the transcript's Japanese and Chinese names by rule, for `engine`;
    a word that `lexicon` mentions in any letter case is left to it."""
    if engine not in ("espeak", "piper"):
        return Lexicon()
    known = {g.lower() for g in lexicon.graphemes()} if lexicon else set()
    japanese, chinese = find_names(transcript)
    japanese = {w: k for w, k in japanese.items() if w.lower() not in known}
    chinese = {w: k for w, k in chinese.items() if w.lower() not in known}
    aliases: dict[str, str] = {}
    for w in sorted(japanese):
        syllables = hepburn(w)
        if syllables:
            aliases.setdefault(w.capitalize(), phonemes(syllables, engine))
    for w in sorted(chinese):
        syllables = pinyin(w)
        if syllables:  # Chinese names: each syllable its own beat, the first stressed
            aliases.setdefault(w.capitalize(), phonemes(syllables, engine, stress=0))
    return Lexicon(aliases=tuple(Alias(g, say, ignore_case=True) for g, say in aliases.items()))
