"""Measuring areas correctly: on the WGS84 ellipsoid, or in one equal-area projection.

* Reported areas are geodesic: :data:`GEOD` (``pyproj.Geod``, WGS84) integrates the polygon on
  the ellipsoid. Edges are first densified to :data:`DENSIFY_DEG` so that an edge drawn straight
  in lon/lat (as RFC 7946 GeoJSON means it) is measured as drawn, not as a geodesic.
* Overlays (intersection, union, difference, buffers) run in :data:`EQUAL_AREA_CRS`, a Lambert
  azimuthal equal-area projection centred on the region (131 E, 43 N); areas there agree with
  the geodesic ones to well under 0.01 %.

Degrees and Web Mercator are never used for areas (Web Mercator inflates them by ~87 % here).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.geometry import polygonal_part
from amurgeo.region import EQUAL_AREA_CENTRE

__all__ = [
    "DENSIFY_DEG",
    "EQUAL_AREA_CRS",
    "FIXED_EDGE_TOLERANCE_M",
    "FROM_EQUAL_AREA",
    "GEOD",
    "HAND_DRAWN_EDGE_KM",
    "SIMPLIFY_ABOVE_VERTICES",
    "SIMPLIFY_SHARE",
    "TO_EQUAL_AREA",
    "UNITS",
    "area_range_km2",
    "convert_km2",
    "from_equal_area",
    "geodesic_area_km2",
    "grow",
    "outline_bounds",
    "shrink",
    "to_equal_area",
]

#: The WGS84 ellipsoid used for geodesic areas and lengths.
GEOD = pyproj.Geod(ellps="WGS84")

#: Lambert azimuthal equal-area projection centred on the Amur leopard's range (metres).
EQUAL_AREA_CRS = pyproj.CRS.from_proj4(
    f"+proj=laea +lat_0={EQUAL_AREA_CENTRE[1]:g} +lon_0={EQUAL_AREA_CENTRE[0]:g} "
    "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

#: Longest edge, in degrees, before geodesic measurement (about 1 km).
DENSIFY_DEG = 0.01

#: Area units: name -> square kilometres per unit.
UNITS: dict[str, float] = {"km2": 1.0, "ha": 0.01, "mi2": 2.589988110336}

#: The one lon/lat -> :data:`EQUAL_AREA_CRS` transformer (x, y order), for every module.
TO_EQUAL_AREA = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)

#: The one :data:`EQUAL_AREA_CRS` -> lon/lat transformer (x, y order), for every module.
FROM_EQUAL_AREA = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4326", always_xy=True)


def geodesic_area_km2(geom: BaseGeometry | None) -> float:
    """Area of a lon/lat geometry on the WGS84 ellipsoid, in km².

    Points, lines and empty geometries have area 0. Ring orientation does not matter.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(geodesic_area_km2(box(131.0, 42.6, 132.0, 43.4)), 2)
    7246.83
    """
    poly = polygonal_part(geom)
    if poly is None:
        return 0.0
    poly = shapely.orient_polygons(shapely.segmentize(poly, DENSIFY_DEG), exterior_cw=False)
    area_m2, _ = GEOD.geometry_area_perimeter(poly)
    return abs(float(area_m2)) / 1e6


def to_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat geometry to :data:`EQUAL_AREA_CRS` (densified first)."""
    dense = shapely.segmentize(geom, DENSIFY_DEG) if not geom.is_empty else geom
    return shapely.transform(
        dense, lambda xy: np.column_stack(TO_EQUAL_AREA.transform(xy[:, 0], xy[:, 1]))
    )


