"""Publication-quality static figures with matplotlib: a map and the population timeline.

:func:`plot_figure` draws bundled layers and your own files on a static map: countries with
their borders and coast (the bundled ``countries`` layer), the protected areas and the
leopard's range, conservation activities (one circle per place, sized by the number of
activities there), a legend, a scale bar, a north arrow, a title and a data note.
:func:`save_figure` writes it as PNG, SVG or PDF, atomically and byte for byte the same for
the same input. :func:`plot_population` charts the leopard and tiger counts of
:func:`load_population`, Russia and China kept apart.

How the map is drawn
--------------------
* In :data:`amurgeo.measure.EQUAL_AREA_CRS` (Lambert azimuthal equal-area centred on 131 E,
  43 N), so that areas look as large as they are and the scale bar holds across the map
  (the scale error is below 0.1 % within 250 km of the centre). Data far from the region
  (more than 15 degrees of longitude or 10 of latitude away) gets a Lambert azimuthal
  equal-area projection centred on itself instead. The north arrow follows the meridian at
  the centre of the map.
* Framed on the areas drawn and the points near them (SW Primorye and the Chinese park for the
  bundled layers), not on far-away points such as offices in Moscow or London: the data note says
  how many points lie outside the frame.
* Every text from the data (layer and place names) is drawn as plain text: a ``$`` in a
  name never starts matplotlib's mathtext.

matplotlib is imported only when a figure is made, so that ``import amurgeo`` and the
other commands stay fast.
"""

from __future__ import annotations

import math
import os
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo._atomic import atomic_path
from amurgeo._progress import Progress
from amurgeo.errors import DataError, UsageError
from amurgeo.io import Source

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FIGURE_FORMATS",
    "REGION_BOUNDS",
    "load_population",
    "plot_figure",
    "plot_population",
    "save_figure",
]

#: File suffixes :func:`save_figure` writes.
FIGURE_FORMATS = (".png", ".svg", ".pdf")

#: The frame (lon/lat) when nothing else gives one: SW Primorye and the Chinese park.
REGION_BOUNDS = (129.0, 42.3, 132.3, 44.5)

#: Default title of :func:`plot_figure`.
DEFAULT_TITLE = "Where the Amur leopard is protected"

_DEFAULT_SUBTITLE = (
    "Protected areas on both sides of the Russia\u2013China border and the leopard's range"
)

# Colours: protected areas in greens, the range in orange, user layers in blues and purples.
_AREA_COLORS = ("#2e7d32", "#00796b", "#1b5e20", "#004d40", "#558b2f", "#33691e")
_USER_COLORS = ("#1565c0", "#6a1b9a", "#ad1457", "#00838f", "#4e342e", "#283593")
_POINT_COLORS = ("#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e", "#9e9d24")
_RANGE_COLOR = "#e65100"
_ACTIVITY_COLOR = "#b71c1c"
_LAND = "#f4f1e8"
_SEA = "#d6e6f0"
_COAST = "#5b7f99"
_BORDER = "#4d4d4d"
_TEXT = "#222222"
_MUTED = "#5f5f5f"

#: Every figure uses matplotlib's own DejaVu Sans, so it looks the same on every machine.
_RC: Any = {  # matplotlib rcParams
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.unicode_minus": True,
    "hatch.linewidth": 0.6,
    "pdf.fonttype": 42,  # TrueType in PDF: text stays editable in Illustrator or Inkscape
    "svg.fonttype": "path",
    "svg.hashsalt": "amurgeo",
}

_ACTIVITIES_NAME = "\0activities"  # the bundled activity points, in the data note

_PLACED_AT = re.compile(r"\(placed at ([^)]+)\)")


