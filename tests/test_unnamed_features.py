"""A layer whose features no column names: one warning that lists its columns and --name-col."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import Result
from shapely.geometry import box

import amurgeo
from amurgeo.errors import DataWarning

RunCli = Callable[..., Result]


def _blocks(path: Path, columns: dict[str, list[object]], n: int = 2) -> Path:
    boxes = [box(131.0 + 0.3 * i, 42.9, 131.3 + 0.3 * i, 43.3) for i in range(n)]
    gpd.GeoDataFrame(columns, geometry=boxes, crs="EPSG:4326").to_file(path)
    return path


@pytest.fixture
def blocks(tmp_path: Path) -> Path:
    return _blocks(tmp_path / "blocks.gpkg", {"area_ha": [1.0, 2.0], "zone": ["north", "south"]})


@pytest.fixture
def cams(tmp_path: Path) -> Path:
    path = tmp_path / "cams.csv"
    pd.DataFrame({"lon": [131.1, 131.4], "lat": [43.1, 43.1]}).to_csv(path, index=False)
    return path


def _hints(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "no name or id column" in line]


@pytest.mark.filterwarnings("default::amurgeo.DataWarning")
@pytest.mark.parametrize(
    "command",
    [
        ["observations", "{cams}", "--area", "{blocks}", "--per-feature"],
        ["areas", "{blocks}"],
        ["overlap", "{blocks}", "{blocks2}", "--per-feature"],
        ["export", "{blocks}", "-o", "{out}"],
    ],
)
def test_cli_warns_once_per_layer(
    run_cli: RunCli, blocks: Path, cams: Path, tmp_path: Path, command: list[str]
) -> None:
    blocks2 = _blocks(tmp_path / "plots.gpkg", {"owner": ["x", "y"]})
    out = tmp_path / "out.gpkg"
    args = [a.format(cams=cams, blocks=blocks, blocks2=blocks2, out=out) for a in command]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    hints = _hints(result.stderr)
    expected = [str(blocks)] + ([str(blocks2)] if "overlap" in command else [])
    assert [h.split(": no name")[0].removeprefix("amurgeo: warning: ") for h in hints] == expected
    assert "columns are: area_ha, zone: use --name-col COL" in hints[0]
    assert "feature 1" in result.stdout or "export" in command
    out.unlink(missing_ok=True)
    named = run_cli(*args, "--name-col", "zone") if "overlap" not in command else None
    if named is not None:
        assert named.exit_code == 0, named.stderr
        assert _hints(named.stderr) == []


def test_api_hint_and_its_silences(blocks: Path, tmp_path: Path) -> None:
    seen = pd.DataFrame({"lon": [131.1, 131.4], "lat": [43.1, 43.1]})
    with pytest.warns(DataWarning, match=r"blocks\.gpkg: .*'feature 1'.*use --name-col COL"):
        table = amurgeo.count_observations(seen, areas=blocks, per_feature=True, countries=None)
    assert {"feature 1", "feature 2"} <= set(table["area"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        named = amurgeo.count_observations(
            seen, areas=blocks, per_feature=True, countries=None, name_col="zone"
        )
        assert {"north", "south"} <= set(named["area"])
        # nothing to say: one feature, or no column that could name them
        one = _blocks(tmp_path / "one.gpkg", {"area_ha": [1.0]}, n=1)
        bare = gpd.GeoDataFrame(geometry=[box(131, 42.9, 131.3, 43.3)] * 2, crs="EPSG:4326")
        amurgeo.count_observations(seen, areas=one, per_feature=True, countries=None)
        amurgeo.count_observations(seen, areas=bare, per_feature=True, countries=None)
        amurgeo.count_observations(seen, areas=blocks, countries=None)  # no labels shown
