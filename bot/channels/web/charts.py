"""Chart geometry for the dashboard; the template draws it as inline SVG (no script, no CDN).

Only numbers and data labels are computed here; colours come from CSS classes and words
from the template, so the same chart works in light print and on a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    css: str  # CSS class, e.g. "on_time"
    y: float
    height: float
    value: int


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    label: str
    total: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Gridline:
    y: float
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int  # room for the axis numbers
    bottom: float  # y of the baseline
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]


def _nice_max(value: int) -> int:
    """A round axis maximum ≥ value (1, 2, 5, 10, 20, 50…) so gridlines land on integers."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def stacked_bars(
    items: Sequence[tuple[str, Sequence[tuple[str, int]]]],
    *,
    width: int = 340,
    height: int = 170,
) -> BarChart:
    """One bar per (label, [(css, value), …]); segments stacked bottom-up in the given order."""
    left, top, label_room = 28, 8, 22
    bottom = float(height - label_room)
    plot_height = bottom - top
    top_value = _nice_max(max((sum(v for _, v in parts) for _, parts in items), default=0) or 1)
    slot = (width - left) / max(len(items), 1)
    bar_width = min(slot * 0.7, 48.0)
    bars = []
    for index, (label, parts) in enumerate(items):
        x = left + slot * index + (slot - bar_width) / 2
        y = bottom
        segments = []
        for css, value in parts:
            h = plot_height * value / top_value
            y -= h
            if value > 0:
                segments.append(Segment(css, round(y, 1), round(h, 1), value))
        bars.append(
            Bar(round(x, 1), round(bar_width, 1), label, sum(v for _, v in parts), tuple(segments))
        )
    gridlines = tuple(
        Gridline(round(bottom - plot_height * f, 1), round(top_value * f))
        for f in (0.0, 0.5, 1.0)
        if top_value * f == int(top_value * f)
    )
    return BarChart(width, height, left, bottom, tuple(bars), gridlines)
