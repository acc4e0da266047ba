"""A capped sample of observations per period (year, month ...), the same wherever it is drawn.

Maps draw the observations of each period as points; a period of millions would bury the
page. :func:`sample_rows` keeps at most `cap` observations of each period: those with the
smallest *sample key*, a hash of their coordinates, time and species
(:func:`sample_keys`). The keys do not depend on row order, so the sample is mergeable:
the sample of a folder's pieces, merged with :func:`merge_samples`, holds the very
observations the sample of the whole table holds, and partitioned folders are sampled where
they are read (:func:`period_sample_of`), never gathered whole.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from amurgeo.observations.dates import period_codes
from amurgeo.observations.partitions import Tally
from amurgeo.observations.points import Observations, ObservationSource, ReadOptions
from amurgeo.observations.summarize import summarize

__all__ = [
    "PERIOD_POINTS_IN_ALL",
    "PERIOD_POINT_CAP",
    "PeriodSample",
    "SamplePlan",
    "merge_samples",
    "period_sample_of",
    "sample_keys",
    "sample_periods",
    "sample_rows",
]

#: At most this many observations drawn per period layer.
PERIOD_POINT_CAP = 5_000
#: At most this many drawn in all the period layers of a map (fewer per period beyond 10).
PERIOD_POINTS_IN_ALL = 50_000


def sample_keys(
    lon: np.ndarray, lat: np.ndarray, times: np.ndarray, species: np.ndarray | None
) -> np.ndarray:
    """The sample key of each observation (uint64): a hash of its values, not of its row.

    Examples
    --------
    >>> t = np.array(["2021-05-01", "2021-05-02"], dtype="datetime64[ns]")
    >>> a = sample_keys(np.array([131.0, 131.5]), np.array([43.0, 43.2]), t, None)
    >>> b = sample_keys(np.array([131.5]), np.array([43.2]), t[1:], None)
    >>> bool(a[1] == b[0])
    True
    """
    columns: dict[str, Any] = {
        "lon": np.asarray(lon, dtype=np.float64),
        "lat": np.asarray(lat, dtype=np.float64),
        "time": np.asarray(times, dtype="datetime64[ns]").view(np.int64),
    }
    if species is not None:
        columns["species"] = np.asarray(species, dtype=object)
    frame = pd.DataFrame(columns)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)


def sample_rows(codes: np.ndarray, keys: np.ndarray, cap: int) -> np.ndarray:
    """Rows kept: per period code, the `cap` rows of smallest key (by period, then key)."""
    order = np.lexsort((keys, codes))
    sorted_codes = np.asarray(codes)[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return order[np.arange(len(order)) - first < cap]


@dataclass(frozen=True)
class SamplePlan:
    """How to sample: the period (``year``, ``month``, ``week``, ``day``) and the cap."""

    by: str
    cap: int = PERIOD_POINT_CAP


@dataclass
class PeriodSample:
    """Observations sampled per period, with how many each period holds in all.

    Attributes
    ----------
    totals
        Observations per period code (every one, not only those kept).
    codes, keys, lon, lat, times, species
        The kept observations: period code, sample key, coordinates, time and species
        (None without a species column), by period and key.
    """

    totals: dict[int, int]
    codes: np.ndarray
    keys: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    times: np.ndarray
    species: np.ndarray | None

    def take(self, rows: np.ndarray) -> PeriodSample:
        """The sample of `rows` only (the totals unchanged)."""
        species = None if self.species is None else self.species[rows]
        return PeriodSample(
            self.totals,
            self.codes[rows],
            self.keys[rows],
            self.lon[rows],
            self.lat[rows],
            self.times[rows],
            species,
        )


def sample_periods(points: Observations, plan: SamplePlan) -> PeriodSample:
    """The sample of some observations (one batch, or all of them); their times are read."""
    assert points.times is not None  # read with need_time
    codes = period_codes(points.times, plan.by)
    found, counts = np.unique(codes, return_counts=True)
    keys = sample_keys(points.lon, points.lat, points.times, points.species)
    whole = PeriodSample(
        {int(c): int(n) for c, n in zip(found, counts, strict=True)},
        codes,
        keys,
        np.asarray(points.lon, dtype=float),
        np.asarray(points.lat, dtype=float),
        np.asarray(points.times),
        points.species,
    )
    return whole.take(sample_rows(codes, keys, plan.cap))


def merge_samples(a: PeriodSample, b: PeriodSample, plan: SamplePlan) -> PeriodSample:
    """The sample of both parts: the same as sampling their observations together."""
    totals = dict(a.totals)
    for code, count in b.totals.items():
        totals[code] = totals.get(code, 0) + count
    species = (
        None if a.species is None or b.species is None else np.concatenate([a.species, b.species])
    )
    both = PeriodSample(
        totals,
        np.concatenate([a.codes, b.codes]),
        np.concatenate([a.keys, b.keys]),
        np.concatenate([a.lon, b.lon]),
        np.concatenate([a.lat, b.lat]),
        np.concatenate([a.times, b.times]),
        species,
    )
    return both.take(sample_rows(both.codes, both.keys, plan.cap))


def period_sample_of(
    source: ObservationSource,
    plan: SamplePlan,
    *,
    options: ReadOptions | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
) -> Tally[PeriodSample]:
    """The capped sample per period of every observation of `source` that has a time.

    Parquet (a file, a folder of partitions, a URL) is sampled batch by batch where it is
    read (see :func:`amurgeo.observations.partitions.map_points`); other sources are read
    in memory. Rows without a readable time are left out with one warning.
    """
    return summarize(
        source,
        sample_periods,
        functools.partial(merge_samples, plan=plan),
        shared=plan,
        options=options,
        need_time=True,
        workers=workers,
        scheduler=scheduler,
        storage_options=storage_options,
    )
