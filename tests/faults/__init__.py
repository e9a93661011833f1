"""Fault tests: crashes, duplicates, send failures, fuzzed input, access rules, two workers.

Sizes are CI-sized by default; ``make soak`` (``TINBAO_SOAK=1``) runs the bigger versions.
"""
