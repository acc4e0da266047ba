"""Export layers for QGIS and other GIS: one GeoPackage, or one GeoJSON file per layer.

:func:`export_layers` writes every bundled layer (or the layers and files given) with its
attributes and, for areas, the computed geodesic area and its low-high range
(``area_km2``, ``area_km2_low``, ``area_km2_high``, from :func:`amurgeo.analysis.area_table`).

* **GeoPackage** (``.gpkg``): one table per layer, named by its title ("Land of the Leopard
  National Park"; a file of yours by its name), with the catalog's description, source and
  licence as the table's description, and a table "Sources and licences" listing them all.
  It opens in QGIS by dragging the file onto the map.
* **GeoJSON folder**: one RFC 7946 file per layer (``land-of-the-leopard.geojson`` ...) and
  ``amurgeo-export.json``, which lists the layers with their sources and licences.

Everything is in lon/lat (EPSG:4326). Output is written atomically: into a temporary file or
folder beside the target, then moved in place, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo._progress import Progress
from amurgeo.errors import UsageError
from amurgeo.io import Source

__all__ = ["AREA_COLUMNS", "EXPORT_FORMATS", "MANIFEST", "SOURCES_TABLE", "export_layers"]

#: Formats :func:`export_layers` writes.
EXPORT_FORMATS = ("gpkg", "geojson")

#: Columns added to every area layer (km², geodesic; low and high from boundary uncertainty).
AREA_COLUMNS = ("area_km2", "area_km2_low", "area_km2_high")

#: Name of the GeoPackage table that lists every layer with its source and licence.
SOURCES_TABLE = "Sources and licences"

#: Name of the file that lists the layers of a GeoJSON export (and marks its folder as one).
MANIFEST = "amurgeo-export.json"

_AREA_KINDS = ("protected-area", "range")


def _format_of(path: Path, fmt: str | None) -> str:
    """The export format: `fmt`, else ``gpkg`` for a ``.gpkg`` path, ``geojson`` for a folder."""
    suffix = path.suffix.lower()
    if fmt is None:
        if suffix == ".gpkg":
            return "gpkg"
        if suffix == "" or path.is_dir():
            return "geojson"
        raise UsageError(
            f"output {str(path)!r}: cannot tell the format from {suffix!r}; give a .gpkg file "
            "or a folder (for one GeoJSON file per layer), or choose a format"
        )
    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"format {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "gpkg" and suffix != ".gpkg":
        raise UsageError(f"output {str(path)!r}: a GeoPackage must end in .gpkg")
    if fmt == "geojson" and suffix in (".gpkg", ".geojson", ".json"):
        raise UsageError(
            f"output {str(path)!r}: the geojson format writes a folder (one file per layer); "
            "give a folder path"
        )
    return fmt


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)` ... if it is taken (case-insensitively)."""
    candidate, count = name, 1
    while candidate.lower() in taken:
        count += 1
        candidate = f"{name} ({count})"
    taken.add(candidate.lower())
    return candidate


def _table_name(title: str) -> str:
    """A GeoPackage table name that GDAL accepts for `title`, as close to it as possible.

    GDAL refuses a name that starts with ASCII punctuation (``<``, ``"``, ``$``, ``-`` ...)
    and cuts a name at a NUL: such a name gets a leading ``_``; control characters go.
    """
    name = re.sub(r"[\x00-\x1f\x7f]+", " ", title).strip() or "layer"
    if name[0].isascii() and not (name[0].isalnum() or name[0] == "_"):
        name = f"_{name}"
    return name


def _file_stem(name: str) -> str:
    """A safe file name stem: letters, digits, dots, dashes and underscores."""
    stem = re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.")
    return stem or "layer"


def _has_polygons(gdf: gpd.GeoDataFrame) -> bool:
    """True if any feature is a polygon or multipolygon."""
    kinds = shapely.get_type_id(gdf.geometry.values)
    return bool(np.isin(kinds, (3, 6)).any())


