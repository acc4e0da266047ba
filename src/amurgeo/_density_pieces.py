"""Mergeable summaries for maps of observations: where they lie, and hexagon levels.

Both are computed on any piece of the observations and merged by addition, so a map of a
partitioned folder is built from small per-piece results, and the in-memory path (one
piece) gives the very same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from amurgeo.observations.hexbin import merge_hexes

__all__ = ["SPREAD_STEP_DEG", "Spread", "bin_levels", "merge_levels"]

#: Resolution (degrees) of the histograms that place the central 98 % of observations.
SPREAD_STEP_DEG = 1e-3


def _histogram(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bins = np.floor(np.asarray(values, dtype=float) / SPREAD_STEP_DEG).astype(np.int64)
    keys, counts = np.unique(bins, return_counts=True)
    return keys, counts.astype(np.int64)


def _add(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    keys, inverse = np.unique(np.concatenate([a[0], b[0]]), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([a[1], b[1]]), minlength=len(keys))
    return keys, counts.astype(np.int64)


def _quantile_bins(keys: np.ndarray, counts: np.ndarray, share: float) -> tuple[int, int]:
    """The bins holding the k-th smallest and k-th largest value (k = ceil(share * n))."""
    total = int(counts.sum())
    k = max(1, math.ceil(share * total))
    cumulative = np.cumsum(counts)
    low = int(keys[np.searchsorted(cumulative, k)])
    high = int(keys[np.searchsorted(cumulative, total - k + 1)])
    return low, high


@dataclass
class Spread:
    """Where observations lie: histograms of longitude and latitude (bins of 0.001°).

    Examples
    --------
    >>> lon = np.linspace(130.0, 132.0, 1001)
    >>> spread = Spread.of(lon[:500], lon[:500] - 87).merge(Spread.of(lon[500:], lon[500:] - 87))
    >>> spread.count, spread.central(0.01)
    (1001, (130.02, 43.02, 131.981, 44.98))
    """

    lon: tuple[np.ndarray, np.ndarray]
    lat: tuple[np.ndarray, np.ndarray]

    @classmethod
    def of(cls, lon: np.ndarray, lat: np.ndarray) -> Spread:
        """The spread of points given as lon/lat arrays (degrees)."""
        return cls(_histogram(lon), _histogram(lat))

    @property
    def count(self) -> int:
        """How many points."""
        return int(self.lon[1].sum())

    def merge(self, other: Spread) -> Spread:
        """The spread of both sets of points."""
        return Spread(_add(self.lon, other.lon), _add(self.lat, other.lat))

    def central(self, share: float = 0.01) -> tuple[float, float, float, float]:
        """West, south, east, north of the points but the outer `share` on every side.

        Edges are those of the 0.001° bins holding the cut-off points, outward.
        """
        west, east = _quantile_bins(*self.lon, share)
        south, north = _quantile_bins(*self.lat, share)
        step = SPREAD_STEP_DEG
        return (
            round(west * step, 6),
            round(south * step, 6),
            round((east + 1) * step, 6),
            round((north + 1) * step, 6),
        )


def bin_levels(
    x: np.ndarray,
    y: np.ndarray,
    species: np.ndarray | None,
    sizes: Sequence[float],
    *,
    level_budget: int,
    total_budget: int,
    hexbin: Any,
) -> list[Any]:
    """Hexagons at each of `sizes` (coarse to fine) while within the budgets.

    The first level is always kept; a finer one is kept while it holds at most
    `level_budget` hexagons and all kept levels at most `total_budget`.
    """
    levels: list[Any] = []
    total = 0
    for size in sizes:
        level = hexbin(x, y, size, species)
        if levels and (len(level) > level_budget or total + len(level) > total_budget):
            break
        levels.append(level)
        total += len(level)
    return levels


def merge_levels(a: list[Any], b: list[Any]) -> list[Any]:
    """Levels of both pieces, as far as both went (the budgets stop the merged one there too)."""
    return [merge_hexes(x, y) for x, y in zip(a, b, strict=False)]
