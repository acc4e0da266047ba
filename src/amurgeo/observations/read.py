"""Reading observations from CSV, Parquet, vector files, tables and directories of partitions."""

from __future__ import annotations

import csv
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from amurgeo.errors import DataError, DataWarning, UsageError
from amurgeo.io import LAYER_SEPARATOR, read_vector
from amurgeo.observations.dates import (
    TimeColumns,
    find_time_columns,
    parse_times,
    time_mask,
    warn_unreadable,
)
from amurgeo.observations.partitions import is_partitioned, is_url, read_partitioned
from amurgeo.observations.pieces import PARQUET_SUFFIXES
from amurgeo.observations.points import (
    SPECIES_NAMES,
    Observations,
    ObservationSource,
    ReadOptions,
    coordinate_columns,
    drop_invalid,
    find_column,
    from_frame,
    from_geometries,
    keep_only,
)

_CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
_PARQUET_SUFFIXES = set(PARQUET_SUFFIXES)


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
            DataWarning,
            stacklevel=4,
        )
        return "latin-1"
    return "utf-8-sig"


@dataclass
class _Also:
    """What to read besides coordinates and species: the time, every column."""

    time_col: str | None = None
    time_format: str | None = None
    need_time: bool = False
    keep_columns: bool = False
    found: TimeColumns | None = None

    def columns(self, columns: list[Any], wanted: list[Any], where: str) -> list[Any]:
        """The columns to read: `wanted`, the time column(s), or all of them."""
        if self.need_time or self.time_col is not None:
            self.found = find_time_columns(columns, self.time_col, where=where)
            if self.found is None and self.need_time:
                shown = ", ".join(str(c) for c in columns[:20])
                raise DataError(
                    f"{where}: no date/time column found (looked for DateTime, timestamp, "
                    f"eventStart, eventDate, date, acq_date ...; its columns are: {shown}); "
                    "name it with --time-col"
                )
        elif self.keep_columns:
            self.found = find_time_columns(columns, None, where=where)
        if self.keep_columns:
            return list(columns)
        extra = self.found.names() if self.found is not None else []
        return list(dict.fromkeys([*wanted, *extra]))

    def attach(self, points: Observations, frame: pd.DataFrame) -> Observations:
        """Add times (and every column) of `frame` to `points`, row by row."""
        if not (self.need_time or self.keep_columns or self.time_col is not None):
            return points
        if self.found is None:
            self.columns(list(frame.columns), [], points.where)
        rows = points.row_index if points.row_index is not None else np.arange(len(points))
        if self.found is not None:
            clock = frame[self.found.clock] if self.found.clock is not None else None
            times = parse_times(
                frame[self.found.date],
                clock=clock,
                time_format=self.time_format,
                column=self.found.date,
                where=points.where,
            )
            points.times = times[rows]
            points.time_col = str(self.found.date)
        if self.keep_columns:
            data = (
                frame.drop(columns=[frame.geometry.name])
                if isinstance(frame, gpd.GeoDataFrame)
                else frame
            )
            points.attributes = pd.DataFrame(data).iloc[rows].reset_index(drop=True)
        return points


