"""One entry for every summary of observations: Parquet piece by piece, the rest in memory.

:func:`summarize` is what :func:`amurgeo.observations.count_observations` and
:func:`amurgeo.observations.observation_density` call: Parquet (a file, a folder of
partitions, a URL) goes through :func:`amurgeo.observations.partitions.map_points`, batch
by batch; a CSV, vector file or table is read whole and given to the same task as one batch.
Either way the task sees cleaned, time-filtered :class:`Observations` and the caller gets a
:class:`~amurgeo.observations.partitions.Tally`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from amurgeo.errors import UsageError
from amurgeo.observations.partitions import Tally, is_piecewise, map_points
from amurgeo.observations.points import (
    Observations,
    ObservationSource,
    ReadOptions,
    species_seen,
)
from amurgeo.observations.read import in_time, read_points

__all__ = ["summarize"]

T = TypeVar("T")


def summarize(
    source: ObservationSource,
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
    """``task(points, shared)`` over every observation of `source`, results merged.

    Parameters are those of :func:`amurgeo.observations.partitions.map_points`; `source`
    may also be any file or table :func:`amurgeo.observations.read_observations` reads,
    but then `workers`, `scheduler` and `storage_options` are refused (it is read in
    memory, in this process). With times read (`need_time`, `since` or `until`), rows
    without a readable time are left out with one warning (``untimed``).
    """
    timed = need_time or since is not None or until is not None
    if is_piecewise(source):
        return map_points(
            source,  # type: ignore[arg-type]
            task,
            combine,
            shared=shared,
            options=options,
            need_time=timed,
            since=since,
            until=until,
            workers=workers,
            scheduler=scheduler,
            storage_options=storage_options,
        )
    if workers is not None or scheduler is not None or storage_options:
        shown = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "DataFrame"
        raise UsageError(
            f"{shown}: workers, scheduler and storage options are for Parquet (a file, a "
            "folder of partitions or a URL); this source is read in memory"
        )
    points = read_points(source, **(options or ReadOptions()).keywords(), need_time=timed)
    dropped, species = points.dropped, frozenset[str]()
    if timed:
        if since is not None or until is not None:  # what the window may leave out
            species = species_seen(points)
        points = in_time(points, since, until)
    value = task(points, shared) if len(points) else None
    return Tally(
        value,
        rows=points.rows,
        dropped=dropped,
        untimed=points.dropped - dropped,
        kept=len(points),
        has_species=points.species is not None,
        name=points.name,
        where=points.where,
        species=species,
    )
