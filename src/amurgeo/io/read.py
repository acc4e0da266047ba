"""Read a layer id, any file GDAL reads, or a GeoDataFrame, as a checked lon/lat GeoDataFrame."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.errors import DataError, DataWarning, UsageError
from amurgeo.io.checks import checked, repair
from amurgeo.io.layers import (
    LAYER_SEPARATOR,
    REMOTE_PREFIXES,
    Source,
    feature_labels,
    looks_like_path,
    require_features,
)

if TYPE_CHECKING:
    from amurgeo.wdpa import WdpaCleaning

__all__ = [
    "read_drawable",
    "read_vector",
]


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


def _check_local_file(path_text: str) -> None:
    """Refuse a local path that is missing, an ordinary folder, empty or a lone ``.shp``."""
    path = Path(path_text)
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


def _choose_layer(path_text: str, layer: str | None) -> str:
    """The layer to read: `layer` if the file has it, else the first (with a warning if more)."""
    import pyogrio

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
        if len(names) > 1:
            others = ", ".join(repr(n) for n in names[1:])
            warnings.warn(
                f"{path_text}: has {len(names)} layers; reading {names[0]!r} (others: {others}); "
                f"write {path_text}{LAYER_SEPARATOR}NAME to choose one",
                DataWarning,
                stacklevel=4,
            )
        return names[0]
    if layer not in names:
        raise UsageError(f"{path_text}: has no layer {layer!r}; its layers are: {', '.join(names)}")
    return layer


def _read_layer(path_text: str, layer: str) -> Any:
    """Read `layer` with GDAL: Latin-1 if it is not UTF-8, unclosed rings closed."""
    try:
        return _gdal_read(path_text, layer)
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
            stacklevel=4,
        )
        return frame
    except Exception as exc:
        if "closed linestring" not in str(exc):
            raise DataError(
                f"{path_text}: cannot read layer {layer!r}: {_gdal_reason(exc)}"
            ) from exc
        return _read_closing_rings(path_text, layer)


def _read_file(path_text: str, layer: str | None) -> gpd.GeoDataFrame:
    """Read one layer of a vector file with pyogrio, raising one-line amurgeo errors."""
    if not path_text.startswith(REMOTE_PREFIXES):
        _check_local_file(path_text)
    frame = _read_layer(path_text, _choose_layer(path_text, layer))
    if not isinstance(frame, gpd.GeoDataFrame):
        raise DataError(f"{path_text}: has no geometry column; expected points, lines or areas")
    return frame


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
        gdf = checked(
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
            gdf = checked(frame, path_text, from_file=True)
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
    gdf = repair(gdf, label, where)
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