def _read_csv(
    path: Path,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    also: _Also | None = None,
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
    if also is not None:
        wanted = also.columns(columns, wanted, where)
    # times are read as written (pyarrow would turn 14:22+10:00 into 04:22 UTC)
    found = also.found if also is not None else None
    text: Any = dict.fromkeys(found.names(), str) if found is not None else None
    frame = None
    try:
        import pyarrow  # noqa: F401  (pandas' fast, multi-threaded CSV reader)

        # pyarrow reads the header itself: the names must match the file's exact text
        frame = pd.read_csv(
            path, sep=sep, usecols=wanted, engine="pyarrow", encoding=encoding, dtype=text
        )
    except ImportError:
        pass
    except Exception:
        frame = None  # ragged rows, odd quoting: the C reader says what is wrong
    if frame is None:
        try:
            frame = pd.read_csv(
                path, sep=sep, usecols=wanted, encoding=encoding, low_memory=False, dtype=text
            )
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


def read_points(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
    time_col: str | None = None,
    time_format: str | None = None,
    need_time: bool = False,
    keep_columns: bool = False,
) -> Observations:
    """Read observations from one file or table (not a partitioned directory).

    With `need_time` (or a `time_col`) the time of each observation is read into
    ``times`` (see :mod:`amurgeo.observations.dates`); with `keep_columns` every column of
    the source is kept in ``attributes``.
    """
    if isinstance(source, Observations):
        return source
    also = _Also(time_col, time_format, need_time or time_col is not None, keep_columns)
    points = _read_points(source, lon_col, lat_col, species_col, crs, also)
    return drop_invalid(points, crs_given=crs is not None)


def _read_points(
    source: ObservationSource,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: Any,
    also: _Also,
) -> Observations:
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
        return also.attach(points, source)
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
        frame, lon, lat, species, comma = _read_csv(path, lon_col, lat_col, species_col, also)
        points = from_frame(
            frame,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            decimal_comma=comma,
            columns=(lon, lat, species),
            **kwargs,
        )
        return also.attach(points, frame)
    elif suffix in _PARQUET_SUFFIXES and path.is_file() and not vector_layer:
        _needs_pyarrow(where)
        geometry = _parquet_geo_column(path)
        columns = _parquet_columns(path)
        if geometry is not None and lon_col is None and lat_col is None:
            species = find_column(columns, species_col, SPECIES_NAMES, "species", where)
            species = None if species == geometry else species
            wanted = [geometry] + ([species] if species is not None else [])
            gdf = gpd.read_parquet(path, columns=also.columns(columns, wanted, where))
            points = from_geometries(gdf, species, stem, where, species)
            return also.attach(points, gdf)
        else:
            lon, lat = coordinate_columns(columns, lon_col, lat_col, where)
            species = find_column(columns, species_col, SPECIES_NAMES, "species", where)
            wanted = list(dict.fromkeys(c for c in (lon, lat, species) if c is not None))
            frame = pd.read_parquet(path, columns=also.columns(columns, wanted, where))
            points = from_frame(
                frame,
                lon_col=lon_col,
                lat_col=lat_col,
                species_col=species_col,
                columns=(lon, lat, species),
                **kwargs,
            )
            return also.attach(points, frame)
    gdf = read_vector(text)
    points = from_frame(
        gdf,
        lon_col=lon_col,
        lat_col=lat_col,
        species_col=species_col,
        **{**kwargs, "name": str(gdf.attrs.get("layer_id") or stem)},
    )
    return also.attach(points, gdf)


def read_observations(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
    time_col: str | None = None,
    time_format: str | None = None,
    since: Any = None,
    until: Any = None,
) -> gpd.GeoDataFrame:
    """Read observations (camera-trap detections, collar fixes) as a GeoDataFrame of points.

    Every column of the source is kept, as read. Two are added: ``species``, the species
    key (see :func:`species_key`; when the source's own column is called ``species`` its
    values are kept as ``species_raw``), and ``time``, the date/time as ``datetime64``
    (wall-clock, NaT where unreadable) when there is a time column.

    Parameters
    ----------
    source
        A CSV/TSV, Parquet, GeoParquet or vector file, a directory of (Geo)Parquet
        partitions, a URL of Parquet, a DataFrame with coordinate columns or a
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
    if is_url(source) or (
        isinstance(source, (str, os.PathLike)) and is_partitioned(Path(os.fspath(source)))
    ):
        points = load_observations(
            source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
        )
    else:
        points = read_points(
            source,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
            time_col=time_col,
            time_format=time_format,
            need_time=since is not None or until is not None,
            keep_columns=True,
        )
    if (since is not None or until is not None) and points.times is not None:
        points = keep_only(points, time_mask(points.times, since, until))
    return _to_frame(points)


def load_observations(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> Observations:
    """Observations from a file, a table, a folder of partitions or a URL (all in memory)."""
    if is_url(source) or (
        isinstance(source, (str, os.PathLike)) and is_partitioned(Path(os.fspath(source)))
    ):
        options = ReadOptions(lon_col, lat_col, species_col, crs)
        return read_partitioned(source, options)  # type: ignore[arg-type]
    return read_points(source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs)


def _to_frame(points: Observations) -> gpd.GeoDataFrame:
    data = pd.DataFrame(index=pd.RangeIndex(len(points)))
    if points.attributes is not None:
        data = points.attributes.reset_index(drop=True).copy()
        data = data.rename(columns={"species": "species_raw", "time": "time_raw"})
        data = data.drop(columns=[c for c in ("geometry",) if c in data.columns])
    if points.species is not None:
        data["species"] = points.species
    if points.times is not None:
        data["time"] = points.times
    gdf = gpd.GeoDataFrame(
        data, geometry=gpd.points_from_xy(points.lon, points.lat), crs="EPSG:4326"
    )
    gdf.attrs.update(
        time_col=points.time_col,
        layer_id=points.name,
        source=points.where,
        lon_col=points.lon_col,
        lat_col=points.lat_col,
        species_col=points.species_col,
        rows=points.rows,
        dropped=points.dropped,
    )
    return gdf


def in_time(points: Observations, since: Any, until: Any) -> Observations:
    """Drop observations without a readable time (one warning), then those out of range."""
    times = points.times
    assert times is not None  # read with need_time
    dated = ~np.isnat(times)
    if not dated.all():
        unreadable = int((~dated).sum())
        warn_unreadable(points.where, points.time_col, unreadable, len(times), None)
        points.dropped += unreadable
    return keep_only(points, time_mask(times, since, until))
