"""Transcript text -> Transcript: who says what, in which role, under which heading.

The parser is a chain of passes over frozen intermediates (`intermediates.py`), each pass a
module with one public verb, each linear in the size of the text:

1. `lines.split_lines`: the lines, the `---` front matter, each line cleaned and kinded
   (text, blank, boilerplate, PDF page chrome, footnote);
2. `labelling.accept_labels`: the lines that start with a speaker label, by shape and by
   position, and the page's trailer after an end mark;
3. `paragraphs.join_paragraphs`: hard wraps and page breaks joined, one paragraph per label;
4. `headings.find_headings`: the section headings;
5. `header.read_header`: title, date and time, place and facts above the first label;
6. `turns.assemble_turns`: labelled turns (and unlabelled answers and statements) under
   their sections;
7. `speakers.attribute`: one speaker per person, display names and roles.

Never raises on odd text: what it cannot place becomes narration.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from pressaudio.model import Transcript
from pressaudio.transcript.header import read_header
from pressaudio.transcript.headings import find_headings
from pressaudio.transcript.intermediates import Source
from pressaudio.transcript.labelling import accept_labels
from pressaudio.transcript.lines import split_lines
from pressaudio.transcript.paragraphs import join_paragraphs
from pressaudio.transcript.speakers import attribute
from pressaudio.transcript.turns import assemble_turns

__all__ = ["PASSES", "parse"]

# Source -> Lines -> LabelledLines -> Paragraphs -> Headings -> Header -> Turns -> Transcript
PASSES: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("lines", split_lines),
    ("labels", accept_labels),
    ("paragraphs", join_paragraphs),
    ("headings", find_headings),
    ("header", read_header),
    ("turns", assemble_turns),
    ("speakers", attribute),
)


def parse(text: str, *, source: str, default_tz: tzinfo | None = None) -> Transcript:
    """Parse the text of one press-conference transcript.

    `source` names the input in warnings; `default_tz` is attached to a time the text gives
    without a zone. Never raises on odd text: what it cannot place becomes narration.
    """
    value: Any = Source(text=text, name=source, default_tz=default_tz)
    for _name, run in PASSES:
        value = run(value)
    assert isinstance(value, Transcript)
    return value
