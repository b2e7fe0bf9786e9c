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

Every file is written to a temporary name and renamed into place; episode pages first,
index.html last.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from pressaudio.errors import PublishError
from pressaudio.model import ChapterMark, Cue, Transcript

if TYPE_CHECKING:
    from pressaudio.publish.catalogue import Catalogue, PublishedEpisode

__all__ = [
    "SiteEpisode",
    "SiteLink",
    "SiteTurn",
    "build_site",
    "site_episode",
    "site_turns",
    "write_site",
]


# --- the data the pages are made from ------------------------------------------------------


@dataclass(frozen=True)
class SiteTurn:
    """One speaker's turn as shown in the transcript."""

    speaker_name: str
    paragraphs: tuple[str, ...]
    start_ms: int | None = None  # where the turn starts in the audio, when known


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
        for j in range(pos, min(len(cues), pos + 40)):
            text = normed[j]
            if not text or text not in body:
                continue
            if len(text) < 24 and cues[j].speaker_name != name:
                continue
            start = cues[j].start_ms
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
        out.append(SiteTurn(speaker_name=name, paragraphs=paragraphs, start_ms=start))
    return tuple(out)


def _rel_url(path: Path, root: Path) -> str:
    return quote(PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix()).as_posix())


def site_episode(ep: PublishedEpisode, out_dir: Path) -> SiteEpisode:
    """The web page's view of one published episode (paths made relative to `out_dir`)."""
    episode = ep.episode
    links = (
        SiteLink("WebVTT captions", _rel_url(episode.vtt, out_dir), "text/vtt"),
        SiteLink("SRT captions", _rel_url(episode.srt, out_dir), "application/x-subrip"),
        SiteLink("Chapters (JSON)", _rel_url(episode.chapters_json, out_dir), "application/json"),
    )
    return SiteEpisode(
        slug=ep.slug,
        title=ep.title,
        published=ep.published,
        duration_ms=episode.duration_ms,
        audio_url=_rel_url(episode.mp3, out_dir),
        chapters=episode.chapters,
        turns=site_turns(ep.transcript, episode.cues),
        transcript_links=links,
        audio_bytes=ep.mp3_bytes,
        location=ep.transcript.location,
        held_at=ep.transcript.held_at if ep.transcript.held_at is not None else ep.published,
    )


