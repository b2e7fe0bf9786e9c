"""Speaker labels: `Name:` at the start of a line, White House `Q` without a colon.

`match_label()` looks at one line and says whether it *could* start with a speaker label
(its syntax and shape: few words, capitalised or upper case, no sentence punctuation, not a
metadata key like `Date:` or `Main topics:`). Whether it *is* one also depends on the line's
position and on whether the label recurs; the parser decides that with `LabelMatch.strong`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pressaudio.english import FORMS_OF_ADDRESS, wordset

__all__ = [
    "ANON_REPORTER_WORDS",
    "ANSWER_WORDS",
    "CONNECTORS",
    "HONORIFICS",
    "MODERATOR_WORDS",
    "OUTLET_NAMES",
    "OUTLET_WORDS",
    "TITLE_WORDS",
    "LabelMatch",
    "match_label",
    "words_of",
]


# --- vocabularies (lower case) ------------------------------------------------------------

# what a label may put before a name: the forms of address (pressaudio.english, shared with
# the normaliser) and the articles of "His Excellency", "the Hon." ("he." is "H.E." cut short)
HONORIFICS = FORMS_OF_ADDRESS | wordset("he. his her the")
# words of official titles; a label made of these (plus names) is an official
TITLE_WORDS = wordset(
    "minister ministers prime deputy vice chief cabinet secretary secretaries spokesperson "
    "spokesman spokeswoman spokespeson spokespersons official officials senior administration "
    "president president-elect premier chancellor ambassador director director-general "
    "directors admiral general gen. gen adm. adm coordinator advisor adviser governor mayor "
    "commissioner envoy representative briefer aide king queen prince princess crown sheikh "
    "emir taoiseach tánaiste pm dpm fm mp senator congressman congresswoman leader "
    "administrator attorney counselor counsellor undersecretary under-secretary under "
    "secretary-general assistant special officer head chairman chairwoman chairperson "
    "commander colonel captain lieutenant sergeant major chancellor justice press foreign "
    "state affairs defense defence national security council communications strategic "
    "public relations parliamentary nsc white house department ministry office embassy "
    "government home finance trade economy economic health interior treasury homeland "
    "policy staff executive principal deputy-chief chief-of-staff consul consul-general "
    "treasurer chief-executive mayor-elect governor-general attorney-general "
    "high commissioner vice-minister vice-president state-minister"
)
# title words strong enough on their own to make a label an official
CORE_TITLE_WORDS = wordset(
    "minister ministers secretary spokesperson spokesman spokeswoman spokespersons official "
    "officials president president-elect premier chancellor ambassador director "
    "director-general admiral general coordinator advisor adviser governor mayor "
    "commissioner envoy representative briefer aide king queen prince princess sheikh emir "
    "taoiseach tánaiste pm dpm fm senator congressman congresswoman administrator attorney "
    "counselor counsellor undersecretary under-secretary secretary-general officer chairman "
    "chairwoman chairperson commander colonel captain lieutenant consul consul-general "
    "vice-minister vice-president state-minister leader treasurer governor-general "
    "attorney-general"
)
MODERATOR_WORDS = wordset(
    "moderator moderators mc emcee host facilitator operator announcer compère compere "
    "master-of-ceremonies chair vorsitz"
)
# a label made only of these is an anonymous reporter
ANON_REPORTER_WORDS = wordset(
    "q q. question questions reporter reporters journalist journalists correspondent "
    "correspondents questioner press media audience member members participant "
    "unidentified unknown male female another off-mic inaudible follow-up followup voice "
    "voices crowd from the floor a an "
    "frage fragen journalist journalistin journaliste pregunta periodista domanda "
    "giornalista vraag pergunta jornalista"
)
ANON_REPORTER_CORE = wordset(
    "q q. question reporter reporters journalist journalists correspondent correspondents "
    "questioner press media audience participant "
    "frage fragen journalistin journaliste pregunta periodista domanda giornalista vraag "
    "pergunta jornalista"
)
ANSWER_WORDS = wordset(
    "a a. answer answers response antwort réponse respuesta risposta antwoord resposta"
)
OUTLET_WORDS = wordset(
    "news tv television times post daily shimbun tsushin agency radio broadcasting "
    "broadcast broadcaster network journal tribune herald channel magazine gazette ilbo "
    "wire press-trust newspaper review weekly observer telegraph chronicle express mirror "
    "mail sun star standard globe courier monitor dispatch examiner inquirer bulletin "
    "report reports insider paper media group correspondent outlet newswire"
)
OUTLET_NAMES = wordset(
    "afp ap reuters bloomberg cnn cnbc bbc nhk cctv cgtn cna abc cbs nbc fox npr pbs kyodo jiji "
    "nikkei yomiuri mainichi asahi sankei tokyo xinhua tass ria yonhap efe ansa dpa "
    "jazeera phoenix guardian economist politico axios newsmax oan wion ani pti ians tbs "
    "ntv sputnik bernama antara vna kbs mbc sbs arirang rthk scmp cbc ctv rte sky itv "
    "france24 dw rfi anadolu trt irna wafa lusa msnbc c-span cspan wsj ft wapo nyt "
    "bfm lci tf1 rai zdf ard orf srf nos vrt rtp tvb hkej now i-cable cable ettoday cts "
    "ttv pts setn tvbs ftv udn ltn cnr crc cri dragon shenzhen hubei beijing global "
    "prensa latina sana presstv mehr fars isna tasnim ndtv doordarshan prasar dd zee "
    "aaj republic hindustan hindu indian express statesman telegraph kompas tempo "
    "straits lianhe zaobao inquirer rappler abs-cbn gma vietnamplus tuoi tre thanh nien "
    "kommersant izvestia interfax ukrinform unian pap ctk mti agerpres bta hina tanjug "
    "ekathimerini skai ert anatolia sabah hurriyet daily-sabah gulf khaleej emirates wam "
    "spa kuna qna mena ahram yna hankyoreh chosun joongang dong-a kookmin "
    "newsis news1 jtbc ytn mbn channel-a tv-asahi fuji nippon tv-tokyo"
)
CONNECTORS = wordset(
    "of for the and to on at in de del della der den di du la le van von da das dos do "
    "bin binti bint ibn al el y e und zu ter ten af av"
)
_NOT_SPEAKERS = wordset(
    "date dates time place venue location where when main topic topics subject subjects "
    "agenda note notes editor editor's editors source sources summary background update "
    "updated updates correction corrections tags tag title titles category categories "
    "keywords keyword related attachment attachments photo photos picture video videos "
    "audio transcript transcripts link links contents table posted published opening "
    "closing introduction introductory announcement announcements remarks statement "
    "statements questions q&a q&as part section chapter item items also however therefore "
    "first second third fourth fifth finally lastly today yesterday tomorrow quote unquote "
    "example examples warning caution important reminder attention yes no okay ok well so "
    "and but or because now then here there this that these those it we i you they he "
    "she our my his her their what why how who which if please thanks thank again "
    "meanwhile in on at for to with as by from after before during since under result "
    "results key bottom line point points fact facts reality ps re fyi https http www "
    "mailto tel fax phone email e-mail web website url address step steps option options "
    "day days week month year morning afternoon evening tonight "
    "monday tuesday wednesday thursday friday saturday sunday "
    "january february march april june july august september october november december "
    "total sum figure figures chart map image caption credit credits read watch listen "
    "see also download print share follow subscribe contact tel. fig. no. vol. p. pp. "
    "ref ref. cf. e.g. i.e. n.b. nb rsvp presenter presenters participants speakers "
    "attendees guests panelists panellists location venue"
)
_META_KEYS = wordset("date dates time place venue location where when")
_CONTACT_KEYS = frozenset(
    (
        "contact",
        "contacts",
        "media contact",
        "media contacts",
        "media enquiries",
        "media inquiries",
        "press contact",
        "press enquiries",
        "press inquiries",
    )
)
_ALLOWED_PUNCT = frozenset(" .,()[]-'’&/‐–")
_LABEL_MAX_CHARS = 90
_LABEL_MAX_WORDS = 10

# a label: up to 90 characters with no sentence punctuation, then a colon
_LABEL_SCAN = re.compile('[^:：?!;"“”<>=*#@%$+|{}_~^…。\n]{0,' + str(_LABEL_MAX_CHARS) + "}[:：]")
_TIME_CODED = re.compile(
    r"([^:()\[\]\n]{1,80}?)[ ]*[(\[]\d{1,2}:\d{2}(?::\d{2})?[)\]][ ]*[:：](.*)"
)
_SPACES = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# colons as old pages mis-decode them: Big5's full-width colon read as Latin-1 ("Reporter¡G")
_MISENCODED_COLONS = ("¡G", "\uff1a")
# "CHAIR POWELL.  Good evening" / "MR. KIRBY. Thank you": capitals, a period, then speech
_PERIOD_LABEL = re.compile(
    r"((?:[A-Z][A-Z’'\-]*\.?[ ]){0,4}[A-Z][A-Z’'\-]*[A-Z])\.(?=[ ]|$)[ ]*(?![a-z])"
)
# "Name: (01:23) text": the transcription service's time code after the colon
_LEADING_TIME_CODE = re.compile(r"^[ ]*[(\[]\d{1,2}:\d{2}(?::\d{2})?[)\]][ ]*")
# White House `Q` with no colon: "Q    Text" in text files, "Q Text" once HTML spaces collapse
# ("Q Élan ...": the word after a single space may be any capitalised word, in any script)
_BARE_Q = re.compile(
    r"^[ ]*(?:([QA])(?:[ ]{2,}|[ ]?[.:)]?[ ]*[-–—][ ]+|\.[ ]+)(?=\S)|(Q)[ ](?=[^\W\d_]|[(“\"‘'—]))"
)


@dataclass(frozen=True, slots=True)
class LabelMatch:
    label: str  # the label as written, single-spaced, without its colon
    rest: str  # the text after the label on the same line (still uncleaned)
    strong: bool  # shape alone makes it a label (role word, capitals, honorific, structure)
    bare: bool  # a White House `Q` or `A` with no colon
    meta: str | None = None  # "date" / "time" / "place" ... for metadata keys, else None
    enclosed: bool = False  # "(Reporter)" alone on its line, the speech on the next


def words_of(label: str) -> list[str]:
    """The label's words, lower-cased, stripped of surrounding punctuation."""
    out = []
    for tok in label.replace("(", " ").replace(")", " ").replace(",", " ").split():
        core = tok.strip(".,()[]'’/&-‐–").lower()
        if core:
            out.append(core)
    return out


