"""Benchmark: amurgeo at scale against the anchors, on one machine, in one run.

Run from the repository root (takes a few minutes; needs Debian's Chromium for load times)::

    pip install -e ".[bench]"
    python benchmarks/bench_scale.py [--points 1000000] [--seed 7] [--skip-browser]

It generates deterministic (seeded) data in a temporary folder and prints one table:

* 1M observations (CSV): ``count_observations`` time, ``amurgeo map --observations`` build
  time, HTML size, peak memory and Chromium load time, against ``GeoDataFrame.explore()``
  on 100k of the same points (the anchor in ../shared/reference/FOLIUM_NOTES.md: 26 MB,
  7.2 s load).
* A polygon layer of 1M vertices (a coverage of 1,000 cells with wiggly shared edges, like
  official boundaries): map build time and HTML size against ``explore()``, and the area
  difference of the simplified drawing.
* ``overlap_matrix`` on 1,000 polygons against a plain pairwise loop (bench_overlap.py).
* ``amurgeo areas`` cold start against ``python -c "import geopandas"`` (median of 5).

Every task runs in a fresh Python process, which reports its own time and peak memory
(``ru_maxrss``). Chromium (Playwright, ``/usr/bin/chromium``) opens each page from file://
with every other request aborted except the pinned Leaflet files, which are answered from
amurgeo's bundled copies; load time is from navigation to the load event plus two painted
frames with the layer on the map.

This is a script, not a timed test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

# anchors measured with folium 0.20 on this kind of machine (FOLIUM_NOTES.md)
ANCHOR_EXPLORE_100K_MB = 26.0
ANCHOR_EXPLORE_100K_LOAD_S = 7.2

# targets of issue 6
TARGET_POINTS_S = 10.0
TARGET_POINTS_PAGE_MB = 5.0
TARGET_POINTS_LOAD_S = 2.0
TARGET_DETAIL_PAGE_MB = 2.0
TARGET_DETAIL_AREA_PCT = 0.5
TARGET_STARTUP_RATIO = 1.3
# targets of issue 15
TARGET_PARALLEL_SPEEDUP = 1.6
TARGET_DRIVER_MB = 500.0


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def make_points(path: Path, count: int, seed: int) -> None:
    """`count` detections in clusters around camera stations, 3 species, as CSV."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    stations = 2_000
    slon = rng.normal(130.9, 0.6, stations)
    slat = rng.normal(43.3, 0.45, stations)
    which = rng.integers(0, stations, count)
    lon = slon[which] + rng.normal(0, 0.01, count)
    lat = slat[which] + rng.normal(0, 0.008, count)
    species = rng.choice(
        np.array(["Amur leopard", "Amur tiger", "Sika deer"]), count, p=[0.3, 0.2, 0.5]
    )
    frame = pd.DataFrame({"lon": lon.round(6), "lat": lat.round(6), "species": species})
    frame.to_csv(path, index=False)


