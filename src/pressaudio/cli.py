"""The `pressaudio` command: each command parses options, calls one function, maps errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pressaudio import __version__
from pressaudio.errors import PressaudioError

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
    typer.Argument(help="A .txt or .html transcript, an http(s):// URL, or - for stdin."),
]


def _fail(err: PressaudioError) -> None:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(1)


def _warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


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
        profiles = load_voices(voices_dir, check_voices=False)
        chosen = get_engine(engine or profiles.minister.primary.engine)
        for line in voices_report(profiles, chosen):
            typer.echo(line)
        check_voices(profiles)
    except PressaudioError as err:
        _fail(err)


@app.command()
def serve(
    directory: Annotated[
        Path, typer.Argument(help="The published folder to serve.", show_default=True)
    ] = Path("feed"),
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port (0: any free port).")] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; 0.0.0.0 lets other devices on your network subscribe.",
        ),
    ] = "127.0.0.1",
) -> None:
    """Serve a published podcast folder over HTTP, to try the feed in a podcast app.

    Example: pressaudio serve feed --port 8000
    """
    from pressaudio.publish.serve import PodcastServer, announcement
    from pressaudio.publish.serve import serve as serve_folder

    def ready(server: PodcastServer) -> None:
        for line in announcement(server):
            typer.echo(line)

    try:
        serve_folder(directory, host, port, on_ready=ready)
    except PressaudioError as err:
        _fail(err)
    except KeyboardInterrupt:
        typer.echo("stopped")


def main() -> None:
    """Entry point of the installed `pressaudio` command."""
    try:
        app()
    except PressaudioError as err:  # errors raised outside a command's own handling
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