# ---------------------------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _plain(value: Any, limit: int = 80) -> str:
    """`value` as one line of plain text for matplotlib: ``$`` escaped, at most `limit` chars.

    Control characters are dropped: no font draws them, and a NUL would make an SVG file
    unreadable (matplotlib copies each text into an XML comment).
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    text = " ".join(_CONTROL.sub("", str(value)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("$", r"\$")


def _wrap(text: str, width: int) -> str:
    """Wrap plain text (already escaped) into lines of at most `width` characters."""
    return "\n".join(textwrap.wrap(text, width=width, break_on_hyphens=False))


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


@dataclass
class _Layer:
    """One layer to draw, in the equal-area CRS, with its kind and display name."""

    gdf: gpd.GeoDataFrame  # in the map's equal-area CRS (set by _project_layers)
    lonlat: gpd.GeoDataFrame
    layer_id: str
    kind: str  # catalog kind, or user-areas / user-lines / user-points
    bundled: bool
    entry: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    @property
    def is_points(self) -> bool:
        return self.kind in ("activities", "user-points")


def _read_layers(layers: Sequence[Source] | None) -> list[_Layer]:
    from amurgeo.catalog import catalog_entries
    from amurgeo.io import geometry_kind, read_drawable
    from amurgeo.schema import required_fields

    entries = {e["id"]: e for e in catalog_entries()}
    sources: list[Source] = (
        [i for i, e in entries.items() if e["kind"] != "countries"]
        if layers is None
        else list(layers)
    )
    out = []
    for source in sources:
        gdf = read_drawable(source)
        layer_id = str(gdf.attrs.get("layer_id") or "layer")
        entry = entries.get(layer_id)
        bundled = entry is not None and (
            gdf.attrs.get("source") == "catalog"
            or all(f in gdf.columns for f in required_fields(entry["kind"]))
        )
        if bundled and entry is not None:
            kind = str(entry["kind"])
        else:
            entry = None
            kind = geometry_kind(gdf)
            kind = "user-areas" if kind == "user-mixed" else kind
            if kind == "user-points" and {"organization", "activity"} <= set(map(str, gdf.columns)):
                kind = "activities"
        out.append(_Layer(gdf, gdf, layer_id, kind, bundled, dict(entry or {})))
    return out


#: Data whose centre lies within this many degrees (lon, lat) of the centre of
#: :data:`amurgeo.measure.EQUAL_AREA_CRS` is drawn in it; data farther away in a Lambert
#: azimuthal equal-area projection centred on itself, so that scale and north stay true.
_NEAR_DEG = (15.0, 10.0)


def _map_crs(layers: list[_Layer], bounds: Sequence[float] | None) -> Any:
    """The equal-area CRS of the map: amurgeo's for the region, else one centred on the data."""
    import pyproj

    from amurgeo.measure import EQUAL_AREA_CRS

    if bounds is not None:
        west, south, east, north = (float(b) for b in bounds)
    else:
        areas = [ly.lonlat for ly in layers if not ly.is_points and len(ly.lonlat)]
        geoms = np.concatenate(
            [ly.geometry.values for ly in areas]
            or [ly.lonlat.geometry.values for ly in layers if len(ly.lonlat)]
            or [np.array([], dtype=object)]
        )
        if not len(geoms):
            return EQUAL_AREA_CRS
        if not areas:  # points only: those in the region, if any
            region = shapely.box(*REGION_BOUNDS)
            inside = geoms[shapely.intersects(geoms, region)]
            geoms = inside if len(inside) else geoms
        west, south, east, north = (float(v) for v in shapely.total_bounds(geoms))
    lon, lat = (west + east) / 2, (south + north) / 2
    lon_0, lat_0 = _centre(EQUAL_AREA_CRS)
    near_lon, near_lat = _NEAR_DEG
    if abs(lon - lon_0) <= near_lon and abs(lat - lat_0) <= near_lat:
        return EQUAL_AREA_CRS
    return pyproj.CRS.from_proj4(
        f"+proj=laea +lat_0={round(lat)} +lon_0={round(lon)} +x_0=0 +y_0=0 +datum=WGS84 "
        "+units=m +no_defs"
    )


def _centre(crs: Any) -> tuple[float, float]:
    """(lon, lat) of the natural origin of an azimuthal projection."""
    params = {p.name: float(p.value) for p in crs.coordinate_operation.params}
    return params["Longitude of natural origin"], params["Latitude of natural origin"]


def _project_layers(layers: list[_Layer], crs: Any) -> None:
    for layer in layers:
        layer.gdf = layer.lonlat.to_crs(crs)


def _display_name(layer: _Layer) -> str:
    from amurgeo.io import feature_labels

    if layer.bundled:
        if layer.kind == "protected-area" and len(layer.gdf) == 1:
            return _plain(feature_labels(layer.gdf)[0])
        if layer.kind == "protected-area" and "name" in layer.gdf.columns:
            # several parts of one park: "X (Jilin part)", "X (Heilongjiang part)" -> "X"
            names = {re.sub(r"\s*\([^)]*\)$", "", str(n)) for n in layer.gdf["name"].dropna()}
            if len(names) == 1:
                return _plain(names.pop())
        return _plain(layer.entry.get("title") or layer.layer_id)
    return _plain(layer.layer_id, 60)


