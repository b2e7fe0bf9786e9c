"""The text beside the audio, per published episode: the JSON transcript and the books.

    write_books(catalogue) -> the file names in episodes/ it wrote or kept

For every episode of the catalogue, beside its MP3 (`<stem>` is the MP3's name without
`.mp3`, so a re-rendered episode's books get its new name too):

    episodes/<stem>.transcript.json   the Podcast Index JSON transcript (podcast:transcript)
    episodes/<stem>.epub              EPUB 3 with Media Overlays, always
    episodes/<stem>.daisy.zip         DAISY 2.02, when podcast.toml says `daisy = true`

The books are made from files already rendered, so episodes rendered before these existed
get them too. A book is written again only when what it is made of changed (its key, kept in
DIR/.pressaudio/books.json): a publish with nothing changed rewrites nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pressaudio import __version__
from pressaudio.audio.captions import transcript_json, transcript_json_path
from pressaudio.books import daisy_path, epub_path
from pressaudio.books.daisy import write_daisy
from pressaudio.books.epub import write_epub
from pressaudio.books.outline import outline
from pressaudio.books.package import BookMeta, write_text
from pressaudio.publish.catalogue import Catalogue, PublishedEpisode

__all__ = ["BOOKS_STATE", "book_files", "write_books"]

BOOKS_STATE = "books.json"  # in DIR/.pressaudio


def book_files(catalogue: Catalogue, ep: PublishedEpisode) -> dict[str, Path]:
    """The extra files of one episode by kind: "json", "epub" and, if enabled, "daisy"."""
    mp3 = ep.episode.mp3
    files = {"json": transcript_json_path(mp3), "epub": epub_path(mp3)}
    if catalogue.settings.daisy:
        files["daisy"] = daisy_path(mp3)
    return files


def _meta(catalogue: Catalogue, ep: PublishedEpisode) -> BookMeta:
    s = catalogue.settings
    return BookMeta(identifier=f"urn:uuid:{ep.guid}", language=s.language, publisher=s.author)


def _key(kind: str, catalogue: Catalogue, ep: PublishedEpisode) -> str:
    st = ep.episode.mp3.stat()
    material = repr(
        (__version__, kind, ep.episode.mp3.name, st.st_size, st.st_mtime_ns,
         _meta(catalogue, ep), outline(ep.episode, ep.transcript))
    )  # fmt: skip
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def write_books(catalogue: Catalogue, state_dir: Path) -> frozenset[str]:
    """Write what is missing or out of date; return the names of every such file."""
    state_path = state_dir / BOOKS_STATE
    try:
        state: dict[str, str] = json.loads(state_path.read_text(encoding="utf-8"))
        if not isinstance(state, dict):
            state = {}
    except (OSError, ValueError):
        state = {}
    new_state: dict[str, str] = {}
    kept: set[str] = set()
    for ep in catalogue.episodes:
        for kind, path in book_files(catalogue, ep).items():
            kept.add(path.name)
            if kind == "json":  # made from the rendering's cues: its name and time say it
                st = ep.episode.mp3.stat()
                key = f"{__version__}:{ep.episode.mp3.name}:{st.st_size}:{st.st_mtime_ns}"
                if state.get(path.name) != key or not path.is_file():
                    write_text(path, transcript_json(ep.episode.cues))
                new_state[path.name] = key
                continue
            key = _key(kind, catalogue, ep)
            if state.get(path.name) != key or not path.is_file():
                writer = write_epub if kind == "epub" else write_daisy
                writer(ep.episode, ep.transcript, path, _meta(catalogue, ep))
            new_state[path.name] = key
    if new_state != state:
        write_text(state_path, json.dumps(new_state, indent=1, sort_keys=True) + "\n")
    return frozenset(kept)
