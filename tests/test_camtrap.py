"""Camtrap DP packages: reading, validating, independent detections and effort (hand counts)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from amurgeo.errors import DataError, UsageError
from amurgeo.observations.effort import camtrap_effort, independent_detections, read_camtrap_dp

#: The cameras' zone (+10:00): the hand counts are by local day and year.
ZONE = "Asia/Vladivostok"

DEPLOYMENTS = [
    # A: 1.5 days in 2021 and 1.5 in 2022; B: 10 days in January 2022
    ("A", 43.1, 131.2, "2021-12-30T12:00:00+10:00", "2022-01-02T12:00:00+10:00"),
    ("B", 43.1, 131.5, "2022-01-01T00:00:00+10:00", "2022-01-11T00:00:00+10:00"),
]
LEOPARD, TIGER = "Panthera pardus orientalis", "Panthera tigris altaica"
OBSERVATIONS = [
    # id, deployment, start, end, level, type, species
    (
        "o1",
        "A",
        "2021-12-31T01:00:00+10:00",
        "2021-12-31T01:00:30+10:00",
        "event",
        "animal",
        LEOPARD,
    ),
    ("o1m", "A", "2021-12-31T01:00:00+10:00", "", "media", "animal", LEOPARD),
    # 19.5 minutes after o1 ends: the same detection
    (
        "o2",
        "A",
        "2021-12-31T01:20:00+10:00",
        "2021-12-31T01:20:10+10:00",
        "event",
        "animal",
        LEOPARD,
    ),
    # 39 minutes after o2 ends: a new one
    ("o3", "A", "2021-12-31T02:00:00+10:00", "", "event", "animal", LEOPARD),
    ("o4", "A", "2022-01-01T10:00:00+10:00", "", "event", "animal", TIGER),
    ("o5", "A", "2022-01-01T11:00:00+10:00", "", "event", "blank", ""),
    ("o6", "B", "2022-01-05T10:00:00+10:00", "", "event", "animal", LEOPARD),
    ("o7", "B", "2022-01-06T10:00:00+10:00", "", "event", "human", "Homo sapiens"),
]
URL = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/{}-table-schema.json"


def _write(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make_package(folder: Path, observations: list[tuple[object, ...]] = OBSERVATIONS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "deployments.csv",
        ["deploymentID", "latitude", "longitude", "deploymentStart", "deploymentEnd"],
        list(DEPLOYMENTS),
    )
    _write(
        folder / "observations.csv",
        [
            "observationID",
            "deploymentID",
            "eventStart",
            "eventEnd",
            "observationLevel",
            "observationType",
            "scientificName",
        ],
        list(observations),
    )
    _write(folder / "media.csv", ["mediaID", "deploymentID", "timestamp"], [])
    descriptor = {
        "name": "tiny",
        "title": "Tiny test package",
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/camtrap-dp-profile.json",
        "resources": [
            {
                "name": n,
                "path": f"{n}.csv",
                "profile": "tabular-data-resource",
                "schema": URL.format(n),
            }
            for n in ("deployments", "media", "observations")
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder / "datapackage.json"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return make_package(tmp_path / "pkg")


@pytest.fixture
def areas() -> list[gpd.GeoDataFrame]:
    both = gpd.GeoDataFrame(geometry=[box(131.0, 43.0, 131.6, 43.2)], crs="EPSG:4326")
    only_b = gpd.GeoDataFrame(geometry=[box(131.4, 43.0, 131.6, 43.2)], crs="EPSG:4326")
    both.attrs["layer_id"], only_b.attrs["layer_id"] = "both", "only-b"
    return [both, only_b]


def test_independent_detections_merge_within_the_interval(package: Path) -> None:
    read = read_camtrap_dp(package)
    detections = independent_detections(read)
    assert detections[["deploymentID", "species", "events"]].values.tolist() == [
        ["A", LEOPARD, 2],
        ["A", LEOPARD, 1],
        ["A", TIGER, 1],
        ["B", LEOPARD, 1],
    ]
    assert len(independent_detections(read, independence=0)) == 5
    assert len(independent_detections(read, independence="1h")) == 3


def test_effort_by_year_matches_a_hand_count(package: Path, areas: list) -> None:
    table = camtrap_effort(package, areas=areas, by="year", time_zone=ZONE).set_index(
        ["area", "period", "species"]
    )
    both_2021 = table.loc[("both", "2021", LEOPARD)]
    assert (both_2021["deployments"], both_2021["trap_nights"], both_2021["detections"]) == (
        1,
        1.5,
        2,
    )
    assert both_2021["per_100_trap_nights"] == pytest.approx(133.33)
    both_2022 = table.loc[("both", "2022", LEOPARD)]
    assert (both_2022["deployments"], both_2022["trap_nights"], both_2022["detections"]) == (
        2,
        11.5,
        1,
    )
    assert both_2022["per_100_trap_nights"] == pytest.approx(8.70)
    assert table.loc[("both", "2022", TIGER), "detections"] == 1
    assert table.loc[("only-b", "2021", LEOPARD), "trap_nights"] == 0
    assert table.loc[("only-b", "2022", LEOPARD), "detections"] == 1
    assert table.loc[("(outside the areas)", "2022", LEOPARD), "deployments"] == 0
    # people and blank triggers are no detections
    assert set(table.index.get_level_values("species")) == {LEOPARD, TIGER}


def test_effort_without_periods_and_with_since(package: Path, areas: list) -> None:
    whole = camtrap_effort(package, areas=areas, time_zone=ZONE).set_index(["area", "species"])
    assert whole.loc[("both", LEOPARD), "trap_nights"] == 13.0
    assert whole.loc[("both", LEOPARD), "detections"] == 3
    later = camtrap_effort(package, areas=areas, since="2022", time_zone=ZONE).set_index(
        ["area", "species"]
    )
    assert later.loc[("both", LEOPARD), "trap_nights"] == 11.5
    assert later.loc[("both", LEOPARD), "detections"] == 1


def test_media_level_only_packages_group_by_event(tmp_path: Path) -> None:
    media_only = [
        ("m1", "A", "2021-12-31T01:00:00+10:00", "", "media", "animal", LEOPARD),
        ("m2", "A", "2021-12-31T01:00:05+10:00", "", "media", "animal", LEOPARD),
        ("m3", "B", "2022-01-05T10:00:00+10:00", "", "media", "animal", TIGER),
    ]
    read = read_camtrap_dp(make_package(tmp_path / "m", media_only))
    assert independent_detections(read)["species"].tolist() == [LEOPARD, TIGER]


def test_bad_cell_names_file_row_and_field(package: Path) -> None:
    text = (package.parent / "deployments.csv").read_text().replace("2022-01-11T00:00:00", "soon")
    (package.parent / "deployments.csv").write_text(text)
    with pytest.raises(
        DataError,
        match=r"deployments\.csv: row 3, field 'deploymentEnd': 'soon\+10:00' is not an ISO 8601",
    ):
        read_camtrap_dp(package)


def test_unknown_deployment_is_reported(tmp_path: Path) -> None:
    rows = [*OBSERVATIONS, ("o9", "Z", "2022-01-05T10:00:00+10:00", "", "event", "animal", TIGER)]
    path = make_package(tmp_path / "fk", rows)
    with pytest.raises(
        DataError, match=r"observations\.csv: row 10: deploymentID 'Z' is not in deployments"
    ):
        read_camtrap_dp(path)
    with pytest.raises(DataError, match=r"observations\.csv: row 10: deploymentID 'Z' is not in"):
        read_camtrap_dp(path, validate=False)


def test_broken_packages(tmp_path: Path, package: Path) -> None:
    with pytest.raises(UsageError, match=r"nowhere.*file does not exist"):
        read_camtrap_dp(tmp_path / "nowhere")
    package.write_text("{not json")
    with pytest.raises(DataError, match=r"datapackage\.json: is not JSON"):
        read_camtrap_dp(package)
    make_package(package.parent)
    (package.parent / "observations.csv").unlink()
    with pytest.raises(DataError, match=r"observations\.csv: file does not exist"):
        read_camtrap_dp(package.parent)
    package.write_text(json.dumps({"resources": [{"name": "media", "path": "media.csv"}]}))
    with pytest.raises(DataError, match=r"has no resource 'deployments'"):
        read_camtrap_dp(package)


def test_bad_independence_and_period(package: Path) -> None:
    with pytest.raises(UsageError, match=r"independence 'soon' is not a duration"):
        camtrap_effort(package, independence="soon")
    with pytest.raises(UsageError, match=r"by 'season' is not one of"):
        camtrap_effort(package, by="season")


def test_sample_package_is_valid_and_reproducible(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    script = root / "notebooks" / "data" / "make_camtrap_sample.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path / "camtrap_dp")], check=True)
    tracks = root / "notebooks" / "data" / "patrol_tracks.geojson"
    assert (tmp_path / "patrol_tracks.geojson").read_bytes() == tracks.read_bytes()
    tmp_path = tmp_path / "camtrap_dp"
    shipped = root / "notebooks" / "data" / "camtrap_dp"
    for name in ("datapackage.json", "deployments.csv", "media.csv", "observations.csv"):
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
    read = read_camtrap_dp(shipped)
    assert len(read.deployments) == 48


def test_cli_effort_and_errors(package: Path) -> None:
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "amurgeo", *args], capture_output=True, text=True
        )

    done = run("effort", str(package), "--by", "year", "--format", "csv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "area,kind,period,species,deployments,trap_nights,detections,per_100_trap_nights"
    )
    broken = package.parent / "deployments.csv"
    broken.write_text(broken.read_text().replace("43.1,131.5", "north,131.5"))
    failed = run("effort", str(package))
    assert failed.returncode == 1
    assert (
        failed.stderr.startswith("amurgeo: error: ") and "row 3, field 'latitude'" in failed.stderr
    )
    assert "Traceback" not in failed.stderr and len(failed.stderr.splitlines()) == 1


def test_a_window_keeps_its_periods_and_every_species() -> None:
    """--since/--until: no period past the window, no detection from outside it, and every
    species of the package keeps its rows (zeros) though none is seen in the window."""
    sample = Path(__file__).resolve().parents[1] / "notebooks" / "data" / "camtrap_dp"
    zone = "Asia/Vladivostok"
    package = read_camtrap_dp(sample, validate=False, time_zone=zone)
    table = camtrap_effort(
        package, areas="land-of-the-leopard", by="month", since="2022-02", until="2022-02"
    )
    assert set(table["period"]) == {"2022-02"}
    everything = independent_detections(package)
    assert set(table["species"]) == set(everything["species"])
    start = everything["start"]
    in_feb = everything[(start >= "2022-02-01") & (start < "2022-03-01")]
    # inside plus outside protection is every detection of February, species by species
    both = table[table["kind"].isin(["protected", "outside"])]
    got = both.groupby("species")["detections"].sum()
    want = in_feb.groupby("species").size().reindex(got.index, fill_value=0)
    assert got.to_dict() == want.to_dict() and (want == 0).any()
    empty = camtrap_effort(package, areas="land-of-the-leopard", since="2030")
    assert set(empty["species"]) == set(everything["species"])
    assert (empty["detections"] == 0).all() and (empty["trap_nights"] == 0).all()


def test_effort_per_block_matches_a_hand_count(package: Path, tmp_path: Path) -> None:
    """Trap-nights and detections of the deployments in each block, by hand.

    Deployment A stands on the edge W and E share: it counts in W (first in the file) only.
    """
    from shapely.geometry import Point

    blocks = {
        "W": box(131.0, 43.0, 131.2, 43.2),
        "E": box(131.2, 43.0, 131.6, 43.2),
        "N": box(131.0, 43.2, 131.6, 43.4),  # no deployment: kept, at zero
    }
    path = tmp_path / "blocks.geojson"
    gpd.GeoDataFrame({"block_id": list(blocks)}, geometry=list(blocks.values()), crs=4326).to_file(
        path
    )
    nights = {
        d: (pd.Timestamp(end) - pd.Timestamp(start)) / pd.Timedelta(days=1)
        for d, _, _, start, end in DEPLOYMENTS
    }
    where: dict[str, str] = {}
    for d, lat, lon, _, _ in DEPLOYMENTS:
        point = Point(lon, lat)
        inner = [k for k, g in blocks.items() if g.contains_properly(point)]
        where[d] = (inner or [k for k, g in blocks.items() if g.touches(point)])[0]
    assert where == {"A": "W", "B": "E"}
    detections = independent_detections(read_camtrap_dp(package))
    table = camtrap_effort(package, areas=path, per_feature=True, name_col="block_id")
    rows = table.set_index(["area", "species"])
    for block in blocks:
        mine = [d for d in where if where[d] == block]
        for species in (LEOPARD, TIGER):
            row = rows.loc[(block, species)]
            assert row["deployments"] == len(mine)
            assert row["trap_nights"] == pytest.approx(sum(nights[d] for d in mine))
            seen = detections[detections["deploymentID"].isin(mine)]
            assert row["detections"] == int((seen["species"] == species).sum())
    assert rows.loc[("W", LEOPARD), "trap_nights"] == 3.0
    assert rows.loc[("(inside any area)", LEOPARD), "trap_nights"] == 13.0

    from click.testing import CliRunner

    from amurgeo.cli import cli

    args = ["effort", str(package), "--area", str(path), "--per-feature", "--name-col", "block_id"]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = {(r["area"], r["species"]): r["trap_nights"] for r in json.loads(result.output)}
    assert shown[("E", LEOPARD)] == 10.0 and shown[("N", TIGER)] == 0.0
