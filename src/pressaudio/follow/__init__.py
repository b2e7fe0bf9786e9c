"""`pressaudio follow`: new transcripts on government sites become new episodes, unattended.

- `sources.py`: the `[[sources]]` of podcast.toml (feeds or index pages) and the bundled
  example definitions;
- `fetch.py`: the polite HTTP client (robots.txt, one request per second per host,
  conditional GET, Retry-After) over `pressaudio.net` (a size cap and a whole-request
  deadline);
- `listing.py`: the transcript links of a source (RSS/Atom entries or an index page's links);
- `state.py`: DIR/.pressaudio/follow.json, what was fetched, when, and what it became;
- `run.py`: one round (fetch what is new or changed, save it, publish) and the watch loop.

Nothing is imported here, so `import pressaudio.follow.sources` stays light.
"""
