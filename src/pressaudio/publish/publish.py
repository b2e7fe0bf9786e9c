"""`publish`: a folder of transcripts becomes a podcast folder (feed.xml, episodes, cover).

One run, under an exclusive lock on DIR/.pressaudio/lock:

1. clean what a killed run left (temporaries, the staging folder);
2. read the settings, collect the transcripts, give each a slug and a guid, refuse clashes;
3. key each episode by everything that shapes its audio (source bytes, voice profiles and
   lexicon, engine and library versions, pressaudio's version, audio settings) and compare
   with DIR/.pressaudio/manifest.json: an unchanged episode whose files are intact is
   reused untouched;
   and whose files still hold the bytes recorded (a SHA-256 of each) is reused untouched;
4. render the others in parallel processes straight into DIR/episodes (through temporaries
   beside the final names, so on the same file system even when episodes/ is a mount or a
   symlink onto one) under a name the served feed does not list (`<slug>.mp3` the first
   time, `<slug>.r2.mp3` for a corrected transcript, ...), so a file the feed lists never
   changes under it;
5. write the cover, the manifest, the web page (site.py, if present), and feed.xml last,
   each to a temporary name renamed into place (feed.xml only when its bytes change);
6. delete the files no episode uses any more;
7. with `check` (publish --check, or check = true in podcast.toml), listen to each episode
   rendered in this run (checking.py); whether the recogniser is installed is known at
   step 2, before any render.

Killed at any moment, DIR still holds the previous feed.xml and every file it lists.
Interrupted (Ctrl-C, or SIGTERM from the command line), or failing (a full disk), the run
stops its workers, records the episodes finished so far in the manifest (the next run
reuses them) and releases the lock.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import json
import os
import pickle
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from pressaudio import __version__
from pressaudio.errors import PressaudioError, PublishError, SourceError
from pressaudio.files import exclusive_lock, writing
from pressaudio.model import ChapterMark, Cue, Episode, Transcript
from pressaudio.publish.catalogue import (
    Catalogue,
    DateOrigin,
    PublishedEpisode,
    atomic_write_bytes,
    episode_guid,
    normalise_base_url,
    remove_temporaries,
    slugify,
)
from pressaudio.publish.checking import REPORT_SUFFIX, EpisodeCheck, check_rendered
from pressaudio.publish.settings import SETTINGS_FILE, PodcastSettings, load_settings, setting_line
from pressaudio.render import RenderOptions, RenderResult

TRANSCRIPT_SUFFIXES = (".txt", ".html", ".htm", ".pdf")  # what transcript/reader.py reads
STATE_DIR = ".pressaudio"
MANIFEST_FILE = "manifest.json"  # in STATE_DIR: what each episode was rendered from
PARSED_CACHE = "parsed.pickle"  # in STATE_DIR: the transcripts as parsed, by source hash
MANIFEST_FORMAT = 2  # 2: a SHA-256 of each file
_SIDE_SUFFIXES = (".mp3", ".chapters.json", ".vtt", ".srt")  # what publish writes per episode
_BOOK_SUFFIXES = (".transcript.json", ".epub", ".daisy.zip")  # ... and publish/books.py
_COVER_STYLE = "cover-1"  # bump when cover.draw_cover's design changes
_VERSIONED_PACKAGES = (
    "pyttsx3", "espeakng-loader", "piper-tts", "pylibrb", "imageio-ffmpeg", "pydub", "mutagen",
    "num2words",
)


@dataclass(frozen=True)
class PublishReport:
    """What a publish did, for the summary."""

    feed_path: Path
    feed_url: str
    episodes: tuple[PublishedEpisode, ...]  # newest first, as in the feed
    rendered: tuple[str, ...]  # slugs rendered this run
    reused: tuple[str, ...]  # slugs whose files were reused untouched
    removed: tuple[str, ...]  # slugs no longer in the feed
    feed_changed: bool
    checks: tuple[EpisodeCheck, ...] | None = None  # of the rendered ones; None: not asked


@dataclass(frozen=True)
class PublishHooks:
    """How publish talks to its front end; every hook is optional."""

    note: Callable[[str], None] = lambda message: None  # one line for stderr
    rendering: Callable[[int], None] = lambda total: None  # about to render `total` episodes
    rendered: Callable[[PublishedEpisode], None] = lambda ep: None  # one finished
    checking: Callable[[int], None] = lambda total: None  # about to check `total` episodes
    checked: Callable[[EpisodeCheck], None] = lambda result: None  # one checked


@dataclass(frozen=True)
class _Source:
    path: Path
    name: str  # as shown to the user
    transcript: Transcript
    slug: str
    guid: str
    published: datetime
    date_origin: DateOrigin
    key: str = ""


def publish(
    sources: Sequence[str | Path],
    out_dir: Path,
    base_url: str,
    *,
    jobs: int | None = None,
    options: RenderOptions | None = None,
    hooks: PublishHooks | None = None,
    cluster: str | None = None,
    check: bool | None = None,
) -> PublishReport:
    """Publish the transcripts in `sources` (files or folders) as a podcast in `out_dir`.

    `options` carries the render settings (voices, engine, rate, cache); the podcast's
    title, author and time zone from DIR/podcast.toml are filled in here. Raises
    PublishError (lock held, clash, unwritable folder), ConfigError (podcast.toml, voices)
    or SourceError (a transcript); the previous feed stays as it was. `cluster` (else
    `cluster` in podcast.toml) is a Dask scheduler's address to render on (executors.py);
    without one, `jobs` local processes render. `check` (else `check` in podcast.toml):
    after the feed is written, listen to each episode rendered (checking.py); without the
    recogniser installed, CheckError before anything is rendered.
    """
    hooks = hooks or PublishHooks()
    try:
        url = normalise_base_url(base_url)
    except ValueError as err:
        raise PublishError(f"--base-url: {err}") from None
    out = out_dir.resolve()
    try:
        (out / STATE_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PublishError(
            f"cannot create the folder: {err.strerror}", source=str(out_dir)
        ) from None
    def held(pid: int | None) -> PublishError:
        who = f" (process {pid})" if pid is not None else ""
        return PublishError(
            f"another publish into this folder is running{who}; wait for it to finish",
            source=str(out_dir),
        )

    with exclusive_lock(out / STATE_DIR / "lock", held=held, error=PublishError):
        return _publish(sources, out, url, jobs, options, hooks, cluster, check)


# --- the run ------------------------------------------------------------------------------


def _publish(
    sources: Sequence[str | Path],
    out: Path,
    base_url: str,
    jobs: int | None,
    options: RenderOptions | None,
    hooks: PublishHooks,
    cluster: str | None = None,
    check: bool | None = None,
) -> PublishReport:
    state_dir = out / STATE_DIR
    episodes_dir = out / "episodes"
    for folder in (out, episodes_dir, state_dir):
        remove_temporaries(folder)
    shutil.rmtree(state_dir / "staging", ignore_errors=True)  # older versions rendered there

    settings = load_settings(out)
    check = settings.check if check is None else check
    if check:
        from pressaudio.check import require

        require()  # first, not after rendering: one line saying what to install
    if settings.path is None:
        hooks.note(
            f"no {SETTINGS_FILE} in {out}: using the default podcast settings "
            f"(title {settings.title!r}); `pressaudio init {out}` writes one to edit"
        )
    cover, cover_key = _cover_plan(settings, out)

    opts = _render_options(options, settings)
    shared_key = _shared_key(opts)
    items = _collect(sources, out, settings, hooks)
    items = [replace(s, key=_episode_key(s, shared_key)) for s in items]

    manifest_path = state_dir / MANIFEST_FILE
    manifest = _read_manifest(manifest_path, hooks)
    old_episodes: dict[str, Any] = manifest.get("episodes", {})
    listed = _listed_in_feed(out / "feed.xml")

    published: dict[str, PublishedEpisode] = {}
    to_render: list[tuple[_Source, str]] = []  # (source, new file stem)
    for s in items:
        record = old_episodes.get(s.slug)
        ep = _reuse(record, s, episodes_dir) if record else None
        if ep is not None:
            published[s.slug] = ep
        else:
            to_render.append((s, _new_stem(s.slug, record, listed, episodes_dir)))
    reused = tuple(sorted(published))

    new_records = {slug: old_episodes[slug] for slug in published}
    # Until the new feed is in place, every episode of the old manifest stays known too
    # (its files are still on disk), so a failed run does not forget finished work.
    manifest_out: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "pressaudio": __version__,
        "cover": manifest.get("cover", {}),
        "episodes": {**old_episodes, **new_records},
    }
    try:
        if to_render:
            hooks.rendering(len(to_render))

            def install(s: _Source, stem: str, result: RenderResult) -> None:
                ep = _install(s, result)
                published[s.slug] = ep
                new_records[s.slug] = manifest_out["episodes"][s.slug] = _record(s, stem, ep)
                hooks.rendered(ep)

            _render_all(
                to_render, episodes_dir, opts, jobs, install, cluster or settings.cluster
            )

        cover_record = manifest.get("cover", {})
        if cover_record.get("key") != cover_key or not cover.is_file():
            _write_cover(settings, cover, out)
            cover_record = {"key": cover_key, "file": cover.name}
        _write_manifest(
            manifest_path, {**manifest_out, "cover": cover_record, "episodes": new_records}
        )
    except BaseException:  # record what finished; the feed stays as it was
        with suppress(PressaudioError):  # (a full disk: the error being raised says so)
            _write_manifest(manifest_path, manifest_out)
        raise

    ordered = tuple(
        sorted(published.values(), key=lambda e: (e.published, e.slug), reverse=True)
    )
    catalogue = Catalogue(
        settings=settings, out_dir=out, base_url=base_url, cover=cover, episodes=ordered
    )
    from pressaudio.publish.books import write_books

    book_files = write_books(catalogue, state_dir)  # before the page and feed that link them
    _write_site(catalogue)

    from pressaudio.publish.feed import build

    feed_bytes = build(catalogue)
    feed_path = out / "feed.xml"
    try:
        old_feed = feed_path.read_bytes()
    except OSError:
        old_feed = b""
    changed = old_feed != feed_bytes
    if changed:
        atomic_write_bytes(feed_path, feed_bytes)

    rendered = tuple(sorted(set(published) - set(reused)))
    # a report describes one rendering: those of episodes rendered again go (and come back
    # if this run checks them), as do those of episodes removed
    _remove_unused(episodes_dir, {e.slug for e in ordered}, new_records, book_files,
                   reports=set(reused))
    removed = tuple(sorted(set(old_episodes) - set(published)))
    checks = None
    if check:
        checks = check_rendered(
            [published[slug] for slug in rendered],
            checking=hooks.checking,
            checked=hooks.checked,
        )
    return PublishReport(
        feed_path=feed_path,
        feed_url=catalogue.feed_url,
        episodes=ordered,
        rendered=rendered,
        reused=reused,
        removed=removed,
        feed_changed=changed,
        checks=checks,
    )


# --- sources, slugs, dates ---------------------------------------------------------------


def collect_sources(sources: Sequence[str | Path], out_dir: Path | None = None) -> list[Path]:
    """Transcript files named or found (recursively) in folders; hidden files and what
    publish itself wrote into `out_dir` (episodes/, index.html) are skipped, so transcripts
    may live inside the output folder (feed/transcripts/). Sorted, without duplicates."""
    found: list[Path] = []
    seen: set[Path] = set()
    out = out_dir.resolve() if out_dir is not None else None
    written = (
        (out / "episodes", (out / "episodes").resolve(), out / "index.html")
        if out is not None
        else ()
    )

    def add(p: Path) -> None:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            found.append(p)

    for src in sources:
        text = str(src)
        if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) or text == "-":
            raise PublishError(
                "publish reads transcript files and folders; save the page as a file first",
                source=text,
            )
        p = Path(text)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if any(part.startswith(".") for part in rel):
                    continue
                if any(f.resolve().is_relative_to(w) for w in written):
                    continue
                if out is not None and f.parent.resolve() == out and f.name.startswith(
                    "archive-"
                ):
                    continue  # the web page's archive pages (site.py)
                if f.is_file() and f.suffix.lower() in TRANSCRIPT_SUFFIXES:
                    add(f)
        elif p.is_file():
            add(p)
        else:
            raise PublishError("no such file or folder", source=text)
    return found


def episode_slug(path: Path, transcript: Transcript) -> str:
    """The file stem, made safe; else the date and title; else a hash of the file name."""
    slug = slugify(path.stem)
    if not slug:
        held = transcript.held_at
        stamp = held.strftime("%Y-%m-%d") if held is not None else ""
        slug = slugify(f"{stamp} {transcript.title or ''}")
    if not slug or not re.search(r"[a-z]", slug):
        digest = hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug}-episode-{digest}".strip("-")
    return slug


def published_at(
    transcript: Transcript, path: Path, settings: PodcastSettings
) -> tuple[datetime, DateOrigin]:
    """When the episode was held: the transcript's date and time, in its own zone if it has
    one, else the podcast's time zone (a date alone: noon there); no date: the file's mtime."""
    tz = settings.tz_for(path.name)
    held = transcript.held_at
    if isinstance(held, datetime):
        if held.tzinfo is not None and held.utcoffset() is not None:
            return held.replace(microsecond=0), "transcript"
        return held.replace(tzinfo=tz, microsecond=0), "default-timezone"
    if isinstance(held, date):
        return datetime.combine(held, dtime(12, 0), tzinfo=tz), "default-timezone"
    mtime = int(path.stat().st_mtime)
    return datetime.fromtimestamp(mtime, tz), "file-mtime"


def _collect(
    sources: Sequence[str | Path], out: Path, settings: PodcastSettings, hooks: PublishHooks
) -> list[_Source]:
    from pressaudio.transcript import load

    paths = collect_sources(sources, out)
    if not paths:
        names = ", ".join(str(s) for s in sources) or "(none given)"
        raise PublishError(f"no transcripts (.txt, .html) found in {names}")
    items: list[_Source] = []
    by_slug: dict[str, _Source] = {}
    by_guid: dict[str, _Source] = {}
    cache_path = out / STATE_DIR / PARSED_CACHE
    parsed = _read_parsed(cache_path)
    kept: dict[str, Transcript] = {}
    for p in paths:
        tz = settings.tz_for(p.name)
        try:
            parse_key = hashlib.sha256(
                f"{__version__}\0{p}\0{tz.key}\0".encode() + p.read_bytes()
            ).hexdigest()
        except OSError:
            parse_key = ""
        cached = parsed.get(parse_key)
        transcript = cached if isinstance(cached, Transcript) else load(str(p), default_tz=tz)
        if parse_key:
            kept[parse_key] = transcript
        if not transcript.turns:  # found before any rendering starts
            raise SourceError("no speech found in the transcript", source=str(p))
        for w in transcript.warnings:
            hooks.note(f"{p}: {w}")
        slug = episode_slug(p, transcript)
        guid = episode_guid(p.name)
        when, origin = published_at(transcript, p, settings)
        if origin == "file-mtime":
            hooks.note(
                f"{p}: no date in the transcript; dated by the file's modification time "
                f"({when.isoformat()})"
            )
        s = _Source(p, str(p), transcript, slug, guid, when, origin)
        if slug in by_slug:
            raise PublishError(
                f"{by_slug[slug].name} and {p} would both be published as episodes/{slug}.mp3; "
                "rename one of the files"
            )
        if guid in by_guid:
            raise PublishError(
                f"{by_guid[guid].name} and {p} have the same file name, so the same episode "
                "guid; rename one of the files"
            )
        by_slug[slug] = by_guid[guid] = s
        items.append(s)
    if kept.keys() != parsed.keys():
        with suppress(PressaudioError):  # only a cache: the next run parses again
            atomic_write_bytes(cache_path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    return items


def _read_parsed(path: Path) -> dict[str, Any]:
    """The transcripts parsed by earlier runs, by a hash of what they were parsed from
    (pressaudio's version, the file's name, its time zone and bytes); {} if unreadable.
    Parsing thousands of transcripts on every run would cost more than all the rest."""
    try:
        with open(path, "rb") as f:
            data = pickle.load(f)  # publish's own state, like the manifest beside it
    except FileNotFoundError:
        return {}
    except Exception:  # a cache from another version, cut short, ...: parse again
        return {}
    return data if isinstance(data, dict) else {}


def summarise(transcript: Transcript, limit: int = 400) -> str:
    """A few plain sentences for the item description: what, when, where, who, then the
    opening words."""
    title = transcript.title or "Press conference"
    held = transcript.held_at
    parts = [title.rstrip(".") + "."]
    if held is not None:
        when = held.strftime("%A %d %B %Y") + (
            held.strftime(", %H:%M") if isinstance(held, datetime) else ""
        )
        place = f" at {transcript.location}" if transcript.location else ""
        parts.append(f"Held {when}{place}.")
    names = [s.name for s in transcript.speakers if s.role != "reporter"]
    if names:
        parts.append("Speakers: " + ", ".join(names) + ".")
    if transcript.turns:
        first = " ".join(transcript.turns[0].text.split())
        if len(first) > limit:
            cut = first[:limit]
            end = max(cut.rfind(". "), cut.rfind("? "))
            first = cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + "…"
        parts.append(f"“{first}”")
    parts.append("Read by synthetic voices.")
    return " ".join(parts)


# --- keys and the manifest --------------------------------------------------------------


def _render_options(options: RenderOptions | None, settings: PodcastSettings) -> RenderOptions:
    from pressaudio.speech.synth import default_cache_dir

    opts = options or RenderOptions(cache_dir=default_cache_dir())
    return replace(
        opts, default_tz=settings.tzinfo, publisher=settings.author, podcast=settings.title
    )


def _hash_tree(h: Any, folder: Path) -> None:
    if not folder.is_dir():
        return
    for f in sorted(folder.rglob("*")):
        rel = f.relative_to(folder).as_posix()
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts):
            h.update(rel.encode() + b"\0" + f.read_bytes() + b"\0")


def _shared_key(opts: RenderOptions) -> str:
    """Hash of everything except the transcript that shapes an episode's files."""
    from pressaudio.speech.voices import default_voices_dir, find_voices_dir

    h = hashlib.sha256()
    versions: dict[str, str | None] = {}
    for pkg in _VERSIONED_PACKAGES:
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            versions[pkg] = None
    material = {
        "pressaudio": __version__,
        "packages": versions,
        "engine": opts.engine,
        "rate": opts.rate,
        "audio": repr(opts.audio),
        "publisher": opts.publisher,
        "podcast": opts.podcast,
    }
    h.update(json.dumps(material, sort_keys=True).encode())
    voices = find_voices_dir(opts.voices_dir, opts.engine)
    _hash_tree(h, voices)
    if voices.resolve() != default_voices_dir().resolve():
        _hash_tree(h, default_voices_dir())  # roles a custom folder leaves out come from here
    return h.hexdigest()