def match_label(raw: str) -> LabelMatch | None:
    """The label this line starts with, if its text has a label's shape."""
    line = _SPACES.sub(" ", raw)
    for colon in _MISENCODED_COLONS:
        if colon in line:
            line = line.replace(colon, ":")
    stripped = line.lstrip(" ")
    if stripped[:1] in ("(", "[", "【", "〔", "<"):
        return _enclosed_label(stripped)
    if not stripped[:1].isalpha():
        return None
    if stripped.rstrip() in ("Q.", "A."):  # "Q." / "A." alone, the speech on the next line
        return LabelMatch(label=stripped.rstrip(), rest="", strong=True, bare=True)
    m = _BARE_Q.match(line)
    if m is not None and m.group(2) and line[m.end()].islower():
        m = None  # "Q said ...": a word, not a label
    if m is not None and not line.lstrip().startswith(("Q:", "A:")):
        label = m.group(1) or m.group(2)
        return LabelMatch(label=label, rest=line[m.end() :], strong=True, bare=True)
    period = _period_label(stripped)
    if period is not None:
        return period
    coded = _TIME_CODED.match(stripped)
    if coded is not None:  # "Matthew Miller (00:00):" from a transcription service
        candidate, rest = " ".join(coded.group(1).split()), coded.group(2)
    else:
        scan = _LABEL_SCAN.match(stripped)
        if scan is None:
            return None
        cut = scan.end() - 1
        if cut <= 0:
            return None
        candidate = " ".join(stripped[:cut].split())
        rest = stripped[cut + 1 :]
    if rest.startswith("//") or (candidate[-1:].isdigit() and rest[:1].isdigit()):
        return None
    timed = _LEADING_TIME_CODE.match(rest)
    if timed is not None:  # "Name: (01:23) text"
        rest, coded_after = rest[timed.end() :], True
    else:
        coded_after = False
    meta = _meta_key(candidate)
    if meta is not None:
        return LabelMatch(label=candidate, rest=rest, strong=False, bare=False, meta=meta)
    strong = _label_strength(candidate)
    if strong is None:
        return None
    return LabelMatch(
        label=candidate,
        rest=rest,
        strong=strong or coded is not None or coded_after,
        bare=False,
    )


