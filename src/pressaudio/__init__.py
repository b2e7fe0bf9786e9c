"""pressaudio: press-conference transcripts in, chaptered multi-voice podcast episodes out."""

__version__ = "0.1.0"
