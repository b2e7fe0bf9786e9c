"""The `pressaudio` command: each command parses options, calls one function, maps errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pressaudio import __version__
from pressaudio.errors import PressaudioError

if TYPE_CHECKING:
    from pressaudio.publish.checking import EpisodeCheck

app = typer.Typer(
    name="pressaudio",
    help=(
        "Turn press-conference transcripts into chaptered, multi-voice podcast episodes.\n\n"
        "Example: pressaudio render briefing.txt -o briefing.mp3"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SourceArg = Annotated[
    str,
    typer.Argument(help="A .txt, .html or .pdf transcript, an http(s):// URL, or - for stdin."),
]

VoicesOpt = Annotated[
    Path | None,
    typer.Option("--voices", help="Voice profiles folder (default: ./voices, else built-in)."),
]
EngineOpt = Annotated[
    str | None,
    typer.Option("--engine", help="Speak every role with this engine (and its own profiles)."),
]
RateOpt = Annotated[
    int | None,
    typer.Option("--rate", min=80, max=450, help="Words per minute for every role."),
]


def _fail(err: PressaudioError) -> None:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(1)


def _base_url(option: str | None, directory: Path) -> str:
    """--base-url when given, else base_url in DIR/podcast.toml; a usage error without
    either (it names both), or when it is not an http(s) URL."""
    from pressaudio.publish.settings import SETTINGS_FILE, load_settings

    url = option
    if not url:
        try:
            url = load_settings(directory).base_url
        except PressaudioError as err:
            _fail(err)
    if not url:
        typer.echo(
            f"error: no base URL: where {directory} will be served (every link in the feed "
            f'starts with it); give --base-url URL, or set base_url = "URL" in '
            f"{directory / SETTINGS_FILE}", err=True,
        )
        raise typer.Exit(2)
    if not url.lower().startswith(("http://", "https://")):
        raise typer.BadParameter("must start with http:// or https://", param_hint="--base-url")
    return url


def _warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line)


def _echo_check(result: EpisodeCheck) -> None:
    """One episode's check, as publish --check prints it: on stdout, or an error line."""
    from pressaudio.publish.checking import check_line

    typer.echo(("error: " if result.problem else "  ") + check_line(result),
               err=bool(result.problem))


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"pressaudio {__version__}")
        raise typer.Exit(0)


