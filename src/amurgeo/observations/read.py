"""Reading observations from CSV, Parquet, vector files, tables and directories of partitions."""

from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from amurgeo.errors import DataError, UsageError
from amurgeo.io import LAYER_SEPARATOR, read_vector
from amurgeo.observations.points import (
    SPECIES_NAMES,
    Observations,
    ObservationSource,
    coordinate_columns,
    drop_invalid,
    find_column,
    from_frame,
    from_geometries,
)

_CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
_PARQUET_SUFFIXES = {".parquet", ".pq", ".geoparquet"}


def _sniff_delimiter(path: Path) -> str:
    opener: Any = open
    if path.suffix.lower() == ".gz":
        import gzip

        opener = gzip.open
    try:
        with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as handle:
            head = handle.readline()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    counts = {d: head.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return "\t" if ".tsv" in path.suffixes or ".tab" in path.suffixes else ","
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
    except csv.Error:
        return best


def _csv_encoding(path: Path, where: str) -> str:
    """``utf-8-sig`` if the file's first megabyte is UTF-8, else ``latin-1`` with a warning."""
    import codecs

    with open(path, "rb") as handle:
        sample = handle.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
    except UnicodeDecodeError:
        warnings.warn(
            f"{where}: is not UTF-8 text; read as Latin-1 (save it as UTF-8 to be sure of "
            "non-Latin names)",
            UserWarning,
            stacklevel=4,
        )
        return "latin-1"
    return "utf-8-sig"


def _read_csv(
    path: Path, lon_col: str | None, lat_col: str | None, species_col: str | None
) -> tuple[pd.DataFrame, Any, Any, Any, bool]:
    where = str(path)
    if path.stat().st_size == 0:
        raise DataError(f"{where}: file is empty; expected a header line and rows")
    encoding = _csv_encoding(path, where)
    sep = _sniff_delimiter(path)
    try:
        header = pd.read_csv(path, sep=sep, nrows=0, encoding=encoding)
    except Exception as exc:
        raise DataError(f"{where}: cannot read as CSV ({' '.join(str(exc).split())})") from exc
    columns = list(header.columns)
    lon, lat = coordinate_columns(columns, lon_col, lat_col, where)
    species = find_column(columns, species_col, SPECIES_NAMES, "species", where)
    wanted = list(dict.fromkeys([c for c in (lon, lat, species) if c is not None]))
    frame = None
    try:
        import pyarrow  # noqa: F401  (pandas' fast, multi-threaded CSV reader)

        # pyarrow reads the header itself: the names must match the file's exact text
        frame = pd.read_csv(path, sep=sep, usecols=wanted, engine="pyarrow", encoding=encoding)
    except ImportError:
        pass
    except Exception:
        frame = None  # ragged rows, odd quoting: the C reader says what is wrong
    if frame is None:
        try:
            frame = pd.read_csv(path, sep=sep, usecols=wanted, encoding=encoding, low_memory=False)
        except Exception as exc:
            raise DataError(f"{where}: cannot read as CSV ({' '.join(str(exc).split())})") from exc
    return frame, lon, lat, species, sep == ";"


def _parquet_geo_column(path: Path) -> str | None:
    """The primary geometry column of a GeoParquet file (None for plain Parquet)."""
    import json

    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception as exc:
        raise DataError(f"{path}: cannot read as Parquet ({' '.join(str(exc).split())})") from exc
    geo = metadata.get(b"geo")
    if not geo:
        return None
    try:
        return str(json.loads(geo).get("primary_column") or "geometry")
    except ValueError:
        return "geometry"


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def _needs_pyarrow(where: str) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError(f"{where}: reading Parquet needs pyarrow (pip install pyarrow)") from None


def is_partitioned(path: Path) -> bool:
    """A directory of (Geo)Parquet partitions (not a shapefile folder or geodatabase)."""
    if not path.is_dir() or path.suffix.lower() == ".gdb" or any(path.glob("*.shp")):
        return False
    return any(p.suffix.lower() in _PARQUET_SUFFIXES for p in path.rglob("*") if p.is_file())


def read_points(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> Observations:
    """Read observations from one file or table (not a partitioned directory)."""
    if isinstance(source, Observations):
        return source
    if isinstance(source, pd.DataFrame):
        name = str(source.attrs.get("layer_id") or "observations")
        where = name if name != "observations" else "DataFrame"
        points = from_frame(
            source,
            name=name,
            where=where,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
        )
        return drop_invalid(points, crs_given=crs is not None)
    if not isinstance(source, (str, os.PathLike)):
        raise UsageError(
            f"observations {source!r} are a {type(source).__name__}; expected a file path, "
            "a DataFrame or a GeoDataFrame"
        )
    text = os.fspath(source)
    path = Path(text)
    where = str(text)
    vector_layer = LAYER_SEPARATOR in text and not path.exists()  # parks.gpkg::layer
    if vector_layer:
        path = Path(text.rpartition(LAYER_SEPARATOR)[0])
    if not path.exists():
        raise UsageError(f"{where}: file does not exist")
    if is_partitioned(path):
        raise UsageError(f"{where}: is a directory of partitions; use count_observations")
    stem = path.name.split(".")[0] or path.name
    suffixes = [s.lower() for s in path.suffixes]
    suffix = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else path.suffix.lower()
    kwargs: dict[str, Any] = {"name": stem, "where": where, "crs": crs}
    if suffix in _CSV_SUFFIXES and path.is_file() and not vector_layer:
        frame, lon, lat, species, comma = _read_csv(path, lon_col, lat_col, species_col)
        points = from_frame(
            frame,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            decimal_comma=comma,
            columns=(lon, lat, species),
            **kwargs,
        )
    elif suffix in _PARQUET_SUFFIXES and path.is_file() and not vector_layer:
        _needs_pyarrow(where)
        geometry = _parquet_geo_column(path)
        columns = _parquet_columns(path)
        if geometry is not None and lon_col is None and lat_col is None:
            species = find_column(columns, species_col, SPECIES_NAMES, "species", where)
            species = None if species == geometry else species
            wanted = [geometry] + ([species] if species is not None else [])
            gdf = gpd.read_parquet(path, columns=wanted)
            points = from_geometries(gdf, species, stem, where, species)
        else:
            lon, lat = coordinate_columns(columns, lon_col, lat_col, where)
            species = find_column(columns, species_col, SPECIES_NAMES, "species", where)
            wanted = list(dict.fromkeys(c for c in (lon, lat, species) if c is not None))
            frame = pd.read_parquet(path, columns=wanted)
            points = from_frame(
                frame,
                lon_col=lon_col,
                lat_col=lat_col,
                species_col=species_col,
                columns=(lon, lat, species),
                **kwargs,
            )
    else:
        gdf = read_vector(text)
        points = from_frame(
            gdf,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            **{**kwargs, "name": str(gdf.attrs.get("layer_id") or stem)},
        )
    return drop_invalid(points, crs_given=crs is not None)


def read_observations(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> gpd.GeoDataFrame:
    """Read observations (camera-trap detections, collar fixes) as a GeoDataFrame of points.

    Parameters
    ----------
    source
        A CSV/TSV, Parquet, GeoParquet or vector file, a directory of (Geo)Parquet
        partitions (needs ``amurgeo[dask]``), a DataFrame with coordinate columns or a
        GeoDataFrame of points.
    lon_col, lat_col
        Coordinate columns (default: found by name, see the module documentation).
    species_col
        Species column (default: ``species``, ``scientificName`` ... if there is one).
    crs
        CRS of the coordinate columns (default: WGS84 lon/lat), e.g. ``"EPSG:32652"``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 points, with a ``species`` column (the species key, see
        :func:`species_key`) when there is a species column. ``attrs`` holds ``layer_id``,
        ``source``, ``lon_col``, ``lat_col``, ``species_col``, ``rows`` (read) and ``dropped``.

    Raises
    ------
    DataError
        For a missing or non-numeric coordinate column (the message names the file and
        column), or coordinates that are not lon/lat when no `crs` is given.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"Longitude": [131.2, 131.5], "LAT": [43.1, 43.3],
    ...                       "Species": ["Amur leopard", "Amur tiger"]})
    >>> gdf = read_observations(table)
    >>> gdf["species"].tolist(), gdf.attrs["lon_col"], gdf.crs.to_epsg()
    (['amur_leopard', 'amur_tiger'], 'Longitude', 4326)
    """
    points = load_observations(
        source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
    )
    return _to_frame(points)


def load_observations(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> Observations:
    """Observations from a file, a table or a directory of partitions (all in memory)."""
    if isinstance(source, (str, os.PathLike)) and is_partitioned(Path(os.fspath(source))):
        from amurgeo.observations.partitions import read_partitioned

        return read_partitioned(
            Path(os.fspath(source)),
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
        )
    return read_points(source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs)


def _to_frame(points: Observations) -> gpd.GeoDataFrame:
    data = {"species": points.species} if points.species is not None else {}
    gdf = gpd.GeoDataFrame(
        data, geometry=gpd.points_from_xy(points.lon, points.lat), crs="EPSG:4326"
    )
    gdf.attrs.update(
        layer_id=points.name,
        source=points.where,
        lon_col=points.lon_col,
        lat_col=points.lat_col,
        species_col=points.species_col,
        rows=points.rows,
        dropped=points.dropped,
    )
    return gdf
