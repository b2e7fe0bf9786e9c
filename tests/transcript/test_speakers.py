"""speakers directly: labels split into parts, one key per person, display names, roles."""

from __future__ import annotations

import os
from pathlib import Path

from pressaudio.transcript.header import read_header
from pressaudio.transcript.headings import find_headings
from pressaudio.transcript.intermediates import LabelledTurn, Source, Turns
from pressaudio.transcript.labelling import accept_labels
from pressaudio.transcript.lines import split_lines
from pressaudio.transcript.paragraphs import join_paragraphs
from pressaudio.transcript.speakers import (
    assign_roles,
    attribute,
    defined_acronyms,
    identify,
    parse_label,
    person_phrase,
    title_person,
)


def test_parse_label_parts() -> None:
    info = parse_label("Ms. KAMIKAWA Yoko, Minister for Foreign Affairs")
    assert info.kind == "person"
    assert info.honorific == "Ms."
    assert info.names == ("KAMIKAWA", "Yoko")
    assert info.role_hint == "minister"
    assert parse_label("NHK, Igarashi").outlet == "NHK"
    assert parse_label("Reporter").kind == "anon"
    assert parse_label("Frage").kind == "anon"  # German "question"
    assert parse_label("A").kind == "answer"
    assert parse_label("PRIME MINISTER").kind == "title"
    assert parse_label("AFP").kind == "outlet"
    assert parse_label("MODERATOR").role_hint == "moderator"


def test_one_key_per_person() -> None:
    ids = identify(["MR. KIRBY", "KIRBY", "Q", "QUESTION", "Reporter", "Dawn Tan (CNA)", "Tan"])
    assert ids["MR. KIRBY"].key == ids["KIRBY"].key == "kirby"
    assert ids["Q"].key == ids["QUESTION"].key == ids["Reporter"].key == "reporter"
    assert ids["Dawn Tan (CNA)"].key == ids["Tan"].key


def test_display_names() -> None:
    ids = identify(["MS. JEAN-PIERRE", "UNDER SECRETARY BASS", "Minister KAMIKAWA"])
    assert ids["MS. JEAN-PIERRE"].name == "Ms. Jean-Pierre"
    assert ids["UNDER SECRETARY BASS"].name == "Under Secretary Bass"
    assert ids["Minister KAMIKAWA"].name == "Minister Kamikawa"


def test_a_mc_surname_in_capitals_keeps_its_inner_capital() -> None:
    # cases 70 and 71 (Fed transcripts: "MICHAEL MCKEE."), then variants
    ids = identify(["MICHAEL MCKEE", "SENATOR MCCAIN", "JOHN MACKAY", "MR. MCADAMS (AP)"])
    assert ids["MICHAEL MCKEE"].name == "Michael McKee"
    assert ids["SENATOR MCCAIN"].name == "Senator McCain"
    assert ids["JOHN MACKAY"].name == "John Mackay"  # "Mac" names differ: left alone
    assert ids["MR. MCADAMS (AP)"].name.startswith("McAdams")


def test_acronyms_the_text_defines_keep_their_capitals() -> None:
    text = (
        "the Secretary for Commerce, Industry and Technology (SCIT), Mr Joseph Wong; the "
        "Chief Secretary for Administration (CS); CABINET PUBLIC RELATIONS SECRETARY "
        "(YOTSUMOTO)"
    )
    assert defined_acronyms(text) == {"scit", "cs"}
    ids = identify(["SCIT", "KIRBY"], acronyms=defined_acronyms(text))
    assert ids["SCIT"].name == "SCIT" and ids["KIRBY"].name == "Kirby"


def test_roles_from_behaviour() -> None:
    roles = assign_roles(
        {"leavitt": None, "anna": None},
        [
            ("leavitt", "Good afternoon. Today we announce new measures for the economy."),
            ("anna", "Thank you. Why now?"),
            ("leavitt", "Because the economy needs it, and the President decided so."),
            ("anna", "And when will it start?"),
            ("leavitt", "Next month, as the President said in his statement."),
        ],
    )
    assert roles == {"leavitt": "minister", "anna": "reporter"}


