"""Hostile inputs: planted links, forged markers and journals, formulas and spoofing text."""
