"""speakers directly: labels split into parts, one key per person, display names, roles."""

from __future__ import annotations

from pressaudio.transcript.speakers import (
    assign_roles,
    defined_acronyms,
    identify,
    parse_label,
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
