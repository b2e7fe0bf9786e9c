"""feed.xml: RSS 2.0 with the iTunes, Podcasting 2.0 and Podlove Simple Chapters namespaces.

Built with feedgen, the only module that imports it. feedgen has no extension for the
Podcasting 2.0 or psc elements, and its own podcast extension writes itunes:explicit as
yes/no/clean (Apple and the W3C validator want true/false) and knows only Apple's pre-2019
categories, so all three namespaces are written here through feedgen's extension mechanism
(BaseExtension / BaseEntryExtension + register_extension).

podcast:person roles (Podcast Taxonomy Project, group "cast"): the official who holds the
press conference is its "host", the moderator who runs the questions its "co-host", each
reporter a "reporter". The synthetic narrator is not a person; podcast:txt
purpose="ai-content" says that every voice is synthetic.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from pressaudio import __version__
from pressaudio.audio.captions import transcript_json_path
from pressaudio.model import ChapterMark, Role
from pressaudio.publish.catalogue import Catalogue, PublishedEpisode, podcast_guid

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"

PERSON_ROLE: dict[Role, str] = {
    "minister": "host",
    "moderator": "co-host",
    "reporter": "reporter",
    "narrator": "narrator",  # not written: see _add_item
}
_PERSON_ORDER: dict[Role, int] = {"minister": 0, "moderator": 1, "reporter": 2, "narrator": 3}

AI_DISCLOSURE = (
    "Every voice in this podcast is synthetic: the transcripts of the press conferences are "
    "read aloud by text-to-speech, one voice per speaker. The words are the published "
    "transcript's; the voices are not those of the people named."
)

# Characters XML 1.0 forbids, plus C0/C1 controls it merely discourages (tab, LF, CR stay).
_NOT_XML = re.compile("[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot carry (or should not) removed."""
    return _NOT_XML.sub("", text)


def clock(ms: int, *, millis: bool = False, short: bool = False) -> str:
    """ms -> "HH:MM:SS" ("HH:MM:SS.mmm" with millis; "M:SS"/"H:MM:SS" with short)."""
    ms = max(0, ms)
    if not millis:
        ms = (ms + 500) // 1000 * 1000
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    if millis:
        return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"
    if short:
        return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
    return f"{h:02d}:{m:02d}:{s:02d}"


def _sub(parent: Any, tag: str, content: str | None = None, /, **attrs: str) -> Any:
    """A child element with text `content` and attributes, every string made XML-safe."""
    el = xml_elem(tag, parent, **{k: xml_text(v) for k, v in attrs.items()})
    if content is not None:
        el.text = xml_text(content)
    return el


def _channel(rss: Any) -> Any:
    return rss.find("channel")


# --- iTunes ----------------------------------------------------------------------------


@dataclass
class _ItunesChannel:
    author: str = ""
    owner_name: str = ""
    owner_email: str = ""
    image: str = ""
    category: str = ""
    subcategory: str | None = None
    explicit: bool = False


class ItunesExtension(BaseExtension):  # type: ignore[misc]
    """Channel-level itunes:* elements, with itunes:explicit as true/false."""

    def __init__(self) -> None:
        self.data = _ItunesChannel()

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def extend_rss(self, rss: Any) -> Any:
        d, ch = self.data, _channel(rss)
        it = f"{{{ITUNES_NS}}}"
        _sub(ch, it + "author", d.author)
        owner = _sub(ch, it + "owner")
        _sub(owner, it + "name", d.owner_name)
        _sub(owner, it + "email", d.owner_email)
        _sub(ch, it + "image", href=d.image)
        cat = _sub(ch, it + "category", None, text=d.category)  # the name is an attribute
        if d.subcategory:
            _sub(cat, it + "category", None, text=d.subcategory)
        _sub(ch, it + "explicit", "true" if d.explicit else "false")
        _sub(ch, it + "type", "episodic")
        return rss


class ItunesEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self.duration = ""
        self.explicit = False
        self.title = ""

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def extend_rss(self, item: Any) -> Any:
        it = f"{{{ITUNES_NS}}}"
        _sub(item, it + "title", self.title)
        _sub(item, it + "duration", self.duration)
        _sub(item, it + "explicit", "true" if self.explicit else "false")
        _sub(item, it + "episodeType", "full")
        return item


# --- Podcasting 2.0 ----------------------------------------------------------------------


@dataclass
class _PodcastChannel:
    guid: str = ""
    locked: bool = True
    owner_email: str = ""
    txt: list[tuple[str, str]] = field(default_factory=list)  # (purpose, text)


class PodcastIndexExtension(BaseExtension):  # type: ignore[misc]
    """podcast:guid, podcast:locked, podcast:txt on the channel."""

    def __init__(self) -> None:
        self.data = _PodcastChannel()

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, rss: Any) -> Any:
        d, ch = self.data, _channel(rss)
        p = f"{{{PODCAST_NS}}}"
        _sub(ch, p + "guid", d.guid)
        locked_attrs = {"owner": d.owner_email} if d.owner_email else {}
        _sub(ch, p + "locked", "yes" if d.locked else "no", **locked_attrs)
        for purpose, text in d.txt:
            _sub(ch, p + "txt", text, purpose=purpose)
        return rss


@dataclass
class _PodcastItem:
    chapters_url: str = ""
    transcripts: list[dict[str, str]] = field(default_factory=list)  # url, type, [rel]
    persons: list[tuple[str, str]] = field(default_factory=list)  # (name, role)


class PodcastIndexEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """podcast:chapters, podcast:transcript and podcast:person on an item."""

    def __init__(self) -> None:
        self.data = _PodcastItem()

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, item: Any) -> Any:
        d = self.data
        p = f"{{{PODCAST_NS}}}"
        if d.chapters_url:
            _sub(item, p + "chapters", url=d.chapters_url, type="application/json+chapters")
        for attrs in d.transcripts:
            _sub(item, p + "transcript", **attrs)
        for name, role in d.persons:
            _sub(item, p + "person", name, role=role)
        return item


# --- Podlove Simple Chapters ---------------------------------------------------------------


class PscExtension(BaseExtension):  # type: ignore[misc]
    """Declares the psc prefix on the feed's root element (the chapters are per item)."""

    def extend_ns(self) -> dict[str, str]:
        return {"psc": PSC_NS}


class PscEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """<psc:chapters version="1.2"><psc:chapter start="HH:MM:SS.mmm" title="..."/>..."""

    def __init__(self) -> None:
        self.chapters: list[ChapterMark] = []

    def extend_ns(self) -> dict[str, str]:
        return {"psc": PSC_NS}

    def extend_rss(self, item: Any) -> Any:
        if self.chapters:
            psc = f"{{{PSC_NS}}}"
            group = _sub(item, psc + "chapters", version="1.2")
            for ch in self.chapters:
                _sub(group, psc + "chapter", start=clock(ch.start_ms, millis=True), title=ch.title)
        return item


# --- the feed ----------------------------------------------------------------------------


def describe(ep: PublishedEpisode) -> str:
    """The item description, as HTML (RSS readers treat <description> as HTML): the summary,
    then the chapters with their start times, which many apps turn into seek links."""
    parts = [f"<p>{html.escape(ep.summary.strip(), quote=False)}</p>"]
    if ep.episode.chapters:
        items = "\n".join(
            f"<li>{clock(c.start_ms, short=True)} {html.escape(c.title, quote=False)}</li>"
            for c in ep.episode.chapters
        )
        parts.append(f"<p>Chapters:</p>\n<ol>\n{items}\n</ol>")
    return "\n".join(parts)


