"""ID3 tags: timestamps, the table of contents, and more chapters than one CTOC can hold."""

from __future__ import annotations

from pathlib import Path

import mutagen.id3
import pytest
from audio_helpers import clip_file, ffprobe, script_of, utterance

from pressaudio.audio import EpisodeMeta, assemble
from pressaudio.audio.tags import MAX_CTOC_CHILDREN, id3_timestamp, read_chapters, toc_frames
from pressaudio.errors import AudioError


def test_id3_timestamps_keep_the_valid_prefix() -> None:
    assert id3_timestamp("2023-09-14") == "2023-09-14"
    assert id3_timestamp("2023-09-14T15:02:00+09:00") == "2023-09-14T15:02:00"
    assert id3_timestamp("2023-09-14 15:02") == "2023-09-14T15:02"
    assert id3_timestamp("") == ""
    assert id3_timestamp("September 2023") == ""


def test_up_to_255_chapters_need_one_table() -> None:
    (toc,) = toc_frames(MAX_CTOC_CHILDREN, "T")
    assert len(toc.child_element_ids) == 255
    assert toc.flags == mutagen.id3.CTOCFlags.TOP_LEVEL | mutagen.id3.CTOCFlags.ORDERED


def test_more_chapters_are_grouped_under_ordered_sub_tables() -> None:
    top, *subs = toc_frames(600, "T")
    assert top.child_element_ids == ["toc0", "toc1", "toc2"]
    assert [len(s.child_element_ids) for s in subs] == [200, 200, 200]
    assert all(s.flags == mutagen.id3.CTOCFlags.ORDERED for s in subs)
    assert [c for s in subs for c in s.child_element_ids] == [f"ch{i}" for i in range(600)]
    with pytest.raises(AudioError, match="more than"):
        toc_frames(255 * 255 + 1, "T")


def test_an_episode_with_300_chapters_stays_valid_and_ordered(tmp_path: Path) -> None:
    one = clip_file(tmp_path, utterance("x", pause_ms=20), ms=40)
    clips = [one] * 300
    chapters = [(f"Question {i + 1}", i) for i in range(300)]
    episode = assemble(
        clips, script_of(clips, chapters), tmp_path / "many.mp3", EpisodeMeta("M", "P", "A")
    )
    assert [m.start_ms for m in episode.chapters] == [60 * i for i in range(300)]
    tags = mutagen.id3.ID3(episode.mp3)  # mutagen can read what it wrote
    assert len(tags.getall("CHAP")) == 300
    tops = [t for t in tags.getall("CTOC") if t.flags & mutagen.id3.CTOCFlags.TOP_LEVEL]
    assert len(tops) == 1 and len(tops[0].child_element_ids) == 2
    assert read_chapters(episode.mp3) == episode.chapters
    probed = ffprobe(episode.mp3)["chapters"]
    assert [c["tags"]["title"] for c in probed] == [t for t, _ in chapters]
    assert [int(c["start"]) for c in probed] == [m.start_ms for m in episode.chapters]
