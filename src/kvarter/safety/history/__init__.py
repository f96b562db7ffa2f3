"""Incident history: importing earlier reports and the exports (raw events and counts)."""
