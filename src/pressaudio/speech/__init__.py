"""Speech: normalisation for TTS, the lexicon, voice casting, planning and synthesis."""
