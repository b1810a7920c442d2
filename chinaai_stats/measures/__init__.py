"""Units, exchange-rate checks, reference series, per-person figures; may import core, tables."""
