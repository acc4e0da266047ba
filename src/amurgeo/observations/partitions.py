"""Observations too many for memory: a folder of (Geo)Parquet partitions, or a URL of one.

A folder of Parquet files (as dask, Spark or ``to_parquet(partition_cols=...)`` write them;
hive ``key=value`` folders become columns), or an fsspec URL of a folder or file
(``s3://``, ``gs://``, ``abfs://``, ``https://`` ...), is worked on piece by piece with
:mod:`amurgeo.observations.pieces`: each batch of rows becomes :class:`Observations`
(the same column rules and cleaning as one file), the caller's task turns them into a small
result (a count table, hexagons), and the results are merged. Only one batch per worker is
ever in memory.

Where the work runs (:func:`map_points`):

* ``workers=1``: in this process, one piece after another;
* ``workers=N`` (default: every core for big folders): in N local processes;
* ``scheduler=`` an address or a ``dask.distributed.Client`` (default: the
  ``DASK_SCHEDULER_ADDRESS`` environment variable): on that dask cluster
  (``amurgeo[dask]``).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

from amurgeo.errors import DataError, UsageError
from amurgeo.observations import pieces as _pieces
from amurgeo.observations.dates import (
    SlashEvidence,
    TimeColumns,
    find_time_columns,
    parse_times,
    time_mask,
    warn_unreadable,
)
from amurgeo.observations.points import (
    SPECIES_NAMES,
    Observations,
    ReadOptions,
    coordinate_columns,
    drop_invalid,
    find_column,
    from_frame,
    from_geometries,
    keep_only,
    species_seen,
    warn_dropped,
)

__all__ = [
    "Layout",
    "Tally",
    "is_partitioned",
    "is_piecewise",
    "is_url",
    "map_points",
    "read_partitioned",
    "resolve_scheduler",
]

T = TypeVar("T")

_ADDRESS = re.compile(r"^(?:(tcp|tls|ucx|ws|wss)://)?(\[[0-9a-fA-F:]+\]|[\w.\-]+):(\d{1,5})$")


def is_url(source: object) -> bool:
    """Whether `source` is an fsspec URL (``s3://bucket/obs/``), not a local path."""
    return _pieces.is_url(source)


def is_partitioned(path: Path) -> bool:
    """A directory of (Geo)Parquet partitions (not a shapefile folder or geodatabase)."""
    if not path.is_dir() or path.suffix.lower() == ".gdb" or any(path.glob("*.shp")):
        return False
    return any(p.suffix.lower() in _pieces.PARQUET_SUFFIXES for p in path.rglob("*") if p.is_file())


def is_piecewise(source: Any) -> bool:
    """Whether `source` is counted piece by piece: Parquet (a file or folder of them) or a URL.

    Examples
    --------
    >>> is_piecewise("s3://bucket/obs/"), is_piecewise("cams.parquet"), is_piecewise("c.csv")
    (True, True, False)
    """
    if is_url(source):
        return True
    if not isinstance(source, (str, os.PathLike)):
        return False
    path = Path(os.fspath(source))
    return path.suffix.lower() in _pieces.PARQUET_SUFFIXES or is_partitioned(path)


def resolve_scheduler(scheduler: Any, workers: int | None) -> Any:
    """The scheduler to use: `scheduler`, else ``DASK_SCHEDULER_ADDRESS`` (without `workers`).

    Parameters
    ----------
    scheduler
        A ``dask.distributed.Client``, an address (``tcp://host:8786`` or ``host:8786``), or
        None.
    workers
        Local worker processes asked for; with a `scheduler` too, a UsageError.

    Returns
    -------
    A Client, an address with its protocol (``tcp://`` by default), or None (local work).

    Raises
    ------
    UsageError
        For an address that is not ``[protocol://]host:port``, or both arguments.

    Examples
    --------
    >>> resolve_scheduler("10.0.0.5:8786", None)
    'tcp://10.0.0.5:8786'
    """
    if scheduler is not None and workers is not None:
        raise UsageError("give workers (local processes) or scheduler (a dask cluster), not both")
    where = "scheduler"
    if scheduler is None and workers is None:
        scheduler = os.environ.get(_pieces.SCHEDULER_ENV) or None
        where = _pieces.SCHEDULER_ENV
    if scheduler is None or not isinstance(scheduler, str):
        return scheduler
    match = _ADDRESS.match(scheduler.strip())
    if match is None or not 0 < int(match.group(3)) < 65536:
        raise UsageError(
            f"{where} {scheduler!r} is not a dask scheduler address; expected "
            "[tcp://]HOST:PORT, e.g. tcp://10.0.0.5:8786"
        )
    return scheduler.strip() if match.group(1) else f"tcp://{scheduler.strip()}"


@dataclass(frozen=True)
class Layout:
    """How a batch of rows becomes :class:`Observations` (sent to every worker).

    Attributes
    ----------
    where, name
        The source as given (for messages) and its short name.
    geometry
        The GeoParquet geometry column, or None for coordinate columns.
    lon, lat, species
        The coordinate and species columns (lon/lat None with a geometry).
    options
        The reading options as the caller gave them.
    time
        The time column(s) to read, or None.
    slash_order
        The order of slashed dates, judged once for the whole source before
        its batches are read; None when it has none or the options give a time format.
    """

    where: str
    name: str
    geometry: str | None
    lon: Any
    lat: Any
    species: Any
    options: ReadOptions
    time: TimeColumns | None = None
    slash_order: str | None = None

    def columns(self) -> list[Any]:
        """The columns to read."""
        first = [self.geometry] if self.geometry is not None else [self.lon, self.lat]
        time = self.time.names() if self.time is not None else []
        return list(dict.fromkeys(c for c in (*first, self.species, *time) if c is not None))

    def points(self, frame: pd.DataFrame) -> Observations:
        """The observations of one batch: coordinates checked, times read (not filtered)."""
        if self.geometry is not None:
            points = from_geometries(frame, self.species, self.name, self.where, self.species)
        else:
            points = from_frame(
                frame,
                name=self.name,
                where=self.where,
                lon_col=self.options.lon_col,
                lat_col=self.options.lat_col,
                species_col=self.options.species_col,
                crs=self.options.crs,
                columns=(self.lon, self.lat, self.species),
            )
        if self.time is not None:
            clock = frame[self.time.clock] if self.time.clock is not None else None
            times = parse_times(
                frame[self.time.date],
                clock=clock,
                time_format=self.options.time_format,
                column=self.time.date,
                where=self.where,
                time_zone=self.options.time_zone,
                slash_order=self.slash_order,
            )
            rows = points.row_index if points.row_index is not None else np.arange(len(points))
            points.times = times[rows]
            points.time_col = str(self.time.date)
        return drop_invalid(points, crs_given=self.options.crs is not None, warn=False)


def layout(source: _pieces.PieceSource, options: ReadOptions, *, need_time: bool = False) -> Layout:
    """Find the columns of `source` by the rules of one file (see :mod:`amurgeo.observations`)."""
    where, columns = source.where, list(source.columns)
    lon_col, lat_col, species_col = options.lon_col, options.lat_col, options.species_col
    time_col = options.time_col
    species = find_column(columns, species_col, SPECIES_NAMES, "species", where)
    time = None
    if need_time or time_col is not None:
        time = find_time_columns(columns, time_col, where=where)
        if time is None:
            shown = ", ".join(str(c) for c in columns[:20])
            raise DataError(
                f"{where}: no date/time column found (looked for DateTime, timestamp, "
                f"eventStart, eventDate, date, acq_date ...; its columns are: {shown}); "
                "name it with --time-col"
            )
    common: dict[str, Any] = {
        "where": where,
        "name": source.name,
        "options": options,
        "time": time,
    }
    if source.geometry is not None and lon_col is None and lat_col is None:
        species = None if species == source.geometry else species
        return Layout(geometry=source.geometry, lon=None, lat=None, species=species, **common)
    lon, lat = coordinate_columns(columns, lon_col, lat_col, where)
    return Layout(geometry=None, lon=lon, lat=lat, species=species, **common)


def _slash_evidence(frame: pd.DataFrame, column: Any) -> SlashEvidence:
    """Runs on a worker: what one batch's slashed dates tell about their order."""
    return SlashEvidence.of(frame[column])


def _slash_order(
    source: _pieces.PieceSource, plan: Layout, workers: int | None, scheduler: Any
) -> str | None:
    """The order of the slashed dates of the whole `source`, as one column's would be judged.

    A pass that reads only the date column, so that no batch is judged on its own values
    (all at most 12 in one, day first in another). None without a time column, with a
    time format given, or without slashed dates.

    Raises
    ------
    DataError
        When no value of the whole source tells day/month from month/day.
    """
    if plan.time is None or plan.options.time_format is not None:
        return None
    column = plan.time.date
    evidence = _pieces.run(
        source,
        _slash_evidence,
        SlashEvidence.merge,
        columns=[column],
        shared=column,
        workers=workers,
        scheduler=scheduler,
    )
    return None if evidence is None else evidence.order(column, plan.where)


@dataclass
class Tally(Generic[T]):
    """A task's result over some batches, with what was read and dropped on the way.

    Attributes
    ----------
    value
        The task's result (None when no batch had a row to keep).
    rows
        Rows read.
    dropped
        Rows dropped for their coordinates.
    untimed
        Rows dropped because their time is missing or unreadable (when times are read).
    kept
        Observations the task saw (after the time filter).
    has_species
        Whether the source has a species column.
    name, where
        The source's short name and the path or URL as given (set by :func:`map_points`).
    species
        The species keys of the rows read, before the since/until filter (when there is
        one), so that a species with nothing in the window still gets its (zero) count.
    """

    value: T | None
    rows: int = 0
    dropped: int = 0
    untimed: int = 0
    kept: int = 0
    has_species: bool = False
    name: str = ""
    where: str = ""
    species: frozenset[str] = frozenset()


def _on_batch(
    frame: pd.DataFrame,
    shared: tuple[Layout, Any, Any, Any],
    *,
    task: Callable[[Observations, Any], T],
) -> Tally[T]:
    """Runs on a worker: one batch of rows to observations, filtered by time, to `task`."""
    plan, task_shared, since, until = shared
    points = plan.points(frame)
    rows, dropped, untimed, species = points.rows, points.dropped, 0, frozenset[str]()
    if points.times is not None:
        untimed = int(np.isnat(points.times).sum())
        if since is not None or until is not None:  # what the window may leave out
            species = species_seen(points)
        points = keep_only(points, time_mask(points.times, since, until))
    value = task(points, task_shared) if len(points) else None
    return Tally(value, rows, dropped, untimed, len(points), species=species)


def _merge(a: Tally[T], b: Tally[T], *, combine: Callable[[T, T], T]) -> Tally[T]:
    if a.value is None:
        value = b.value
    elif b.value is None:
        value = a.value
    else:
        value = combine(a.value, b.value)
    return Tally(
        value,
        a.rows + b.rows,
        a.dropped + b.dropped,
        a.untimed + b.untimed,
        a.kept + b.kept,
        species=a.species | b.species,
    )


def map_points(
    source: str | os.PathLike[str],
    task: Callable[[Observations, Any], T],
    combine: Callable[[T, T], T],
    *,
    shared: Any = None,
    options: ReadOptions | None = None,
    need_time: bool = False,
    since: Any = None,
    until: Any = None,
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
) -> Tally[T]:
    """Apply ``task(points, shared)`` to every batch of a partitioned source, merge results.

    Parameters
    ----------
    source
        A folder of (Geo)Parquet partitions or a Parquet file, local or an fsspec URL.
    task
        A picklable callable (a module-level function): the :class:`Observations` of one
        batch (coordinates cleaned, times filtered) and `shared` in, a small result out.
    combine
        Merges two results (in any order).
    shared
        What every task needs (area polygons ...): sent once to every worker.
    options
        Columns, CRS and time column, as in :func:`amurgeo.observations.read_observations`.
    need_time, since, until
        Read the times (and fail without a time column); keep only those from `since` to
        the end of `until`. Rows without a readable time are left out (counted in
        ``untimed``).
    workers, scheduler
        Where the work runs (see the module documentation); `scheduler` defaults to the
        ``DASK_SCHEDULER_ADDRESS`` environment variable when `workers` is not given.
    storage_options
        fsspec options for a URL (credentials, ``anon``, endpoint ...), as dask takes them.

    Returns
    -------
    Tally
        The merged result and the row counts. Dropped rows are warned about here, once.
    """
    opened = _pieces.open_source(source, storage_options)
    plan = layout(
        opened,
        options or ReadOptions(),
        need_time=need_time or since is not None or until is not None,
    )
    cluster = resolve_scheduler(scheduler, workers)
    plan = dataclasses.replace(plan, slash_order=_slash_order(opened, plan, workers, cluster))
    result = _pieces.run(
        opened,
        functools.partial(_on_batch, task=task),
        functools.partial(_merge, combine=combine),
        columns=plan.columns(),
        shared=(plan, shared, since, until),
        workers=workers,
        scheduler=cluster,
    )
    tally: Tally[T] = result if result is not None else Tally(None)
    tally.has_species = plan.species is not None
    tally.name, tally.where = opened.name, opened.where
    if tally.dropped:
        warn_dropped(opened.where, tally.dropped, tally.rows)
    if tally.untimed:
        assert plan.time is not None
        warn_unreadable(opened.where, plan.time.date, tally.untimed, tally.rows, None)
    return tally


def _keep_points(points: Observations, shared: Any) -> Observations:
    points.row_index = None
    return points


def _concat(a: Observations, b: Observations) -> Observations:
    def joined(x: np.ndarray | None, y: np.ndarray | None) -> np.ndarray | None:
        return None if x is None or y is None else np.concatenate([x, y])

    a.lon, a.lat = np.concatenate([a.lon, b.lon]), np.concatenate([a.lat, b.lat])
    a.species, a.times = joined(a.species, b.species), joined(a.times, b.times)
    return a


def read_partitioned(
    source: str | os.PathLike[str],
    options: ReadOptions | None = None,
    *,
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
) -> Observations:
    """Every observation of a partitioned source, in memory (for maps and tables).

    Read piece by piece like :func:`map_points`; the coordinate and species arrays are
    joined at the end, so the whole table must fit in memory.
    """
    tally = map_points(
        source,
        _keep_points,
        _concat,
        options=options,
        workers=workers,
        scheduler=scheduler,
        storage_options=storage_options,
    )
    where = os.fspath(source)
    if tally.value is None:
        opened = _pieces.open_source(source, storage_options)
        plan = layout(opened, options or ReadOptions())
        empty = np.zeros(0, dtype=float)
        points = Observations(
            empty,
            empty.copy(),
            None if plan.species is None else np.zeros(0, dtype=object),
            opened.name,
            where,
        )
    else:
        points = tally.value
    points.where, points.rows, points.dropped = where, tally.rows, tally.dropped
    return points