def _episode_key(s: _Source, shared: str) -> str:
    h = hashlib.sha256(shared.encode())
    h.update(s.path.read_bytes())
    held = s.transcript.held_at  # with the zone publish gave it (it goes into the ID3 date)
    h.update(b"\0" + (held.isoformat() if held is not None else "").encode())
    return h.hexdigest()


# What a manifest holds, as data: a type, [shape] for a list of any length, (shapes) for a
# list of exactly those, {key: shape} for an object with (at least) those keys.
_RECORD_SHAPE: dict[str, Any] = {
    "key": str,
    "stem": str,
    "source": str,
    "guid": str,
    "mp3_bytes": int,
    "files": (str, str, str, str),
    "sha256": (str, str, str, str),  # of each of `files`
    "duration_ms": int,
    "chapters": [(str, int, int)],
    "cues": [(int, int, str, str)],
    "casting": [(str, str)],
}
_MANIFEST_SHAPE: dict[str, Any] = {"format": int, "cover": {}, "episodes": {}}
_COVER_SHAPE: dict[str, Any] = {"key": str, "file": str}


def _fits(value: Any, shape: Any) -> bool:
    if isinstance(shape, type):
        return isinstance(value, shape) and not (shape is int and isinstance(value, bool))
    if isinstance(shape, list):
        return isinstance(value, list) and all(_fits(v, shape[0]) for v in value)
    if isinstance(shape, tuple):
        return (
            isinstance(value, list)
            and len(value) == len(shape)
            and all(_fits(v, s) for v, s in zip(value, shape, strict=True))
        )
    return isinstance(value, dict) and all(k in value and _fits(value[k], s)
                                           for k, s in shape.items())


