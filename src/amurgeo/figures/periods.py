"""Counts (or effort) per period and area as a bar chart: detections per month, fires per year.

:func:`plot_periods` draws a table with an ``area`` and a ``period`` column, such as
:func:`amurgeo.count_observations` with ``by=`` or :func:`amurgeo.camtrap_effort` with
``by=``, as grouped bars: one group per period, in time order, one bar per area. Periods
with no record keep their place (a zero), so that a gap in the data shows as a gap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from amurgeo.errors import DataError, UsageError
from amurgeo.figures.layers import RC_PARAMS, plain_text
from amurgeo.figures.map import new_figure
from amurgeo.style import AREA_COLORS, MUTED_COLOR, TEXT_COLOR

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_periods"]

#: Rows that summarize others (drawn only when asked for by name in `areas`).
_SUMMARY_KINDS = ("protected", "inside", "country")

_LABEL_SHAPES = (
    ("year", re.compile(r"\d{4}")),
    ("month", re.compile(r"\d{4}-\d\d")),
    ("week", re.compile(r"\d{4}-W\d\d")),
    ("day", re.compile(r"\d{4}-\d\d-\d\d")),
)

#: Axis labels of the usual value columns.
_VALUE_LABELS = {
    "count": "observations",
    "detections": "independent detections",
    "trap_nights": "trap-nights",
    "per_100_trap_nights": "detections per 100 trap-nights",
    "km": "km of patrol track",
    "patrols": "patrols",
}


def _period_of(label: str) -> str | None:
    """``year``, ``month``, ``week`` or ``day`` from the shape of a period label."""
    for by, pattern in _LABEL_SHAPES:
        if pattern.fullmatch(label):
            return by
    return None


def _all_periods(labels: Sequence[str]) -> list[str]:
    """Every period from the first label to the last, empty ones included, in time order."""
    from amurgeo.observations.dates import period_range, period_start

    ordered = sorted(set(labels))
    kinds = {_period_of(label) for label in ordered}
    if len(kinds) != 1 or None in kinds:
        return ordered  # labels of the user's own: drawn as they are
    by = str(kinds.pop())
    first, last = period_start(ordered[0]), period_start(ordered[-1])
    span = period_range(
        np.datetime64(first, "ns"), np.datetime64(last, "ns") + np.timedelta64(1, "ns"), by
    )
    return [str(p) for p in span["period"]]


def _area_order(table: pd.DataFrame, areas: Sequence[str] | None) -> list[str]:
    present = list(dict.fromkeys(table["area"].astype(str)))
    if areas is not None:
        unknown = [a for a in areas if a not in present]
        if unknown:
            raise UsageError(
                f"no rows for area {unknown[0]!r}; the table has: {', '.join(present[:20])}"
            )
        return list(areas)
    if "kind" not in table.columns:
        return present
    kinds = dict(zip(table["area"].astype(str), table["kind"].astype(str), strict=False))
    return [a for a in present if kinds.get(a) not in _SUMMARY_KINDS]


def plot_periods(
    table: pd.DataFrame,
    *,
    value: str | None = None,
    areas: Sequence[str] | None = None,
    title: str | None = None,
    width: float = 8.0,
) -> Figure:
    """Draw `value` per period and area as grouped bars.

    Parameters
    ----------
    table
        A table with ``area``, ``period`` and `value` columns: the result of
        :func:`amurgeo.count_observations`, :func:`amurgeo.camtrap_effort` or
        :func:`amurgeo.patrol_effort` with ``by=``. Rows of several species (effort) are
        added up per area and period.
    value
        The column to draw (default ``count``, else ``detections``, else ``km``).
    areas
        The areas to draw, in this order (default: every area of the table but the
        summary rows ``(any protected area)``, ``(inside any area)`` and countries).
    title
        Title above the chart (``""`` for none; default: the value and the periods).
    width
        Width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`amurgeo.save_figure`.

    Raises
    ------
    UsageError
        For a table without periods (count with ``by=``), a missing `value` column or an
        area the table does not have.
    DataError
        For a table with no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"area": ["park", "park", "rest"], "period": ["2023", "2024",
    ...                       "2024"], "count": [3, 5, 2]})
    >>> fig = plot_periods(table)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_xticklabels()], [float(b.get_height()) for b in ax.patches]
    (['2023', '2024'], [3.0, 5.0, 0.0, 2.0])
    """
    from matplotlib import rc_context

    if "period" not in table.columns:
        raise UsageError(
            "the table has no period column; count with by='year', 'month', 'week' or 'day'"
        )
    if value is None:
        value = next((c for c in ("count", "detections", "km") if c in table.columns), "count")
    for column in ("area", value):
        if column not in table.columns:
            raise UsageError(
                f"the table has no {column!r} column; its columns are: "
                f"{', '.join(map(str, table.columns))}"
            )
    if table.empty:
        raise DataError("the table has no rows; nothing to chart")
    names = _area_order(table, areas)
    data = table[table["area"].astype(str).isin(names)]
    sums = (
        pd.to_numeric(data[value], errors="coerce")
        .groupby([data["period"].astype(str), data["area"].astype(str)])
        .sum(min_count=1)
    )
    periods = _all_periods(list(table["period"].astype(str)))
    grid = sums.unstack("area").reindex(index=periods, columns=names).fillna(0.0)
    with rc_context(RC_PARAMS):
        fig = new_figure(figsize=(width, width * 0.5))
        ax = fig.subplots()
        x = np.arange(len(periods), dtype=float)
        step = 0.8 / max(len(names), 1)
        for i, name in enumerate(names):
            ax.bar(
                x - 0.4 + step * (i + 0.5),
                grid[name].to_numpy(dtype=float),
                width=step,
                color=AREA_COLORS[i % len(AREA_COLORS)],
                edgecolor="white",
                linewidth=0.5,
                label=plain_text(name),
            )
        ax.set_xticks(x)
        ax.set_xticklabels([plain_text(p) for p in periods], rotation=45 if len(periods) > 8 else 0)
        ax.set_xlim(-0.6, len(periods) - 0.4)
        ax.set_ylabel(plain_text(_VALUE_LABELS.get(value, value)), color=TEXT_COLOR)
        values = grid.to_numpy(dtype=float)
        if np.all(values == np.round(values)):  # counts: no tick at half an animal
            from matplotlib.ticker import MaxNLocator

            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        if title is None:
            title = f"{_VALUE_LABELS.get(value, value).capitalize()} per period and area"
        if title:
            ax.set_title(
                plain_text(title, 120), loc="left", fontsize=12, fontweight="bold", color=TEXT_COLOR
            )
        total = float(np.nansum(grid.to_numpy()))
        fig.text(
            0.01,
            0.01,
            plain_text(f"{len(periods)} periods, {total:,.10g} in all across the areas drawn"),
            fontsize=7,
            color=MUTED_COLOR,
        )
        fig.tight_layout()
    return fig
