"""Reading transcripts and knowing who says what, in which role, under which heading."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from pressaudio.model import Transcript
from pressaudio.transcript.parser import parse
from pressaudio.transcript.reader import read

__all__ = ["load", "parse", "read", "to_json_dict"]


def load(source: str, *, default_tz: tzinfo | None = None) -> Transcript:
    """Read `source` (.txt, .html, http(s) URL or "-") and parse it into a Transcript."""
    doc = read(source)
    return parse(doc.text, source=doc.name, default_tz=default_tz)


def to_json_dict(transcript: Transcript) -> dict[str, Any]:
    """The `pressaudio segment --json` shape."""
    return {
        "title": transcript.title,
        "held_at": transcript.held_at.isoformat() if transcript.held_at else None,
        "location": transcript.location,
        "sections": list(transcript.sections),
        "metadata": list(transcript.metadata),
        "speakers": [
            {"key": s.key, "name": s.name, "role": s.role} for s in transcript.speakers
        ],
        "turns": [
            {
                "speaker": t.speaker,
                "label": t.label,
                "role": t.role,
                "section": t.section,
                "text": t.text,
                "line": t.line,
            }
            for t in transcript.turns
        ],
    }
