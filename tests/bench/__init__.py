"""Benchmarks (`make bench`): each prints its figure as a ratio to a bare baseline."""
