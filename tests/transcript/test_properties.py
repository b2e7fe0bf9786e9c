"""Property-based tests of the parser: it never crashes and never loses a word.

Two kinds of input:

- structured documents built from known parts (boilerplate, title, date line, headings, and
  turns of (label, paragraphs)), where the test knows exactly where every word must end up;
- the same structured documents printed to PDF (a running header and a page number on
  every page), read back through `load()`;
- free-form text (random lines, label-like lines, lone colons, control characters, very
  long lines), where the test checks that no word disappears and none is invented.

Words are compared as multisets of letter/digit runs, so punctuation and spacing may change
but every word must be counted exactly as often as it was written.
"""

from __future__ import annotations

import random
import re
import string
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pdf_helpers import transcript_pdf

from pressaudio.model import ROLES, Transcript
from pressaudio.transcript import load
from pressaudio.transcript.parser import parse
from pressaudio.transcript.pdf import pdf_text

SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow])


def words(text: str | None) -> Counter[str]:
    return Counter(re.findall(r"[^\W_]+", text or ""))


def output_words(t: Transcript, *, labels: bool) -> Counter[str]:
    found = words(t.title) + words(t.location)
    for line in t.metadata:
        found += words(line)
    for heading in t.sections:
        found += words(heading)
    for turn in t.turns:
        found += words(turn.text)
        if labels:
            found += words(turn.label)
    return found


def check_invariants(t: Transcript, text: str) -> None:
    """What holds for any transcript parse() returns, whatever the input."""
    n_lines = max(len(text.split("\n")), len(text.splitlines()))
    keys = {s.key for s in t.speakers}
    assert len(keys) == len(t.speakers), "speaker keys must be unique"
    for turn in t.turns:
        assert turn.role in ROLES
        assert turn.speaker in keys, f"turn speaker {turn.speaker!r} not in speakers"
        assert turn.section is None or turn.section in t.sections
        assert 1 <= turn.line <= n_lines, (turn.line, n_lines)
        if not turn.text.strip():  # a label with no speech: kept, but only with a warning
            assert any(f":{turn.line}:" in w for w in t.warnings), f"silent turn {turn}"
    lines = [turn.line for turn in t.turns]
    assert lines == sorted(lines), "turns out of source order"


# --- vocabulary --------------------------------------------------------------------------------

# Ordinary words of answers and questions: no month, weekday, boilerplate or label words.
def split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


VOCAB = split(
    "we discussed the alliance cooperation regional security further strengthen meeting "
    "important issue economic partners continue closely situation believe that will and of "
    "to in on with our their relationship trust dialogue region stability peace support "
    "efforts policy position government response measures international community "
    "agreement framework development nuclear missile ukraine china korea japan united "
    "states summit visit counterpart views exchange confirmed concerned regarding "
    "recent talks progress future consider carefully explain details refrain comment "
    "allies friends neighbours shared values rule law order free open indo pacific "
    "bilateral trilateral ties energy food climate trade investment supply chains "
    "élan façade naïve café"
)
_BANNED = frozenset(split(
    "jan feb mar apr may jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs "
    "fri sat sun am pm end q a print share email menu search close tweet top back home "
    "video english press date place venue time location main topics subject title source "
    "transcript"
))
random_word = st.text(string.ascii_lowercase + "éüñ", min_size=2, max_size=9).filter(
    lambda w: w not in _BANNED
)
word = st.one_of(st.sampled_from(VOCAB), random_word)


def _pool_sentence(rng: random.Random) -> str:
    ws = [rng.choice(VOCAB) for _ in range(rng.randint(6, 18))]
    return ws[0].capitalize() + " " + " ".join(ws[1:]) + rng.choice(".?.")


# A fixed pool of sentences keeps generation cheap (few draws per example); random words
# mixed in keep the vocabulary open.
_rng = random.Random(20230914)
POOL = tuple(_pool_sentence(_rng) for _ in range(400))


@st.composite
def _random_sentence(draw: st.DrawFn, min_words: int) -> str:
    ws = draw(st.lists(word, min_size=min_words, max_size=12))
    return ws[0].capitalize() + " " + " ".join(ws[1:]) + draw(st.sampled_from(".?"))


