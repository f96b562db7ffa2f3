"""Benchmarks: `make bench` prints figures; targets live here, never in timed unit tests."""
