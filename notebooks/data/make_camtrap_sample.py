"""Make the sample Camtrap DP package of the notebooks (notebooks/data/camtrap_dp/).

Run from the repository root (writes next to this script)::

    python notebooks/data/make_camtrap_sample.py

Made up, but shaped like a real camera-trap survey exported as Camtrap DP 1.0: 16 camera
stations (seeded random places) inside Land of the Leopard National Park, in the Chinese
national park near the border and in the leopard's range outside both; each station is
deployed once a year in 2022, 2023 and 2024 for 3 to 7 months. Cameras record events of Amur
leopard, Amur tiger, sika deer, Siberian roe deer and wild boar (and a few people and blank
triggers), each event with one or two pictures; a third of the animal events are followed
by another of the same species a few minutes later, which the 30-minute independence rule
merges. Russian cameras keep Vladivostok time (+10:00), Chinese ones Beijing time (+08:00).
Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_sample_data import _points_in, _zones  # noqa: E402  (the zones of the sample)

SEED = 20240917
OUT = HERE / "camtrap_dp"
SCHEMA = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/{}-table-schema.json"

#: scientific name, English name, mean events per camera-day in each zone (Russia, China,
#: outside)
SPECIES = (
    ("Panthera pardus orientalis", "Amur leopard", (0.020, 0.010, 0.004)),
    ("Panthera tigris altaica", "Amur tiger", (0.008, 0.012, 0.003)),
    ("Cervus nippon", "sika deer", (0.040, 0.025, 0.030)),
    ("Capreolus pygargus", "Siberian roe deer", (0.030, 0.035, 0.040)),
    ("Sus scrofa", "wild boar", (0.020, 0.025, 0.025)),
)
#: zone, stations, UTC offset of the cameras' clocks
ZONES = (
    ("Land of the Leopard", 8, "+10:00"),
    ("Chinese park near the border", 5, "+08:00"),
    ("range outside the parks", 3, "+10:00"),
)


def _stamp(moment: dt.datetime, offset: str) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + offset


def _events(
    rng: np.random.Generator, zone: int, start: dt.datetime, days: int
) -> list[tuple[dt.datetime, int, str]]:
    """(time, seconds long, scientific name or observation type) of one deployment's events."""
    events: list[tuple[dt.datetime, int, str]] = []
    for name, _, rates in SPECIES:
        for _ in range(int(rng.poisson(rates[zone] * days))):
            moment = start + dt.timedelta(seconds=int(rng.integers(3600, days * 86400 - 3600)))
            events.append((moment, int(rng.integers(5, 60)), name))
            if rng.random() < 1 / 3:  # the same animal again a few minutes later
                later = moment + dt.timedelta(minutes=int(rng.integers(4, 26)))
                events.append((later, int(rng.integers(5, 60)), name))
    for kind, rate in (("human", 0.01), ("blank", 0.03)):
        for _ in range(int(rng.poisson(rate * days))):
            moment = start + dt.timedelta(seconds=int(rng.integers(3600, days * 86400 - 3600)))
            events.append((moment, int(rng.integers(2, 20)), kind))
    return sorted(events)


def build(rng: np.random.Generator) -> dict[str, list[dict[str, object]]]:
    """The three tables as lists of rows."""
    zones = _zones()
    tables: dict[str, list[dict[str, object]]] = {
        "deployments": [],
        "media": [],
        "observations": [],
    }
    number = 0
    for zone, (zone_name, stations, offset) in enumerate(ZONES):
        for lon, lat in _points_in(zones[zone_name], stations, rng):
            number += 1
            station = f"S{number:02d}"
            for year in (2022, 2023, 2024):
                start = dt.datetime(year, 1, 1, 10) + dt.timedelta(
                    days=int(rng.integers(0, 150)), minutes=int(rng.integers(0, 300))
                )
                days = int(rng.integers(90, 215))
                end = start + dt.timedelta(days=days, minutes=int(rng.integers(0, 300)))
                deployment = f"{station}-{year}"
                tables["deployments"].append(
                    {
                        "deploymentID": deployment,
                        "locationID": station,
                        "locationName": f"station {station} ({zone_name})",
                        "latitude": lat,
                        "longitude": lon,
                        "coordinateUncertainty": 30,
                        "deploymentStart": _stamp(start, offset),
                        "deploymentEnd": _stamp(end, offset),
                        "cameraModel": "made-up camera",
                        "cameraHeight": 0.6,
                        "baitUse": "false",
                        "featureType": "trailPath",
                    }
                )
                _add_events(tables, rng, deployment, _events(rng, zone, start, days), offset)
    return tables


def _add_events(
    tables: dict[str, list[dict[str, object]]],
    rng: np.random.Generator,
    deployment: str,
    events: list[tuple[dt.datetime, int, str]],
    offset: str,
) -> None:
    names = {name: common for name, common, _ in SPECIES}
    for index, (moment, seconds, what) in enumerate(events, start=1):
        event = f"{deployment}-e{index:03d}"
        end = moment + dt.timedelta(seconds=seconds)
        kind = what if what in ("human", "blank") else "animal"
        scientific = "Homo sapiens" if kind == "human" else ("" if kind == "blank" else what)
        count = int(rng.integers(1, 3)) if kind == "animal" else 1
        base = {
            "deploymentID": deployment,
            "eventID": event,
            "observationType": kind,
            "scientificName": scientific,
            "count": count if kind != "blank" else "",
            "classificationMethod": "human",
            "observationComments": names.get(what, ""),
        }
        tables["observations"].append(
            {
                "observationID": f"{event}-o",
                "mediaID": "",
                "eventStart": _stamp(moment, offset),
                "eventEnd": _stamp(end, offset),
                "observationLevel": "event",
                **base,
            }
        )
        pictures = int(rng.integers(1, 3))
        for shot in range(pictures):
            taken = moment + dt.timedelta(seconds=round(shot * seconds / max(pictures - 1, 1)))
            media = f"{event}-m{shot + 1}"
            tables["media"].append(
                {
                    "mediaID": media,
                    "deploymentID": deployment,
                    "captureMethod": "activityDetection",
                    "timestamp": _stamp(taken, offset),
                    "filePath": f"media/{deployment}/{media}.jpg",
                    "filePublic": "false",
                    "fileMediatype": "image/jpeg",
                }
            )
            tables["observations"].append(
                {
                    "observationID": f"{media}-o",
                    "mediaID": media,
                    "eventStart": _stamp(taken, offset),
                    "eventEnd": _stamp(taken, offset),
                    "observationLevel": "media",
                    **base,
                }
            )


