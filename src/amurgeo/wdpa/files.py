"""Finding the WDPA layers in what Protected Planet ships (File Geodatabase, zips, GeoPackage)."""

from __future__ import annotations

import os
import warnings
import zipfile
from pathlib import Path

from amurgeo.wdpa.schema import wdpa_schema

__all__ = [
    "dataset_parts",
]


def _is_wdpa_layer(path: str, layer: str) -> bool:
    import pyogrio

    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception:
        return False
    if info.get("geometry_type") in (None, "None", "Unknown"):
        return False  # a table (Protected Planet's source table), not a layer to draw
    return wdpa_schema(list(info.get("fields", []))) is not None


def _spatial_wdpa_layers(path: str) -> list[tuple[str, str]]:
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = pyogrio.list_layers(path)
    except Exception:
        return []
    # polygons first, then points, each in the dataset's order
    spatial = [(str(row[0]), str(row[1])) for row in layers if row[1] is not None]
    spatial.sort(key=lambda item: "Point" in item[1])
    return [(path, name) for name, _ in spatial if _is_wdpa_layer(path, name)]


def dataset_parts(path_text: str) -> list[tuple[str, str]] | None:
    """The WDPA layers to read together from a dataset Protected Planet ships.

    A File Geodatabase or GeoPackage with a polygons and a points layer, a zip of the
    ``_polygons`` and ``_points`` shapefiles, or a zip of such zips (Protected Planet splits
    its downloads in three) is one WDPA layer made of several. Returns ``(dataset, layer)``
    pairs to read and join, or None when `path_text` is not such a dataset (it is then read
    as any other file).
    """
    if path_text.startswith(("/vsi", "http://", "https://", "ftp://", "s3://", "gs://")):
        return None
    path = Path(path_text)
    if not path.exists():
        return None
    if path.is_file() and path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        if any(m.lower().endswith(".shp") for m in members):
            parts = _spatial_wdpa_layers(path_text)
            return parts if len(parts) > 1 else None
        outer = os.path.abspath(path_text)
        parts = []
        for member in sorted(m for m in members if m.lower().endswith(".zip")):
            parts += _spatial_wdpa_layers(f"/vsizip/{{/vsizip/{outer}/{member}}}")
        return parts or None
    if path.is_dir() or path.suffix.lower() in (".gpkg", ".gdb", ".sqlite", ".fgb"):
        parts = _spatial_wdpa_layers(path_text)
        return parts if len(parts) > 1 else None
    return None


# --------------------------------------------------------------------------------------------
# Point records as circles
# --------------------------------------------------------------------------------------------
