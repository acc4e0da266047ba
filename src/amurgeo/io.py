"""Read vector data from anywhere: a bundled layer id, any file GDAL reads, or a GeoDataFrame.

:func:`read_vector` is the one door through which analysis, maps and exports take their input.
Whatever comes in leaves as a GeoDataFrame in EPSG:4326 (lon/lat, WGS84) with

* ``gdf.attrs["layer_id"]``: the name of the layer (catalog id, file stem, or the name given),
* ``gdf.attrs["source"]``: where it came from (``"catalog"``, the file path, or
  ``"GeoDataFrame"``),
* valid geometries: invalid ones are repaired with :func:`shapely.make_valid` and a warning
  that names the layer and the feature.

Rules for a source given as text:

* an existing file or folder, or text that looks like a path (it has a folder separator or a
  file suffix such as ``.gpkg``), is read as a file, with the pyogrio engine;
  ``parks.gpkg::reserves`` picks the layer ``reserves`` of a file that holds several;
* anything else is a bundled layer id, title or alias (:func:`amurgeo.catalog.resolve_layer_id`).

A file in another CRS is reprojected to EPSG:4326. A file (or GeoDataFrame) with no CRS is
taken to be lon/lat only if every coordinate lies within ±180 / ±90; otherwise it is an error,
never a silent guess.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.errors import DataError, UsageError

__all__ = ["Source", "feature_labels", "layer_name", "looks_like_path", "read_vector"]

#: What :func:`read_vector` accepts: a layer id or alias, a path, or a GeoDataFrame.
Source: TypeAlias = str | os.PathLike[str] | gpd.GeoDataFrame

#: Separator between a file path and the name of one of its layers.
LAYER_SEPARATOR = "::"

_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_REMOTE = ("/vsi", "http://", "https://", "ftp://", "s3://", "gs://")


def looks_like_path(text: str) -> bool:
    """Tell whether `text` should be read as a file path rather than as a layer id.

    True for an existing file or folder, for text with a folder separator, and for text that
    ends in a file suffix (``.geojson``, ``.gpkg``, ``.shp`` ...).

    Examples
    --------
    >>> looks_like_path("parks.gpkg"), looks_like_path("data/parks"), looks_like_path("LotL")
    (True, True, False)
    """
    text = str(text)
    if text.startswith(_REMOTE) or os.path.exists(text):
        return True
    if "/" in text or os.sep in text or (os.altsep and os.altsep in text):
        return True
    return bool(_SUFFIX.search(text))


def layer_name(gdf: gpd.GeoDataFrame, default: str = "layer") -> str:
    """Return the layer name :func:`read_vector` stored on `gdf` (or `default`)."""
    name = gdf.attrs.get("layer_id")
    return str(name) if name else default


def feature_labels(gdf: gpd.GeoDataFrame) -> list[str]:
    """Return a label for every feature: its ``name`` attribute, else ``feature N``.

    ``N`` counts features from 1 in file order. A ``Name`` or ``NAME`` column (as in KML or
    shapefiles) counts as ``name``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> gdf = gpd.GeoDataFrame({"name": ["Barabash", None]}, geometry=[Point(0, 0)] * 2)
    >>> feature_labels(gdf)
    ['Barabash', 'feature 2']
    """
    column = next((c for c in gdf.columns if str(c).lower() == "name"), None)
    values = gdf[column].tolist() if column is not None else [None] * len(gdf)
    labels = []
    for position, value in enumerate(values, start=1):
        text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else value
        labels.append(" ".join(str(text).split()) or f"feature {position}")
    return labels


def _split_layer(text: str) -> tuple[str, str | None]:
    """Split ``path::layer`` into the path and the layer (None when there is no layer)."""
    if LAYER_SEPARATOR in text and not os.path.exists(text):
        path, _, layer = text.rpartition(LAYER_SEPARATOR)
        if path and layer:
            return path, layer
    return text, None


def _read_file(path_text: str, layer: str | None) -> gpd.GeoDataFrame:
    """Read one layer of a vector file with pyogrio, raising one-line amurgeo errors."""
    import pyogrio

    remote = path_text.startswith(_REMOTE)
    path = Path(path_text)
    if not remote:
        if not path.exists():
            raise UsageError(f"{path_text}: file does not exist")
        if path.is_dir():
            # a File Geodatabase or a folder of shapefiles is a dataset; other folders are not
            if path.suffix.lower() != ".gdb" and not any(path.glob("*.shp")):
                raise UsageError(f"{path_text}: is a folder; expected a vector file")
        elif path.stat().st_size == 0:
            raise DataError(f"{path_text}: file is empty; expected a vector file")
    try:
        layers = pyogrio.list_layers(path_text)
    except Exception as exc:
        reason = " ".join(str(exc).split(";")[0].split())
        raise DataError(
            f"{path_text}: cannot read as a vector file (GeoJSON, GeoPackage, Shapefile, KML "
            f"or another format GDAL reads): {reason}"
        ) from exc
    names = [str(n) for n in layers[:, 0]] if len(layers) else []
    if not names:
        raise DataError(f"{path_text}: holds no vector layer")
    if layer is None:
        layer = names[0]
        if len(names) > 1:
            others = ", ".join(repr(n) for n in names[1:])
            warnings.warn(
                f"{path_text}: has {len(names)} layers; reading {layer!r} (others: {others}); "
                f"write {path_text}{LAYER_SEPARATOR}NAME to choose one",
                UserWarning,
                stacklevel=3,
            )
    elif layer not in names:
        raise UsageError(f"{path_text}: has no layer {layer!r}; its layers are: {', '.join(names)}")
    try:
        frame = gpd.read_file(path_text, layer=layer, engine="pyogrio")
    except Exception as exc:
        reason = " ".join(str(exc).split())
        raise DataError(f"{path_text}: cannot read layer {layer!r}: {reason}") from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise DataError(f"{path_text}: has no geometry column; expected points, lines or areas")
    return frame


def _to_lonlat(gdf: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Return `gdf` in EPSG:4326; refuse a missing CRS unless coordinates are lon/lat."""
    if gdf.crs is None:
        geoms = gdf.geometry.values
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if present.any():
            xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[present])
            if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
                raise DataError(
                    f"{where}: has no CRS and its coordinates "
                    f"({xmin:.6g}, {ymin:.6g} to {xmax:.6g}, {ymax:.6g}) are not lon/lat "
                    "degrees; save it with its CRS (for example a .prj file) or reproject it "
                    "to EPSG:4326"
                )
        return gdf.set_crs("EPSG:4326")
    if gdf.crs.equals("EPSG:4326"):
        return gdf
    try:
        return gdf.to_crs("EPSG:4326")
    except Exception as exc:
        raise DataError(f"{where}: cannot reproject from {gdf.crs} to EPSG:4326 ({exc})") from exc


