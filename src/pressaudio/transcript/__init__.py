"""transcript stage."""
