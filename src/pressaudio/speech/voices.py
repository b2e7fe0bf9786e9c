"""Voice profiles (voices/<role>.toml) and casting: which profile speaks for whom.

A publisher edits one commented TOML file per role. Each gives the role's voice and,
optionally, `variants`: alternative voices/pitches for a second, third... distinct person
with the same role in one transcript (a president and a prime minister).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from typing import cast as type_cast

from pressaudio.config import TomlFile, line_in_file, read_toml
from pressaudio.errors import ConfigError
from pressaudio.model import ROLES, Casting, Role, Transcript, VoiceProfile

if TYPE_CHECKING:
    from pressaudio.speech.engines import Engine

PROFILE_KEYS: dict[str, str] = {
    "engine": 'a speech engine name, e.g. "espeak"',
    "voice": 'an engine voice id, e.g. "en-gb+m3"',
    "rate": "words per minute, a whole number from 80 to 450",
    "pitch": "a whole number from 0 to 100",
    "volume": "a number from 0.0 to 1.0",
    "pause_sentence_ms": "milliseconds, a whole number from 0 to 10000",
    "pause_turn_ms": "milliseconds, a whole number from 0 to 10000",
    "pause_section_ms": "milliseconds, a whole number from 0 to 10000",
    "stage_directions": '"drop" or "narrate"',
    "options": "a table of engine-specific settings",
    "variants": 'a list of tables such as { voice = "en-us+m7", pitch = 40 }',
}
VARIANT_KEYS = ("voice", "rate", "pitch", "volume", "options")

_INT_RANGES: dict[str, tuple[int, int]] = {
    "rate": (80, 450),
    "pitch": (0, 100),
    "pause_sentence_ms": (0, 10000),
    "pause_turn_ms": (0, 10000),
    "pause_section_ms": (0, 10000),
}


@dataclass(frozen=True)
class RoleVoices:
    """One role's primary profile and the variants for further distinct speakers."""

    primary: VoiceProfile
    variants: tuple[VoiceProfile, ...] = ()

    @property
    def profiles(self) -> tuple[VoiceProfile, ...]:
        return (self.primary, *self.variants)


@dataclass(frozen=True)
class Voices:
    """The four roles' voices, as loaded from one folder."""

    directory: Path
    minister: RoleVoices
    reporter: RoleVoices
    moderator: RoleVoices
    narrator: RoleVoices

    def role(self, role: Role) -> RoleVoices:
        found: RoleVoices = getattr(self, role)
        return found


# --- locating the folder ----------------------------------------------------------------


def default_voices_dir() -> Path:
    """The profiles shipped inside the package (identical to the repository's voices/)."""
    return Path(__file__).resolve().parent.parent / "defaults" / "voices"


def find_voices_dir(explicit: Path | None = None, engine: str | None = None) -> Path:
    """`explicit` if given; else the profile set for `engine` (./voices/<engine>, then the
    built-in one) when it has its own; else ./voices if it holds a role profile; else the
    built-in defaults."""
    if explicit is not None:
        return explicit
    if engine is not None:
        for folder in (Path("voices") / engine, default_voices_dir() / engine):
            if any((folder / f"{role}.toml").is_file() for role in ROLES):
                return folder
    local = Path("voices")
    if any((local / f"{role}.toml").is_file() for role in ROLES):
        return local
    return default_voices_dir()


# --- loading ------------------------------------------------------------------------------


def load_voices(
    directory: Path | None = None, *, engine: str | None = None, check_voices: bool = True
) -> Voices:
    """Read <directory>/<role>.toml for every role; a role without a file uses the default.

    `directory` None means ./voices if it holds a profile, else the bundled defaults.
    With `check_voices`, every voice id is checked against its engine's voices; an
    unknown id is a ConfigError naming the file and line and suggesting the closest ids.
    """
    directory = find_voices_dir(directory, engine)
    if not directory.is_dir():
        raise ConfigError("voice profile folder not found", source=str(directory))
    roles: dict[str, RoleVoices] = {}
    for role in ROLES:
        path = directory / f"{role}.toml"
        if not path.is_file():
            path = default_voices_dir() / f"{role}.toml"
        roles[role] = load_role(path, role)
        if check_voices:
            check_role_voices(roles[role])
    return Voices(
        directory=directory,
        minister=roles["minister"],
        reporter=roles["reporter"],
        moderator=roles["moderator"],
        narrator=roles["narrator"],
    )


