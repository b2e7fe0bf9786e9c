"""`publish --check`: the episodes rendered in a run, heard by check.py's recogniser.

After the feed is in place, each episode rendered in the run (not the unchanged ones) is
checked as `pressaudio check` checks one: its full report goes to a file beside it,
`episodes/<slug>.check.txt` (replaced atomically), and the run ends with one line pooled
over every episode checked and the words most often missed across them, as lexicon
candidates. A check that fails (an episode that cannot be decoded, a full disk) is that
episode's problem, said in its result; it never touches the feed, written before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pressaudio.check import (
    CheckReport,
    Recogniser,
    check_episode,
    headline,
    missed_lines,
    missed_words,
    report_lines,
)
from pressaudio.errors import PressaudioError, PublishError
from pressaudio.files import atomic_write_text
from pressaudio.publish.catalogue import PublishedEpisode

__all__ = ["REPORT_SUFFIX", "EpisodeCheck", "check_line", "check_rendered", "summary_lines"]

REPORT_SUFFIX = ".check.txt"  # episodes/<slug>.check.txt: one report per episode


@dataclass(frozen=True)
class EpisodeCheck:
    """What the check of one episode found: a report written to `report_file`, or the
    `problem` that stopped it."""

    slug: str
    report: CheckReport | None = None
    report_file: str = ""  # as given to the user
    problem: str = ""


def check_rendered(
    episodes: Sequence[PublishedEpisode],
    *,
    checking: Callable[[int], None] = lambda total: None,
    checked: Callable[[EpisodeCheck], None] = lambda result: None,
) -> tuple[EpisodeCheck, ...]:
    """Check each of `episodes` in turn with one recogniser; `checking(total)` before the
    first, `checked(result)` after each."""
    checking(len(episodes))
    listener: Recogniser | None = None
    results: list[EpisodeCheck] = []
    for ep in episodes:
        mp3 = ep.episode.mp3
        path = mp3.with_name(ep.slug + REPORT_SUFFIX)
        try:
            listener = listener or Recogniser()
            report = check_episode(mp3, recogniser=listener)
            text = "\n".join(report_lines(report)) + "\n"
            atomic_write_text(path, text, error=PublishError)
            result = EpisodeCheck(ep.slug, report=report, report_file=_shown(path))
        except PressaudioError as err:
            result = EpisodeCheck(ep.slug, problem=str(err))
        results.append(result)
        checked(result)
    return tuple(results)


def _shown(path: Path) -> str:
    """`path` as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_line(result: EpisodeCheck) -> str:
    """One line for one episode: its headline and where the full report is."""
    if result.report is None:
        return f"{result.slug}: not checked: {result.problem}"
    report = result.report
    return f"{result.slug}: {headline(report.scores, report.threshold)} ({result.report_file})"


def summary_lines(results: Sequence[EpisodeCheck]) -> list[str]:
    """The end of a checked run: one line pooled over every episode checked, then the words
    most often missed across them (lexicon candidates)."""
    if not results:
        return ["Checked no episode: none was rendered in this run."]
    reports = [r.report for r in results if r.report is not None]
    scores = [s for report in reports for s in report.scores]
    n, failed = len(reports), len(results) - len(reports)
    line = f"Checked {n} episode{'s' * (n != 1)}"
    if reports:
        line += f": {headline(scores, reports[0].threshold)}"
    if failed:
        line += f"; {failed} could not be checked"
    return [line + ".", *missed_lines(missed_words(scores))]
