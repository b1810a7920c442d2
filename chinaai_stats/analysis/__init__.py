"""Comparisons, derived figures, conflicts; may import core, tables, measures, reading."""