def sentence(min_words: int = 6) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(POOL), st.sampled_from(POOL), st.sampled_from(POOL),
                     _random_sentence(min_words))


STAGE = st.sampled_from(["(Laughter.)", "(Inaudible)", "(As interpreted.)", "(Cross-talk.)"])


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(sentence(), sentence(), sentence(), STAGE), min_size=1,
                          max_size=3))
    if parts[0].startswith("("):  # stage directions inside a paragraph, not starting it
        parts.insert(0, draw(sentence()))
    return " ".join(parts)


# --- structured documents ----------------------------------------------------------------------

TOP_BOILERPLATE = ("Press Conferences", "[Provisional Translation]")
NOTICE = "This is a provisional translation by an external company for reference purpose only."
END_BOILERPLATE = "Back to Press Conferences"

# (label as written, role, person): turns with the same person share one speaker key
MINISTERS = (
    ("Ms. KAMIKAWA Yoko, Minister for Foreign Affairs", "minister", "kamikawa"),
    ("Minister Kamikawa", "minister", "kamikawa"),
    ("Foreign Minister IWAYA Takeshi", "minister", "iwaya"),
    ("Foreign Minister IWAYA", "minister", "iwaya"),
    ("CHIEF CABINET SECRETARY SUGA", "minister", "suga"),
    ("MS. JEAN-PIERRE", "minister", "jean-pierre"),
    ("Deputy Press Secretary", "minister", "deputy"),
    ("Mao Ning", "minister", "mao"),  # a spokesperson labelled by name alone
)
REPORTERS = (
    ("Reporter", "reporter", None),
    ("QUESTION", "reporter", None),
    ("JOURNALIST", "reporter", None),
    ("NHK, Igarashi", "reporter", "igarashi"),
    ("Arita, Nippon TV", "reporter", "arita"),
    ("Dawn Tan (CNA)", "reporter", "tan"),
    ("Q", "reporter", None),
    ("AFP", "reporter", "afp"),
    ("The Paper", "reporter", "the-paper"),
)
MODERATORS = (
    ("MODERATOR", "moderator", "moderator"),
    ("CABINET PUBLIC RELATIONS SECRETARY (MODERATOR)", "moderator", "moderator"),
)
HEADINGS = (
    "Opening Remarks",
    "Question-and-Answer Session",
    "Q&As",
    "(1) Diplomacy toward the Middle East",
    "1. Iran's nuclear issue",
    "Visit to Taiwan by Speaker of the House Pelosi of the United States",
    "Attendance at the ASEAN-related Foreign Ministers' Meetings",
)
PLACES = ("Ministry of Foreign Affairs", "Prime Minister's Office")
_ENUMERATOR = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}[.)])\s*")


def shown(heading: str) -> str:
    """A heading as the parser shows it: its number is not read (`1. Iran` -> `Iran`)."""
    return _ENUMERATOR.sub("", heading)


@dataclass(frozen=True)
class Spec:
    label: str
    role: str
    person: str | None  # None: an anonymous reporter
    paragraphs: tuple[str, ...]
    section: str | None
    line: int  # where the label is written


@dataclass(frozen=True)
class Doc:
    text: str
    title: str | None
    held_at: datetime | date | None
    location: str | None
    sections: tuple[str, ...]
    turns: tuple[Spec, ...]
    wrapped: bool
    known_words: Counter[str]  # every word that must come out, labels and metadata excluded


def fmt_dateline(when: datetime) -> str:
    hour = when.hour % 12 or 12
    half = "a.m." if when.hour < 12 else "p.m."
    return f"{when:%A}, {when:%B} {when.day}, {when.year}, {hour}:{when:%M} {half}"


def wrap(par: str, width: int, prefix: str = "") -> list[str]:
    """Hard-wrap `par` at `width` columns as White House transcripts do, label included."""
    lines: list[str] = []
    current = prefix
    for w in par.split():
        if current.strip() and len(current) + 1 + len(w) > width:
            lines.append(current)
            current = w
        elif current and not current.endswith(" "):
            current = f"{current} {w}"
        else:
            current += w
    return [*lines, current]