def from_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Project a geometry from :data:`EQUAL_AREA_CRS` back to lon/lat."""
    return shapely.transform(
        geom, lambda xy: np.column_stack(FROM_EQUAL_AREA.transform(xy[:, 0], xy[:, 1]))
    )


#: The measured error of amurgeo's hand-drawing method: share of the real edge -> km from the
#: drawn edge within which that share lies. Measured on an earlier hand drawing of Land of the
#: Leopard against its OpenStreetMap boundary (relation 10367273); a test re-measures it.
HAND_DRAWN_EDGE_KM = {0.80: 8.0, 0.90: 13.0}

#: Edges within this distance (m) of the containing outline's boundary count as lying on it.
FIXED_EDGE_TOLERANCE_M = 50.0

#: Share of the distance by which :func:`shrink` and :func:`grow` simplify the edges they
#: move before buffering them (1 %).
SIMPLIFY_SHARE = 0.01

#: Outlines of at most this many vertices are buffered as they are (exactly): only long ones
#: (a coast of a large range) cost enough to be worth simplifying first.
SIMPLIFY_ABOVE_VERTICES = 5_000


def _for_buffer(geom: BaseGeometry, distance_m: float, *, preserve_topology: bool) -> BaseGeometry:
    """`geom` simplified by :data:`SIMPLIFY_SHARE` of `distance_m` when it is long, else as is."""
    if shapely.get_num_coordinates(geom) <= SIMPLIFY_ABOVE_VERTICES:
        return geom
    return geom.simplify(distance_m * SIMPLIFY_SHARE, preserve_topology=preserve_topology)


@lru_cache(maxsize=16)
def _equal_area_outline(within: BaseGeometry) -> tuple[BaseGeometry, BaseGeometry]:
    """`within` projected to the equal-area CRS, and the zone along its boundary (cached)."""
    projected = to_equal_area(within)
    return projected, projected.boundary.buffer(FIXED_EDGE_TOLERANCE_M)


def grow(
    geom_ea: BaseGeometry, distance_m: float, *, within_ea: BaseGeometry | None = None
) -> BaseGeometry:
    """Move the outline of an equal-area polygon out by `distance_m`, staying inside `within_ea`.

    A park that ends at its national border or at the coast cannot grow past it: with
    `within_ea` (the country, in the equal-area CRS) the grown polygon is clipped to it.
    """
    if not distance_m:
        return geom_ea
    # a long outline is simplified first by SIMPLIFY_SHARE of the distance, as in shrink: a
    # long coast grown by tens of km took seconds per feature; the edge moves by at most that
    grown = _for_buffer(geom_ea, distance_m, preserve_topology=True).buffer(distance_m)
    return grown.intersection(within_ea) if within_ea is not None else grown


def shrink(
    geom_ea: BaseGeometry,
    distance_m: float,
    *,
    fixed_ea: BaseGeometry | None = None,
    near_ea: BaseGeometry | None = None,
) -> BaseGeometry:
    """Move the outline of an equal-area polygon in by `distance_m`, except along `fixed_ea`.

    `fixed_ea` is a zone (for example a thin buffer around a country's boundary) whose edges
    are known: parts of the outline inside it stay where they are; only the others move in.
    With `near_ea`, only the result within `distance_m` of it is wanted (one feature of a
    dissolved layer): edges farther away are not moved, which changes nothing near it.
    Moving edges of more than :data:`SIMPLIFY_ABOVE_VERTICES` vertices are simplified by
    :data:`SIMPLIFY_SHARE` of `distance_m` before they are buffered (a long coast buffered by
    tens of km took minutes): the shrunk edge then moves by at most that share of `distance_m`
    more or less than asked.
    """
    if not distance_m:
        return geom_ea
    if fixed_ea is None:
        return polygonal_part(geom_ea.buffer(-distance_m)) or shapely.Polygon()
    moving = geom_ea.boundary
    if near_ea is not None:
        west, south, east, north = near_ea.bounds
        pad = 1.1 * distance_m
        moving = moving.intersection(shapely.box(west - pad, south - pad, east + pad, north + pad))
    moving = moving.difference(fixed_ea)
    if moving.is_empty:
        return geom_ea
    moving = _for_buffer(moving, distance_m, preserve_topology=False)
    return polygonal_part(geom_ea.difference(moving.buffer(distance_m))) or shapely.Polygon()


def outline_bounds(
    within: BaseGeometry | None, near: BaseGeometry | None = None, distance_m: float = 0.0
) -> tuple[BaseGeometry | None, BaseGeometry | None]:
    """Return (`within` in the equal-area CRS, the fixed zone along its boundary), or Nones.

    With `near` (a lon/lat geometry), only the part of `within` around it is kept: its
    bounding box grown by `distance_m` plus 20 km. A detailed country outline is then not
    projected and buffered whole for a park at one end of it; the cut edges lie beyond the
    distance the park can move, so the result is the same.
    """
    if within is None or within.is_empty:
        return None, None
    if near is not None and not near.is_empty:
        west, south, east, north = near.bounds
        # degrees per metre: 1/111 km in latitude, more in longitude away from the equator
        pad = (distance_m + 20_000.0) / 111_000.0
        pad_lon = pad / max(np.cos(np.radians(max(abs(south), abs(north)))), 0.1)
        box = shapely.box(west - pad_lon, south - pad, east + pad_lon, north + pad)
        if not box.contains(within):
            within = shapely.intersection(within, box)
            if within.is_empty:
                return None, None
    return _equal_area_outline(within)


def area_range_km2(
    geom: BaseGeometry | None,
    uncertainty_km: float | None,
    *,
    within: BaseGeometry | None = None,
) -> tuple[float, float]:
    """Low and high area (km²) when the boundary may lie `uncertainty_km` in or out.

    The polygon is shrunk and grown by that distance in :data:`EQUAL_AREA_CRS`. With
    `within` (a lon/lat polygon the area cannot leave, such as its country), edges that lie on
    `within`'s boundary (a national border, a coast) stay fixed and growth stops there. With no
    uncertainty both ends equal the geodesic area.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> low, high = area_range_km2(box(131.0, 43.0, 131.5, 43.5), 1.0)
    >>> low < geodesic_area_km2(box(131.0, 43.0, 131.5, 43.5)) < high
    True
    >>> country = box(130.0, 42.0, 131.5, 44.0)  # the park's east edge is the border
    >>> fixed_low, fixed_high = area_range_km2(box(131.0, 43.0, 131.5, 43.5), 1.0, within=country)
    >>> low < fixed_low and fixed_high < high
    True
    """
    poly = polygonal_part(geom)
    area = geodesic_area_km2(poly)
    if poly is None or not uncertainty_km or not np.isfinite(uncertainty_km):
        return area, area
    projected = to_equal_area(poly)
    distance = float(uncertainty_km) * 1000.0
    within_ea, fixed_ea = outline_bounds(within, poly, distance)
    low = shrink(projected, distance, fixed_ea=fixed_ea).area / 1e6
    high = grow(projected, distance, within_ea=within_ea).area / 1e6
    return min(low, area), max(high, area)


def convert_km2(value_km2: float, unit: str) -> float:
    """Convert an area in km² to `unit` (``km2``, ``ha`` or ``mi2``).

    Examples
    --------
    >>> round(convert_km2(14065, "mi2"))
    5431
    """
    try:
        return value_km2 / UNITS[unit]
    except KeyError:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}") from None
