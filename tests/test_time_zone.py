"""--time-zone on every command with time options: dates read as the clock in that zone."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import Result
from shapely.geometry import LineString, box

from amurgeo.observations.effort import camtrap_effort

RunCli = Callable[..., Result]

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "notebooks" / "data" / "camtrap_dp" / "datapackage.json"

#: Two detections on New Year's night in Land of the Leopard: 20:00 UTC on 31 December is
#: 06:00 on 1 January in Vladivostok (UTC+10); the second has no offset (local already).
STAMPS = ["2021-12-31T20:00:00Z", "2022-01-01 05:00"]


@pytest.fixture
def cams(tmp_path: Path) -> Path:
    path = tmp_path / "cams.csv"
    pd.DataFrame(
        {
            "lon": [131.3, 131.3],
            "lat": [43.1, 43.1],
            "Species": ["Amur leopard"] * 2,
            "DateTime": STAMPS,
        }
    ).to_csv(path, index=False)
    return path


@pytest.fixture
def park(tmp_path: Path) -> Path:
    path = tmp_path / "park.geojson"
    gpd.GeoDataFrame(
        {"name": ["park"]}, geometry=[box(131.0, 42.9, 131.6, 43.3)], crs="EPSG:4326"
    ).to_file(path)
    return path


def _years(result: Result) -> dict[str, int]:
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"period": str})
    return dict(zip(table["period"], table["count"], strict=True)) if len(table) else {}


def _observations(run_cli: RunCli, source: Path, park: Path, *extra: str) -> dict[str, int]:
    return _years(
        run_cli(
            "observations",
            str(source),
            "--area",
            str(park),
            "--countries",
            "countries",
            "--by",
            "year",
            "--format",
            "csv",
            *extra,
        )
    )


@pytest.mark.parametrize("zone", ["+10:00", "Asia/Vladivostok"])
def test_observations_count_on_the_local_day(
    run_cli: RunCli, cams: Path, park: Path, tmp_path: Path, zone: str
) -> None:
    rows = pd.read_csv(
        io.StringIO(
            run_cli(
                "observations",
                str(cams),
                "--area",
                str(park),
                "--by",
                "year",
                "--format",
                "csv",
                "--time-zone",
                zone,
            ).stdout
        ),
        dtype={"period": str},
    )
    inside = rows[rows["area"] == "park"]
    assert dict(zip(inside["period"], inside["count"], strict=True)) == {"2022": 2}
    utc = pd.read_csv(
        io.StringIO(
            run_cli(
                "observations", str(cams), "--area", str(park), "--by", "year", "--format", "csv"
            ).stdout
        ),
        dtype={"period": str},
    )
    inside = utc[utc["area"] == "park"]
    assert dict(zip(inside["period"], inside["count"], strict=True)) == {"2021": 1, "2022": 1}
    # --since is in the zone too: both are on or after 1 January 2022 in Vladivostok
    since = run_cli(
        "observations",
        str(cams),
        "--area",
        str(park),
        "--since",
        "2022",
        "--time-zone",
        zone,
        "--format",
        "json",
    )
    assert json.loads(since.stdout)[0]["count"] == 2, since.stderr


def test_partitioned_parquet_reads_in_the_zone(run_cli: RunCli, cams: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    folder = tmp_path / "parts"
    folder.mkdir()
    pd.read_csv(cams).to_parquet(folder / "part-0.parquet")
    park = tmp_path / "park.geojson"
    gpd.GeoDataFrame(
        {"name": ["park"]}, geometry=[box(131.0, 42.9, 131.6, 43.3)], crs="EPSG:4326"
    ).to_file(park)
    args = ("--area", str(park), "--by", "year", "--format", "csv", "--workers", "1")
    local = run_cli("observations", str(folder), *args, "--time-zone", "+10:00")
    assert local.exit_code == 0, local.stderr
    table = pd.read_csv(io.StringIO(local.stdout), dtype={"period": str}).set_index("area")
    assert table.loc["park", "period"] == "2022" and table.loc["park", "count"] == 2
    utc = pd.read_csv(
        io.StringIO(run_cli("observations", str(folder), *args).stdout), dtype={"period": str}
    )
    assert sorted(utc.loc[utc["area"] == "park", "period"]) == ["2021", "2022"]


def test_patrols_in_the_zone(run_cli: RunCli, park: Path, tmp_path: Path) -> None:
    tracks = tmp_path / "tracks.geojson"
    gpd.GeoDataFrame(
        {"Patrol_ID": ["P1", "P2"], "Patrol_Start_Date": STAMPS},
        geometry=[LineString([(131.2, 43.0), (131.3, 43.0)])] * 2,
        crs="EPSG:4326",
    ).to_file(tracks)
    args = ("patrols", str(tracks), "--area", str(park), "--by", "year", "--format", "csv")
    local = pd.read_csv(
        io.StringIO(run_cli(*args, "--time-zone", "+10:00").stdout), dtype={"period": str}
    )
    park_rows = local[local["area"] == "park"]
    assert park_rows[["period", "patrols"]].values.tolist() == [["2022", 2]]
    utc = pd.read_csv(io.StringIO(run_cli(*args).stdout), dtype={"period": str})
    assert utc.loc[utc["area"] == "park", "period"].tolist() == ["2021", "2022"]


def test_effort_in_the_zone_is_the_api_in_that_zone(run_cli: RunCli) -> None:
    args = ("effort", str(PACKAGE), "--by", "month", "--format", "csv", "--no-validate")
    local = run_cli(*args, "--time-zone", "Asia/Vladivostok")
    assert local.exit_code == 0, local.stderr
    got = pd.read_csv(io.StringIO(local.stdout), dtype={"period": str})
    want = camtrap_effort(PACKAGE, by="month", validate=False, time_zone="Asia/Vladivostok")
    assert got["period"].tolist() == want["period"].astype(str).tolist()
    for column in ("deployments", "trap_nights", "detections"):
        assert got[column].tolist() == pytest.approx(want[column].tolist()), column
    utc = run_cli(*args)
    assert utc.exit_code == 0 and utc.stdout != local.stdout  # some nights move a month


def test_map_layers_by_year_in_the_zone(run_cli: RunCli, cams: Path, tmp_path: Path) -> None:
    out = tmp_path / "by_year.html"
    result = run_cli(
        "map",
        "LotL",
        "--observations",
        str(cams),
        "--by",
        "year",
        "--time-zone",
        "+10:00",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    names = re.findall(r'"nameHtml":\s*"([^"]*)"', out.read_text(encoding="utf-8"))
    assert "cams: 2022" in names and "cams: 2021" not in names


def test_figure_chart_in_the_zone(run_cli: RunCli, cams: Path, tmp_path: Path) -> None:
    def chart(name: str, *extra: str) -> bytes:
        out = tmp_path / name
        result = run_cli("figure", "--observations", str(cams), "-o", str(out), *extra)
        assert result.exit_code == 0, result.stderr
        return out.read_bytes()

    utc, local = chart("utc.svg"), chart("local.svg", "--time-zone", "+10:00")
    assert b"2021" in utc and b"2021" not in local and b"2022" in local
    assert chart("again.svg", "--time-zone", "+10:00") == local


@pytest.mark.parametrize(
    "command",
    [
        ["observations", "{cams}", "--by", "year"],
        ["effort", str(PACKAGE)],
        ["patrols", "{cams}"],
        ["figure", "--observations", "{cams}", "-o", "{out}.png"],
        ["map", "--observations", "{cams}", "--by", "year", "-o", "{out}.html"],
    ],
)
@pytest.mark.parametrize("zone", ["Vladivostok", "+25:00", "UTC+10"])
def test_a_bad_zone_is_one_usage_line(
    run_cli: RunCli, cams: Path, tmp_path: Path, command: list[str], zone: str
) -> None:
    out = tmp_path / "out"
    args = [a.format(cams=cams, out=out) for a in command]
    result = run_cli(*args, "--time-zone", zone)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'--time-zone'" in lines[0] and repr(zone) in lines[0], lines
    assert "+10:00" in lines[0]  # says what is expected
    assert not list(tmp_path.glob("out*"))  # nothing written


@pytest.mark.parametrize("command", ["figure", "map"])
def test_time_zone_needs_observations(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    suffix = ".png" if command == "figure" else ".html"
    result = run_cli(command, "-o", str(tmp_path / f"x{suffix}"), "--time-zone", "+10:00")
    assert result.exit_code == 2 and "--time-zone" in result.stderr
    assert "need --observations" in result.stderr
