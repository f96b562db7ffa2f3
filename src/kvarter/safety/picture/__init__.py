"""The situational picture: weekly counts, its lists and rules, and the hot spots."""