def _period_label(stripped: str) -> LabelMatch | None:
    """`CHAIR POWELL.  Good evening.` (Federal Reserve) or `MR. KIRBY.` alone on its line.

    Capitals only, up to five words, no abbreviation with inner dots (`U.S.`), and what
    follows does not go on in lower case. Two words or an honorific make it strong; one
    word (`POWELL.`) must recur before the parser takes it.
    """
    m = _PERIOD_LABEL.match(stripped)
    if m is None:
        return None
    candidate = m.group(1)
    tokens = candidate.split()
    words = [t.rstrip(".").lower() for t in tokens]
    if any("." in t.rstrip(".") for t in tokens) or any(
        t.endswith(".") and w not in HONORIFICS and w + "." not in HONORIFICS
        for t, w in zip(tokens[:-1], words[:-1], strict=True)
    ):
        return None  # "U.S. banks", "OK. THANKS."
    if any(w in _NOT_SPEAKERS and w not in HONORIFICS for w in words):
        return None
    if len(words) == 1 and (len(words[0]) < 3 or set(words[0]) <= set("ivxlcdm")):
        return None  # "II." numbering, "NO."
    if _label_strength(candidate) is None:
        return None
    strong = len(words) >= 2
    return LabelMatch(label=candidate, rest=stripped[m.end() :], strong=strong, bare=False)


