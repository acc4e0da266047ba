"""Drawing layers on the map figure: areas, range, lines, countries, places and points."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.figures.layers import ACTIVITY_COLOR, PLACED_AT, FigureLayer, plain_text
from amurgeo.style import BORDER_COLOR, COAST_COLOR, LAND_COLOR, RANGE_COLOR, TEXT_COLOR

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _polygon_paths(geoms: Any) -> list[Any]:
    """One matplotlib Path per polygon (holes included) of the polygonal parts of `geoms`."""
    from matplotlib.path import Path as MplPath

    paths = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        parts = getattr(geom, "geoms", [geom])
        for part in parts:
            if part.geom_type not in ("Polygon", "MultiPolygon"):
                continue
            for polygon in getattr(part, "geoms", [part]):
                if polygon.is_empty:
                    continue
                # exterior counterclockwise, holes clockwise: holes stay empty when filled
                polygon = shapely.orient_polygons(polygon, exterior_cw=False)
                rings = [polygon.exterior, *polygon.interiors]
                paths.append(
                    MplPath.make_compound_path(
                        *(MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings)
                    )
                )
    return paths


def _draw_polygons(ax: Axes, geoms: Any, **style: Any) -> None:
    """Draw the polygons of `geoms` (nothing for none) as one collection with `style`."""
    from matplotlib.collections import PathCollection

    paths = _polygon_paths(geoms)
    if paths:
        ax.add_collection(PathCollection(paths, **style), autolim=False)


def _line_coords(geoms: Any) -> list[np.ndarray]:
    """Coordinate arrays of the lines (and polygon outlines) in `geoms`."""
    out = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type in ("LineString", "LinearRing"):
                out.append(np.asarray(part.coords)[:, :2])
            elif part.geom_type in ("MultiLineString", "GeometryCollection"):
                out += _line_coords(part.geoms)
    return out


def _draw_lines(ax: Axes, geoms: Any, **style: Any) -> None:
    """Draw the lines of `geoms` (nothing for none) as one collection with `style`."""
    from matplotlib.collections import LineCollection

    segments = _line_coords(geoms)
    if segments:
        ax.add_collection(LineCollection(segments, **style), autolim=False)


def draw_countries(
    ax: Axes, countries: gpd.GeoDataFrame, frame: Sequence[float]
) -> list[tuple[Any, str]]:
    """Land, coast and borders of the bundled countries; legend entries of those shown."""
    from matplotlib.lines import Line2D

    x0, y0, x1, y1 = frame
    shown = shapely.box(x0, y0, x1, y1)
    view = shown.buffer(0.05 * (x1 - x0))
    geoms = [shapely.make_valid(g) for g in countries.geometry.values]
    land = shapely.union_all(geoms)
    _draw_polygons(
        ax,
        [land.intersection(view)],
        facecolor=LAND_COLOR,
        edgecolor=COAST_COLOR,
        linewidth=0.7,
        zorder=1,
    )
    handles = []
    borders = []
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            shared = shapely.intersection(geoms[i].boundary, geoms[j].buffer(1.0))
            if not shared.is_empty:
                borders.append(shared)
    border = shapely.union_all(borders).intersection(view) if borders else shapely.LineString()
    if not border.is_empty:
        # above the area fills (a park's edge often follows the border), below the range
        _draw_lines(
            ax, [border], colors=[_rgba("white", 0.7)], linewidths=2.4, zorder=5.4, capstyle="butt"
        )
        dashes = (0, (6, 2, 1.5, 2))
        _draw_lines(
            ax, [border], colors=[BORDER_COLOR], linewidths=1.0, linestyles=[dashes], zorder=5.5
        )
        if border.intersects(shown):
            handle = Line2D([], [], color=BORDER_COLOR, linewidth=1.0, linestyle=dashes)
            handles.append((handle, "International border"))
    if land.boundary.intersects(shown):
        handles.append((Line2D([], [], color=COAST_COLOR, linewidth=0.9), "Coast"))
    return handles


def label_countries(
    ax: Axes, countries: gpd.GeoDataFrame, frame: Sequence[float], drawn: list[FigureLayer]
) -> None:
    """Name each country where its land is clear of the layers drawn (if there is room)."""
    from matplotlib import patheffects

    x0, y0, x1, y1 = frame
    margin = 0.04 * (x1 - x0)
    view = shapely.box(x0 + margin, y0 + margin, x1 - margin, y1 - margin)
    busy = [shapely.union_all(ly.gdf.geometry.values) for ly in drawn if not ly.is_points]
    taken = shapely.union_all(busy).buffer(0.02 * (x1 - x0)) if busy else shapely.Polygon()
    names = {"RUS": "RUSSIA", "CHN": "CHINA", "PRK": "NORTH KOREA"}
    fontsize = 10.0
    for _, row in countries.iterrows():
        code = str(row.get("iso3") or "")
        text = names.get(code) or plain_text(row.get("name"), 30).upper()
        if not text:
            continue
        free = shapely.make_valid(row.geometry).intersection(view).difference(taken)
        if free.is_empty:
            continue
        circle = shapely.maximum_inscribed_circle(free, tolerance=0.002 * (x1 - x0))
        centre = shapely.Point(circle.coords[0])
        radius = circle.length
        # the text needs about its height (and half its width) clear around its centre
        points_per_metre = ax.bbox.width / (x1 - x0) / ax.get_figure().dpi * 72  # type: ignore[union-attr]
        half_height = fontsize * 0.7 / points_per_metre
        half_width = 0.34 * fontsize * len(text) / points_per_metre
        if radius < half_height or radius < 0.6 * half_width:
            continue
        ax.text(
            centre.x,
            centre.y,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            color="#8a8578",
            fontweight="bold",
            zorder=2,
            path_effects=[patheffects.withStroke(linewidth=3, foreground=LAND_COLOR)],
        )


def _area_handles(face: str, edge: str, alpha: float, hatch: str | None, ls: Any) -> Any:
    from matplotlib.patches import Patch

    return Patch(
        facecolor=_rgba(face, alpha),
        edgecolor=edge,
        linewidth=1.2,
        hatch=hatch,
        linestyle=ls,
    )


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


def draw_range(ax: Axes, layer: FigureLayer) -> list[tuple[Any, str]]:
    """The leopard's range: an orange outline and hatching above the parks; unconfirmed dotted."""
    gdf = layer.gdf
    presence = (
        gdf["presence"].astype(str).str.lower()
        if "presence" in gdf.columns
        else pd.Series("confirmed", index=gdf.index)
    )
    unconfirmed = presence == "unconfirmed"
    handles = []
    for mask, style, label in (
        (~unconfirmed, "solid", layer.name),
        (unconfirmed, (0, (1.2, 1.6)), f"{layer.name}, unconfirmed"),
    ):
        part = gdf[mask.to_numpy()]
        if part.empty:
            continue
        # the hatching alone, in a lighter orange, then the outline on top
        _draw_polygons(
            ax,
            part.geometry.values,
            facecolor="none",
            edgecolor=_rgba(RANGE_COLOR, 0.55),
            hatch="////",
            linewidth=0,
            zorder=6,
        )
        _draw_polygons(
            ax,
            part.geometry.values,
            facecolor="none",
            edgecolor=RANGE_COLOR,
            linewidth=1.6,
            linestyle=style,
            zorder=6.1,
        )
        handle = _area_handles("white", RANGE_COLOR, 0.0, "////", style)
        handles.append((handle, label))
    return handles


