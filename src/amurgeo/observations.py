"""Camera-trap detections and GPS-collar fixes: read, counted per area and country, binned.

Observations come by the hundred thousand or the million, so everything here works on arrays
of coordinates, never on one Python object per point.

Reading (:func:`read_observations`)
-----------------------------------
* **CSV / TSV** (``.csv``, ``.tsv``, ``.txt``, optionally ``.gz``): the delimiter (``,``,
  ``;``, tab or ``|``) is sniffed from the header; with ``;`` a decimal comma (``43,12``) is
  understood. Read with pyarrow when it is installed, and only the columns needed.
* **Parquet** (pandas' ``to_parquet``) with coordinate columns, and **GeoParquet**
  (geopandas' ``to_parquet``) with point geometries.
* **Any vector file** GDAL reads (GeoJSON, GeoPackage, Shapefile, KML ...) with points, via
  :func:`amurgeo.io.read_vector`.
* **A directory of (Geo)Parquet partitions** (as written by dask, Spark or
  ``to_parquet(partition_cols=...)``): summarized partition by partition with
  dask-geopandas, the optional extra ``amurgeo[dask]``.
* A DataFrame with coordinate columns, or a GeoDataFrame of points.

Coordinate columns are found by name, ignoring case, spaces, dashes and underscores:
longitude among ``lon``, ``lng``, ``long``, ``longitude``, ``x``, ``decimalLongitude`` (Darwin
Core, GBIF), ``location-long`` (Movebank), ``gps_longitude``; latitude likewise. Give
``lon_col`` / ``lat_col`` for any other name. Coordinates are WGS84 longitude/latitude unless
``crs`` says otherwise. Rows whose coordinates are missing, not numbers, out of range or
exactly 0, 0 (a failed GPS fix) are dropped with one warning that says how many.

A species column is found by name too (``species``, ``scientificName``, ``taxon``,
``individual-taxon-canonical-name`` ...), or given as ``species_col``.

Counting (:func:`count_observations`)
-------------------------------------
One row per region, in this order:

* every area layer (default: each bundled protected area), dissolved, ``kind``
  ``"protected-area"`` (``"area"`` for other layers);
* ``"(any protected area)"``: inside at least one of them, ``kind`` ``"protected"``;
* ``"(outside protection)"``: inside none of them, ``kind`` ``"outside"``;
* every country (``iso3`` code of the countries layer), ``kind`` ``"country"``, then
  ``"(no country)"`` for points outside every country (at sea, or far away).

Areas overlap (Kedrovaya Pad lies inside Land of the Leopard, Hunchun inside the Chinese
national park), so **per-area counts overlap and do not add up**; ``(any protected area)``
and ``(outside protection)`` do add up to the number of observations kept. A point exactly on
a boundary counts as inside. Points are tested against the polygons in lon/lat, where the
layers' edges are straight (RFC 7946).

Columns: ``area``, ``kind``, ``count``, ``pct`` (% of all observations kept) and, when there is
a species column, one ``count_<species>`` column per species: ``<species>`` is the name in
lower case with every run of characters other than letters and digits replaced by ``_``
(``"Amur leopard"`` and ``"amur-leopard"`` both give ``count_amur_leopard``; Cyrillic and
Chinese letters are kept); a missing or empty species counts as ``unspecified``. Species
columns are sorted by that key.

Density (:func:`observation_density`)
-------------------------------------
Hexagons of equal area (flat-to-flat ``size_km``) in :data:`amurgeo.measure.EQUAL_AREA_CRS`,
only those holding observations, with their count, count per km² and counts per species: what
:func:`amurgeo.build_map` draws instead of one marker per point.
"""

from __future__ import annotations

import csv
import math
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from amurgeo.errors import DataError, UsageError
from amurgeo.io import LAYER_SEPARATOR, Source, read_vector
from amurgeo.measure import EQUAL_AREA_CRS

