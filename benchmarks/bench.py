"""Speed and memory of `pressaudio render` beside a plain baseline on the same text.

Run from the repository root (after `make demo` or `make test` has made .venv):

    .venv/bin/python benchmarks/bench.py                 # eSpeak NG: 1x, 4x, 16x, 40x
    .venv/bin/python benchmarks/bench.py --engine piper  # Piper (needs pressaudio[neural])

For each size the reference transcript is repeated N times (one heading block, the body
N times). pressaudio renders it from scratch (`--no-cache`); the baseline synthesises the
same words in one eSpeak NG voice (paragraph by paragraph, no pauses, no
captions or loudness) and encodes one MP3 in the same format
(mono, 44.1 kHz, 64 kbit/s). Each job runs in its own process so that its peak memory
(maximum resident set size) is its own. The table is printed as Markdown.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "feed" / "transcripts" / "01_mofa-kamikawa-extraordinary-2023-09-14.txt"
PRESSAUDIO = Path(sys.executable).with_name("pressaudio")


def repeated(n: int, folder: Path) -> Path:
    """The reference transcript with its body (from the first heading on) repeated n times."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = lines.index("Opening Remarks")
    head, body = lines[:start], lines[start:]
    path = folder / f"reference-x{n}.txt"
    path.write_text("\n".join(head + body * n) + "\n", encoding="utf-8")
    return path


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run cmd; return (wall seconds, peak RSS in MB of that process and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    # Linux: the child's own peak, or that of a descendant it waited for (ffmpeg), if larger.
    return wall, usage.ru_maxrss // 1024


def mp3_seconds(path: Path) -> float:
    from mutagen.mp3 import MP3

    return float(MP3(path).info.length)


def baseline(source: Path, out: Path) -> None:
    """eSpeak NG reads the whole text in one voice, then ffmpeg encodes one MP3."""
    from pressaudio.audio.ffmpeg import ffmpeg_exe
    from pressaudio.model import VoiceProfile
    from pressaudio.speech.engines import get_engine
    from pressaudio.transcript import load

    transcript = load(str(source))
    engine = get_engine("espeak")
    voice = VoiceProfile(name="baseline", engine="espeak", voice="en-us")
    # paragraph by paragraph (one call for a whole long briefing overruns eSpeak NG's buffers)
    parts = [engine.synthesize(p, voice) for t in transcript.turns for p in t.text.split("\n\n")]
    pcm = b"".join(a.pcm for a in parts)
    wav = out.with_suffix(".wav")
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(parts[0].sample_rate)
        w.writeframes(pcm)
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-i",
            str(wav),
            "-ac",
            "1",
            "-ar",
            "44100",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "64k",
            str(out),
        ],
        check=True,
    )
    wav.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="espeak", choices=["espeak", "piper"])
    parser.add_argument("--sizes", default=None, help="comma-separated repeats, e.g. 1,4,16")
    parser.add_argument(
        "--baseline-only", nargs=2, metavar=("SOURCE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.baseline_only:
        baseline(Path(args.baseline_only[0]), Path(args.baseline_only[1]))
        return
    sizes = [
        int(s) for s in (args.sizes or ("1,4,16,40" if args.engine == "espeak" else "1")).split(",")
    ]
    print(
        "| engine | size | audio | pressaudio wall | RTF | peak MB "
        "| baseline wall | baseline peak MB | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            src = repeated(n, folder)
            out = folder / f"x{n}.mp3"
            cmd = [str(PRESSAUDIO), "render", str(src), "-o", str(out), "--no-cache", "--quiet"]
            if args.engine == "piper":
                cmd += ["--voices", str(ROOT / "voices" / "piper")]
            wall, peak = timed(cmd)
            seconds = mp3_seconds(out)
            base_out = folder / f"x{n}-baseline.mp3"
            b_wall, b_peak = timed(
                [sys.executable, __file__, "--baseline-only", str(src), str(base_out)]
            )
            print(
                f"| {args.engine} | {n}x | {seconds / 60:.1f} min | {wall:.2f} s "
                f"| {wall / seconds:.4f} | {peak} | {b_wall:.2f} s | {b_peak} "
                f"| {wall / b_wall:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
