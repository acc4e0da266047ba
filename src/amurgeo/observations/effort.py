"""Camera-trap effort and detection rates from a Camtrap DP package.

Camtrap DP (https://camtrap-dp.tdwg.org, a TDWG standard; Wildlife Insights, Agouti, GBIF and
camtraptor use it) is a Frictionless Data Package: ``datapackage.json`` describing
``deployments.csv`` (where and when each camera stood), ``media.csv`` (the pictures) and
``observations.csv`` (what was seen).

Reading (:func:`read_camtrap_dp`)
---------------------------------
The package is validated with `frictionless <https://framework.frictionlessdata.io>`_, the
validator Camtrap DP itself is checked with: every cell of the columns amurgeo uses must have
its type (``deploymentStart`` a date-time, ``latitude`` a number between -90 and 90 ...),
identifiers must be unique and every observation's ``deploymentID`` must name a deployment. A
resource that carries its own table schema is checked against it; one that points to the
published schema by URL is checked against the fields amurgeo needs (no download). The first
problem is reported on one line with the file, row and field.

Effort (:func:`camtrap_effort`)
-------------------------------
Per area (default: every bundled protected area, then ``(any protected area)`` and
``(outside protection)``), per period (``by``) and per species:

* ``deployments``: deployments standing in the area during the period;
* ``trap_nights``: camera days, ``(deploymentEnd - deploymentStart)`` in units of 24 hours,
  the part that falls in the period (a deployment across New Year counts in both years);
* ``detections``: independent detections. A detection is an event-level ``animal``
  observation (``observationLevel`` ``event``; packages with media-level observations only
  have them grouped by ``eventID``). Detections of one species at one deployment less than
  ``independence`` apart (from the end of one to the start of the next, default 30 minutes)
  are merged into one: the usual rule for counting independent events;
* ``per_100_trap_nights``: ``100 * detections / trap_nights``, the relative abundance index
  of camera-trap studies.

Times are the clock times written in the package (see :mod:`amurgeo.observations.dates`);
a detection belongs to the period of its ``eventStart``.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from amurgeo.errors import DataError, UsageError
from amurgeo.io import Source
from amurgeo.observations.dates import (
    parse_bound,
    parse_times,
    period_codes,
    period_range,
    time_mask,
)

__all__ = [
    "CamtrapPackage",
    "camtrap_effort",
    "independent_detections",
    "read_camtrap_dp",
]

_REQUIRED = {"required": True}

#: Table schemas of the Camtrap DP fields amurgeo reads (names and types as the standard
#: defines them), used when a resource points to the published schema by URL.
_SCHEMAS: dict[str, dict[str, Any]] = {
    "deployments": {
        "fields": [
            {"name": "deploymentID", "type": "string", "constraints": _REQUIRED},
            {
                "name": "latitude",
                "type": "number",
                "constraints": {"required": True, "minimum": -90, "maximum": 90},
            },
            {
                "name": "longitude",
                "type": "number",
                "constraints": {"required": True, "minimum": -180, "maximum": 180},
            },
            {"name": "deploymentStart", "type": "datetime", "constraints": _REQUIRED},
            {"name": "deploymentEnd", "type": "datetime", "constraints": _REQUIRED},
        ],
        "primaryKey": ["deploymentID"],
    },
    "media": {
        "fields": [
            {"name": "mediaID", "type": "string", "constraints": _REQUIRED},
            {"name": "deploymentID", "type": "string", "constraints": _REQUIRED},
            {"name": "timestamp", "type": "datetime", "constraints": _REQUIRED},
        ],
        "primaryKey": ["mediaID"],
        "foreignKeys": [
            {
                "fields": ["deploymentID"],
                "reference": {"resource": "deployments", "fields": ["deploymentID"]},
            }
        ],
    },
    "observations": {
        "fields": [
            {"name": "observationID", "type": "string", "constraints": _REQUIRED},
            {"name": "deploymentID", "type": "string", "constraints": _REQUIRED},
            {"name": "eventID", "type": "string"},
            {"name": "eventStart", "type": "datetime", "constraints": _REQUIRED},
            {"name": "eventEnd", "type": "datetime"},
            {
                "name": "observationLevel",
                "type": "string",
                "constraints": {"required": True, "enum": ["media", "event"]},
            },
            {
                "name": "observationType",
                "type": "string",
                "constraints": {
                    "required": True,
                    "enum": ["animal", "human", "vehicle", "blank", "unknown", "unclassified"],
                },
            },
            {"name": "scientificName", "type": "string"},
        ],
        "primaryKey": ["observationID"],
        "foreignKeys": [
            {
                "fields": ["deploymentID"],
                "reference": {"resource": "deployments", "fields": ["deploymentID"]},
            }
        ],
    },
}
_TABLES = ("deployments", "media", "observations")
_UNIDENTIFIED = "(unidentified)"
_TYPE_WORDS = {
    "datetime": "an ISO 8601 date-time (2021-05-03T14:22:10+10:00)",
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
}


@dataclass
class CamtrapPackage:
    """A Camtrap DP package read into tables.

    Attributes
    ----------
    path
        The ``datapackage.json`` file.
    title
        The package's ``title`` (or its ``name``, or the folder name).
    deployments
        GeoDataFrame (EPSG:4326 points): ``deploymentID``, ``start``, ``end``
        (``datetime64[ns]``), ``locationName`` when present, and the other columns as read.
    observations
        DataFrame of ``observations.csv``, with ``start`` and ``end`` (``datetime64[ns]``).
    """

    path: Path
    title: str
    deployments: gpd.GeoDataFrame
    observations: pd.DataFrame


# ---------------------------------------------------------------------------------------------
# Reading and validating
# ---------------------------------------------------------------------------------------------


def _descriptor_path(source: str | os.PathLike[str]) -> Path:
    path = Path(os.fspath(source))
    if path.is_dir():
        path = path / "datapackage.json"
    if not path.exists():
        raise UsageError(f"{path}: file does not exist; expected a Camtrap DP datapackage.json")
    return path


def _load_descriptor(path: Path) -> dict[str, Any]:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: is not UTF-8 text; expected a JSON data package") from exc
    except ValueError as exc:
        raise DataError(f"{path}: is not JSON ({exc}); expected a data package") from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError(f"{path}: has no list of 'resources'; expected a Camtrap DP package")
    return descriptor


def _resources(descriptor: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    """The deployments, media and observations resources (media is optional)."""
    named = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    for name in ("deployments", "observations"):
        if name not in named:
            raise DataError(
                f"{path}: has no resource {name!r}; a Camtrap DP package has deployments, "
                "media and observations"
            )
    found = {n: named[n] for n in _TABLES if n in named}
    for name, resource in found.items():
        table = resource.get("path")
        if not isinstance(table, str) or not table:
            raise DataError(f"{path}: resource {name!r} has no 'path' to a CSV file")
        target = (path.parent / table).resolve()
        if not target.is_relative_to(path.parent.resolve()):
            raise DataError(f"{path}: resource {name!r} path {table!r} leaves the package folder")
        if not target.is_file():
            raise DataError(f"{path.parent / table}: file does not exist (resource {name!r})")
    return found


def _error_line(csv_path: Path, error: Any) -> str:
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    where = str(csv_path)
    if row is not None:
        where += f": row {row}"
    if field:
        where += f", field {field!r}"
    kind = getattr(error, "type", "")
    cell = getattr(error, "cell", None)
    if kind == "type-error" and cell is not None:
        found = re.search(r'type is "(\w+)', str(getattr(error, "note", "")))
        expected = _TYPE_WORDS.get(found.group(1), found.group(1)) if found else "valid value"
        return f"{where}: {cell!r} is not {expected}"
    key = re.search(
        r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)"',
        str(getattr(error, "note", "")),
    )
    if kind == "foreign-key" and key:
        return f"{where}: {key.group(1)} {key.group(2)!r} is not in {key.group(3)}"
    if kind == "constraint-error":
        return f"{where}: {cell!r} breaks the constraint {getattr(error, 'note', '')}"
    if kind == "missing-label":
        return f"{where}: the column is missing"
    return f"{where}: {' '.join(str(getattr(error, 'message', error)).split())}"


def _schema_for(name: str, table: Path) -> dict[str, Any]:
    """amurgeo's schema of a table: its required fields and the optional ones it has."""
    with open(table, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    schema = dict(_SCHEMAS[name])
    schema["fields"] = [
        f
        for f in _SCHEMAS[name]["fields"]
        if f["name"] in header or f.get("constraints", {}).get("required")
    ]
    schema["fieldsMatch"] = "subset"  # the table may have any other columns
    return schema


def _validate(descriptor: dict[str, Any], resources: dict[str, dict[str, Any]], path: Path) -> None:
    """Validate the tables amurgeo reads with frictionless; DataError on the first problem."""
    import frictionless

    checked = []
    for name, resource in resources.items():
        copy = {k: v for k, v in resource.items() if k not in ("profile", "$schema")}
        if not isinstance(copy.get("schema"), dict):
            # only the fields amurgeo reads; the tables may have any others
            copy["schema"] = _schema_for(name, path.parent / str(resource["path"]))
        checked.append(copy)
    package = frictionless.Package(
        {"name": "camtrap-dp", "resources": checked},
        basepath=str(path.parent),
    )
    report = package.validate()
    if report.valid:
        return
    for task in report.tasks:
        errors = list(task.errors)
        if errors:
            table = path.parent / str(resources.get(task.name, {}).get("path", task.name))
            more = len(errors) - 1
            tail = f" (and {more:,} more problem{'s' * (more > 1)} in that file)" if more else ""
            raise DataError(_error_line(table, errors[0]) + tail)
    first = report.errors[0] if report.errors else None
    raise DataError(f"{path}: is not a valid data package ({getattr(first, 'message', first)})")


def _read_table(path: Path, resource: dict[str, Any]) -> pd.DataFrame:
    table = path.parent / str(resource["path"])
    try:
        return pd.read_csv(table, dtype=str, keep_default_na=False, na_values=[""])
    except Exception as exc:
        raise DataError(f"{table}: cannot read as CSV ({' '.join(str(exc).split())})") from exc


def _times(frame: pd.DataFrame, column: str, table: str, time_zone: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    return parse_times(frame[column], column=column, where=table, time_zone=time_zone)


def _deployments(path: Path, resource: dict[str, Any], time_zone: str) -> gpd.GeoDataFrame:
    table = _read_table(path, resource)
    where = str(path.parent / str(resource["path"]))
    missing = [c for c in ("deploymentID", "latitude", "longitude") if c not in table.columns]
    missing += [c for c in ("deploymentStart", "deploymentEnd") if c not in table.columns]
    if missing:
        raise DataError(f"{where}: has no column {missing[0]!r}; expected Camtrap DP deployments")
    start = _times(table, "deploymentStart", where, time_zone)
    end = _times(table, "deploymentEnd", where, time_zone)
    bad = np.isnat(start) | np.isnat(end) | (end < start)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{where}: row {row + 2}, deployment {table['deploymentID'].iloc[row]!r}: "
            "deploymentEnd is missing, unreadable or before deploymentStart"
        )
    lon = pd.to_numeric(table["longitude"], errors="coerce")
    lat = pd.to_numeric(table["latitude"], errors="coerce")
    gdf = gpd.GeoDataFrame(
        table.assign(start=start, end=end),
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    if gdf["deploymentID"].duplicated().any():
        dup = gdf.loc[gdf["deploymentID"].duplicated(), "deploymentID"].iloc[0]
        raise DataError(f"{where}: deploymentID {dup!r} is not unique")
    return gdf


def read_camtrap_dp(
    source: str | os.PathLike[str], *, validate: bool = True, time_zone: str = "UTC"
) -> CamtrapPackage:
    """Read (and validate) a Camtrap DP package.

    Parameters
    ----------
    source
        The package's ``datapackage.json``, or the folder that holds it.
    validate
        Check the tables with frictionless first (see the module documentation). Turn off
        only for a package already validated, to save time on millions of observations.
    time_zone
        Zone the times are read into (default UTC): Camtrap DP stamps carry their offset
        (``2021-12-31T01:00:00+10:00``), converted into this zone; give the cameras' zone
        (``Asia/Vladivostok``) to cut periods (years, days) at local midnight.

    Returns
    -------
    CamtrapPackage

    Raises
    ------
    UsageError
        When there is no ``datapackage.json``.
    DataError
        For a broken package: not JSON, a missing resource or file, a cell of the wrong type,
        a duplicate identifier, an observation of an unknown deployment. The message names
        the file, row and field.
    """
    path = _descriptor_path(source)
    descriptor = _load_descriptor(path)
    resources = _resources(descriptor, path)
    if validate:
        _validate(descriptor, resources, path)
    deployments = _deployments(path, resources["deployments"], time_zone)
    observations = _read_table(path, resources["observations"])
    where = str(path.parent / str(resources["observations"]["path"]))
    for column in ("deploymentID", "eventStart", "observationType"):
        if column not in observations.columns:
            raise DataError(f"{where}: has no column {column!r}; expected Camtrap DP observations")
    unknown = ~observations["deploymentID"].isin(deployments["deploymentID"])
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataError(
            f"{where}: row {row + 2}: deploymentID {observations['deploymentID'].iloc[row]!r} "
            "is not in deployments"
        )
    start = _times(observations, "eventStart", where, time_zone)
    end = _times(observations, "eventEnd", where, time_zone)
    observations = observations.assign(start=start, end=np.where(np.isnat(end), start, end))
    title = str(descriptor.get("title") or descriptor.get("name") or path.parent.name)
    return CamtrapPackage(path, title, deployments, observations)


# ---------------------------------------------------------------------------------------------
# Independent detections
# ---------------------------------------------------------------------------------------------


def _independence(value: Any) -> np.timedelta64:
    try:
        delta = pd.Timedelta(value)
    except (ValueError, TypeError):
        delta = pd.NaT
    if delta is pd.NaT or pd.isna(delta) or delta < pd.Timedelta(0):
        raise UsageError(f"independence {value!r} is not a duration; expected e.g. 30min, 1h or 0")
    return np.timedelta64(delta.value, "ns")


def _animal_events(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, species): deploymentID, species, start, end."""
    animal = observations[observations["observationType"].astype(str) == "animal"]
    species = animal.get("scientificName", pd.Series(index=animal.index, dtype=object))
    animal = animal.assign(species=species.fillna(_UNIDENTIFIED).astype(str))
    level = animal.get("observationLevel", pd.Series("event", index=animal.index))
    events = animal[level.astype(str) == "event"]
    if events.empty and not animal.empty:  # media-level only: one event per eventID
        media = animal[level.astype(str) != "event"]
        if "eventID" in media.columns:
            key = media["eventID"].fillna(media.get("observationID", media.index.to_series()))
            media = media.assign(eventID=key)
            events = (
                media.groupby(["deploymentID", "eventID", "species"], sort=False)
                .agg(start=("start", "min"), end=("end", "max"))
                .reset_index()
            )
        else:
            events = media
    return events[["deploymentID", "species", "start", "end"]].reset_index(drop=True)


def independent_detections(package: CamtrapPackage, *, independence: Any = "30min") -> pd.DataFrame:
    """Independent detections of each species at each deployment.

    Parameters
    ----------
    package
        From :func:`read_camtrap_dp`.
    independence
        Detections of one species at one deployment less than this apart (end of one to
        start of the next) are merged: a pandas duration such as ``"30min"`` or ``"1h"``;
        ``0`` merges only overlapping events.

    Returns
    -------
    pandas.DataFrame
        ``deploymentID``, ``species``, ``start``, ``end`` and ``events`` (how many events
        were merged), sorted by deployment, species and start.
    """
    gap = _independence(independence)
    events = _animal_events(package.observations)
    events = events.sort_values(["deploymentID", "species", "start"], kind="stable")
    same = (events["deploymentID"].eq(events["deploymentID"].shift())) & (
        events["species"].eq(events["species"].shift())
    )
    # the end of the run so far, not just of the previous event (an event may hold a long one)
    run_end = events.groupby(["deploymentID", "species"], sort=False)["end"].cummax().shift()
    new = ~same.to_numpy() | ~((events["start"] - run_end).to_numpy() < gap)
    run = np.cumsum(new)
    detections = (
        events.assign(run=run)
        .groupby("run", sort=True)
        .agg(
            deploymentID=("deploymentID", "first"),
            species=("species", "first"),
            start=("start", "min"),
            end=("end", "max"),
            events=("start", "size"),
        )
        .reset_index(drop=True)
    )
    return detections


# ---------------------------------------------------------------------------------------------
# Effort per area and period
# ---------------------------------------------------------------------------------------------


def _area_masks(
    deployments: gpd.GeoDataFrame,
    areas: Source | Sequence[Source] | None,
    countries: Any,
    *,
    per_feature: bool = False,
    name_col: str | None = None,
) -> tuple[list[str], list[str], list[np.ndarray]]:
    """Which deployments stand in each area: names, kinds and masks (as observations rows).

    A deployment on an edge two areas share stands in the first of them (see
    :func:`amurgeo.geometry.assign_to_features`)."""
    from amurgeo.observations.count import area_regions, country_regions, membership
    from amurgeo.observations.points import Observations

    lon = deployments.geometry.x.to_numpy(dtype=float)
    lat = deployments.geometry.y.to_numpy(dtype=float)
    points = Observations(lon=lon, lat=lat, species=None, name="deployments", where="deployments")
    regions = area_regions(areas, per_feature=per_feature, name_col=name_col)
    return membership(points, regions, country_regions(countries))


def _spans(
    deployments: gpd.GeoDataFrame, since: Any, until: Any, by: str | None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Periods, and each deployment's start and end clipped to since/until.

    A deployment wholly outside the window becomes an empty span at its edge, so that the
    periods stay inside the window.
    """
    start = deployments["start"].to_numpy(dtype="datetime64[ns]")
    end = deployments["end"].to_numpy(dtype="datetime64[ns]")
    if since is not None:
        lo = parse_bound(since, what="since")
        start, end = np.maximum(start, lo), np.maximum(end, lo)
    if until is not None:
        hi = parse_bound(until, end=True, what="until")
        start, end = np.minimum(start, hi), np.minimum(end, hi)
    end = np.maximum(end, start)
    first, last = start.min(), end.max()
    if by is None:
        periods = pd.DataFrame({"code": [0], "period": [None], "start": [first], "end": [last]})
    else:
        periods = period_range(first, last, by)
    return periods, start, end


def camtrap_effort(
    source: str | os.PathLike[str] | CamtrapPackage,
    *,
    areas: Source | Sequence[Source] | None = None,
    countries: Source | None = None,
    per_feature: bool = False,
    name_col: str | None = None,
    by: str | None = None,
    since: Any = None,
    until: Any = None,
    independence: Any = "30min",
    validate: bool = True,
    time_zone: str = "UTC",
) -> pd.DataFrame:
    """Camera-trap effort and independent detections per area, period and species.

    Parameters
    ----------
    source
        A ``datapackage.json`` (or its folder), or a package from :func:`read_camtrap_dp`.
    areas
        Area layers (ids, files or GeoDataFrames); default every bundled protected area.
        A deployment in the interior of several areas counts in each; one only on their
        boundaries (the shared edge of two blocks) in the first of them, in file order.
    countries
        A countries layer (e.g. ``"countries"``) for rows per country (none for a country
        where no camera stood); default none.
    per_feature
        A row per feature of the area layers (survey blocks), named by `name_col`, else
        the usual name or id column, instead of each layer dissolved.
    name_col
        Column that names the features (with `per_feature`).
    by
        ``year``, ``month``, ``week`` or ``day`` for rows per period; None for one period.
    since, until
        Keep effort and detections from the start of `since` to the end of `until`
        (``2021``, ``2021-05``, ``2021-05-03`` or a date-time).
    independence
        See :func:`independent_detections`.
    validate, time_zone
        See :func:`read_camtrap_dp`.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``kind``, ``period`` (with `by`), ``species``, ``deployments``,
        ``trap_nights``, ``detections``, ``per_100_trap_nights``; one row per area, period
        and species detected anywhere in the package (see the module documentation).
    """
    gap = _independence(independence)
    package = (
        source
        if isinstance(source, CamtrapPackage)
        else read_camtrap_dp(source, validate=validate, time_zone=time_zone)
    )
    deployments = package.deployments
    names, kinds, masks = _area_masks(
        deployments, areas, countries, per_feature=per_feature, name_col=name_col
    )
    periods, start, end = _spans(deployments, since, until, by)
    p_start = periods["start"].to_numpy(dtype="datetime64[ns]")
    p_end = periods["end"].to_numpy(dtype="datetime64[ns]")
    overlap = np.minimum(end[:, None], p_end[None, :]) - np.maximum(
        start[:, None], p_start[None, :]
    )
    nights = np.clip(overlap.astype(np.int64), 0, None) / 86_400e9  # deployments x periods
    active = nights > 0

    detections = independent_detections(package, independence=gap)
    # every species of the package, also those with no detection in the window (zeros)
    species = sorted(detections["species"].unique().tolist()) or [None]
    keep = np.ones(len(detections), dtype=bool)
    times = detections["start"].to_numpy(dtype="datetime64[ns]")
    if since is not None or until is not None:
        keep = time_mask(times, since, until)
    detections = detections[keep]
    times = times[keep]
    index = pd.Index(deployments["deploymentID"]).get_indexer(detections["deploymentID"])
    if by is None:
        p_index = np.zeros(len(detections), dtype=np.int64)
    else:
        p_index = pd.Index(periods["code"]).get_indexer(period_codes(times, by))
    s_index = pd.Index(species).get_indexer(detections["species"])

    rows = []
    for name, kind, mask in zip(names, kinds, masks, strict=True):
        inside = mask[index] & (p_index >= 0)
        counts = np.zeros((len(periods), len(species)), dtype=np.int64)
        np.add.at(counts, (p_index[inside], s_index[inside]), 1)
        deployed = active[mask].sum(axis=0)
        trap_nights = nights[mask].sum(axis=0)
        for p, period in enumerate(periods["period"]):
            for s, sp in enumerate(species):
                tn = float(trap_nights[p])
                det = int(counts[p, s]) if sp is not None else 0
                rows.append(
                    {
                        "area": name,
                        "kind": kind,
                        "period": period,
                        "species": sp,
                        "deployments": int(deployed[p]),
                        "trap_nights": round(tn, 2),
                        "detections": det,
                        "per_100_trap_nights": round(100.0 * det / tn, 2) if tn > 0 else np.nan,
                    }
                )
    table = pd.DataFrame(rows)
    # a country where no camera stood has no rows (the user's areas keep theirs at zero)
    stood = table.groupby("area", sort=False)["deployments"].transform("sum")
    table = table[(table["kind"] != "country") | (stood > 0)].reset_index(drop=True)
    if by is None:
        table = table.drop(columns="period")
    table.attrs.update(
        source=str(package.path),
        title=package.title,
        independence=str(pd.Timedelta(gap)),
        by=by,
    )
    return table
