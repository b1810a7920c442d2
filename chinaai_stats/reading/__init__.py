"""Reading texts (parser, extraction, provenance, inputs); may import core, tables, measures."""