__all__ = [
    "ANY_PROTECTED",
    "NO_COUNTRY",
    "OUTSIDE_PROTECTION",
    "ObservationSource",
    "count_observations",
    "observation_density",
    "read_observations",
    "species_key",
]

#: What the functions here accept: a path (file or directory), a DataFrame with coordinate
#: columns, or a GeoDataFrame of points.
ObservationSource: TypeAlias = str | os.PathLike[str] | pd.DataFrame

#: ``area`` of the row counting observations inside at least one area.
ANY_PROTECTED = "(any protected area)"
#: ``area`` of the row counting observations inside no area.
OUTSIDE_PROTECTION = "(outside protection)"
#: ``area`` of the row counting observations inside no country.
NO_COUNTRY = "(no country)"

_LON_NAMES = (
    "lon",
    "lng",
    "long",
    "longitude",
    "x",
    "decimallongitude",
    "locationlong",
    "gpslongitude",
    "longitudedecimal",
)
_LAT_NAMES = (
    "lat",
    "latitude",
    "y",
    "decimallatitude",
    "locationlat",
    "gpslatitude",
    "latitudedecimal",
)
_SPECIES_NAMES = (
    "species",
    "speciesname",
    "scientificname",
    "individualtaxoncanonicalname",
    "taxon",
    "taxonname",
    "commonname",
)
_CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
_PARQUET_SUFFIXES = {".parquet", ".pq", ".geoparquet"}
_UNSPECIFIED = "unspecified"
_NON_WORD = re.compile(r"[\W_]+")
_NAME_KEY = re.compile(r"[\s\-_.]+")

_TO_EA = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)
_FROM_EA = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4326", always_xy=True)


def species_key(name: Any) -> str:
    """The key of a species in ``count_<key>`` columns: lower case, words joined with ``_``.

    Examples
    --------
    >>> species_key("Amur leopard"), species_key(" Panthera tigris altaica "), species_key(None)
    ('amur_leopard', 'panthera_tigris_altaica', 'unspecified')
    >>> species_key("Дальневосточный леопард")
    'дальневосточный_леопард'
    """
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return _UNSPECIFIED
    text = str(name)
    if text in ("<NA>", "nan", "None"):
        return _UNSPECIFIED
    key = _NON_WORD.sub("_", text.casefold()).strip("_")
    return key or _UNSPECIFIED


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass
class _Points:
    """Observations as arrays: lon/lat (WGS84 degrees) and species keys (or None)."""

    lon: np.ndarray
    lat: np.ndarray
    species: np.ndarray | None
    name: str
    where: str
    lon_col: str | None = None
    lat_col: str | None = None
    species_col: str | None = None
    rows: int = 0
    dropped: int = 0

    def __len__(self) -> int:
        return len(self.lon)


def _name_key(name: Any) -> str:
    return _NAME_KEY.sub("", str(name).replace("\ufeff", "").strip().casefold())


def _find_column(
    columns: Sequence[Any], given: str | None, names: tuple[str, ...], what: str, where: str
) -> Any:
    """The column called `given` (forgiving case and spaces), else the first of `names`."""
    keyed: dict[str, Any] = {}
    for column in columns:
        keyed.setdefault(_name_key(column), column)
    if given is not None:
        if given in columns:
            return given
        found = keyed.get(_name_key(given))
        if found is None:
            shown = ", ".join(str(c) for c in list(columns)[:20])
            raise DataError(
                f"{where}: has no column {given!r} for {what}; its columns are: {shown}"
            )
        return found
    for name in names:
        if name in keyed:
            return keyed[name]
    return None