def load_role(path: Path, role: str) -> RoleVoices:
    """Parse one profile file (no engine check)."""
    toml = read_toml(path, "voice profile")
    data = toml.data
    toml.check_keys(PROFILE_KEYS)
    if "voice" not in data:
        raise toml.error(f"missing setting `voice` ({PROFILE_KEYS['voice']})")
    engine = _string(toml, data, "engine", "espeak")
    stage = _string(toml, data, "stage_directions", "drop")
    if stage not in ("drop", "narrate"):
        expected = PROFILE_KEYS["stage_directions"]
        raise toml.error(f"stage_directions must be {expected}", "stage_directions")
    primary = VoiceProfile(
        name=role,
        engine=engine,
        voice=_string(toml, data, "voice", ""),
        rate=_integer(toml, data, "rate", 175),
        pitch=_integer(toml, data, "pitch", 50),
        volume=_volume(toml, data, 1.0),
        pause_sentence_ms=_integer(toml, data, "pause_sentence_ms", 250),
        pause_turn_ms=_integer(toml, data, "pause_turn_ms", 700),
        pause_section_ms=_integer(toml, data, "pause_section_ms", 1400),
        stage_directions=type_cast(Literal["drop", "narrate"], stage),
        options=_options(toml, data),
        path=path,
    )
    variants_raw = data.get("variants", [])
    if not isinstance(variants_raw, list) or not all(isinstance(v, dict) for v in variants_raw):
        raise toml.error(f"variants must be {PROFILE_KEYS['variants']}", "variants")
    variants: list[VoiceProfile] = []
    for number, raw in enumerate(variants_raw, start=2):
        toml.check_keys(VARIANT_KEYS, table=raw, where=" in a variant")
        variants.append(
            dataclasses.replace(
                primary,
                name=f"{role}-{number}",
                voice=_string(toml, raw, "voice", primary.voice),
                rate=_integer(toml, raw, "rate", primary.rate),
                pitch=_integer(toml, raw, "pitch", primary.pitch),
                volume=_volume(toml, raw, primary.volume),
                options=_options(toml, raw) if "options" in raw else primary.options,
            )
        )
    return RoleVoices(primary=primary, variants=tuple(variants))


def check_role_voices(role_voices: RoleVoices) -> None:
    """Raise ConfigError if a profile names an engine or voice that does not exist here."""
    from pressaudio.speech.engines import get_engine

    for profile in role_voices.profiles:
        where = str(profile.path) if profile.path else None
        try:
            engine = get_engine(profile.engine)
        except ConfigError as err:
            line = line_in_file(profile.path, "engine")
            raise ConfigError(err.message, source=where, line=line) from None
        try:
            engine.check_voice(profile)
        except ConfigError as err:
            line = line_in_file(profile.path, "voice", profile.voice)
            raise ConfigError(err.message, source=where, line=line) from None


# --- casting ------------------------------------------------------------------------------

_PITCH_STEPS = (12, -12, 24, -24)


def cast(transcript: Transcript, voices: Voices) -> Casting:
    """Give each speaker a profile: its role's primary, then the role's variants in order.

    Speakers are taken in the order of their first turn. The second distinct speaker of a
    role gets that role's first variant, and so on; past the last variant the profiles are
    reused with a shifted pitch. Narrator turns get the narrator profile.
    """
    order: list[str] = []
    for turn in transcript.turns:
        if turn.speaker not in order:
            order.append(turn.speaker)
    order += [s.key for s in transcript.speakers if s.key not in order]
    role_of = {turn.speaker: turn.role for turn in transcript.turns}
    role_of.update({s.key: s.role for s in transcript.speakers})

    counters: dict[Role, int] = {}
    speakers: list[tuple[str, VoiceProfile]] = []
    for key in order:
        role = role_of[key]
        if role == "narrator":
            speakers.append((key, voices.narrator.primary))
            continue
        index = counters.get(role, 0)
        counters[role] = index + 1
        speakers.append((key, _pick(voices.role(role), index)))
    return Casting(narrator=voices.narrator.primary, speakers=tuple(speakers))


