"""Colours and per-kind styles, written once for the web maps and the figures.

The web map (:mod:`amurgeo.maps`) and the figure (:mod:`amurgeo.figures`) share the
colours of each kind of layer: protected areas in greens, the leopard's range in orange,
user layers in blues and purples, overlaps purple, gaps red. The two media cycle through
their greens and blues in slightly different orders (a figure is printed, a map is
clicked), so each has its sequence below; every colour is defined here and nowhere else.

>>> RANGE_COLOR in MAP_AREA_COLORS
False
>>> MAP_AREA_COLORS[0] == FIGURE_AREA_COLORS[0]
True
"""

from __future__ import annotations

__all__ = [
    "ACTIVITY_STYLE",
    "BORDER_COLOR",
    "COAST_COLOR",
    "FIGURE_ACTIVITY_COLOR",
    "FIGURE_AREA_COLORS",
    "FIGURE_USER_COLORS",
    "GAP_COLOR",
    "LAND_COLOR",
    "MAP_AREA_COLORS",
    "MAP_USER_COLORS",
    "MUTED_COLOR",
    "OTHER_ACTIVITY_STYLE",
    "OVERLAP_COLOR",
    "POINT_COLORS",
    "RANGE_COLOR",
    "SEA_COLOR",
    "SIDE_COLORS",
    "TEXT_COLOR",
]

#: Protected areas on the web map, in the order layers take them.
MAP_AREA_COLORS = ("#2e7d32", "#00796b", "#558b2f", "#1b5e20", "#00897b", "#827717")
#: Protected areas in a figure.
FIGURE_AREA_COLORS = ("#2e7d32", "#00796b", "#1b5e20", "#004d40", "#558b2f", "#33691e")
#: User layers on the web map.
MAP_USER_COLORS = ("#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#283593")
#: User layers in a figure.
FIGURE_USER_COLORS = ("#1565c0", "#6a1b9a", "#ad1457", "#00838f", "#4e342e", "#283593")
#: Point layers in a figure.
POINT_COLORS = ("#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e", "#9e9d24")
#: The Amur leopard's range, everywhere.
RANGE_COLOR = "#e65100"
#: Overlaps between protected areas.
OVERLAP_COLOR = "#7b1fa2"
#: The range outside protected areas.
GAP_COLOR = "#c62828"
#: Conservation activities in a figure (one colour; the map colours them by type).
FIGURE_ACTIVITY_COLOR = "#b71c1c"

#: Activity type -> (colour, one-letter code shown on the map marker).
ACTIVITY_STYLE: dict[str, tuple[str, str]] = {
    "monitoring": ("#1f77b4", "M"),
    "research": ("#9467bd", "R"),
    "anti-poaching": ("#d62728", "A"),
    "fire-fighting": ("#ff7f0e", "F"),
    "education": ("#2ca02c", "E"),
    "veterinary": ("#e377c2", "V"),
    "policy": ("#8c564b", "P"),
    "habitat-protection": ("#17becf", "H"),
    "reintroduction": ("#bcbd22", "I"),
    "community": ("#7f7f7f", "C"),
    "funding": ("#393b79", "$"),
}
#: An activity type without its own style.
OTHER_ACTIVITY_STYLE = ("#555555", "?")

#: Population chart: a series per side of the border.
SIDE_COLORS = {"Russia": "#1f5fa8", "China": "#c62828", "both sides": "#555555"}

# The figure's base map and text.
LAND_COLOR = "#f4f1e8"
SEA_COLOR = "#d6e6f0"
COAST_COLOR = "#5b7f99"
BORDER_COLOR = "#4d4d4d"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#5f5f5f"
