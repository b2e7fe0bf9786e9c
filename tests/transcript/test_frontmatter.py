"""frontmatter directly: the `---` YAML block at the top of a saved transcript."""

from __future__ import annotations

from pressaudio.transcript.frontmatter import split_front_matter


def test_fields_and_end_line() -> None:
    fm = split_front_matter(
        ["---", 'title: "Press Conference: Kamikawa"', "date: 2023-09-14  # JST", "---", "Body"]
    )
    assert fm is not None
    assert fm.fields["title"] == "Press Conference: Kamikawa"
    assert fm.fields["date"] == "2023-09-14"
    assert fm.end_line == 3


def test_no_front_matter() -> None:
    assert split_front_matter(["Minister: Hello.", "---"]) is None
    assert split_front_matter(["---", "title: never closed"]) is None
    assert split_front_matter([]) is None