def _country_layer(crs: Any) -> gpd.GeoDataFrame:
    from amurgeo.catalog import load_layer

    return load_layer("countries").to_crs(crs)


# ---------------------------------------------------------------------------------------------
# Frame
# ---------------------------------------------------------------------------------------------


def _lonlat_box_to_ea(bounds: Sequence[float], crs: Any) -> tuple[float, float, float, float]:
    """Bounds in `crs` of a lon/lat box (its edges densified, so curved edges count)."""
    import pyproj

    west, south, east, north = (float(b) for b in bounds)
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x0, y0, x1, y1 = transformer.transform_bounds(west, south, east, north, densify_pts=50)
    return float(x0), float(y0), float(x1), float(y1)


def _check_bounds(bounds: Sequence[float] | None) -> None:
    if bounds is None:
        return
    if len(bounds) != 4:
        raise UsageError(f"bounds {bounds!r}: expected (west, south, east, north) in degrees")
    west, south, east, north = (float(b) for b in bounds)
    if not (west < east and south < north):
        raise UsageError(
            f"bounds {tuple(bounds)!r}: expected west < east and south < north (degrees)"
        )


def _frame(layers: list[_Layer], bounds: Sequence[float] | None, crs: Any) -> tuple[float, ...]:
    """The part of the plane to show (metres in `crs`): xmin, ymin, xmax, ymax."""
    if bounds is not None:
        return _lonlat_box_to_ea(bounds, crs)
    areas = [ly for ly in layers if not ly.is_points and len(ly.gdf)]
    if areas:
        boxes = np.array([ly.gdf.total_bounds for ly in areas])
        x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
        x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
        # take in the points near the areas, not far-away ones (offices in Moscow ...)
        reach = 0.5 * max(x1 - x0, y1 - y0)
        near = shapely.box(x0 - reach, y0 - reach, x1 + reach, y1 + reach)
        for layer in layers:
            if layer.is_points and len(layer.gdf):
                geoms = layer.gdf.geometry.values
                close = geoms[shapely.within(geoms, near)]
                if len(close):
                    px0, py0, px1, py1 = shapely.total_bounds(close)
                    x0, y0, x1, y1 = min(x0, px0), min(y0, py0), max(x1, px1), max(y1, py1)
    else:
        geoms = np.concatenate([ly.gdf.geometry.values for ly in layers if len(ly.gdf)])
        if not len(geoms):
            raise DataError("nothing to draw: every layer given is empty")
        region = shapely.box(*_lonlat_box_to_ea(REGION_BOUNDS, crs))
        inside = geoms[shapely.intersects(geoms, region)]
        x0, y0, x1, y1 = shapely.total_bounds(inside if len(inside) else geoms)
    # pad by 6 %, and at least 10 km around a single point or a thin layer
    pad_x = max(0.06 * (x1 - x0), 10_000.0)
    pad_y = max(0.06 * (y1 - y0), 10_000.0)
    return (
        float(x0 - pad_x),
        float(y0 - pad_y),
        float(x1 + pad_x),
        float(y1 + pad_y),
    )


def _fit_aspect(frame: Sequence[float], aspect: float) -> tuple[float, float, float, float]:
    """Grow `frame` around its centre to the width/height ratio `aspect` of the axes."""
    x0, y0, x1, y1 = frame
    width, height = x1 - x0, y1 - y0
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


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


