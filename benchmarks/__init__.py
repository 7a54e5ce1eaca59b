"""Benchmarks, run with ``make bench``. Each prints one BENCH line (see README)."""