def _with_areas(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`gdf` with ``area_km2``, ``area_km2_low`` and ``area_km2_high`` per feature."""
    from amurgeo.analysis import area_table

    table = area_table(gdf)
    rows = table.iloc[: len(gdf)]  # one row per feature in order, then the layer's "(all)"
    out = gdf.rename(columns={c: f"{c}_input" for c in AREA_COLUMNS if c in gdf.columns})
    geometry = out.geometry.name
    attributes = out.drop(columns=[geometry])
    for column in AREA_COLUMNS:
        attributes[column] = rows[column].to_numpy(dtype=float).round(3)
    return gpd.GeoDataFrame(attributes, geometry=out.geometry.values, crs=gdf.crs)


def _prepare(
    source: Source, entries: dict[str, dict[str, Any]]
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Read one layer; return it (with areas) and its description for the manifest."""
    from amurgeo.io import read_vector, require_features
    from amurgeo.schema import required_fields

    gdf = read_vector(source)
    require_features(gdf, "points, lines or areas to export")
    layer_id = str(gdf.attrs.get("layer_id") or "layer")
    entry = entries.get(layer_id)
    bundled = entry is not None and (
        gdf.attrs.get("source") == "catalog"
        or all(f in gdf.columns for f in required_fields(entry["kind"]))
    )
    info: dict[str, Any]
    if bundled and entry is not None:
        kind = str(entry["kind"])
        info = {
            "id": layer_id,
            "title": str(entry["title"]),
            "kind": kind,
            "description": str(entry.get("description", "")),
            "source": str(entry.get("source", "")),
            "license": str(entry.get("license", "")),
            "attribution": str(entry.get("attribution", "")),
        }
        compute = kind in _AREA_KINDS
    else:
        kinds = sorted(set(gdf.geom_type.dropna()))
        info = {
            "id": layer_id,
            "title": layer_id,
            "kind": "user",
            "description": f"Your layer {layer_id} ({', '.join(kinds) or 'no geometry'}).",
            # the file's name, not its full path (the export may be shared)
            "source": Path(str(gdf.attrs.get("source", ""))).name,
            "license": "",
            "attribution": "",
        }
        compute = _has_polygons(gdf)
    if compute:
        gdf = _with_areas(gdf)
    info["features"] = len(gdf)
    info["geometry_type"] = ", ".join(sorted(set(gdf.geom_type.dropna()))) or None
    info["area_columns"] = bool(compute)
    return gdf, info


def _description(info: dict[str, Any]) -> str:
    parts = [info["description"]]
    for label, key in (("Source", "source"), ("Licence", "license"), ("Credit", "attribution")):
        if info.get(key):
            parts.append(f"{label}: {info[key]}.")
    if info.get("area_columns"):
        parts.append(
            "area_km2: geodesic area (WGS84); area_km2_low/high: with the boundary moved in "
            "and out by its boundary_uncertainty_km."
        )
    return " ".join(p.strip() for p in parts if p and p.strip())


def _write_gpkg(target: Path, prepared: list[tuple[gpd.GeoDataFrame, dict[str, Any]]]) -> None:
    import pyogrio

    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        tmp = folder / target.name  # GDAL wants the .gpkg suffix
        for gdf, info in prepared:
            pyogrio.write_dataframe(
                gdf,
                tmp,
                layer=info["name"],
                driver="GPKG",
                layer_options={"IDENTIFIER": info["name"], "DESCRIPTION": _description(info)},
            )
        sources = pd.DataFrame(
            [
                {
                    "layer": info["name"],
                    "id": info["id"],
                    "kind": info["kind"],
                    "features": info["features"],
                    "source": info["source"],
                    "license": info["license"],
                    "attribution": info["attribution"],
                    "description": info["description"],
                }
                for _, info in prepared
            ]
        )
        pyogrio.write_dataframe(
            sources,
            tmp,
            layer=SOURCES_TABLE,
            driver="GPKG",
            layer_options={"DESCRIPTION": "Every layer of this file with its source and licence."},
        )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _previous_export(folder: Path) -> bool:
    """True if `folder` holds an earlier GeoJSON export and nothing else."""
    manifest = folder / MANIFEST
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["layers"]
        files = {str(layer["file"]) for layer in listed} | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return all(child.name in files and child.is_file() for child in folder.iterdir())


def _write_folder(target: Path, prepared: list[tuple[gpd.GeoDataFrame, dict[str, Any]]]) -> None:
    from amurgeo.geojson import to_geojson_text

    if target.exists():
        if not target.is_dir():
            raise UsageError(f"output {str(target)!r} is a file; expected a folder for GeoJSON")
        if any(target.iterdir()) and not _previous_export(target):
            raise UsageError(
                f"output folder {str(target)!r} is not empty and is not an earlier amurgeo "
                "export; choose a new folder"
            )
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"output folder {str(parent)!r} does not exist")
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        layers = []
        for gdf, info in prepared:
            text = to_geojson_text(gdf, name=info["name"])
            (folder / info["file"]).write_text(text, encoding="utf-8")
            layers.append(
                {k: info[k] for k in ("file", "name", "id", "kind", "features")}
                | {k: info[k] for k in ("source", "license", "attribution", "description")}
            )
        manifest = {"generator": "amurgeo export", "crs": "EPSG:4326", "layers": layers}
        (folder / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        os.chmod(folder, 0o755)
        for child in folder.iterdir():
            os.chmod(child, 0o644)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            os.replace(target, old / target.name)
            try:
                os.replace(folder, target)
            except OSError:
                os.replace(old / target.name, target)  # put the earlier export back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(folder, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(folder)


def export_layers(
    path: str | os.PathLike[str],
    layers: Sequence[Source] | Source | None = None,
    *,
    fmt: str | None = None,
) -> pd.DataFrame:
    """Write layers with their attributes and computed areas to a GeoPackage or a folder.

    Parameters
    ----------
    path
        A ``.gpkg`` file (replaced if it exists), or a folder for one GeoJSON file per layer
        (created; an earlier export in it is replaced, any other non-empty folder refused).
    layers
        Bundled layer ids or aliases, paths of vector files or GeoDataFrames; one or a list.
        Default: every bundled layer.
    fmt
        ``gpkg`` or ``geojson``; default: from `path` (``.gpkg``, or a folder).

    Returns
    -------
    pandas.DataFrame
        One row per layer written: ``name`` (GeoPackage layer or file name), ``id``,
        ``kind``, ``features``, ``geometry_type`` and ``area_columns`` (True where
        ``area_km2``, ``area_km2_low`` and ``area_km2_high`` were added: bundled protected
        areas and ranges, and your layers with polygons; not points, lines or the clipped
        countries).

    Raises
    ------
    UsageError
        For a path whose format is unclear, a missing folder, or a non-empty folder that is
        not an earlier export.
    DataError
        For a layer that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib, pyogrio
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "amur.gpkg"
    >>> written = export_layers(out, ["LotL", "activities"])
    >>> written[["name", "features", "area_columns"]]
                                       name  features  area_columns
    0     Land of the Leopard National Park         1          True
    1  Conservation organization activities        60         False
    >>> for name in pyogrio.list_layers(out)[:, 0]:
    ...     print(name)
    Land of the Leopard National Park
    Conservation organization activities
    Sources and licences
    """
    from amurgeo._atomic import check_output_path
    from amurgeo.catalog import catalog_entries

    target = Path(path)
    kind = _format_of(target, fmt)
    if kind == "gpkg":
        check_output_path(target)
    elif not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise UsageError(f"output folder {str(target.parent)!r} does not exist")
    if layers is not None and isinstance(layers, (str, os.PathLike, gpd.GeoDataFrame)):
        layers = [layers]
    if layers is not None and not len(layers):
        raise UsageError("`layers` is empty; name at least one layer or file, or pass None")
    entries = {e["id"]: e for e in catalog_entries()}
    sources: list[Source] = list(entries) if layers is None else list(layers)
    prepared = []
    names: set[str] = set()
    files: set[str] = set()
    with Progress("export", total=len(sources)) as progress:
        for source in sources:
            if isinstance(source, gpd.GeoDataFrame):
                label = str(source.attrs.get("layer_id") or "layer")
            else:
                label = os.fspath(source)
            progress.step(label)
            gdf, info = _prepare(source, entries)
            title = _table_name(info["title"]) if kind == "gpkg" else info["title"]
            info["name"] = _unique(title, names)
            stem = _unique(_file_stem(info["id"]), files)
            info["file"] = f"{stem}.geojson"
            prepared.append((gdf, info))
        progress.note(f"writing {target.name}")
        if kind == "gpkg":
            _write_gpkg(target, prepared)
        else:
            _write_folder(target, prepared)
    rows = [
        {
            "name": info["name"] if kind == "gpkg" else info["file"],
            "id": info["id"],
            "kind": info["kind"],
            "features": info["features"],
            "geometry_type": info["geometry_type"],
            "area_columns": info["area_columns"],
        }
        for _, info in prepared
    ]
    return pd.DataFrame(rows)
