"""Patrol effort: kilometres of patrol track and number of patrols per area and period.

Ranger patrols are recorded as GPS tracks; SMART (the Spatial Monitoring and Reporting Tool
that parks of the Amur region use) exports them as lines with a patrol id and dates, one line
per patrol or per leg. :func:`patrol_effort` clips every track to each area and measures what
lies inside on the WGS84 ellipsoid (geodesic km; the track's segments are straight in
lon/lat, as RFC 7946 draws them, the same as the areas' edges).

Columns are found by name, ignoring case, spaces, dashes and underscores: the patrol id
among ``Patrol_ID``, ``PatrolID``, ``patrol``, ``Patrol Leg ID`` ... (without one, every line
is a patrol of its own), the date among ``Patrol_Start_Date``, ``Start_Date``, ``Leg Start``
and the names :mod:`amurgeo.observations.dates` knows (``date``, ``DateTime``, ``timestamp`` ...). A
track belongs to the period of its date (a patrol that runs past midnight at the end of a
month counts in the month it started).

Rows: every area layer (default: each bundled protected area), ``(any protected area)``
(inside at least one), ``(outside protection)`` (inside none), then each country when a
countries layer is given. Columns ``area``, ``kind``, ``period`` (with ``by``), ``patrols``
(distinct patrol ids with track inside), ``km``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.errors import DataError, UsageError
from amurgeo.io import Source, read_vector
from amurgeo.measure import GEOD
from amurgeo.observations.dates import (
    find_time_columns,
    parse_times,
    period_codes,
    period_labels,
    time_mask,
    warn_unreadable,
)
from amurgeo.observations.points import find_column

__all__ = ["patrol_effort", "read_patrols"]

_PATROL_NAMES = ("patrolid", "patrol", "patrolname", "patrolnumber", "patrollegid", "legid")
_DATE_NAMES = ("patrolstartdate", "startdate", "legstart", "legstartdate", "patroldate")


def read_patrols(
    source: Source,
    *,
    patrol_col: str | None = None,
    time_col: str | None = None,
    time_format: str | None = None,
    time_zone: str = "UTC",
) -> gpd.GeoDataFrame:
    """Read patrol tracks: lines with ``patrol`` (id) and ``time`` columns added.

    Parameters
    ----------
    source
        A vector file (GPX, GeoPackage, Shapefile, GeoJSON ...) or GeoDataFrame of lines.
    patrol_col, time_col
        The patrol id and date columns (default: found by name, see the module docs).
    time_format
        A strptime format for the dates, when they are not in a form
        :func:`amurgeo.observations.dates.parse_times` reads.
    time_zone
        Zone of the ``time`` column (an IANA name or an offset such as ``+10:00``):
        dates with an offset are converted into it, dates without one taken as in it.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 lines, every column kept, plus ``patrol`` (text) and ``time``
        (``datetime64[ns]``, NaT without a date column). ``attrs`` names the columns used.
    """
    gdf = read_vector(source)
    where = str(gdf.attrs.get("source") or gdf.attrs.get("layer_id") or "tracks")
    kinds = set(shapely.get_type_id(gdf.geometry.values).tolist())
    if not kinds <= {1, 2, 5}:  # LineString, LinearRing, MultiLineString
        shown = ", ".join(sorted(set(gdf.geom_type.dropna())))
        raise DataError(f"{where}: has {shown} geometries; expected lines (patrol tracks)")
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    patrol = find_column(columns, patrol_col, _PATROL_NAMES, "patrol id", where)
    date = find_column(columns, time_col, _DATE_NAMES, "date", where)
    found = None
    if date is None:
        found = find_time_columns(columns, None, where=where)
        date = None if found is None else found.date
    out = gdf.copy()
    ids = (
        out[patrol].astype(str)
        if patrol is not None
        else pd.Series([f"track {i + 1}" for i in range(len(out))], index=out.index)
    )
    out["patrol"] = ids.to_numpy()
    clock = None if found is None or found.clock is None else out[found.clock]
    out["time"] = (
        parse_times(
            out[date],
            clock=clock,
            time_format=time_format,
            column=date,
            where=where,
            time_zone=time_zone,
        )
        if date is not None
        else np.full(len(out), np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    out.attrs.update(gdf.attrs, patrol_col=patrol, time_col=date)
    return out


def _regions(
    areas: Source | Sequence[Source] | None,
    countries: Source | None,
    *,
    per_feature: bool = False,
    name_col: str | None = None,
) -> tuple[list[str], list[str], list[Any]]:
    """Names, kinds and lon/lat polygons of the rows (None: the outside-protection row)."""
    from amurgeo.observations.count import area_regions, country_regions, summary_rows

    found = area_regions(areas, per_feature=per_feature, name_col=name_col)
    (inside, inside_kind), (outside, outside_kind) = summary_rows(found)
    names = [r.key for r in found] + [inside, outside]
    kinds = [r.kind for r in found] + [inside_kind, outside_kind]
    union = shapely.union_all([r.geom for r in found])
    geoms: list[Any] = [r.geom for r in found] + [union, None]
    for region in country_regions(countries):
        names.append(region.key)
        kinds.append("country")
        geoms.append(region.geom)
    return names, kinds, geoms


def _km(geoms: np.ndarray) -> np.ndarray:
    """Geodesic length (km) of each lon/lat line."""
    return np.array([GEOD.geometry_length(g) / 1000.0 if g is not None else 0.0 for g in geoms])


def patrol_effort(
    tracks: Source,
    *,
    areas: Source | Sequence[Source] | None = None,
    countries: Source | None = None,
    per_feature: bool = False,
    name_col: str | None = None,
    by: str | None = None,
    since: Any = None,
    until: Any = None,
    patrol_col: str | None = None,
    time_col: str | None = None,
    time_format: str | None = None,
    time_zone: str = "UTC",
) -> pd.DataFrame:
    """Geodesic km of patrol track and number of patrols per area (and period).

    Parameters
    ----------
    tracks
        Patrol tracks: a vector file or GeoDataFrame of lines (see :func:`read_patrols`).
    areas
        Area layers (ids, files or GeoDataFrames), each dissolved; default every bundled
        protected area.
    countries
        A countries layer (e.g. ``"countries"``) for rows per country (none for a country
        no track enters); default none.
    per_feature
        A row per feature of the area layers (survey blocks), named by `name_col`, else
        the usual name or id column, instead of each layer dissolved: the km of track
        clipped to each feature. Blocks that share edges add up to ``(inside any area)``
        (a track crossing an edge has no length on it; one drawn along it would count in
        both blocks).
    name_col
        Column that names the features (with `per_feature`).
    by
        ``year``, ``month``, ``week`` or ``day`` for rows per period.
    since, until
        Keep tracks dated from the start of `since` to the end of `until`.
    patrol_col, time_col, time_format, time_zone
        See :func:`read_patrols`; `since`, `until` and the periods are in `time_zone`.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``kind``, ``period`` (with `by`), ``patrols``, ``km``. Areas overlap, so
        their km do not add up; ``(any protected area)`` and ``(outside protection)`` do.

    Examples
    --------
    >>> from shapely.geometry import LineString, box
    >>> park = gpd.GeoDataFrame(geometry=[box(131.0, 43.0, 131.5, 43.5)], crs="EPSG:4326")
    >>> park.attrs["layer_id"] = "park"
    >>> walk = gpd.GeoDataFrame({"Patrol_ID": ["P1"], "Patrol_Start_Date": ["2023-02-01"]},
    ...                         geometry=[LineString([(131.25, 42.9), (131.25, 43.1)])],
    ...                         crs="EPSG:4326")
    >>> table = patrol_effort(walk, areas=park)
    >>> table[["area", "patrols", "km"]].values.tolist()
    [['park', 1, 11.11], ['(inside any area)', 1, 11.11], ['(outside the areas)', 1, 11.11]]
    """
    read = read_patrols(
        tracks,
        patrol_col=patrol_col,
        time_col=time_col,
        time_format=time_format,
        time_zone=time_zone,
    )
    where = str(read.attrs.get("source") or read.attrs.get("layer_id") or "tracks")
    times = read["time"].to_numpy(dtype="datetime64[ns]")
    if by is not None or since is not None or until is not None:
        if read.attrs.get("time_col") is None:
            raise UsageError(
                f"{where}: has no date column to count by period; name it with --time-col"
            )
        dated = ~np.isnat(times)
        if not dated.all():
            sample = read[read.attrs["time_col"]][~dated].iloc[0]
            warn_unreadable(where, read.attrs["time_col"], int((~dated).sum()), len(read), sample)
        keep = time_mask(times, since, until)
        read, times = read[keep], times[keep]
    codes = period_codes(times, by) if by is not None else np.zeros(len(read), dtype=np.int64)
    uniques = np.unique(codes) if by is not None else np.zeros(1, dtype=np.int64)
    names, kinds, geoms = _regions(areas, countries, per_feature=per_feature, name_col=name_col)
    lines = read.geometry.values
    total = _km(lines)
    patrol = read["patrol"].to_numpy()
    rows = []
    inside_any = None
    for name, kind, geom in zip(names, kinds, geoms, strict=True):
        if geom is None:  # outside protection: what is not inside any area
            km = np.maximum(total - (inside_any if inside_any is not None else 0.0), 0.0)
        else:
            km = _km(shapely.intersection(lines, geom))
            if kind in ("protected", "inside"):
                inside_any = km
        for code in uniques:
            chosen = (codes == code) & (km > 1e-9)
            row: dict[str, Any] = {"area": name, "kind": kind}
            if by is not None:
                row["period"] = period_labels(np.array([code]), by)[0]
            row["patrols"] = len(set(patrol[chosen].tolist()))
            row["km"] = round(float(km[codes == code].sum()), 2)
            rows.append(row)
    columns = ["area", "kind", *(["period"] if by is not None else []), "patrols", "km"]
    table = pd.DataFrame(rows, columns=columns)
    # a country no track enters has no rows (the user's areas keep theirs at zero)
    walked = table.groupby("area", sort=False)["km"].transform("sum")
    table = table[(table["kind"] != "country") | (walked > 0)].reset_index(drop=True)
    table.attrs.update(
        source=where, patrol_col=read.attrs.get("patrol_col"), time_col=read.attrs.get("time_col")
    )
    return table
