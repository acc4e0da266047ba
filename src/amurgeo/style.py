"""Colours and per-kind styles, written once for the web maps and the figures.

Protected areas: each bundled area its own fill from Paul Tol's colour-blind-safe "muted"
scheme (:data:`AREA_COLOR_OF`), any other protected area the next colour of
:data:`AREA_COLORS` not yet used; users' own layers in :data:`USER_COLORS`; the leopard's
range in :data:`RANGE_COLOR`; overlaps and gaps in their own colours. The web map
(:mod:`amurgeo.maps.style` adds opacities and hatching) and the figure
(:mod:`amurgeo.figures`) both read these, so a park has the same colour in both.

>>> RANGE_COLOR in AREA_COLORS
False
>>> area_color("hunchun") == AREA_COLOR_OF["hunchun"]
True
"""

from __future__ import annotations

__all__ = [
    "ACTIVITY_STYLE",
    "AREA_COLORS",
    "AREA_COLOR_OF",
    "BORDER_COLOR",
    "COAST_COLOR",
    "FIGURE_ACTIVITY_COLOR",
    "GAP_COLOR",
    "LAND_COLOR",
    "MUTED_COLOR",
    "NODATA_COLOR",
    "OTHER_ACTIVITY_STYLE",
    "OVERLAP_COLOR",
    "POINT_COLORS",
    "RANGE_COLOR",
    "SEA_COLOR",
    "SIDE_COLORS",
    "TEXT_COLOR",
    "USER_COLORS",
    "area_color",
]

#: Fill of each bundled protected area (Tol "muted" teal, indigo and olive; Hunchun Tol
#: "bright" blue: a rose or purple one reads as the red hatching of the range outside
#: protection that borders it, CIEDE2000 about 23, against about 41 for this blue).
AREA_COLOR_OF: dict[str, str] = {
    "land-of-the-leopard": "#44aa99",
    "kedrovaya-pad": "#332288",
    "northeast-china-tiger-leopard": "#999933",
    "hunchun": "#4477aa",
    # Tol "dark" green: the first muted colour left (a pale blue) read as lakes and sea on the
    # tiger map (CIEDE2000 6.5 from the sea as drawn); this one differs from the sea by 28, from
    # the red hatching of the range outside protection around each reserve by 46, and from
    # every other bundled area by 15 or more
    "tiger-protected-areas": "#225522",
}
#: Fills for other protected areas, in order (the rest of Tol "muted", then again).
AREA_COLORS = ("#88ccee", "#117733", "#ddcc77", "#aa4499", "#882255", "#44aa99", "#cc6677")
#: Fills of users' own layers.
USER_COLORS = ("#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#283593")
#: Point layers in a figure.
POINT_COLORS = ("#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e", "#9e9d24")
#: The Amur leopard's range, everywhere.
RANGE_COLOR = "#d55e00"
#: Overlaps between protected areas.
OVERLAP_COLOR = "#3b1f5c"
#: The range outside protected areas.
GAP_COLOR = "#b2182b"
#: Conservation activities in a figure (one colour; the map colours them by type).
FIGURE_ACTIVITY_COLOR = "#b71c1c"

#: Activity type -> (colour, code shown when a type has no pictogram).
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

#: Land of the base maps (offline web map and figure): what area fills are blended over.
LAND_COLOR = "#f4f1e8"
SEA_COLOR = "#d6e6f0"
COAST_COLOR = "#5b7f99"
BORDER_COLOR = "#4d4d4d"
#: Outside the extent of the base map's data (the web map's offline basemap).
NODATA_COLOR = "#e4e2dd"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#5f5f5f"


def area_color(layer_id: str | None, used: frozenset[str] | set[str] = frozenset()) -> str:
    """Fill of a protected area: its own for a bundled area, else the next one not in ``used``.

    Parameters
    ----------
    layer_id
        Catalog id of a bundled layer, or None for any other protected area.
    used
        Colours already given to other areas on the same map or figure.
    """
    if layer_id in AREA_COLOR_OF:
        return AREA_COLOR_OF[str(layer_id)]
    free = [c for c in AREA_COLORS if c not in used]
    return free[0] if free else AREA_COLORS[len(used) % len(AREA_COLORS)]