COLUMNS = {
    "deployments": [
        "deploymentID",
        "locationID",
        "locationName",
        "latitude",
        "longitude",
        "coordinateUncertainty",
        "deploymentStart",
        "deploymentEnd",
        "cameraModel",
        "cameraHeight",
        "baitUse",
        "featureType",
    ],
    "media": [
        "mediaID",
        "deploymentID",
        "captureMethod",
        "timestamp",
        "filePath",
        "filePublic",
        "fileMediatype",
    ],
    "observations": [
        "observationID",
        "deploymentID",
        "mediaID",
        "eventID",
        "eventStart",
        "eventEnd",
        "observationLevel",
        "observationType",
        "scientificName",
        "count",
        "classificationMethod",
        "observationComments",
    ],
}


def descriptor(tables: dict[str, list[dict[str, object]]]) -> dict[str, object]:
    """datapackage.json of the sample."""
    lons = [float(str(r["longitude"])) for r in tables["deployments"]]
    lats = [float(str(r["latitude"])) for r in tables["deployments"]]
    return {
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/camtrap-dp-profile.json",
        "name": "amurgeo-sample-camera-traps",
        "title": "Made-up camera-trap survey in the Amur leopard's range (amurgeo sample)",
        "description": (
            "Invented data shaped like a camera-trap survey; for trying amurgeo, not for any "
            "statement about the animals."
        ),
        "created": "2024-09-17T00:00:00Z",
        "licenses": [{"name": "CC0-1.0", "scope": "data"}],
        "contributors": [{"title": "amurgeo developers", "role": "publisher"}],
        "project": {
            "title": "amurgeo sample survey",
            "samplingDesign": "simpleRandom",
            "captureMethod": ["activityDetection"],
            "individualAnimals": False,
            "observationLevel": ["media", "event"],
        },
        "spatial": {
            "type": "Polygon",
            "bbox": [min(lons), min(lats), max(lons), max(lats)],
            "coordinates": [
                [
                    [min(lons), min(lats)],
                    [max(lons), min(lats)],
                    [max(lons), max(lats)],
                    [min(lons), max(lats)],
                    [min(lons), min(lats)],
                ]
            ],
        },
        "temporal": {"start": "2022-01-01", "end": "2024-12-31"},
        "taxonomic": [
            {"scientificName": name, "taxonRank": "species", "vernacularNames": {"eng": common}}
            for name, common, _ in SPECIES
        ],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": SCHEMA.format(name),
            }
            for name in ("deployments", "media", "observations")
        ],
    }


def patrol_tracks(tables: dict[str, list[dict[str, object]]], seed: int = SEED + 1) -> str:
    """Made-up patrol tracks (SMART-style lines) from the stations, 2 patrols a month in 2023.

    Each patrol walks a seeded random path of 30 steps of about 400 m from a station;
    written as RFC 7946 GeoJSON with ``Patrol_ID``, ``Patrol_Start_Date`` and ``Team``.
    """
    import geopandas as gpd
    import shapely

    from amurgeo.geojson import to_geojson_text

    rng = np.random.default_rng(seed)
    stations = {r["locationID"]: (r["longitude"], r["latitude"]) for r in tables["deployments"]}
    names = sorted(stations)
    rows, lines = [], []
    for month in range(1, 13):
        for leg in range(2):
            lon, lat = stations[names[int(rng.integers(len(names)))]]
            steps = rng.normal(0, 0.004, (30, 2)).cumsum(axis=0)
            coords = np.round(steps + np.array([float(str(lon)), float(str(lat))]), 5)
            lines.append(shapely.LineString(coords))
            rows.append(
                {
                    "Patrol_ID": f"P2023-{month:02d}-{leg + 1}",
                    "Patrol_Start_Date": f"2023-{month:02d}-{1 + 14 * leg:02d}",
                    "Team": "made-up ranger team",
                }
            )
    frame = gpd.GeoDataFrame(rows, geometry=lines, crs="EPSG:4326")
    return to_geojson_text(frame, name="patrol_tracks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write to")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tables = build(np.random.default_rng(SEED))
    for name, rows in tables.items():
        with open(args.out / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    text = json.dumps(descriptor(tables), indent=2, ensure_ascii=False) + "\n"
    (args.out / "datapackage.json").write_text(text, encoding="utf-8")
    tracks = patrol_tracks(tables)
    (args.out.parent / "patrol_tracks.geojson").write_text(tracks, encoding="utf-8")
    events = sum(r["observationLevel"] == "event" for r in tables["observations"])
    print(
        f"{len(tables['deployments'])} deployments, {events} events, {len(tables['media'])} media"
    )


if __name__ == "__main__":
    main()
