"""Observations in a directory of (Geo)Parquet partitions, read with dask-geopandas.

Used by :mod:`amurgeo.observations` for a directory of Parquet files (as dask, Spark or
``to_parquet(partition_cols=...)`` write them; hive ``key=value`` folders become columns).
Each partition is read, cleaned and counted on its own, and the small
per-partition count tables are summed: the same code and the same result as the in-memory
path, in the memory of one partition at a time. Needs the optional extra ``amurgeo[dask]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from amurgeo.errors import DataError, UsageError

__all__ = ["count_partitioned", "read_partitioned"]

_EXTRA = "pip install 'amurgeo[dask]'"


def _require(where: Path) -> Any:
    try:
        import dask
        import dask_geopandas  # noqa: F401
    except ImportError:
        raise UsageError(
            f"{where}: a directory of Parquet partitions is read with dask-geopandas, "
            f"which is not installed ({_EXTRA})"
        ) from None
    return dask


def _layout(
    path: Path, lon_col: str | None, lat_col: str | None, species_col: str | None
) -> tuple[Any, tuple[Any, Any, Any], str | None]:
    """A lazy dask (Geo)DataFrame of the columns needed, those columns, and the geometry."""
    import pyarrow.dataset as ds

    from amurgeo.observations.points import SPECIES_NAMES, coordinate_columns, find_column

    where = str(path)
    try:
        dataset = ds.dataset(path, format="parquet", partitioning="hive")
    except Exception as exc:
        raise DataError(f"{where}: cannot read as Parquet partitions ({exc})") from exc
    schema = dataset.schema
    columns = list(schema.names)
    geo = (schema.metadata or {}).get(b"geo")
    geometry = None
    if geo and lon_col is None and lat_col is None:
        try:
            geometry = str(json.loads(geo).get("primary_column") or "geometry")
        except ValueError:
            geometry = "geometry"
    species = find_column(columns, species_col, SPECIES_NAMES, "species", where)
    if geometry is not None:
        import dask_geopandas

        species = None if species == geometry else species
        wanted = [geometry] + ([species] if species is not None else [])
        frame = dask_geopandas.read_parquet(str(path), columns=wanted)
        return frame, (None, None, species), geometry
    import dask.dataframe as dd

    lon, lat = coordinate_columns(columns, lon_col, lat_col, where)
    wanted = list(dict.fromkeys(c for c in (lon, lat, species) if c is not None))
    frame = dd.read_parquet(str(path), columns=wanted)
    return frame, (lon, lat, species), None


def _partition_points(
    part: pd.DataFrame,
    columns: tuple[Any, Any, Any],
    geometry: str | None,
    where: str,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: Any,
) -> Any:
    from amurgeo.observations.points import drop_invalid, from_frame, from_geometries

    if geometry is not None:
        points = from_geometries(part, columns[2], where, where, columns[2])
    else:
        points = from_frame(
            part,
            name=where,
            where=where,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
            columns=columns,
        )
    return drop_invalid(points, crs_given=crs is not None, warn=False)


def count_partitioned(
    path: Path,
    count: Callable[[Any], pd.DataFrame],
    *,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: Any,
) -> tuple[list[pd.DataFrame], int, int, bool]:
    """Per-partition count tables, rows read, rows dropped, and whether species were found."""
    dask = _require(path)
    frame, columns, geometry = _layout(path, lon_col, lat_col, species_col)
    where = str(path)

    def one(part: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
        points = _partition_points(
            part, columns, geometry, where, lon_col, lat_col, species_col, crs
        )
        return count(points), points.rows, points.dropped

    tasks = [dask.delayed(one)(part) for part in frame.to_delayed()]
    # one partition at a time: the prepared polygons (GEOS) must not be shared by threads;
    # on a dask cluster every worker process has its own copy
    results = dask.compute(*tasks, scheduler="synchronous")
    if not results:
        raise DataError(f"{where}: holds no Parquet partitions")
    partials = [r[0] for r in results]
    rows = sum(r[1] for r in results)
    dropped = sum(r[2] for r in results)
    return partials, rows, dropped, columns[2] is not None


def read_partitioned(
    path: Path,
    *,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: Any,
) -> Any:
    """Every partition's points, concatenated (for maps and :func:`read_observations`)."""
    import numpy as np

    from amurgeo.observations.points import Observations, warn_dropped

    dask = _require(path)
    frame, columns, geometry = _layout(path, lon_col, lat_col, species_col)
    where = str(path)

    def one(part: pd.DataFrame) -> Any:
        return _partition_points(part, columns, geometry, where, lon_col, lat_col, species_col, crs)

    parts = dask.compute(*[dask.delayed(one)(p) for p in frame.to_delayed()], scheduler="threads")
    if not parts:
        raise DataError(f"{where}: holds no Parquet partitions")
    species = None
    if columns[2] is not None:
        species = np.concatenate([p.species for p in parts])
    points = Observations(
        lon=np.concatenate([p.lon for p in parts]),
        lat=np.concatenate([p.lat for p in parts]),
        species=species,
        name=path.name,
        where=where,
        lon_col=parts[0].lon_col,
        lat_col=parts[0].lat_col,
        species_col=None if columns[2] is None else str(columns[2]),
        rows=sum(p.rows for p in parts),
        dropped=sum(p.dropped for p in parts),
    )
    if points.dropped:
        warn_dropped(where, points.dropped, points.rows)
    return points
