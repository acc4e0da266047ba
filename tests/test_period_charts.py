"""Charts of observations per period and area (amurgeo figure --observations, plot_periods)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import Result
from shapely.geometry import box

import amurgeo
from amurgeo.errors import UsageError

RunCli = Callable[..., Result]


@pytest.fixture
def survey(tmp_path: Path) -> dict[str, str]:
    rows = [
        ("C1", 131.1, 43.1, "2024-01-15T10:00:00+10:00"),
        ("C1", 131.1, 43.1, "2024-01-20T10:00:00+10:00"),
        ("C2", 131.3, 43.1, "2024-01-31T23:30:00+10:00"),  # 31 Jan local, 31 Jan 13:30 UTC
        ("C2", 131.3, 43.1, "2024-02-01T06:00:00+10:00"),  # 1 Feb local, 31 Jan 20:00 UTC
        ("C2", 131.3, 43.1, "2024-04-02T12:00:00+10:00"),  # no record in March: a zero bar
        ("C3", 131.9, 43.9, "2024-04-03T12:00:00+10:00"),  # outside both blocks
    ]
    cams = tmp_path / "cams.csv"
    pd.DataFrame(rows, columns=["CameraID", "lon", "lat", "DateTime"]).to_csv(cams, index=False)
    blocks = tmp_path / "blocks.gpkg"
    gpd.GeoDataFrame(
        {"block_id": ["B7", "B9"]},
        geometry=[box(131.0, 43.0, 131.2, 43.2), box(131.2, 43.0, 131.4, 43.2)],
        crs=4326,
    ).to_file(blocks)
    return {"cams": str(cams), "blocks": str(blocks)}


def _bars(fig) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    ax = fig.axes[0]
    return {
        container.get_label(): [float(bar.get_height()) for bar in container]
        for container in ax.containers
    }


def test_bars_match_a_hand_count_per_month(survey: dict[str, str]) -> None:
    table = amurgeo.count_observations(
        survey["cams"], areas=survey["blocks"], per_feature=True, countries=None, by="month"
    )
    fig = amurgeo.plot_periods(table)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["2024-01", "2024-02", "2024-03", "2024-04"]
    # by hand, in UTC: C1 twice in January; C2 twice in January (both before 1 Feb UTC), once
    # in April; C3 outside; March has no record at all
    assert _bars(fig) == {
        "B7": [2.0, 0.0, 0.0, 0.0],
        "B9": [2.0, 0.0, 0.0, 1.0],
        "(outside the areas)": [0.0, 0.0, 0.0, 1.0],
    }


def test_bars_match_a_plain_pandas_count_by_year() -> None:
    table = amurgeo.count_observations("notebooks/data/camera_traps.csv", by="year")
    fig = amurgeo.plot_periods(table, areas=["land-of-the-leopard", "hunchun"])
    rows = table.set_index(["area", "period"])["count"]
    assert _bars(fig) == {
        area: [float(rows[(area, year)]) for year in ("2023", "2024")]
        for area in ("land-of-the-leopard", "hunchun")
    }


def test_counts_get_whole_number_ticks() -> None:
    import pandas as pd

    table = pd.DataFrame(
        {"area": ["A", "A", "A"], "period": ["2024-01", "2024-02", "2024-03"], "count": [1, 0, 2]}
    )
    fig = amurgeo.plot_periods(table)
    ticks = fig.axes[0].get_yticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks


def test_bad_tables_are_usage_errors() -> None:
    whole = amurgeo.count_observations("notebooks/data/camera_traps.csv")
    with pytest.raises(UsageError, match="no period column"):
        amurgeo.plot_periods(whole)
    table = amurgeo.count_observations("notebooks/data/camera_traps.csv", by="year")
    with pytest.raises(UsageError, match="no rows for area 'nowhere'"):
        amurgeo.plot_periods(table, areas=["nowhere"])
    with pytest.raises(UsageError, match="no 'km' column"):
        amurgeo.plot_periods(table, value="km")


def test_cli_chart_per_month_is_reproducible(
    run_cli: RunCli, survey: dict[str, str], tmp_path: Path
) -> None:
    args = ["figure", "--observations", survey["cams"], "--area", survey["blocks"]]
    args += ["--per-feature", "--by", "month"]
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    result = run_cli(*args, "-o", str(first))
    assert result.exit_code == 0, result.stderr
    assert "1600 x 800 px" in result.stderr
    assert run_cli(*args, "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    svg = tmp_path / "c.svg"
    assert run_cli(*args, "-o", str(svg), "--title", "Blocks <b>&").exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert "2024-03" in text and "Blocks &lt;b&gt;&amp;" in text


def test_cli_chart_options_need_observations(run_cli: RunCli, survey: dict[str, str]) -> None:
    result = run_cli("figure", "--by", "month", "-o", "x.png")
    assert result.exit_code == 2 and "need --observations" in result.stderr
    result = run_cli("figure", survey["blocks"], "--observations", survey["cams"], "-o", "x.png")
    assert result.exit_code == 2 and "--area" in result.stderr
