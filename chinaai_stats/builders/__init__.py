"""Maintainers' scripts building shipped tables and releases; may import core to outputs."""
