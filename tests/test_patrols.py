"""Patrol effort (amurgeo.observations.patrols) against geodesic lengths of clipped lines."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, box

from amurgeo.errors import DataError, DataWarning, UsageError
from amurgeo.observations.patrols import patrol_effort, read_patrols

WGS84 = Geod(ellps="WGS84")
PARK = box(131.0, 43.0, 131.5, 43.5)


@pytest.fixture
def park() -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame({"name": ["Park"]}, geometry=[PARK], crs="EPSG:4326")
    gdf.attrs["layer_id"] = "park"
    return gdf


@pytest.fixture
def tracks(tmp_path: Path) -> Path:
    rng = np.random.default_rng(11)
    lines, ids, dates = [], [], []
    for i in range(30):
        start = rng.uniform([130.8, 42.8], [131.7, 43.7])
        steps = rng.normal(0, 0.03, (40, 2)).cumsum(axis=0) + start
        lines.append(LineString(steps))
        ids.append(f"P{i // 2:02d}")  # two legs per patrol
        dates.append(f"2023-{1 + i % 12:02d}-{1 + i % 27:02d}")
    gdf = gpd.GeoDataFrame(
        {"Patrol_ID": ids, "Patrol_Start_Date": dates, "Leader": ["ranger"] * 30},
        geometry=lines,
        crs="EPSG:4326",
    )
    path = tmp_path / "tracks.gpkg"
    gdf.to_file(path)
    return path


def _clipped_km(gdf: gpd.GeoDataFrame, area: gpd.GeoDataFrame) -> np.ndarray:
    """Independent: geopandas.clip, then pyproj's line_length over each part's vertices."""
    out = []
    for line in gdf.geometry:
        part = gpd.clip(gpd.GeoDataFrame(geometry=[line], crs="EPSG:4326"), area)
        km = 0.0
        for geom in part.geometry:
            for piece in getattr(geom, "geoms", [geom]):
                if piece.geom_type == "LineString":
                    x, y = piece.xy
                    km += WGS84.line_length(list(x), list(y)) / 1000.0
        out.append(km)
    return np.array(out)


def test_km_inside_match_clipped_geodesic_length(tracks: Path, park: gpd.GeoDataFrame) -> None:
    table = patrol_effort(tracks, areas=park).set_index("area")
    gdf = gpd.read_file(tracks)
    inside = _clipped_km(gdf, park)
    total = np.array(
        [WGS84.line_length(list(g.xy[0]), list(g.xy[1])) / 1000.0 for g in gdf.geometry]
    )
    assert table.loc["park", "km"] == pytest.approx(inside.sum(), abs=0.01)
    assert table.loc["(outside the areas)", "km"] == pytest.approx((total - inside).sum(), abs=0.01)
    patrols = {pid for pid, km in zip(gdf["Patrol_ID"], inside, strict=True) if km > 0}
    assert table.loc["park", "patrols"] == len(patrols)


def test_km_by_month(tracks: Path, park: gpd.GeoDataFrame) -> None:
    table = patrol_effort(tracks, areas=park, by="month")
    gdf = gpd.read_file(tracks)
    inside = _clipped_km(gdf, park)
    months = gdf["Patrol_Start_Date"].str.slice(0, 7)
    expected = {m: inside[(months == m).to_numpy()].sum() for m in sorted(set(months))}
    got = table[table["area"] == "park"].set_index("period")["km"]
    assert list(got.index) == sorted(expected)
    for month, km in expected.items():
        assert got[month] == pytest.approx(km, abs=0.01)
    only_may = patrol_effort(tracks, areas=park, since="2023-05", until="2023-05")
    assert only_may.set_index("area").loc["park", "km"] == pytest.approx(
        expected["2023-05"], abs=0.01
    )


def test_meridian_walk_is_the_distance_between_latitudes(park: gpd.GeoDataFrame) -> None:
    walk = gpd.GeoDataFrame(
        {"patrol": ["A"], "date": ["2023-01-05"]},
        geometry=[LineString([(131.2, 42.5), (131.2, 43.3)])],
        crs="EPSG:4326",
    )
    _, _, metres = WGS84.inv(131.2, 43.0, 131.2, 43.3)
    table = patrol_effort(walk, areas=park).set_index("area")
    assert table.loc["park", "km"] == pytest.approx(metres / 1000.0, abs=0.01)


def test_columns_kept_and_options(tracks: Path) -> None:
    read = read_patrols(tracks)
    assert {"Patrol_ID", "Patrol_Start_Date", "Leader", "patrol", "time"} <= set(read.columns)
    assert read.attrs["patrol_col"] == "Patrol_ID"
    with pytest.raises(DataError, match=r"has no patrol id column 'team'"):
        read_patrols(tracks, patrol_col="team")


def test_points_are_refused_and_dates_needed(tmp_path: Path, park: gpd.GeoDataFrame) -> None:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([131.1], [43.1]), crs="EPSG:4326")
    with pytest.raises(DataError, match=r"has Point geometries; expected lines"):
        patrol_effort(points, areas=park)
    undated = gpd.GeoDataFrame(
        geometry=[LineString([(131.1, 43.1), (131.2, 43.2)])], crs="EPSG:4326"
    )
    with pytest.raises(UsageError, match=r"no date column to count by period"):
        patrol_effort(undated, areas=park, by="year")


def test_unreadable_dates_warn_once(park: gpd.GeoDataFrame) -> None:
    lines = [LineString([(131.1, 43.1), (131.2, 43.2)])] * 3
    gdf = gpd.GeoDataFrame(
        {"date": ["2023-01-01", "not a date", ""]}, geometry=lines, crs="EPSG:4326"
    )
    with pytest.warns(DataWarning, match=r"dropped 2 of 3 rows whose time in column 'date'"):
        table = patrol_effort(gdf, areas=park, by="year")
    assert table.set_index("area").loc["park", "patrols"] == 1


def test_cli_patrols(tracks: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "amurgeo",
            "patrols",
            str(tracks),
            "--by",
            "month",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "area,kind,period,patrols,km"


def test_per_feature_km_per_block_match_clipping_by_hand(tracks: Path, tmp_path: Path) -> None:
    """Each survey block's km is the geodesic length of the tracks clipped to it; blocks that
    share edges add up to the km inside any of them."""
    blocks = {
        "SW": box(131.0, 43.0, 131.25, 43.25),
        "SE": box(131.25, 43.0, 131.5, 43.25),
        "NW": box(131.0, 43.25, 131.25, 43.5),
        "NE": box(131.25, 43.25, 131.5, 43.5),
    }
    layer = gpd.GeoDataFrame({"block_id": list(blocks)}, geometry=list(blocks.values()), crs=4326)
    path = tmp_path / "blocks.geojson"
    layer.to_file(path)
    read = gpd.read_file(tracks)
    table = patrol_effort(tracks, areas=path, per_feature=True, name_col="block_id")
    km = table.set_index("area")["km"]
    patrols = table.set_index("area")["patrols"]
    for name, geom in blocks.items():
        area = gpd.GeoDataFrame(geometry=[geom], crs="EPSG:4326")
        clipped = _clipped_km(read, area)
        assert km[name] == pytest.approx(clipped.sum(), abs=0.02)
        assert patrols[name] == len(set(read["Patrol_ID"][clipped > 1e-9]))
    assert sum(km[n] for n in blocks) == pytest.approx(km["(inside any area)"], abs=0.05)
    assert km["(inside any area)"] > 0

    from click.testing import CliRunner

    from amurgeo.cli import cli

    args = ["patrols", str(tracks), "--area", str(path), "--per-feature", "--name-col", "block_id"]
    result = CliRunner().invoke(cli, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert [line.split(",")[0] for line in result.output.splitlines()[1:5]] == list(blocks)
