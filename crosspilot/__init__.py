"""Crosspilot's domain: loading, validating and analysing multi-pilot data. Never imports dash."""

__version__ = "0.1.0"
