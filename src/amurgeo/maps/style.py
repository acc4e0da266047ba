"""How the map draws each kind of layer: opacities, hatching and outlines over the colours of
:mod:`amurgeo.style`.

* Protected areas: each its own fill from Paul Tol's colour-blind-safe "muted" scheme (a
  bundled area by its id, any other one the next colour not yet used), drawn largest first;
  an area mostly inside another is drawn more opaque, so that it keeps its own colour. The
  legend blends each swatch over what lies beneath, as the map does.
* The range and the parts of it outside protection: an outline and hatching (an SVG pattern,
  leaflet.pattern), never a tint, so the parks beneath keep their colours; unconfirmed range
  dotted and hatched the other way.
* Overlaps of protected areas: a dashed outline only.
* Activities: a colour and a pictogram per activity type (drawn by ``static/ui.js``).

Browser tests sample the rendered fills and require every pair of bundled areas to differ
by a CIEDE2000 ΔE of 12 or more.
"""

from __future__ import annotations

from typing import Any

import shapely

from amurgeo.style import (
    ACTIVITY_STYLE,
    AREA_COLOR_OF,
    AREA_COLORS,
    GAP_COLOR,
    LAND_COLOR,
    OVERLAP_COLOR,
    RANGE_COLOR,
    USER_COLORS,
)
from amurgeo.style import OTHER_ACTIVITY_STYLE as OTHER_ACTIVITY

__all__ = [
    "ACTIVITY_STYLE",
    "AREA_COLORS",
    "AREA_COLOR_OF",
    "AREA_OPACITY",
    "GAP_COLOR",
    "LAND_COLOR",
    "NESTED_OPACITY",
    "OTHER_ACTIVITY",
    "OVERLAP_COLOR",
    "RANGE_COLOR",
    "USER_COLORS",
]

#: Fill opacity of an area, and of one drawn over another.
AREA_OPACITY = 0.55
NESTED_OPACITY = 0.75


def path_style(
    color: str, *, fill: float = 0.2, weight: float = 2, dash: str | None = None
) -> dict[str, Any]:
    """Leaflet path options: an outline of `color` and a fill of it at opacity `fill`."""
    style: dict[str, Any] = {
        "color": color,
        "weight": weight,
        "opacity": 0.9,
        "fillColor": color,
        "fillOpacity": fill,
    }
    if dash:
        style["dashArray"] = dash
    return style


def darker(color: str, factor: float = 0.7) -> str:
    """`color` (``#rrggbb``) darkened: the outline of a fill of that colour.

    Examples
    --------
    >>> darker("#ffffff")
    '#b2b2b2'
    """
    n = int(color[1:7], 16)
    channels = [int(((n >> shift) & 255) * factor) for shift in (16, 8, 0)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def range_style(presence: str) -> dict[str, Any]:
    """The range: outline and sparse hatching, no tint; unconfirmed dotted, hatched across."""
    if presence == "unconfirmed":
        style = path_style(RANGE_COLOR, fill=0.0, weight=2, dash="1 5")
        hatch = {"color": RANGE_COLOR, "angle": 135, "weight": 1.2, "space": 9, "opacity": 0.7}
    else:
        style = path_style(RANGE_COLOR, fill=0.0, weight=2.5, dash="8 5")
        hatch = {"color": RANGE_COLOR, "angle": 45, "weight": 1.2, "space": 7, "opacity": 0.8}
    style["hatch"] = hatch
    style["lineCap"] = "round"
    return style


def overlap_style() -> dict[str, Any]:
    """Overlaps of protected areas: a dashed outline; the parks beneath keep their fills."""
    style = path_style(OVERLAP_COLOR, fill=0.0, weight=2.2, dash="5 4")
    style["fill"] = False
    return style


def gap_style() -> dict[str, Any]:
    """The range outside protection: dense hatching in red (it lies outside every park)."""
    style = path_style(GAP_COLOR, fill=0.0, weight=1.2)
    style["hatch"] = {"color": GAP_COLOR, "angle": 135, "weight": 2.2, "space": 4, "opacity": 0.75}
    return style


def area_fills(
    layers: list[tuple[str | None, Any]],
) -> list[dict[str, Any]]:
    """Fill of each protected-area layer, given in drawing order as (bundled id, shape).

    `shape` is the layer's union in an equal-area projection. Each result holds
    ``fillColor``, ``fillOpacity`` and ``under``: the fills of the layers drawn before it that
    hold half or more of it (the legend blends the swatch over them).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> big, small = box(0, 0, 10, 10), box(1, 1, 2, 2)
    >>> [f["fillOpacity"] for f in area_fills([("land-of-the-leopard", big), (None, small)])]
    [0.55, 0.75]
    """
    used = {AREA_COLOR_OF[i] for i, _ in layers if i in AREA_COLOR_OF}
    spare = iter([c for c in AREA_COLORS if c not in used] + list(AREA_COLORS) * len(layers))
    fills: list[dict[str, Any]] = []
    for position, (layer_id, shape) in enumerate(layers):
        color = AREA_COLOR_OF.get(layer_id or "") or next(spare)
        under = [
            {"fillColor": fills[k]["fillColor"], "fillOpacity": fills[k]["fillOpacity"]}
            for k in range(position)
            if shape.area > 0 and shapely.intersection(shape, layers[k][1]).area >= 0.5 * shape.area
        ]
        fills.append(
            {
                "fillColor": color,
                "fillOpacity": NESTED_OPACITY if under else AREA_OPACITY,
                "under": under,
            }
        )
    return fills
