"""Cartographic furniture of the map figure: scale bar and north arrow."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from amurgeo.style import TEXT_COLOR

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def nice_length(max_m: float) -> float:
    """The longest 1, 2 or 5 times 10^k metres that is at most `max_m`."""
    exponent = math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        value = step * 10**exponent
        if value <= max_m:
            return float(value)
    return float(10**exponent)


def scale_bar(ax: Axes, frame: Sequence[float]) -> None:
    """A scale bar in km in the lower left corner (true in the equal-area CRS)."""
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = frame
    width, height = x1 - x0, y1 - y0
    length = nice_length(0.22 * width)
    left, bottom = x0 + 0.04 * width, y0 + 0.045 * height
    bar_h = 0.011 * height
    ax.add_patch(
        Rectangle(
            (left - 0.015 * width, bottom - 0.03 * height),
            length + 0.05 * width,
            0.085 * height,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=11,
        )
    )
    quarters = 4
    for k in range(quarters):
        ax.add_patch(
            Rectangle(
                (left + k * length / quarters, bottom),
                length / quarters,
                bar_h,
                facecolor=TEXT_COLOR if k % 2 == 0 else "white",
                edgecolor=TEXT_COLOR,
                linewidth=0.6,
                zorder=12,
            )
        )
    km = length / 1000
    for position, value in ((0, 0), (0.5, km / 2), (1, km)):
        label = f"{value:g}" + (" km" if position == 1 else "")
        ax.text(
            left + position * length,
            bottom + bar_h + 0.008 * height,
            label,
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=TEXT_COLOR,
            zorder=12,
        )


def north_arrow(ax: Axes, frame: Sequence[float], crs: Any) -> None:
    """A north arrow in the upper left corner, pointing along the meridian at the map centre."""
    import pyproj

    x0, y0, x1, y1 = frame
    width, height = x1 - x0, y1 - y0
    to_lonlat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform((x0 + x1) / 2, (y0 + y1) / 2)
    # the meridian through the map centre, a short step north, in the map's plane
    (ax_, bx), (ay, by) = to_lonlat.transform([lon, lon], [lat, lat + 0.05], direction="INVERSE")
    angle = math.atan2(bx - ax_, by - ay)  # clockwise from up
    length = 0.07 * height
    base_x, base_y = x0 + 0.06 * width, y1 - 0.16 * height
    tip_x = base_x + length * math.sin(angle)
    tip_y = base_y + length * math.cos(angle)
    ax.annotate(
        "",
        xy=(tip_x, tip_y),
        xytext=(base_x, base_y),
        arrowprops={
            "arrowstyle": "-|>,head_length=0.8,head_width=0.4",
            "color": TEXT_COLOR,
            "linewidth": 1.6,
            "shrinkA": 0,
            "shrinkB": 0,
        },
        zorder=12,
    )
    ax.text(
        tip_x + 0.012 * height * math.sin(angle),
        tip_y + 0.012 * height * math.cos(angle),
        "N",
        ha="center",
        va="bottom",
        fontsize=11,
        fontweight="bold",
        color=TEXT_COLOR,
        rotation=-math.degrees(angle),
        rotation_mode="anchor",
        zorder=12,
    )