def _valid_record(slug: str, record: Any) -> bool:
    """A record of publish's own making: the shape, and file names derived from the slug
    (so a hand-edited manifest can never point publish at a file outside episodes/)."""
    if not _fits(record, _RECORD_SHAPE) or not re.fullmatch(r"[a-z0-9-]+", slug):
        return False
    stem = record["stem"]
    return bool(re.fullmatch(re.escape(slug) + r"(\.r[0-9]+)?", stem)) and record["files"] == [
        stem + suffix for suffix in _SIDE_SUFFIXES
    ]


def _read_manifest(path: Path, hooks: PublishHooks) -> dict[str, Any]:
    """The manifest, with only the records of a valid shape; {} if there is none.

    An unreadable manifest, or one of another shape, is noted and treated as empty: every
    episode is then rendered again, under names the current feed does not list."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        hooks.note(f"{path}: unreadable; every episode will be rendered again")
        return {}
    if not _fits(data, _MANIFEST_SHAPE):
        hooks.note(f"{path}: not a manifest of this shape; every episode will be rendered again")
        return {}
    if data["format"] != MANIFEST_FORMAT:
        hooks.note(
            f"{path}: written by another version of pressaudio; every episode will be "
            "rendered again"
        )
        return {}
    episodes = {k: v for k, v in data["episodes"].items() if _valid_record(k, v)}
    if len(episodes) < len(data["episodes"]):
        n = len(data["episodes"]) - len(episodes)
        hooks.note(
            f"{path}: {n} episode record{'s' * (n != 1)} not understood; "
            f"{'those episodes' if n != 1 else 'that episode'} will be rendered again"
        )
    cover = data["cover"] if _fits(data["cover"], _COVER_SHAPE) else {}
    return {**data, "episodes": episodes, "cover": cover}


def _write_manifest(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    atomic_write_bytes(path, text.encode("utf-8") + b"\n")


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _files(e: Episode) -> tuple[Path, Path, Path, Path]:
    return (e.mp3, e.chapters_json, e.vtt, e.srt)  # in the order of _SIDE_SUFFIXES


def _stat(path: Path) -> list[int]:
    """What changes whenever a file's bytes do: size, mtime, ctime (which no user can set
    back: writing the same number of bytes and restoring the mtime still moves it), inode."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _record(s: _Source, stem: str, ep: PublishedEpisode) -> dict[str, Any]:
    e = ep.episode
    return {
        "key": s.key,
        "stem": stem,
        "source": s.name,
        "guid": s.guid,
        "mp3_bytes": ep.mp3_bytes,
        "files": [p.name for p in _files(e)],
        "sha256": [_sha256(p) for p in _files(e)],
        "stat": [_stat(p) for p in _files(e)],  # as hashed: unchanged, no need to hash again
        "duration_ms": e.duration_ms,
        "chapters": [[c.title, c.start_ms, c.end_ms] for c in e.chapters],
        "cues": [[c.start_ms, c.end_ms, c.speaker_name, c.text] for c in e.cues],
        "casting": [list(pair) for pair in e.casting],
    }