def _repair(gdf: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    """Repair invalid geometries with make_valid, warning once per repaired feature."""
    geoms = gdf.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    invalid = np.flatnonzero(present & ~shapely.is_valid(geoms))
    if not len(invalid):
        return gdf
    labels = feature_labels(gdf)
    repaired = np.array(geoms, dtype=object)
    for position in invalid:
        reason = shapely.is_valid_reason(geoms[position])
        warnings.warn(
            f"layer {layer!r}, feature {labels[position]!r}: invalid geometry ({reason}) "
            "repaired with make_valid",
            UserWarning,
            stacklevel=3,
        )
        fixed = shapely.make_valid(geoms[position])
        kind = geoms[position].geom_type
        if kind in ("Polygon", "MultiPolygon") and fixed.geom_type == "GeometryCollection":
            # keep the areas; a collapsed sliver or spike is not part of a polygon
            parts = [g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            fixed = shapely.union_all(parts) if parts else shapely.Polygon()
        repaired[position] = fixed
    out = gdf.copy()
    out[out.geometry.name] = gpd.GeoSeries(repaired, index=gdf.index, crs=gdf.crs)
    return out


def read_vector(
    source: Source, *, name: str | None = None, layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read `source` as a GeoDataFrame in EPSG:4326 with valid geometries.

    Parameters
    ----------
    source
        A bundled layer id, title or alias (``"LotL"``); a path to any vector file GDAL reads
        (GeoJSON, GeoPackage, Shapefile, KML, FlatGeobuf ...), optionally ``path::layer``; or a
        GeoDataFrame (not modified; a copy is returned).
    name
        Layer name to record in ``attrs["layer_id"]``. Defaults to the catalog id, the file
        stem, or the GeoDataFrame's own ``attrs["layer_id"]`` (else ``"layer"``).
    layer
        Layer to read from a file that holds several (default: the first, with a warning).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, with ``attrs["layer_id"]`` and ``attrs["source"]`` set.

    Raises
    ------
    LayerNotFoundError
        For text that is neither a path nor a known layer (the message lists the layers).
    UsageError
        For a file that does not exist, a folder, or an unknown layer of a file.
    DataError
        For a file that cannot be read, is empty, has no geometry, or has no CRS while its
        coordinates are not lon/lat.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> utm = gpd.GeoDataFrame(
    ...     {"name": ["box"]}, geometry=[box(300000, 4750000, 310000, 4760000)], crs=32652
    ... )
    >>> gdf = read_vector(utm, name="my-box")
    >>> gdf.crs.to_epsg(), gdf.attrs["layer_id"], round(float(gdf.total_bounds[0]), 3)
    (4326, 'my-box', 126.548)
    """
    if isinstance(source, gpd.GeoDataFrame):
        where = name or source.attrs.get("layer_id") or "GeoDataFrame"
        gdf = _to_lonlat(source.copy(), str(where))
        label = str(name or source.attrs.get("layer_id") or "layer")
        origin = str(source.attrs.get("source", "GeoDataFrame"))
    elif isinstance(source, pd.DataFrame):
        raise UsageError("source is a DataFrame without geometry; expected a GeoDataFrame")
    elif isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        if not isinstance(text, str):
            raise UsageError(f"source {text!r} is not a text path")
        path_text, file_layer = _split_layer(text)
        layer = layer or file_layer
        if isinstance(source, os.PathLike) or looks_like_path(path_text):
            frame = _read_file(path_text, layer)
            gdf = _to_lonlat(frame, path_text)
            stem = Path(path_text.rstrip("/\\")).stem or path_text
            label = name or (f"{stem}{LAYER_SEPARATOR}{layer}" if file_layer else stem)
            origin = path_text
        else:
            from amurgeo.catalog import load_layer, resolve_layer_id

            label = name or resolve_layer_id(text)
            gdf = load_layer(text)
            origin = "catalog"
    else:
        raise UsageError(
            f"source {source!r} is a {type(source).__name__}; expected a layer id, "
            "a file path or a GeoDataFrame"
        )
    gdf = _repair(gdf, label)
    gdf.attrs["layer_id"] = label
    gdf.attrs["source"] = origin
    return gdf
