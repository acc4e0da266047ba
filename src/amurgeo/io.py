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

What a user's file may hold, and what happens (every message names the file, and the feature
where there is one; see ``tests/test_bad_input.py`` for the whole corpus):

* Not vector data (malformed or truncated JSON, an empty file, random bytes, a table without
  geometry, a Shapefile without its ``.shx``): :class:`~amurgeo.errors.DataError`.
* Features with no geometry (``null``, empty, or a type GDAL cannot read): skipped with one
  warning that names them; a DataError if none is left. An empty FeatureCollection is an
  empty layer here; the commands refuse it (an area layer, a map, an export need features).
* Invalid polygons (self-intersecting, a hole outside its shell, a ring that is not closed):
  repaired (rings closed, :func:`shapely.make_valid`) with a warning per feature; a polygon
  with no area left (a ring of three points) is skipped.
* NaN or infinite coordinates: a DataError naming the feature.
* Coordinates outside ±180 / ±90 once in EPSG:4326 (a projected file saved as GeoJSON, which
  is always lon/lat, or huge numbers): a DataError naming the feature. When they would be
  lon/lat with x and y swapped (this region in latitude, longitude order puts 131 in the
  latitude), the message says so.
* A file whose features all lie far from the Amur region (:data:`REGION_BOUNDS`), for example
  Europe: read, with a warning to check the file and its axis order (a lon/lat swap that
  still gives valid degrees lands far away).
* Heights (Z) are kept but play no part: areas, overlaps and maps are 2-D.
* Text that is not UTF-8 (GeoJSON must be): read as Latin-1 with a warning.