def _reuse(record: dict[str, Any], s: _Source, episodes_dir: Path) -> PublishedEpisode | None:
    """The episode as rendered before, if its key matches and its files all still hold the
    bytes recorded: the size first; then, unless each file's size, mtime, ctime and inode
    are those recorded when it was last hashed, a SHA-256 of each (and the new stat is
    recorded in `record`, so a catalogue of thousands is not read whole on every run)."""
    if record["key"] != s.key:
        return None
    files = [episodes_dir / name for name in record["files"]]
    try:
        stats = [_stat(p) for p in files]
        if stats[0][0] != record["mp3_bytes"]:
            return None
        if stats != record.get("stat"):
            if [_sha256(p) for p in files] != record["sha256"]:
                return None
            record["stat"] = stats
    except OSError:
        return None
    mp3, chapters, vtt, srt = files
    episode = Episode(
        mp3=mp3,
        chapters_json=chapters,
        vtt=vtt,
        srt=srt,
        duration_ms=record["duration_ms"],
        chapters=tuple(ChapterMark(t, a, b) for t, a, b in record["chapters"]),
        cues=tuple(Cue(a, b, n, t) for a, b, n, t in record["cues"]),
        casting=tuple((a, b) for a, b in record["casting"]),
    )
    return _published(s, episode, record["mp3_bytes"])


