"""Tests of the benchmarks' own code (never of their figures)."""