@st.composite
def colon_at_line_start(draw: st.DrawFn) -> str:
    """A paragraph that, wrapped at 72 columns, has a line starting with a name and a colon.

    (It is never a turn's first paragraph, so it is wrapped without a label in front.)
    """
    before = draw(st.sampled_from(POOL)).rstrip(".?") + " and I refer you to"
    name = draw(st.sampled_from(["Secretary Austin", "Kirby", "Minister Hayashi"]))
    after = draw(st.sampled_from(POOL))
    last = wrap(before, 72)[-1]
    while len(last) + 1 + len(name.split()[0]) <= 72:  # fill the line so the name wraps
        filler = draw(st.sampled_from(["and", "the", "of", "to", "in", "we"]))
        if len(last) + 1 + len(filler) > 72:
            filler = "a"
        before += " " + filler
        last += " " + filler
    return f"{before} {name}: {after[0].lower()}{after[1:]}"


@st.composite
def documents(draw: st.DrawFn) -> Doc:
    lines: list[str] = []
    known: Counter[str] = Counter()

    def add(*new: str) -> None:
        lines.extend(new)

    minister = draw(st.sampled_from(MINISTERS))
    minister_labels = [m for m in MINISTERS if m[2] == minister[2]]
    asker_pool = list(REPORTERS) + (list(MODERATORS) if draw(st.booleans()) else [])
    wrapped = draw(st.booleans())
    separator = draw(st.sampled_from([": ", ":", ":\u00a0", ":  ", ":\n"]))
    indent = draw(st.sampled_from(["", "", "  "]))

    for bp in draw(st.lists(st.sampled_from(TOP_BOILERPLATE), max_size=2, unique=True)):
        add(bp, "")
    headings: list[str | None] = list(
        draw(st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=3, unique=True))
    )
    if draw(st.booleans()):
        headings.insert(0, None)  # turns before any heading
    title: str | None = None
    # Without a title line, a heading at the top would be a fair guess at the title.
    if headings[0] is not None or draw(st.booleans()):
        title = f"Press Conference by {minister[0].split(',')[0]}"
        add(title, "")
        known += words(title)
    held_at: datetime | date | None = None
    location: str | None = None
    style = draw(st.sampled_from(["none", "mofa", "iso", "keys"]))
    when = draw(st.datetimes(datetime(2001, 1, 1), datetime(2030, 12, 31))).replace(
        second=0, microsecond=0
    )
    if style != "none" and draw(st.booleans()):
        location = draw(st.sampled_from(PLACES))
        known += words(location)
    if style == "mofa":  # Thursday, September 14, 2023, 9:31 p.m. Ministry of Foreign Affairs
        held_at = when
        add(fmt_dateline(when) + (f" {location}" if location else ""), "")
    elif style == "iso":  # China MFA: 2023-10-27 19:41
        held_at = when
        add(f"{when:%Y-%m-%d %H:%M}", "")
        if location:
            add(f"Place: {location}", "")
    elif style == "keys":  # Date: Tuesday, April 22, 2008 / Place: Prime Minister's Office
        held_at = when.date()
        add(f"Date: {when:%A}, {when:%B} {when.day}, {when.year}")
        if location:
            add(f"Place: {location}")
        add("")
    if draw(st.booleans()):
        add(NOTICE, "")

    specs: list[Spec] = []
    for i, heading in enumerate(headings):
        if heading is not None:
            add(heading, "")
            known += words(shown(heading))
        n_turns = draw(st.integers(1, 4))
        for j in range(n_turns):
            opening = i == 0 and j == 0
            who = draw(st.sampled_from(minister_labels)) if opening or j % 2 else draw(
                st.sampled_from(asker_pool)
            )
            paragraphs = tuple(draw(st.lists(paragraph(), min_size=1, max_size=3)))
            if wrapped and draw(st.integers(0, 5)) == 0:
                paragraphs += (draw(colon_at_line_start()),)
            section = shown(heading) if heading is not None else None
            specs.append(Spec(who[0], who[1], who[2], paragraphs, section, len(lines) + 1))
            first, *rest = paragraphs
            if who[0] == "Q" and draw(st.booleans()):  # White House: `Q` and spaces, no colon
                # ("Q    " in the text files; "Q " once an HTML page's spaces are collapsed)
                q = indent + draw(st.sampled_from(["Q    ", "Q "]))
                add(*(wrap(first, 72, prefix=q) if wrapped else [q + first]))
            elif separator == ":\n":
                add(indent + who[0] + ":", *(wrap(first, 72) if wrapped else [first]))
            elif wrapped and separator.endswith(" "):
                add(*wrap(first, 72, prefix=indent + who[0] + separator))
            else:  # no space after the colon: the first word is glued to the label
                glued = indent + who[0] + separator + first
                add(*(wrap(glued, 72) if wrapped else [glued]))
            for par in rest:
                add("", *(wrap(par, 72) if wrapped else [par]))
            add("")
            for par in paragraphs:
                known += words(par)
    if draw(st.booleans()):
        add(END_BOILERPLATE)
    sections = tuple(shown(h) for h in headings if h is not None)
    return Doc("\n".join(lines) + "\n", title, held_at, location, sections, tuple(specs),
               wrapped, known)