def _coordinate_columns(
    columns: Sequence[Any], lon_col: str | None, lat_col: str | None, where: str
) -> tuple[Any, Any]:
    lon = _find_column(columns, lon_col, _LON_NAMES, "longitude", where)
    lat = _find_column(columns, lat_col, _LAT_NAMES, "latitude", where)
    for found, what, option, names in (
        (lon, "longitude", "--lon-col", _LON_NAMES),
        (lat, "latitude", "--lat-col", _LAT_NAMES),
    ):
        if found is None:
            shown = ", ".join(str(c) for c in list(columns)[:20]) or "none"
            raise DataError(
                f"{where}: no {what} column found (looked for {', '.join(names[:5])} ...; "
                f"its columns are: {shown}); name it with {option}"
            )
    return lon, lat


def _numeric(values: Any, column: Any, where: str, decimal_comma: bool) -> np.ndarray:
    """`values` as float64; text that is no number becomes NaN. All text: DataError."""
    series = pd.Series(values, copy=False)
    if pd.api.types.is_bool_dtype(series.dtype):
        raise DataError(f"{where}: column {column!r} holds true/false values; expected numbers")
    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    text = series.astype("string")
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text.str.strip(), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    present = text.notna() & (text.str.strip() != "")
    if present.any() and not np.isfinite(numbers[present.to_numpy()]).any():
        first = text[present].iloc[0]
        raise DataError(
            f"{where}: column {column!r} is not numeric (first value {first!r}); "
            "expected decimal degrees (or coordinates in the CRS given with --crs)"
        )
    return numbers


def _species_array(values: Any) -> np.ndarray:
    """Species keys (object array of str) for raw species values."""
    series = pd.Series(values, copy=False)
    codes, uniques = pd.factorize(series.astype("object"), use_na_sentinel=True)
    keys = np.array([species_key(u) for u in uniques] + [_UNSPECIFIED], dtype=object)
    return keys[codes]  # code -1 (missing) picks the trailing "unspecified"


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
    lon, lat = _coordinate_columns(columns, lon_col, lat_col, where)
    species = _find_column(columns, species_col, _SPECIES_NAMES, "species", where)
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


def _from_geometries(
    gdf: gpd.GeoDataFrame, species: Any, name: str, where: str, species_col: Any
) -> _Points:
    """Points of a GeoDataFrame (in any CRS): multipoints are split, other types refused."""
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    geoms = gdf.geometry.values
    rows = len(geoms)
    kinds = shapely.get_type_id(geoms)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    bad = present & ~np.isin(kinds, (0, 4))  # Point, MultiPoint
    if bad.any():
        found = ", ".join(sorted({g.geom_type for g in geoms[bad][:50]}))
        raise DataError(f"{where}: has {found} geometries; expected points (observations)")
    values = gdf[species_col].to_numpy() if species_col is not None else None
    if (kinds == 4).any():
        # a multipoint is several observations; a missing geometry is one dropped row
        parts, index = shapely.get_parts(geoms[present], return_index=True)
        xy = shapely.get_coordinates(parts)
        lon, lat = xy[:, 0], xy[:, 1]
        values = values[present][index] if values is not None else None
    else:
        lon = shapely.get_x(geoms[present]).astype(float)
        lat = shapely.get_y(geoms[present]).astype(float)
        values = values[present] if values is not None else None
    return _Points(
        lon=np.asarray(lon, dtype=float),
        lat=np.asarray(lat, dtype=float),
        species=_species_array(values) if values is not None else None,
        name=name,
        where=where,
        species_col=None if species_col is None else str(species_col),
        rows=rows,
        dropped=int((~present).sum()),
    )