def draw_areas(ax: Axes, layer: FigureLayer, color: str, z: float) -> list[tuple[Any, str]]:
    reserve = layer.bundled and not _is_national_park(layer)
    alpha = 0.18 if reserve else 0.30
    hatch = "\\\\\\\\" if reserve else None
    _draw_polygons(
        ax,
        layer.gdf.geometry.values,
        facecolor=_rgba(color, alpha),
        edgecolor=color,
        linewidth=1.1 if reserve else 1.4,
        hatch=hatch,
        zorder=z,
    )
    return [(_area_handles(color, color, alpha, hatch, "solid"), layer.name)]


def _is_national_park(layer: FigureLayer) -> bool:
    if "designation" not in layer.gdf.columns:
        return True
    return any("national park" in str(d).lower() for d in layer.gdf["designation"])


def draw_line_layer(ax: Axes, layer: FigureLayer, color: str) -> list[tuple[Any, str]]:
    from matplotlib.lines import Line2D

    _draw_lines(ax, layer.gdf.geometry.values, colors=[color], linewidths=1.6, zorder=5)
    return [(Line2D([], [], color=color, linewidth=1.6), layer.name)]


def _short_place(text: Any) -> str:
    """A short place name: ``"Khasansky district (placed at Slavyanka)"`` -> ``"Slavyanka"``."""
    if text is None or (isinstance(text, float) and not math.isfinite(text)):
        return ""
    place = " ".join(str(text).split())
    found = PLACED_AT.search(place)
    if found:
        return found.group(1).strip()
    parts = [p.strip() for p in place.split(",") if p.strip()]
    if not parts:
        return ""
    if len(parts[0]) > 24 and len(parts) > 1:
        return parts[-1]
    return parts[0]


@dataclass
class Place:
    x: float
    y: float
    count: int
    label: str


