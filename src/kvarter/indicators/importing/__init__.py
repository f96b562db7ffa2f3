"""Reading indicator files (JSON-stat 2.0, Kolada API JSON, long CSV) and writing their values."""
