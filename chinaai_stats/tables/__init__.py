"""The tables: find, read, load (with currency columns), describe, cite; may import core."""