def test_a_wrapped_line_that_begins_with_copyright_is_speech() -> None:
    """A case test_structured_documents_come_out_exactly found: the second line of a
    hard-wrapped turn, "copyright we.", was dropped as a copyright notice."""
    text = (
        "Press Conference by Ms. KAMIKAWA Yoko\n\nQuestion-and-Answer Session\n\n"
        "Reporter: We we discussed discussed discussed discussed discussed\ncopyright we.\n"
    )
    t = parse(text, source="generated.txt")
    assert [turn.text for turn in t.turns] == [
        "We we discussed discussed discussed discussed discussed copyright we."
    ]


@SETTINGS
@given(documents())
def test_structured_documents_come_out_exactly(doc: Doc) -> None:
    t = parse(doc.text, source="generated.txt")
    check_invariants(t, doc.text)
    src = doc.text.split("\n")
    # every word in exactly one place: nothing lost, nothing duplicated, nothing invented
    assert output_words(t, labels=False) == doc.known_words
    assert t.title == doc.title
    assert t.location == doc.location
    if doc.held_at is None:
        assert t.held_at is None
    else:
        if isinstance(doc.held_at, datetime):
            assert isinstance(t.held_at, datetime)
            assert t.held_at.replace(tzinfo=None) == doc.held_at
        else:
            assert t.held_at == doc.held_at
    assert t.sections == doc.sections
    assert len(t.turns) == len(doc.turns), [(x.line, x.label) for x in t.turns]
    keys: dict[str, str] = {}
    anon: set[str] = set()
    for got, want in zip(t.turns, doc.turns, strict=True):
        assert got.line == want.line, (got.label, want.label)
        assert got.label.rstrip(": \u00a0") == want.label
        assert want.label in src[got.line - 1]
        assert got.role == want.role, (want.label, got.role)
        assert got.section == want.section
        expected = "\n\n".join(" ".join(par.split()) for par in want.paragraphs)
        assert got.text == expected
        if want.person is None:
            anon.add(got.speaker)
        else:
            assert keys.setdefault(want.person, got.speaker) == got.speaker, want.label
    assert len(anon) <= 1, "anonymous reporters must share one speaker key"
    assert len(set(keys.values()) | anon) == len(keys) + len(anon), "two people, one key"