def _from_frame(
    frame: pd.DataFrame,
    *,
    name: str,
    where: str,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: Any,
    decimal_comma: bool = False,
    columns: tuple[Any, Any, Any] | None = None,
) -> _Points:
    """Points of a table: a GeoDataFrame's geometries, or its coordinate columns."""
    if isinstance(frame, gpd.GeoDataFrame) and lon_col is None and lat_col is None:
        species = _find_column(list(frame.columns), species_col, _SPECIES_NAMES, "species", where)
        if species == frame.geometry.name:
            species = None
        if frame.crs is None and crs is not None:
            frame = frame.set_crs(crs)
        return _from_geometries(frame, species, name, where, species)
    if columns is None:
        lon, lat = _coordinate_columns(list(frame.columns), lon_col, lat_col, where)
        species = _find_column(list(frame.columns), species_col, _SPECIES_NAMES, "species", where)
    else:
        lon, lat, species = columns
    x = _numeric(frame[lon].to_numpy(), lon, where, decimal_comma)
    y = _numeric(frame[lat].to_numpy(), lat, where, decimal_comma)
    if crs is not None:
        try:
            transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        except Exception as exc:
            raise UsageError(f"crs {crs!r} is not a coordinate reference system ({exc})") from None
        x, y = transformer.transform(x, y)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return _Points(
        lon=x,
        lat=y,
        species=_species_array(frame[species].to_numpy()) if species is not None else None,
        name=name,
        where=where,
        lon_col=str(lon),
        lat_col=str(lat),
        species_col=None if species is None else str(species),
        rows=len(frame),
    )


def _valid(points: _Points, *, crs_given: bool) -> tuple[np.ndarray, int]:
    """Mask of rows with usable coordinates, and how many of them are out of range."""
    lon, lat = points.lon, points.lat
    finite = np.isfinite(lon) & np.isfinite(lat)
    in_range = finite & (np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0)
    null_island = in_range & (lon == 0.0) & (lat == 0.0)
    out_of_range = int(finite.sum() - in_range.sum())
    if not crs_given and finite.any() and out_of_range > finite.sum() / 2:
        sample = np.flatnonzero(finite & ~in_range)[0]
        raise DataError(
            f"{points.where}: coordinates such as ({lon[sample]:.6g}, {lat[sample]:.6g}) in "
            f"columns {points.lon_col!r}/{points.lat_col!r} are not lon/lat degrees; give their "
            "CRS (--crs, for example EPSG:32652 for UTM zone 52N)"
        )
    return in_range & ~null_island, out_of_range


def _drop_invalid(points: _Points, *, crs_given: bool, warn: bool = True) -> _Points:
    keep, _ = _valid(points, crs_given=crs_given)
    dropped = int(len(points) - keep.sum())
    if dropped:
        points.lon, points.lat = points.lon[keep], points.lat[keep]
        if points.species is not None:
            points.species = points.species[keep]
        points.dropped += dropped
    if warn and points.dropped:
        _warn_dropped(points.where, points.dropped, points.rows)
    return points


def _warn_dropped(where: str, dropped: int, rows: int) -> None:
    warnings.warn(
        f"{where}: dropped {dropped:,} of {rows:,} observations with missing, non-numeric or "
        "out-of-range coordinates (or 0, 0: a failed GPS fix)",
        UserWarning,
        stacklevel=4,
    )


def _is_partitioned(path: Path) -> bool:
    """A directory of (Geo)Parquet partitions (not a shapefile folder or geodatabase)."""
    if not path.is_dir() or path.suffix.lower() == ".gdb" or any(path.glob("*.shp")):
        return False
    return any(p.suffix.lower() in _PARQUET_SUFFIXES for p in path.rglob("*") if p.is_file())


