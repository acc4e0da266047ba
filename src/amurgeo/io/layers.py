"""What a layer read by amurgeo is: its source, name, geometry kind and feature labels."""

from __future__ import annotations

import os
import re
import warnings
from typing import TYPE_CHECKING, Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd

from amurgeo.errors import DataError, DataWarning, UsageError

__all__ = [
    "LAYER_SEPARATOR",
    "NAME_COLUMNS",
    "REMOTE_PREFIXES",
    "Source",
    "feature_labels",
    "geometry_kind",
    "label_column",
    "layer_name",
    "looks_like_path",
    "require_features",
    "source_path",
    "unnamed_message",
    "warn_unnamed",
]

if TYPE_CHECKING:
    pass


#: What :func:`read_vector` accepts: a layer id or alias, a path, or a GeoDataFrame.
Source: TypeAlias = str | os.PathLike[str] | gpd.GeoDataFrame

#: Separator between a file path and the name of one of its layers.
LAYER_SEPARATOR = "::"

_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
REMOTE_PREFIXES = ("/vsi", "http://", "https://", "ftp://", "s3://", "gs://")


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
    if text.startswith(REMOTE_PREFIXES) or os.path.exists(text):
        return True
    if "/" in text or os.sep in text or (os.altsep and os.altsep in text):
        return True
    return bool(_SUFFIX.search(text))


def source_path(gdf: gpd.GeoDataFrame) -> str | None:
    """The file :func:`read_vector` read `gdf` from (None for a bundled layer or a frame)."""
    origin = gdf.attrs.get("source")
    return None if origin in (None, "catalog", "GeoDataFrame") else str(origin)


def require_features(gdf: gpd.GeoDataFrame, expected: str) -> None:
    """Refuse a layer read from a file that has no features (a wrong file, or a failed export).

    An empty GeoDataFrame passed in code is fine: it is an empty result, not a wrong file.
    """
    path = source_path(gdf)
    if path is not None and not len(gdf):
        raise DataError(f"{path}: has no features; expected {expected}")


def layer_name(gdf: gpd.GeoDataFrame, default: str = "layer") -> str:
    """Return the layer name :func:`read_vector` stored on `gdf` (or `default`)."""
    name = gdf.attrs.get("layer_id")
    return str(name) if name else default


def geometry_kind(gdf: gpd.GeoDataFrame) -> str:
    """Classify a user layer by its geometries, for drawing it.

    Returns ``user-points``, ``user-lines``, ``user-areas`` or ``user-mixed``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> geometry_kind(gpd.GeoDataFrame(geometry=[Point(0, 0), None]))
    'user-points'
    >>> geometry_kind(gpd.GeoDataFrame(geometry=[Point(0, 0), box(0, 0, 1, 1)]))
    'user-mixed'
    """
    types = set(gdf.geom_type.dropna())
    if types and types <= {"Point", "MultiPoint"}:
        return "user-points"
    if types and types <= {"LineString", "MultiLineString"}:
        return "user-lines"
    if types and types <= {"Polygon", "MultiPolygon"}:
        return "user-areas"
    return "user-mixed"


#: Columns that name features, by preference (case-insensitive): names first, then ids.
NAME_COLUMNS = ("name", "title", "label", "id", "fid", "code")


def label_column(gdf: gpd.GeoDataFrame, name_col: str | None = None) -> Any:
    """The column that names `gdf`'s features, or None.

    `name_col` (or ``gdf.attrs["name_col"]``) when given; else the first of
    :data:`NAME_COLUMNS` (any case), then a column whose name ends in ``_id`` or ``ID``
    (``block_id``, ``SiteID``).

    Raises
    ------
    UsageError
        When `name_col` is not a column of `gdf`.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> label_column(gpd.GeoDataFrame({"block_id": ["B1"], "x": [1]}, geometry=[Point(0, 0)]))
    'block_id'
    """
    given = name_col or gdf.attrs.get("name_col")
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    if given:
        found = next((c for c in columns if str(c) == given), None)
        found = found or next((c for c in columns if str(c).casefold() == given.casefold()), None)
        if found is None:
            where = gdf.attrs.get("source") or gdf.attrs.get("layer_id") or "layer"
            shown = ", ".join(str(c) for c in columns[:20]) or "none"
            raise UsageError(
                f"{where}: has no column {given!r} to name features; its columns are: {shown}"
            )
        return found
    lowered = {str(c).casefold(): c for c in reversed(columns)}
    for name in NAME_COLUMNS:
        if name in lowered:
            return lowered[name]
    return next((c for c in columns if str(c).endswith(("_id", "ID", "_ID", "Id"))), None)


