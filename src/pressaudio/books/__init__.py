"""Talking books from an episode: EPUB 3 with Media Overlays (epub.py) and DAISY 2.02 (daisy.py).

Both are made from what rendering already knows: the episode's MP3 (the one audio file of
the book), its cues (one timed utterance each: a sentence, a few short ones, or a clause of
a long one) and chapters, and the transcript's title, date, place and speakers. The shared
outline (outline.py) turns those into headings, turns and timed sentences.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DAISY_SUFFIX", "EPUB_SUFFIX", "daisy_path", "epub_path"]

EPUB_SUFFIX = ".epub"
DAISY_SUFFIX = ".daisy.zip"


def _stem(mp3: Path) -> Path:
    return mp3.with_suffix("") if mp3.suffix.lower() == ".mp3" else mp3


def epub_path(mp3: Path) -> Path:
    """OUT.epub for OUT.mp3."""
    return _stem(mp3).with_name(_stem(mp3).name + EPUB_SUFFIX)


def daisy_path(mp3: Path) -> Path:
    """OUT.daisy.zip for OUT.mp3."""
    return _stem(mp3).with_name(_stem(mp3).name + DAISY_SUFFIX)
