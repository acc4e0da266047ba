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

import json
import os
import re
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
from amurgeo.output import Destination, Output, check_output, updating_geopackage, writing_folder

__all__ = [
    "AREA_COLUMNS",
    "EXPORT_FORMATS",
    "MANIFEST",
    "SOURCES_TABLE",
    "export_layers",
    "write_layer",
]

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


def _named(gdf: gpd.GeoDataFrame, name_col: str) -> gpd.GeoDataFrame:
    """`gdf` with a ``name`` column from `name_col` (an earlier ``name`` kept as ``name_input``).

    So that QGIS, amurgeo and other tools label the features by the column the user chose.
    A layer without `name_col` is returned as it is, with ``attrs["name_col_missing"]``.
    """
    from amurgeo.io import feature_labels, label_column

    try:
        column = label_column(gdf, name_col)
    except UsageError as error:
        gdf.attrs["name_col_missing"] = str(error)
        return gdf
    if str(column) == "name":
        return gdf
    labels = feature_labels(gdf, name_col, hint=True)
    out = gdf.rename(columns={"name": "name_input"}) if "name" in gdf.columns else gdf.copy()
    out.insert(0, "name", labels)
    return out


def _distinct_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`gdf` with column names distinct regardless of case (GeoPackage fields are not).

    A CSV's ``Species`` beside the ``species`` key amurgeo adds: the later one becomes
    ``species_2``.
    """
    seen: set[str] = set()
    renames = {}
    for column in gdf.columns:
        key = str(column).casefold()
        if key in seen:
            number = 2
            while f"{key}_{number}" in seen:
                number += 1
            renames[column] = f"{column}_{number}"
            key = f"{key}_{number}"
        seen.add(key)
    return gdf.rename(columns=renames) if renames else gdf


def _prepare(
    source: Source, entries: dict[str, dict[str, Any]], name_col: str | None = None
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Read one layer; return it (with areas) and its description for the manifest."""
    from amurgeo.io import read_vector, require_features
    from amurgeo.observations.read import read_points_or_layer
    from amurgeo.schema import required_fields

    gdf = _distinct_columns(read_points_or_layer(source, read_vector))  # a CSV of points too
    require_features(gdf, "points, lines or areas to export")
    missing = None
    if name_col:
        gdf = _named(gdf, name_col)
        missing = gdf.attrs.pop("name_col_missing", None)
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
            # the titles in Russian and Chinese, from the catalog (as the map shows them)
            "title_ru": entry.get("title_ru") or None,
            "title_zh": entry.get("title_zh") or None,
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
            "title_ru": None,
            "title_zh": None,
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
    info["name_col_missing"] = missing
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