_CLOSERS = {"(": ")", "[": "]", "【": "】", "〔": "〕", "<": ">"}


def _enclosed_label(stripped: str) -> LabelMatch | None:
    """`(Prime Minister)`, `[Reporter]` or `【Moderator】` alone on a line."""
    text = stripped.rstrip()
    if len(text) > _LABEL_MAX_CHARS or text[-1:] != _CLOSERS[text[0]]:
        return None
    inner = " ".join(text[1:-1].strip().rstrip(":：").split())
    if not inner or any(c in inner for c in "()[]【】〔〕<>"):
        return None
    if len(inner.split()) > 1 and inner.split()[0].lower() in _NOT_SPEAKERS:
        return None  # a heading: [Opening Statement by the Prime Minister]
    strong = _label_strength(inner)
    if strong is None:
        return None
    return LabelMatch(
        label=inner, rest="", strong=_has_role_word(words_of(inner)), bare=False, enclosed=True
    )


def _meta_key(candidate: str) -> str | None:
    low = candidate.lower()
    if low in _META_KEYS:
        return low
    if low in ("date and time", "date & time", "time and place"):
        return "date"
    if low in _CONTACT_KEYS:
        return "contact"  # "Media Contact: Steve Ingram (02) 6277 7300"
    return None


def _label_strength(candidate: str) -> bool | None:
    """None when `candidate` cannot be a label; else whether its shape alone is convincing."""
    if not candidate or not candidate[0].isalpha():
        return None
    if any(not (c.isalnum() or c in _ALLOWED_PUNCT) for c in candidate):
        return None
    if candidate.count("(") != candidate.count(")") or candidate.count("(") > 2:
        return None
    tokens = candidate.split()
    if len(tokens) > _LABEL_MAX_WORDS:
        return None
    words = _label_words(tokens)
    if not words or not _could_speak(words):
        return None
    letters = [c for c in candidate if c.isalpha()]
    all_caps = len(letters) >= 2 and candidate.upper() == candidate
    structured = "," in candidate or "(" in candidate
    capitalised = [t for t in tokens if t.strip(".,()[]'’/&-")[:1].isupper()]
    return (
        _has_role_word(words)
        or all_caps
        or structured
        or len(capitalised) >= 2
        or words[0] in HONORIFICS
        or (len(words) == 1 and words[0] in ("q", "a"))
    )


def _label_words(tokens: list[str]) -> list[str] | None:
    """The label's words, lower-cased; None when a token could not be in a label (a lower
    case word other than a connector, a leading number, a sentence ending inside)."""
    words: list[str] = []
    for n, tok in enumerate(tokens):
        core = tok.strip(".,()[]'’/&-‐–")
        if not core:
            if n == 0:
                return None
            continue
        low = core.lower()
        if not _label_token(n, core, low, tokens):
            return None
        if tok.endswith(".") and not tok.endswith(").") and len(core) > 4 and "." not in core:
            return None  # a sentence ended inside the "label"
        words.append(low)
    return words


def _label_token(n: int, core: str, low: str, tokens: list[str]) -> bool:
    """Token n may stand in a label: no leading number, no lower case unless a connector or
    honorific after the first word (or "from" in "Question from ...")."""
    first = core[0]
    if first.isdigit():
        return n != 0
    if not (first.isalpha() and first.islower()):
        return True
    if n == 1 and low == "from" and tokens[0].lower() in ("question", "questions"):
        return True
    return n != 0 and (low in CONNECTORS or low in HONORIFICS)


def _could_speak(words: list[str]) -> bool:
    """The words are not a known non-speaker (`Note`, `Source`) or connectors alone."""
    if words[0] in _NOT_SPEAKERS and words[0] not in HONORIFICS and not _has_role_word(words):
        return False
    if len(words) == 1 and words[0] in _NOT_SPEAKERS:
        return False
    return not all(w in CONNECTORS for w in words)


def _has_role_word(words: list[str]) -> bool:
    for word in words:
        w = word.rstrip("0123456789") or word  # "Q1", "Reporter 2"
        if (
            w in CORE_TITLE_WORDS
            or w in MODERATOR_WORDS
            or w in ANON_REPORTER_CORE
            or w in OUTLET_NAMES
            or w in ANSWER_WORDS
        ):
            return True
    return False
