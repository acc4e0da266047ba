"""Points on shared block edges: counted once, so per-block counts add up to the total.

The rule (README, "per-feature counts"): a point in the interior of several features counts in
each; a point only on boundaries counts in the first of those features in file order. Every
expected figure here is computed independently with shapely's ``contains_properly`` and
``touches``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from amurgeo import points_in_areas
from amurgeo.observations import count_observations

#: Three adjacent blocks sharing edges at round coordinates, plus one overlapping A1 and A2.
BLOCKS = {
    "A1": box(131.0, 42.9, 131.3, 43.1),
    "A2": box(131.3, 42.9, 131.6, 43.1),
    "B1": box(131.0, 43.1, 131.3, 43.3),
}
POINTS = [
    (131.3, 43.1),  # corner of all three
    (131.3, 42.9),  # corner of A1 and A2
    (131.15, 43.1),  # edge of A1 and B1
    (131.45, 43.0),  # interior of A2
    (131.6, 43.0),  # outer edge of A2 only
    (131.8, 43.0),  # outside
]


def _expected(blocks: dict[str, object], points: list[tuple[float, float]]) -> dict[str, int]:
    """Counts per block by hand: interiors each, boundary-only points in the first touched."""
    counts = dict.fromkeys(blocks, 0)
    for lon, lat in points:
        point = Point(lon, lat)
        inner = [k for k, g in blocks.items() if g.contains_properly(point)]  # type: ignore[attr-defined]
        edge = [k for k, g in blocks.items() if g.touches(point)]  # type: ignore[attr-defined]
        for key in inner or edge[:1]:
            counts[key] += 1
    return counts


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    blocks = gpd.GeoDataFrame({"block_id": list(BLOCKS)}, geometry=list(BLOCKS.values()), crs=4326)
    area = tmp_path / "blocks.geojson"
    area.write_text(blocks.to_json())
    csv = tmp_path / "edge.csv"
    pd.DataFrame(POINTS, columns=["lon", "lat"]).assign(Species="Amur tiger").to_csv(
        csv, index=False
    )
    return area, csv


def test_edge_points_count_once_and_blocks_add_up(files: tuple[Path, Path]) -> None:
    area, csv = files
    table = count_observations(
        csv, areas=area, per_feature=True, countries=None, name_col="block_id"
    )
    counts = table.set_index("area")["count"]
    expected = _expected(BLOCKS, POINTS)
    assert expected == {"A1": 3, "A2": 2, "B1": 0}  # the hand rule itself
    assert {k: int(counts[k]) for k in BLOCKS} == expected
    assert sum(expected.values()) == int(counts["(inside any area)"]) == 5


def test_partitioned_path_follows_the_same_rule(files: tuple[Path, Path], tmp_path: Path) -> None:
    area, csv = files
    folder = tmp_path / "parts"
    folder.mkdir()
    frame = pd.read_csv(csv)
    frame.iloc[:3].to_parquet(folder / "a.parquet")
    frame.iloc[3:].to_parquet(folder / "b.parquet")
    table = count_observations(
        folder, areas=area, per_feature=True, countries=None, workers=1, name_col="block_id"
    )
    counts = table.set_index("area")["count"]
    assert {k: int(counts[k]) for k in BLOCKS} == _expected(BLOCKS, POINTS)


def test_true_overlaps_count_in_each(tmp_path: Path) -> None:
    blocks = {**BLOCKS, "core": box(131.2, 42.95, 131.4, 43.05)}  # overlaps A1 and A2
    layer = gpd.GeoDataFrame({"block_id": list(blocks)}, geometry=list(blocks.values()), crs=4326)
    points = [*POINTS, (131.25, 43.0), (131.3, 43.0)]  # in A1 and core; on A1|A2 inside core
    seen = pd.DataFrame(points, columns=["lon", "lat"])
    counts = count_observations(
        seen, areas=layer, per_feature=True, countries=None, name_col="block_id"
    )
    found = {k: int(v) for k, v in counts.set_index("area")["count"].items() if k in blocks}
    assert found == _expected(blocks, points)
    assert found["core"] == 2 and found["A1"] == 4  # 131.3,43.0 is core's only: interior wins


@pytest.mark.filterwarnings("ignore:.*no name or id column:amurgeo.DataWarning")  # the points
def test_points_in_areas_lists_an_edge_point_in_its_first_block(files: tuple[Path, Path]) -> None:
    area, csv = files
    found = points_in_areas(csv, areas=area, area_name_col="block_id")
    names = [s.split(": ")[-1] if s else "" for s in found["areas"]]
    expected = []
    for lon, lat in POINTS:
        point = Point(lon, lat)
        inner = [k for k, g in BLOCKS.items() if g.contains_properly(point)]
        edge = [k for k, g in BLOCKS.items() if g.touches(point)]
        expected.append("; ".join(inner or edge[:1]))
    assert names == expected
    assert found["inside"].tolist() == [True] * 5 + [False]


def test_cli_per_block_counts_sum_to_the_inside_total(files: tuple[Path, Path], run_cli) -> None:
    area, csv = files
    result = run_cli(
        "observations",
        str(csv),
        "--area",
        str(area),
        "--per-feature",
        "--name-col",
        "block_id",
        "--format",
        "json",
    )
    table = json.loads(result.stdout)
    rows = {r["area"]: r["count"] for r in table}
    assert sum(rows[k] for k in BLOCKS) == rows["(inside any area)"]
    # countries follow the same rule: a point on a border is in one country
    assert sum(r["count"] for r in table if r["kind"] == "country") == len(POINTS)
