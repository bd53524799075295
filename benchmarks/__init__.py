"""Benchmarks: run from the repository root as modules, e.g. ``python -m benchmarks.synth 166 7``."""