def test_person_phrase_and_title_person() -> None:
    assert person_phrase("Prime Minister Naoto Kan") == "Prime Minister Naoto Kan"
    assert person_phrase("the Prime Minister") is None
    assert person_phrase("the Prime Minister", title_ok=True) == "the Prime Minister"
    assert person_phrase("Smith and Jones") is None
    title = "Remarks by High Representative/Vice-President Federica Mogherini upon arrival"
    assert title_person(title) == "High Representative Vice-President Federica Mogherini"
    assert title_person("Press Conference") is None


def _turns(*rows: tuple[str, str, str]) -> Turns:
    header = read_header(
        find_headings(join_paragraphs(accept_labels(split_lines(Source("", "t.txt")))))
    )
    drafts = tuple(
        LabelledTurn(label, who, n + 1, None, (text,)) for n, (label, who, text) in enumerate(rows)
    )
    return Turns(header=header, turns=drafts, sections=(), facts=(), warnings=())


def test_attribute_speakers_and_roles() -> None:
    t = attribute(
        _turns(
            ("MINISTER KAMIKAWA", "MINISTER KAMIKAWA", "Good morning."),
            ("Reporter", "Reporter", "Why?"),
            ("Minister", "Minister", "Because."),
            ("", "", "(End)"),
        )
    )
    assert [(u.speaker, u.role) for u in t.turns] == [
        ("kamikawa", "minister"),
        ("reporter", "reporter"),
        ("kamikawa", "minister"),
        ("narrator", "narrator"),
    ]
    assert [s.name for s in t.speakers] == ["Minister Kamikawa", "Reporter", "Narrator"]


def test_attribute_a_label_with_no_speech_and_no_labels_at_all() -> None:
    t = attribute(_turns(("MR. SMITH", "MR. SMITH", "")))
    assert [(u.speaker, u.text) for u in t.turns] == [("narrator", "MR. SMITH")]
    assert t.warnings == (
        "t.txt:1: the label 'MR. SMITH' is followed by no speech",
        "t.txt: no speaker labels recognised; the narrator reads the whole text",
    )


def test_a_shortened_title_before_its_holders_speak_is_the_same_under_any_hash_seed(
    tmp_path: Path,
) -> None:
    """`PRIME MINISTER:` first, then two named prime ministers: who it is must not depend on
    the order of a set (string hashes differ between processes)."""
    import subprocess
    import sys

    source = tmp_path / "joint.txt"
    source.write_text(
        "Joint press conference\n\nPRIME MINISTER: Thank you all for coming.\n\n"
        "PRIME MINISTER ABBOTT: It is good to be here.\n\n"
        "PRIME MINISTER O'NEILL: Thank you, Tony.\n\nPRIME MINISTER: One more word.\n",
        encoding="utf-8",
    )
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run(
            [sys.executable, "-m", "pressaudio", "segment", str(source), "--json"],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True,
            timeout=120, check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_a_chair_who_talks_most_is_the_principal_only_when_named() -> None:
    """The Fed's "CHAIR POWELL." answers at length: the principal. A "MODERATOR:" who reads
    a long statement is still the moderator: the label names a function, not a person."""
    from pressaudio.transcript.parser import parse

    long = " ".join(["The committee decided to keep its policy rate unchanged"] * 12) + "."
    for label, role in (("CHAIR POWELL", "minister"), ("MODERATOR", "moderator"),
                        ("The Moderator", "moderator")):
        text = f"{label}: {long}\n\nReporter: Will you cut rates?\n\n{label}: {long}\n"
        t = parse(text, source="chair.txt")
        roles = {s.key: s.role for s in t.speakers}
        assert roles[t.turns[0].speaker] == role, label
