"""Your own layers keep their names: --name-col / name_col= and name= (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import Result
from shapely.geometry import Point, box

import amurgeo
from amurgeo.errors import UsageError

RunCli = Callable[..., Result]


def _blocks() -> gpd.GeoDataFrame:
    """Survey blocks keyed by a column no default picks (``Block``), plus a ``name`` of notes."""
    return gpd.GeoDataFrame(
        {
            "Block": ["B7", "B9"],
            "name": ["north block (old grid)", "south block"],
            "ranger": ["Ivanov", "Li"],
        },
        geometry=[box(131.0, 43.0, 131.2, 43.2), box(131.2, 43.0, 131.4, 43.2)],
        crs=4326,
    )


@pytest.fixture
def blocks_file(tmp_path: Path) -> str:
    path = tmp_path / "blocks.gpkg"
    _blocks().to_file(path, layer="blocks")
    return str(path)


def test_area_table_names_features_by_the_column_given() -> None:
    table = amurgeo.area_table(_blocks(), name="survey", name_col="Block")
    assert table["feature"].tolist() == ["B7", "B9", "(all)"]
    assert set(table["layer"]) == {"survey"}
    default = amurgeo.area_table(_blocks())
    assert default["feature"].tolist()[:2] == ["north block (old grid)", "south block"]
    assert set(default["layer"]) == {"layer"}


def test_overlap_and_matrix_take_names_and_name_col() -> None:
    park = gpd.GeoDataFrame({"name": ["park"]}, geometry=[box(131.1, 43.0, 131.5, 43.2)], crs=4326)
    table = amurgeo.overlap(
        _blocks(), park, per_feature=True, name=("blocks", "park"), name_col="Block"
    )
    assert table["a"].tolist() == ["blocks: B7", "blocks: B9"]
    assert table["b"].tolist() == ["park: park", "park: park"]
    # half of B7 and all of B9 lie in the park (same latitude band, so the areas compare)
    assert table["pct_of_a"].round(3).tolist() == [50.0, 100.0]
    matrix = amurgeo.overlap_matrix([_blocks()], per_feature=True, name="b", name_col="ranger")
    assert matrix[["a", "b"]].values.tolist() == [["b: Ivanov", "b: Li"]]


def test_a_bundled_layer_keeps_its_names_beside_a_users_name_col() -> None:
    table = amurgeo.overlap(_blocks(), "LotL", per_feature=True, name_col="Block")
    assert table["a"].str.endswith(("B7", "B9")).all()
    assert table["b"].str.contains("Land of the Leopard").all()


def test_coverage_names_your_regions_with_name_col() -> None:
    districts = gpd.GeoDataFrame(
        {"NAME_2": ["west", "east"], "iso3": ["RUS", "RUS"]},
        geometry=[box(130.0, 42.0, 131.2, 44.0), box(131.2, 42.0, 132.0, 44.0)],
        crs=4326,
    )
    target = _blocks()
    table = amurgeo.coverage(
        target, by=target, per_country=True, countries=districts, name="blocks", name_col="NAME_2"
    )
    assert table["country"].tolist() == ["east", "west"]
    assert table["target"].tolist() == ["blocks", "blocks"]
    assert table["covered_pct"].round(3).tolist() == [100.0, 100.0]


def test_points_in_areas_names_points_and_areas() -> None:
    sites = gpd.GeoDataFrame(
        {"CameraID": ["C1", "C2"], "name": ["x", "y"]},
        geometry=[Point(131.1, 43.1), Point(131.3, 43.1)],
        crs=4326,
    )
    found = amurgeo.points_in_areas(
        sites, areas=_blocks(), name="cams", name_col="CameraID", area_name_col="Block"
    )
    assert found["feature"].tolist() == ["C1", "C2"]
    assert found["layer"].tolist() == ["cams", "cams"]
    assert found["areas"].tolist() == ["layer: B7", "layer: B9"]


def test_a_missing_name_col_names_the_layer_and_its_columns() -> None:
    with pytest.raises(UsageError, match=r"has no column 'block_id'.*Block, name, ranger"):
        amurgeo.area_table(_blocks(), name_col="block_id")
    with pytest.raises(UsageError, match="one name per layer"):
        amurgeo.overlap(_blocks(), _blocks(), name="blocks")


def _error(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_cli_name_col_on_areas_overlap_coverage(run_cli: RunCli, blocks_file: str) -> None:
    result = run_cli("areas", blocks_file, "--name-col", "Block", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["feature"] for r in json.loads(result.stdout)] == ["B7", "B9", "(all)"]
    result = run_cli(
        "overlap", blocks_file, "--per-feature", "--name-col", "ranger", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert [(r["a"], r["b"]) for r in json.loads(result.stdout)] == [
        ("blocks: Ivanov", "blocks: Li")
    ]
    message = _error(run_cli("areas", blocks_file, "--name-col", "block_id"), 2)
    assert blocks_file in message and "Block, name, ranger" in message


def test_cli_export_writes_the_chosen_name(
    run_cli: RunCli, blocks_file: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.gpkg"
    result = run_cli("export", blocks_file, "-o", str(out), "--name-col", "Block")
    assert result.exit_code == 0, result.output
    layer = pyogrio.list_layers(out)[0, 0]
    written = pyogrio.read_dataframe(out, layer=layer)
    assert written["name"].tolist() == ["B7", "B9"]
    assert written["name_input"].tolist() == ["north block (old grid)", "south block"]
    assert written["Block"].tolist() == ["B7", "B9"]
    message = _error(
        run_cli("export", blocks_file, "-o", str(tmp_path / "x.gpkg"), "--name-col", "nope"), 2
    )
    assert "has no column 'nope'" in message and not (tmp_path / "x.gpkg").exists()


def test_cli_map_labels_your_features_by_name_col(
    run_cli: RunCli, blocks_file: str, tmp_path: Path
) -> None:
    out = tmp_path / "blocks.html"
    result = run_cli("map", blocks_file, "--name-col", "Block", "-o", str(out), "--no-simplify")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "B7" in page and "B9" in page
    assert "north block (old grid)" in page  # the notes stay, as an attribute
    message = _error(run_cli("map", blocks_file, "--name-col", "nope", "-o", str(out)), 2)
    assert "has no column 'nope'" in message


@pytest.mark.parametrize("command", ["observations", "figure"])
def test_name_col_without_per_feature_is_refused_not_ignored(
    run_cli: RunCli, tmp_path: Path, blocks_file: str, command: str
) -> None:
    """A first user's --name-col was silently unused without --per-feature (figure exited 0)."""
    cams = tmp_path / "cams.csv"
    cams.write_text("lon,lat\n131.1,43.1\n131.3,43.1\n", encoding="utf-8")
    args = ["observations", str(cams)] if command == "observations" else ["figure"]
    if command == "figure":
        args += ["--observations", str(cams), "-o", str(tmp_path / "chart.png")]
    result = run_cli(*args, "--area", blocks_file, "--name-col", "Block")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "amurgeo: error: name_col 'Block' names the features of per-feature counts: "
        "give per_feature=True too (--per-feature)"
    ]
    assert not (tmp_path / "chart.png").exists()
    with pytest.raises(UsageError, match="per_feature=True"):
        amurgeo.count_observations(str(cams), areas=blocks_file, name_col="Block")
