"""Where one `pressaudio render` spends its time, stage by stage, on the reference transcript.

    .venv/bin/python benchmarks/stages.py              # eSpeak NG, the reference, 3 runs
    .venv/bin/python benchmarks/stages.py --repeat 16  # the reference body 16 times
    .venv/bin/python benchmarks/stages.py --engine piper

Start-up is the wall time of a Python that imports what a render needs (the interpreter,
the CLI, `render` and the engines). The stages are those of `render()`, called one by one
in this process with a fresh speech cache each run:
reading and parsing, casting and planning, then inside `assemble` each ffmpeg pass by
what it does: synthesis with the loudness measured meanwhile (as in `render`, the clips
are made as the measuring ffmpeg reads them, and the encoder's level is calibrated in a
thread), any check of the limited loudness, the encoding; and the rest (tags, captions).
The median of `--runs` runs is printed as Markdown, with the load average (other work on
the machine inflates every figure).
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pressaudio.audio.assemble import assemble
from pressaudio.audio.loudness import calibrate_meanwhile
from pressaudio.audio.settings import AudioSettings, EpisodeMeta
from pressaudio.speech.lexicon import load_lexicon
from pressaudio.speech.script import plan
from pressaudio.speech.synth import synthesize_lazily
from pressaudio.speech.voices import cast, load_voices
from pressaudio.transcript import load

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "feed" / "transcripts" / "01_mofa-kamikawa-extraordinary-2023-09-14.txt"
IMPORTS = "import pressaudio.cli, pressaudio.render, pressaudio.speech.engines"
assembling: Any = importlib.import_module("pressaudio.audio.assemble")  # the module, not the verb
PASSES = ("measuring the limited loudness", "measuring the loudness", "encoding")
NAMES = {"measuring the loudness": "synthesis, loudness measured meanwhile"}


def repeated(n: int, folder: Path) -> Path:
    """The reference with its body repeated `n` times (as benchmarks/bench.py makes it)."""
    text = REFERENCE.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    path = folder / f"reference-x{n}.txt"
    path.write_text(head + sep + "\n\n".join([body] * n), encoding="utf-8")
    return path


@contextmanager
def ffmpeg_passes(times: dict[str, float]) -> Iterator[None]:
    """Time each ffmpeg run of `assemble` under the name of what it does (the two halves
    of an episode encoded at once count once, as the wall time they take together)."""
    real_one, real_all = assembling.run_ffmpeg, assembling.run_ffmpeg_all

    def timed(what: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        try:
            return fn()
        finally:
            name = next((p for p in PASSES if what.startswith(p)), what)
            times[name] += time.perf_counter() - start

    def one(*args: Any, what: str, **kwargs: Any) -> Any:
        return timed(what, lambda: real_one(*args, what=what, **kwargs))

    def all_at_once(runs: Any) -> Any:
        return timed(runs[0].what, lambda: real_all(runs))

    assembling.run_ffmpeg, assembling.run_ffmpeg_all = one, all_at_once
    try:
        yield
    finally:
        assembling.run_ffmpeg, assembling.run_ffmpeg_all = real_one, real_all


def one_run(source: Path, engine: str | None, folder: Path) -> dict[str, float]:
    times: dict[str, float] = defaultdict(float)

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = fn()
        times[name] += time.perf_counter() - start
        return value

    voices_dir = ROOT / "voices" / "piper" if engine == "piper" else None
    transcript = stage("parse", lambda: load(str(source)))

    def planned() -> Any:
        voices = load_voices(voices_dir, engine=engine)
        return plan(transcript, cast(transcript, voices), load_lexicon(voices_dir))

    script = stage("cast and plan", planned)
    cache = Path(tempfile.mkdtemp(dir=folder))
    calibrate_meanwhile(AudioSettings())  # as render() does
    clips = first_timed(synthesize_lazily(script.utterances, cache_dir=cache), times)
    meta = EpisodeMeta(title=script.title, artist="", album="", date="", comment="")
    with ffmpeg_passes(times):
        start = time.perf_counter()
        episode = assemble(clips, script, folder / "out.mp3", meta)
        whole = time.perf_counter() - start
    times["tags and captions"] = whole - sum(times[p] for p in PASSES)
    times["audio length"] = episode.duration_ms / 1000
    return times


def first_timed(clips: Iterator[Any], times: dict[str, float]) -> Iterator[Any]:
    """The clips; the first is made before the measuring ffmpeg starts (it sets the rate),
    and its time counts with the synthesis all the same."""
    start = time.perf_counter()
    first = next(clips, None)
    times["measuring the loudness"] += time.perf_counter() - start
    if first is not None:
        yield first
        yield from clips


def startup(runs: int) -> float:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", IMPORTS], check=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default=None, choices=["piper"])
    parser.add_argument("--repeat", type=int, default=1, help="times the body is repeated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = repeated(args.repeat, folder)
        runs = [one_run(source, args.engine, folder) for _ in range(args.runs)]
    start_up = startup(args.runs)
    audio = runs[0]["audio length"]
    rows = {"start-up (interpreter and imports)": start_up}
    for name in ("parse", "cast and plan", *reversed(PASSES), "tags and captions"):
        rows[NAMES.get(name, name)] = statistics.median(r.get(name, 0.0) for r in runs)
    total = sum(rows.values())
    print(
        f"engine {args.engine or 'espeak'}, reference x{args.repeat}, {audio / 60:.1f} min "
        f"of audio, median of {args.runs}, load average {load_before:.1f} "
        f"-> {os.getloadavg()[0]:.1f}\n"
    )
    print("| stage | seconds | share |")
    print("|---|---|---|")
    for name, seconds in rows.items():
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f} % |")
    print(f"| **total** | **{total:.2f}** | |")


if __name__ == "__main__":
    main()
