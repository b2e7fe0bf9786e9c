"""The sidecar files: Podcasting 2.0 JSON chapters, WebVTT and SRT transcripts.

Every caption is wrapped to at most `LINE_WIDTH` characters a line and two lines a cue; a
longer caption is split into consecutive cues whose times divide the utterance's time in
proportion to their length. Empty captions and zero-length cues are left out.

- WebVTT: each cue carries its speaker as a voice span, `<v Minister Kamikawa>...`;
  `&`, `<` and `>` are escaped in the text and in the speaker name.
- The Podcast Index JSON transcript (`application/json`, what Pocket Casts, AntennaPod and
  Podverse read) has one segment per WebVTT cue, with the same times and the speaker:
  `{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}`,
  times in seconds to the millisecond.
- SRT has no voice markup: the speaker's name is written as a `Name: ` prefix on the
  first cue of each turn (whenever the speaker changes), as broadcast captions do, so the
  text of a long answer is not cluttered by the same name on every cue.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pressaudio.model import ChapterMark, Cue

LINE_WIDTH = 65
MAX_LINES = 2
CHAPTERS_VERSION = "1.2.0"
JSON_TRANSCRIPT_VERSION = "1.0.0"
JSON_TRANSCRIPT_SUFFIX = ".transcript.json"


@dataclass(frozen=True)
class CaptionBlock:
    """One displayed cue: up to MAX_LINES lines of text, in its time slice."""

    start_ms: int
    end_ms: int
    speaker_name: str
    lines: tuple[str, ...]
    turn_start: bool  # the first block of a speaker's turn


def chapters_json(
    chapters: Sequence[ChapterMark], *, title: str | None = None, podcast: str | None = None
) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0), start times in seconds to the ms."""
    doc: dict[str, object] = {"version": CHAPTERS_VERSION}
    if title:
        doc["title"] = title
    if podcast:
        doc["podcastName"] = podcast
    doc["chapters"] = [
        {"startTime": round(ch.start_ms / 1000, 3), "title": ch.title} for ch in chapters
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def wrap_lines(text: str, width: int = LINE_WIDTH) -> list[str]:
    """`text` (whitespace collapsed) greedily wrapped to `width`; words longer are cut."""
    return textwrap.wrap(
        " ".join(text.split()), width=width, break_long_words=True, break_on_hyphens=False
    )


def _balance(lines: list[str], width: int) -> tuple[str, ...]:
    """Two lines re-broken as evenly as the words allow (easier to read than greedy)."""
    if len(lines) < 2:
        return tuple(lines)
    words = " ".join(lines).split(" ")
    best = tuple(lines)
    best_diff = abs(len(lines[0]) - len(lines[1]))
    for k in range(1, len(words)):
        a, b = " ".join(words[:k]), " ".join(words[k:])
        if len(a) <= width and len(b) <= width and abs(len(a) - len(b)) < best_diff:
            best, best_diff = (a, b), abs(len(a) - len(b))
    return best


def caption_blocks(cues: Sequence[Cue], *, srt_prefix: bool = False) -> list[CaptionBlock]:
    """The cues as displayed blocks of at most two lines (with "Name: " if `srt_prefix`)."""
    blocks: list[CaptionBlock] = []
    previous_speaker: str | None = None
    for cue in cues:
        text = " ".join(cue.text.split())
        if not text or cue.end_ms <= cue.start_ms:
            continue
        turn_start = cue.speaker_name != previous_speaker
        previous_speaker = cue.speaker_name
        if srt_prefix and turn_start and cue.speaker_name:
            text = f"{cue.speaker_name}: {text}"
        lines = wrap_lines(text)
        chunks = [lines[i : i + MAX_LINES] for i in range(0, len(lines), MAX_LINES)]
        total = sum(len(" ".join(c)) for c in chunks)
        span = cue.end_ms - cue.start_ms
        done = 0
        start = cue.start_ms
        for n, chunk in enumerate(chunks):
            done += len(" ".join(chunk))
            end = cue.end_ms if n == len(chunks) - 1 else cue.start_ms + span * done // total
            if end > start:
                blocks.append(
                    CaptionBlock(start, end, cue.speaker_name, _balance(chunk, LINE_WIDTH),
                                 turn_start and n == 0)
                )  # fmt: skip
                start = end
    return blocks


def _clock(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT document: one cue per caption block, with `<v Speaker>` voice spans."""
    out = ["WEBVTT", ""]
    for b in caption_blocks(cues):
        out.append(f"{_clock(b.start_ms, '.')} --> {_clock(b.end_ms, '.')}")
        body = "\n".join(vtt_escape(line) for line in b.lines)
        if b.speaker_name:
            body = f"<v {vtt_escape(b.speaker_name)}>{body}</v>"
        out += [body, ""]
    return "\n".join(out)


def srt(cues: Sequence[Cue]) -> str:
    """An SRT document, numbered from 1, the speaker named at the start of each turn."""
    out: list[str] = []
    for n, b in enumerate(caption_blocks(cues, srt_prefix=True), start=1):
        out += [str(n), f"{_clock(b.start_ms, ',')} --> {_clock(b.end_ms, ',')}", *b.lines, ""]
    return "\n".join(out)


def transcript_json(cues: Sequence[Cue]) -> str:
    """The Podcast Index JSON transcript: a segment per WebVTT cue, the speaker named."""
    segments = [
        {
            "speaker": b.speaker_name,
            "startTime": round(b.start_ms / 1000, 3),
            "endTime": round(b.end_ms / 1000, 3),
            "body": " ".join(b.lines),
        }
        for b in caption_blocks(cues)
    ]
    doc = {"version": JSON_TRANSCRIPT_VERSION, "segments": segments}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def transcript_json_path(mp3: Path) -> Path:
    """OUT.transcript.json for OUT.mp3 (beside OUT.vtt and OUT.srt)."""
    stem = mp3.with_suffix("") if mp3.suffix.lower() == ".mp3" else mp3
    return stem.with_name(stem.name + JSON_TRANSCRIPT_SUFFIX)