def _sources_rows(prepared: list[tuple[gpd.GeoDataFrame, dict[str, Any]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "layer": info["name"],
                "title_ru": info["title_ru"],
                "title_zh": info["title_zh"],
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


def _merged_sources(copy: Path, new: pd.DataFrame, out: Output) -> pd.DataFrame:
    """The table of sources: rows of an earlier export's other layers kept, then the new ones."""
    import pyogrio

    if not copy.exists():
        return new
    layers = {str(n).lower() for n in pyogrio.list_layers(copy)[:, 0]}
    if SOURCES_TABLE.lower() not in layers:
        return new
    old = pyogrio.read_dataframe(copy, layer=SOURCES_TABLE, read_geometry=False)
    if "layer" not in old.columns:
        if out.overwrite:
            return new
        raise UsageError(
            f"output {out.spec!r} already has a table {SOURCES_TABLE!r} that amurgeo did not "
            "write; give --overwrite (overwrite=True) to replace it"
        )
    rewritten = {str(n).lower() for n in new["layer"]}
    kept = old[[str(n).lower() in layers and str(n).lower() not in rewritten for n in old["layer"]]]
    merged = pd.concat([kept, new], ignore_index=True)
    return pd.DataFrame(merged[[c for c in new.columns if c in merged.columns]])


def _write_gpkg(out: Output, prepared: list[tuple[gpd.GeoDataFrame, dict[str, Any]]]) -> None:
    """Add the layers and the table of sources to the GeoPackage; its other layers are kept."""
    import pyogrio

    names = [info["name"] for _, info in prepared]
    with updating_geopackage(out, names) as copy:
        sources = _merged_sources(copy, _sources_rows(prepared), out)
        for gdf, info in prepared:
            pyogrio.write_dataframe(
                gdf,
                copy,
                layer=info["name"],
                driver="GPKG",
                layer_options={"IDENTIFIER": info["name"], "DESCRIPTION": _description(info)},
            )
        pyogrio.write_dataframe(
            sources,
            copy,
            layer=SOURCES_TABLE,
            driver="GPKG",
            layer_options={"DESCRIPTION": "Every layer of this file with its source and licence."},
        )


def write_layer(
    gdf: gpd.GeoDataFrame,
    path: Destination,
    *,
    layer: str | None = None,
    overwrite: bool = False,
    description: str | None = None,
) -> str:
    """Write one layer: added to a GeoPackage (its other layers kept), or as a GeoJSON file.

    Parameters
    ----------
    gdf
        The features (written in lon/lat, EPSG:4326).
    path
        A ``.gpkg`` file (``file.gpkg::name`` names the layer), any other path for RFC 7946
        GeoJSON, ``-`` for GeoJSON on standard output, or an :class:`amurgeo.output.Output`.
    layer
        Layer name when `path` does not give one (default ``layer``).
    overwrite
        Replace a GeoPackage layer of the same name (otherwise a UsageError names it).
    description
        Description of a GeoPackage layer.

    Returns
    -------
    str
        The name of the layer written.

    Examples
    --------
    >>> import tempfile, pathlib, pyogrio
    >>> from shapely.geometry import box
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "survey.gpkg"
    >>> blocks = gpd.GeoDataFrame(geometry=[box(131, 43, 131.1, 43.1)], crs=4326)
    >>> write_layer(blocks, out, layer="blocks"), write_layer(blocks, f"{out}::gap")
    ('blocks', 'gap')
    >>> pyogrio.list_layers(out)[:, 0].tolist()
    ['blocks', 'gap']
    """
    import pyogrio

    from amurgeo.geojson import write_geojson

    out = path if isinstance(path, Output) else check_output(path, overwrite=overwrite)
    name = out.layer or layer or "layer"
    if not out.is_geopackage:
        write_geojson(gdf, out, name=name)
        return name
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    options = {"IDENTIFIER": name} | ({"DESCRIPTION": description} if description else {})
    with updating_geopackage(out, [name]) as copy:
        pyogrio.write_dataframe(gdf, copy, layer=name, driver="GPKG", layer_options=options)
    return name


def _previous_export(folder: Path) -> bool:
    """True if `folder` holds an earlier GeoJSON export and nothing else."""
    manifest = folder / MANIFEST
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["layers"]
        files = {str(layer["file"]) for layer in listed} | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return all(child.name in files and child.is_file() for child in folder.iterdir())


def _write_folder(out: Output, prepared: list[tuple[gpd.GeoDataFrame, dict[str, Any]]]) -> None:
    from amurgeo.geojson import to_geojson_text

    assert out.path is not None
    target = out.path
    if target.is_dir() and any(target.iterdir()) and not _previous_export(target):
        raise UsageError(
            f"output folder {out.spec!r} is not empty and is not an earlier amurgeo "
            "export; choose a new folder"
        )
    mode = 0o666 & ~_umask()
    with writing_folder(out) as folder:
        layers = []
        for gdf, info in prepared:
            text = to_geojson_text(gdf, name=info["name"])
            (folder / info["file"]).write_text(text, encoding="utf-8")
            layers.append(
                {k: info[k] for k in ("file", "name", "title_ru", "title_zh", "id", "kind")}
                | {"features": info["features"]}
                | {k: info[k] for k in ("source", "license", "attribution", "description")}
            )
        manifest = {"generator": "amurgeo export", "crs": "EPSG:4326", "layers": layers}
        (folder / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        for child in folder.iterdir():
            os.chmod(child, mode)


def _umask() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def export_layers(
    path: str | os.PathLike[str],
    layers: Sequence[Source] | Source | None = None,
    *,
    fmt: str | None = None,
    overwrite: bool = False,
    name_col: str | None = None,
) -> pd.DataFrame:
    """Write layers with their attributes and computed areas to a GeoPackage or a folder.

    Parameters
    ----------
    path
        A ``.gpkg`` file, or a folder for one GeoJSON file per layer (created; an earlier
        export in it is replaced, any other non-empty folder refused). The layers are added
        to an existing GeoPackage, whose other layers are kept; its table of sources keeps
        the rows of the layers still in it. Never an input, nor a folder that holds one.
    overwrite
        Replace layers of an existing GeoPackage that have the names of the layers written
        (otherwise a UsageError names the first).
    layers
        Bundled layer ids or aliases, paths of vector files or GeoDataFrames; one or a list.
        A CSV (or Parquet) of points or a DataFrame with coordinate columns is read as
        observations (see :func:`amurgeo.read_observations`). Default: every bundled layer.
    fmt
        ``gpkg`` or ``geojson``; default: from `path` (``.gpkg``, or a folder).
    name_col
        Column that names the features of your layers: written as their ``name`` (a
        ``name`` column of their own is kept as ``name_input``), so that QGIS and amurgeo
        label them by it. A bundled layer without it keeps its names.

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
        For a path whose format is unclear, a missing folder, a non-empty folder that is
        not an earlier export, an output that is an input, or a layer the GeoPackage
        already has (without `overwrite`).
    OutputError
        If the file cannot be written (disk full ...); an existing file is left as it was.
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
    1  Conservation organization activities        68         False
    >>> for name in pyogrio.list_layers(out)[:, 0]:
    ...     print(name)
    Land of the Leopard National Park
    Conservation organization activities
    Sources and licences
    """
    from amurgeo.catalog import catalog_entries

    spec = os.fspath(path)
    if "::" in spec and not os.path.lexists(spec):
        raise UsageError(
            f"output {spec!r}: an export writes several layers, named by their titles; "
            "give the GeoPackage without ::NAME"
        )
    target = Path(path)
    kind = _format_of(target, fmt)
    if layers is not None and isinstance(layers, (str, os.PathLike, gpd.GeoDataFrame)):
        layers = [layers]
    if layers is not None and not len(layers):
        raise UsageError("`layers` is empty; name at least one layer or file, or pass None")
    entries = {e["id"]: e for e in catalog_entries()}
    sources: list[Source] = list(entries) if layers is None else list(layers)
    out = check_output(
        spec,
        inputs=sources,
        binary=True,
        stream=False,
        overwrite=overwrite,
        folder=kind == "geojson",
        what="an export (a GeoPackage or a folder)",
    )
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
            gdf, info = _prepare(source, entries, name_col)
            title = _table_name(info["title"]) if kind == "gpkg" else info["title"]
            info["name"] = _unique(title, names)
            stem = _unique(_file_stem(info["id"]), files)
            info["file"] = f"{stem}.geojson"
            prepared.append((gdf, info))
        missing = [info["name_col_missing"] for _, info in prepared]
        if name_col and all(missing):
            raise UsageError(str(missing[0]))
        progress.note(f"writing {target.name}")
        if kind == "gpkg":
            _write_gpkg(out, prepared)
        else:
            _write_folder(out, prepared)
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
