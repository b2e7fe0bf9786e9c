"""The podcast's own web page: index.html and one HTML transcript page per episode.

Many listeners are blind or have low vision, so the pages are built for a screen reader
and a keyboard first: landmarks, one h1 and an orderly outline, a skip link, visible
focus, WCAG 2.2 AA contrast in light and dark colour schemes, text that reflows at 400 %
zoom, no autoplay and no motion for those who ask for none.

Chapters and transcript times are real links to the MP3 with a media fragment
(``episodes/x.mp3#t=95``), so without JavaScript they still open the audio at that point;
a few lines of inline JavaScript make them seek the page's own player instead.

The per-episode page follows the Podcasting 2.0 HTML transcript format (``<cite>`` for the
speaker, ``<time>`` for the start, ``<p>`` for the words), which ``podcast:transcript
type="text/html"`` points at.

The pages are Jinja2 templates with autoescape always on (templates/*.html.j2, with the
style sheet and script, templates/site.css and site.js, inlined by `{% include %}` so that
each page stands alone): every value reaches the page through `{{ }}`, escaped, with its
control characters dropped; nothing marks data safe. No page embeds JSON.

Every file is written to a temporary name and renamed into place; episode pages first,
index.html last.

A catalogue of thousands stays quick and its pages small: index.html shows the newest
`page_episodes` (podcast.toml, default 50) with their players and chapters (and their
transcripts while the whole catalogue fits on it); `archive-<year>.html` lists every
episode of a year with a link to its own page. An episode page is rendered again only
when what it is made of changed (its key in DIR/.pressaudio/pages.json), and index.html and
the archive pages are rewritten only when their bytes change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2

from pressaudio.errors import OutputError, PublishError
from pressaudio.model import ChapterMark, Cue, Transcript

if TYPE_CHECKING:
    from pressaudio.publish.catalogue import Catalogue, PublishedEpisode

__all__ = [
    "SiteEpisode",
    "SiteLink",
    "SiteSpan",
    "SiteTurn",
    "build_site",
    "site_episode",
    "site_turns",
    "write_site",
]


# --- the data the pages are made from ------------------------------------------------------


@dataclass(frozen=True)
class SiteSpan:
    """A stretch of a paragraph: a heard sentence (with its times) or text between them."""

    text: str
    start_ms: int | None = None  # None: not matched to a cue (shown, never highlighted)
    end_ms: int | None = None


@dataclass(frozen=True)
class SiteTurn:
    """One speaker's turn as shown in the transcript."""

    speaker_name: str
    paragraphs: tuple[str, ...]
    start_ms: int | None = None  # where the turn starts in the audio, when known
    spans: tuple[tuple[SiteSpan, ...], ...] = ()  # per paragraph; () if not aligned


@dataclass(frozen=True)
class SiteLink:
    """A file offered beside the audio (captions, chapters)."""

    label: str  # "WebVTT captions"
    url: str  # relative to the site root (or absolute)
    media_type: str  # "text/vtt"


@dataclass(frozen=True)
class SiteEpisode:
    """Everything the web page shows of one episode."""

    slug: str  # safe file name part: episodes/<slug>.html
    title: str
    published: datetime | date | None  # newest first; None sorts last
    duration_ms: int
    audio_url: str  # relative to the site root, e.g. "episodes/<slug>.mp3"
    chapters: tuple[ChapterMark, ...]
    turns: tuple[SiteTurn, ...]
    transcript_links: tuple[SiteLink, ...] = ()
    audio_bytes: int | None = None
    location: str | None = None
    summary: str = ""
    held_at: datetime | date | None = None  # what to show as the date; None: `published`

    @property
    def date_display(self) -> str:
        """The shown date, e.g. "Thursday 14 September 2023, 21:31 JST"; "" if none."""
        return _date_display(self.held_at if self.held_at is not None else self.published)

    @property
    def date_iso(self) -> str:
        """The shown date as an HTML `<time datetime>` value, or ""."""
        when = self.held_at if self.held_at is not None else self.published
        if when is None:
            return ""
        if isinstance(when, datetime):
            return when.isoformat(timespec="minutes")
        return when.isoformat()

    @property
    def page_name(self) -> str:
        return f"{self.slug}.html"


