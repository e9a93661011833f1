"""One PNG for a phone screen: completeness by unit kind, and tips per day in the period.

800×1000 px, large DejaVu Sans text (it has every Vietnamese glyph). Drawn with the
object API on an Agg canvas, not pyplot: no display is needed and no global figure state is
shared between threads of the server.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.messages import t
from reports.aggregate import Aggregate

WIDTH_PX, HEIGHT_PX, DPI = 800, 1000, 100
COLOURS = {"on_time": "#2e7d32", "late": "#f9a825", "missing": "#c62828", "tips": "#1565c0"}


def render_chart(agg: Aggregate, out_path: Path) -> Path:
    """Draw the chart to ``out_path`` (PNG, exactly 800×1000 px) and return the path."""
    with rc_context({"font.family": "DejaVu Sans", "font.size": 17}):
        fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.1, 1]})
        fig.suptitle(
            t("report.chart.title", number=agg.directive_number, period=agg.period.label()),
            fontsize=19,
            fontweight="bold",
        )
        _completeness(top, agg)
        _tips(bottom, agg)
        fig.get_layout_engine().set(h_pad=0.15)  # type: ignore[union-attr,call-arg]
        out_path.parent.mkdir(parents=True, exist_ok=True)
        # No bbox_inches="tight": it would change the pixel size.
        fig.savefig(str(out_path), dpi=DPI, format="png")
    return out_path


def _completeness(ax: Axes, agg: Aggregate) -> None:
    kinds = list(reversed(agg.by_kind))  # first kind on top
    # Wrapped, so long kind names don't squeeze the bars on a narrow screen.
    labels = [textwrap.fill(t(f"report.kind.{k.kind}"), 12) for k in kinds]
    left = [0.0] * len(kinds)
    for status in ("on_time", "late", "missing"):
        values = [float(getattr(k.rate, status)) for k in kinds]
        ax.barh(
            labels,
            values,
            left=left,
            color=COLOURS[status],
            label=t(f"report.status.{status}"),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title(t("report.chart.completeness"), fontsize=18)
    ax.set_xlabel(t("report.chart.units"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # Under the axis, outside the plot: a legend inside could hide a bar.
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.28), ncol=3, frameon=False, fontsize=15)


def _tips(ax: Axes, agg: Aggregate) -> None:
    days = list(agg.incidents_by_day)
    counts = list(agg.incidents_by_day.values())
    ax.bar(range(len(days)), counts, color=COLOURS["tips"])
    step = max(1, math.ceil(len(days) / 5))  # about 5 date labels fit a phone's width
    ticks = list(range(0, len(days), step))
    ax.set_xticks(ticks, [days[i].strftime("%d/%m") for i in ticks])
    ax.set_title(t("report.chart.incidents"), fontsize=18)
    ax.set_ylabel(t("report.chart.tips"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0, top=max([*counts, 1]) * 1.15)
