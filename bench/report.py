"""Markdown tables for benchmark results, and the few statistics the benchmarks share."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


def repeats() -> int:
    """How many rounds a benchmark runs (``BENCH_REPEATS``, default 3): the machine is
    shared, so figures are medians of rounds."""
    return int(os.environ.get("BENCH_REPEATS", "3"))


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def markdown_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no rows)"
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(row.get(h, "")) for h in headers) + " |" for row in rows]
    return "\n".join(lines)