@app.command()
def segment(
    source: SourceArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show who says what: speakers, roles, sections and turns of a transcript.

    Example: pressaudio segment briefing.txt --json
    """
    from pressaudio.transcript import load, to_json_dict
    from pressaudio.ui import render_table

    try:
        transcript = load(source)
    except PressaudioError as err:
        _fail(err)
        return
    for w in transcript.warnings:
        _warn(w)
    if as_json:
        sys.stdout.write(json.dumps(to_json_dict(transcript), ensure_ascii=False, indent=2) + "\n")
    else:
        render_table(transcript)


@app.command()
def voices(
    voices_dir: Annotated[
        Path | None,
        typer.Option(
            "--voices",
            help="Folder of <role>.toml voice profiles (default: ./voices, else built-in).",
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option("--engine", help="List this engine's voices (default: the minister's)."),
    ] = None,
) -> None:
    """List the speech engine's voices and which voice profile each role gets.

    Example: pressaudio voices --voices voices/
    """
    from pressaudio.speech.engines import get_engine
    from pressaudio.speech.voices import check_voices, load_voices, voices_report

    try:
        profiles = load_voices(voices_dir, engine=engine, check_voices=False)
        chosen = get_engine(engine or profiles.minister.primary.engine)
        for line in voices_report(profiles, chosen):
            typer.echo(line)
        check_voices(profiles)
    except PressaudioError as err:
        _fail(err)


@app.command()
def render(
    source: SourceArg,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The MP3 to write (default: SOURCE's stem here)."),
    ] = None,
    voices_dir: VoicesOpt = None,
    engine: EngineOpt = None,
    rate: RateOpt = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            envvar="PRESSAUDIO_CACHE_DIR",
            help="Where synthesised speech is cached (default: the user cache folder).",
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    epub: Annotated[
        bool, typer.Option("--epub", help="Also write OUT.epub: EPUB 3 with synchronised audio.")
    ] = False,
    daisy: Annotated[
        bool, typer.Option("--daisy", help="Also write OUT.daisy.zip: a DAISY 2.02 talking book.")
    ] = False,
) -> None:
    """Render one transcript as a chaptered, multi-voice MP3 with captions.

    Writes OUT.mp3, OUT.chapters.json, OUT.vtt, OUT.srt and OUT.transcript.json (with
    --epub also OUT.epub, with --daisy also OUT.daisy.zip).

    Example: pressaudio render briefing.txt -o briefing.mp3 --epub
    """
    from pressaudio.render import RenderOptions
    from pressaudio.render import render as render_episode
    from pressaudio.speech.synth import default_cache_dir
    from pressaudio.transcript import load
    from pressaudio.ui import progress

    try:
        transcript = load(source)
        for w in transcript.warnings:
            _warn(w)
        out = output or Path(_stem(source) + ".mp3")
        options = RenderOptions(
            voices_dir=voices_dir,
            engine=engine,
            rate=rate,
            cache_dir=None if no_cache else (cache_dir or default_cache_dir()),
            epub=epub,
            daisy=daisy,
        )
        with progress(200, f"Rendering {out.name}", quiet=quiet) as advance:
            done = [0]

            def report(phase: str, fraction: float) -> None:
                at = round(fraction * 100) + (100 if phase == "audio" else 0)
                if at > done[0]:
                    advance(at - done[0])
                    done[0] = at

            result = render_episode(source, out, options, on_progress=report, transcript=transcript)
    except PressaudioError as err:
        _fail(err)
        return
    ep = result.episode
    minutes, seconds = divmod(round(ep.duration_ms / 1000), 60)
    typer.echo(f"{ep.mp3}: {minutes}:{seconds:02d}, {len(ep.chapters)} chapters")
    for name, profile in ep.casting:
        typer.echo(f"  {name}: {profile}")
    beside = (ep.chapters_json, ep.vtt, ep.srt, *result.extras)
    typer.echo("  also " + ", ".join(path.name for path in beside))


_SERVE_PORT = 8000  # serve's default port


def _stem(source: str) -> str:
    """A file name stem for SOURCE: the file's stem, the URL's last path part, or 'stdin'."""
    if source == "-":
        return "stdin"
    name = source.rstrip("/").rsplit("/", 1)[-1]
    return Path(name).stem or "episode"


def _url_port(url: str) -> int:
    """The TCP port `url` names, or its scheme's (80, 443)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # publish has checked the URL; be safe anyway
        port = None
    return port or (443 if parts.scheme == "https" else 80)


@app.command()
def serve(
    directory: Annotated[
        Path, typer.Argument(help="The published folder to serve.", show_default=True)
    ] = Path("feed"),
    port: Annotated[
        int, typer.Option("--port", "-p", help="TCP port (0: any free port).")
    ] = _SERVE_PORT,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; 0.0.0.0 lets other devices on your network subscribe.",
        ),
    ] = "127.0.0.1",
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.01, hidden=True, help="Seconds before a silent "
                     "connection is closed (default 30)."),
    ] = None,
    request_timeout: Annotated[
        float | None,
        typer.Option("--request-timeout", min=0.01, hidden=True, help="Seconds a request's "
                     "line and headers may take to arrive in full (default 30)."),
    ] = None,
) -> None:
    """Serve a published podcast folder over HTTP, to try the feed in a podcast app.

    Example: pressaudio serve feed --port 8000
    """
    from dataclasses import replace

    from pressaudio.publish.serve import PORTS, PodcastServer, ServeLimits, announcement
    from pressaudio.publish.serve import serve as serve_folder

    if port not in PORTS:
        typer.echo(f"error: --port {port}: not a TCP port (1 to 65535, or 0 for any free one)",
                   err=True)
        raise typer.Exit(2)
    limits = ServeLimits()
    if timeout is not None:
        limits = replace(limits, timeout=timeout)
    if request_timeout is not None:
        limits = replace(limits, request_timeout=request_timeout)

    def ready(server: PodcastServer) -> None:
        for line in announcement(server):
            typer.echo(line)

    try:
        serve_folder(directory, host, port, on_ready=ready, limits=limits)
    except PressaudioError as err:
        _fail(err)
    except KeyboardInterrupt:
        typer.echo("stopped")


