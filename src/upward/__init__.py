"""Upward: Mobility Metrics explorer and Mobility Action Planning."""

__version__ = "0.1.0"