def _published(s: _Source, episode: Episode, size: int) -> PublishedEpisode:
    return PublishedEpisode(
        slug=s.slug,
        guid=s.guid,
        source=s.name,
        title=s.transcript.title or s.path.stem,
        published=s.published,
        date_origin=s.date_origin,
        summary=summarise(s.transcript),
        transcript=s.transcript,
        episode=episode,
        mp3_bytes=size,
    )


def _stem_for(slug: str, rev: int) -> str:
    return slug if rev <= 1 else f"{slug}.r{rev}"


def _new_stem(
    slug: str, record: dict[str, Any] | None, listed: set[str], episodes_dir: Path
) -> str:
    """A file stem for a fresh rendering that the served feed does not list.

    Slugs never contain ".", so "<slug>.r<N>" cannot collide with another episode's slug.
    """
    rev = 1
    if record:
        m = re.fullmatch(re.escape(slug) + r"(?:\.r(\d+))?", str(record.get("stem", "")))
        if m:
            rev = int(m.group(1) or 1) + 1
    while any(_stem_for(slug, rev) + suffix in listed for suffix in _SIDE_SUFFIXES):
        rev += 1
    return _stem_for(slug, rev)


def _listed_in_feed(feed: Path) -> set[str]:
    """File names (in episodes/) that the current feed.xml points at."""
    try:
        root = ET.parse(feed).getroot()
    except (OSError, ET.ParseError):
        return set()
    names: set[str] = set()
    for el in root.iter():
        for attr in ("url", "href"):
            value = el.get(attr)
            if value:
                names.add(value.rsplit("/", 1)[-1])
    return names