PDF_HEADER = "Office of the Spokesperson transcript"


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_structured_document_printed_to_pdf_keeps_its_turns_and_words(doc: Doc) -> None:
    """fpdf2 sets the paragraphs anew and adds a running header and "Page N" to every page:
    the same turns come out, with no page number and the header at most once (on a single
    page nothing shows it is furniture). A word may be lost only in a line the PDF repeats
    word for word: these documents say one sentence over and over, so one of its lines can
    sit in the same place beside two page numbers, where a running header would be."""
    assume(doc.text.encode("latin-1", "replace").decode("latin-1") == doc.text)
    data = transcript_pdf(doc.text, header=PDF_HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/briefing.pdf"
        with open(path, "wb") as f:
            f.write(data)
        t = load(path)
    assert [(x.label.rstrip(": \u00a0"), x.role) for x in t.turns] == [
        (want.label, want.role) for want in doc.turns
    ]
    got = output_words(t, labels=False)
    printed = Counter(pdf_text(data, shown=path).splitlines())
    repeated = Counter(w for line, n in printed.items() if n > 1 for w in words(line).elements()
                       for _ in range(n))
    assert not (doc.known_words - got) - repeated, "words lost"
    assert not (got - doc.known_words) - words(PDF_HEADER), "words invented"
    assert not any(re.search(r"\bPage \d", x.text) for x in t.turns)


# --- free-form text ---------------------------------------------------------------------------

label_like = st.builds(
    lambda ws, sep, rest: " ".join(w.capitalize() for w in ws) + sep + rest,
    st.lists(word, min_size=1, max_size=4),
    st.sampled_from([":", ": ", ":\u00a0", " :", "：", "::"]),
    st.one_of(st.just(""), sentence(min_words=1)),
)
upper_label = st.builds(
    lambda ws, rest: " ".join(ws).upper() + ": " + rest,
    st.lists(word, min_size=1, max_size=3),
    sentence(min_words=1),
)
free_line = st.one_of(
    sentence(min_words=1),
    paragraph(),
    label_like,
    upper_label,
    st.builds(lambda s: "Q    " + s, sentence()),  # White House reporter, no colon
    st.sampled_from(["Q", "Q:", "A:", "Question:", "Minister:", "(Laughter.)", "(Inaudible)",
                     "(Cross-talk.)", "—", "--", ":", "::::::", ": : :", "Reporter:"]),
    st.builds(lambda w: w.capitalize(), word),  # a one-word line, maybe a heading
    st.builds(lambda ws: " ".join(w.capitalize() for w in ws), st.lists(word, max_size=8)),
    st.builds(lambda s, n: s * n, sentence(), st.integers(50, 400)),  # very long lines
    st.builds(lambda s: "Here is what changed: " + s, sentence()),  # a colon in prose
    st.builds(lambda p: "   " + p, paragraph()),
    st.just(""),
)
free_text = st.lists(free_line, min_size=1, max_size=40).map("\n".join)


@SETTINGS
@given(free_text)
@example("::::::\n:\n: : :")
@example("Q\nQ:\nA:\n\n")
@example("Minister:" * 5000)
@example("Reporter: " + "(" * 20000)
@example("Here is what changed: You were all so polite.\nSuga: Yes.")
def test_free_form_text_loses_no_word(text: str) -> None:
    t = parse(text, source="free.txt")
    check_invariants(t, text)
    src = text.split("\n")
    given_words = words(text)
    assert given_words - output_words(t, labels=True) == Counter(), "words lost"
    assert output_words(t, labels=False) - given_words == Counter(), "words invented or doubled"
    for turn in t.turns:
        line = src[turn.line - 1]
        first = (turn.label or turn.text).split()[:1]  # the label, or the text's first word
        assert all(w in line for w in first), (turn.line, line[:80], turn.label, turn.text[:80])


# --- anything at all ----------------------------------------------------------------------------

any_char = st.characters(codec=None, exclude_categories=("Cs",))
nasty = st.one_of(
    st.text(any_char, max_size=300),
    st.lists(st.one_of(st.text(any_char, max_size=60), free_line,
                       st.sampled_from(["\r", "\r\n", "\x00", "\x0c", "\u2028", "\ufeff",
                                        "\x1b[1m", "\t:", "\u00a0:\u00a0"])),
             max_size=30).map("\n".join),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(nasty)
@example("")
@example("\n\n\n")
@example("\x00" * 1000)
@example("a" * 200_000)
@example(":" * 100_000)
def test_parse_never_raises(text: str) -> None:
    t = parse(text, source="any.txt")
    check_invariants(t, text)
    assert parse(text, source="any.txt") == t  # and is deterministic
