"""Which areas each point lies in, and the nearest area of a point outside all."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.analysis.layers import (
    Sources,
    load_area_layer,
    source_list,
)
from amurgeo.geometry import assign_to_features
from amurgeo.io import Source, feature_labels, read_vector
from amurgeo.measure import (
    GEOD,
    from_equal_area,
    to_equal_area,
)

if TYPE_CHECKING:
    pass

__all__ = ["points_in_areas"]

# --------------------------------------------------------------------------------------------


def _protected_layers() -> list[str]:
    from amurgeo.catalog import catalog_entries

    return [e["id"] for e in catalog_entries() if e["kind"] == "protected-area"]


def _assigned(geom: BaseGeometry, shapes: list[BaseGeometry], tree: shapely.STRtree) -> list[int]:
    """Indexes of the `shapes` (lon/lat) `geom` counts in, by the rule of
    :func:`amurgeo.geometry.assign_to_features`: every area whose interior it meets, else the
    first whose boundary it touches."""
    hits = np.sort(tree.query(geom, predicate="intersects"))
    if not len(hits):
        return []
    touching = shapely.touches(geom, np.array(shapes, dtype=object)[hits])
    chosen = assign_to_features(~touching[:, None], touching[:, None])[:, 0]
    return [int(i) for i in hits[chosen]]


def points_in_areas(
    points: Source = "activities",
    areas: Sources = None,
    *,
    name: str | None = None,
    name_col: str | None = None,
    area_name_col: str | None = None,
) -> gpd.GeoDataFrame:
    """Which area(s) each point lies in and, for a point outside all, the nearest one.

    Parameters
    ----------
    points
        A point layer (default: the bundled ``activities``), or a CSV (or Parquet) of points
        or a DataFrame with coordinate columns, read as observations (see
        :func:`amurgeo.read_observations`). Other geometry types work too: "lies in" means
        "intersects". A point in the interior of several areas (true overlaps) lies in each
        of them; one only on boundaries (a shared edge of two blocks) lies in the first of
        those areas, in the order of `areas` and of their features.
    areas
        One area layer or a list of them. Default: every bundled layer of kind
        ``protected-area``. Each feature is an area, labelled with its layer name (layers of
        one feature) or ``"layer: feature"``.
    name
        Name of the point layer in ``layer`` (default: a GeoDataFrame's
        ``attrs["layer_id"]``, else ``"layer"``; a file's stem).
    name_col
        Column that names the points in ``feature`` (default: the usual name or id
        columns, see :func:`amurgeo.io.label_column`). A missing column is a UsageError
        naming the layer and its columns.
    area_name_col
        Column that names the features of your area layers (a bundled layer without it
        keeps its names).

    Returns
    -------
    geopandas.GeoDataFrame
        The points (lon/lat) with their attributes, after these columns: ``layer``,
        ``feature`` (the point's label), ``inside`` (bool), ``areas`` (the areas it lies in,
        joined with ``"; "``; empty if none), ``nearest_area`` (the first area it lies in, else
        the nearest) and ``distance_km`` (0 inside; else the geodesic distance to the nearest
        point of the nearest area, both found in the equal-area projection; for points far
        from the region, such as offices in Europe, the nearest area is approximate). An input
        attribute with one of these names is kept as ``<name>_input``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> park = gpd.GeoDataFrame(geometry=[box(131.0, 43.0, 131.5, 43.5)], crs=4326)
    >>> park.attrs["layer_id"] = "park"
    >>> sites = gpd.GeoDataFrame(
    ...     {"name": ["camera", "office"]}, geometry=[Point(131.2, 43.2), Point(132.0, 43.2)],
    ...     crs=4326,
    ... )
    >>> found = points_in_areas(sites, areas=park)
    >>> found[["feature", "inside", "areas", "nearest_area"]]
      feature  inside areas nearest_area
    0  camera    True  park         park
    1  office   False               park
    >>> round(float(found["distance_km"].iloc[1]), 1)
    40.6
    """
    from amurgeo.observations.read import read_points_or_layer

    gdf = read_points_or_layer(points, read_vector)  # a CSV of points too
    if name is not None:
        gdf.attrs["layer_id"] = name
    point_names = feature_labels(gdf, name_col, hint=True)
    point_layer = str(gdf.attrs["layer_id"])
    area_sources = source_list(areas) if areas is not None else _protected_layers()
    labels: list[str] = []
    shapes: list[BaseGeometry] = []
    lonlat: list[BaseGeometry] = []
    for source in area_sources:
        layer = load_area_layer(source, name_col=area_name_col)
        if len(layer.labels) > 1:
            layer.hint_unnamed()
        for label, geom, plain in zip(layer.labels, layer.ea, layer.lonlat, strict=True):
            if geom.is_empty:
                continue
            labels.append(layer.name if len(layer.labels) == 1 else f"{layer.name}: {label}")
            shapes.append(geom)
            lonlat.append(plain)
    tree = shapely.STRtree(np.array(shapes, dtype=object))
    lonlat_tree = shapely.STRtree(np.array(lonlat, dtype=object))
    inside_lists: list[list[str]] = []
    nearest: list[str | None] = []
    distance: list[float] = []
    for geom in gdf.geometry.values:
        if geom is None or geom.is_empty or not shapes:
            inside_lists.append([])
            nearest.append(None)
            distance.append(np.nan)
            continue
        hits = _assigned(geom, lonlat, lonlat_tree)
        inside_lists.append([labels[i] for i in hits])
        if hits:
            nearest.append(labels[hits[0]])
            distance.append(0.0)
            continue
        projected = to_equal_area(geom)
        index = int(tree.nearest(projected))
        nearest.append(labels[index])
        line = from_equal_area(shapely.shortest_line(projected, shapes[index]))
        (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[-1]
        distance.append(float(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0)
    added = {
        "layer": [point_layer] * len(gdf),
        "feature": point_names,
        "inside": [bool(found) for found in inside_lists],
        "areas": ["; ".join(found) for found in inside_lists],
        "nearest_area": nearest,
        "distance_km": distance,
    }
    attributes = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).rename(
        columns={c: f"{c}_input" for c in added if c in gdf.columns}
    )
    table = pd.concat([pd.DataFrame(added, index=gdf.index), attributes], axis=1)
    return gpd.GeoDataFrame(table, geometry=gdf.geometry.values, crs="EPSG:4326")