def _draw_countries(
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
        ax, [land.intersection(view)], facecolor=_LAND, edgecolor=_COAST, linewidth=0.7, zorder=1
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
        _draw_lines(ax, [border], colors=[_BORDER], linewidths=1.0, linestyles=[dashes], zorder=5.5)
        if border.intersects(shown):
            handle = Line2D([], [], color=_BORDER, linewidth=1.0, linestyle=dashes)
            handles.append((handle, "International border"))
    if land.boundary.intersects(shown):
        handles.append((Line2D([], [], color=_COAST, linewidth=0.9), "Coast"))
    return handles


def _label_countries(
    ax: Axes, countries: gpd.GeoDataFrame, frame: Sequence[float], drawn: list[_Layer]
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
        text = names.get(code) or _plain(row.get("name"), 30).upper()
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
            path_effects=[patheffects.withStroke(linewidth=3, foreground=_LAND)],
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


def _draw_range(ax: Axes, layer: _Layer) -> list[tuple[Any, str]]:
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
            edgecolor=_rgba(_RANGE_COLOR, 0.55),
            hatch="////",
            linewidth=0,
            zorder=6,
        )
        _draw_polygons(
            ax,
            part.geometry.values,
            facecolor="none",
            edgecolor=_RANGE_COLOR,
            linewidth=1.6,
            linestyle=style,
            zorder=6.1,
        )
        handle = _area_handles("white", _RANGE_COLOR, 0.0, "////", style)
        handles.append((handle, label))
    return handles


def _draw_areas(ax: Axes, layer: _Layer, color: str, z: float) -> list[tuple[Any, str]]:
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


def _is_national_park(layer: _Layer) -> bool:
    if "designation" not in layer.gdf.columns:
        return True
    return any("national park" in str(d).lower() for d in layer.gdf["designation"])


def _draw_line_layer(ax: Axes, layer: _Layer, color: str) -> list[tuple[Any, str]]:
    from matplotlib.lines import Line2D

    _draw_lines(ax, layer.gdf.geometry.values, colors=[color], linewidths=1.6, zorder=5)
    return [(Line2D([], [], color=color, linewidth=1.6), layer.name)]


def _short_place(text: Any) -> str:
    """A short place name: ``"Khasansky district (placed at Slavyanka)"`` -> ``"Slavyanka"``."""
    if text is None or (isinstance(text, float) and not math.isfinite(text)):
        return ""
    place = " ".join(str(text).split())
    found = _PLACED_AT.search(place)
    if found:
        return found.group(1).strip()
    parts = [p.strip() for p in place.split(",") if p.strip()]
    if not parts:
        return ""
    if len(parts[0]) > 24 and len(parts) > 1:
        return parts[-1]
    return parts[0]


@dataclass
class _Place:
    x: float
    y: float
    count: int
    label: str


def _places(layer: _Layer, frame: Sequence[float]) -> tuple[list[_Place], list[str], int]:
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
            _Place(float(xy[members, 0].mean()), float(xy[members, 1].mean()), len(members), label)
        )
    places.sort(key=lambda p: (-p.count, p.x, p.y))
    outside = [names[i] or f"point {i + 1}" for i in np.flatnonzero(~inside)]
    return places, outside, len(gdf)


def _marker_size(count: int) -> float:
    """Marker area (points²) for a place with `count` activities."""
    return 30.0 + 22.0 * count


def _draw_activities(ax: Axes, places: list[_Place], name: str) -> list[tuple[Any, str]]:
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
        c=_ACTIVITY_COLOR,
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
                path_effects=[patheffects.withStroke(linewidth=1.2, foreground=_ACTIVITY_COLOR)],
            )
    handle = ax.scatter([], [], s=_marker_size(3), c=_ACTIVITY_COLOR, edgecolors="white")
    return [(handle, f"{name} (the number at each place)")]


def _label_places(ax: Axes, places: list[_Place], avoid: list[Any]) -> None:
    """Name the activity places, each beside its circle where it overlaps nothing drawn yet."""
    from matplotlib import patheffects

    fig = ax.get_figure()
    assert fig is not None
    renderer = _renderer(fig)
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
                _plain(place.label, 40),
                (place.x, place.y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=7.5,
                color=_TEXT,
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


def _renderer(fig: Any) -> Any:
    """A renderer that measures text on `fig` (Agg for figures made here)."""
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def _marker_boxes(ax: Axes, places: list[_Place]) -> list[Any]:
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


def _draw_points(ax: Axes, layer: _Layer, color: str, index: int) -> list[tuple[Any, str]]:
    """Dots; each further point layer smaller and on top, so that points at the same place
    (a camera that recorded several species) show as concentric rings."""
    size = (90.0, 50.0, 20.0)[index] if index < 3 else 14.0
    points = layer.gdf.geometry.representative_point()
    style: Any = {"c": color, "edgecolors": "white", "linewidths": 0.5}
    ax.scatter(points.x, points.y, s=size, zorder=7 + 0.01 * index, **style)
    handle = ax.scatter([], [], s=size, **style)
    return [(handle, layer.name)]


def _nice_length(max_m: float) -> float:
    """The longest 1, 2 or 5 times 10^k metres that is at most `max_m`."""
    exponent = math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        value = step * 10**exponent
        if value <= max_m:
            return float(value)
    return float(10**exponent)


def _scale_bar(ax: Axes, frame: Sequence[float]) -> None:
    """A scale bar in km in the lower left corner (true in the equal-area CRS)."""
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = frame
    width, height = x1 - x0, y1 - y0
    length = _nice_length(0.22 * width)
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
                facecolor=_TEXT if k % 2 == 0 else "white",
                edgecolor=_TEXT,
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
            color=_TEXT,
            zorder=12,
        )


