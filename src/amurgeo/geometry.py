"""Small geometry helpers used across the package, each idiom written once.

>>> from shapely.geometry import GeometryCollection, LineString, box
>>> polygonal_part(GeometryCollection([box(0, 0, 1, 1), LineString([(0, 0), (2, 2)])])).area
1.0
>>> polygonal_part(LineString([(0, 0), (1, 1)])) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = [
    "POLYGONAL_TYPES",
    "POLYGONAL_TYPE_IDS",
    "assign_to_features",
    "points_in_features",
    "polygonal_part",
]

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


def assign_to_features(interior: np.ndarray, boundary: np.ndarray) -> np.ndarray:
    """Which features each point counts in, from where it lies (the one rule of amurgeo).

    A point in the interior of several features (true overlaps) counts in each of them; a
    point that lies only on boundaries counts once, in the first of those features (in file
    order), so a grid of blocks that share edges adds up to the total inside them.

    Parameters
    ----------
    interior, boundary
        Boolean arrays of shape (features, points): the point lies in the feature's interior;
        the point lies on the feature's boundary.

    Returns
    -------
    numpy.ndarray
        Boolean (features, points): the point counts in that feature.

    Examples
    --------
    >>> interior = np.array([[False, True], [False, True]])
    >>> boundary = np.array([[True, False], [True, False]])
    >>> assign_to_features(interior, boundary).tolist()
    [[True, True], [False, True]]
    """
    assigned = np.array(interior, dtype=bool, copy=True)
    if not assigned.size:
        return assigned
    edge_only = ~assigned.any(axis=0) & boundary.any(axis=0)
    columns = np.flatnonzero(edge_only)
    assigned[boundary[:, columns].argmax(axis=0), columns] = True
    return assigned


def points_in_features(
    geoms: Sequence[BaseGeometry], lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """Which of `geoms` (polygons, same CRS as the points) each point counts in.

    Points are tested against each feature's bounding box first, then its polygon; the
    result follows :func:`assign_to_features`: boolean, shape (features, points).

    >>> from shapely.geometry import box
    >>> blocks = [box(0, 0, 1, 1), box(1, 0, 2, 1)]
    >>> points_in_features(blocks, np.array([1.0, 0.5]), np.array([0.5, 0.5])).tolist()
    [[True, True], [False, False]]
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    interior = np.zeros((len(geoms), len(lon)), dtype=bool)
    boundary = np.zeros_like(interior)
    for row, geom in enumerate(geoms):
        xmin, ymin, xmax, ymax = shapely.bounds(geom)
        near = np.flatnonzero((lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax))
        if not len(near):
            continue
        hit = shapely.intersects_xy(geom, lon[near], lat[near])
        inner = shapely.contains_xy(geom, lon[near], lat[near])
        interior[row, near] = inner
        boundary[row, near] = hit & ~inner
    return assign_to_features(interior, boundary)
