"""Shared base (errors, safe writes, write journal, dates, version); may import the stdlib only."""