def _north_arrow(ax: Axes, frame: Sequence[float], crs: Any) -> None:
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
            "color": _TEXT,
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
        color=_TEXT,
        rotation=-math.degrees(angle),
        rotation_mode="anchor",
        zorder=12,
    )


def _note(
    layers: list[_Layer],
    outside: list[tuple[str, list[str], int]],
    extra: str | None,
    crs: Any,
) -> str:
    """The data note: accuracy, points outside the frame, sources and projection."""
    sentences = []
    bundled_areas = [ly for ly in layers if ly.bundled and ly.kind in ("protected-area", "range")]
    if bundled_areas:
        values = pd.concat(
            [
                pd.to_numeric(ly.gdf.get("boundary_uncertainty_km"), errors="coerce")
                for ly in bundled_areas
                if "boundary_uncertainty_km" in ly.gdf.columns
            ]
        ).dropna()
        if len(values):
            span = f"{values.min():g}\u2013{values.max():g} km"
            sentences.append(
                "Boundaries are hand-digitized approximations, not official boundaries "
                f"(typical edge error {span})."
            )
    for name, names, total in outside:
        if not names:
            continue
        what = "activity points" if name == _ACTIVITIES_NAME else f"points of {name}"
        counts = pd.Series(names).value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        shown = ", ".join(counts.index[:4]) + (", …" if len(counts) > 4 else "")
        sentences.append(
            f"{len(names)} of the {total} {what} {'lies' if len(names) == 1 else 'lie'} "
            f"outside the map ({_plain(shown, 120)})."
        )
    if any(ly.kind == "activities" and ly.bundled for ly in layers):
        sentences.append("Most activities are placed at a district centre or an office.")
    attributions: list[str] = []
    for ly in layers:
        for part in str(ly.entry.get("attribution") or "").split(";"):
            part = part.strip()
            if part and part not in attributions:
                attributions.append(part)
    from amurgeo.catalog import layer_entry  # the backdrop's borders and coast

    for part in str(layer_entry("countries").get("attribution") or "").split(";"):
        if part.strip() and part.strip() not in attributions:
            attributions.append(part.strip())
    sentences.append("Sources: " + "; ".join(_plain(a) for a in attributions) + ".")
    user = [ly.name for ly in layers if not ly.bundled]
    if user:
        sentences.append("Your layers: " + ", ".join(user) + ".")
    lon, lat = _centre(crs)
    sentences.append(
        "Lambert azimuthal equal-area projection centred on "
        f"{abs(lon):g}° {'E' if lon >= 0 else 'W'}, {abs(lat):g}° {'N' if lat >= 0 else 'S'}."
    )
    if extra:
        sentences.append(_plain(extra, 400))
    return " ".join(sentences)


