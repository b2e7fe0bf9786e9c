"""The Podcast Index JSON transcript: its published shape, its times against the WebVTT
cues (read back with webvtt-py), and a publish that lists it in the feed and offers the
talking books on the page, rewriting nothing when nothing changed."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import webvtt
from lxml import etree

from pressaudio.audio.captions import transcript_json
from pressaudio.audio.captions import webvtt as make_vtt
from pressaudio.model import Cue

CASES = Path(__file__).parents[1] / "transcript" / "cases"
CUES = (
    Cue(0, 2_400, "Narrator", "Press Conference by Foreign Minister Kamikawa."),
    Cue(2_900, 9_000, "Minister Kamikawa", "Good evening. " + "I will begin with a long "
        "statement that certainly does not fit in two caption lines of sixty-five characters, "
        "so that it is shown as two consecutive cues."),
    Cue(9_500, 11_000, "Reporter", 'A question on "tariffs" & <trade>?'),
    Cue(11_000, 11_000, "Reporter", "zero length: left out"),
)


def check_shape(doc: object) -> list[dict[str, object]]:
    """The Podcast Index JSON transcript shape (podcastindex.org, transcripts/JSON)."""
    assert isinstance(doc, dict) and doc.get("version") == "1.0.0"
    segments = doc["segments"]
    assert isinstance(segments, list) and segments
    last = 0.0
    for seg in segments:
        assert set(seg) == {"speaker", "startTime", "endTime", "body"}
        assert isinstance(seg["speaker"], str) and seg["speaker"]
        assert isinstance(seg["body"], str) and seg["body"].strip()
        assert isinstance(seg["startTime"], int | float) and isinstance(seg["endTime"], int | float)
        assert last <= seg["startTime"] < seg["endTime"]  # in time order, never overlapping
        last = seg["endTime"]
    return segments


def test_segments_are_the_vtt_cues_with_speakers() -> None:
    segments = check_shape(json.loads(transcript_json(CUES)))
    vtt = webvtt.from_buffer(io.StringIO(make_vtt(CUES)))
    assert len(segments) == len(vtt.captions) > len(CUES) - 1  # the long cue is split
    for seg, cap in zip(segments, vtt.captions, strict=True):
        assert abs(float(seg["startTime"]) - _seconds(cap.start)) < 0.0005
        assert abs(float(seg["endTime"]) - _seconds(cap.end)) < 0.0005
        assert seg["speaker"] == cap.voice
        assert seg["body"] == html.unescape(" ".join(cap.text.split()))
    assert segments[-1]["body"] == 'A question on "tariffs" & <trade>?'  # JSON is not escaped


def _seconds(clock: str) -> float:
    h, m, s = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_publish_lists_it_and_offers_the_books(tmp_path: Path) -> None:
    from pressaudio.publish.publish import publish
    from pressaudio.render import RenderOptions

    out = tmp_path / "feed"
    out.mkdir()
    (out / "podcast.toml").write_text("daisy = true\n", encoding="utf-8")
    source = CASES / "77_hk-ce-lee-media-session-beijing-2023-03-17.txt"
    opts = RenderOptions(cache_dir=tmp_path / "cache")
    report = publish([source], out, "http://127.0.0.1:8000/", jobs=1, options=opts)
    (ep,) = report.episodes
    stem = ep.episode.mp3.name.removesuffix(".mp3")
    episodes = out / "episodes"
    files = {p.name for p in episodes.iterdir()}
    for suffix in (".transcript.json", ".epub", ".daisy.zip"):
        assert stem + suffix in files
    doc = json.loads((episodes / f"{stem}.transcript.json").read_text(encoding="utf-8"))
    speakers = {s["speaker"] for s in check_shape(doc)}
    assert {s.name for s in ep.transcript.speakers if s.role != "narrator"} <= speakers
    feed = etree.parse(str(out / "feed.xml"))
    ns = {"podcast": "https://podcastindex.org/namespace/1.0"}
    listed = feed.xpath("//podcast:transcript", namespaces=ns)
    kinds = [(t.get("type"), t.get("url")) for t in listed]
    assert kinds[0][0] == "text/vtt"
    assert ("application/json", f"http://127.0.0.1:8000/episodes/{stem}.transcript.json") in kinds
    for page in (out / "index.html", episodes / f"{ep.slug}.html"):
        text = page.read_text(encoding="utf-8")
        assert f'{stem}.epub" type="application/epub+zip"' in text
        assert f'{stem}.daisy.zip" type="application/zip"' in text
        assert 'class="cue" data-start=' in text  # the transcript that follows the audio
    # Publishing again with nothing changed rewrites none of them (nor the MP3).
    def stamps() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in episodes.iterdir() if p.suffix != ".html"}

    before = stamps()
    again = publish([source], out, "http://127.0.0.1:8000/", jobs=1, options=opts)
    assert again.rendered == () and not again.feed_changed
    assert stamps() == before
