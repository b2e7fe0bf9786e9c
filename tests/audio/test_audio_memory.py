"""Memory stays bounded: the episode is streamed to ffmpeg, never held whole.

Each run is a fresh Python process that assembles `minutes` of audio from a few reused
clips and reports its own peak RSS and that of the ffmpeg processes it ran.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, resource, sys, time
sys.path.insert(0, {helpers!r})
from pathlib import Path
from audio_helpers import clip_file, script_of, utterance
from pressaudio.audio import EpisodeMeta, assemble
folder = Path({folder!r})
minutes = {minutes}
distinct = [
    clip_file(folder, utterance(f"clip {{i}}", pause_ms=500), ms=4500, freq=200 + 60 * i, seed=i)
    for i in range(8)
]
clips = [distinct[i % 8] for i in range(minutes * 12)]  # 5 s each with its pause
chapters = [(f"Question {{i}}", i) for i in range(0, len(clips), 10)]
start = time.perf_counter()
script = script_of(clips, chapters)
episode = assemble(clips, script, folder / "long.mp3", EpisodeMeta("t", "a", "b"))
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{
    "seconds": time.perf_counter() - start,
    "cpu_seconds": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
    "duration_ms": episode.duration_ms,
    "self_mb": me.ru_maxrss / 1024,
    "ffmpeg_mb": kids.ru_maxrss / 1024,
}}))
"""


def _run(tmp_path: Path, minutes: int) -> dict[str, float]:
    folder = tmp_path / f"m{minutes}"
    folder.mkdir()
    code = SCRIPT.format(helpers=str(Path(__file__).parent), folder=str(folder), minutes=minutes)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, float] = json.loads(done.stdout)
    assert result["duration_ms"] == minutes * 60_000
    return result


def test_peak_memory_does_not_grow_with_the_length_of_the_episode(tmp_path: Path) -> None:
    short = _run(tmp_path, 1)
    long = _run(tmp_path, 10)
    print(f"\n1 min: {short}\n10 min: {long}")
    assert long["self_mb"] - short["self_mb"] < 20  # 10x the audio, the same footprint
    assert long["ffmpeg_mb"] - short["ffmpeg_mb"] < 20
    assert long["self_mb"] + long["ffmpeg_mb"] < 300