# --- building them from a publish run ------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def site_turns(transcript: Transcript, cues: Sequence[Cue] = ()) -> tuple[SiteTurn, ...]:
    """The transcript's turns with speaker names, each timed by the first cue it matches.

    Cues are the spoken utterances (captions in the source's wording), in order. A turn's
    start is the first cue, at or after the previous match, whose text lies inside the
    turn's text; a short cue must also carry the turn's speaker name, so that a "Thank
    you." far ahead cannot derail the alignment. Unmatched turns get no time.
    """
    out: list[SiteTurn] = []
    pos = 0
    normed = [_norm(c.text) for c in cues]
    for turn in transcript.turns:
        try:
            name = transcript.speaker(turn.speaker).name
        except KeyError:
            name = turn.label or ("Narrator" if turn.role == "narrator" else turn.speaker)
        paragraphs = tuple(
            " ".join(p.split()) for p in re.split(r"\n\s*\n", turn.text) if p.strip()
        )
        body = _norm(turn.text)
        start: int | None = None
        first = len(cues)
        for j in range(pos, min(len(cues), pos + 40)):
            text = normed[j]
            if not text or text not in body:
                continue
            if len(text) < 24 and cues[j].speaker_name != name:
                continue
            start = cues[j].start_ms
            first = j
            pos = j + 1
            # the rest of this turn: the same voice, words from the same text
            while (
                pos < len(cues)
                and cues[pos].speaker_name == cues[j].speaker_name
                and normed[pos]
                and normed[pos] in body
            ):
                pos += 1
            break
        spans = _spans(paragraphs, cues[first:pos]) if start is not None else ()
        out.append(SiteTurn(name, paragraphs, start, spans))
    return tuple(out)


def _spans(paragraphs: Sequence[str], cues: Sequence[Cue]) -> tuple[tuple[SiteSpan, ...], ...]:
    """Each paragraph cut into the sentences heard (the turn's cues, found in order in its
    text) and the text between them (stage directions, what was not spoken)."""
    out: list[tuple[SiteSpan, ...]] = []
    k = 0
    for para in paragraphs:
        spans: list[SiteSpan] = []
        at = 0
        while k < len(cues):
            text = " ".join(cues[k].text.split())
            found = para.find(text, at) if text else -1
            if found < 0:
                break
            if para[at:found].strip():
                spans.append(SiteSpan(para[at:found].strip()))
            spans.append(SiteSpan(text, cues[k].start_ms, cues[k].end_ms))
            at = found + len(text)
            k += 1
        if para[at:].strip():
            spans.append(SiteSpan(para[at:].strip()))
        out.append(tuple(spans))
    return tuple(out)


def _rel_url(path: Path, root: Path) -> str:
    from pressaudio.publish.catalogue import relative_url

    return relative_url(path, root)


def site_episode(ep: PublishedEpisode, out_dir: Path, *, turns: bool = True) -> SiteEpisode:
    """The web page's view of one published episode (paths made relative to `out_dir`);
    without `turns`, no transcript (enough for a list of episodes, and quick)."""
    episode = ep.episode
    from pressaudio.audio.captions import transcript_json_path
    from pressaudio.books import daisy_path, epub_path

    links = [
        SiteLink("WebVTT captions", _rel_url(episode.vtt, out_dir), "text/vtt"),
        SiteLink("SRT captions", _rel_url(episode.srt, out_dir), "application/x-subrip"),
        SiteLink("Chapters (JSON)", _rel_url(episode.chapters_json, out_dir), "application/json"),
    ]
    extras = (  # written by publish/books.py before the pages; offered when present
        ("Transcript with speakers (JSON)", transcript_json_path(episode.mp3), "application/json"),
        ("EPUB talking book: text and audio", epub_path(episode.mp3), "application/epub+zip"),
        ("DAISY 2.02 talking book (zip)", daisy_path(episode.mp3), "application/zip"),
    )
    links += [SiteLink(label, _rel_url(p, out_dir), kind) for label, p, kind in extras
              if p.is_file()]  # fmt: skip
    return SiteEpisode(
        slug=ep.slug,
        title=ep.title,
        published=ep.published,
        duration_ms=episode.duration_ms,
        audio_url=_rel_url(episode.mp3, out_dir),
        chapters=episode.chapters,
        turns=site_turns(ep.transcript, episode.cues) if turns else (),
        transcript_links=tuple(links),
        audio_bytes=ep.mp3_bytes,
        location=ep.transcript.location,
        held_at=ep.transcript.held_at if ep.transcript.held_at is not None else ep.published,
    )


PAGES_STATE = "pages.json"  # in DIR/.pressaudio: each episode page's key