def plot_figure(
    layers: Sequence[Source] | Source | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    bounds: Sequence[float] | None = None,
    width: float = 8.0,
) -> Figure:
    """Draw a static map of bundled layers and/or your own files.

    Parameters
    ----------
    layers
        Bundled layer ids or aliases, paths of vector files or GeoDataFrames; one or a list.
        Default: every bundled layer. Countries (borders, coast, land) are always drawn
        underneath from the bundled ``countries`` layer. Point layers with ``organization``
        and ``activity`` attributes are drawn as activity places (one circle per place,
        sized by the number of points there); other point layers as dots.
    ax
        Draw into this matplotlib axes (its figure is returned); default: a new figure with
        the title, legend and data note around the map.
    title, subtitle
        Title and subtitle above the map (``""`` for none). Default: a title about the Amur
        leopard (with the bundled layers) or the layer names.
    note
        Text added to the end of the data note under the map.
    bounds
        (west, south, east, north) in degrees to show; default: the areas drawn (or the
        points, for point layers only), with a margin.
    width
        Width of a new figure in inches; its height follows from the map and the text.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`save_figure` (or show it in a notebook).

    Raises
    ------
    UsageError
        For an empty list of layers, a layer that does not exist or bad `bounds`.
    DataError
        For a file that cannot be read or layers with nothing to draw.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> plots = gpd.GeoDataFrame(
    ...     {"name": ["Plot $1"]}, geometry=[box(131.2, 43.0, 131.4, 43.15)], crs=4326
    ... )
    >>> plots.attrs["layer_id"] = "survey plots"
    >>> fig = plot_figure(["LotL", plots], title="Survey plots")
    >>> fig.axes[0].get_title(loc="left")
    'Survey plots'
    """
    from matplotlib import rc_context

    if layers is not None and isinstance(layers, (str, os.PathLike, gpd.GeoDataFrame)):
        layers = [layers]
    if layers is not None and not len(layers):
        raise UsageError("`layers` is empty; name at least one layer or file, or pass None")
    with rc_context(_RC), Progress("figure", total=None) as progress:
        progress.note("reading layers")
        items = _read_layers(layers)
        items = [it for it in items if len(it.gdf)] or items
        if not any(len(it.gdf) for it in items):
            raise DataError("nothing to draw: every layer given is empty")
        for item in items:
            item.name = _display_name(item)
        progress.note("drawing")
        return _plot(
            items,
            ax=ax,
            title=title,
            subtitle=subtitle,
            note=note,
            bounds=bounds,
            width=width,
            default=layers is None,
        )


