"""Every species keeps its count column whatever the --since/--until window leaves."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result

import amurgeo

RunCli = Callable[..., Result]

ROWS = pd.DataFrame(
    {
        "lon": [131.3, 131.3, 131.3, 131.3],
        "lat": [43.1, 43.1, 43.1, 43.1],
        "Species": ["Amur leopard", "Amur leopard", "Amur tiger", "Sika deer"],
        "DateTime": ["2021-03-01", "2021-07-01", "2022-02-01", "2021-05-01"],
    }
)
SPECIES = ["count_amur_leopard", "count_amur_tiger", "count_sika_deer"]


@pytest.fixture(params=["csv", "partitions"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "csv":
        path = tmp_path / "cams.csv"
        ROWS.to_csv(path, index=False)
        return path
    pytest.importorskip("pyarrow")
    folder = tmp_path / "parts"
    folder.mkdir()
    ROWS.iloc[:2].to_parquet(folder / "part-0.parquet")  # leopards only in this piece
    ROWS.iloc[2:].to_parquet(folder / "part-1.parquet")
    return folder


@pytest.mark.parametrize(
    ("window", "by", "expected"),
    [
        ({"since": "2022"}, None, {"count_amur_leopard": 0, "count_amur_tiger": 1}),
        ({"until": "2021-04"}, "month", {"count_amur_leopard": 1, "count_amur_tiger": 0}),
        ({"since": "2030"}, None, {"count_amur_leopard": 0, "count_amur_tiger": 0}),
    ],
)
def test_species_columns_survive_the_window(
    source: Path, window: dict[str, str], by: str | None, expected: dict[str, int]
) -> None:
    table = amurgeo.count_observations(
        source, areas="land-of-the-leopard", countries=None, by=by, workers=None, **window
    )
    assert [c for c in table.columns if c.startswith("count_")] == SPECIES
    row = table[table["area"] == "land-of-the-leopard"]
    if len(row):  # with by, a window with nothing in it has no period and so no row
        # by hand: the rows of ROWS inside the window, species by species
        times = pd.to_datetime(ROWS["DateTime"])
        keep = pd.Series(True, index=ROWS.index)
        if "since" in window:
            keep &= times >= pd.Timestamp(window["since"])
        if "until" in window:
            keep &= times < pd.Timestamp(window["until"]) + pd.offsets.MonthBegin(1)
        by_hand = ROWS[keep]["Species"].value_counts()
        for column, count in expected.items():
            assert (
                int(row[column].sum())
                == count
                == int(by_hand.get(column.removeprefix("count_").replace("_", " ").capitalize(), 0))
            )
        assert str(row[SPECIES].dtypes.iloc[0]) == "int64"


def test_cli_csv_keeps_its_header_when_the_window_is_empty(run_cli: RunCli, source: Path) -> None:
    result = run_cli(
        "observations",
        str(source),
        "--area",
        "land-of-the-leopard",
        "--since",
        "2030",
        "--by",
        "year",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["area,kind,period,count,pct," + ",".join(SPECIES)]
    later = run_cli(
        "observations",
        str(source),
        "--area",
        "land-of-the-leopard",
        "--since",
        "2022",
        "--format",
        "csv",
    )
    table = pd.read_csv(io.StringIO(later.stdout)).set_index("area")
    assert table.loc["land-of-the-leopard", SPECIES].tolist() == [0, 1, 0]
