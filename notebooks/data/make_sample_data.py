"""Make the sample data of the notebooks: camera-trap detections and two monitoring blocks.

Run from the repository root (writes next to this script)::

    python notebooks/data/make_sample_data.py

The data is made up, but shaped like real survey data: camera stations placed at random
(seeded, so the output is always the same) inside Land of the Leopard National Park, inside
the Chinese national park near the border, and in the leopard's range outside both; each
station records a few detections of Amur leopard, Amur tiger, sika deer, roe deer and wild
boar between January 2023 and December 2024. Two hypothetical monitoring blocks straddle the
edge of Land of the Leopard and the Russia-China border.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path

import numpy as np
import shapely

import amurgeo

HERE = Path(__file__).resolve().parent
SEED = 20240601
SPECIES = ("Amur leopard", "Amur tiger", "sika deer", "roe deer", "wild boar")

#: Where the stations are: (zone, number of stations, species probabilities).
ZONES = {
    "Land of the Leopard": (18, (0.18, 0.07, 0.30, 0.25, 0.20)),
    "Chinese park near the border": (10, (0.10, 0.15, 0.25, 0.28, 0.22)),
    "range outside the parks": (6, (0.05, 0.03, 0.32, 0.35, 0.25)),
}

#: Two hypothetical monitoring blocks (lon, lat rings): one across the north-east edge of
#: Land of the Leopard, one across the Russia-China border.
BLOCKS = [
    {
        "name": "Block A: Barsovy ridge",
        "team": "Kedrovaya Pad field team",
        "ring": [(131.40, 43.37), (131.60, 43.35), (131.63, 43.48), (131.43, 43.51)],
    },
    {
        "name": "Block B: Hunchun border",
        "team": "joint Russian-Chinese survey",
        "ring": [(131.10, 43.23), (131.33, 43.21), (131.35, 43.35), (131.12, 43.37)],
    },
]


def _zones() -> dict[str, shapely.Geometry]:
    park = amurgeo.load_layer("land-of-the-leopard").geometry.union_all()
    china = amurgeo.load_layer("northeast-china-tiger-leopard").geometry.union_all()
    hunchun = amurgeo.load_layer("hunchun").geometry.union_all()
    rng = amurgeo.load_layer("leopard-range")
    russia_range = rng[rng["iso3"] == "RUS"].geometry.union_all()
    near_border = china.intersection(hunchun.buffer(0.05))  # the eastern strip of the park
    return {
        "Land of the Leopard": park,
        "Chinese park near the border": near_border,
        "range outside the parks": russia_range.difference(park.buffer(0.02)),
    }


def _points_in(area: shapely.Geometry, count: int, rng: np.random.Generator) -> list:
    """`count` random points inside `area` (rejection sampling in its bounding box)."""
    xmin, ymin, xmax, ymax = area.bounds
    points: list = []
    while len(points) < count:
        x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        if area.contains(shapely.Point(x, y)):
            points.append((round(float(x), 5), round(float(y), 5)))
    return points


def detections() -> list[dict[str, object]]:
    """Every detection: camera_id, lon, lat, date, species (sorted by date and camera)."""
    rng = np.random.default_rng(SEED)
    zones = _zones()
    blocks = [shapely.Polygon(b["ring"]) for b in BLOCKS]
    start = dt.date(2023, 1, 1)
    days = (dt.date(2024, 12, 31) - start).days + 1
    rows = []
    number = 0
    for zone, (count, weights) in ZONES.items():
        stations = _points_in(zones[zone], count, rng)
        for block in blocks:  # and two in each monitoring block's part of the zone
            part = block.intersection(zones[zone])
            if part.area > 1e-4:
                stations += _points_in(part, 2, rng)
        for lon, lat in stations:
            number += 1
            camera = f"C{number:02d}"
            for _ in range(int(rng.poisson(10)) + 1):
                day = start + dt.timedelta(days=int(rng.integers(days)))
                species = SPECIES[int(rng.choice(len(SPECIES), p=weights))]
                rows.append(
                    {
                        "camera_id": camera,
                        "lon": lon,
                        "lat": lat,
                        "date": day.isoformat(),
                        "species": species,
                    }
                )
    rows.sort(key=lambda r: (str(r["date"]), str(r["camera_id"]), str(r["species"])))
    return rows


def blocks_geojson() -> str:
    """The monitoring blocks as RFC 7946 GeoJSON text."""
    import geopandas as gpd

    from amurgeo.geojson import to_geojson_text

    frame = gpd.GeoDataFrame(
        {"name": [b["name"] for b in BLOCKS], "team": [b["team"] for b in BLOCKS]},
        geometry=[shapely.Polygon(b["ring"]) for b in BLOCKS],
        crs="EPSG:4326",
    )
    return to_geojson_text(frame, name="monitoring_blocks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write to")
    args = parser.parse_args()
    rows = detections()
    with open(args.out / "camera_traps.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (args.out / "monitoring_blocks.geojson").write_text(blocks_geojson(), encoding="utf-8")
    print(f"{len(rows)} detections at {len({r['camera_id'] for r in rows})} cameras")


if __name__ == "__main__":
    main()