def write_site(catalogue: Catalogue) -> None:
    """index.html and episodes/<slug>.html for a publish run (called by publish())."""
    out = catalogue.out_dir
    settings = catalogue.settings
    try:
        cover_url = _rel_url(catalogue.cover, out)
    except ValueError:
        cover_url = None
    build_site(
        settings.title,
        settings.description,
        catalogue.feed_url,
        cover_url,
        [site_episode(ep, out) for ep in catalogue.episodes],
        out,
        language=settings.language,
        author=settings.author,
    )


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
) -> None:
    """Write `out_dir/index.html` and `out_dir/episodes/<slug>.html` for every episode.

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
    try:
        for ep in ordered:
            atomic_write_text(out_dir / "episodes" / ep.page_name, _episode_page(podcast, ep))
        atomic_write_text(out_dir / "index.html", _index_page(podcast, ordered))
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


def _esc(text: str) -> str:
    return html.escape(_CONTROL_RE.sub("", text), quote=True)


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

_CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1b; --muted: #4d4d4d; --link: #0b4f9e; --visited: #5a2d91;
  --panel: #f3f5f8; --border: #6e6e6e; --focus: #0b4f9e; --current: #fff1b8;
  --button-fg: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121417; --fg: #eef0f3; --muted: #c4cad2; --link: #9ecbff; --visited: #d4b8ff;
    --panel: #1d2127; --border: #8d96a1; --focus: #ffd54a; --current: #3d3300;
    --button-fg: #121417;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
@media (prefers-reduced-motion: no-preference) { html { scroll-behavior: smooth; } }
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; }
}
body {
  margin: 0 auto; max-width: 48rem; padding: 0 1rem 2rem;
  background: var(--bg); color: var(--fg);
  font: 1.125rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  overflow-wrap: break-word;
}
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: var(--visited); }
a:hover { text-decoration-thickness: 0.15em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
main:focus-visible, main:focus { outline: 3px solid var(--focus); outline-offset: 4px; }
.skip {
  position: absolute; left: 1rem; top: -20rem; z-index: 10;
  background: var(--bg); color: var(--link); padding: 0.5rem 1rem;
  border: 2px solid var(--focus); font-weight: 600;
}
.skip:focus, .skip:focus-visible { top: 0.5rem; }
header.site { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: center;
  padding: 1.5rem 0 1rem; border-bottom: 1px solid var(--border); }
header.site img { width: 8rem; height: 8rem; border-radius: 0.5rem; flex: none; }
header.site .intro { flex: 1 1 16rem; min-width: 0; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 0.5rem; }
h2 { font-size: 1.45rem; line-height: 1.3; margin: 0 0 0.5rem; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
section > h2 { margin-top: 1.5rem; }
nav ul { list-style: none; padding: 0; margin: 0.5rem 0 0; }
nav li { margin: 0.25rem 0; }
.meta, .muted { color: var(--muted); }
.episode { border-bottom: 1px solid var(--border); padding: 1.5rem 0; }
audio { display: block; width: 100%; margin: 0.75rem 0; }
.files { font-size: 1rem; margin-bottom: 1rem; }
.files a { display: inline-block; padding: 0.15rem 0; min-height: 24px; }
.files ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none;
  padding: 0; margin: 0; }
ol.chapters { padding-left: 0; list-style: none; margin: 0; }
ol.chapters li { margin: 0.2rem 0; }
ol.chapters a { display: inline-block; padding: 0.2rem 0.4rem; min-height: 24px; }
ol.chapters a[aria-current="true"] { background: var(--current); color: var(--fg);
  font-weight: 600; border-left: 4px solid var(--fg); }
ol.chapters time, .turn > time { font-variant-numeric: tabular-nums; }
.turn { margin: 1rem 0; }
.turn p { margin: 0.35rem 0 0.75rem; }
cite.speaker { font-style: normal; font-weight: 700; }
.turn > time { margin-left: 0.25rem; font-size: 0.95rem; }
.turn > time a { display: inline-block; min-width: 24px; min-height: 24px; padding: 0 0.25rem; }
.subscribe { background: var(--panel); border: 1px solid var(--border); border-radius: 0.5rem;
  padding: 1rem; margin: 1.5rem 0; }
.subscribe label { display: block; font-weight: 600; }
.copy { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.copy input { flex: 1 1 14rem; min-width: 0; font: inherit; font-size: 1rem; padding: 0.4rem;
  color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 4px; }
button { font: inherit; font-size: 1rem; padding: 0.4rem 1rem; cursor: pointer;
  color: var(--button-fg); background: var(--link); border: 2px solid var(--link);
  border-radius: 4px; }
button:hover { text-decoration: underline; }
footer { margin-top: 2rem; font-size: 1rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0;
  margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media print { .skip, audio, .copy button { display: none; } }
"""

_JS = """
(function () {
  "use strict";
  function seek(audio, t) {
    function go() {
      audio.currentTime = t;
      var p = audio.play();
      if (p && p.catch) { p.catch(function () {}); }
    }
    if (audio.readyState >= 1) { go(); return; }
    audio.addEventListener("loadedmetadata", go, { once: true });
    if (audio.networkState === 0 || audio.preload === "none") { audio.load(); }
  }
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[data-seek]") : null;
    if (!a || e.defaultPrevented || e.button !== 0 ||
        e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
    var audio = document.getElementById(a.getAttribute("data-player"));
    if (!audio) { return; }
    e.preventDefault();
    seek(audio, parseFloat(a.getAttribute("data-seek")));
  });
  var players = document.querySelectorAll("audio");
  Array.prototype.forEach.call(players, function (audio) {
    audio.addEventListener("play", function () {
      Array.prototype.forEach.call(players, function (other) {
        if (other !== audio && !other.paused) { other.pause(); }
      });
    });
    var links = document.querySelectorAll(
      'ol.chapters a[data-player="' + audio.id + '"]');
    if (!links.length) { return; }
    audio.addEventListener("timeupdate", function () {
      var t = audio.currentTime, current = null;
      Array.prototype.forEach.call(links, function (a) {
        if (parseFloat(a.getAttribute("data-seek")) <= t + 0.05) { current = a; }
      });
      Array.prototype.forEach.call(links, function (a) {
        if (a === current) { a.setAttribute("aria-current", "true"); }
        else { a.removeAttribute("aria-current"); }
      });
    });
  });
  var copy = document.getElementById("copy-feed");
  var field = document.getElementById("feed-url");
  var status = document.getElementById("copy-status");
  if (copy && field && status) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      function done(ok) {
        status.textContent = ok ? "Feed URL copied." : "Press Control+C (or Command+C) to copy.";
      }
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { done(true); },
          function () { done(document.execCommand && document.execCommand("copy")); });
      } else {
        done(document.execCommand && document.execCommand("copy"));
      }
    });
  }
})();
"""


