"""Sidecar text formats: wrapping, escaping, speaker marking, splitting long captions."""

from __future__ import annotations

import itertools
import json

import srt
import webvtt

from pressaudio.audio import captions
from pressaudio.audio.captions import LINE_WIDTH, caption_blocks, chapters_json, wrap_lines
from pressaudio.model import ChapterMark, Cue

LONG = " ".join(f"word{i}" for i in range(60))  # about 400 characters


def test_short_text_is_one_line_and_two_lines_are_balanced() -> None:
    assert wrap_lines("  Hello\n  world  ") == ["Hello world"]
    (block,) = caption_blocks([Cue(0, 1000, "A", "x" * 40 + " " + "y" * 40)])
    assert block.lines == ("x" * 40, "y" * 40)
    (block,) = caption_blocks([Cue(0, 1000, "A", "aa bb cc dd ee ff gg hh ii jj " * 3)])
    assert len(block.lines) == 2
    assert abs(len(block.lines[0]) - len(block.lines[1])) <= 3


def test_long_caption_is_split_into_consecutive_cues_of_two_lines() -> None:
    blocks = caption_blocks([Cue(1000, 9000, "A", LONG)])
    assert len(blocks) >= 3
    assert blocks[0].start_ms == 1000 and blocks[-1].end_ms == 9000
    for a, b in itertools.pairwise(blocks):
        assert a.end_ms == b.start_ms and a.start_ms < a.end_ms
    for b in blocks:
        assert 1 <= len(b.lines) <= 2
        assert all(len(line) <= LINE_WIDTH for line in b.lines)
    assert " ".join(line for b in blocks for line in b.lines) == LONG
    assert [b.turn_start for b in blocks] == [True] + [False] * (len(blocks) - 1)


def test_a_word_longer_than_a_line_is_cut() -> None:
    (block,) = caption_blocks([Cue(0, 500, "A", "x" * 100)])
    assert [len(line) for line in block.lines] == [65, 35]


def test_empty_captions_and_zero_length_cues_are_left_out() -> None:
    cues = [Cue(0, 100, "A", "  "), Cue(100, 100, "A", "nothing"), Cue(100, 200, "A", "yes")]
    assert [b.lines for b in caption_blocks(cues)] == [("yes",)]


def test_webvtt_escapes_text_and_voice_and_parses() -> None:
    cues = [Cue(0, 1500, "Q&A <Desk>", "1 < 2 & 3 > 2 --> fine"), Cue(61_000, 3_723_456, "B", LONG)]
    text = captions.webvtt(cues)
    assert text.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n")
    assert "<v Q&amp;A &lt;Desk&gt;>1 &lt; 2 &amp; 3 &gt; 2 --&gt; fine</v>" in text
    assert "00:01:01.000 --> " in text and " --> 01:02:03.456" in text
    parsed = webvtt.from_string(text)
    assert parsed[0].voice == "Q&amp;A &lt;Desk&gt;"
    assert all(c.voice == "B" for c in parsed[1:])
    assert len(parsed) == len(caption_blocks(cues))


def test_srt_names_the_speaker_when_the_turn_changes() -> None:
    cues = [
        Cue(0, 1000, "Minister", "First."),
        Cue(1200, 2000, "Minister", "Second."),
        Cue(2500, 3000, "Reporter", "A question?"),
        Cue(3500, 4000, "Minister", "An answer."),
    ]
    subs = list(srt.parse(captions.srt(cues)))
    assert [s.content for s in subs] == [
        "Minister: First.",
        "Second.",
        "Reporter: A question?",
        "Minister: An answer.",
    ]
    assert [s.index for s in subs] == [1, 2, 3, 4]
    assert subs[2].start.total_seconds() == 2.5 and subs[2].end.total_seconds() == 3.0
    assert "00:00:02,500 --> 00:00:03,000" in captions.srt(cues)


def test_srt_prefix_counts_towards_the_line_width() -> None:
    subs = list(srt.parse(captions.srt([Cue(0, 9000, "Minister KAMIKAWA Yoko", LONG)])))
    assert subs[0].content.startswith("Minister KAMIKAWA Yoko: word0")
    assert all(len(line) <= LINE_WIDTH for s in subs for line in s.content.split("\n"))


def test_chapters_json_times_in_seconds_to_the_millisecond() -> None:
    marks = [ChapterMark("Opening", 0, 1234), ChapterMark("Q1 – “Taiwan”", 1234, 5000)]
    doc = json.loads(chapters_json(marks, title="Ep", podcast="Pod"))
    assert doc == {
        "version": "1.2.0",
        "title": "Ep",
        "podcastName": "Pod",
        "chapters": [
            {"startTime": 0.0, "title": "Opening"},
            {"startTime": 1.234, "title": "Q1 – “Taiwan”"},
        ],
    }
    assert "“Taiwan”" in chapters_json(marks)  # UTF-8, not \u escapes