# --- rendering ----------------------------------------------------------------------------


def _render_all(
    work: list[tuple[_Source, str]],
    episodes_dir: Path,
    opts: RenderOptions,
    jobs: int | None,
    install: Callable[[_Source, str, RenderResult], None],
    cluster: str | None = None,
) -> None:
    """Render each (source, stem) into episodes_dir/<stem>.mp3, installing each as it ends,
    on a Dask cluster or in local processes (executors.py).

    On any failure or interruption the renders still running are stopped (a local worker
    removes its temporaries) and those that had already finished are installed before the
    error goes on.
    """
    from pressaudio.publish.executors import RenderTask, make_executor

    with writing(episodes_dir, PublishError):  # a cluster's workers look for it
        episodes_dir.mkdir(parents=True, exist_ok=True)
    by_name = {s.slug: (s, stem) for s, stem in work}
    tasks = [
        RenderTask(s.slug, str(s.path), episodes_dir / f"{stem}.mp3", s.transcript)
        for s, stem in work
    ]

    def deliver(task: RenderTask, episode: Episode) -> None:
        s, stem = by_name[task.name]
        install(s, stem, RenderResult(transcript=s.transcript, episode=episode))

    make_executor(jobs=jobs, cluster=cluster, n_tasks=len(tasks)).run(tasks, opts, deliver)


