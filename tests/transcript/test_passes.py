"""The parser's declared chain: its passes in order, each taking the value the one before made."""

from __future__ import annotations

import dataclasses

from pressaudio.model import Transcript
from pressaudio.transcript import intermediates
from pressaudio.transcript.intermediates import Source
from pressaudio.transcript.parser import PASSES, parse


def test_the_chain_runs_its_passes_in_order() -> None:
    assert [name for name, _ in PASSES] == [
        "lines", "labels", "paragraphs", "headings", "header", "turns", "speakers",
    ]  # fmt: skip
    value: object = Source(
        "Press Conference by the Minister\n\nMINISTER: Hello.\n\nQ: Hi?", "t.txt"
    )
    kinds = []
    for _name, run in PASSES:
        value = run(value)
        kinds.append(type(value).__name__)
    assert kinds == [
        "Lines", "LabelledLines", "Paragraphs", "Headings", "Header", "Turns", "Transcript",
    ]  # fmt: skip
    assert isinstance(value, Transcript)
    assert value == parse(
        "Press Conference by the Minister\n\nMINISTER: Hello.\n\nQ: Hi?", source="t.txt"
    )


def test_every_intermediate_is_frozen_and_holds_tuples() -> None:
    for name in intermediates.__all__:
        cls = getattr(intermediates, name)
        if not dataclasses.is_dataclass(cls):
            continue
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen, name
        for f in dataclasses.fields(cls):
            assert "list[" not in str(f.type) and "dict[" not in str(f.type), (name, f.name)
