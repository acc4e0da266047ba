"""Observations as arrays (:class:`Observations`) and the column rules that build them."""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from amurgeo.errors import DataError, DataWarning, UsageError

#: What the functions here accept: a path (file or directory), a DataFrame with coordinate
#: columns, or a GeoDataFrame of points.
ObservationSource: TypeAlias = str | os.PathLike[str] | pd.DataFrame


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
SPECIES_NAMES = (
    "species",
    "speciesname",
    "scientificname",
    "individualtaxoncanonicalname",
    "taxon",
    "taxonname",
    "commonname",
)


_UNSPECIFIED = "unspecified"
_NON_WORD = re.compile(r"[\W_]+")
_NAME_KEY = re.compile(r"[\s\-_.]+")


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


@dataclass
class Observations:
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
    #: Row of the source table of each observation (None: not tracked).
    row_index: np.ndarray | None = None
    #: Wall-clock ``datetime64[ns]`` of each observation (None: no time read).
    times: np.ndarray | None = None
    time_col: str | None = None
    #: The source table's columns, one row per observation (None: not kept).
    attributes: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.lon)


@dataclass(frozen=True)
class ReadOptions:
    """How observations are read: the column, CRS and time options every reader takes.

    Attributes
    ----------
    lon_col, lat_col, species_col
        Coordinate and species columns (None: found by name).
    crs
        CRS of the coordinate columns (None: WGS84 lon/lat).
    time_col, time_format
        The date/time column (None: found by name) and its strptime format.
    time_zone
        Zone of the times read (an IANA name or an offset such as ``+10:00``): values with
        an offset are converted into it, values without one taken as in it.
    """

    lon_col: str | None = None
    lat_col: str | None = None
    species_col: str | None = None
    crs: Any = None
    time_col: str | None = None
    time_format: str | None = None
    time_zone: str = "UTC"

    def keywords(self) -> dict[str, Any]:
        """The options as keyword arguments of the public readers."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def species_seen(points: Observations) -> frozenset[str]:
    """The species keys among `points` (none without a species column)."""
    if points.species is None:
        return frozenset()
    return frozenset(str(s) for s in pd.unique(points.species))


def name_key(name: Any) -> str:
    """A column name as compared: case, spaces, dashes, dots and underscores ignored.

    Examples
    --------
    >>> name_key("Patrol_Start Date")
    'patrolstartdate'
    """
    return _NAME_KEY.sub("", str(name).replace("\ufeff", "").strip().casefold())


def find_column(
    columns: Sequence[Any], given: str | None, names: tuple[str, ...], what: str, where: str
) -> Any:
    """The column called `given` (forgiving case and spaces), else the first of `names`.

    Every reader of this package finds its columns so: coordinates, species, patrol ids
    (:mod:`amurgeo.observations.patrols`), with :func:`name_key` for the comparison.
    """
    keyed: dict[str, Any] = {}
    for column in columns:
        keyed.setdefault(name_key(column), column)
    if given is not None:
        if given in columns:
            return given
        found = keyed.get(name_key(given))
        if found is None:
            shown = ", ".join(str(c) for c in list(columns)[:20])
            raise DataError(f"{where}: has no {what} column {given!r}; its columns are: {shown}")
        return found
    for name in names:
        if name in keyed:
            return keyed[name]
    return None


def coordinate_columns(
    columns: Sequence[Any], lon_col: str | None, lat_col: str | None, where: str
) -> tuple[Any, Any]:
    lon = find_column(columns, lon_col, _LON_NAMES, "longitude", where)
    lat = find_column(columns, lat_col, _LAT_NAMES, "latitude", where)
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


def from_geometries(
    gdf: gpd.GeoDataFrame, species: Any, name: str, where: str, species_col: Any
) -> Observations:
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
        row_index = np.flatnonzero(present)[index]
    else:
        row_index = np.flatnonzero(present)
        lon = shapely.get_x(geoms[present]).astype(float)
        lat = shapely.get_y(geoms[present]).astype(float)
        values = values[present] if values is not None else None
    return Observations(
        lon=np.asarray(lon, dtype=float),
        lat=np.asarray(lat, dtype=float),
        species=_species_array(values) if values is not None else None,
        name=name,
        where=where,
        species_col=None if species_col is None else str(species_col),
        rows=rows,
        dropped=int((~present).sum()),
        row_index=row_index,
    )


def from_frame(
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
) -> Observations:
    """Points of a table: a GeoDataFrame's geometries, or its coordinate columns."""
    if isinstance(frame, gpd.GeoDataFrame) and lon_col is None and lat_col is None:
        species = find_column(list(frame.columns), species_col, SPECIES_NAMES, "species", where)
        if species == frame.geometry.name:
            species = None
        if frame.crs is None and crs is not None:
            frame = frame.set_crs(crs)
        return from_geometries(frame, species, name, where, species)
    if columns is None:
        lon, lat = coordinate_columns(list(frame.columns), lon_col, lat_col, where)
        species = find_column(list(frame.columns), species_col, SPECIES_NAMES, "species", where)
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
    return Observations(
        lon=x,
        lat=y,
        species=_species_array(frame[species].to_numpy()) if species is not None else None,
        name=name,
        where=where,
        lon_col=str(lon),
        lat_col=str(lat),
        species_col=None if species is None else str(species),
        rows=len(frame),
        row_index=np.arange(len(frame)),
    )


def _valid(points: Observations, *, crs_given: bool) -> tuple[np.ndarray, int]:
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


def drop_invalid(points: Observations, *, crs_given: bool, warn: bool = True) -> Observations:
    keep, _ = _valid(points, crs_given=crs_given)
    dropped = int(len(points) - keep.sum())
    if dropped:
        points.lon, points.lat = points.lon[keep], points.lat[keep]
        if points.species is not None:
            points.species = points.species[keep]
        for name in ("row_index", "times"):
            if getattr(points, name) is not None:
                setattr(points, name, getattr(points, name)[keep])
        if points.attributes is not None:
            points.attributes = points.attributes.iloc[np.flatnonzero(keep)]
        points.dropped += dropped
    if warn and points.dropped:
        warn_dropped(points.where, points.dropped, points.rows)
    return points


def keep_only(points: Observations, keep: np.ndarray) -> Observations:
    """`points` reduced to the rows where `keep` is true (every array alike)."""
    points.lon, points.lat = points.lon[keep], points.lat[keep]
    for name in ("species", "row_index", "times"):
        if getattr(points, name) is not None:
            setattr(points, name, getattr(points, name)[keep])
    if points.attributes is not None:
        points.attributes = points.attributes.iloc[np.flatnonzero(keep)]
    return points


def warn_dropped(where: str, dropped: int, rows: int) -> None:
    warnings.warn(
        f"{where}: dropped {dropped:,} of {rows:,} observations with missing, non-numeric or "
        "out-of-range coordinates (or 0, 0: a failed GPS fix)",
        DataWarning,
        stacklevel=4,
    )