def _pick(role_voices: RoleVoices, index: int) -> VoiceProfile:
    profiles = role_voices.profiles
    base = profiles[index % len(profiles)]
    cycle = index // len(profiles)
    if cycle == 0:
        return base
    step = _PITCH_STEPS[(cycle - 1) % len(_PITCH_STEPS)]
    pitch = base.pitch + step if 0 <= base.pitch + step <= 100 else base.pitch - step
    return dataclasses.replace(
        base, name=f"{role_voices.primary.name}-{index + 1}", pitch=max(0, min(100, pitch))
    )


# --- the `pressaudio voices` report --------------------------------------------------------


def voices_report(voices: Voices, engine: Engine) -> list[str]:
    """Lines listing `engine`'s voices, then each role's profiles (the current casting)."""
    lines = [f"Voices of {engine.name} ({engine.version()}):"]
    available = engine.voices()
    width = max((len(v.id) for v in available), default=0) + 2
    bases = [v for v in available if not v.id.startswith("+")]
    variants = [v for v in available if v.id.startswith("+")]
    name_width = max((len(v.name) for v in bases), default=0) + 2
    for v in bases:
        lines.append(f"  {v.id.ljust(width)}{v.name.ljust(name_width)}{v.gender or ''}".rstrip())
    if variants:
        base = next((v.id for v in bases if v.id.startswith("en")), bases[0].id if bases else "")
        variant = next((v.id for v in variants if v.id == "+f2"), variants[0].id)
        example = base + variant
        lines.append(f"Variants, added to a voice id (e.g. {example}):")
        row = "  "
        for v in variants:
            if len(row) + len(v.id) > 88:
                lines.append(row.rstrip())
                row = "  "
            row += v.id + "  "
        lines.append(row.rstrip())
    lines.append(f"Casting (profiles in {voices.directory}):")
    lines.append(f"  {'role':<11}{'profile':<13}{'engine':<8}{'voice':<22}{'rate':>5}{'pitch':>7}")
    for role in ROLES:
        for i, p in enumerate(voices.role(role).profiles):
            label = role if i == 0 else ""
            lines.append(
                f"  {label:<11}{p.name:<13}{p.engine:<8}{p.voice:<22}{p.rate:>5}{p.pitch:>7}"
            )
    return lines


def check_voices(voices: Voices) -> None:
    """Raise ConfigError (file, line, closest ids) for the first unknown engine or voice."""
    for role in ROLES:
        check_role_voices(voices.role(role))


# --- helpers ------------------------------------------------------------------------------


def _string(toml: TomlFile, table: dict[str, Any], key: str, default: str) -> str:
    return toml.string(key, default, must=PROFILE_KEYS[key], table=table)


def _integer(toml: TomlFile, table: dict[str, Any], key: str, default: int) -> int:
    low, high = _INT_RANGES[key]
    return toml.integer(key, default, must=PROFILE_KEYS[key], low=low, high=high, table=table)


def _volume(toml: TomlFile, table: dict[str, Any], default: float) -> float:
    return toml.number("volume", default, must=PROFILE_KEYS["volume"], low=0, high=1, table=table)


def _options(toml: TomlFile, table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    value = table.get("options", {})
    if not isinstance(value, dict):
        raise toml.error(f"options must be {PROFILE_KEYS['options']}", "options")
    items: list[tuple[str, str]] = []
    for key, item in value.items():
        if isinstance(item, bool):
            items.append((key, "true" if item else "false"))
        elif isinstance(item, str | int | float):
            items.append((key, str(item)))
        else:
            raise toml.error(f"option {key} must be a string, number or true/false", key)
    return tuple(sorted(items))
