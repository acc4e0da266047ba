"""Binning observations into equal-area hexagons."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.errors import UsageError
from amurgeo.measure import FROM_EQUAL_AREA, TO_EQUAL_AREA
from amurgeo.observations.dates import check_time_zone
from amurgeo.observations.partitions import Tally
from amurgeo.observations.points import Observations, ObservationSource, ReadOptions
from amurgeo.observations.summarize import summarize

_SQRT3 = math.sqrt(3.0)


def hexagon_area_km2(size_m: float) -> float:
    """Area (km²) of a regular hexagon `size_m` metres across its flats."""
    return _SQRT3 / 2.0 * size_m * size_m / 1e6


@dataclass
class Hexes:
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
        lon, lat = FROM_EQUAL_AREA.transform(x.ravel(), y.ravel())
        return np.asarray(lon).reshape(x.shape), np.asarray(lat).reshape(x.shape)


def project_points(points: Observations) -> tuple[np.ndarray, np.ndarray]:
    x, y = TO_EQUAL_AREA.transform(points.lon, points.lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def bin_hexagons(
    x: np.ndarray, y: np.ndarray, size_m: float, species: np.ndarray | None = None
) -> Hexes:
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
    return Hexes(
        float(size_m), col_u * sx / 2.0, row_u * sy / 2.0, count.astype(np.int64), by_species
    )


def bin_points(points: Observations, size_m: float) -> Hexes:
    """Observations binned into hexagons `size_m` across (one batch of a partitioned source)."""
    x, y = project_points(points)
    return bin_hexagons(x, y, size_m, points.species)


def _cells(level: Hexes) -> np.ndarray:
    """Integer cell keys of a level's hexagon centres (doubled lattice coordinates)."""
    size = float(level.size_m)
    col = np.round(np.asarray(level.cx) * 2.0 / size).astype(np.int64)
    row = np.round(np.asarray(level.cy) * 2.0 / (size * math.sqrt(3.0))).astype(np.int64)
    return (col + (1 << 30)) * (1 << 31) + (row + (1 << 30))


