"""Voice profiles: loading, one-line errors, distinct defaults, and casting."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pressaudio.cli import app
from pressaudio.errors import ConfigError
from pressaudio.model import ROLES, Role, Speaker, Transcript, Turn
from pressaudio.speech.engines import get_engine
from pressaudio.speech.voices import (
    Voices,
    cast,
    default_voices_dir,
    find_voices_dir,
    load_voices,
)

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
# a comment
engine = "espeak"
voice = "en-us+m3"
rate = 160
pitch = 40
volume = 0.9
pause_sentence_ms = 200
pause_turn_ms = 600
pause_section_ms = 1200
stage_directions = "narrate"
variants = [
    { voice = "en-gb+m7", pitch = 55 },
    { voice = "en-gb-scotland", rate = 150 },
]

[options]
range = 30
"""


@pytest.fixture(scope="module")
def voices() -> Voices:
    return load_voices(REPO / "voices")


def write_role(folder: Path, role: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{role}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> ConfigError:
    write_role(tmp_path, "minister", text)
    with pytest.raises(ConfigError) as err:
        load_voices(tmp_path)
    return err.value


def median_f0(pcm: bytes, sample_rate: int) -> float:
    """Median pitch (Hz) of voiced 40 ms frames, by autocorrelation."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frame, hop = int(0.04 * sample_rate), int(0.01 * sample_rate)
    frames = np.stack([x[s : s + frame] for s in range(0, len(x) - frame, hop)])
    frames -= frames.mean(axis=1, keepdims=True)
    frames = frames[np.sqrt((frames**2).mean(axis=1)) > 300]
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames, n=2 * frame, axis=1)) ** 2, axis=1)[:, :frame]
    lo, hi = sample_rate // 400, sample_rate // 60
    lags = lo + np.argmax(ac[:, lo:hi], axis=1)
    voiced = ac[np.arange(len(ac)), lags] / np.maximum(ac[:, 0], 1e-9) > 0.5
    return float(np.median(sample_rate / lags[voiced]))


# --- the shipped defaults -------------------------------------------------------------------


@pytest.mark.parametrize("engine_set", ["", "piper"])
def test_repository_voices_are_the_packaged_defaults(engine_set: str) -> None:
    for role in ROLES:
        repo_file = REPO / "voices" / engine_set / f"{role}.toml"
        packaged = default_voices_dir() / engine_set / f"{role}.toml"
        assert repo_file.read_bytes() == packaged.read_bytes(), role


def test_an_engine_with_its_own_profile_set_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./voices here: the built-in sets
    assert find_voices_dir(None, "piper") == default_voices_dir() / "piper"
    assert find_voices_dir(None, "espeak") == default_voices_dir()
    assert find_voices_dir(tmp_path, "piper") == tmp_path


def test_defaults_load_with_variants(voices: Voices) -> None:
    assert voices.minister.primary.name == "minister"
    assert voices.minister.primary.path == REPO / "voices" / "minister.toml"
    assert [p.name for p in voices.minister.variants] == ["minister-2", "minister-3"]
    assert all(p.engine == "espeak" for r in ROLES for p in voices.role(r).profiles)
    # a variant inherits what it does not set
    assert voices.minister.variants[0].pause_turn_ms == voices.minister.primary.pause_turn_ms


def test_default_roles_differ_in_voice_and_pitch(voices: Voices) -> None:
    primaries = [voices.role(r).primary for r in ROLES]
    for a, b in itertools.combinations(primaries, 2):
        assert (a.voice, a.pitch) != (b.voice, b.pitch), (a.name, b.name)
    for role in ROLES:
        sounds = [(p.voice, p.pitch) for p in voices.role(role).profiles]
        assert len(set(sounds)) == len(sounds), role


TEXT = "Thank you very much. I would like to say a few words about the situation in the region."


def _accent(voice: str) -> str:
    return voice.partition("+")[0]


def test_default_roles_sound_clearly_different(voices: Voices) -> None:
    """Minister and reporter differ in median f0 by a ratio of 1.15 at least (here 1.3, so
    that the per-cue check in tests/test_render.py holds too); any two roles are apart by
    1.1 in pitch, or by 1.05 and speak with different accents."""
    engine = get_engine("espeak")
    f0, accent = {}, {}
    for role in ROLES:
        profile = voices.role(role).primary
        audio = engine.synthesize(TEXT, profile)
        f0[role] = median_f0(audio.pcm, audio.sample_rate)
        accent[role] = _accent(profile.voice)
    assert f0["reporter"] > 1.3 * f0["minister"], f0
    for a, b in itertools.combinations(ROLES, 2):
        ratio = max(f0[a], f0[b]) / min(f0[a], f0[b])
        assert ratio > 1.1 or (ratio > 1.05 and accent[a] != accent[b]), (a, b, f0, accent)


@pytest.mark.parametrize("role", ["minister", "reporter"])
def test_a_second_official_or_reporter_is_told_apart(voices: Voices, role: Role) -> None:
    """The variant that speaks for the second person of a role differs from the first in
    voice (accent or variant) and in pitch."""
    engine = get_engine("espeak")
    first, second = voices.role(role).profiles[:2]
    assert first.voice != second.voice, (first.voice, second.voice)
    one, two = (engine.synthesize(TEXT, p) for p in (first, second))
    ratio = median_f0(one.pcm, one.sample_rate) / median_f0(two.pcm, two.sample_rate)
    assert abs(np.log(ratio)) > np.log(1.08), ratio


def test_find_voices_dir_prefers_explicit_then_local_then_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_voices_dir(None) == default_voices_dir()
    write_role(tmp_path / "voices", "reporter", GOOD)
    assert find_voices_dir(None) == Path("voices")
    assert find_voices_dir(tmp_path / "x") == tmp_path / "x"


# --- loading --------------------------------------------------------------------------------


def test_a_full_profile_is_read(tmp_path: Path) -> None:
    path = write_role(tmp_path, "minister", GOOD)
    minister = load_voices(tmp_path).minister
    p = minister.primary
    assert (p.voice, p.rate, p.pitch, p.volume) == ("en-us+m3", 160, 40, 0.9)
    assert (p.pause_sentence_ms, p.pause_turn_ms, p.pause_section_ms) == (200, 600, 1200)
    assert p.stage_directions == "narrate"
    assert p.options == (("range", "30"),)
    assert p.path == path
    second, third = minister.variants
    assert (second.voice, second.pitch, second.rate) == ("en-gb+m7", 55, 160)
    assert (third.voice, third.pitch, third.rate) == ("en-gb-scotland", 40, 150)


def test_a_role_without_a_file_uses_the_default(tmp_path: Path) -> None:
    write_role(tmp_path, "minister", GOOD)
    loaded = load_voices(tmp_path)
    assert loaded.reporter.primary.path == default_voices_dir() / "reporter.toml"


def test_a_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="voice profile folder not found"):
        load_voices(tmp_path / "nowhere")


def test_broken_toml_reports_its_file_and_line(tmp_path: Path) -> None:
    text = 'engine = "espeak"\nvoice = "en-us"\n\nrate = 1 60\npitch = 40\n'
    err = error_for(tmp_path, text)
    assert err.line == 4
    assert str(err).startswith(f"{tmp_path / 'minister.toml'}:4: broken TOML: ")
    assert "\n" not in str(err)


def test_unterminated_string_reports_its_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, 'engine = "espeak"\nvoice = "en-us\npitch = 4\n')
    assert err.line == 2


def test_unknown_setting_names_the_file_line_and_the_likely_key(tmp_path: Path) -> None:
    err = error_for(tmp_path, 'voice = "en-us"\n\npich = 40\n')
    where = tmp_path / "minister.toml"
    assert str(err) == f"{where}:3: unknown setting 'pich'; did you mean 'pitch'?"


def test_unknown_setting_in_a_variant(tmp_path: Path) -> None:
    err = error_for(tmp_path, 'voice = "en-us"\nvariants = [{ voice = "en-gb", speed = 3 }]\n')
    assert "unknown setting 'speed' in a variant" in str(err)
    assert err.line == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('rate = "fast"', "rate must be words per minute"),
        ("rate = 20", "rate must be words per minute, a whole number from 80 to 450, not 20"),
        ("pitch = 40.5", "pitch must be a whole number from 0 to 100"),
        ("pitch = true", "pitch must be a whole number"),
        ("volume = 3", "volume must be a number from 0.0 to 1.0"),
        ('stage_directions = "whisper"', 'stage_directions must be "drop" or "narrate"'),
        ("voice = 3", "voice must be an engine voice id"),
        ('variants = "en-gb"', "variants must be a list of tables"),
        ("options = 3", "options must be a table"),
    ],
)
def test_a_wrong_type_or_range_names_the_file_and_line(
    tmp_path: Path, line: str, message: str
) -> None:
    text = f'engine = "espeak"\n{line}\n'
    if not line.startswith("voice"):
        text = f'voice = "en-us"\n{text}'
    err = error_for(tmp_path, text)
    assert err.source == str(tmp_path / "minister.toml")
    assert message in err.message
    assert err.line == text.splitlines().index(line) + 1


def test_missing_voice_is_a_config_error(tmp_path: Path) -> None:
    err = error_for(tmp_path, "pitch = 40\n")
    assert "missing setting `voice`" in str(err)


def test_unknown_voice_suggests_the_closest_ids(tmp_path: Path) -> None:
    err = error_for(tmp_path, 'engine = "espeak"\nvoice = "en-gb-scotlnd"\n')
    assert str(err).startswith(
        f"{tmp_path / 'minister.toml'}:2: unknown voice 'en-gb-scotlnd'; closest available: "
        "en-gb-scotland"
    )


def test_unknown_variant_voice_suggests_known_variants(tmp_path: Path) -> None:
    text = 'voice = "en-us"\nvariants = [\n  { voice = "en-gb+f9" },\n]\n'
    err = error_for(tmp_path, text)
    assert err.line == 3
    assert "unknown voice 'en-gb+f9'; closest available: en-gb+f" in str(err)


def test_unknown_engine_names_the_file(tmp_path: Path) -> None:
    err = error_for(tmp_path, 'engine = "festival"\nvoice = "en-us"\n')
    assert err.line == 1
    assert "unknown speech engine 'festival'" in str(err)


def transcript(*people: tuple[str, Role]) -> Transcript:
    """Turns in the given order; each (key, role); key "" is narration."""
    turns = tuple(
        Turn(speaker=key or "narrator", label=key, role=role, section=None, text="Words.", line=i)
        for i, (key, role) in enumerate(people, start=1)
    )
    speakers = tuple(
        Speaker(key=k or "narrator", name=(k or "narrator").title(), role=r)
        for k, r in dict(people).items()
    )
    return Transcript(
        source="t.txt",
        title="T",
        held_at=None,
        location=None,
        sections=(),
        turns=turns,
        speakers=speakers,
    )


def test_cast_gives_each_role_its_voice_and_second_officials_a_variant(voices: Voices) -> None:
    t = transcript(
        ("", "narrator"),
        ("moderator", "moderator"),
        ("president", "minister"),
        ("reporter", "reporter"),
        ("prime-minister", "minister"),
        ("reporter", "reporter"),
        ("asahi", "reporter"),
        ("president", "minister"),
    )
    casting = cast(t, voices)
    names = {key: profile.name for key, profile in casting.speakers}
    assert names == {
        "narrator": "narrator",
        "moderator": "moderator",
        "president": "minister",
        "reporter": "reporter",
        "prime-minister": "minister-2",
        "asahi": "reporter-2",
    }
    assert [key for key, _ in casting.speakers] == [
        "narrator", "moderator", "president", "reporter", "prime-minister", "asahi",
    ]
    assert casting.narrator == voices.narrator.primary
    president, pm = casting.voice_for("president"), casting.voice_for("prime-minister")
    assert (president.voice, president.pitch) != (pm.voice, pm.pitch)


def test_anonymous_reporters_share_one_voice(voices: Voices) -> None:
    casting = cast(transcript(("reporter", "reporter"), ("reporter", "reporter")), voices)
    assert casting.speakers == (("reporter", voices.reporter.primary),)


def test_more_officials_than_variants_still_sound_different(voices: Voices) -> None:
    people: list[tuple[str, Role]] = [(f"official-{i}", "minister") for i in range(7)]
    casting = cast(transcript(*people), voices)
    sounds = [(p.voice, p.pitch) for _, p in casting.speakers]
    assert len(set(sounds)) == 7
    assert [p.name for _, p in casting.speakers][3:] == [
        "minister-4", "minister-5", "minister-6", "minister-7",
    ]
    assert all(0 <= p.pitch <= 100 for _, p in casting.speakers)


def test_cast_does_not_read_the_files_again(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    shutil.copytree(REPO / "voices", folder)
    loaded = load_voices(folder)
    shutil.rmtree(folder)
    assert cast(transcript(("m", "minister")), loaded).voice_for("m").voice == (
        loaded.minister.primary.voice
    )


# --- `pressaudio voices` --------------------------------------------------------------------


def test_voices_command_lists_voices_variants_and_casting() -> None:
    result = CliRunner().invoke(app, ["voices", "--voices", str(REPO / "voices")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Voices of espeak (eSpeak NG 1.")
    assert any(line.split()[:1] == ["en-gb-scotland"] for line in lines)
    assert any("+m3" in line.split() for line in lines)
    casting = lines[lines.index(next(x for x in lines if x.startswith("Casting"))) + 2 :]
    assert casting[0].split()[:4] == ["minister", "minister", "espeak", "en-us+m6"]
    assert [row.split()[0] for row in casting if not row.startswith("   ")] == list(ROLES)


def test_voices_command_with_an_unknown_voice_still_lists_then_fails_in_one_line(
    tmp_path: Path,
) -> None:
    write_role(tmp_path, "reporter", 'voice = "en-uss+f3"\npitch = 60\n')
    result = CliRunner().invoke(app, ["voices", "--voices", str(tmp_path)])
    assert result.exit_code == 1
    assert "en-gb-scotland" in result.stdout
    error = result.stderr.strip()
    assert "\n" not in error
    assert error.startswith(f"error: {tmp_path / 'reporter.toml'}:1: unknown voice 'en-uss+f3'")
    assert "en-us+f3" in error


def test_voices_command_with_broken_toml_names_the_line(tmp_path: Path) -> None:
    write_role(tmp_path, "narrator", 'voice = "en-us"\nrate = = 3\n')
    result = CliRunner().invoke(app, ["voices", "--voices", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'narrator.toml'}:2: broken TOML")


def test_voices_command_with_an_unknown_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["voices", "--engine", "festival"])
    assert result.exit_code == 1
    assert "unknown speech engine 'festival'" in result.stderr
