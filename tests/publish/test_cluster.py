"""`publish --cluster`: episodes rendered on a real Dask LocalCluster (two worker processes
on 127.0.0.1), a worker killed in the middle of a render, and a publish interrupted then
resumed without rendering again what had finished."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from pressaudio.errors import ConfigError
from pressaudio.publish.catalogue import TEMP_MARK
from pressaudio.publish.publish import PublishHooks, PublishReport, publish
from pressaudio.publish.settings import load_settings
from pressaudio.render import RenderOptions

distributed = pytest.importorskip("distributed")

BASE = "http://127.0.0.1:8765/pod/"
TOPICS = ("water", "energy", "trade", "fisheries")


def briefing(topic: str, day: int) -> str:
    """A tiny transcript whose sentences name its topic (no two share an utterance)."""
    return f"""Press Conference on {topic.title()}

Thursday, September {day}, 2023, 9:31 a.m. Ministry of Foreign Affairs

Opening Remarks

Minister Kamikawa: Good morning. Today I will speak about {topic}, and about {topic} only.

Question-and-Answer Session

Reporter: Could you say more about {topic} policy, and when the {topic} talks resume?

Minister Kamikawa: The {topic} talks resume next month. That is all on {topic} for today.
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, object]]:
    """A LocalCluster of two single-threaded worker processes, and a client to watch it."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as lc, distributed.Client(lc, set_as_default=False) as client:
        yield lc.scheduler_address, client


def transcripts(root: Path, topics: tuple[str, ...] = TOPICS) -> Path:
    src = root / "transcripts"
    src.mkdir(parents=True, exist_ok=True)
    for day, topic in enumerate(topics, start=10):
        (src / f"{topic}.txt").write_text(briefing(topic, day), encoding="utf-8")
    return src


def feed_mp3s(out: Path) -> set[str]:
    root = etree.parse(str(out / "feed.xml")).getroot()
    names = {e.get("url").rsplit("/", 1)[-1] for e in root.iter("enclosure")}
    for name in names:
        assert (out / "episodes" / name).is_file(), name
    return names


def manifest(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / ".pressaudio" / "manifest.json").read_text("utf-8"))
    return data["episodes"]  # type: ignore[no-any-return]


def test_a_publish_renders_on_the_cluster_and_the_next_renders_nothing(
    cluster: tuple[str, object], tmp_path: Path
) -> None:
    address, _ = cluster
    src = transcripts(tmp_path)
    out = tmp_path / "feed"
    options = RenderOptions(cache_dir=tmp_path / "cache")
    report = publish([src], out, BASE, cluster=address, options=options)
    assert sorted(report.rendered) == sorted(TOPICS)
    assert feed_mp3s(out) == {f"{t}.mp3" for t in TOPICS}
    assert set(manifest(out)) == set(TOPICS)
    assert not [p for p in (out / "episodes").iterdir() if TEMP_MARK in p.name]

    again = publish([src], out, BASE, cluster=address, options=options)
    assert again.rendered == () and sorted(again.reused) == sorted(TOPICS)
    assert not again.feed_changed


def test_a_worker_killed_during_a_render_is_replaced_and_the_feed_is_complete(
    cluster: tuple[str, object], tmp_path: Path
) -> None:
    address, client = cluster
    src = transcripts(tmp_path)
    out = tmp_path / "feed"
    episodes = out / "episodes"
    options = RenderOptions(cache_dir=tmp_path / "cache")
    result: list[PublishReport | BaseException] = []

    def run() -> None:
        try:
            result.append(publish([src], out, BASE, cluster=address, options=options))
        except BaseException as err:
            result.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    killed: int | None = None
    deadline = time.monotonic() + 120
    while killed is None and thread.is_alive() and time.monotonic() < deadline:
        # a render has started when its MP3's temporary appears beside the final name
        started = [p.name for p in episodes.glob(f".*{TEMP_MARK}*")] if episodes.is_dir() else []
        slugs = {name[1:].split(".", 1)[0] for name in started}
        processing = client.processing()  # type: ignore[attr-defined]
        for worker, keys in processing.items():
            if any(f"pressaudio-render-{slug}-" in str(k) for k in keys for slug in slugs):
                pids = client.run(os.getpid, workers=[worker])  # type: ignore[attr-defined]
                killed = pids[worker]
                os.kill(killed, signal.SIGKILL)
                break
        else:
            time.sleep(0.01)
    thread.join(300)
    assert killed is not None, "no render was seen running"
    with pytest.raises(ProcessLookupError):
        os.kill(killed, 0)  # it really died, in the middle of its render
    assert len(result) == 1 and isinstance(result[0], PublishReport), result
    assert sorted(result[0].rendered) == sorted(TOPICS)
    assert feed_mp3s(out) == {f"{t}.mp3" for t in TOPICS}
    assert set(manifest(out)) == set(TOPICS)

    again = publish([src], out, BASE, cluster=address, options=options)
    assert again.rendered == ()
    assert not [p for p in episodes.iterdir() if TEMP_MARK in p.name]  # cleaned


def test_an_interrupted_publish_is_resumed_without_rendering_again(
    cluster: tuple[str, object], tmp_path: Path
) -> None:
    address, _ = cluster
    src = transcripts(tmp_path)
    out = tmp_path / "feed"
    options = RenderOptions(cache_dir=tmp_path / "cache")
    finished: list[str] = []

    def rendered(ep: object) -> None:
        finished.append(ep.slug)  # type: ignore[attr-defined]
        raise KeyboardInterrupt  # Ctrl-C once the first episode is in

    with pytest.raises(KeyboardInterrupt):
        publish([src], out, BASE, cluster=address, options=options,
                hooks=PublishHooks(rendered=rendered))
    assert not (out / "feed.xml").exists()  # no feed until a publish completes
    recorded = set(manifest(out))
    assert set(finished) <= recorded and recorded < set(TOPICS)

    resumed = publish([src], out, BASE, cluster=address, options=options)
    assert set(resumed.reused) == recorded  # finished work is never rendered again
    assert set(resumed.rendered) == set(TOPICS) - recorded
    assert feed_mp3s(out) == {f"{t}.mp3" for t in TOPICS}


def test_the_cluster_setting_is_read_and_checked(tmp_path: Path) -> None:
    (tmp_path / "podcast.toml").write_text('cluster = "tcp://render1.example.org:8786"\n')
    assert load_settings(tmp_path).cluster == "tcp://render1.example.org:8786"
    (tmp_path / "podcast.toml").write_text('cluster = "render1"\n')
    with pytest.raises(ConfigError, match="cluster"):
        load_settings(tmp_path)