def feature_labels(
    gdf: gpd.GeoDataFrame, name_col: str | None = None, *, hint: bool = False
) -> list[str]:
    """Return a label for every feature: its name (see :func:`label_column`), else ``feature N``.

    ``N`` counts features from 1 in file order: it is the index + 1 when the index is made
    of distinct integers >= 0 (so features keep their number after others were skipped),
    else the position + 1. The name comes from `name_col`, ``gdf.attrs["name_col"]``, or the
    first usual name or id column: ``name`` (any case, as in KML or shapefiles), ``title``,
    ``label``, ``id``, ``fid``, ``code``, then a column ending in ``_id`` or ``ID``.

    With `hint` (where the labels name a result's rows), a layer with no such column gets
    one :class:`~amurgeo.errors.DataWarning` that lists its columns and says how to choose
    one (``--name-col COL``, ``name_col=``), once (see :func:`unnamed_message`).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> gdf = gpd.GeoDataFrame({"name": ["Barabash", None]}, geometry=[Point(0, 0)] * 2)
    >>> feature_labels(gdf)
    ['Barabash', 'feature 2']
    >>> blocks = gpd.GeoDataFrame({"block_id": ["B7", "B9"]}, geometry=[Point(0, 0)] * 2)
    >>> feature_labels(blocks)
    ['B7', 'B9']
    """
    column = label_column(gdf, name_col)
    if column is None and hint:
        warn_unnamed(unnamed_message(gdf, name_col))
    values = gdf[column].tolist() if column is not None else [None] * len(gdf)
    index = gdf.index
    numbers: Any = range(1, len(gdf) + 1)
    if pd.api.types.is_integer_dtype(index.dtype) and index.is_unique and (index >= 0).all():
        numbers = (index + 1).tolist()
    labels = []
    for number, value in zip(numbers, values, strict=True):
        text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else value
        labels.append(" ".join(str(text).split()) or f"feature {number}")
    return labels


def unnamed_message(gdf: gpd.GeoDataFrame, name_col: str | None = None) -> str | None:
    """Why `gdf`'s features are numbered and how to name them; None if they are named.

    None too for one feature (the layer's name tells it), a bundled layer, and a layer with
    no column but its geometry and measurements (floats name nothing).
    """
    names = [c for c in gdf.columns if c != gdf.geometry.name]
    columns = [str(c) for c in names]
    could_name = [c for c in names if not pd.api.types.is_float_dtype(gdf[c].dtype)]
    if len(gdf) < 2 or not could_name or gdf.attrs.get("source") == "catalog":
        return None
    if label_column(gdf, name_col) is not None:
        return None
    where = gdf.attrs.get("source") or gdf.attrs.get("layer_id") or "layer"
    shown = ", ".join(columns[:20]) + (" ..." if len(columns) > 20 else "")
    return (
        f"{where}: no name or id column, so its features are labelled 'feature 1', "
        f"'feature 2' ...; its columns are: {shown}: use --name-col COL (name_col= in Python)"
    )


def warn_unnamed(message: str | None) -> None:
    """Warn with an :func:`unnamed_message`, once: repeats are not shown again."""
    if message is not None:
        # attributed to this line, so Python's default filter shows a layer's warning once
        warnings.warn(message, DataWarning, stacklevel=1)