def _plot(
    items: list[_Layer],
    *,
    ax: Axes | None,
    title: str | None,
    subtitle: str | None,
    note: str | None,
    bounds: Sequence[float] | None,
    width: float,
    default: bool,
) -> Figure:
    own_figure = ax is None
    _check_bounds(bounds)
    crs = _map_crs(items, bounds)
    _project_layers(items, crs)
    data_frame = _frame(items, bounds, crs)
    if ax is None:
        map_w = width - 2 * _MARGIN_IN
        ratio = (data_frame[3] - data_frame[1]) / (data_frame[2] - data_frame[0])
        map_h = map_w * min(max(ratio, 0.55), 1.3)
        height = map_h + 4.0  # a first guess; trimmed to the content at the end
        fig = _new_figure(figsize=(width, height))
        ax = fig.add_axes((_MARGIN_IN / width, 2.5 / height, map_w / width, map_h / height))
    else:
        parent = ax.get_figure()
        assert parent is not None
        fig = parent  # type: ignore[assignment]
    ax.set_facecolor(_SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.8)
    box = ax.get_window_extent(_renderer(fig))
    frame = _fit_aspect(data_frame, box.width / box.height)
    ax.set_xlim(frame[0], frame[2])
    ax.set_ylim(frame[1], frame[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_autoscale_on(False)

    countries = _country_layer(crs)
    extent = shapely.box(*_lonlat_box_to_ea(countries.to_crs("EPSG:4326").total_bounds, crs))
    if not extent.contains(shapely.box(*frame)):
        # beyond the bundled countries (126-136 E, 40-47.5 N) land and sea are unknown
        ax.set_facecolor("#f7f7f7")
    border_handles = _draw_countries(ax, countries, frame)
    _label_countries(ax, countries, frame, items)

    ranges = [it for it in items if it.kind == "range"]
    areas = [it for it in items if it.kind in ("protected-area", "countries", "user-areas")]
    # larger areas first, so that reserves inside parks stay visible on top
    areas.sort(key=lambda it: -float(it.gdf.area.sum()))
    handles: list[tuple[Any, str]] = []
    area_i = user_i = point_i = 0
    for z, item in enumerate(areas):
        if item.bundled and item.kind == "protected-area":
            color = _AREA_COLORS[area_i % len(_AREA_COLORS)]
            area_i += 1
        else:
            color = _USER_COLORS[user_i % len(_USER_COLORS)]
            user_i += 1
        handles += _draw_areas(ax, item, color, 4 + z * 0.01)
    for item in ranges:
        handles += _draw_range(ax, item)
    for item in items:
        if item.kind == "user-lines":
            handles += _draw_line_layer(ax, item, _USER_COLORS[user_i % len(_USER_COLORS)])
            user_i += 1
    outside: list[tuple[str, list[str], int]] = []
    places_all: list[_Place] = []
    for item in items:
        if item.kind == "user-points":
            color = _POINT_COLORS[point_i % len(_POINT_COLORS)]
            handles += _draw_points(ax, item, color, point_i)
            point_i += 1
            points = item.gdf.geometry.representative_point()
            x, y = points.x.to_numpy(), points.y.to_numpy()
            out = ~((x >= frame[0]) & (x <= frame[2]) & (y >= frame[1]) & (y <= frame[3]))
            outside.append((item.name, [f"point {i + 1}" for i in np.flatnonzero(out)], len(x)))
        elif item.kind == "activities":
            places, names, total = _places(item, frame)
            handles += _draw_activities(ax, places, item.name)
            places_all += places
            outside.append((_ACTIVITIES_NAME if item.bundled else item.name, names, total))
    handles += border_handles

    _scale_bar(ax, frame)
    _north_arrow(ax, frame, crs)
    ax.set_xlabel("")
    ax.set_ylabel("")
    legend_style: dict[str, Any] = {
        "fontsize": 7.5,
        "frameon": False,
        "borderpad": 0.2,
        "borderaxespad": 0.0,
        "labelspacing": 0.6,
        "columnspacing": 2.0,
        "handlelength": 2.4,
        "handleheight": 1.3,
        "scatterpoints": 1,
    }
    if own_figure:
        legend = ax.legend(
            [h for h, _ in handles],
            [_wrap(label, 48) for _, label in handles],
            loc="upper left",
            bbox_to_anchor=(0.0, -0.025),
            ncol=2,
            **legend_style,
        )
    else:
        legend = ax.legend(
            [h for h, _ in handles],
            [_wrap(label, 40) for _, label in handles],
            loc="lower right",
            **{**legend_style, "frameon": True, "framealpha": 0.9, "fontsize": 6.5},
        )
    legend.set_zorder(20)
    avoid = [legend.get_window_extent(_renderer(fig)), *_marker_boxes(ax, places_all)]
    _label_places(ax, places_all, avoid)

    bundled = any(it.bundled for it in items)
    if title is None:
        title = DEFAULT_TITLE if bundled and default else ", ".join(it.name for it in items[:3])
    if subtitle is None:
        subtitle = _DEFAULT_SUBTITLE if bundled and default else ""
    ax.set_title(
        _plain(title, 120),
        loc="left",
        fontsize=15,
        fontweight="bold",
        color=_TEXT,
        pad=26 if subtitle else 8,
    )
    if subtitle:
        ax.annotate(
            _plain(subtitle, 160),
            (0, 1),
            xycoords="axes fraction",
            xytext=(0, 7),
            textcoords="offset points",
            fontsize=10,
            color=_MUTED,
            ha="left",
            va="bottom",
        )
    text = _note(items, outside, note, crs)
    if own_figure:
        ax.annotate(
            _wrap(text, 132),
            (0, 0),
            xycoords=legend,
            xytext=(0, -12),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7,
            color=_MUTED,
            linespacing=1.45,
        )
        _trim_height(fig, ax)
    else:
        ax.annotate(
            _wrap(text, 110),
            (0, 0),
            xycoords="axes fraction",
            xytext=(0, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=6,
            color=_MUTED,
        )
    return fig


#: Margin (inches) around the content of a figure made by :func:`plot_figure`.
_MARGIN_IN = 0.3


@cache
def _figure_class() -> type[Figure]:
    """A matplotlib Figure that Jupyter shows as a PNG, with or without pyplot (made once)."""
    from matplotlib.figure import Figure

    class AmurgeoFigure(Figure):
        """A matplotlib Figure that Jupyter shows as a PNG, with or without pyplot."""

        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100, facecolor=self.get_facecolor())
            return buffer.getvalue()

    return AmurgeoFigure


def _new_figure(figsize: tuple[float, float]) -> Figure:
    """A new figure on the Agg canvas (pyplot is never involved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=figsize, dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _trim_height(fig: Figure, ax: Axes) -> None:
    """Make the figure as tall as its content plus margins, keeping the map's size."""
    renderer = _renderer(fig)
    dpi = fig.dpi
    width, height = fig.get_size_inches()
    content = fig.get_tightbbox(renderer)  # inches
    position = ax.get_position()
    ax_bottom = position.y0 * height
    ax_height = position.height * height
    new_height = float(content.height) + 2 * _MARGIN_IN
    new_bottom = ax_bottom - float(content.y0) + _MARGIN_IN
    fig.set_size_inches(width, new_height)
    ax.set_position((position.x0, new_bottom / new_height, position.width, ax_height / new_height))
    fig.dpi = dpi


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: float = 200) -> Path:
    """Write `fig` to `path` as PNG, SVG or PDF (from the suffix), atomically; return the path.

    The same figure gives the same bytes: no date is written into SVG or PDF and SVG ids
    come from a fixed salt.

    Parameters
    ----------
    fig
        A figure from :func:`plot_figure` (or any matplotlib figure).
    path
        Output file ending in ``.png``, ``.svg`` or ``.pdf``; its folder must exist.
    dpi
        Resolution of a PNG (SVG and PDF are vector; their raster parts use it too).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    UsageError
        For another suffix, or a folder that does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> fig = plot_figure("hunchun", title="Hunchun")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hunchun.svg"
    >>> first = save_figure(fig, out).read_bytes()
    >>> first == save_figure(fig, out).read_bytes()
    True
    >>> save_figure(fig, out.with_suffix(".jpg"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    amurgeo.errors.UsageError: output 'hunchun.jpg': unsupported figure format '.jpg'; ...
    """
    from matplotlib import rc_context

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FIGURE_FORMATS:
        shown = suffix or "no suffix"
        raise UsageError(
            f"output {target.name!r}: unsupported figure format {shown!r}; "
            "expected .png, .svg or .pdf"
        )
    fmt = suffix[1:]
    metadata: Any = {
        "png": {"Software": "amurgeo (matplotlib)"},
        "svg": {"Date": None, "Creator": "amurgeo (matplotlib)"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "amurgeo (matplotlib)"},
    }[fmt]
    with rc_context(_RC), atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata, facecolor=fig.get_facecolor())
    return target


