"""Benchmark: counting observations per area and per month against counting them without time.

Run from the repository root::

    python benchmarks/bench_time.py [--rows 1000000] [--seed 5] [--repeat 3]

It writes a seeded CSV of `--rows` detections (lon, lat, species, DateTime as ISO 8601 with
an offset, like camera software writes) across the Amur region into a temporary folder, then
times :func:`amurgeo.count_observations` on it three ways: without time, ``by="month"``
and ``by="month"`` with ``since``/``until``. Each timing reads the file and counts (best of
`--repeat`). The target of issue 13: per month costs at most 1.3 times the plain count.
The month totals are checked against the plain count.

This is a script, not a timed test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import amurgeo


def write_detections(path: Path, rows: int, seed: int) -> None:
    """`rows` detections in 129.5-134 E, 42.3-46 N over 2019-2024 (seeded)."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 6 * 365 * 86400, rows)
    stamps = (np.datetime64("2019-01-01T00:00:00") + seconds.astype("timedelta64[s]")).astype(str)
    frame = pd.DataFrame(
        {
            "CameraID": rng.integers(1, 400, rows),
            "Longitude": np.round(rng.uniform(129.5, 134.0, rows), 5),
            "Latitude": np.round(rng.uniform(42.3, 46.0, rows), 5),
            "Species": rng.choice(["Amur leopard", "Amur tiger", "sika deer", "wild boar"], rows),
            "DateTime": np.char.add(stamps.astype("U19"), "+10:00"),
        }
    )
    frame.to_csv(path, index=False)


def best(repeat: int, run: object) -> tuple[float, pd.DataFrame]:
    times, table = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        table = run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), table  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "detections.csv"
        start = time.perf_counter()
        write_detections(path, args.rows, args.seed)
        print(
            f"wrote {args.rows:,} detections ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        amurgeo.count_observations(path, countries=None)  # warm caches (layers, imports)
        plain_s, plain = best(args.repeat, lambda: amurgeo.count_observations(path))
        month_s, month = best(args.repeat, lambda: amurgeo.count_observations(path, by="month"))
        window_s, _ = best(
            args.repeat,
            lambda: amurgeo.count_observations(path, by="month", since="2020", until="2023-06"),
        )
    totals = month.groupby("area", sort=False)["count"].sum()
    same = (plain.set_index("area")["count"] == totals.reindex(plain["area"]).to_numpy()).all()
    print(f"count per area (no time):        {plain_s:6.2f} s")
    print(f"count per area and month:        {month_s:6.2f} s  ({month_s / plain_s:.2f}x)")
    print(f"  ... with since/until:          {window_s:6.2f} s  ({window_s / plain_s:.2f}x)")
    print(f"month totals equal plain counts: {'yes' if same else 'NO'}")
    print(f"periods: {month['period'].nunique()}, rows of the monthly table: {len(month):,}")


if __name__ == "__main__":
    main()
