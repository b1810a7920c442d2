"""Validating and adding rows and sources; may import the rooms from core to analysis."""
