"""Benchmarks, run by `make bench`; each prints ratios against a baseline of the same run."""