def make_partitions(
    folder: Path, count: int, seed: int, rows_per_file: int = 1_000_000, single_file: bool = False
) -> None:
    """`count` detections like :func:`make_points`, written one partition at a time.

    Hive folders ``year=YYYY`` of Parquet files of `rows_per_file` rows each (or, with
    `single_file`, one file of row groups that size). Only one partition is ever in
    memory, so 50M points take the memory of 1M.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    stations = np.random.default_rng(seed)
    slon = stations.normal(130.9, 0.6, 2_000)
    slat = stations.normal(43.3, 0.45, 2_000)
    names = pa.array(["Amur leopard", "Amur tiger", "Sika deer"])
    writer = None
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for index, start in enumerate(range(0, count, rows_per_file)):
            n = min(rows_per_file, count - start)
            rng = np.random.default_rng([seed, index])
            which = rng.integers(0, len(slon), n)
            codes = rng.choice(3, n, p=[0.3, 0.2, 0.5]).astype(np.int8)
            table = pa.table(
                {
                    "lon": (slon[which] + rng.normal(0, 0.01, n)).round(6),
                    "lat": (slat[which] + rng.normal(0, 0.008, n)).round(6),
                    "species": pa.DictionaryArray.from_arrays(codes, names),
                }
            )
            if single_file:
                if writer is None:
                    writer = pq.ParquetWriter(folder / "observations.parquet", table.schema)
                writer.write_table(table, row_group_size=rows_per_file)
                continue
            year = folder / f"year={2000 + index % 20}"
            year.mkdir(exist_ok=True)
            pq.write_table(table, year / f"part-{index:05d}.parquet")
    finally:
        if writer is not None:
            writer.close()


def make_coverage(path: Path, cells: int, vertices: int, seed: int) -> None:
    """A coverage of `cells` Voronoi cells (about `vertices` vertices in all) whose shared
    edges wiggle the same way on both sides, in 129.5-132.5 E, 42.3-44.7 N (GeoPackage)."""
    import geopandas as gpd
    import numpy as np
    import pyproj
    import shapely

    from amurgeo.measure import EQUAL_AREA_CRS

    rng = np.random.default_rng(seed)
    to_ea = pyproj.Transformer.from_crs(4326, EQUAL_AREA_CRS, always_xy=True)
    from_ea = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, 4326, always_xy=True)
    x0, y0 = to_ea.transform(129.5, 42.3)
    x1, y1 = to_ea.transform(132.5, 44.7)
    frame = shapely.box(x0, y0, x1, y1)
    seeds = shapely.points(rng.uniform(x0, x1, cells), rng.uniform(y0, y1, cells))
    polygons = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds)))
    polygons = shapely.intersection(polygons, frame)
    perimeter = float(shapely.length(polygons).sum())
    spacing = perimeter / vertices
    # vertices to the millimetre: both copies of a shared edge become exactly the same
    dense = shapely.transform(shapely.segmentize(polygons, spacing), lambda xy: np.round(xy, 3))
    # a smooth displacement field: shared vertices move together, so it stays a coverage
    waves = [
        (rng.uniform(2e3, 2e4), rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi))
        for _ in range(12)
    ]

    def wiggle(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0].copy(), xy[:, 1].copy()
        dx = np.zeros_like(x)
        dy = np.zeros_like(y)
        for length, angle, phase in waves:
            amplitude = length / 120.0  # slopes add up to < 1: no fold, still valid
            t = (x * math.cos(angle) + y * math.sin(angle)) * 2 * math.pi / length + phase
            dx += amplitude * np.sin(t + 1.0)
            dy += amplitude * np.cos(t)
        # fade out towards the frame, whose straight edges stay put
        fade = np.minimum.reduce([x - x0, x1 - x, y - y0, y1 - y]) / 5e3
        fade = np.clip(fade, 0.0, 1.0)
        dx, dy = dx * fade, dy * fade
        lon, lat = from_ea.transform(x + dx, y + dy)
        return np.column_stack([lon, lat])

    lonlat = shapely.transform(dense, wiggle)
    gdf = gpd.GeoDataFrame(
        {"name": [f"district {i:04d}" for i in range(len(lonlat))]},
        geometry=lonlat,
        crs="EPSG:4326",
    )
    gdf.to_file(path, engine="pyogrio")


# ---------------------------------------------------------------------------------------------
# Tasks (each in its own process)
# ---------------------------------------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def task_summary(csv: str) -> dict[str, Any]:
    start = time.perf_counter()
    from amurgeo.observations import count_observations

    table = count_observations(csv)
    return {"seconds": time.perf_counter() - start, "rows": int(table.attrs["rows"])}


def task_map(source: str, out: str, *args: str) -> dict[str, Any]:
    start = time.perf_counter()
    from amurgeo.cli import main

    argv = ["map", *args, "-o", out, "--self-contained"]
    if source.endswith((".csv", ".parquet")) or Path(source).is_dir():
        argv += ["--observations", source]
    else:
        argv.insert(1, source)
    try:
        main(argv)
    except SystemExit as exc:
        if exc.code:
            raise
    return {"seconds": time.perf_counter() - start, "bytes": Path(out).stat().st_size}


def task_explore(source: str, out: str, limit: str) -> dict[str, Any]:
    start = time.perf_counter()
    import geopandas as gpd
    import pandas as pd

    if source.endswith(".csv"):
        frame = pd.read_csv(source, nrows=int(limit))
        gdf = gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
        )
    else:
        gdf = gpd.read_file(source)
    gdf.explore().save(out)
    return {"seconds": time.perf_counter() - start, "bytes": Path(out).stat().st_size}


def task_simplify(source: str) -> dict[str, Any]:
    import geopandas as gpd

    from amurgeo.maps.simplify import simplify_for_drawing

    gdf = gpd.read_file(source)
    start = time.perf_counter()
    result = simplify_for_drawing(gdf.geometry.values)
    assert result is not None
    return {
        "seconds": time.perf_counter() - start,
        "tolerance_m": result.tolerance_m,
        "coverage": result.coverage,
        "vertices": result.vertices,
        "drawn": result.drawn_vertices,
        "area_pct": result.area_diff_pct,
        "worst_pct": result.worst_pct,
    }


def task_overlap(polygons: str, seed: str) -> dict[str, Any]:
    from bench_overlap import plain_loop, random_polygons

    from amurgeo.analysis import overlap_matrix

    gdf = random_polygons(int(polygons), int(seed))
    start = time.perf_counter()
    overlap_matrix(gdf, per_feature=True, include_disjoint=False)
    indexed = time.perf_counter() - start
    n = len(gdf)
    total = n * (n - 1) // 2
    setup, seconds, done, _ = plain_loop(gdf, 100_000)
    naive = setup + seconds * total / done
    return {"seconds": indexed, "naive": naive, "extrapolated": done < total}


def task_partitioned(folder: str, workers: str) -> dict[str, Any]:
    start = time.perf_counter()
    from amurgeo.observations import count_observations

    table = count_observations(folder, workers=int(workers))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": int(table.attrs["rows"]), "table": _table(table)}


def task_in_memory(folder: str) -> dict[str, Any]:
    start = time.perf_counter()
    import pandas as pd

    from amurgeo.observations import count_observations

    frame = pd.read_parquet(folder, columns=["lon", "lat", "species"])
    table = count_observations(frame)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": int(table.attrs["rows"]), "table": _table(table)}


def task_partitioned_map(folder: str, out: str, workers: str) -> dict[str, Any]:
    """``amurgeo map --observations FOLDER --workers N``: binned piece by piece."""
    figures = task_map(folder, out, "--workers", workers)
    figures["hexagons"] = _density_digest(Path(out))
    return figures


def task_in_memory_map(folder: str, out: str) -> dict[str, Any]:
    """The same map from every point in memory (``pandas.read_parquet`` + ``build_map``)."""
    start = time.perf_counter()
    import pandas as pd

    from amurgeo.maps import build_map, map_html

    frame = pd.read_parquet(folder, columns=["lon", "lat", "species"])
    page = map_html(build_map(observations=frame, self_contained=True))
    Path(out).write_text(page, encoding="utf-8")
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "bytes": Path(out).stat().st_size,
        "hexagons": _density_digest(Path(out)),
    }


def _density_digest(page: Path) -> str:
    """A digest of the density layer's hexagons (sizes, cells, counts) on a page."""
    import hashlib

    text = page.read_text(encoding="utf-8")
    start = text.index("amurgeo.hexLayer(")
    spec = json.JSONDecoder().raw_decode(text[text.index(", ", start) + 2 :])[0]
    levels = json.dumps([spec["points"], spec["levels"]], sort_keys=True)
    return hashlib.sha1(levels.encode()).hexdigest()