@app.command()
def publish(
    sources: Annotated[
        list[Path], typer.Argument(help="Transcript files (.txt, .html, .pdf) or folders of them.")
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="The address OUT will be served at, e.g. https://example.org/podcast/ "
            "(every link in the feed starts with it). Default: base_url in OUT/podcast.toml.",
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="The podcast folder; its settings: OUT/podcast.toml."),
    ] = Path("feed"),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Episodes rendered at once (default: cores)."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Render on the Dask cluster whose scheduler is at this address, e.g. "
            "tcp://render1:8786 (needs pressaudio\\[cluster]; OUT shared at the same path on "
            "every worker). Default: cluster in OUT/podcast.toml, else this machine.",
        ),
    ] = None,
    check: Annotated[
        bool | None,
        typer.Option(
            "--check/--no-check",
            help="After publishing, listen to each episode rendered in this run with a speech "
            "recogniser (as `pressaudio check`; needs pressaudio\\[check]): a line per episode, "
            "its full report in OUT/episodes/<slug>.check.txt, and the words most often "
            "missed. Default: check in OUT/podcast.toml, else no.",
            show_default=False,
        ),
    ] = None,
    voices_dir: VoicesOpt = None,
    engine: EngineOpt = None,
    rate: RateOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes.")] = False,
) -> None:
    """Publish a folder of transcripts as a podcast feed: feed.xml, episodes, cover, web page.

    Only new or changed transcripts are rendered; feed.xml is replaced last, atomically.

    Example: pressaudio publish feed/transcripts --out feed --base-url http://localhost:8000/

    Example: pressaudio publish feed/transcripts --out feed --check   (lists cues a listener
    may mishear in the episodes just rendered)
    """
    import re
    from contextlib import ExitStack

    from pressaudio.publish.catalogue import PublishedEpisode
    from pressaudio.publish.checking import summary_lines
    from pressaudio.publish.feed import clock
    from pressaudio.publish.publish import PublishHooks
    from pressaudio.publish.publish import publish as publish_folder
    from pressaudio.render import RenderOptions
    from pressaudio.speech.synth import default_cache_dir
    from pressaudio.ui import Advance, progress

    base_url = _base_url(base_url, out)
    options = RenderOptions(
        voices_dir=voices_dir, engine=engine, rate=rate, cache_dir=default_cache_dir()
    )
    bar: list[Advance] = []
    with ExitStack() as stack:

        def start(total: int, doing: str, label: str) -> None:
            stack.close()  # one bar at a time
            bar.clear()
            if not quiet:
                typer.echo(f"{doing} {total} episode{'s' * (total != 1)}", err=True)
            bar.append(stack.enter_context(progress(total, label, quiet=quiet)))

        def rendering(total: int) -> None:
            start(total, "rendering", "Episodes")

        def rendered(ep: PublishedEpisode) -> None:
            if bar:
                bar[0](1)
            if not quiet:
                typer.echo(
                    f"  {ep.slug}: {clock(ep.episode.duration_ms, short=True)}, "
                    f"{len(ep.episode.chapters)} chapters",
                    err=True,
                )

        def checking(total: int) -> None:
            if total:
                start(total, "checking", "Checking")

        def checked(result: EpisodeCheck) -> None:
            if bar:
                bar[0](1)
            _echo_check(result)

        hooks = PublishHooks(
            note=(lambda m: None) if quiet else (lambda m: typer.echo(f"note: {m}", err=True)),
            rendering=rendering,
            rendered=rendered,
            checking=checking,
            checked=checked,
        )
        try:
            report = publish_folder(
                sources, out, base_url, jobs=jobs, options=options, hooks=hooks,
                cluster=cluster, check=check,
            )
        except PressaudioError as err:
            _fail(err)
            return
    n = len(report.episodes)
    typer.echo(
        f"Published {n} episode{'s' * (n != 1)}: {len(report.rendered)} rendered, "
        f"{len(report.reused)} unchanged"
        + (f", {len(report.removed)} removed" if report.removed else "")
        + "."
    )
    typer.echo(f"Feed: {report.feed_path}" + ("" if report.feed_changed else " (unchanged)"))
    typer.echo(f"URL:  {report.feed_url}")
    port = _url_port(report.feed_url)
    plain_http = report.feed_url.startswith("http://")  # serve speaks HTTP, not HTTPS
    port_option = "" if port == _SERVE_PORT or not plain_http else f" --port {port}"
    typer.echo(
        f"To listen: run `pressaudio serve {out}{port_option}` where that URL points, then add "
        "the URL in a podcast app (Apple Podcasts: Library, then Follow a Show by URL; "
        "AntennaPod or Pocket Casts: add podcast by URL; gPodder: gpo subscribe URL)."
    )
    if re.match(r"^https?://(localhost|127\.|\[::1\])", report.feed_url):
        typer.echo(
            "That URL works on this computer only; for a phone on your network, publish with "
            f"--base-url http://<this computer's address>:{port}/ and serve with "
            f"--host 0.0.0.0{port_option}."
        )
    if report.checks is not None:
        _echo_lines(summary_lines(report.checks))
        if any(c.problem for c in report.checks):
            raise typer.Exit(1)


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="The podcast folder to create podcast.toml in.")
    ] = Path("feed"),
) -> None:
    """Write a commented podcast.toml (title, author, category, time zone...) to edit.

    Example: pressaudio init feed
    """
    from pressaudio.publish.settings import write_template

    try:
        path = write_template(directory)
    except PressaudioError as err:
        _fail(err)
        return
    typer.echo(f"Wrote {path}: edit it, then run")
    typer.echo(f"  pressaudio publish TRANSCRIPTS... --out {directory} --base-url URL")


