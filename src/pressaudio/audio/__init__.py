"""audio stage: stitch clips, normalise loudness, encode the MP3, write chapters and captions.

Usage: `assemble(clips, script, out_mp3, EpisodeMeta(...), AudioSettings())`.
"""

from pressaudio.audio.assemble import assemble, plan_timeline, sidecar_paths
from pressaudio.audio.settings import AudioSettings, EpisodeMeta

__all__ = ["AudioSettings", "EpisodeMeta", "assemble", "plan_timeline", "sidecar_paths"]