def _install(s: _Source, result: RenderResult) -> PublishedEpisode:
    """A finished rendering (already at its final names in episodes/), as published."""
    s2 = replace(s, transcript=result.transcript)
    with writing(result.episode.mp3, PublishError):
        size = result.episode.mp3.stat().st_size
    return _published(s2, result.episode, size)


def _remove_unused(
    episodes_dir: Path,
    slugs: set[str],
    records: dict[str, Any],
    keep: frozenset[str] = frozenset(),
    *,
    reports: Collection[str] = (),
) -> None:
    """Delete episode files no current episode uses (older renderings, removed episodes).

    Only publish's own kinds of file are touched, HTML pages of removed episodes, and check
    reports (<slug>.check.txt) of any slug but `reports`."""
    used = {name for r in records.values() for name in r.get("files", [])} | keep
    used |= {slug + REPORT_SUFFIX for slug in reports}
    if not episodes_dir.is_dir():
        return
    for f in episodes_dir.iterdir():
        if not f.is_file() or f.name in used:
            continue
        if f.name.endswith((*_SIDE_SUFFIXES, *_BOOK_SUFFIXES, REPORT_SUFFIX)) or (
            f.suffix == ".html" and f.stem not in slugs and re.fullmatch(r"[a-z0-9-]+", f.stem)
        ):
            with suppress(FileNotFoundError):
                f.unlink()


