"""Where `pressaudio follow` gets the base URL: --base-url, else base_url in podcast.toml;
without either a round cannot publish, and that is a usage error naming both ways."""

from __future__ import annotations

from pathlib import Path

from conftest import pressaudio

SOURCE = '[[sources]]\nname = "A"\nurl = "http://127.0.0.1:9/press/"\n'


def test_no_base_url_anywhere_is_a_usage_error_naming_both_ways(
    tmp_path: Path, follow_cache: Path
) -> None:
    (tmp_path / "podcast.toml").write_text('title = "Followed"\n' + SOURCE, "utf-8")
    done = pressaudio("follow", tmp_path, "--once", cache=follow_cache)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"error: no base URL: where {tmp_path} will be served (every link in the feed starts "
        f'with it); give --base-url URL, or set base_url = "URL" in {tmp_path / "podcast.toml"}'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["podcast.toml"]  # nothing fetched


def test_a_base_url_in_podcast_toml_is_enough(tmp_path: Path, follow_cache: Path) -> None:
    # No [[sources]]: the round stops at that (exit 1), past the base URL.
    (tmp_path / "podcast.toml").write_text('base_url = "http://127.0.0.1:8765/pod/"\n', "utf-8")
    done = pressaudio("follow", tmp_path, "--once", cache=follow_cache)
    assert done.returncode == 1 and "no [[sources]]" in done.stderr, done.stderr


def test_a_broken_base_url_in_podcast_toml_is_one_line_naming_its_line(
    tmp_path: Path, follow_cache: Path
) -> None:
    (tmp_path / "podcast.toml").write_text('title = "A"\nbase_url = "pod/"\n' + SOURCE, "utf-8")
    done = pressaudio("follow", tmp_path, "--once", cache=follow_cache)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'podcast.toml'}:2: base_url 'pod/' is not an http(s) URL"
    ]
