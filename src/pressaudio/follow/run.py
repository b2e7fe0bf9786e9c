"""One round of `pressaudio follow`, and the watch loop.

A round, under DIR/.pressaudio/follow.lock:

1. read DIR/podcast.toml (its `[[sources]]`, the owner's e-mail for the User-Agent) and
   DIR/.pressaudio/follow.json;
2. for each source, read its feed or index page (and up to `pages` index pages) with a
   conditional GET; a 304 reuses the links listed last time;
3. fetch each listed page that is new (at most `limit` per source and round) or was first
   seen within `recheck_days` (a conditional GET, so an unchanged page costs a 304);
4. keep a page only if it reads as a transcript (the parser finds speech in it): it is
   saved as fetched into DIR/transcripts/<folder>/, atomically; a changed page replaces
   its file under the same name, so publish re-renders it under the same guid. A page
   that is gone (404/410) keeps its file, and so its episode;
5. run the same incremental publish as `pressaudio publish DIR/transcripts --out DIR`.

Every failure (a site down, robots.txt, a 429, a page that is no transcript) is one line,
and the round goes on; the feed is only ever replaced by publish, atomically.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pressaudio.errors import ConfigError, FollowError, PressaudioError, SourceError
from pressaudio.follow.fetch import Fetcher, Forbidden, Gone, HostBusy, Politeness, user_agent
from pressaudio.follow.listing import Item, Listing, read_listing
from pressaudio.follow.sources import Source
from pressaudio.follow.state import (
    FollowState,
    ListingRecord,
    PageRecord,
    Status,
    file_name,
    follow_lock,
    load_state,
    save_state,
)
from pressaudio.publish.catalogue import atomic_write_bytes, remove_temporaries
from pressaudio.publish.publish import TRANSCRIPT_SUFFIXES, PublishHooks, PublishReport, publish
from pressaudio.publish.settings import SETTINGS_FILE, PodcastSettings, load_settings
from pressaudio.render import RenderOptions

__all__ = ["FollowHooks", "FollowOptions", "Outcome", "RoundReport", "follow_once", "watch"]

TRANSCRIPTS = "transcripts"
_TEXT_TYPES: dict[str, str] = {  # Content-Type -> suffix of the saved file
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
}
_MIN_WORDS = 25  # fewer spoken words than this is a page of links, not a press conference

Kind = Literal["new", "changed", "unchanged", "skipped", "gone", "old", "failed", "would-fetch"]


@dataclass(frozen=True)
class FollowOptions:
    """What a round needs besides DIR. The politeness defaults are the polite ones."""

    base_url: str
    jobs: int | None = None
    render: RenderOptions | None = None
    delay: float = 1.0  # seconds between requests to one host
    max_wait: float = 120.0  # longest Retry-After waited for
    timeout: float = 30.0  # seconds per request, whole
    max_bytes: int = 10_000_000  # largest page accepted
    dry_run: bool = False
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class FollowHooks:
    """How a round talks to its front end; every hook is optional."""

    note: Callable[[str], None] = lambda message: None
    outcome: Callable[[Outcome], None] = lambda outcome: None  # each page, as it is decided
    fetching: Callable[[str, int], None] = lambda source, total: None  # pages to fetch
    fetched: Callable[[], None] = lambda: None  # one of them done
    publish: PublishHooks = field(default_factory=PublishHooks)


@dataclass(frozen=True)
class Outcome:
    url: str
    source: str  # the source's name
    kind: Kind
    reason: str = ""  # for skipped, gone, old, failed: one line, naming the URL
    file: str | None = None  # relative to DIR


@dataclass(frozen=True)
class RoundReport:
    outcomes: tuple[Outcome, ...]
    published: PublishReport | None  # None: nothing to publish, or a dry run

    def of(self, *kinds: Kind) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.kind in kinds)


def follow_once(
    out_dir: Path, options: FollowOptions, hooks: FollowHooks | None = None
) -> RoundReport:
    """One round: fetch what is new or changed on every source of DIR/podcast.toml, save the
    transcripts into DIR/transcripts/, then publish DIR. Raises ConfigError (no sources, a
    broken podcast.toml), FollowError (another follow running) or what publish raises."""
    hooks = hooks or FollowHooks()
    out = out_dir.resolve()
    settings = load_settings(out)
    if not settings.sources:
        where = settings.path or out / SETTINGS_FILE
        raise ConfigError(
            "no [[sources]] to follow; add one (`pressaudio init` writes examples to start from)",
            source=str(where),
        )
    if options.dry_run:
        return _Round(out, settings, options, hooks, load_state(out, hooks.note)).run()
    (out / ".pressaudio").mkdir(parents=True, exist_ok=True)
    with follow_lock(out):
        return _Round(out, settings, options, hooks, load_state(out, hooks.note)).run()


def watch(
    out_dir: Path,
    interval: float,
    options: FollowOptions,
    hooks: FollowHooks | None = None,
    *,
    rounds: int | None = None,
    on_round: Callable[[RoundReport | None, float], None] = lambda report, wait: None,
    on_error: Callable[[PressaudioError], None] = lambda err: None,
) -> None:
    """Run rounds every `interval` seconds until stopped (SIGTERM or Ctrl-C, which the
    caller turns into exceptions that end the sleep or the round). A round that fails is
    reported through `on_error` and the loop goes on; `rounds` bounds it (for tests)."""
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        report: RoundReport | None = None
        try:
            report = follow_once(out_dir, options, hooks)
        except PressaudioError as err:
            on_error(err)
        done += 1
        wait = max(0.0, interval - (time.monotonic() - started))
        on_round(report, wait)
        if rounds is None or done < rounds:
            options.sleep(wait)


# --- the round -----------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class _Round:
    def __init__(
        self, out: Path, settings: PodcastSettings, options: FollowOptions, hooks: FollowHooks,
        state: FollowState,
    ) -> None:
        self.out = out
        self.settings = settings
        self.options = options
        self.hooks = hooks
        self.state = state
        self.outcomes: list[Outcome] = []
        politeness = Politeness(
            user_agent=user_agent(settings.owner_email),
            delay=options.delay,
            max_wait=options.max_wait,
            timeout=options.timeout,
            max_bytes=options.max_bytes,
        )
        self.fetcher = Fetcher(politeness, sleep=options.sleep, busy=dict(state.busy))
        self.scratch = out / ".pressaudio" / "follow-tmp"

    def run(self) -> RoundReport:
        if not self.options.dry_run:
            shutil.rmtree(self.scratch, ignore_errors=True)
            for folder in self._source_folders():
                remove_temporaries(folder)
        try:
            for source in self.settings.sources:
                self._follow(source)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self._save()
        if self.options.dry_run:
            return RoundReport(tuple(self.outcomes), None)
        return RoundReport(tuple(self.outcomes), self._publish())

    def _source_folders(self) -> Iterator[Path]:
        for s in self.settings.sources:
            yield self.out / TRANSCRIPTS / s.folder

    def _save(self) -> None:
        if self.options.dry_run:
            return
        self.state = replace(self.state, busy={
            h: t for h, t in self.fetcher.busy.items() if t > time.time()
        })
        save_state(self.out, self.state)

    def _emit(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.hooks.outcome(outcome)

    # --- listings ----------------------------------------------------------------------

    def _follow(self, source: Source) -> None:
        try:
            items = self._list(source)
        except FollowError as err:
            self._emit(Outcome(source.url, source.name, "failed", str(err)))
            return
        if not items:
            what = f"links = {source.links!r}" if source.links else "the default link rule"
            self.hooks.note(f"{source.url}: no links matching {what}; nothing to fetch")
        work = self._plan(source, items)
        if self.options.dry_run:
            for item, record in work:
                why = "new" if record is None or record.status == "failed" else "re-check"
                self._emit(Outcome(item.url, source.name, "would-fetch", why))
            return
        self.hooks.fetching(source.name, len(work))
        for item, record in work:
            self._page(source, item, record)
            self.hooks.fetched()

    def _list(self, source: Source) -> list[Item]:
        """The items of the source's feed, or of its index pages (pagination followed)."""
        items: list[Item] = []
        seen_items: set[str] = set()
        queue = [source.url]
        visited: set[str] = set()
        while queue and len(visited) < source.pages:
            url = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            try:
                listing = self._listing(source, url)
            except FollowError as err:
                if url == source.url:
                    raise
                self._emit(Outcome(url, source.name, "failed", str(err)))
                continue
            for item in listing.items:
                if item.url not in seen_items:
                    seen_items.add(item.url)
                    items.append(item)
            queue.extend(p for p in listing.next_pages if p not in visited)
        return items

    def _listing(self, source: Source, url: str) -> Listing:
        known = self.state.listings.get(url)
        response = self.fetcher.get(
            url,
            etag=known.etag if known else None,
            last_modified=known.last_modified if known else None,
            accept="application/rss+xml,application/atom+xml,application/xml;q=0.9,"
            "text/html;q=0.8,*/*;q=0.1",
        )
        if response.unchanged and known is not None:
            items = tuple(
                Item(u, t, datetime.fromisoformat(p) if p else None) for u, t, p in known.items
            )
            listing = Listing("index", items, known.next_pages)
        else:
            listing = read_listing(response.body, response.content_type, response.final_url,
                                   source, response.charset)
        if not self.options.dry_run:
            self.state = self.state.with_listing(ListingRecord(
                url=url,
                etag=response.etag,
                last_modified=response.last_modified,
                items=tuple(
                    (i.url, i.title, i.published.isoformat() if i.published else None)
                    for i in listing.items
                ),
                next_pages=listing.next_pages,
                checked=_now(),
            ))
        return listing

    def _plan(self, source: Source, items: Sequence[Item]) -> list[tuple[Item, PageRecord | None]]:
        """Which listed pages to ask for this round: new ones (at most `limit`), and those
        first seen within `recheck_days` (conditionally). Too old ones are marked so."""
        work: list[tuple[Item, PageRecord | None]] = []
        new = 0
        horizon = datetime.now(UTC) - timedelta(days=source.recheck_days)
        for item in items:
            record = self.state.pages.get(item.url)
            if record is None or record.status == "failed":
                if _older(item.published, source.since):
                    self._old(source, item, record, f"dated {item.published:%Y-%m-%d}")
                    continue
                if new >= source.limit:
                    continue  # the next round takes it
                new += 1
                work.append((item, record))
            elif record.status != "old" and datetime.fromisoformat(record.first_seen) >= horizon:
                work.append((item, record))
        return work

    def _old(self, source: Source, item: Item, record: PageRecord | None, why: str) -> None:
        reason = f"{item.url}: {why}, before since = {source.since}; not fetched"
        if not self.options.dry_run:
            self._record(PageRecord(
                url=item.url, source=source.folder, status="old",
                first_seen=record.first_seen if record else _now(), reason=reason,
            ))
        self._emit(Outcome(item.url, source.name, "old", reason))

    def _record(self, record: PageRecord) -> None:
        self.state = self.state.with_page(record)
        save_state(self.out, self.state)

    # --- one page ------------------------------------------------------------------------

    def _page(self, source: Source, item: Item, record: PageRecord | None) -> None:
        now = _now()
        base = record or PageRecord(url=item.url, source=source.folder, status="failed",
                                    first_seen=now)
        conditional = record is not None and record.status in ("saved", "skipped", "gone")
        try:
            response = self.fetcher.get(
                item.url,
                etag=record.etag if conditional and record else None,
                last_modified=record.last_modified if conditional and record else None,
            )
        except Gone as err:
            if base.status in ("saved", "gone"):
                self._record(replace(base, status="gone", checked=now, reason=str(err)))
                self._emit(Outcome(item.url, source.name, "gone",
                                   f"{err}; its episode is kept", base.file))
            else:
                self._record(replace(base, status="skipped", checked=now, reason=str(err)))
                self._emit(Outcome(item.url, source.name, "skipped", str(err)))
            return
        except (Forbidden, HostBusy, FollowError) as err:
            forbidden = isinstance(err, Forbidden)
            if base.status in ("saved", "gone"):  # keep what was saved; try again next round
                self._record(replace(base, checked=now, reason=str(err)))
            else:
                status: Status = "skipped" if forbidden else "failed"
                self._record(replace(base, status=status, checked=now, reason=str(err)))
            self._emit(Outcome(item.url, source.name, "skipped" if forbidden else "failed",
                               str(err), base.file))
            return
        checked = replace(base, checked=now, etag=response.etag or base.etag,
                          last_modified=response.last_modified or base.last_modified,
                          final_url=response.final_url if response.final_url != item.url
                          else base.final_url)
        if response.unchanged:
            status = "saved" if base.status == "gone" else base.status
            self._record(replace(checked, status=status, reason=None if status == "saved"
                                 else checked.reason))
            self._emit(Outcome(item.url, source.name,
                               "unchanged" if status == "saved" else "skipped",
                               checked.reason or "", base.file))
            return
        digest = hashlib.sha256(response.body).hexdigest()
        if digest == base.sha256 and base.status in ("saved", "gone", "skipped"):
            status = "saved" if base.status == "gone" else base.status
            self._record(replace(checked, status=status, fetched=now))
            self._emit(Outcome(item.url, source.name,
                               "unchanged" if status == "saved" else "skipped",
                               checked.reason or "", base.file))
            return
        fetched = replace(checked, sha256=digest, fetched=now)
        try:
            relative = self._keep(source, item, response.body, response.content_type,
                                  base, response.final_url)
        except _Old as old:
            self._old(source, item, record, str(old))
            return
        except (SourceError, FollowError) as err:
            reason = _one_line(err, item.url)
            if base.status == "saved":
                reason += "; the transcript saved before is kept"
                self._record(replace(fetched, reason=reason))
            else:
                self._record(replace(fetched, status="skipped", reason=reason))
            self._emit(Outcome(item.url, source.name, "skipped", reason, base.file))
            return
        self._record(replace(fetched, status="saved", file=relative, reason=None))
        kind: Kind = "changed" if base.status in ("saved", "gone") and base.file else "new"
        self._emit(Outcome(item.url, source.name, kind, "", relative))

    def _keep(
        self, source: Source, item: Item, body: bytes, content_type: str, base: PageRecord,
        final_url: str,
    ) -> str:
        """Check that `body` reads as a transcript; save it; return its path under DIR."""
        suffix = _TEXT_TYPES.get(content_type)
        if suffix is None and not content_type:
            suffix = ".pdf" if body.startswith(b"%PDF-") else (
                ".html" if b"<" in body[:2048] else ".txt"
            )
        if suffix is None:
            raise FollowError(
                f"is {content_type}, not an HTML, text or PDF transcript", source=item.url
            )
        if len(body.strip()) == 0:
            raise FollowError("the page is empty", source=item.url)
        if base.file:
            relative = base.file
        else:
            taken = {Path(r.file).name for r in self.state.pages.values() if r.file}
            name = file_name(final_url, source.folder, suffix, taken)
            relative = f"{TRANSCRIPTS}/{source.folder}/{name}"
        final = self.out / relative
        self.scratch.mkdir(parents=True, exist_ok=True)
        trial = self.scratch / final.name
        trial.write_bytes(body)
        self._check_transcript(trial, item, source, is_new=base.file is None)
        atomic_write_bytes(final, body)
        if item.published is not None:  # a transcript without a date is dated by its feed entry
            stamp = item.published.timestamp()
            os.utime(final, (stamp, stamp))
        return relative

    def _check_transcript(self, path: Path, item: Item, source: Source, *, is_new: bool) -> None:
        from pressaudio.transcript import load

        tz = self.settings.tz_for(path.name)
        try:
            transcript = load(str(path), default_tz=tz)
        except SourceError as err:
            raise SourceError(err.message, source=item.url) from None
        words = sum(len(t.text.split()) for t in transcript.turns)
        if not transcript.turns or words < _MIN_WORDS:
            raise SourceError(
                "no press conference on the page (no speech found: navigation or a list of "
                "links?); not published", source=item.url,
            )
        held = transcript.held_at
        if is_new and held is not None and _older(held, source.since):
            raise _Old(f"held {held:%Y-%m-%d}")

    # --- publish -------------------------------------------------------------------------

    def _publish(self) -> PublishReport | None:
        folder = self.out / TRANSCRIPTS
        if not folder.is_dir() or not any(
            p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
            for p in folder.rglob("*")
        ):
            self.hooks.note(f"no transcripts in {folder} yet; nothing to publish")
            return None
        report = publish(
            [folder], self.out, self.options.base_url, jobs=self.options.jobs,
            options=self.options.render, hooks=self.hooks.publish,
        )
        by_file = {Path(ep.source).resolve(): ep for ep in report.episodes}
        for record in list(self.state.pages.values()):
            ep = by_file.get((self.out / record.file).resolve()) if record.file else None
            if ep is not None and (record.episode, record.guid) != (ep.slug, ep.guid):
                self.state = self.state.with_page(replace(record, episode=ep.slug, guid=ep.guid))
        save_state(self.out, self.state)
        return report


class _Old(Exception):  # a page held before the source's `since`
    pass


def _older(when: date | None, since: date | None) -> bool:
    if when is None or since is None:
        return False
    day = when.date() if isinstance(when, datetime) else when
    return day < since


def _one_line(err: PressaudioError, url: str) -> str:
    text = str(err)
    return text if url in text else f"{url}: {text}"
