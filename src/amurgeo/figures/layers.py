"""What the map figure draws: its layers read and projected, and the frame around them."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely

from amurgeo.errors import DataError, UsageError
from amurgeo.io import Source
from amurgeo.region import OPENING_FRAME
from amurgeo.style import FIGURE_ACTIVITY_COLOR

if TYPE_CHECKING:
    pass


#: File suffixes :func:`save_figure` writes.
FIGURE_FORMATS = (".png", ".svg", ".pdf")

#: The frame (lon/lat) when nothing else gives one (:data:`amurgeo.region.OPENING_FRAME`).
REGION_BOUNDS = OPENING_FRAME

#: Default title of :func:`plot_figure`.
DEFAULT_TITLE = "Where the Amur leopard is protected"

DEFAULT_SUBTITLE = (
    "Protected areas on both sides of the Russia\u2013China border and the leopard's range"
)

#: Title and subtitle of each theme's overview (:data:`amurgeo.catalog.THEMES`).
THEME_TITLES = {
    "leopard": (DEFAULT_TITLE, DEFAULT_SUBTITLE),
    "tiger": (
        "Amur tiger: range and protected areas",
        "Its range in Russia and China, the Russian reserves and national parks that protect "
        "it, and the two national parks on the border",
    ),
}

# Colours (amurgeo.style): protected areas in greens, the range in orange, user layers in
# blues and purples.
ACTIVITY_COLOR = FIGURE_ACTIVITY_COLOR

#: Every figure uses matplotlib's own DejaVu Sans, so it looks the same on every machine.
RC_PARAMS: Any = {  # matplotlib rcParams
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.unicode_minus": True,
    "hatch.linewidth": 0.6,
    "pdf.fonttype": 42,  # TrueType in PDF: text stays editable in Illustrator or Inkscape
    "svg.fonttype": "path",
    "svg.hashsalt": "amurgeo",
}

ACTIVITIES_NAME = "\0activities"  # the bundled activity points, in the data note

PLACED_AT = re.compile(r"\(placed at ([^)]+)\)")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def plain_text(value: Any, limit: int = 80) -> str:
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


def wrap_text(text: str, width: int) -> str:
    """Wrap plain text (already escaped) into lines of at most `width` characters."""
    return "\n".join(textwrap.wrap(text, width=width, break_on_hyphens=False))


@dataclass
class FigureLayer:
    """One layer to draw, in the equal-area CRS, with its kind and display name."""

    gdf: gpd.GeoDataFrame  # in the map's equal-area CRS (set by project_layers)
    lonlat: gpd.GeoDataFrame
    layer_id: str
    kind: str  # catalog kind, or user-areas / user-lines / user-points
    bundled: bool
    entry: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    @property
    def is_points(self) -> bool:
        return self.kind in ("activities", "user-points")


def read_layers(layers: Sequence[Source] | None, theme: str = "leopard") -> list[FigureLayer]:
    """Read `layers` (default: the overview of `theme`) as layers to draw, in lon/lat."""
    from amurgeo.catalog import catalog_entries, theme_layer_ids
    from amurgeo.io import geometry_kind, read_drawable
    from amurgeo.observations.read import read_points_or_layer
    from amurgeo.schema import required_fields

    entries = {e["id"]: e for e in catalog_entries()}
    sources: list[Source] = (
        [i for i in theme_layer_ids(theme) if entries[i]["kind"] != "countries"]
        if layers is None
        else list(layers)
    )
    out = []
    for source in sources:
        gdf = read_points_or_layer(source, read_drawable)  # a CSV of points too
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
        out.append(FigureLayer(gdf, gdf, layer_id, kind, bundled, dict(entry or {})))
    return out


#: Data whose centre lies within this many degrees (lon, lat) of the centre of
#: :data:`amurgeo.measure.EQUAL_AREA_CRS` is drawn in it; data farther away in a Lambert
#: azimuthal equal-area projection centred on itself, so that scale and north stay true.
_NEAR_DEG = (15.0, 10.0)


def map_crs(layers: list[FigureLayer], bounds: Sequence[float] | None) -> Any:
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
    lon_0, lat_0 = frame_centre(EQUAL_AREA_CRS)
    near_lon, near_lat = _NEAR_DEG
    if abs(lon - lon_0) <= near_lon and abs(lat - lat_0) <= near_lat:
        return EQUAL_AREA_CRS
    return pyproj.CRS.from_proj4(
        f"+proj=laea +lat_0={round(lat)} +lon_0={round(lon)} +x_0=0 +y_0=0 +datum=WGS84 "
        "+units=m +no_defs"
    )


def frame_centre(crs: Any) -> tuple[float, float]:
    """(lon, lat) of the natural origin of an azimuthal projection."""
    params = {p.name: float(p.value) for p in crs.coordinate_operation.params}
    return params["Longitude of natural origin"], params["Latitude of natural origin"]


def project_layers(layers: list[FigureLayer], crs: Any) -> None:
    for layer in layers:
        layer.gdf = layer.lonlat.to_crs(crs)


def display_name(layer: FigureLayer) -> str:
    from amurgeo.io import feature_labels

    if layer.bundled:
        if layer.kind == "protected-area" and len(layer.gdf) == 1:
            return plain_text(feature_labels(layer.gdf)[0])
        if layer.kind == "protected-area" and "name" in layer.gdf.columns:
            # several parts of one park: "X (Jilin part)", "X (Heilongjiang part)" -> "X"
            names = {re.sub(r"\s*\([^)]*\)$", "", str(n)) for n in layer.gdf["name"].dropna()}
            if len(names) == 1:
                return plain_text(names.pop())
        return plain_text(layer.entry.get("title") or layer.layer_id)
    return plain_text(layer.layer_id, 60)


def country_layer(crs: Any) -> gpd.GeoDataFrame:
    from amurgeo.catalog import load_layer

    return load_layer("countries").to_crs(crs)


def lonlat_box_to_ea(bounds: Sequence[float], crs: Any) -> tuple[float, float, float, float]:
    """Bounds in `crs` of a lon/lat box (its edges densified, so curved edges count)."""
    import pyproj

    west, south, east, north = (float(b) for b in bounds)
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x0, y0, x1, y1 = transformer.transform_bounds(west, south, east, north, densify_pts=50)
    return float(x0), float(y0), float(x1), float(y1)


def check_bounds(bounds: Sequence[float] | None) -> None:
    if bounds is None:
        return
    if len(bounds) != 4:
        raise UsageError(f"bounds {bounds!r}: expected (west, south, east, north) in degrees")
    west, south, east, north = (float(b) for b in bounds)
    if not (west < east and south < north):
        raise UsageError(
            f"bounds {tuple(bounds)!r}: expected west < east and south < north (degrees)"
        )


def frame_bounds(
    layers: list[FigureLayer], bounds: Sequence[float] | None, crs: Any
) -> tuple[float, ...]:
    """The part of the plane to show (metres in `crs`): xmin, ymin, xmax, ymax."""
    if bounds is not None:
        return lonlat_box_to_ea(bounds, crs)
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
        region = shapely.box(*lonlat_box_to_ea(REGION_BOUNDS, crs))
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


def fit_aspect(frame: Sequence[float], aspect: float) -> tuple[float, float, float, float]:
    """Grow `frame` around its centre to the width/height ratio `aspect` of the axes."""
    x0, y0, x1, y1 = frame
    width, height = x1 - x0, y1 - y0
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2
