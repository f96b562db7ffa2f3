"""Retention: purging raw reports past the retention period, keeping monthly counts."""