def merge_hexes(a: Hexes, b: Hexes) -> Hexes:
    """One level of hexagons holding the counts of both (same size, same fixed grid)."""
    keys = np.concatenate([_cells(a), _cells(b)])
    cells, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    cx = np.concatenate([a.cx, b.cx])[first]
    cy = np.concatenate([a.cy, b.cy])[first]

    def summed(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        values = np.concatenate([x, y])
        return np.bincount(inverse, weights=values, minlength=len(cells)).astype(np.int64)

    count = summed(a.count, b.count)
    names = sorted(set(a.species) | set(b.species))
    zeros_a = np.zeros(len(a.count), np.int64)
    zeros_b = np.zeros(len(b.count), np.int64)
    species = {n: summed(a.species.get(n, zeros_a), b.species.get(n, zeros_b)) for n in names}
    return Hexes(a.size_m, cx, cy, count, species)


@dataclass(frozen=True)
class Ladder:
    """Hexagon sizes to bin into, coarsest first, and how many occupied hexagons to keep.

    The coarsest level is always kept; each finer one while it holds at most
    `level_budget` hexagons and the levels kept so far and it at most `total_budget`.
    """

    sizes: tuple[float, ...]
    level_budget: int
    total_budget: int

    def fits(self, kept: int, level: int) -> bool:
        """Whether a finer level of `level` hexagons fits after `kept` hexagons."""
        return level <= self.level_budget and kept + level <= self.total_budget


def _within(levels: list[Hexes], ladder: Ladder) -> list[Hexes]:
    kept, total = levels[:1], len(levels[0]) if levels else 0
    for level in levels[1:]:
        if not ladder.fits(total, len(level)):
            break
        kept.append(level)
        total += len(level)
    return kept


def bin_levels(points: Observations, ladder: Ladder) -> list[Hexes]:
    """Observations (one batch, or all of them) binned into the levels of `ladder`.

    Binning stops at the first finer level over the budgets. A level over budget for some
    of the observations is over budget for all of them (a hexagon occupied by a part is
    occupied by the whole), so levels merged with :func:`merge_levels` are exactly those
    that binning every observation at once gives.
    """
    x, y = project_points(points)
    levels: list[Hexes] = []
    total = 0
    for size in ladder.sizes:
        level = bin_hexagons(x, y, size, points.species)
        if levels and not ladder.fits(total, len(level)):
            break
        levels.append(level)
        total += len(level)
    return levels


def merge_levels(a: list[Hexes], b: list[Hexes], ladder: Ladder) -> list[Hexes]:
    """The levels of two parts merged (as far as both went), within the budgets again."""
    return _within([merge_hexes(x, y) for x, y in zip(a, b, strict=False)], ladder)


def density_levels_of(
    source: ObservationSource,
    ladder: Ladder,
    *,
    options: ReadOptions | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
) -> Tally[list[Hexes]]:
    """The hexagon levels of every observation of `source`, binned where they are read.

    Parquet (a file, a folder of partitions, a URL) is binned batch by batch, in this
    process, in local worker processes or on a dask cluster (see
    :func:`amurgeo.observations.partitions.map_points`): only the occupied hexagons of
    each batch come back, merged with :func:`merge_levels`. Any other source is read in
    memory and given to :func:`bin_levels` whole: the levels are the same.

    Returns
    -------
    Tally
        ``value``: the levels, coarsest first (None without observations); ``kept``: the
        observations binned.
    """
    return summarize(
        source,
        bin_levels,
        functools.partial(merge_levels, ladder=ladder),
        shared=ladder,
        options=options,
        workers=workers,
        scheduler=scheduler,
        storage_options=storage_options,
    )


def weighted_quantiles(
    values: np.ndarray, weights: np.ndarray, shares: tuple[float, ...]
) -> list[float]:
    """The values below which a `share` of the total weight lies (the inverted CDF).

    Examples
    --------
    >>> weighted_quantiles(np.array([3.0, 1.0, 2.0]), np.array([1, 98, 1]), (0.01, 0.99))
    [1.0, 2.0]
    """
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(np.asarray(weights, dtype=np.int64)[order])
    total = int(cumulative[-1])
    sorted_values = np.asarray(values, dtype=float)[order]
    found = []
    for share in shares:
        rank = min(max(math.ceil(share * total - 1e-9), 1), total)  # 0.01 * 300 is 3
        found.append(float(sorted_values[np.searchsorted(cumulative, rank)]))
    return found


def central_extent(hexes: Hexes, share: float = 0.01) -> tuple[float, float, float, float]:
    """West, south, east, north of the hexagon centres holding all but `share` of the
    observations on every side (centres weighted by their counts, in lon/lat)."""
    lon, lat = FROM_EQUAL_AREA.transform(hexes.cx, hexes.cy)
    west, east = weighted_quantiles(np.asarray(lon), hexes.count, (share, 1 - share))
    south, north = weighted_quantiles(np.asarray(lat), hexes.count, (share, 1 - share))
    return west, south, east, north


def _hexes_frame(hexes: Hexes) -> gpd.GeoDataFrame:
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
    time_col: str | None = None,
    time_format: str | None = None,
    since: Any = None,
    until: Any = None,
    time_zone: str = "UTC",
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
) -> gpd.GeoDataFrame:
    """Observations binned into equal-area hexagons: only the hexagons that hold some.

    Parameters
    ----------
    source, lon_col, lat_col, species_col, crs
        As in :func:`read_observations`.
    size_km
        Width of a hexagon across its flats (its area is sqrt(3)/2 * size_km²).
    time_col, time_format, since, until
        Bin only observations from the start of `since` to the end of `until`, as in
        :func:`count_observations`.
    time_zone
        Zone of the dates and of `since`/`until`, as in :func:`count_observations`.
    workers, scheduler, storage_options
        For Parquet (a file, a folder of partitions or a URL), binned piece by piece: as in
        :func:`count_observations`. Only the occupied hexagons come back from each piece.

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
    size_m = size_km * 1000.0
    check_time_zone(time_zone)
    tally = summarize(
        source,
        bin_points,
        merge_hexes,
        shared=size_m,
        options=ReadOptions(
            lon_col, lat_col, species_col, crs, time_col, time_format, time_zone=time_zone
        ),
        since=since,
        until=until,
        workers=workers,
        scheduler=scheduler,
        storage_options=storage_options,
    )
    empty = np.zeros(0)
    hexes = tally.value or Hexes(size_m, empty, empty, np.zeros(0, np.int64), {})
    order = np.lexsort((hexes.cx, -hexes.cy))
    sorted_hexes = Hexes(
        hexes.size_m,
        hexes.cx[order],
        hexes.cy[order],
        hexes.count[order],
        {k: v[order] for k, v in hexes.species.items()},
    )
    return _hexes_frame(sorted_hexes)
