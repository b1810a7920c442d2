"""Catalog site, exports, output folders, report; may import the rooms from core to contributing."""
