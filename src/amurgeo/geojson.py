"""Deterministic RFC 7946 GeoJSON writing.

GeoJSON written here is byte-for-byte reproducible: coordinates in lon/lat (EPSG:4326) rounded
to a fixed number of decimals, exterior rings counterclockwise and holes clockwise (RFC 7946
section 3.1.6), no ``crs`` member, properties in column order, one feature per line.
"""

from __future__ import annotations

import json
import math
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.output import Destination, write_bytes

__all__ = ["DEFAULT_DECIMALS", "to_geojson_text", "write_geojson"]

#: 6 decimals of a degree is about 0.1 m: more than enough for these boundaries.
DEFAULT_DECIMALS = 6


def _clean_value(value: Any) -> Any:
    """Turn numpy, pandas and NaN values into plain JSON values."""
    if value is None:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (list, tuple)):
        return [_clean_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean_value(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value if isinstance(value, (str, int, bool)) else str(value)


def normalize_geometry(geom: BaseGeometry | None, decimals: int = DEFAULT_DECIMALS) -> Any:
    """Return an RFC 7946 ``geometry`` mapping (or None) for a lon/lat geometry.

    Rings are oriented (exterior counterclockwise), coordinates rounded to `decimals`; a
    polygon that rounding made invalid is repaired.
    """
    if geom is None or geom.is_empty:
        return None
    rounded = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    if not rounded.is_valid:
        rounded = shapely.make_valid(rounded, method="structure", keep_collapsed=False)
    rounded = shapely.orient_polygons(rounded, exterior_cw=False)
    mapping = shapely.geometry.mapping(rounded)
    return json.loads(json.dumps(mapping))  # tuples -> lists


def to_geojson_text(
    gdf: gpd.GeoDataFrame,
    *,
    name: str | None = None,
    decimals: int = DEFAULT_DECIMALS,
    extra: dict[str, Any] | None = None,
) -> str:
    """Serialize `gdf` as RFC 7946 GeoJSON text (reprojected to EPSG:4326 if needed).

    Parameters
    ----------
    gdf
        The features. A GeoDataFrame in another CRS is reprojected; one with no CRS is taken
        to be lon/lat already.
    name
        Optional ``name`` member of the FeatureCollection.
    decimals
        Decimals kept in coordinates.
    extra
        Further top-level members (for example attribution), written after ``name``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(131, 43, 131.5, 43.2)], crs=4326)
    >>> text = to_geojson_text(gdf)
    >>> '"crs"' in text, '"name": "a"' in text
    (False, True)
    """
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    header: dict[str, Any] = {"type": "FeatureCollection"}
    if name is not None:
        header["name"] = name
    header.update(extra or {})
    lines = []
    for row, geom in zip(
        gdf[columns].itertuples(index=False, name=None), gdf.geometry, strict=True
    ):
        feature = {
            "type": "Feature",
            "properties": {str(c): _clean_value(v) for c, v in zip(columns, row, strict=True)},
            "geometry": normalize_geometry(geom, decimals),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, allow_nan=False))
    head = json.dumps(header, ensure_ascii=False)[:-1]
    body = ",\n".join(lines)
    return f'{head}, "features": [\n{body}\n]}}\n'


def write_geojson(
    gdf: gpd.GeoDataFrame,
    path: Destination,
    *,
    name: str | None = None,
    decimals: int = DEFAULT_DECIMALS,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write `gdf` to `path` as RFC 7946 GeoJSON, atomically (see :func:`to_geojson_text`).

    `path` is a file (a link is written through), a device or pipe, ``-`` for standard
    output, or an :class:`amurgeo.output.Output` (see :mod:`amurgeo.output`).
    """
    text = to_geojson_text(gdf, name=name, decimals=decimals, extra=extra)
    write_bytes(path, text.encode("utf-8"))