# --- cover, site -------------------------------------------------------------------------


def _cover_plan(settings: PodcastSettings, out: Path) -> tuple[Path, str]:
    """Where the cover goes and the key of what it should contain."""
    if settings.artwork is not None:
        from pressaudio.publish.cover import check_artwork

        mime = check_artwork(
            settings.artwork,
            source=str(settings.path),
            line=setting_line(settings, "artwork"),
        )
        data = settings.artwork.read_bytes()
        name = "cover.png" if mime == "image/png" else "cover.jpg"
        return out / name, "file:" + hashlib.sha256(data).hexdigest()
    material = json.dumps([_COVER_STYLE, settings.title, settings.author])
    return out / "cover.png", "drawn:" + hashlib.sha256(material.encode()).hexdigest()


def _write_cover(settings: PodcastSettings, cover: Path, out: Path) -> None:
    if settings.artwork is not None:
        atomic_write_bytes(cover, settings.artwork.read_bytes())
        return
    from pressaudio.publish.cover import draw_cover

    atomic_write_bytes(cover, draw_cover(settings.title, settings.author))


def _write_site(catalogue: Catalogue) -> None:
    """index.html and the episodes' HTML transcripts, from site.py when it is installed."""
    try:
        site = importlib.import_module("pressaudio.publish.site")
    except ModuleNotFoundError as err:
        if err.name != "pressaudio.publish.site":
            raise
        return
    site.write_site(catalogue, catalogue.out_dir / STATE_DIR)

