"""Checks and repairs of what was read: lon/lat, missing and non-finite geometries, validity."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely

from amurgeo.errors import DataError, DataWarning
from amurgeo.io.layers import feature_labels
from amurgeo.region import WARNING_BOUNDS

__all__ = [
    "checked",
    "repair",
]

if TYPE_CHECKING:
    pass


def _swap_hint(xmin: float, ymin: float, xmax: float, ymax: float) -> str:
    """A hint when the coordinates would be lon/lat with x and y swapped."""
    if -90 <= xmin <= xmax <= 90 and -180 <= ymin <= ymax <= 180:
        return (
            "; they look like latitude, longitude: write longitude first "
            "(x = longitude, y = latitude)"
        )
    return ""


def _to_lonlat(gdf: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Return `gdf` in EPSG:4326; refuse a missing CRS unless coordinates are lon/lat."""
    if gdf.crs is None:
        geoms = gdf.geometry.values
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if present.any():
            xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[present])
            if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
                hint = _swap_hint(xmin, ymin, xmax, ymax) or (
                    "; save it with its CRS (for example a .prj file) or reproject it to EPSG:4326"
                )
                raise DataError(
                    f"{where}: has no CRS and its coordinates "
                    f"({xmin:.6g}, {ymin:.6g} to {xmax:.6g}, {ymax:.6g}) are not lon/lat "
                    f"degrees{hint}"
                )
        return gdf.set_crs("EPSG:4326")
    if gdf.crs.equals("EPSG:4326"):
        return gdf
    try:
        return gdf.to_crs("EPSG:4326")
    except Exception as exc:
        raise DataError(f"{where}: cannot reproject from {gdf.crs} to EPSG:4326 ({exc})") from exc


def _present(geoms: np.ndarray) -> np.ndarray:
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def _drop_missing(gdf: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Skip features with no (or an empty) geometry, with one warning; refuse if all are."""
    missing = ~_present(gdf.geometry.values)
    if not missing.any():
        return gdf
    labels = feature_labels(gdf)
    names = [labels[i] for i in np.flatnonzero(missing)]
    if missing.all():
        raise DataError(
            f"{where}: none of its {len(gdf)} features has a geometry (first: {names[0]!r}); "
            "expected points, lines or areas"
        )
    shown = ", ".join(repr(n) for n in names[:3])
    if len(names) > 3:
        shown += f" and {len(names) - 3} more"
    warnings.warn(
        f"{where}: skipped {len(names)} feature{'s' if len(names) > 1 else ''} with no "
        f"geometry (missing, empty or of a type GDAL cannot read): {shown}",
        DataWarning,
        stacklevel=4,
    )
    return gdf[~missing]  # keeps the index, so "feature N" still counts in file order


def _check_finite(gdf: gpd.GeoDataFrame, where: str) -> None:
    """Refuse NaN or infinite coordinates, naming the first feature that has one."""
    coords, index = shapely.get_coordinates(gdf.geometry.values, return_index=True)
    bad = ~np.isfinite(coords).all(axis=1)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        x, y = coords[first]
        label = feature_labels(gdf)[int(index[first])]
        raise DataError(
            f"{where}, feature {label!r}: has a coordinate that is not a finite number "
            f"({x:g}, {y:g}); expected longitude and latitude (or x and y in its CRS)"
        )


def _check_lonlat(gdf: gpd.GeoDataFrame, where: str) -> None:
    """Refuse lon/lat coordinates beyond ±180 / ±90 (a projected file labelled EPSG:4326)."""
    coords, index = shapely.get_coordinates(gdf.geometry.values, return_index=True)
    bad = ~((np.abs(coords[:, 0]) <= 180.0) & (np.abs(coords[:, 1]) <= 90.0))
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    x, y = coords[first]
    label = feature_labels(gdf)[int(index[first])]
    xmin, ymin = coords.min(axis=0)
    xmax, ymax = coords.max(axis=0)
    hint = _swap_hint(xmin, ymin, xmax, ymax) or (
        "; is it in a projected CRS such as UTM? Save it with its CRS (for example as a "
        "GeoPackage, or a Shapefile with its .prj) or reproject it to EPSG:4326 "
        "(GeoJSON is always lon/lat)"
    )
    raise DataError(
        f"{where}, feature {label!r}: coordinates ({x:.6g}, {y:.6g}) are outside longitude "
        f"-180..180 / latitude -90..90; expected lon/lat degrees{hint}"
    )


def _warn_if_far(gdf: gpd.GeoDataFrame, where: str) -> None:
    """Warn when every feature of a file lies far from the Amur region."""
    if not len(gdf):
        return
    xmin, ymin, xmax, ymax = shapely.total_bounds(gdf.geometry.values)
    west, south, east, north = WARNING_BOUNDS
    if xmax < west or xmin > east or ymax < south or ymin > north:
        warnings.warn(
            f"{where}: lies far from the Amur region (longitude {xmin:.6g} to {xmax:.6g}, "
            f"latitude {ymin:.6g} to {ymax:.6g}); check that it is the right file and that "
            "its coordinates are longitude, latitude in that order",
            DataWarning,
            stacklevel=4,
        )


def checked(gdf: gpd.GeoDataFrame, where: str, *, from_file: bool) -> gpd.GeoDataFrame:
    """Skip missing geometries, refuse NaN and non-lon/lat coordinates, reproject to 4326."""
    gdf = _drop_missing(gdf, where)
    _check_finite(gdf, where)
    gdf = _to_lonlat(gdf, where)
    _check_lonlat(gdf, where)
    if from_file:
        _warn_if_far(gdf, where)
    return gdf


def repair(gdf: gpd.GeoDataFrame, layer: str, where: str) -> gpd.GeoDataFrame:
    """Repair invalid geometries with make_valid, warning once per repaired feature.

    A polygon that keeps no area (a ring of three points) is skipped; if no feature is left,
    that is a DataError that names `where`.
    """
    geoms = gdf.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    invalid = np.flatnonzero(present & ~shapely.is_valid(geoms))
    if not len(invalid):
        return gdf
    labels = feature_labels(gdf)
    repaired = np.array(geoms, dtype=object)
    for position in invalid:
        reason = shapely.is_valid_reason(geoms[position])
        fixed = shapely.make_valid(geoms[position])
        kind = geoms[position].geom_type
        polygonal = ("Polygon", "MultiPolygon")
        if kind in polygonal and fixed.geom_type not in polygonal:
            # keep the areas; a collapsed sliver or spike is not part of a polygon
            parts = [g for g in getattr(fixed, "geoms", [fixed]) if "Polygon" in g.geom_type]
            fixed = shapely.union_all(parts) if parts else shapely.Polygon()
        outcome = "repaired with make_valid" if not fixed.is_empty else "nothing is left; skipped"
        warnings.warn(
            f"layer {layer!r}, feature {labels[position]!r}: invalid geometry ({reason}) {outcome}",
            DataWarning,
            stacklevel=3,
        )
        repaired[position] = fixed
    out = gdf.copy()
    out[out.geometry.name] = gpd.GeoSeries(repaired, index=gdf.index, crs=gdf.crs)
    left = _present(out.geometry.values)
    if not left.all():
        # a polygon of two distinct points has no area, and is no line either
        if not left.any():
            raise DataError(
                f"{where}: none of its {len(out)} features has a usable geometry (each "
                "collapsed when repaired); expected points, lines or areas"
            )
        out = out[left]
    return out


# --- WDPA hook (amurgeo.wdpa): what Protected Planet ships, read as one area layer ----------
