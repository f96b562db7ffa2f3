"""Kvarter — follow-up of area-based development against segregation."""

__version__ = "0.1.0"