def _table(table: Any) -> list[list[Any]]:
    """The count table as plain lists, to check that every path counts the same."""
    columns = [c for c in table.columns if c == "area" or c.startswith("count")]
    return [[str(v) if isinstance(v, str) else int(v) for v in r] for r in table[columns].values]


TASKS = {
    "summary": task_summary,
    "map": task_map,
    "explore": task_explore,
    "simplify": task_simplify,
    "overlap": task_overlap,
    "partitioned": task_partitioned,
    "in_memory": task_in_memory,
    "partitioned_map": task_partitioned_map,
    "in_memory_map": task_in_memory_map,
}


def run_task(name: str, *args: str) -> dict[str, Any]:
    """Run one task in a fresh interpreter; return its figures and peak memory (MB)."""
    completed = subprocess.run(
        [sys.executable, __file__, "--task", name, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if completed.returncode:
        raise RuntimeError(f"task {name} failed:\n{completed.stderr[-3000:]}")
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


# ---------------------------------------------------------------------------------------------
# Chromium load time and start-up
# ---------------------------------------------------------------------------------------------


class _Router:
    """amurgeo's pinned files from its bundle; folium's Leaflet 1.9.3 links get the bundled
    Leaflet too (same API), so that explore() pages draw; everything else is aborted."""

    def __init__(self) -> None:
        from browser_support import Offline

        from amurgeo.maps.assets import cdn_url
        from amurgeo.maps.offline import vendor_file

        self.offline = Offline()
        self.leaflet = {
            name: vendor_file(cdn_url("leaflet", f"dist/{name}"))
            for name in ("leaflet.js", "leaflet.css")
        }

    def __call__(self, route: Any) -> None:
        url = route.request.url
        name = url.rsplit("/", 1)[-1]
        if "leaflet@1.9.3" in url and name in self.leaflet:
            kind = "application/javascript" if name.endswith(".js") else "text/css"
            route.fulfill(body=self.leaflet[name].read_bytes(), content_type=kind)
        else:
            self.offline(route)


DRAWN = """() => document.querySelectorAll('path.leaflet-interactive').length +
  document.querySelectorAll('canvas').length"""


def load_seconds(pages: list[Path], repeats: int = 3) -> dict[Path, tuple[float, int]]:
    """Median time from navigation to load event plus two painted frames, per page, and
    how many interactive paths and canvases it drew."""
    from browser_support import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    results: dict[Path, list[float]] = {p: [] for p in pages}
    drawn: dict[Path, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            for _ in range(repeats):
                for page_path in pages:
                    page = browser.new_page(viewport={"width": 1280, "height": 800})
                    page.route("**/*", _Router())
                    start = time.perf_counter()
                    page.goto(page_path.resolve().as_uri(), wait_until="load", timeout=120_000)
                    page.evaluate(
                        "() => new Promise(r => requestAnimationFrame(() => "
                        "requestAnimationFrame(r)))"
                    )
                    results[page_path].append(time.perf_counter() - start)
                    drawn[page_path] = int(page.evaluate(DRAWN))
                    page.close()
        finally:
            browser.close()
    return {p: (statistics.median(v), drawn[p]) for p, v in results.items()}


def startup(command: list[str], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    """Generate the data, run every task and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--anchor-points", type=int, default=100_000)
    parser.add_argument("--vertices", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument(
        "--partitions",
        default="10000000,50000000",
        help="point counts of the partitioned-folder runs, comma-separated ('' for none)",
    )
    parser.add_argument(
        "--only-partitions", action="store_true", help="run only the partitioned-folder part"
    )
    parser.add_argument(
        "--counts-only",
        action="store_true",
        help="partitioned part: only the count with 1 worker and every core (no in-memory "
        "anchor, map or one-file runs), for sizes the machine cannot hold whole",
    )
    parser.add_argument(
        "--maps-only",
        action="store_true",
        help="partitioned part: only map --observations FOLDER (1 worker, every core, in "
        "memory), no counts",
    )
    parser.add_argument("--task", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        name, *rest = args.task
        figures = TASKS[name](*rest)
        figures["peak_mb"] = _peak_mb()
        print(json.dumps(figures))
        return

    rows: list[tuple[str, str, str, str]] = []

    def row(what: str, value: str, versus: str = "", verdict: str = "") -> None:
        rows.append((what, value, versus, verdict))
        print(f"  {what}: {value} {versus} {verdict}", file=sys.stderr, flush=True)

    sizes = [int(float(v)) for v in args.partitions.split(",") if v.strip()]
    if args.only_partitions:
        bench_partitions(
            row, sizes, args.seed, counts_only=args.counts_only, maps_only=args.maps_only
        )
        _print_table(rows, args.seed)
        return

    with tempfile.TemporaryDirectory(prefix="amurgeo-bench-") as tmp:
        folder = Path(tmp)
        csv = folder / "observations.csv"
        polygons = folder / "districts.gpkg"
        start = time.perf_counter()
        make_points(csv, args.points, args.seed)
        make_coverage(polygons, 1000, args.vertices, args.seed)
        print(f"data generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)

        n = f"{args.points / 1e6:g}M"
        k = f"{args.anchor_points / 1e3:g}k"
        summary = run_task("summary", str(csv))
        points_map = run_task("map", str(csv), str(folder / "points.html"))
        explore_pts = run_task(
            "explore", str(csv), str(folder / "explore_points.html"), str(args.anchor_points)
        )
        both = summary["seconds"] + points_map["seconds"]
        page_mb = points_map["bytes"] / 1e6
        explore_mb = explore_pts["bytes"] / 1e6
        row(f"{n} points: summary (count_observations)", f"{summary['seconds']:.2f} s")
        row(
            f"{n} points: map build (amurgeo map --observations)",
            f"{points_map['seconds']:.2f} s",
            f"explore() {k}: {explore_pts['seconds']:.2f} s",
        )
        row(
            f"{n} points: summary + map",
            f"{both:.2f} s",
            f"target <= {TARGET_POINTS_S:g} s",
            _verdict(both <= TARGET_POINTS_S),
        )
        row(
            f"{n} points: HTML size (self-contained)",
            f"{page_mb:.2f} MB",
            f"explore() {k}: {explore_mb:.1f} MB ({explore_mb / page_mb:.0f}x; anchor "
            f"{ANCHOR_EXPLORE_100K_MB:g} MB); target <= {TARGET_POINTS_PAGE_MB:g} MB",
            _verdict(page_mb <= TARGET_POINTS_PAGE_MB),
        )
        row(
            f"{n} points: peak memory summary / map",
            f"{summary['peak_mb']:.0f} / {points_map['peak_mb']:.0f} MB",
            f"explore() {k}: {explore_pts['peak_mb']:.0f} MB",
        )

        detail_map = run_task("map", str(polygons), str(folder / "detail.html"))
        explore_detail = run_task(
            "explore", str(polygons), str(folder / "explore_detail.html"), "0"
        )
        simplified = run_task("simplify", str(polygons))
        detail_mb = detail_map["bytes"] / 1e6
        row(
            f"{simplified['vertices'] / 1e6:.2f}M-vertex layer: map build",
            f"{detail_map['seconds']:.2f} s",
            f"explore(): {explore_detail['seconds']:.2f} s",
        )
        row(
            f"{simplified['vertices'] / 1e6:.2f}M-vertex layer: HTML size",
            f"{detail_mb:.2f} MB",
            f"explore(): {explore_detail['bytes'] / 1e6:.1f} MB "
            f"({explore_detail['bytes'] / detail_map['bytes']:.0f}x); "
            f"target <= {TARGET_DETAIL_PAGE_MB:g} MB",
            _verdict(detail_mb <= TARGET_DETAIL_PAGE_MB),
        )
        how = "coverage_simplify" if simplified["coverage"] else "simplify, topology kept"
        row(
            f"{simplified['vertices'] / 1e6:.2f}M-vertex layer: drawn area difference",
            f"{simplified['area_pct']:+.3f} % (worst feature {simplified['worst_pct']:.2f} %)",
            f"tolerance {simplified['tolerance_m']:g} m ({how}), "
            f"{simplified['drawn']:,} vertices drawn; target <= {TARGET_DETAIL_AREA_PCT:g} %",
            _verdict(abs(simplified["area_pct"]) <= TARGET_DETAIL_AREA_PCT),
        )

        if not args.skip_browser:
            pages = [folder / "points.html", folder / "explore_points.html"]
            pages += [folder / "detail.html", folder / "explore_detail.html"]
            loads = load_seconds(pages)
            (ours, ours_n), (theirs, theirs_n) = loads[pages[0]], loads[pages[1]]
            row(
                f"{n} points: Chromium load",
                f"{ours:.2f} s ({ours_n} paths/canvases)",
                f"explore() {k}: {theirs:.2f} s, {theirs_n:,} paths ({theirs / ours:.1f}x; anchor "
                f"{ANCHOR_EXPLORE_100K_LOAD_S:g} s); target <= {TARGET_POINTS_LOAD_S:g} s",
                _verdict(ours <= TARGET_POINTS_LOAD_S),
            )
            row(
                f"{simplified['vertices'] / 1e6:.2f}M-vertex layer: Chromium load",
                f"{loads[pages[2]][0]:.2f} s ({loads[pages[2]][1]:,} paths)",
                f"explore(): {loads[pages[3]][0]:.2f} s ({loads[pages[3]][1]:,} paths)",
            )

        overlap = run_task("overlap", "1000", str(args.seed))
        how = "extrapolated" if overlap["extrapolated"] else "measured"
        row(
            "overlap --matrix, 1,000 polygons",
            f"{overlap['seconds']:.2f} s",
            f"plain pairwise loop: {overlap['naive']:.1f} s ({how}; "
            f"{overlap['naive'] / overlap['seconds']:.0f}x)",
        )

    bench_partitions(row, sizes, args.seed)

    amurgeo = [sys.executable, "-m", "amurgeo", "areas"]
    geopandas = [sys.executable, "-c", "import geopandas"]
    startup(amurgeo, 1)  # warm the file cache
    base_s = startup(geopandas)
    help_s = startup([*amurgeo, "--help"])
    ours_s = startup(amurgeo)
    row(
        "amurgeo areas --help (start-up alone)",
        f"{help_s:.2f} s",
        f'python -c "import geopandas": {base_s:.2f} s ({help_s / base_s:.2f}x); '
        f"target <= {TARGET_STARTUP_RATIO:g}x",
        _verdict(help_s <= TARGET_STARTUP_RATIO * base_s),
    )
    row(
        "amurgeo areas (start-up + every area and its range)",
        f"{ours_s:.2f} s",
        f"{ours_s / base_s:.2f}x the geopandas import",
        _verdict(ours_s <= TARGET_STARTUP_RATIO * base_s),
    )

    _print_table(rows, args.seed)


def bench_partitions(
    row: Any, sizes: list[int], seed: int, counts_only: bool = False, maps_only: bool = False
) -> None:
    """Partitioned folders: 1 worker against every core, driver memory, the in-memory path."""
    cores = os.cpu_count() or 1
    for count in sizes:
        n = f"{count / 1e6:g}M"
        with tempfile.TemporaryDirectory(prefix="amurgeo-bench-parts-") as tmp:
            folder = Path(tmp) / "observations"
            start = time.perf_counter()
            make_partitions(folder, count, seed)
            files = len(list(folder.rglob("*.parquet")))
            print(
                f"{n} points in {files} partitions generated in "
                f"{time.perf_counter() - start:.1f} s",
                file=sys.stderr,
            )
            if not maps_only:
                one = run_task("partitioned", str(folder), "1")
                every = run_task("partitioned", str(folder), str(cores))
                memory = None if counts_only else run_task("in_memory", str(folder))
                same = one["table"] == every["table"] == (memory or every)["table"]
                speedup = one["seconds"] / every["seconds"]
                row(
                    f"{n} points, {files} partitions: count, 1 worker / {cores} workers",
                    f"{one['seconds']:.2f} s / {every['seconds']:.2f} s ({speedup:.2f}x)",
                    f"target >= {TARGET_PARALLEL_SPEEDUP:g}x on 2 cores",
                    _verdict(speedup >= TARGET_PARALLEL_SPEEDUP),
                )
                anchor = (
                    "in memory: not run (--counts-only)"
                    if memory is None
                    else f"in memory (pandas.read_parquet + count_observations): "
                    f"{memory['seconds']:.2f} s, {memory['peak_mb']:.0f} MB"
                )
                row(
                    f"{n} points, {files} partitions: driver peak memory, 1 / {cores} workers",
                    f"{one['peak_mb']:.0f} / {every['peak_mb']:.0f} MB",
                    anchor
                    + (f"; target <= {TARGET_DRIVER_MB:g} MB" if count >= 50_000_000 else ""),
                    _verdict(every["peak_mb"] <= TARGET_DRIVER_MB) if count >= 50_000_000 else "",
                )
                row(
                    f"{n} points: same counts in every path",
                    "yes" if same else "NO",
                    "1 worker, every core" + ("" if memory is None else ", in memory"),
                    _verdict(same),
                )
            if counts_only:
                continue
            if count <= 10_000_000 or maps_only:
                # in memory only up to 10M points: 50M would take about 11 GB
                in_memory = count <= 10_000_000
                bench_partitioned_map(row, folder, Path(tmp), n, files, cores, in_memory)
            if count <= 10_000_000 and not maps_only:
                big = Path(tmp) / "one-file"
                make_partitions(big, count, seed, single_file=True)
                whole = run_task("partitioned", str(big / "observations.parquet"), str(cores))
                single = run_task("partitioned", str(big / "observations.parquet"), "1")
                row(
                    f"{n} points in one Parquet file ({files} row groups): count, 1 / {cores} "
                    "workers",
                    f"{single['seconds']:.2f} s / {whole['seconds']:.2f} s",
                    f"driver peak {single['peak_mb']:.0f} / {whole['peak_mb']:.0f} MB",
                    _verdict(single["table"] == whole["table"] == one["table"]),
                )


def bench_partitioned_map(
    row: Any, folder: Path, tmp: Path, n: str, files: int, cores: int, in_memory: bool = True
) -> None:
    """``map --observations FOLDER`` with 1 worker and every core, against in memory."""
    one = run_task("partitioned_map", str(folder), str(tmp / "map-1.html"), "1")
    every = run_task("partitioned_map", str(folder), str(tmp / "map-n.html"), str(cores))
    memory = (
        run_task("in_memory_map", str(folder), str(tmp / "map-memory.html")) if in_memory else None
    )
    speedup = one["seconds"] / every["seconds"]
    row(
        f"{n} points, {files} partitions: map --observations FOLDER, 1 / {cores} workers",
        f"{one['seconds']:.2f} s / {every['seconds']:.2f} s ({speedup:.2f}x)",
        "in memory: not run"
        if memory is None
        else f"in memory (pandas.read_parquet + build_map): {memory['seconds']:.2f} s",
    )
    row(
        f"{n} points, {files} partitions: map driver peak memory, 1 / {cores} workers",
        f"{one['peak_mb']:.0f} / {every['peak_mb']:.0f} MB",
        ("" if memory is None else f"in memory: {memory['peak_mb']:.0f} MB; ")
        + f"page {every['bytes'] / 1e6:.2f} MB",
    )
    same = one["hexagons"] == every["hexagons"] == (memory or every)["hexagons"]
    row(
        f"{n} points: same hexagons and counts on every map",
        "yes" if same else "NO",
        "1 worker, every core" + ("" if memory is None else ", in memory"),
        _verdict(same),
    )


def _print_table(rows: list[tuple[str, str, str, str]], seed: int) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = ("figure", "amurgeo", "against", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print(f"amurgeo {_version()} on {os.cpu_count()} cores, seed {seed}")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def _version() -> str:
    import amurgeo

    return amurgeo.__version__


if __name__ == "__main__":
    main()
