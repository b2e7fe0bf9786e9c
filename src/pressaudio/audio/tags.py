"""ID3v2 tags and chapters of the episode MP3, through mutagen.

Tags: TIT2 title, TPE1 artist (the publisher), TALB album (the podcast), TDRC date,
COMM comment, TCON "Podcast", TLEN duration. Chapters follow the ID3v2 Chapter Frame
Addendum: one CHAP per chapter (element ids ch0, ch1, ...; start and end in milliseconds;
byte offsets unset; a TIT2 sub-frame with the title) and a CTOC with the TOP_LEVEL and
ORDERED flags listing them in time order. The CTOC is what gives the order; mutagen
would also write frames sorted by size, which readers that ignore the CTOC (ffmpeg lists
CHAP frames in file order) show as a shuffled list, so frames are written in the order
they were added: the text frames, the table, then the chapters in time order.

A CTOC holds at most 255 children (a one-byte count). With more chapters the top-level
CTOC lists ordered sub-CTOCs (toc0, toc1, ...), each listing up to 255 consecutive
chapters: every chapter stays a CHAP frame that players read, and the table stays valid.

Written as ID3v2.3 (text in UTF-16 where not Latin-1), which more players and operating
systems read than v2.4; the chapter frames are the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import mutagen.id3
import mutagen.id3._tags

from pressaudio.audio.settings import EpisodeMeta
from pressaudio.errors import AudioError
from pressaudio.model import ChapterMark

_id3: Any = mutagen.id3  # mutagen's frame classes are untyped: use them through Any
_save_frame: Any = mutagen.id3._tags.save_frame  # serialises one frame (with its header)

ID3_VERSION = 3
MAX_CTOC_CHILDREN = 255
TOC_ID = "toc"
_TIMESTAMP = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?)?)?")
_NO_OFFSET = 0xFFFFFFFF


class _InOrderID3(_id3.ID3):  # type: ignore[misc]  # mutagen's ID3 is untyped
    """An ID3 tag whose frames are written in insertion order (not mutagen's size order)."""

    def _write(self, config: Any) -> bytearray:
        return bytearray().join(_save_frame(frame, config=config) for frame in self.values())


def id3_timestamp(date: str) -> str:
    """The ID3 timestamp prefix of an ISO 8601 date or datetime ("" if there is none).

    ID3 timestamps have no time zone: the local time of the event is kept as written.
    """
    m = _TIMESTAMP.match(date.strip())
    return m.group(0).replace(" ", "T") if m else ""


def chapter_id(index: int) -> str:
    return f"ch{index}"


def toc_frames(count: int, title: str) -> list[Any]:
    """The CTOC frames for `count` chapters: one, or a top-level one over sub-tables."""
    ids = [chapter_id(i) for i in range(count)]
    top_flags = _id3.CTOCFlags.TOP_LEVEL | _id3.CTOCFlags.ORDERED
    if count <= MAX_CTOC_CHILDREN:
        return [_ctoc(TOC_ID, top_flags, ids, title)]
    groups = -(-count // MAX_CTOC_CHILDREN)
    if groups > MAX_CTOC_CHILDREN:
        raise AudioError(f"{count} chapters is more than an ID3 table of contents can hold")
    size = -(-count // groups)  # balanced groups of at most 255
    subs = []
    for g in range(groups):
        part = ids[g * size : (g + 1) * size]
        label = f"Chapters {g * size + 1}–{g * size + len(part)}"
        subs.append(_ctoc(f"{TOC_ID}{g}", _id3.CTOCFlags.ORDERED, part, label))
    return [_ctoc(TOC_ID, top_flags, [s.element_id for s in subs], title), *subs]


def _ctoc(element_id: str, flags: int, children: list[str], title: str) -> Any:
    return _id3.CTOC(
        element_id=element_id,
        flags=flags,
        child_element_ids=children,
        sub_frames=[_id3.TIT2(encoding=_id3.Encoding.UTF8, text=[title])] if title else [],
    )


def build_tags(meta: EpisodeMeta, chapters: Sequence[ChapterMark], duration_ms: int) -> Any:
    tags = _InOrderID3()
    text = _id3.Encoding.UTF8  # mutagen turns it into UTF-16 where v2.3 needs it
    tags.add(_id3.TIT2(encoding=text, text=[meta.title]))
    if meta.artist:
        tags.add(_id3.TPE1(encoding=text, text=[meta.artist]))
    if meta.album:
        tags.add(_id3.TALB(encoding=text, text=[meta.album]))
    stamp = id3_timestamp(meta.date)
    if stamp:
        tags.add(_id3.TDRC(encoding=text, text=[stamp]))
    if meta.comment:
        tags.add(_id3.COMM(encoding=text, lang="eng", desc="", text=[meta.comment]))
    tags.add(_id3.TCON(encoding=text, text=["Podcast"]))
    tags.add(_id3.TLEN(encoding=text, text=[str(duration_ms)]))
    if chapters:
        for frame in toc_frames(len(chapters), meta.title):
            tags.add(frame)
    for i, ch in enumerate(chapters):
        tags.add(
            _id3.CHAP(
                element_id=chapter_id(i),
                start_time=ch.start_ms,
                end_time=ch.end_ms,
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[_id3.TIT2(encoding=text, text=[ch.title])],
            )
        )
    return tags


def write_tags(
    mp3: Path, meta: EpisodeMeta, chapters: Sequence[ChapterMark], duration_ms: int
) -> None:
    """Replace the ID3v2 tag of `mp3` with the episode's tags and chapters."""
    tags = build_tags(meta, chapters, duration_ms)
    try:
        tags.save(str(mp3), v1=0, v2_version=ID3_VERSION, padding=lambda info: 1024)
    except Exception as err:  # mutagen raises MutagenError subclasses and OSError
        raise AudioError(f"cannot write the ID3 tags: {err}", source=str(mp3)) from err


def read_chapters(mp3: Path) -> tuple[ChapterMark, ...]:
    """The chapters of `mp3` in table-of-contents order (time order if it has no CTOC)."""
    try:
        tags = _id3.ID3(str(mp3))
    except _id3.ID3NoHeaderError:
        return ()
    except Exception as err:
        raise AudioError(f"cannot read the ID3 tags: {err}", source=str(mp3)) from err
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    tocs = {f.element_id: f for f in tags.getall("CTOC")}
    order: list[str] = []

    def walk(toc: Any, seen: set[str]) -> None:
        for child in toc.child_element_ids:
            if child in tocs and child not in seen:
                walk(tocs[child], seen | {child})
            elif child in chaps:
                order.append(child)

    tops = [t for t in tocs.values() if t.flags & _id3.CTOCFlags.TOP_LEVEL]
    if tops:
        walk(tops[0], {tops[0].element_id})
    else:
        order = [c.element_id for c in sorted(chaps.values(), key=lambda c: c.start_time)]
    marks = []
    for cid in order:
        c = chaps[cid]
        titles = c.sub_frames.getall("TIT2")
        marks.append(
            ChapterMark(str(titles[0].text[0]) if titles else "", c.start_time, c.end_time)
        )
    return tuple(marks)