def _head(title: str, podcast: _Podcast, prefix: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_esc(podcast.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{_esc(title)}</title>\n"
        f'<link rel="alternate" type="application/rss+xml" title="{_esc(podcast.title)}" '
        f'href="{_esc(podcast.feed_url)}">\n'
        + (
            f'<link rel="icon" href="{_esc(_url(podcast.cover_url, prefix))}">\n'
            if podcast.cover_url
            else ""
        )
        + f"<style>{_CSS}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to main content</a>\n'
    )


def _tail(podcast: _Podcast) -> str:
    by = f" by {_esc(podcast.author)}" if podcast.author else ""
    return (
        '<footer class="muted">\n'
        f"<p>{_esc(podcast.title)}{by}. The voices are synthetic: each episode is a "
        "text-to-speech reading of the published transcript, made with pressaudio. "
        "The transcript below each player is the authoritative text.</p>\n"
        f'<p><a href="{_esc(podcast.feed_url)}">RSS feed</a></p>\n'
        "</footer>\n"
        f"<script>{_JS}</script>\n</body>\n</html>\n"
    )


def _paragraphs(text: str) -> str:
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{_esc(p)}</p>\n" for p in parts)


def _meta(ep: SiteEpisode) -> str:
    bits = []
    if ep.date_display:
        bits.append(f'<time datetime="{_esc(ep.date_iso)}">{_esc(ep.date_display)}</time>')
    if ep.location:
        bits.append(_esc(ep.location))
    bits.append(
        f'Duration: <time datetime="{_iso_duration(ep.duration_ms)}">'
        f"{_duration_words(ep.duration_ms)}</time>"
    )
    return '<p class="meta">' + " · ".join(bits) + "</p>\n"


def _files(ep: SiteEpisode, prefix: str, page_link: bool) -> str:
    size = f" ({_size_words(ep.audio_bytes)})" if ep.audio_bytes else ""
    items = [f'<li><a href="{_esc(_url(ep.audio_url, prefix))}" download>MP3 audio{size}</a></li>']
    for link in ep.transcript_links:
        items.append(
            f'<li><a href="{_esc(_url(link.url, prefix))}" type="{_esc(link.media_type)}">'
            f"{_esc(link.label)}</a></li>"
        )
    if page_link:
        items.append(
            f'<li><a href="{_esc(_url("episodes/" + ep.page_name, prefix))}">'
            "Transcript page</a></li>"
        )
    return (
        f'<div class="files"><p class="visually-hidden" id="files-{_esc(ep.slug)}">'
        f"Files for {_esc(ep.title)}</p>\n"
        f'<ul aria-labelledby="files-{_esc(ep.slug)}">\n' + "\n".join(items) + "\n</ul></div>\n"
    )


def _seek_attrs(ep: SiteEpisode, ms: int, prefix: str) -> str:
    href = f"{_url(ep.audio_url, prefix)}#t={_seconds(ms)}"
    return f'href="{_esc(href)}" data-seek="{_seconds(ms)}" data-player="player-{_esc(ep.slug)}"'


def _chapters(ep: SiteEpisode, level: int, prefix: str) -> str:
    if not ep.chapters:
        return ""
    items = "\n".join(
        f'<li><a class="chapter" {_seek_attrs(ep, ch.start_ms, prefix)}>'
        f'<time datetime="{_iso_duration(ch.start_ms)}">{_clock(ch.start_ms)}</time> '
        f"{_esc(ch.title)}</a></li>"
        for ch in ep.chapters
    )
    return (
        f"<section>\n<h{level}>Chapters</h{level}>\n"
        f'<ol class="chapters">\n{items}\n</ol>\n</section>\n'
    )


def _transcript(ep: SiteEpisode, level: int, prefix: str) -> str:
    turns = []
    for turn in ep.turns:
        name = f'<cite class="speaker">{_esc(turn.speaker_name)}:</cite>'
        when = ""
        if turn.start_ms is not None:
            clock = _clock(turn.start_ms)
            label = f"Play from {clock}, {turn.speaker_name}"
            when = (
                f'\n<time datetime="{_iso_duration(turn.start_ms)}">'
                f'<a {_seek_attrs(ep, turn.start_ms, prefix)} aria-label="{_esc(label)}">'
                f"{clock}</a></time>"
            )
        body = "".join(f"\n<p>{_esc(p)}</p>" for p in turn.paragraphs)
        turns.append(f'<div class="turn">\n{name}{when}{body}\n</div>')
    if not turns:
        return ""
    return f"<section>\n<h{level}>Transcript</h{level}>\n" + "\n".join(turns) + "\n</section>\n"


def _player(ep: SiteEpisode, prefix: str) -> str:
    src = _esc(_url(ep.audio_url, prefix))
    return (
        f'<audio id="player-{_esc(ep.slug)}" controls preload="metadata" src="{src}" '
        f'aria-label="{_esc(ep.title)}">\n'
        f'<a href="{src}">Download the episode (MP3)</a>\n</audio>\n'
    )


def _episode_body(ep: SiteEpisode, level: int, prefix: str, page_link: bool) -> str:
    summary = _paragraphs(ep.summary) if ep.summary else ""
    return (
        _meta(ep)
        + summary
        + _player(ep, prefix)
        + _files(ep, prefix, page_link)
        + _chapters(ep, level, prefix)
        + _transcript(ep, level, prefix)
    )


def _index_page(podcast: _Podcast, episodes: Sequence[SiteEpisode]) -> str:
    cover = (
        f'<img src="{_esc(podcast.cover_url)}" alt="" width="128" height="128">\n'
        if podcast.cover_url
        else ""
    )
    nav_items = "\n".join(
        f'<li><a href="#ep-{_esc(ep.slug)}">{_esc(ep.title)}</a>'
        + (f' <span class="muted">({_esc(ep.date_display)})</span>' if ep.date_display else "")
        + "</li>"
        for ep in episodes
    )
    nav = f'<nav aria-label="Episodes">\n<ul>\n{nav_items}\n</ul>\n</nav>\n' if episodes else ""
    feed = _esc(podcast.feed_url)
    subscribe = (
        '<section class="subscribe" aria-labelledby="subscribe-title">\n'
        '<h2 id="subscribe-title">Subscribe</h2>\n'
        "<p>Add this podcast to your podcast app with its feed address "
        "(often under “Add podcast by URL” or “Follow a show by URL”), "
        f'or open the <a href="{feed}">RSS feed</a>.</p>\n'
        '<div class="copy">\n<label for="feed-url">Feed URL</label>\n'
        f'<input id="feed-url" type="url" readonly value="{feed}">\n'
        '<button type="button" id="copy-feed" hidden>Copy feed URL</button>\n'
        '<span id="copy-status" role="status"></span>\n</div>\n</section>\n'
    )
    articles = []
    for ep in episodes:
        slug = _esc(ep.slug)
        articles.append(
            f'<article class="episode" id="ep-{slug}" aria-labelledby="title-{slug}">\n'
            f'<h2 id="title-{slug}"><a href="{_esc("episodes/" + ep.page_name)}">'
            f"{_esc(ep.title)}</a></h2>\n" + _episode_body(ep, 3, "", True) + "</article>\n"
        )
    if not articles:
        articles.append('<p class="muted">No episodes yet.</p>\n')
    return (
        _head(podcast.title, podcast, "")
        + '<header class="site">\n'
        + cover
        + '<div class="intro">\n'
        + f"<h1>{_esc(podcast.title)}</h1>\n"
        + _paragraphs(podcast.description)
        + "</div>\n</header>\n"
        + nav
        + '<main id="main" tabindex="-1">\n'
        + subscribe
        + "".join(articles)
        + "</main>\n"
        + _tail(podcast)
    )


def _episode_page(podcast: _Podcast, ep: SiteEpisode) -> str:
    prefix = "../"
    return (
        _head(f"{ep.title} – {podcast.title}", podcast, prefix)
        + "<header>\n"
        + f'<nav aria-label="Podcast"><p><a href="../index.html">{_esc(podcast.title)}</a>'
        + " – all episodes</p></nav>\n</header>\n"
        + '<main id="main" tabindex="-1">\n<article class="episode">\n'
        + f"<h1>{_esc(ep.title)}</h1>\n"
        + _episode_body(ep, 2, prefix, False)
        + "</article>\n</main>\n"
        + _tail(podcast)
    )