def _template_key() -> str:
    """A hash of the templates (and this module), so a new design renders every page."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    folder = Path(__file__).resolve().parent / "templates"
    for f in sorted(folder.iterdir()):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def write_site(catalogue: Catalogue, state_dir: Path | None = None) -> None:
    """index.html, the archive pages and episodes/<slug>.html for a publish run (called by
    publish()). With `state_dir`, an episode page whose key is unchanged (and whose file is
    there) is not rendered again."""
    out = catalogue.out_dir
    settings = catalogue.settings
    try:
        cover_url = _rel_url(catalogue.cover, out)
    except ValueError:
        cover_url = None
    podcast = _Podcast(settings.title, settings.description, catalogue.feed_url, cover_url,
                       settings.language, settings.author)  # fmt: skip
    state_path = state_dir / PAGES_STATE if state_dir is not None else None
    old: dict[str, str] = {}
    if state_path is not None:
        try:
            data = json.loads(state_path.read_text(encoding="utf-8"))
            old = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            old = {}
    templates = _template_key()
    light = [site_episode(ep, out, turns=False) for ep in catalogue.episodes]
    keys: dict[str, str] = {}
    for ep, view in zip(catalogue.episodes, light, strict=True):
        mp3 = ep.episode.mp3
        try:
            mtime = mp3.stat().st_mtime_ns
        except OSError:
            mtime = 0
        material = repr((templates, podcast, view, ep.summary, mp3.name, mtime,
                         ep.episode.chapters, len(ep.episode.cues)))  # fmt: skip
        keys[ep.slug] = hashlib.sha256(material.encode("utf-8")).hexdigest()
    stale = {
        ep.slug for ep in catalogue.episodes
        if old.get(ep.slug) != keys[ep.slug] or not (out / "episodes" / ep.html_name).is_file()
    }  # fmt: skip
    # index.html carries the transcripts too while the whole catalogue fits on it (beyond,
    # build_site leaves them to each episode's own page)
    shown = {view.slug for view in light} if len(light) <= settings.page_episodes else set()
    views = [
        replace(view, turns=site_turns(ep.transcript, ep.episode.cues))
        if ep.slug in stale or ep.slug in shown else view
        for ep, view in zip(catalogue.episodes, light, strict=True)
    ]
    build_site(
        settings.title,
        settings.description,
        catalogue.feed_url,
        cover_url,
        views,
        out,
        language=settings.language,
        author=settings.author,
        page_episodes=settings.page_episodes,
        pages=stale,
    )
    if state_path is not None and keys != old:
        from pressaudio.publish.catalogue import atomic_write_text

        with suppress(OutputError):  # only a record: the next run renders them again
            atomic_write_text(state_path, json.dumps(keys, indent=0, sort_keys=True) + "\n")


# --- writing the pages ---------------------------------------------------------------------

_SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def build_site(
    podcast_title: str,
    description: str,
    feed_url: str,
    cover_url: str | None,
    episodes: Sequence[SiteEpisode],
    out_dir: Path,
    *,
    language: str = "en",
    author: str | None = None,
    page_episodes: int | None = None,
    pages: Collection[str] | None = None,
) -> None:
    """Write `out_dir/index.html` and `out_dir/episodes/<slug>.html` for every episode.

    With `page_episodes`, index.html shows only that many of the newest, and when there are
    more, `out_dir/archive-<year>.html` lists every episode of each year (archive pages of
    years no longer listed are removed). With `pages`, only the episode pages of those
    slugs are written (the others are as the last run wrote them).

    `feed_url` should be absolute (it is what listeners paste into a podcast app);
    `cover_url` and the episodes' URLs are relative to `out_dir` (or absolute). Episodes
    are listed newest first by `published` (stable for equal dates, undated last).
    Raises PublishError for an unsafe or repeated slug, or a folder that cannot be written.
    """
    from pressaudio.publish.catalogue import atomic_write_text

    seen: set[str] = set()
    for ep in episodes:
        if not _SLUG_RE.fullmatch(ep.slug) or ".." in ep.slug:
            raise PublishError(f"unsafe episode slug {ep.slug!r} (use letters, digits, - _ .)")
        if ep.slug in seen:
            raise PublishError(f"two episodes share the slug {ep.slug!r}")
        seen.add(ep.slug)
    ordered = sorted(episodes, key=_sort_key, reverse=True)
    podcast = _Podcast(podcast_title, description, feed_url, cover_url, language, author)
    env = _environment()
    newest = ordered[:page_episodes] if page_episodes else ordered
    by_year: dict[str, list[SiteEpisode]] = {}
    if len(newest) < len(ordered):
        for ep in ordered:
            by_year.setdefault(_year(ep), []).append(ep)
    years = [(y, len(eps)) for y, eps in by_year.items()]
    if by_year:  # the index stays small: the transcripts are on the episodes' own pages
        newest = [replace(ep, turns=()) for ep in newest]
    try:
        for ep in ordered:
            if pages is None or ep.slug in pages:
                atomic_write_text(
                    out_dir / "episodes" / ep.page_name, _episode_page(env, podcast, ep)
                )
        for year, eps in by_year.items():
            _write_changed(out_dir / f"archive-{year}.html",
                           _archive_page(env, podcast, year, eps, years))  # fmt: skip
        for old in out_dir.glob("archive-*.html"):
            m = _ARCHIVE_RE.fullmatch(old.name)
            if m and m.group(1) not in by_year:
                old.unlink(missing_ok=True)
        _write_changed(
            out_dir / "index.html", _index_page(env, podcast, newest, years, len(ordered))
        )
    except OutputError as err:  # the atomic writer's: it names the file and why
        raise PublishError(f"cannot write the web page: {err.message}", source=err.source) from err
    except OSError as err:
        raise PublishError(
            f"cannot write the web page: {err.strerror or err}", source=str(out_dir)
        ) from err


@dataclass(frozen=True)
class _Podcast:
    title: str
    description: str
    feed_url: str
    cover_url: str | None
    language: str
    author: str | None


def _sort_key(ep: SiteEpisode) -> tuple[int, datetime]:
    when = ep.published
    if when is None:
        return (0, datetime.min)
    if isinstance(when, datetime):
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        return (1, when)
    return (1, datetime(when.year, when.month, when.day, 12, 0))


def _url(url: str, prefix: str) -> str:
    """`url` (relative to the site root, or absolute) as seen from a page `prefix` deep."""
    if urlsplit(url).scheme or url.startswith(("/", "#")):
        return url
    return prefix + url


def _clock(ms: int) -> str:
    s = max(0, ms) // 1000
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _iso_duration(ms: int) -> str:
    s = max(0, round(ms / 1000))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + f"{sec}S"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _duration_words(ms: int) -> str:
    s = max(0, round(ms / 1000))
    if s < 60:
        return _plural(s, "second")
    minutes = round(s / 60)
    h, m = divmod(minutes, 60)
    if h:
        return _plural(h, "hour") + (f" {_plural(m, 'minute')}" if m else "")
    return _plural(m, "minute")


def _size_words(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{max(1, round(n / 1000))} kB"


def _date_display(when: datetime | date | None) -> str:
    if when is None:
        return ""
    text = f"{when:%A} {when.day} {when:%B %Y}"
    if isinstance(when, datetime):
        text += f", {when:%H:%M}"
        if when.tzinfo is not None:
            zone = when.tzname() or ""
            text += f" {zone}" if zone else ""
    return text


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


# --- markup --------------------------------------------------------------------------------


def _finalize(value: object) -> object:
    """Every `{{ }}` value on its way out: control characters dropped, then autoescaped.

    Markup (a macro's output) has been through here already and passes as it is.
    """
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _CONTROL_RE.sub("", value)
    return value


def _paragraphs(text: str) -> list[str]:
    """`text` cut into paragraphs at blank lines, each with its white space collapsed."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _environment() -> jinja2.Environment:
    """The page templates (package data in templates/), with autoescape always on."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pressaudio.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        url=_url,
        clock=_clock,
        iso_duration=_iso_duration,
        duration_words=_duration_words,
        size_words=_size_words,
        seconds=_seconds,
        paragraphs=_paragraphs,
    )
    return env


_ARCHIVE_RE = re.compile(r"archive-([0-9]{4}|undated)\.html")


def _year(ep: SiteEpisode) -> str:
    when = ep.held_at if ep.held_at is not None else ep.published
    return f"{when.year:04d}" if when is not None else "undated"


def _write_changed(path: Path, text: str) -> None:
    """Write `path` (atomically) unless it already holds exactly `text`."""
    from pressaudio.publish.catalogue import atomic_write_text

    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_text(path, text)


def _index_page(
    env: jinja2.Environment,
    podcast: _Podcast,
    episodes: Sequence[SiteEpisode],
    years: Sequence[tuple[str, int]] = (),
    total: int | None = None,
) -> str:
    total = len(episodes) if total is None else total
    return env.get_template("index.html.j2").render(
        podcast=podcast, episodes=episodes, prefix="", years=years, year=None, total=total,
        older=total > len(episodes),
    )


def _archive_page(
    env: jinja2.Environment,
    podcast: _Podcast,
    year: str,
    episodes: Sequence[SiteEpisode],
    years: Sequence[tuple[str, int]],
) -> str:
    return env.get_template("archive.html.j2").render(
        podcast=podcast, episodes=episodes, prefix="", years=years, year=year
    )


def _episode_page(env: jinja2.Environment, podcast: _Podcast, ep: SiteEpisode) -> str:
    return env.get_template("episode.html.j2").render(podcast=podcast, ep=ep, prefix="../")
