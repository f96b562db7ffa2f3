"""The fictional demo municipality Exempelstad, built through the same services users call."""