_INTERVAL = r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$"


def _interval(text: str) -> float:
    """'1h', '30m', '1h30m', '90s' or plain seconds ('3600') -> seconds."""
    import re

    if text.strip().isdigit():
        seconds = float(text)
    else:
        m = re.match(_INTERVAL, text, re.IGNORECASE)
        if m is None or not any(m.groups()):
            raise typer.BadParameter("give a time such as 1h, 30m, 1h30m or 90s",
                                     param_hint="--watch")
        h, mins, s = (int(g or 0) for g in m.groups())
        seconds = float(h * 3600 + mins * 60 + s)
    if seconds < 1:
        raise typer.BadParameter("must be at least 1s", param_hint="--watch")
    return seconds


@app.command()
def follow(
    directory: Annotated[
        Path, typer.Argument(help="The podcast folder; its podcast.toml lists the sources.")
    ] = Path("feed"),
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            help="The address DIR will be served at (every link in the feed starts with it). "
            "Default: base_url in DIR/podcast.toml.",
        ),
    ] = "",
    once: Annotated[
        bool, typer.Option("--once", help="One round, then exit (for cron or a systemd timer).")
    ] = False,
    watch_every: Annotated[
        str | None,
        typer.Option("--watch", metavar="INTERVAL",
                     help="A round every INTERVAL (1h, 30m, 90s) until SIGTERM or Ctrl-C."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Read the sources; list what would be fetched; "
                     "save and publish nothing."),
    ] = False,
    delay: Annotated[
        float,
        typer.Option("--delay", min=0.0, help="Seconds between two requests to one site."),
    ] = 1.0,
    max_wait: Annotated[
        float,
        typer.Option("--max-wait", min=0.0, help="Longest Retry-After waited for, in seconds; "
                     "a site asking for longer is skipped until then."),
    ] = 120.0,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Episodes rendered at once (default: cores)."),
    ] = None,
    voices_dir: VoicesOpt = None,
    engine: EngineOpt = None,
    rate: RateOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes.")] = False,
) -> None:
    """Fetch new transcripts from the sites listed in DIR/podcast.toml; publish them.

    New and changed pages are saved into DIR/transcripts/<source>/ and published into DIR
    as `publish` does (only they render; feed.xml is replaced atomically). Pages that fail
    are reported in one line each and skipped; the feed stays as it was.

    Example: pressaudio follow feed --once --base-url http://localhost:8000/
    """
    import multiprocessing
    from contextlib import ExitStack

    from pressaudio.follow.run import (
        FollowHooks,
        FollowOptions,
        Outcome,
        RoundReport,
        follow_once,
        watch,
    )
    from pressaudio.interrupt import SIGINT_STATUS, Terminated, sigterm_unwinds
    from pressaudio.publish.catalogue import PublishedEpisode
    from pressaudio.publish.checking import summary_lines
    from pressaudio.publish.feed import clock
    from pressaudio.publish.publish import PublishHooks
    from pressaudio.render import RenderOptions
    from pressaudio.speech.synth import default_cache_dir
    from pressaudio.ui import Advance, progress

    if once and watch_every is not None:
        raise typer.BadParameter("give --once or --watch, not both", param_hint="--watch")
    interval = _interval(watch_every) if watch_every is not None else None
    if not dry_run or base_url:
        base_url = _base_url(base_url, directory)

    def say(message: str) -> None:
        if not quiet:
            typer.echo(message, err=True)

    def outcome(o: Outcome) -> None:
        if o.kind in ("new", "changed"):
            say(f"{o.kind}: {o.url} -> {o.file}")
        elif o.kind == "would-fetch":
            typer.echo(f"would fetch ({o.reason}): {o.url}")
        elif o.kind in ("skipped", "failed", "gone"):
            typer.echo(f"{'skipped' if o.kind == 'failed' else o.kind}: {o.reason}", err=True)

    stack = ExitStack()
    bar: list[Advance] = []

    def fetching(source: str, total: int) -> None:
        bar.clear()
        if total:
            bar.append(stack.enter_context(progress(total, source[:30], quiet=quiet)))

    def fetched() -> None:
        if bar:
            bar[0](1)

    def rendering(total: int) -> None:
        say(f"rendering {total} episode{'s' * (total != 1)}")
        bar.clear()
        bar.append(stack.enter_context(progress(total, "Episodes", quiet=quiet)))

    def rendered(ep: PublishedEpisode) -> None:
        fetched()
        say(f"  {ep.slug}: {clock(ep.episode.duration_ms, short=True)}, "
            f"{len(ep.episode.chapters)} chapters")

    def checking(total: int) -> None:  # check = true in podcast.toml
        if total:
            say(f"checking {total} episode{'s' * (total != 1)}")
            stack.close()
            bar.clear()
            bar.append(stack.enter_context(progress(total, "Checking", quiet=quiet)))

    def checked(result: EpisodeCheck) -> None:
        fetched()
        _echo_check(result)

    hooks = FollowHooks(
        note=lambda m: say(f"note: {m}"), outcome=outcome, fetching=fetching, fetched=fetched,
        publish=PublishHooks(note=lambda m: say(f"note: {m}"), rendering=rendering,
                             rendered=rendered, checking=checking, checked=checked),
    )
    options = FollowOptions(
        base_url=base_url or "http://localhost:8000/",
        jobs=jobs,
        render=RenderOptions(voices_dir=voices_dir, engine=engine, rate=rate,
                             cache_dir=default_cache_dir()),
        delay=delay,
        max_wait=max_wait,
        dry_run=dry_run,
    )

    def summary(report: RoundReport | None, wait: float | None = None) -> None:
        stack.close()
        if report is not None:
            counts = [(len(report.of(*kinds)), label) for kinds, label in (
                (("new",), "new"), (("changed",), "changed"), (("unchanged",), "unchanged"),
                (("skipped", "failed"), "skipped"), (("gone",), "gone (episode kept)"),
                (("old",), "older than since"), (("would-fetch",), "to fetch"),
            )]
            said = ", ".join(f"{n} {label}" for n, label in counts if n) or "nothing listed"
            typer.echo(f"Followed {directory}: {said}.")
            pub = report.published
            if pub is not None:
                n = len(pub.episodes)
                typer.echo(f"Published {n} episode{'s' * (n != 1)}: {len(pub.rendered)} "
                           f"rendered, {len(pub.reused)} unchanged. Feed: {pub.feed_path}"
                           + ("" if pub.feed_changed else " (unchanged)"))
                if pub.checks is not None:
                    _echo_lines(summary_lines(pub.checks))
        if wait is not None:
            typer.echo(f"Next round in {clock(round(wait * 1000), short=True)}.")

    try:
        with sigterm_unwinds(), stack:
            if interval is None:
                summary(follow_once(directory, options, hooks))
            else:
                watch(directory, interval, options, hooks, on_round=summary,
                      on_error=lambda err: typer.echo(f"error: {err}", err=True))
    except PressaudioError as err:
        _fail(err)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
        raise typer.Exit(SIGINT_STATUS) from None
    except Terminated:
        typer.echo("stopped (SIGTERM)", err=True)
        raise
    finally:  # no render worker outlives the command, however it ends
        for child in multiprocessing.active_children():
            child.terminate()
        for child in multiprocessing.active_children():
            child.join(timeout=10)


@app.command()
def check(
    episode: Annotated[
        Path, typer.Argument(help="A rendered episode (.mp3) with its .vtt captions beside it.")
    ],
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, help="List cues with a word error rate above this."),
    ] = 0.5,
) -> None:
    """Listen to an episode with a speech recogniser; list the cues a listener may mishear.

    Needs the optional extra: pip install 'pressaudio\\[check]'.

    Example: pressaudio check briefing.mp3
    """
    from pressaudio.check import check_episode, report_lines

    try:
        report = check_episode(episode, threshold=threshold)
    except PressaudioError as err:
        _fail(err)
    for line in report_lines(report):
        typer.echo(line)


def main() -> None:
    """Entry point of the installed `pressaudio` command.

    SIGTERM unwinds like Ctrl-C (temporaries removed, workers stopped, finished work
    recorded) and exits with status 143; Ctrl-C exits with 130."""
    from pressaudio.interrupt import sigterm_unwinds

    try:
        with sigterm_unwinds():
            app()
    except PressaudioError as err:  # errors raised outside a command's own handling
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
