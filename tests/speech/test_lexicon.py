"""The pronunciation lexicon: TOML and W3C PLS files a publisher edits, layered over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressaudio.errors import ConfigError
from pressaudio.speech.lexicon import Alias, Lexicon, default_lexicon_path, load_lexicon
from pressaudio.speech.normalize import normalize

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_lexicon_is_the_repository_copy() -> None:
    bundled = default_lexicon_path().read_bytes()
    assert bundled == (REPO / "voices" / "lexicon.toml").read_bytes()


def test_the_default_lexicon_loads() -> None:
    lexicon = load_lexicon(default_lexicon_path())
    assert "NHK" in lexicon.spell
    assert "NATO" in lexicon.words
    assert lexicon.alias_for("FOIP") == "Foyp"
    assert not lexicon.spell & lexicon.words


def test_a_publisher_alias_changes_what_is_said(tmp_path: Path) -> None:
    before = normalize("the FOIP vision and NHK", load_lexicon(tmp_path))  # no file: defaults
    assert before == "the Foyp vision and N-H-K"
    write(tmp_path, "lexicon.toml", '[alias]\nFOIP = "Free and Open Indo-Pacific"\n')
    after = normalize("the FOIP vision and NHK", load_lexicon(tmp_path))
    assert after == "the Free and Open Indo-Pacific vision and N-H-K"


def test_spell_and_words_lists_override_the_defaults(tmp_path: Path) -> None:
    # NATO is a word and FOIP an alias by default; the publisher wants them spelled,
    # and wants the (by default spelled) NHK read as a word.
    path = write(tmp_path, "mine.toml", 'spell = ["NATO", "FOIP"]\nwords = ["NHK"]\n')
    lexicon = load_lexicon(path)
    assert normalize("NATO, FOIP and NHK", lexicon) == "N-A-T-O, F-O-I-P and Nhk"


def test_an_alias_can_ignore_case(tmp_path: Path) -> None:
    path = write(tmp_path, "l.toml", '[alias]\nkantei = { say = "Kahn-tay", ignore_case = true }\n')
    lexicon = load_lexicon(path)
    assert normalize("The Kantei said", lexicon) == "The Kahn-tay said"
    assert normalize("the KANTEI said", lexicon) == "the Kahn-tay said"


def test_aliases_are_whole_words_and_case_sensitive(tmp_path: Path) -> None:
    path = write(tmp_path, "l.toml", '[alias]\nAbe = "Ahbeh"\n')
    lexicon = load_lexicon(path)
    assert normalize("Prime Minister Abe and Abed", lexicon) == "Prime Minister Ahbeh and Abed"
    assert normalize("abe", lexicon) == "abe"


def test_replace_defaults_starts_from_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "l.toml", 'replace_defaults = true\nwords = ["UN"]\n')
    lexicon = load_lexicon(path)
    assert lexicon.words == frozenset({"UN"})
    assert lexicon.aliases == ()
    assert normalize("the UN and FOIP", lexicon) == "the Un and Foip"


def test_a_voices_folder_without_a_lexicon_uses_the_defaults(tmp_path: Path) -> None:
    assert load_lexicon(tmp_path) == load_lexicon(default_lexicon_path())


def test_broken_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "lexicon.toml", '[alias]\nFOIP = "Foyp"\nASEAN = "Ahseeahn\n')
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    err = caught.value
    assert err.source == str(path)
    assert err.line == 3
    assert str(err).startswith(f"{path}:3: broken TOML: ")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('spell = ["NHK"]\nsay = ["X"]\n', 2, "unknown setting 'say' (expected one of: alias"),
        ('spell = "NHK"\n', 1, "must be a list"),
        ('spell = [\n  "NHK",\n  "nhk",\n]\n', 3, "not an acronym"),
        ('spell = ["NHK"]\nwords = ["NHK"]\n', 2, "both spell and words"),
        ("[alias]\nFOIP = 3\n", 2, "must be a string"),
        ('[alias]\nFOIP = { sound = "x" }\n', 2, "unknown setting 'sound' in the alias for 'FOIP'"),
        ('[alias]\nFOIP = ""\n', 2, "must say something"),
        ("replace_defaults = 1\n", 1, "true or false"),
    ],
)
def test_invalid_entries_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, "lexicon.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    assert caught.value.line == line
    assert words in caught.value.message


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_lexicon(tmp_path / "nope.toml")


def test_an_unknown_format_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "lexicon.json", "{}")
    with pytest.raises(ConfigError, match="PLS"):
        load_lexicon(path)


PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0"
      xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
      alphabet="ipa" xml:lang="en-US">
  <lexeme>
    <grapheme>FOIP</grapheme>
    <alias>Free and Open Indo-Pacific</alias>
  </lexeme>
  <lexeme>
    <grapheme>Motegi</grapheme>
    <grapheme>MOTEGI</grapheme>
    <alias>Mohtehghee</alias>
    <alias prefer="true">Moteggy</alias>
  </lexeme>
  <lexeme>
    <grapheme>Kamikawa</grapheme>
    <phoneme>kamikawa</phoneme>
  </lexeme>
</lexicon>
"""


def test_a_pls_file_supplies_aliases(tmp_path: Path) -> None:
    path = write(tmp_path, "lexicon.pls", PLS)
    lexicon = load_lexicon(tmp_path)  # found in the folder
    assert lexicon.alias_for("FOIP") == "Free and Open Indo-Pacific"
    assert lexicon.alias_for("MOTEGI") == "Moteggy"  # prefer="true" wins
    said = normalize("Minister MOTEGI on FOIP with KAMIKAWA", lexicon)
    assert said == "Minister Moteggy on Free and Open Indo-Pacific with Kamikawa"
    # Phonemes are kept for engines that could use them, but not applied.
    assert ("Kamikawa", "kamikawa", "ipa") in lexicon.phonemes
    assert str(path) in lexicon.sources


def test_a_pls_file_and_a_toml_file_together(tmp_path: Path) -> None:
    write(tmp_path, "lexicon.pls", PLS)
    write(tmp_path, "lexicon.toml", 'words = ["WHCA"]\n')
    lexicon = load_lexicon(tmp_path)
    assert "WHCA" in lexicon.words
    assert lexicon.alias_for("FOIP") == "Free and Open Indo-Pacific"


def test_broken_pls_names_the_line(tmp_path: Path) -> None:
    broken = PLS.replace("Free and Open", "Free & Open")  # a bare "&" on line 7
    path = write(tmp_path, "lexicon.pls", broken)
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    assert caught.value.source == str(path)
    assert caught.value.line == 7
    assert "invalid PLS XML" in caught.value.message


def test_a_pls_lexeme_needs_a_grapheme(tmp_path: Path) -> None:
    text = PLS.replace("<grapheme>FOIP</grapheme>", "")
    path = write(tmp_path, "lexicon.pls", text)
    with pytest.raises(ConfigError, match="no <grapheme>") as caught:
        load_lexicon(path)
    assert caught.value.line == 5


def test_overlay_lets_the_top_decide_each_grapheme() -> None:
    base = Lexicon(aliases=(Alias("FOIP", "Foyp"),), spell=frozenset({"NHK"}))
    top = Lexicon(spell=frozenset({"FOIP"}), words=frozenset({"NHK"}))
    merged = base.overlay(top)
    assert merged.aliases == ()
    assert merged.spell == frozenset({"FOIP"})
    assert merged.words == frozenset({"NHK"})
