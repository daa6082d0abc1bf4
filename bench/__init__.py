"""Benchmarks that print numbers and ratios against peers (not part of the distribution)."""
