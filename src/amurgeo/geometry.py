"""Small geometry helpers used across the package, each idiom written once.

>>> from shapely.geometry import GeometryCollection, LineString, box
>>> polygonal_part(GeometryCollection([box(0, 0, 1, 1), LineString([(0, 0), (2, 2)])])).area
1.0
>>> polygonal_part(LineString([(0, 0), (1, 1)])) is None
True
"""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["POLYGONAL_TYPES", "POLYGONAL_TYPE_IDS", "polygonal_part"]

#: Geometry types that have an area.
POLYGONAL_TYPES = ("Polygon", "MultiPolygon")

#: Shapely type ids of :data:`POLYGONAL_TYPES`, for vectorised tests (``shapely.get_type_id``).
POLYGONAL_TYPE_IDS = (3, 6)


def polygonal_part(geom: BaseGeometry | None) -> BaseGeometry | None:
    """The polygonal part of `geom`: itself if it is a (multi)polygon, the union of a
    collection's polygons, or None when there is none (points, lines, empty, None)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in POLYGONAL_TYPES:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in POLYGONAL_TYPES]
    return shapely.union_all(parts) if parts else None
