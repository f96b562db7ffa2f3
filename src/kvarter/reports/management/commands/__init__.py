"""``kvarter report …``."""
