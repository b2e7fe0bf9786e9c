"""The pronunciation lexicon: how names and acronyms are said, editable without code.

A publisher keeps it in `voices/lexicon.toml` (or a W3C PLS file, `voices/lexicon.pls`).
It is applied by `normalize()` to the text of every utterance before synthesis, so it
works the same for every engine. The TOML form:

    spell = ["NHK", "UNSC"]          # acronyms said letter by letter: "N-H-K"
    words = ["NATO", "ASEAN"]        # acronyms said as a word: "Nato"

    [alias]                          # whole-word replacements, case-sensitive
    FOIP = "Foyp"
    Abe = "Ahbeh"
    "Q&A" = { say = "Q and A", ignore_case = true }

A file is layered over the built-in default lexicon: any grapheme it mentions replaces
whatever the defaults said about that grapheme. `replace_defaults = true` starts from an
empty lexicon instead.

PLS (https://www.w3.org/TR/pronunciation-lexicon/): each <lexeme>'s <alias> (the one with
prefer="true", else the first) becomes an alias for each of its <grapheme>s. <phoneme>
entries are kept in `Lexicon.phonemes` but not applied: the built-in engines are given
plain text, so a lexeme needs an <alias> to change what is said.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pressaudio.config import TomlFile, read_text, read_toml
from pressaudio.errors import ConfigError

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
LEXICON_FILES = ("lexicon.toml", "lexicon.pls")
TOML_KEYS = ("alias", "spell", "words", "replace_defaults")

_GRAPHEME = re.compile(r"\S(?:.*\S)?")
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&.'-]*")


@dataclass(frozen=True)
class Alias:
    """Say `say` wherever `grapheme` appears as a whole word."""

    grapheme: str
    say: str
    ignore_case: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Pronunciation rules applied by normalize(); immutable and hashable."""

    aliases: tuple[Alias, ...] = ()
    spell: frozenset[str] = frozenset()  # acronyms said letter by letter
    words: frozenset[str] = frozenset()  # acronyms said as a word
    phonemes: tuple[tuple[str, str, str], ...] = ()  # PLS (grapheme, phoneme, alphabet)
    sources: tuple[str, ...] = field(default=(), compare=False)  # files it was read from

    def alias_for(self, grapheme: str) -> str | None:
        """What the lexicon says for exactly `grapheme`, if it has an alias for it."""
        for a in self.aliases:
            if a.grapheme == grapheme or (a.ignore_case and a.grapheme.lower() == grapheme.lower()):
                return a.say
        return None

    def graphemes(self) -> frozenset[str]:
        return frozenset(a.grapheme for a in self.aliases) | self.spell | self.words

    def overlay(self, top: Lexicon) -> Lexicon:
        """This lexicon with `top` laid over it: `top` decides every grapheme it mentions."""
        mentioned = top.graphemes() | {g for g, _, _ in top.phonemes}
        return Lexicon(
            aliases=tuple(a for a in self.aliases if a.grapheme not in mentioned) + top.aliases,
            spell=(self.spell - mentioned) | top.spell,
            words=(self.words - mentioned) | top.words,
            phonemes=tuple(p for p in self.phonemes if p[0] not in mentioned) + top.phonemes,
            sources=self.sources + top.sources,
        )


# --- locating and loading -----------------------------------------------------------------


def default_lexicon_path() -> Path:
    """The lexicon shipped in the package (identical to the repository's voices/lexicon.toml)."""
    return Path(str(resources.files("pressaudio") / "defaults" / "voices" / "lexicon.toml"))


