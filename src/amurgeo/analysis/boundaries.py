"""Length of the boundary two areas share."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.analysis.layers import load_area_layer
from amurgeo.errors import UsageError
from amurgeo.io import Source
from amurgeo.measure import (
    GEOD,
    from_equal_area,
)

if TYPE_CHECKING:
    pass

__all__ = ["SHARED_TOLERANCE_M", "shared_boundary"]

#: Default tolerance (metres) within which two boundaries count as shared.
SHARED_TOLERANCE_M = 100.0


def _lines(geom: BaseGeometry) -> BaseGeometry:
    """The linear part of `geom`, merged (an empty line string if it has none)."""
    if geom.is_empty:
        return shapely.LineString()
    if geom.geom_type in ("LineString", "MultiLineString"):
        return shapely.line_merge(geom)
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("LineString",)]
    parts += [
        p for g in getattr(geom, "geoms", []) if g.geom_type == "MultiLineString" for p in g.geoms
    ]
    return shapely.line_merge(shapely.MultiLineString(parts)) if parts else shapely.LineString()


def _length_km(ea_lines: BaseGeometry) -> tuple[float, BaseGeometry]:
    lines = _lines(ea_lines)
    if lines.is_empty:
        return 0.0, lines
    lonlat = from_equal_area(lines)
    return abs(float(GEOD.geometry_length(lonlat))) / 1000.0, lonlat


def shared_boundary(
    a: Source, b: Source, *, tolerance_m: float = SHARED_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Length of the boundary two areas share (for example along the Russia-China border).

    Each layer is dissolved. The shared boundary is the part of `a`'s boundary within
    `tolerance_m` of `b`'s boundary (found in the equal-area projection); its geodesic length
    is averaged with that of the part of `b`'s boundary within `tolerance_m` of `a`'s, so the
    result is symmetric. The tolerance absorbs the vertices that densifying and projecting put
    on two copies of the same line (such as a border clipped from Natural Earth); raise it for
    boundaries digitized separately, which may run a little apart. Where a boundary turns away
    from the other, up to about `tolerance_m` more is counted at each end of a shared stretch
    (Land of the Leopard and the Chinese park: 146.5 km with 1 m, 147.6 km with 100 m).
    ``tolerance_m=0`` keeps only segments the two boundaries share exactly.

    Parameters
    ----------
    a, b
        Layer ids, file paths or GeoDataFrames.
    tolerance_m
        Distance (metres) within which boundaries count as shared (default 100 m).

    Returns
    -------
    geopandas.GeoDataFrame
        One row: ``a``, ``b``, ``shared_km`` (geodesic length in km), ``tolerance_m`` and the
        shared part of `a`'s boundary as ``geometry`` (lon/lat lines; empty if none).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> west = gpd.GeoDataFrame(geometry=[box(130.5, 43.0, 131.0, 43.5)], crs=4326)
    >>> east = gpd.GeoDataFrame(geometry=[box(131.0, 43.2, 131.5, 44.0)], crs=4326)
    >>> round(shared_boundary(west, east)["shared_km"].item(), 1)
    33.5
    >>> round(shared_boundary(west, east, tolerance_m=1)["shared_km"].item(), 1)
    33.3

    Land of the Leopard and the Chinese national park meet along the border:

    >>> bool(shared_boundary("LotL", "NCTLNP")["shared_km"].item() > 100)
    True
    """
    if not np.isfinite(tolerance_m) or tolerance_m < 0:
        raise UsageError(f"tolerance_m is {tolerance_m!r}; expected a distance >= 0")
    first, second = load_area_layer(a), load_area_layer(b)
    edge_a = first.dissolved.boundary
    edge_b = second.dissolved.boundary
    if tolerance_m > 0:
        part_a = shapely.intersection(edge_a, edge_b.buffer(tolerance_m))
        part_b = shapely.intersection(edge_b, edge_a.buffer(tolerance_m))
    else:
        part_a = part_b = shapely.intersection(edge_a, edge_b)
    length_a, geometry = _length_km(part_a)
    length_b, _ = _length_km(part_b)
    record = {
        "a": first.name,
        "b": second.name,
        "shared_km": (length_a + length_b) / 2.0,
        "tolerance_m": float(tolerance_m),
    }
    return gpd.GeoDataFrame(
        pd.DataFrame([record]), geometry=gpd.GeoSeries([geometry], crs="EPSG:4326")
    )
