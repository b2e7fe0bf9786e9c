"""Synthesis of utterances into clips, through the content-addressed cache."""

from __future__ import annotations

import dataclasses
import wave
from pathlib import Path

import pytest

from pressaudio.errors import SynthesisError
from pressaudio.model import Utterance, VoiceProfile
from pressaudio.speech.engines import get_engine
from pressaudio.speech.synth import cache_key, default_cache_dir, read_pcm, synthesize
from pressaudio.speech.voices import load_voices

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def minister() -> VoiceProfile:
    return load_voices(REPO / "voices").minister.primary


@pytest.fixture(scope="module")
def reporter() -> VoiceProfile:
    return load_voices(REPO / "voices").reporter.primary


def utter(text: str, voice: VoiceProfile) -> Utterance:
    return Utterance(
        text=text,
        caption=text,
        speaker=voice.name,
        speaker_name=voice.name.title(),
        voice=voice,
        pause_after_ms=300,
    )


def wavs(folder: Path) -> dict[Path, tuple[int, int]]:
    """Every cached clip with its (inode, mtime_ns)."""
    return {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*.wav"))
    }


def test_clips_are_mono_16_bit_wavs_in_order(
    tmp_path: Path, minister: VoiceProfile, reporter: VoiceProfile
) -> None:
    utterances = [
        utter("Good afternoon.", minister),
        utter("Thank you, Minister. I have a question about the budget for next year.", reporter),
        utter("Yes.", minister),
    ]
    clips = synthesize(utterances, cache_dir=tmp_path)
    assert [c.utterance for c in clips] == utterances
    for clip in clips:
        with wave.open(str(clip.wav), "rb") as w:
            assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
            assert w.getframerate() == clip.sample_rate == 22050
            assert w.getnframes() == clip.frames > 0
        assert len(read_pcm(clip)) == 2 * clip.frames
        assert clip.wav.parent.parent == tmp_path
        assert clip.wav.parent.name == clip.wav.stem[:2]
        assert len(clip.wav.stem) == 64
    assert clips[1].duration_ms > 2 * clips[0].duration_ms > clips[2].duration_ms


def test_a_second_synthesis_comes_from_the_cache(tmp_path: Path, minister: VoiceProfile) -> None:
    utterances = [utter("The talks will continue tomorrow.", minister), utter("No.", minister)]
    first = synthesize(utterances, cache_dir=tmp_path)
    before = wavs(tmp_path)
    assert len(before) == 2

    second = synthesize(utterances, cache_dir=tmp_path)
    assert second == first
    assert wavs(tmp_path) == before  # nothing rewritten: same inodes and times


def test_a_changed_profile_or_text_gets_a_new_clip(tmp_path: Path, minister: VoiceProfile) -> None:
    text = "The talks will continue tomorrow."
    (base,) = synthesize([utter(text, minister)], cache_dir=tmp_path)
    variants = [
        utter(text, dataclasses.replace(minister, pitch=minister.pitch + 10)),
        utter(text, dataclasses.replace(minister, rate=minister.rate + 20)),
        utter(text, dataclasses.replace(minister, voice="en-us")),
        utter(text, dataclasses.replace(minister, volume=0.5)),
        utter(text, dataclasses.replace(minister, options=(("range", "10"),))),
        utter(text + " Thank you.", minister),
    ]
    clips = synthesize(variants, cache_dir=tmp_path)
    paths = {base.wav, *(c.wav for c in clips)}
    assert len(paths) == 7
    assert len(wavs(tmp_path)) == 7


def test_what_does_not_change_the_sound_does_not_change_the_key(minister: VoiceProfile) -> None:
    engine = get_engine("espeak")
    text = "Good morning."
    key = cache_key(engine, minister, text)
    same_sound = dataclasses.replace(
        minister, name="minister-9", pause_turn_ms=2000, stage_directions="narrate", path=None
    )
    assert cache_key(engine, same_sound, text) == key
    assert cache_key(engine, dataclasses.replace(minister, pitch=31), text) != key
    assert cache_key(engine, minister, "Good morning!") != key


