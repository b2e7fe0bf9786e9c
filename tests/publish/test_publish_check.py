"""`publish --check` (and `check = true` in podcast.toml): the recogniser listens to the
episodes rendered in a run, with a report file beside each, and publishing goes on as ever.

Two tiny transcripts rendered with eSpeak NG; one cue of one episode is garbled (played
backwards) as soon as it is rendered, before the check hears it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("faster_whisper")

from check_helpers import garble
from typer.testing import CliRunner

from pressaudio.check import read_vtt
from pressaudio.cli import app
from pressaudio.publish.catalogue import PublishedEpisode
from pressaudio.publish.checking import check_line, check_rendered, summary_lines
from pressaudio.publish.publish import PublishHooks, publish
from pressaudio.render import RenderOptions

BASE = "http://127.0.0.1:8765/pod/"

TRANSPORT = """Press Conference by the Minister for Transport

Friday, March 1, 2024, 10:00 a.m.

MINISTER: Good morning. From next month, trains between the two largest cities will run \
every fifteen minutes during the morning and evening rush hours.

QUESTION: Will the new timetable cost the taxpayers more money than the old one?

MINISTER: No. The changes are paid for from this year's budget.
"""

HEALTH = """Press Conference by the Minister for Health

Saturday, March 2, 2024, 11:00 a.m.

MINISTER: Good afternoon. The new hospital in the north will open to patients in spring.

QUESTION: How many nurses will work there?

MINISTER: About three hundred nurses, and forty doctors.
"""


def _sources(folder: Path, *names: str) -> Path:
    folder.mkdir()
    texts = {"transport.txt": TRANSPORT, "health.txt": HEALTH}
    for name in names:
        (folder / name).write_text(texts[name], encoding="utf-8")
    return folder


def test_the_rendered_episodes_are_checked_and_a_garbled_cue_is_listed(tmp_path: Path) -> None:
    src = _sources(tmp_path / "src", "transport.txt", "health.txt")
    out = tmp_path / "feed"
    options = RenderOptions(cache_dir=tmp_path / "cache")
    garbled = []

    def rendered(ep: PublishedEpisode) -> None:
        if ep.slug == "transport":
            cues = read_vtt(ep.episode.vtt)
            target = max((c for c in cues if c.voice == "Minister"), key=lambda c: len(c.text))
            shutil.copyfile(ep.episode.mp3, tmp_path / "rendered.mp3")
            garble(ep.episode.mp3, target, tmp_path / "garbled.mp3")
            shutil.copyfile(tmp_path / "garbled.mp3", ep.episode.mp3)
            garbled.append(target)

    totals: list[int] = []
    hooks = PublishHooks(rendered=rendered, checking=totals.append)
    report = publish([src], out, BASE, jobs=1, options=options, hooks=hooks, check=True)

    assert report.checks is not None and totals == [2]
    assert [c.slug for c in report.checks] == ["health", "transport"]
    assert (out / "feed.xml").read_text("utf-8").count("<item>") == 2  # published as ever
    transport = report.checks[1]
    assert transport.report is not None and not transport.problem
    assert garbled[0] in [s.cue for s in transport.report.misheard]
    text = (out / "episodes" / "transport.check.txt").read_text("utf-8")
    assert garbled[0].text in text and "heard (" in text
    assert (out / "episodes" / "health.check.txt").is_file()
    summary = summary_lines(report.checks)
    assert summary[0].startswith("Checked 2 episodes: ") and "likely misheard" in summary[0]

    # nothing changed (the MP3 as rendered put back): nothing rendered, nothing checked
    shutil.copyfile(tmp_path / "rendered.mp3", out / "episodes" / "transport.mp3")
    again = publish([src], out, BASE, jobs=1, options=options, check=True)
    assert again.rendered == () and again.checks == ()
    assert summary_lines(again.checks) == ["Checked no episode: none was rendered in this run."]

    # one rendered again without a check: its report, which described the old audio, goes;
    # the unchanged one keeps its own
    (src / "transport.txt").write_text(TRANSPORT.replace("No.", "No, sir."), encoding="utf-8")
    third = publish([src], out, BASE, jobs=1, options=options)
    assert third.rendered == ("transport",) and third.checks is None
    assert not (out / "episodes" / "transport.check.txt").exists()
    assert (out / "episodes" / "health.check.txt").is_file()

    # a check that fails is that episode's line; the others are checked all the same
    gone = next(e for e in third.episodes if e.slug == "transport")
    gone = replace(gone, episode=replace(gone.episode, mp3=tmp_path / "gone.mp3"))
    results = check_rendered([gone, *(e for e in third.episodes if e.slug == "health")])
    assert [bool(r.problem) for r in results] == [True, False]
    assert check_line(results[0]).startswith("transport: not checked: ")
    assert summary_lines(results)[0].startswith("Checked 1 episode: ")
    assert "; 1 could not be checked." in summary_lines(results)[0]


def test_check_in_podcast_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    src = _sources(tmp_path / "src", "health.txt")
    out = tmp_path / "feed"
    args = ["publish", str(src), "--out", str(out), "--base-url", BASE, "--jobs", "1"]
    runner = CliRunner()

    plain = runner.invoke(app, args)  # no setting, no --check: no report
    assert plain.exit_code == 0, plain.output
    assert "Checked" not in plain.output and not list(out.glob("episodes/*.check.txt"))

    (out / "podcast.toml").write_text("title = 'Briefings'\ncheck = true\n", encoding="utf-8")
    checked = runner.invoke(app, args)  # the title changed: rendered again, and checked
    assert checked.exit_code == 0, checked.output
    lines = checked.stdout.splitlines()
    assert any(line.startswith("  health: ") and " cues, " in line for line in lines), lines
    assert any(line.startswith("Checked 1 episode: ") for line in lines), lines
    assert (out / "episodes" / "health.check.txt").read_text("utf-8").startswith(
        str(out.resolve() / "episodes" / "health")
    )

    (out / "podcast.toml").write_text("title = 'Briefings'\ncheck = 'yes'\n", encoding="utf-8")
    broken = runner.invoke(app, args)
    assert broken.exit_code == 1
    assert broken.stderr.strip() == (
        f"error: {out / 'podcast.toml'}:2: check must be true or false (without quotes), "
        "not 'yes'"
    )


def test_without_the_extra_publish_check_stops_before_rendering(tmp_path: Path) -> None:
    src = _sources(tmp_path / "src", "health.txt")
    out = tmp_path / "feed"
    blocker = (
        "import sys; sys.modules['faster_whisper'] = None; "
        "from pressaudio.cli import main; sys.argv = ['pressaudio', *sys.argv[1:]]; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", blocker, "publish", str(src), "--out", str(out),
         "--base-url", BASE, "--check"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert run.returncode == 1
    assert run.stderr == "error: the recogniser is not installed: pip install 'pressaudio[check]'\n"
    assert not (out / "episodes").exists() and not (out / "feed.xml").exists()