# ---------------------------------------------------------------------------------------------
# Population timeline
# ---------------------------------------------------------------------------------------------

_SIDE_COLORS = {"Russia": "#1f5fa8", "China": "#c62828", "both sides": "#555555"}
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
    from matplotlib.lines import Line2D

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
    sources: list[str] = []
    for value in table["source"].fillna(""):
        if str(value) not in sources:
            sources.append(str(value))
    species = list(dict.fromkeys(table["species"].astype(str)))
    with rc_context(_RC):
        fig = _new_figure(figsize=figsize)
        axes = fig.subplots(1, len(species), squeeze=False)[0]
        styles = _population_styles(table)
        for ax, name in zip(axes, species, strict=True):
            rows = table[table["species"].astype(str) == name]
            _population_panel(ax, rows, sources, styles)
            ax.set_title(_plain(name), loc="left", fontsize=11, fontweight="bold", color=_TEXT)
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
                    label=_plain(area if whole else f"{area} ({side})"),
                )
            )
        columns.setdefault("both sides", []).append(
            Line2D(
                [],
                [],
                color=_MUTED,
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
        if title is None:
            title = "Amur leopard and Amur tiger counts, Russia and China kept apart"
        if title:
            fig.suptitle(
                _plain(title, 120),
                x=0.06,
                ha="left",
                y=0.975,
                fontsize=13,
                fontweight="bold",
                color=_TEXT,
            )
        note = (
            "Russian and Chinese counts include the same cross-border animals: never add them. "
            "Bars: low\u2013high range of an estimate. Numbers: sources. "
            + "   ".join(f"[{i}]\u00a0{_plain(s, 90)}" for i, s in enumerate(sources, start=1))
        )
        fig.text(
            0.06,
            0.13,
            _wrap(note, 150),
            ha="left",
            va="top",
            fontsize=7,
            color=_MUTED,
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
        color = _SIDE_COLORS.get(side, _MUTED)
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
                color=_MUTED,
                zorder=5,
            )
    ax.set_xlim(1968, 2028)
    ax.set_ylim(bottom=0)
    top = float(np.nanmax(np.concatenate([rows["count_low"], rows["count_high"]])))
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel("animals counted", color=_TEXT)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.7)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