def _read_points(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> _Points:
    """Read observations from one file or table (not a partitioned directory)."""
    if isinstance(source, _Points):
        return source
    if isinstance(source, pd.DataFrame):
        name = str(source.attrs.get("layer_id") or "observations")
        where = name if name != "observations" else "DataFrame"
        points = _from_frame(
            source,
            name=name,
            where=where,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
        )
        return _drop_invalid(points, crs_given=crs is not None)
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
    if _is_partitioned(path):
        raise UsageError(f"{where}: is a directory of partitions; use count_observations")
    stem = path.name.split(".")[0] or path.name
    suffixes = [s.lower() for s in path.suffixes]
    suffix = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else path.suffix.lower()
    kwargs: dict[str, Any] = {"name": stem, "where": where, "crs": crs}
    if suffix in _CSV_SUFFIXES and path.is_file() and not vector_layer:
        frame, lon, lat, species, comma = _read_csv(path, lon_col, lat_col, species_col)
        points = _from_frame(
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
            species = _find_column(columns, species_col, _SPECIES_NAMES, "species", where)
            species = None if species == geometry else species
            wanted = [geometry] + ([species] if species is not None else [])
            gdf = gpd.read_parquet(path, columns=wanted)
            points = _from_geometries(gdf, species, stem, where, species)
        else:
            lon, lat = _coordinate_columns(columns, lon_col, lat_col, where)
            species = _find_column(columns, species_col, _SPECIES_NAMES, "species", where)
            wanted = list(dict.fromkeys(c for c in (lon, lat, species) if c is not None))
            frame = pd.read_parquet(path, columns=wanted)
            points = _from_frame(
                frame,
                lon_col=lon_col,
                lat_col=lat_col,
                species_col=species_col,
                columns=(lon, lat, species),
                **kwargs,
            )
    else:
        gdf = read_vector(text)
        points = _from_frame(
            gdf,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            **{**kwargs, "name": str(gdf.attrs.get("layer_id") or stem)},
        )
    return _drop_invalid(points, crs_given=crs is not None)


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
    points = _load_points(
        source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
    )
    return _to_frame(points)


def _load_points(
    source: ObservationSource,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> _Points:
    """Observations from a file, a table or a directory of partitions (all in memory)."""
    if isinstance(source, (str, os.PathLike)) and _is_partitioned(Path(os.fspath(source))):
        from amurgeo._obs_dask import read_partitioned

        return read_partitioned(
            Path(os.fspath(source)),
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
        )
    return _read_points(source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs)


def _to_frame(points: _Points) -> gpd.GeoDataFrame:
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


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


@dataclass
class _Region:
    key: str
    kind: str
    geom: Any  # lon/lat polygon, prepared
    bounds: tuple[float, float, float, float]


def _polygonal(geoms: Any, where: str) -> Any:
    parts = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            parts.append(geom)
        else:
            parts += [
                g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
            ]
    if not parts:
        raise DataError(f"layer {where!r}: has no polygons; expected an area layer")
    union = shapely.union_all(parts)
    shapely.prepare(union)
    return union


def _region(key: str, kind: str, geom: Any) -> _Region:
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.bounds(geom))
    return _Region(key, kind, geom, (xmin, ymin, xmax, ymax))


def _area_regions(areas: Source | Sequence[Source] | None) -> list[_Region]:
    from amurgeo.catalog import catalog_entries

    if areas is None:
        sources: list[Source] = [
            e["id"] for e in catalog_entries() if e["kind"] == "protected-area"
        ]
        kind = "protected-area"
    else:
        single = isinstance(areas, (str, os.PathLike, gpd.GeoDataFrame))
        sources = [areas] if single else list(areas)  # type: ignore[arg-type]
        kind = "area"
        if not sources:
            raise UsageError("`areas` is empty; name at least one area layer or pass None")
    regions = []
    for source in sources:
        gdf = read_vector(source)
        name = str(gdf.attrs.get("layer_id") or "layer")
        layer_kind = "protected-area" if gdf.attrs.get("source") == "catalog" else kind
        regions.append(_region(name, layer_kind, _polygonal(gdf.geometry.values, name)))
    return regions


def _country_regions(countries: Source | None) -> list[_Region]:
    if countries is None:
        return []
    from amurgeo.io import feature_labels

    gdf = read_vector(countries)
    code = next((c for c in ("iso3", "ISO3", "iso_a3", "ISO_A3") if c in gdf.columns), None)
    keys = [str(v) for v in gdf[code]] if code else feature_labels(gdf)
    grouped: dict[str, list[Any]] = {}
    for key, geom in zip(keys, gdf.geometry.values, strict=True):
        grouped.setdefault(key, []).append(geom)
    return [_region(k, "country", _polygonal(grouped[k], k)) for k in sorted(grouped)]


def _inside(region: _Region, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which points lie in `region` (boundary included): bounding box, then the polygon."""
    xmin, ymin, xmax, ymax = region.bounds
    candidates = np.flatnonzero((lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax))
    mask = np.zeros(len(lon), dtype=bool)
    if len(candidates):
        mask[candidates] = shapely.intersects_xy(region.geom, lon[candidates], lat[candidates])
    return mask


def _membership(
    points: _Points, areas: list[_Region], countries: list[_Region]
) -> tuple[list[str], list[str], list[np.ndarray]]:
    """Row keys, kinds and masks, in the order of the result table."""
    lon, lat = points.lon, points.lat
    keys: list[str] = []
    kinds: list[str] = []
    masks: list[np.ndarray] = []
    any_area = np.zeros(len(lon), dtype=bool)
    for region in areas:
        mask = _inside(region, lon, lat)
        any_area |= mask
        keys.append(region.key)
        kinds.append(region.kind)
        masks.append(mask)
    keys += [ANY_PROTECTED, OUTSIDE_PROTECTION]
    kinds += ["protected", "outside"]
    masks += [any_area, ~any_area]
    if countries:
        in_country = np.zeros(len(lon), dtype=bool)
        for region in countries:
            mask = _inside(region, lon, lat)
            in_country |= mask
            keys.append(region.key)
            kinds.append("country")
            masks.append(mask)
        keys.append(NO_COUNTRY)
        kinds.append("country")
        masks.append(~in_country)
    return keys, kinds, masks


def _partial_counts(
    points: _Points, areas: list[_Region], countries: list[_Region]
) -> pd.DataFrame:
    """Counts of one batch of points: one row per region (keys in order), int64 columns."""
    keys, kinds, masks = _membership(points, areas, countries)
    data: dict[str, Any] = {"count": [int(m.sum()) for m in masks]}
    if points.species is not None:
        codes, uniques = pd.factorize(points.species)
        for code, name in enumerate(uniques):
            chosen = codes == code
            data[f"count_{name}"] = [int((m & chosen).sum()) for m in masks]
    frame = pd.DataFrame(data, index=pd.Index(keys, name="area"), dtype="int64")
    frame.insert(0, "kind", kinds)
    return frame


def _assemble(partials: list[pd.DataFrame], total: int, *, has_species: bool) -> pd.DataFrame:
    """Sum per-batch counts into the result table (same for in-memory and partitioned)."""
    first = partials[0]
    order = list(first.index)
    kinds = first["kind"]
    numbers = pd.concat([p.drop(columns="kind") for p in partials]).fillna(0)
    summed = numbers.groupby(level=0, sort=False).sum().reindex(order).astype("int64")
    species = sorted(c for c in summed.columns if c != "count")
    out = pd.DataFrame({"area": order, "kind": kinds.reindex(order).to_list()})
    out["count"] = summed["count"].to_numpy()
    out["pct"] = 100.0 * out["count"] / total if total else np.nan
    if has_species:
        for column in species:
            out[column] = summed[column].to_numpy()
    return out


def count_observations(
    source: ObservationSource,
    *,
    areas: Source | Sequence[Source] | None = None,
    countries: Source | None = "countries",
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> pd.DataFrame:
    """Count observations per protected area, inside and outside protection, and per country.

    Parameters
    ----------
    source
        Observations: a CSV/TSV, Parquet, GeoParquet or vector file, a directory of
        (Geo)Parquet partitions (summarized with dask-geopandas, ``amurgeo[dask]``), a
        DataFrame with coordinate columns or a GeoDataFrame of points.
    areas
        Area layers to count in (ids, files or GeoDataFrames), each dissolved. Default:
        every bundled protected area.
    countries
        Countries layer (default: the bundled ``countries``); None for no country rows.
    lon_col, lat_col, species_col, crs
        As in :func:`read_observations`.

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``kind``, ``count``, ``pct`` and ``count_<species>`` (see the
        module documentation for the rows and the species keys). Per-area counts overlap;
        ``(any protected area)`` plus ``(outside protection)`` is every observation kept.
        ``attrs`` holds ``rows`` (read) and ``dropped``.

    Examples
    --------
    >>> import pandas as pd
    >>> seen = pd.DataFrame({
    ...     "lon": [131.50, 131.20, 130.80, 133.50],
    ...     "lat": [43.10, 43.10, 43.05, 44.50],
    ...     "species": ["leopard", "leopard", "tiger", "tiger"],
    ... })
    >>> table = count_observations(seen).set_index("area")
    >>> areas = ["kedrovaya-pad", "land-of-the-leopard", "(outside protection)", "RUS"]
    >>> {area: int(table.loc[area, "count"]) for area in areas}
    {'kedrovaya-pad': 1, 'land-of-the-leopard': 2, '(outside protection)': 1, 'RUS': 3}
    >>> int(table.loc["land-of-the-leopard", "count_leopard"])
    2
    """
    area_regions = _area_regions(areas)
    country_regions = _country_regions(countries)
    if isinstance(source, (str, os.PathLike)) and _is_partitioned(Path(os.fspath(source))):
        from amurgeo._obs_dask import count_partitioned

        partials, rows, dropped, has_species = count_partitioned(
            Path(os.fspath(source)),
            lambda points: _partial_counts(points, area_regions, country_regions),
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
        )
        if dropped:
            _warn_dropped(os.fspath(source), dropped, rows)
        total = rows - dropped
    else:
        points = _read_points(
            source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
        )
        partials = [_partial_counts(points, area_regions, country_regions)]
        rows, dropped, total = points.rows, points.dropped, len(points)
        has_species = points.species is not None
    table = _assemble(partials, total, has_species=has_species)
    table.attrs.update(rows=rows, dropped=dropped)
    return table


# ---------------------------------------------------------------------------------------------
# Hexagon density
# ---------------------------------------------------------------------------------------------

_SQRT3 = math.sqrt(3.0)


def hexagon_area_km2(size_m: float) -> float:
    """Area (km²) of a regular hexagon `size_m` metres across its flats."""
    return _SQRT3 / 2.0 * size_m * size_m / 1e6


@dataclass
class _Hexes:
    """Occupied hexagons of one size: centres (equal-area metres), counts, species counts."""

    size_m: float
    cx: np.ndarray
    cy: np.ndarray
    count: np.ndarray
    species: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.count)

    def vertices_lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        """Lon and lat of the 6 vertices of every hexagon, counterclockwise: shape (n, 6)."""
        w = self.size_m
        r = w / _SQRT3
        dx = np.array([0.0, -w / 2, -w / 2, 0.0, w / 2, w / 2])
        dy = np.array([r, r / 2, -r / 2, -r, -r / 2, r / 2])
        x = self.cx[:, None] + dx[None, :]
        y = self.cy[:, None] + dy[None, :]
        lon, lat = _FROM_EA.transform(x.ravel(), y.ravel())
        return np.asarray(lon).reshape(x.shape), np.asarray(lat).reshape(x.shape)


def _project(points: _Points) -> tuple[np.ndarray, np.ndarray]:
    x, y = _TO_EA.transform(points.lon, points.lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _hexbin(
    x: np.ndarray, y: np.ndarray, size_m: float, species: np.ndarray | None = None
) -> _Hexes:
    """Bin equal-area points into pointy-top hexagons `size_m` across, on a fixed grid.

    The grid is two offset rectangular lattices (spacing `size_m` by `size_m` * sqrt(3));
    each point goes to the nearer lattice centre, which is its hexagon (ties: first lattice).
    The grid is anchored at the projection's centre, so it does not depend on the data.
    """
    sx, sy = float(size_m), float(size_m) * _SQRT3
    ia, ja = np.round(x / sx), np.round(y / sy)
    ib, jb = np.floor(x / sx), np.floor(y / sy)
    da = (x - ia * sx) ** 2 + (y - ja * sy) ** 2
    db = (x - (ib + 0.5) * sx) ** 2 + (y - (jb + 0.5) * sy) ** 2
    use_b = db < da
    col = np.where(use_b, 2 * ib + 1, 2 * ia).astype(np.int64)  # doubled coordinates
    row = np.where(use_b, 2 * jb + 1, 2 * ja).astype(np.int64)
    key = (col + (1 << 30)) * (1 << 31) + (row + (1 << 30))
    cells, inverse, count = np.unique(key, return_inverse=True, return_counts=True)
    col_u = cells // (1 << 31) - (1 << 30)
    row_u = cells % (1 << 31) - (1 << 30)
    by_species: dict[str, np.ndarray] = {}
    if species is not None:
        codes, uniques = pd.factorize(species)
        for code in np.argsort(np.asarray(uniques, dtype=str), kind="stable"):
            chosen = codes == code
            by_species[str(uniques[code])] = np.bincount(
                inverse[chosen], minlength=len(cells)
            ).astype(np.int64)
    return _Hexes(
        float(size_m), col_u * sx / 2.0, row_u * sy / 2.0, count.astype(np.int64), by_species
    )


def _hexes_frame(hexes: _Hexes) -> gpd.GeoDataFrame:
    lon, lat = hexes.vertices_lonlat()
    rings = np.stack([lon, lat], axis=-1)
    rings = np.concatenate([rings, rings[:, :1, :]], axis=1)
    polygons = shapely.polygons(rings)
    area_km2 = hexagon_area_km2(hexes.size_m)
    data: dict[str, Any] = {
        "count": hexes.count,
        "per_km2": hexes.count / area_km2,
        "size_km": np.full(len(hexes), hexes.size_m / 1000.0),
    }
    for name, counts in hexes.species.items():
        data[f"count_{name}"] = counts
    return gpd.GeoDataFrame(data, geometry=polygons, crs="EPSG:4326")


def observation_density(
    source: ObservationSource,
    *,
    size_km: float = 2.0,
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> gpd.GeoDataFrame:
    """Observations binned into equal-area hexagons: only the hexagons that hold some.

    Parameters
    ----------
    source, lon_col, lat_col, species_col, crs
        As in :func:`read_observations`.
    size_km
        Width of a hexagon across its flats (its area is sqrt(3)/2 * size_km²).

    Returns
    -------
    geopandas.GeoDataFrame
        One hexagon (EPSG:4326 polygon) per row: ``count``, ``per_km2``, ``size_km`` and
        ``count_<species>`` columns. The grid is fixed (anchored at 131 E, 43 N in
        :data:`amurgeo.measure.EQUAL_AREA_CRS`), so hexagons from different files line up.

    Examples
    --------
    >>> import pandas as pd
    >>> seen = pd.DataFrame({"lon": [131.2, 131.2001, 131.5], "lat": [43.1, 43.1001, 43.3]})
    >>> hexes = observation_density(seen, size_km=1.0)
    >>> hexes["count"].tolist(), round(float(hexes["per_km2"].iloc[1]), 3)  # north first
    ([1, 2], 2.309)
    """
    if not size_km > 0 or not math.isfinite(size_km):
        raise UsageError(f"size_km is {size_km!r}; expected a width > 0")
    points = _load_points(
        source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
    )
    x, y = _project(points)
    hexes = _hexbin(x, y, size_km * 1000.0, points.species)
    order = np.lexsort((hexes.cx, -hexes.cy))
    sorted_hexes = _Hexes(
        hexes.size_m,
        hexes.cx[order],
        hexes.cy[order],
        hexes.count[order],
        {k: v[order] for k, v in hexes.species.items()},
    )
    return _hexes_frame(sorted_hexes)
