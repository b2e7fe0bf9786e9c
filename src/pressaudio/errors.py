"""Errors a user can cause. Each one renders as a single line naming the file and line."""

from __future__ import annotations


class PressaudioError(Exception):
    """Root of every error the CLI turns into one clear line (exit code 1)."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = f"{self.source}:{self.line}: " if self.line is not None else f"{self.source}: "
        return f"{where}{self.message}"


class SourceError(PressaudioError):
    """A transcript could not be read: missing, binary, undecodable, unreachable, empty."""


class ConfigError(PressaudioError):
    """A voice profile, lexicon or podcast settings file is broken or names something unknown."""


class SynthesisError(PressaudioError):
    """The speech engine failed or produced implausible audio."""


class AudioError(PressaudioError):
    """Mixing, loudness or encoding failed."""


class PublishError(PressaudioError):
    """The feed could not be published: lock held, slug or guid clash, unwritable folder."""


class FollowError(PressaudioError):
    """A source could not be followed: a site refused or failed, a page was not a transcript."""


class OutputError(PressaudioError):
    """An output file could not be written: the disk is full, the folder is read-only."""
