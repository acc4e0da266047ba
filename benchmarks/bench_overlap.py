"""Benchmark: all-pairs overlap of many polygons, spatial index against a plain pairwise loop.

Run from the repository root::

    python benchmarks/bench_overlap.py [--polygons 1000] [--seed 7] [--naive-pairs 100000]
    python benchmarks/bench_overlap.py --full      # run the whole plain loop, no extrapolation

It draws deterministic random polygons (seeded) across the Amur region, times
:func:`amurgeo.analysis.overlap_matrix` (``per_feature=True``), and times a plain double loop
that intersects every pair in the same equal-area projection and measures the non-empty
intersections geodesically, as ``overlap_matrix`` does. Unless ``--full`` is given, the plain
loop runs over its first ``--naive-pairs`` pairs and the total is extrapolated (printed as
such). The overlaps both find over the pairs the loop ran are compared.

This is a script, not a timed test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import shapely

from amurgeo.analysis import overlap_matrix
from amurgeo.measure import from_equal_area, geodesic_area_km2, to_equal_area


def random_polygons(count: int, seed: int) -> gpd.GeoDataFrame:
    """`count` star-shaped polygons (24 vertices, radius 2-15 km) in 129-134 E, 42-46 N."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(129.0, 134.0, count)
    lat = rng.uniform(42.0, 46.0, count)
    radius_km = rng.uniform(2.0, 15.0, count)
    angles = np.linspace(0.0, 2.0 * np.pi, 24, endpoint=False)
    polygons = []
    for x, y, r in zip(lon, lat, radius_km, strict=True):
        wobble = rng.uniform(0.6, 1.0, angles.size)
        dx = r * wobble * np.cos(angles) / (111.32 * np.cos(np.radians(y)))
        dy = r * wobble * np.sin(angles) / 110.57
        polygons.append(shapely.Polygon(np.column_stack([x + dx, y + dy])))
    names = [f"p{i:04d}" for i in range(count)]
    gdf = gpd.GeoDataFrame({"name": names}, geometry=polygons, crs="EPSG:4326")
    gdf.attrs["layer_id"] = "bench"
    return gdf


def plain_loop(
    gdf: gpd.GeoDataFrame, limit: int | None
) -> tuple[float, float, int, dict[str, float]]:
    """Intersect pairs i < j in order (the first `limit` of them).

    Returns the time to project the polygons, the time of the pair loop, the number of pairs
    done and the overlaps found (km², by ``"a|b"``).
    """
    labels = [f"bench: {name}" for name in gdf["name"]]
    start = time.perf_counter()
    projected = [to_equal_area(g) for g in gdf.geometry]
    setup = time.perf_counter() - start
    found: dict[str, float] = {}
    done = 0
    n = len(projected)
    start = time.perf_counter()
    for i in range(n):
        for j in range(i + 1, n):
            if limit is not None and done >= limit:
                return setup, time.perf_counter() - start, done, found
            shared = projected[i].intersection(projected[j])
            done += 1
            if not shared.is_empty and shared.area > 0:
                found[f"{labels[i]}|{labels[j]}"] = geodesic_area_km2(from_equal_area(shared))
    return setup, time.perf_counter() - start, done, found


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polygons", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--naive-pairs", type=int, default=100_000)
    parser.add_argument("--full", action="store_true", help="run the whole plain loop")
    args = parser.parse_args()

    gdf = random_polygons(args.polygons, args.seed)
    n = len(gdf)
    total_pairs = n * (n - 1) // 2
    print(f"{n} polygons (seed {args.seed}), {total_pairs:,} pairs")

    start = time.perf_counter()
    matrix = overlap_matrix(gdf, per_feature=True, include_disjoint=False)
    indexed = time.perf_counter() - start
    print(
        f"overlap_matrix (STR-tree, overlapping pairs only): {indexed:7.2f} s, "
        f"{len(matrix):,} overlapping pairs, {matrix['overlap_km2'].sum():,.1f} km² in all"
    )

    start = time.perf_counter()
    full_matrix = overlap_matrix(gdf, per_feature=True, include_disjoint=True)
    every = time.perf_counter() - start
    print(
        f"overlap_matrix (every pair, disjoint ones as 0 km²): {every:7.2f} s, "
        f"{len(full_matrix):,} rows"
    )

    limit = None if args.full else min(args.naive_pairs, total_pairs)
    setup, seconds, done, found = plain_loop(gdf, limit)
    if done == total_pairs:
        naive, how = setup + seconds, "measured"
    else:
        naive = setup + seconds * total_pairs / done
        how = f"pair loop extrapolated from {done:,} pairs"
    print(f"plain pairwise loop:                                 {naive:7.2f} s ({how})")
    print(f"speed-up of the spatial index: {naive / indexed:,.0f}x")

    keys = {
        f"{a}|{b}": v
        for a, b, v in zip(matrix["a"], matrix["b"], matrix["overlap_km2"], strict=True)
    }
    checked = [k for k in found if k in keys]
    missing = [k for k in found if k not in keys]
    worst = max((abs(keys[k] - found[k]) / found[k] for k in checked), default=0.0)
    print(
        f"agreement over the pairs the loop ran: {len(checked)} overlaps found by both, "
        f"{len(missing)} missed by the index, largest relative difference {worst:.1e}"
    )


if __name__ == "__main__":
    main()
