"""The package version (the data version too): ``release`` sets it, hatch reads it."""

__version__ = "0.3.0"
