"""Problem places: flagged places, their history and linked measures."""