def test_repeated_utterances_are_synthesised_once(tmp_path: Path, minister: VoiceProfile) -> None:
    clips = synthesize([utter("Next question.", minister)] * 3, cache_dir=tmp_path)
    assert len({c.wav for c in clips}) == 1
    assert len(wavs(tmp_path)) == 1


def test_a_truncated_cache_file_is_synthesised_again(
    tmp_path: Path, minister: VoiceProfile
) -> None:
    (clip,) = synthesize([utter("The meeting is adjourned.", minister)], cache_dir=tmp_path)
    data = clip.wav.read_bytes()
    clip.wav.write_bytes(data[: len(data) // 2])
    (again,) = synthesize([utter("The meeting is adjourned.", minister)], cache_dir=tmp_path)
    assert again.wav == clip.wav
    assert len(read_pcm(again)) == 2 * again.frames
    assert abs(again.frames - clip.frames) < 0.05 * clip.frames


def test_no_cache_dir_means_a_private_temporary_folder(minister: VoiceProfile) -> None:
    (clip,) = synthesize([utter("Thank you all.", minister)], cache_dir=None)
    assert clip.wav.is_file()
    assert "pressaudio-clips-" in str(clip.wav)
    assert Path(str(default_cache_dir())) not in clip.wav.parents


def test_progress_counts_every_utterance(tmp_path: Path, minister: VoiceProfile) -> None:
    seen: list[int] = []
    texts = ["One.", "Two words.", "One.", "Three more words."]
    synthesize([utter(t, minister) for t in texts], cache_dir=tmp_path, on_progress=seen.append)
    assert seen == [1, 2, 3, 4]


def test_no_temporary_files_are_left_behind(tmp_path: Path, minister: VoiceProfile) -> None:
    synthesize([utter(f"Item {w}.", minister) for w in ("one", "two")], cache_dir=tmp_path)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".tmp")]
    assert leftovers == []


def test_an_unusable_cache_folder_is_a_synthesis_error(
    tmp_path: Path, minister: VoiceProfile
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SynthesisError) as err:
        synthesize([utter("Hello.", minister)], cache_dir=blocker / "cache")
    assert str(err.value).startswith(f"{blocker / 'cache'}: cannot create the cache folder")


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRESSAUDIO_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("PRESSAUDIO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "pressaudio"


def test_synthesis_prints_nothing_on_stdout(
    tmp_path: Path,
    minister: VoiceProfile,
    reporter: VoiceProfile,
    capfd: pytest.CaptureFixture[str],
) -> None:
    capfd.readouterr()
    texts = ["Good afternoon.", "A question, please.", "Go ahead.", "Thank you."]
    voices = [minister, reporter] * 2
    synthesize([utter(t, v) for t, v in zip(texts, voices, strict=True)], cache_dir=tmp_path)
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


def test_a_cache_shared_by_two_folders_of_utterances_is_content_addressed(
    tmp_path: Path, minister: VoiceProfile
) -> None:
    a = synthesize([utter("Shared line.", minister)], cache_dir=tmp_path)
    renamed = dataclasses.replace(minister, name="x")
    b = synthesize(
        [utter("Shared line.", renamed), utter("Other line.", minister)], cache_dir=tmp_path
    )
    assert a[0].wav == b[0].wav
    assert len(wavs(tmp_path)) == 2


def test_first_clip_under_a_key_is_kept_when_another_process_wrote_it(tmp_path: Path) -> None:
    """Two workers synthesising the same utterance: the later one adopts the stored clip."""
    from pressaudio.speech.synth import _write

    wav = tmp_path / "ab" / "abcdef.wav"
    first = _write(wav, b"\x01\x00" * 1000, 22050)
    second = _write(wav, b"\x02\x00" * 1003, 22050)
    assert first == second == (wav, 22050, 1000)
    assert [p.name for p in wav.parent.iterdir()] == ["abcdef.wav"]  # no temporary left