def read_places(layer: FigureLayer, frame: Sequence[float]) -> tuple[list[Place], list[str], int]:
    """Activity points grouped by location: those in the frame, names of the others, total."""
    gdf = layer.gdf
    points = gdf.geometry.representative_point()
    xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    names = [_short_place(p) for p in gdf["place"]] if "place" in gdf.columns else [""] * len(gdf)
    x0, y0, x1, y1 = frame
    inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    groups: dict[tuple[float, float], list[int]] = {}
    for i in np.flatnonzero(inside):
        key = (round(float(xy[i, 0]), -2), round(float(xy[i, 1]), -2))  # within 100 m
        groups.setdefault(key, []).append(int(i))
    places = []
    for members in groups.values():
        labels = [names[i] for i in members if names[i]]
        label = max(set(labels), key=lambda n: (labels.count(n), n)) if labels else ""
        places.append(
            Place(float(xy[members, 0].mean()), float(xy[members, 1].mean()), len(members), label)
        )
    places.sort(key=lambda p: (-p.count, p.x, p.y))
    outside = [names[i] or f"point {i + 1}" for i in np.flatnonzero(~inside)]
    return places, outside, len(gdf)


def _marker_size(count: int) -> float:
    """Marker area (points²) for a place with `count` activities."""
    return 30.0 + 22.0 * count


def draw_activities(ax: Axes, places: list[Place], name: str) -> list[tuple[Any, str]]:
    from matplotlib import patheffects

    if not places:
        return []
    xs = [p.x for p in places]
    ys = [p.y for p in places]
    sizes = [_marker_size(p.count) for p in places]
    ax.scatter(
        xs,
        ys,
        s=sizes,
        c=ACTIVITY_COLOR,
        edgecolors="white",
        linewidths=1.0,
        alpha=0.9,
        zorder=8,
    )
    for place in places:
        if place.count > 1:
            ax.text(
                place.x,
                place.y,
                str(place.count),
                ha="center",
                va="center_baseline",
                fontsize=7 if place.count < 10 else 7.5,
                color="white",
                fontweight="bold",
                zorder=9,
                path_effects=[patheffects.withStroke(linewidth=1.2, foreground=ACTIVITY_COLOR)],
            )
    handle = ax.scatter([], [], s=_marker_size(3), c=ACTIVITY_COLOR, edgecolors="white")
    return [(handle, f"{name} (the number at each place)")]


def label_places(ax: Axes, places: list[Place], avoid: list[Any]) -> None:
    """Name the activity places, each beside its circle where it overlaps nothing drawn yet."""
    from matplotlib import patheffects

    fig = ax.get_figure()
    assert fig is not None
    renderer = figure_renderer(fig)
    taken = list(avoid)
    axes_box = ax.get_window_extent(renderer)
    for place in places:
        if not place.label:
            continue
        radius = math.sqrt(_marker_size(place.count)) / 2 + 4  # points
        best = None
        for dx, dy, ha, va in (
            (radius, 0, "left", "center"),
            (-radius, 0, "right", "center"),
            (0, radius, "center", "bottom"),
            (0, -radius, "center", "top"),
            (radius * 0.8, radius * 0.8, "left", "bottom"),
            (-radius * 0.8, -radius * 0.8, "right", "top"),
            (radius * 0.8, -radius * 0.8, "left", "top"),
            (-radius * 0.8, radius * 0.8, "right", "bottom"),
        ):
            text = ax.annotate(
                plain_text(place.label, 40),
                (place.x, place.y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=7.5,
                color=TEXT_COLOR,
                zorder=10,
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
            )
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            clear = (
                not any(box.overlaps(b) for b in taken)
                and axes_box.contains(box.x0, box.y0)
                and axes_box.contains(box.x1, box.y1)
            )
            if clear:
                best = box
                break
            text.remove()
        if best is not None:
            taken.append(best)


def figure_renderer(fig: Any) -> Any:
    """A renderer that measures text on `fig` (Agg for figures made here)."""
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def marker_boxes(ax: Axes, places: list[Place]) -> list[Any]:
    """Display boxes of the activity circles (so that labels keep clear of them)."""
    from matplotlib.transforms import Bbox

    fig = ax.get_figure()
    assert fig is not None
    boxes = []
    for place in places:
        x, y = ax.transData.transform((place.x, place.y))
        radius = math.sqrt(_marker_size(place.count)) / 2 * fig.dpi / 72
        boxes.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
    return boxes


def draw_points(ax: Axes, layer: FigureLayer, color: str, index: int) -> list[tuple[Any, str]]:
    """Dots; each further point layer smaller and on top, so that points at the same place
    (a camera that recorded several species) show as concentric rings."""
    size = (90.0, 50.0, 20.0)[index] if index < 3 else 14.0
    points = layer.gdf.geometry.representative_point()
    style: Any = {"c": color, "edgecolors": "white", "linewidths": 0.5}
    ax.scatter(points.x, points.y, s=size, zorder=7 + 0.01 * index, **style)
    handle = ax.scatter([], [], s=size, **style)
    return [(handle, layer.name)]