def default_lexicon() -> Lexicon:
    return _parse_toml(default_lexicon_path())


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon for a render, always layered over the built-in defaults.

    `path` may be a lexicon file (.toml, or .pls/.xml for W3C PLS), a voices folder (its
    lexicon.toml and/or lexicon.pls are read; neither: the defaults), or None: ./voices if
    it has a lexicon file, else the defaults. A missing file or a broken one is a
    ConfigError naming the file (and the line, where there is one).
    """
    files: list[Path]
    if path is None:
        files = [Path("voices") / name for name in LEXICON_FILES]
        files = [f for f in files if f.is_file()]
    elif path.is_dir():
        files = [f for f in (path / name for name in LEXICON_FILES) if f.is_file()]
    elif path.is_file():
        files = [path]
    else:
        raise ConfigError("lexicon file not found", source=str(path))

    lexicon = default_lexicon()
    for f in files:
        if f.resolve() == default_lexicon_path().resolve():
            continue
        if f.suffix.lower() == ".toml":
            top, replace = _read_toml(f)
            lexicon = top if replace else lexicon.overlay(top)
        elif f.suffix.lower() in (".pls", ".xml"):
            lexicon = lexicon.overlay(_parse_pls(f))
        else:
            raise ConfigError(
                "a lexicon must be a .toml file or a W3C PLS file (.pls)", source=str(f)
            )
    return lexicon


# --- TOML ---------------------------------------------------------------------------------


def _parse_toml(path: Path) -> Lexicon:
    lexicon, _ = _read_toml(path)
    return lexicon


def _read_toml(path: Path) -> tuple[Lexicon, bool]:
    toml = read_toml(path, "lexicon file")
    toml.check_keys(TOML_KEYS)
    replace = toml.boolean("replace_defaults", False)

    spell = _acronyms(toml, "spell")
    words = _acronyms(toml, "words")
    both = sorted(set(spell) & set(words))
    if both:
        raise toml.error(f"{both[0]!r} is listed in both spell and words", "words", both[0])

    raw_aliases = toml.data.get("alias", {})
    if not isinstance(raw_aliases, dict):
        raise toml.error('alias must be a table: [alias] then lines like FOIP = "Foyp"', "alias")
    aliases: list[Alias] = []
    for grapheme, value in raw_aliases.items():
        aliases.append(_alias(toml, grapheme, value))

    lexicon = Lexicon(
        aliases=tuple(aliases),
        spell=frozenset(spell),
        words=frozenset(words),
        sources=(str(path),),
    )
    return lexicon, replace


def _acronyms(toml: TomlFile, key: str) -> list[str]:
    out: list[str] = []
    for item in toml.strings(key, must=f'a list of acronyms, e.g. {key} = ["NHK"]'):
        if not _ACRONYM.fullmatch(item):
            raise toml.error(
                f"{item!r} in {key} is not an acronym (capital letters and digits)", key, item
            )
        out.append(item.replace(".", "") if item.count(".") > 1 else item)
    return out


def _alias(toml: TomlFile, grapheme: str, value: Any) -> Alias:
    if not _GRAPHEME.fullmatch(grapheme):
        raise toml.error("an alias needs a grapheme without surrounding spaces", grapheme)
    say: Any
    ignore_case: Any
    if isinstance(value, str):
        say, ignore_case = value, False
    elif isinstance(value, dict):
        where = f" in the alias for {grapheme!r}"
        toml.check_keys(("say", "ignore_case"), table=value, where=where)
        say = value.get("say", "")
        ignore_case = value.get("ignore_case", False)
        if not isinstance(ignore_case, bool):
            raise toml.error(f"ignore_case for {grapheme!r} must be true or false", grapheme)
    else:
        raise toml.error(f"the alias for {grapheme!r} must be a string", grapheme)
    if not isinstance(say, str) or not say.strip():
        raise toml.error(f"the alias for {grapheme!r} must say something", grapheme)
    return Alias(grapheme=grapheme, say=" ".join(say.split()), ignore_case=ignore_case)


# --- W3C PLS ------------------------------------------------------------------------------


def _parse_pls(path: Path) -> Lexicon:
    text = read_text(path, "lexicon file")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line: int | None = err.position[0] if err.position else None
        message = str(err).split(": line ")[0]
        raise ConfigError(f"invalid PLS XML: {message}", source=str(path), line=line) from None

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    if local(root.tag) != "lexicon":
        raise ConfigError(
            f"a PLS file's root element must be <lexicon>, not <{local(root.tag)}>",
            source=str(path),
            line=1,
        )
    aliases: list[Alias] = []
    phonemes: list[tuple[str, str, str]] = []
    default_alphabet = root.get("alphabet", "ipa")
    for n, lexeme in enumerate((e for e in root if local(e.tag) == "lexeme"), start=1):
        graphemes = [" ".join((g.text or "").split()) for g in lexeme if local(g.tag) == "grapheme"]
        graphemes = [g for g in graphemes if g]
        if not graphemes:
            line = _nth_line(text, "lexeme", n)
            raise ConfigError("a <lexeme> has no <grapheme>", source=str(path), line=line)
        alias_elements = [a for a in lexeme if local(a.tag) == "alias" and (a.text or "").strip()]
        preferred = [a for a in alias_elements if a.get("prefer") == "true"]
        chosen = (preferred or alias_elements)[0] if alias_elements else None
        for grapheme in graphemes:
            if chosen is not None:
                aliases.append(Alias(grapheme, " ".join((chosen.text or "").split())))
            for p in lexeme:
                if local(p.tag) == "phoneme" and (p.text or "").strip():
                    alphabet = p.get("alphabet", default_alphabet)
                    phonemes.append((grapheme, (p.text or "").strip(), alphabet))
    return Lexicon(aliases=tuple(aliases), phonemes=tuple(phonemes), sources=(str(path),))


def _nth_line(text: str, tag: str, n: int) -> int | None:
    found = list(re.finditer(rf"<(?:\w+:)?{tag}[\s>/]", text))
    if len(found) >= n:
        return text.count("\n", 0, found[n - 1].start()) + 1
    return None
