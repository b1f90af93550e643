"""Benchmarks: each prints its figures beside their targets."""