def build(catalogue: Catalogue) -> bytes:
    """The whole feed.xml, deterministic: the same catalogue always gives the same bytes.

    It carries the newest `feed_items` episodes (podcast.toml, default 300): podcast apps
    fetch the whole feed on every check; the web page's archive pages list the rest."""
    if not catalogue.episodes:
        raise ValueError("a feed needs at least one episode")
    s = catalogue.settings
    fg = FeedGenerator()
    fg.register_extension("pa_itunes", ItunesExtension, ItunesEntryExtension)
    fg.register_extension("pa_podcast", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.register_extension("pa_psc", PscExtension, PscEntryExtension)

    fg.title(xml_text(s.title))
    fg.description(xml_text(s.description))
    # feedgen writes the *last* link as the RSS <link>: the self link must come first.
    fg.link(href=catalogue.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=catalogue.link, rel="alternate")
    fg.language(s.language)
    if s.copyright:
        fg.copyright(xml_text(s.copyright))
    fg.generator(f"pressaudio {__version__}")
    cover_url = catalogue.url(catalogue.cover)
    fg.image(url=cover_url, title=xml_text(s.title), link=catalogue.link)
    newest = max(ep.published for ep in catalogue.episodes)
    fg.lastBuildDate(newest)  # from the episodes, never "now": same input, same bytes
    fg.pubDate(newest)

    itunes: ItunesExtension = fg.pa_itunes
    itunes.data = _ItunesChannel(
        author=s.author,
        owner_name=s.owner_name,
        owner_email=s.owner_email,
        image=cover_url,
        category=s.category,
        subcategory=s.subcategory,
        explicit=s.explicit,
    )
    podcast: PodcastIndexExtension = fg.pa_podcast
    podcast.data = _PodcastChannel(
        guid=s.guid or podcast_guid(catalogue.feed_url),
        locked=s.locked,
        owner_email=s.owner_email,
        txt=[("ai-content", AI_DISCLOSURE)],
    )

    for ep in catalogue.episodes[: s.feed_items]:  # newest first, in feed order
        _add_item(fg, catalogue, ep)
    data: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def _add_item(fg: Any, catalogue: Catalogue, ep: PublishedEpisode) -> None:
    fe = fg.add_entry(order="append")
    fe.title(xml_text(ep.title))
    fe.description(xml_text(describe(ep)))
    fe.link(href=catalogue.url(catalogue.html_transcript(ep)))
    fe.guid(ep.guid, permalink=False)
    fe.pubDate(ep.published)
    fe.enclosure(catalogue.url(ep.episode.mp3), str(ep.mp3_bytes), "audio/mpeg")

    it: ItunesEntryExtension = fe.pa_itunes
    it.title = ep.title
    it.duration = clock(ep.episode.duration_ms)
    it.explicit = catalogue.settings.explicit

    pod: PodcastIndexEntryExtension = fe.pa_podcast
    pod.data = _PodcastItem(
        chapters_url=catalogue.url(ep.episode.chapters_json),
        transcripts=[
            {"url": catalogue.url(ep.episode.vtt), "type": "text/vtt", "rel": "captions"},
            # the Podcast Index JSON transcript: Pocket Casts, AntennaPod, Podverse; speakers
            {"url": catalogue.url(transcript_json_path(ep.episode.mp3)),
             "type": "application/json"},
            {"url": catalogue.url(ep.episode.srt), "type": "application/x-subrip",
             "rel": "captions"},
            {"url": catalogue.url(catalogue.html_transcript(ep)), "type": "text/html"},
        ],
        persons=[  # hosts first; unlabelled narration in a transcript is nobody's
            (sp.name, PERSON_ROLE[sp.role])
            for sp in sorted(ep.transcript.speakers, key=lambda sp: _PERSON_ORDER[sp.role])
            if sp.name and sp.role != "narrator" and not sp.anonymous
        ],
    )
    psc: PscEntryExtension = fe.pa_psc
    psc.chapters = list(ep.episode.chapters)

