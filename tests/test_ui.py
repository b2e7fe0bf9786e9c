"""Terminal presentation: the transcript table and the progress bar, with and without a TTY."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest

from pressaudio.model import Speaker, Transcript, Turn
from pressaudio.ui import progress, render_table

JST = timezone(timedelta(hours=9))

TRANSCRIPT = Transcript(
    source="kaiken.txt",
    title="Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko",
    held_at=datetime(2023, 9, 14, 21, 31, tzinfo=JST),
    location="Ministry of Foreign Affairs",
    sections=("Opening Remarks", "Question-and-Answer Session"),
    turns=(
        Turn("kamikawa", "Ms. KAMIKAWA Yoko, Minister for Foreign Affairs", "minister",
             "Opening Remarks", "I held a telephone meeting earlier with Secretary Blinken. "
             * 10, 9),
        Turn("reporter", "Reporter", "reporter", "Question-and-Answer Session",
             "Was [bold]this[/bold] or [/] mentioned?", 25),
        Turn("kamikawa", "Minister Kamikawa", "minister", "Question-and-Answer Session",
             "We discussed today what I mentioned.", 27),
    ),
    speakers=(
        Speaker("kamikawa", "Minister Kamikawa", "minister"),
        Speaker("reporter", "Reporter", "reporter"),
    ),
)


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_table_piped_is_plain_text_with_header_and_rows() -> None:
    out = io.StringIO()
    render_table(TRANSCRIPT, file=out)
    text = out.getvalue()
    assert "\x1b" not in text  # no escape codes when piped
    lines = text.splitlines()
    assert lines[0] == "Extraordinary Press Conference by Foreign Minister KAMIKAWA Yoko"
    assert "     date: 2023-09-14T21:31:00+09:00" in lines
    assert " location: Ministry of Foreign Affairs" in lines
    assert " sections: 2: Opening Remarks | Question-and-Answer Session" in lines
    assert "    turns: 3" in lines
    assert max(len(line) for line in lines) <= 120
    rows = [line for line in lines if line.strip().startswith(("9 ", "25 ", "27 "))]
    assert len(rows) == 3
    assert "Minister Kamikawa" in rows[0] and "minister" in rows[0] and "I held" in rows[0]
    # transcript text that looks like rich markup is printed as written
    assert "Was [bold]this[/bold] or [/] mentioned?" in text
    # long turns are previewed, not printed whole
    assert text.count("telephone meeting") < 10 and "…" in text


def test_table_to_stdout_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    render_table(TRANSCRIPT)
    assert "Question-and-Answer Session" in capsys.readouterr().out


def test_table_of_a_transcript_without_metadata_or_turns() -> None:
    empty = Transcript("-", None, None, None, (), (), ())
    out = io.StringIO()
    render_table(empty, file=out)
    assert out.getvalue().splitlines()[0] == "(untitled)"
    assert "(no turns)" in out.getvalue()


def test_progress_hidden_when_quiet_or_not_a_terminal() -> None:
    for out, quiet in ((io.StringIO(), False), (FakeTTY(), True)):
        with progress(3, "Synthesising", quiet=quiet, file=out) as advance:
            advance()
            advance(2)
        assert out.getvalue() == ""


def test_progress_bar_on_a_terminal() -> None:
    out = FakeTTY()
    with progress(4, "Synthesising", quiet=False, file=out) as advance:
        for _ in range(4):
            advance()
    assert "Synthesising" in out.getvalue()
    assert "4/4" in out.getvalue()