No network: amurgeo reads local files and its bundled data, and makes no network call of its
own. A source given explicitly as a URL (``https://``, ``s3://``, ``/vsicurl/`` ...) is handed
to GDAL, which fetches it: that is the user's choice, made on the command line.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.errors import DataError, DataWarning, UsageError
from amurgeo.region import WARNING_BOUNDS

if TYPE_CHECKING:
    from amurgeo.wdpa import WdpaCleaning

__all__ = [
    "NAME_COLUMNS",
    "Source",
    "feature_labels",
    "geometry_kind",
    "label_column",
    "layer_name",
    "looks_like_path",
    "read_drawable",
    "read_vector",
    "require_features",
    "source_path",
]

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


def feature_labels(gdf: gpd.GeoDataFrame, name_col: str | None = None) -> list[str]:
    """Return a label for every feature: its name (see :func:`label_column`), else ``feature N``.

    ``N`` counts features from 1 in file order: it is the index + 1 when the index is made
    of distinct integers >= 0 (so features keep their number after others were skipped),
    else the position + 1. The name comes from `name_col`, ``gdf.attrs["name_col"]``, or the
    first usual name or id column: ``name`` (any case, as in KML or shapefiles), ``title``,
    ``label``, ``id``, ``fid``, ``code``, then a column ending in ``_id`` or ``ID``.

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


def _split_layer(text: str) -> tuple[str, str | None]:
    """Split ``path::layer`` into the path and the layer (None when there is no layer)."""
    if LAYER_SEPARATOR in text and not os.path.exists(text):
        path, _, layer = text.rpartition(LAYER_SEPARATOR)
        if path and layer:
            return path, layer
    return text, None


#: GDAL warnings while reading that amurgeo reports in its own words (or that do not matter).
_HANDLED_WARNINGS = (
    "invalid value encountered",  # NaN coordinates: refused by _check_finite
    "Non closed ring detected",  # closed by _read_closing_rings, with a warning
    "Unsupported geometry type",  # a null geometry: skipped by _drop_missing, with a warning
)


def _gdal_reason(exc: BaseException) -> str:
    """GDAL's message on one line, without its hints about drivers and config options."""
    parts = [" ".join(part.split()) for part in str(exc).split(";")]
    kept = [p for p in parts if p and not p.startswith(("It might help", "Set "))]
    return "; ".join(kept) or type(exc).__name__


def _gdal_read(path_text: str, layer: str, **kwargs: Any) -> gpd.GeoDataFrame:
    """Read a layer with pyogrio; re-issue GDAL's warnings as one line naming the file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = gpd.read_file(path_text, layer=layer, engine="pyogrio", **kwargs)
    _reissue(caught, path_text)
    return frame


def _reissue(caught: list[warnings.WarningMessage], path_text: str) -> None:
    seen = set()
    for item in caught:
        text = " ".join(str(item.message).split())
        if issubclass(item.category, ResourceWarning) or text in seen:
            continue
        seen.add(text)
        if not any(key in text for key in _HANDLED_WARNINGS):
            warnings.warn(f"{path_text}: {text}", DataWarning, stacklevel=4)


def _read_closing_rings(path_text: str, layer: str) -> gpd.GeoDataFrame:
    """Read a layer whose polygon rings are not closed (GDAL reads them; shapely would not).

    Each such ring is closed (its first point repeated at its end), with a warning that names
    the feature.
    """
    from pyogrio.raw import read

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            meta, _, wkb, _ = read(path_text, layer=layer, columns=[])
            attributes = gpd.read_file(
                path_text, layer=layer, engine="pyogrio", read_geometry=False
            )
            geoms = shapely.from_wkb(wkb, on_invalid="fix")
            unfixed = shapely.from_wkb(wkb, on_invalid="ignore")
    except Exception as exc:
        raise DataError(f"{path_text}: cannot read layer {layer!r}: {_gdal_reason(exc)}") from exc
    _reissue(caught, path_text)
    frame = gpd.GeoDataFrame(pd.DataFrame(attributes), geometry=geoms, crs=meta.get("crs"))
    labels = feature_labels(frame)
    for position in np.flatnonzero(shapely.is_missing(unfixed) & ~shapely.is_missing(geoms)):
        warnings.warn(
            f"{path_text}, feature {labels[position]!r}: a polygon ring is not closed; "
            "closed it by joining its last point to its first",
            DataWarning,
            stacklevel=4,
        )
    return frame


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
        elif path.suffix.lower() == ".shp" and not any(
            path.with_suffix(s).is_file() for s in (".shx", ".SHX")
        ):
            raise DataError(
                f"{path_text}: its index file {path.with_suffix('.shx').name} is missing; "
                "a Shapefile needs its .shp, .shx and .dbf files side by side"
            )
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layers = pyogrio.list_layers(path_text)
    except Exception as exc:
        reason = _gdal_reason(exc)
        raise DataError(
            f"{path_text}: cannot read as a vector file (GeoJSON, GeoPackage, Shapefile, KML "
            f"or another format GDAL reads): {reason}"
        ) from exc
    _reissue(caught, path_text)  # GDAL's warnings as amurgeo's, once (reading repeats them)
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
                DataWarning,
                stacklevel=3,
            )
    elif layer not in names:
        raise UsageError(f"{path_text}: has no layer {layer!r}; its layers are: {', '.join(names)}")
    try:
        frame = _gdal_read(path_text, layer)
    except UnicodeDecodeError as exc:
        # RFC 7946 and most drivers want UTF-8; files from older Windows tools are often
        # Latin-1 / cp1252, which decodes every byte: read it so, and say so
        try:
            frame = _gdal_read(path_text, layer, encoding="latin-1")
        except Exception:
            raise DataError(
                f"{path_text}: is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at "
                f"position {exc.start}); expected UTF-8: save it as UTF-8"
            ) from exc
        warnings.warn(
            f"{path_text}: is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position "
            f"{exc.start}); read it as Latin-1: check accented names, or save it as UTF-8",
            DataWarning,
            stacklevel=3,
        )
    except Exception as exc:
        if "closed linestring" not in str(exc):
            raise DataError(
                f"{path_text}: cannot read layer {layer!r}: {_gdal_reason(exc)}"
            ) from exc
        frame = _read_closing_rings(path_text, layer)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise DataError(f"{path_text}: has no geometry column; expected points, lines or areas")
    return frame


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


def _checked(gdf: gpd.GeoDataFrame, where: str, *, from_file: bool) -> gpd.GeoDataFrame:
    """Skip missing geometries, refuse NaN and non-lon/lat coordinates, reproject to 4326."""
    gdf = _drop_missing(gdf, where)
    _check_finite(gdf, where)
    gdf = _to_lonlat(gdf, where)
    _check_lonlat(gdf, where)
    if from_file:
        _warn_if_far(gdf, where)
    return gdf


def _repair(gdf: gpd.GeoDataFrame, layer: str, where: str) -> gpd.GeoDataFrame:
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


def _read_wdpa_parts(path_text: str) -> gpd.GeoDataFrame | None:
    """Read the polygons and points layers of a WDPA dataset as one frame (None if not one)."""
    from amurgeo.wdpa import dataset_parts

    parts = dataset_parts(path_text)
    if not parts:
        return None
    frames = [_read_file(part, layer) for part, layer in parts]
    frames = [f for f in frames if len(f)] or frames[:1]
    crs = frames[0].crs
    frames = [f if f.crs is None or crs is None or f.crs == crs else f.to_crs(crs) for f in frames]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # all-NA columns of one part
        joined = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry=frames[0].geometry.name, crs=crs)


def _wdpa_hook(
    gdf: gpd.GeoDataFrame, cleaning: WdpaCleaning | None, where: str
) -> gpd.GeoDataFrame:
    """A WDPA layer in amurgeo's area schema, cleaned for coverage; any other layer as is."""
    from amurgeo.wdpa import prepare_wdpa

    prepared = prepare_wdpa(gdf, cleaning=cleaning, where=where)
    return gdf if prepared is None else prepared


# --- end of WDPA hook ------------------------------------------------------------------------


def read_vector(
    source: Source,
    *,
    name: str | None = None,
    layer: str | None = None,
    wdpa: WdpaCleaning | None = None,
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
    wdpa
        How to clean a WDPA extract (default :class:`amurgeo.wdpa.WdpaCleaning`); a layer
        without WDPA attributes is not touched. See :mod:`amurgeo.wdpa`.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, with ``attrs["layer_id"]`` and ``attrs["source"]`` set. A WDPA
        extract (a File Geodatabase, zipped shapefiles or GeoPackage from Protected Planet,
        or a GeoDataFrame with WDPA attributes) comes in amurgeo's area attributes, cleaned
        for coverage, with ``attrs["wdpa"]`` saying what was left out
        (:func:`amurgeo.wdpa.prepare_wdpa`).

    Raises
    ------
    LayerNotFoundError
        For text that is neither a path nor a known layer (the message lists the layers).
    UsageError
        For a file that does not exist, a folder, or an unknown layer of a file.
    DataError
        For a file that cannot be read, is empty, has no geometry, has NaN or infinite
        coordinates, coordinates that are not lon/lat (no CRS, or beyond ±180 / ±90 in
        EPSG:4326; swapped axes are named), or no feature with a usable geometry.

    Warns
    -----
    DataWarning
        One line naming the file (or layer) and feature: features without geometry skipped,
        invalid geometries repaired, rings closed, text read as Latin-1, several layers in
        the file, or data that lies far from the Amur region.

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
        given = name or source.attrs.get("layer_id")
        gdf = _checked(
            source.copy(), f"layer {given!r}" if given else "GeoDataFrame", from_file=False
        )
        gdf = _wdpa_hook(gdf, wdpa, f"layer {given!r}" if given else "GeoDataFrame")
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
            frame = _read_wdpa_parts(path_text) if layer is None else None
            if frame is None:
                frame = _read_file(path_text, layer)
            gdf = _checked(frame, path_text, from_file=True)
            gdf = _wdpa_hook(gdf, wdpa, path_text)
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
    where = str(origin) if origin not in ("catalog", "GeoDataFrame") else f"layer {label!r}"
    gdf = _repair(gdf, label, where)
    gdf.attrs["layer_id"] = label
    gdf.attrs["source"] = origin
    return gdf


def read_drawable(source: Source) -> gpd.GeoDataFrame:
    """Read `source` for drawing (maps, figures): features with a geometry only.

    Raises
    ------
    DataError
        If the source has no features at all.

    Examples
    --------
    >>> len(read_drawable("hunchun"))
    1
    """
    gdf = read_vector(source)
    require_features(gdf, "points, lines or areas to draw")
    return gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
