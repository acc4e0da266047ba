"""The population timeline: :func:`load_population` and :func:`plot_population`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from amurgeo.errors import DataError, UsageError
from amurgeo.figures.layers import RC_PARAMS, plain_text, wrap_text
from amurgeo.figures.map import new_figure
from amurgeo.style import MUTED_COLOR, SIDE_COLORS, TEXT_COLOR

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


_SIDE_COLORS = SIDE_COLORS
_BOTH = ("russia and china", "wild population", "transboundary", "both")
_RUSSIA = ("russia", "primorye", "land of the leopard")
_CHINA = ("china", "jilin", "heilongjiang", "hunchun")


def _side(area: Any) -> str:
    text = str(area).lower()
    if any(k in text for k in _BOTH):
        return "both sides"
    if any(k in text for k in _RUSSIA):
        return "Russia"
    if any(k in text for k in _CHINA):
        return "China"
    return "other"


def load_population() -> pd.DataFrame:
    """Return the bundled leopard and tiger counts (``geodata/population.csv``).

    Russian and Chinese counts include the same cross-border animals: never add them.

    Returns
    -------
    pandas.DataFrame
        One row per count: ``year``, ``species``, ``area`` (as the source gives it),
        ``count_low``, ``count_high`` (missing for a minimum, "at least"), ``method``,
        ``source``, and ``side``: ``Russia``, ``China`` or ``both sides`` (from ``area``: a
        park or region belongs to its country).

    Raises
    ------
    DataError
        If the bundled table cannot be read.

    Examples
    --------
    >>> counts = load_population()
    >>> sorted(counts["species"].unique())
    ['Amur leopard', 'Amur tiger']
    >>> leopards_2015 = (counts["year"] == 2015) & (counts["species"] == "Amur leopard")
    >>> counts.loc[leopards_2015, "side"].tolist()
    ['China', 'Russia', 'both sides']
    """
    from amurgeo._paths import geodata_dir

    path = geodata_dir() / "population.csv"
    try:
        table = pd.read_csv(path, dtype={"source": str, "method": str, "area": str})
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the population table ({exc})") from exc
    table["count_low"] = pd.to_numeric(table["count_low"], errors="coerce")
    table["count_high"] = pd.to_numeric(table["count_high"], errors="coerce")
    table["side"] = [_side(a) for a in table["area"]]
    return table


def _population_table(population: pd.DataFrame | None) -> pd.DataFrame:
    """The table to chart: checked, ``side``, ``count_high`` and ``source`` filled, sorted."""
    table = load_population() if population is None else population.copy()
    missing = {"year", "species", "area", "count_low"} - set(table.columns)
    if missing:
        raise UsageError(
            f"population table lacks the columns {', '.join(sorted(missing))}; "
            "expected year, species, area, count_low, count_high, source"
        )
    if table.empty:
        raise DataError("population table is empty; nothing to chart")
    if "side" not in table.columns:
        table["side"] = [_side(a) for a in table["area"]]
    if "count_high" not in table.columns:
        table["count_high"] = np.nan
    if "source" not in table.columns:
        table["source"] = ""
    table = table.sort_values(["species", "year"], kind="stable").reset_index(drop=True)
    return table


def _population_legend(fig: Figure, styles: dict[str, tuple[str, str, bool]]) -> None:
    """One legend column per side of the border, and the "at least" arrow."""
    from matplotlib.lines import Line2D

    columns: dict[str, list[Any]] = {}
    for area, (color, marker, filled) in styles.items():
        side = _side(area)
        whole = area.lower() in ("russia", "china") or side not in ("Russia", "China")
        columns.setdefault(side, []).append(
            Line2D(
                [],
                [],
                color=color,
                marker=marker,
                linestyle="none",
                markersize=6,
                markerfacecolor=color if filled else "white",
                label=plain_text(area if whole else f"{area} ({side})"),
            )
        )
    columns.setdefault("both sides", []).append(
        Line2D(
            [],
            [],
            color=MUTED_COLOR,
            marker=r"$\uparrow$",
            linestyle="none",
            markersize=8,
            label="at least (a minimum count)",
        )
    )
    # one legend column per side of the border (legends fill column by column)
    rows = max(len(c) for c in columns.values())
    handles = []
    for column in columns.values():
        blank = Line2D([], [], linestyle="none", marker="none", label=" ")
        handles += column + [blank] * (rows - len(column))
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.06, 0.915),
        ncol=len(columns),
        fontsize=7.5,
        frameon=False,
        columnspacing=2.5,
    )


def plot_population(
    population: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (10.0, 6.4),
) -> Figure:
    """Chart leopard and tiger counts over the years, Russia and China kept apart.

    One panel per species; each count is a marker with its low-high range as a bar (an arrow
    for a minimum, "at least"), coloured by side of the border, and numbered by its source,
    listed under the chart.

    Parameters
    ----------
    population
        A table like :func:`load_population` (default: the bundled one). ``side`` is derived
        from ``area`` when missing.
    title
        Title above the chart (``""`` for none).
    figsize
        Size of the figure in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_population()
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Amur leopard', 'Amur tiger']
    """
    from matplotlib import rc_context

    table = _population_table(population)
    sources: list[str] = []
    for value in table["source"].fillna(""):
        if str(value) not in sources:
            sources.append(str(value))
    species = list(dict.fromkeys(table["species"].astype(str)))
    with rc_context(RC_PARAMS):
        fig = new_figure(figsize=figsize)
        axes = fig.subplots(1, len(species), squeeze=False)[0]
        styles = _population_styles(table)
        for ax, name in zip(axes, species, strict=True):
            rows = table[table["species"].astype(str) == name]
            _population_panel(ax, rows, sources, styles)
            ax.set_title(
                plain_text(name), loc="left", fontsize=11, fontweight="bold", color=TEXT_COLOR
            )
        _population_legend(fig, styles)
        if title is None:
            title = "Amur leopard and Amur tiger counts, Russia and China kept apart"
        if title:
            fig.suptitle(
                plain_text(title, 120),
                x=0.06,
                ha="left",
                y=0.975,
                fontsize=13,
                fontweight="bold",
                color=TEXT_COLOR,
            )
        note = (
            "Russian and Chinese counts include the same cross-border animals: never add them. "
            "Bars: low\u2013high range of an estimate. Numbers: sources. "
            + "   ".join(f"[{i}]\u00a0{plain_text(s, 90)}" for i, s in enumerate(sources, start=1))
        )
        fig.text(
            0.06,
            0.13,
            wrap_text(note, 150),
            ha="left",
            va="top",
            fontsize=7,
            color=MUTED_COLOR,
            linespacing=1.4,
        )
        fig.subplots_adjust(left=0.06, right=0.98, top=0.78, bottom=0.2, wspace=0.18)
    return fig


_SIDE_ORDER = {"Russia": 0, "China": 1, "both sides": 2, "other": 3}
_PART_MARKERS = ("s", "^", "v", "p")
_BOTH_MARKERS = ("D", "h", "X", "*")


def _population_styles(table: pd.DataFrame) -> dict[str, tuple[str, str, bool]]:
    """Area -> (colour, marker, filled), in legend order: Russia, China, both sides.

    A whole side (``Russia``, ``China``) is a filled circle; a part of one (a park, a region)
    an open square or triangle; an estimate for both sides together a grey diamond.
    """
    areas = list(dict.fromkeys(str(a) for a in table["area"]))
    areas.sort(key=lambda a: (_SIDE_ORDER[_side(a)], a.lower() not in ("russia", "china")))
    styles: dict[str, tuple[str, str, bool]] = {}
    used: dict[str, int] = {}
    for area in areas:
        side = _side(area)
        color = _SIDE_COLORS.get(side, MUTED_COLOR)
        if area.lower() in ("russia", "china"):
            styles[area] = (color, "o", True)
            continue
        markers = _BOTH_MARKERS if side == "both sides" else _PART_MARKERS
        k = used.get(side, 0)
        used[side] = k + 1
        styles[area] = (color, markers[k % len(markers)], side == "both sides")
    return styles


def _population_panel(
    ax: Axes,
    rows: pd.DataFrame,
    sources: list[str],
    styles: dict[str, tuple[str, str, bool]],
) -> None:
    for area, group in rows.groupby("area", sort=False):
        color, marker, filled = styles[str(area)]
        years = group["year"].to_numpy(dtype=float)
        low = group["count_low"].to_numpy(dtype=float)
        high = group["count_high"].to_numpy(dtype=float)
        mid = np.where(np.isfinite(high), (low + high) / 2, low)
        if len(group) > 1:
            ax.plot(years, mid, color=color, linewidth=0.8, alpha=0.5, zorder=2)
        ranged = np.isfinite(high) & (high > low)
        if ranged.any():
            ax.vlines(
                years[ranged], low[ranged], high[ranged], color=color, linewidth=1.6, zorder=3
            )
        ax.scatter(
            years,
            mid,
            marker=marker,
            s=36,
            zorder=4,
            edgecolors=color,
            linewidths=1.3,
            facecolors=color if filled else "white",
        )
        minimum = ~np.isfinite(high)
        for year, value in zip(years[minimum], low[minimum], strict=True):
            ax.annotate(
                "",
                xy=(year, value * 1.12),
                xytext=(year, value),
                zorder=3,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": color,
                    "linewidth": 1.2,
                    "shrinkA": 4,
                    "shrinkB": 0,
                },
            )
        labels = zip(years, mid, high, group["source"].fillna(""), strict=True)
        for year, value, top, source in labels:
            number = sources.index(str(source)) + 1
            ax.annotate(
                str(number),
                (year, top if np.isfinite(top) else value),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=6.5,
                color=MUTED_COLOR,
                zorder=5,
            )
    ax.set_xlim(1968, 2028)
    ax.set_ylim(bottom=0)
    top = float(np.nanmax(np.concatenate([rows["count_low"], rows["count_high"]])))
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel("animals counted", color=TEXT_COLOR)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.7)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
