"""Names on the map figure: protected areas (inside, or beside with a leader line) and towns.

* An area is named when a layer holds several protected areas that its one legend entry
  cannot tell apart (the tiger's reserves and parks); the other bundled parks and reserves of
  the figure are named with them. A name goes inside its area where it fits, at the centre of
  the largest circle inside it; otherwise beside the area, as close as it can, with a short
  leader line. A name never covers another name, the legend, the scale bar or the north arrow.
* Towns come from ``geodata/towns.csv`` (GeoNames coordinates): those inside the frame, the
  higher-ranked first, fewer ranks on a wider frame; a town is drawn only with its name.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely
from shapely.ops import nearest_points

from amurgeo._paths import geodata_dir
from amurgeo.figures.layers import FigureLayer, plain_text
from amurgeo.style import TEXT_COLOR

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.transforms import Bbox

#: Where the towns' coordinates come from (in the data note when towns are drawn).
TOWNS_SOURCE = "GeoNames (CC BY 4.0)"

#: Colour of the protected areas' names (a dark green, read as "a protected area").
AREA_LABEL_COLOR = "#24502f"

#: Designations that name a protected area (a reintroduction area is not one by itself).
_PROTECTED = re.compile(r"reserve|park|zapovednik|sanctuary|refuge", re.IGNORECASE)

# Shorter forms of designations for a name on the map, tried in order.
_SHORTER = (
    (" State Nature Biosphere Reserve", " Reserve"),
    (" State Nature Reserve", " Reserve"),
    (" National Nature Reserve", " Reserve"),
    (" Nature Reserve", " Reserve"),
    (" National Park", " NP"),
)

#: Frame widths (km) up to which towns of rank 3, then 2, are drawn; rank 1 always.
_RANK_WIDTH_KM = ((3, 400.0), (2, 900.0))

_FONT_AREA = 7.0
_FONT_TOWN = 7.0
_GAPS_PT = (4.0, 12.0, 22.0, 36.0, 54.0)  # distances of a name beside its area


def map_name(name: Any) -> str:
    """A protected area's name as the map shows it: no part in brackets, designation short.

    Examples
    --------
    >>> map_name("Sikhote-Alin State Nature Biosphere Reserve")
    'Sikhote-Alin Reserve'
    >>> map_name("Northeast China Tiger and Leopard National Park (Jilin part)")
    'Northeast China Tiger and Leopard NP'
    """
    text = re.sub(r"\s*\([^)]*\)\s*$", "", plain_text(name, 120))
    for long, short in _SHORTER:
        if text.endswith(long):
            return text[: -len(long)] + short
    return text


@dataclass
class AreaName:
    """One protected area to name: its map name and outline (in the map's CRS)."""

    text: str
    geom: Any


def area_names(layers: list[FigureLayer], frame: Sequence[float]) -> list[AreaName]:
    """The protected areas to name, largest first (none unless a layer holds several).

    Each outline is cut to `frame`: an area outside it is not named.
    """
    named: dict[str, list[Any]] = {}
    several = False
    for layer in layers:
        if not (layer.bundled and layer.kind == "protected-area") or "name" not in layer.gdf:
            continue
        designations = layer.gdf.get("designation", pd.Series("park", index=layer.gdf.index))
        names = set()
        for name, designation, geom in zip(
            layer.gdf["name"], designations, layer.gdf.geometry.values, strict=True
        ):
            if geom is None or geom.is_empty or not _PROTECTED.search(str(designation)):
                continue
            text = map_name(name)
            named.setdefault(text, []).append(geom)
            names.add(text)
        several = several or len(names) > 1
    if not several:
        return []
    view = shapely.box(frame[0], frame[1], frame[2], frame[3])
    out = [
        AreaName(text, shapely.union_all(geoms).intersection(view)) for text, geoms in named.items()
    ]
    # an area with less than a thousandth of the frame's width inside it is not named
    least = (0.001 * (frame[2] - frame[0])) ** 2
    out = [a for a in out if _polygons(a.geom) and a.geom.area > least]
    return sorted(out, key=lambda a: (-a.geom.area, a.text))


def _polygons(geom: Any) -> list[Any]:
    """The polygons of `geom` (of a collection's parts too)."""
    parts = getattr(geom, "geoms", [geom])
    return [p for part in parts for p in getattr(part, "geoms", [part]) if p.geom_type == "Polygon"]


def furniture_boxes(ax: Axes, renderer: Any) -> list[Bbox]:
    """Display boxes of what is already written on `ax`: texts, arrows and patches."""
    # an annotation's box holds its arrow too (the north arrow)
    return [a.get_window_extent(renderer) for a in (*ax.texts, *ax.patches)]


def _wrapped(text: str) -> list[str]:
    """`text` on one line, then on two if it is long."""
    forms = [text]
    if len(text) > 14 and " " in text:
        forms.append("\n".join(textwrap.wrap(text, width=max(len(text) // 2 + 2, 8))))
    return forms


def _inner_point(geom: Any) -> tuple[Any, float]:
    """The centre of the largest circle inside `geom`'s largest part, and its radius."""
    part = max(_polygons(geom), key=lambda g: g.area)
    xmin, ymin, xmax, ymax = part.bounds
    circle = shapely.maximum_inscribed_circle(part, tolerance=max(xmax - xmin, ymax - ymin) / 200)
    return shapely.Point(circle.coords[0]), float(circle.length)


class _Placer:
    """Puts texts on `ax` where they cover no box already taken, inside the axes."""

    def __init__(self, ax: Axes, taken: Sequence[Bbox]) -> None:
        from amurgeo.figures.draw import figure_renderer

        fig = ax.get_figure()
        assert fig is not None
        self.ax = ax
        self.renderer = figure_renderer(fig)
        self.taken = list(taken)
        self.inner = ax.get_window_extent(self.renderer).padded(-3)
        self.points = fig.dpi / 72  # display pixels per point

    def clear(self, box: Bbox, avoid: Sequence[Any] = ()) -> bool:
        """Whether `box` lies inside the axes, on no taken box and on none of `avoid` (data)."""
        inside = self.inner.contains(box.x0, box.y0) and self.inner.contains(box.x1, box.y1)
        if not inside or any(box.overlaps(b) for b in self.taken):
            return False
        return not avoid or not any(g.intersects(self.data_box(box)) for g in avoid)

    def data_box(self, box: Bbox) -> Any:
        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform([box.p0, box.p1])
        return shapely.box(x0, y0, x1, y1)

    def try_text(self, text: Any, avoid: Sequence[Any] = ()) -> Bbox | None:
        """Keep `text` (and take its box) if it is clear, else remove it; its box or None."""
        box = text.get_window_extent(self.renderer).expanded(1.06, 1.12)
        if self.clear(box, avoid):
            self.taken.append(box)
            return box
        text.remove()
        return None


def _halo(width: float = 2.4) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _area_text(ax: Axes, text: str, xy: tuple[float, float], **kw: Any) -> Any:
    return ax.annotate(
        text,
        xy,
        fontsize=_FONT_AREA,
        fontstyle="italic",
        color=AREA_LABEL_COLOR,
        linespacing=1.05,
        zorder=10,
        path_effects=_halo(),
        annotation_clip=False,
        **kw,
    )


def _name_inside(placer: _Placer, area: AreaName) -> bool:
    """Write the name at the area's inner point if it fits inside the area."""
    point, _ = _inner_point(area.geom)
    for form in _wrapped(area.text):
        text = _area_text(placer.ax, form, (point.x, point.y), ha="center", va="center")
        box = text.get_window_extent(placer.renderer).expanded(1.04, 1.08)
        if not area.geom.contains(placer.data_box(box)):
            text.remove()
        elif placer.try_text(text) is not None:
            return True
    return False


def _beside(box: Bbox, anchor: tuple[float, float], gap: float) -> Iterator[tuple[Any, ...]]:
    """Display positions (x, y, ha, va) around an area's display `box`, `gap` pixels off."""
    x, y = anchor
    yield box.x1 + gap, y, "left", "center"
    yield box.x0 - gap, y, "right", "center"
    yield x, box.y1 + gap, "center", "bottom"
    yield x, box.y0 - gap, "center", "top"
    yield box.x1 + gap * 0.7, box.y1 + gap * 0.7, "left", "bottom"
    yield box.x0 - gap * 0.7, box.y1 + gap * 0.7, "right", "bottom"
    yield box.x1 + gap * 0.7, box.y0 - gap * 0.7, "left", "top"
    yield box.x0 - gap * 0.7, box.y0 - gap * 0.7, "right", "top"


def _name_beside(placer: _Placer, area: AreaName, others: list[Any]) -> bool:
    """Write the name beside the area with a leader line, off the other named areas if it can."""
    ax = placer.ax
    point, _ = _inner_point(area.geom)
    ax_, ay = ax.transData.transform((point.x, point.y))
    anchor = (float(ax_), float(ay))
    xmin, ymin, xmax, ymax = area.geom.bounds
    (bx0, by0), (bx1, by1) = ax.transData.transform([(xmin, ymin), (xmax, ymax)])
    from matplotlib.transforms import Bbox

    box = Bbox.from_extents(bx0, by0, bx1, by1)
    to_data = ax.transData.inverted()
    for avoid in (others, []):
        for gap in _GAPS_PT:
            for form in _wrapped(area.text):
                for x, y, ha, va in _beside(box, anchor, gap * placer.points):
                    pos = to_data.transform((x, y))
                    # the line goes from the name to the nearest point of the area's edge
                    edge = nearest_points(area.geom.boundary, shapely.Point(pos))[0]
                    text = _area_text(
                        ax,
                        form,
                        (edge.x, edge.y),
                        xytext=(float(pos[0]), float(pos[1])),
                        textcoords="data",
                        ha=ha,
                        va=va,
                    )
                    if placer.try_text(text, avoid) is not None:
                        tight = text.get_window_extent(placer.renderer)
                        _leader(placer, placer.data_box(tight), edge)
                        return True
    return False


def _leader(placer: _Placer, name_box: Any, edge: Any) -> None:
    """A thin line from the name's box to the nearest point of the area's edge (if apart)."""
    from matplotlib.lines import Line2D

    ax = placer.ax
    start = nearest_points(name_box.boundary, edge)[0]
    (x0, y0), (x1, y1) = ax.transData.transform([(start.x, start.y), (edge.x, edge.y)])
    if math.hypot(x1 - x0, y1 - y0) < 3 * placer.points:
        return
    ax.add_line(
        Line2D(
            [start.x, edge.x],
            [start.y, edge.y],
            color=AREA_LABEL_COLOR,
            linewidth=0.6,
            solid_capstyle="butt",
            zorder=9.5,
        )
    )


def label_areas(ax: Axes, areas: list[AreaName], taken: Sequence[Bbox]) -> list[Bbox]:
    """Name each area, inside where it fits, else beside it; return the boxes now taken."""
    placer = _Placer(ax, taken)
    outside = [a for a in areas if not _name_inside(placer, a)]
    for area in sorted(outside, key=lambda a: (a.geom.area, a.text)):
        others = [o.geom for o in areas if o is not area]
        _name_beside(placer, area, others)
    return placer.taken[len(taken) :]


@cache
def _towns() -> pd.DataFrame:
    return pd.read_csv(geodata_dir() / "towns.csv", encoding="utf-8")


def frame_towns(
    frame: Sequence[float], crs: Any, towns: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The towns inside `frame` (metres in `crs`) of the ranks its width shows.

    `towns` has the columns of ``geodata/towns.csv`` (``name``, ``lon``, ``lat``, ``rank``;
    default: that file). Rank 1 shows on any frame, rank 2 up to 900 km wide, rank 3 up to
    400 km. Returns columns ``name``, ``rank``, ``x``, ``y`` (in `crs`), by rank, then name.
    """
    import pyproj

    towns = _towns() if towns is None else towns
    x0, y0, x1, y1 = frame
    width_km = (x1 - x0) / 1000
    max_rank = next((rank for rank, km in _RANK_WIDTH_KM if width_km <= km), 1)
    to_map = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = to_map.transform(towns["lon"].to_numpy(), towns["lat"].to_numpy())
    out = pd.DataFrame({"name": towns["name"], "rank": towns["rank"], "x": x, "y": y})
    keep = (out["rank"] <= max_rank) & out["x"].between(x0, x1) & out["y"].between(y0, y1)
    return out[keep].sort_values(["rank", "name"], kind="stable").reset_index(drop=True)


def label_towns(
    ax: Axes, towns: pd.DataFrame, taken: Sequence[Bbox]
) -> tuple[list[str], list[Bbox]]:
    """A dot and the name of each town where the name fits; the names and boxes drawn."""
    from matplotlib.transforms import Bbox

    placer = _Placer(ax, taken)
    drawn = []
    dot_r = 2.2 * placer.points
    for name, x, y in zip(towns["name"], towns["x"], towns["y"], strict=True):
        cx, cy = ax.transData.transform((float(x), float(y)))
        dot = Bbox.from_extents(cx - dot_r, cy - dot_r, cx + dot_r, cy + dot_r)
        if not placer.clear(dot):
            continue
        off = 4.5
        for dx, dy, ha, va in (
            (off, 0, "left", "center"),
            (-off, 0, "right", "center"),
            (0, off, "center", "bottom"),
            (0, -off, "center", "top"),
        ):
            text = ax.annotate(
                plain_text(name, 40),
                (float(x), float(y)),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=_FONT_TOWN,
                color=TEXT_COLOR,
                zorder=10,
                path_effects=_halo(2.2),
            )
            if placer.try_text(text) is not None:
                placer.taken.append(dot)
                ax.scatter(
                    [float(x)],
                    [float(y)],
                    s=11,
                    c=TEXT_COLOR,
                    edgecolors="white",
                    linewidths=0.6,
                    zorder=9.6,
                )
                drawn.append(str(name))
                break
    return drawn, placer.taken[len(taken) :]
