"""Talking books from an episode: EPUB 3 with Media Overlays (epub.py) and DAISY 2.02 (daisy.py).

Both are made from what rendering already knows: the episode's MP3 (the one audio file of
the book), its cues (one timed utterance each: a sentence, a few short ones, or a clause of
a long one) and chapters, and the transcript's title, date, place and speakers. The shared
outline (outline.py) turns those into headings, turns and timed sentences.
"""
