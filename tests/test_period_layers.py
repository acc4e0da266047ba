"""The observation map by period: one toggleable point layer per year or month (issue 13)."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result

import amurgeo
from amurgeo.errors import DataError, UsageError
from amurgeo.maps.overlays import MAX_PERIOD_LAYERS, period_specs

RunCli = Callable[..., Result]

ROWS = [
    ("C1", 131.10, 43.10, "2023-12-31T23:30:00+10:00"),  # 2023 in Vladivostok, 2023 in UTC
    ("C1", 131.10, 43.10, "2024-01-01T06:00:00+10:00"),  # 2024 locally, 2023-12-31 UTC
    ("C2", 131.30, 43.20, "2024-05-01T06:00:00Z"),
    ("C3", 131.50, 43.30, "not a date"),
]


@pytest.fixture
def cams(tmp_path: Path) -> Path:
    path = tmp_path / "<b>cams&.csv"  # a file name that must be escaped on the page
    pd.DataFrame(ROWS, columns=["CameraID", "lon", "lat", "DateTime"]).to_csv(path, index=False)
    return path


@pytest.mark.filterwarnings("ignore::amurgeo.DataWarning")
def test_one_layer_per_period_with_a_hand_count(cams: Path) -> None:
    points = amurgeo.read_observations(cams)
    with pytest.warns(amurgeo.DataWarning, match="1 of 4"):
        specs = period_specs(points, "year", 5, "en", 4)
    assert [s["period"] for s in specs] == ["2023", "2024"]
    # by hand, in UTC: both C1 records fall in 2023, C2 in 2024; C3 has no date
    assert [len(s["data"]["features"]) for s in specs] == [2, 1]
    assert [s["id"] for s in specs] == ["overlay-5", "overlay-6"]
    assert specs[0]["nameHtml"] == "&lt;b&gt;cams&amp;: 2023"
    assert [entry["labelHtml"] for s in specs for entry in s["legend"]] == [
        "&lt;b&gt;cams&amp;: 2023",
        "&lt;b&gt;cams&amp;: 2024",
    ]
    assert specs[0]["style"]["fillColor"] != specs[1]["style"]["fillColor"]
    local = amurgeo.read_observations(cams, time_zone="Asia/Vladivostok")
    by_local = period_specs(local, "year", 0, "en", 4)
    assert [len(s["data"]["features"]) for s in by_local] == [1, 2]


def test_no_dates_and_too_many_periods(cams: Path, tmp_path: Path) -> None:
    points = amurgeo.read_observations(cams).drop(columns=["time"])
    with pytest.raises(DataError, match="no date/time column"):
        period_specs(points, "year", 0, "en", 4)
    days = pd.date_range("2024-01-01", periods=MAX_PERIOD_LAYERS + 1, freq="D")
    many = tmp_path / "many.csv"
    pd.DataFrame({"lon": 131.1, "lat": 43.1, "date": days.strftime("%Y-%m-%d")}).to_csv(
        many, index=False
    )
    with pytest.raises(UsageError, match="choose a longer period"):
        period_specs(amurgeo.read_observations(many), "day", 0, "en", 4)


@pytest.mark.filterwarnings("default::amurgeo.DataWarning")
def test_cli_map_by_year(run_cli: RunCli, cams: Path, tmp_path: Path) -> None:
    out = tmp_path / "by_year.html"
    result = run_cli("map", "LotL", "--observations", str(cams), "--by", "year", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    # the page's script literal writes & as \u0026: decode it as the browser does
    names = [json.loads(f'"{n}"') for n in re.findall(r'"nameHtml":\s*"([^"]*)"', page)]
    assert "&lt;b&gt;cams&amp;: 2023" in names and "&lt;b&gt;cams&amp;: 2024" in names
    assert "<b>cams" not in page
    again = tmp_path / "again.html"
    run_cli("map", "LotL", "--observations", str(cams), "--by", "year", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()
    bad = run_cli("map", "LotL", "--by", "year", "-o", str(tmp_path / "x.html"))
    assert bad.exit_code == 2 and "need --observations" in bad.stderr


def test_a_period_of_more_than_the_cap_draws_a_fixed_sample(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    days = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 730, 900), unit="D")
    table = pd.DataFrame(
        {"lon": rng.uniform(130, 132, 900), "lat": rng.uniform(42, 44, 900), "date": days}
    )
    path = tmp_path / "many.csv"
    table.to_csv(path, index=False)
    points = amurgeo.read_observations(path)
    specs = period_specs(points, "year", 0, "en", 4, cap=100)
    per_year = table["date"].dt.year.value_counts().sort_index()
    assert [len(s["data"]["features"]) for s in specs] == [100, 100]
    assert [s["nameHtml"] for s in specs] == [
        f"many: {year} (100 of {count} drawn: a fixed sample)" for year, count in per_year.items()
    ]
    assert specs[0]["legend"][0]["labelHtml"] == specs[0]["nameHtml"]
    # the same sample whatever the row order: it depends on the observations only
    shuffled = tmp_path / "shuffled.csv"
    table.sample(frac=1.0, random_state=1).to_csv(shuffled, index=False)
    again = period_specs(amurgeo.read_observations(shuffled), "year", 0, "ru", 4, cap=100)

    def where(spec: dict) -> list:  # type: ignore[type-arg]
        return sorted(f["geometry"]["coordinates"] for f in spec["data"]["features"])

    assert [where(s) for s in again] == [where(s) for s in specs]
    assert "(показано 100 из" in again[0]["nameHtml"]
    assert [len(s["data"]["features"]) for s in period_specs(points, "year", 0, "en", 4)] == [
        int(n) for n in per_year
    ]  # under the default cap (5,000): every point


#: The land of the offline base map, and the land and water of the OpenStreetMap street map.
BASEMAP_COLOURS = ("#f4f1e8", "#f2efe9", "#aad3df")


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


@pytest.mark.filterwarnings("ignore::amurgeo.DataWarning")
@pytest.mark.parametrize("periods", [2, 3, 7])
def test_every_period_stands_out_on_the_pale_base_maps(tmp_path: Path, periods: int) -> None:
    """Even the first period's points (the lightest) differ from the cream land and the
    street map by CIEDE2000 >= 25, the periods differ from each other, and a dark outline
    rings each point."""
    from test_map_reading import delta_e

    from amurgeo.maps.style import LAND_COLOR

    assert LAND_COLOR in BASEMAP_COLOURS
    path = tmp_path / "cams.csv"
    years = [f"{2018 + k}-06-01T00:00:00Z" for k in range(periods)]
    rows = [("C1", 131.1, 43.1, when) for when in years]
    pd.DataFrame(rows, columns=["CameraID", "lon", "lat", "DateTime"]).to_csv(path, index=False)
    specs = period_specs(amurgeo.read_observations(path), "year", 0, "en", 4)
    fills = [s["style"]["fillColor"] for s in specs]
    assert len(fills) == periods
    for fill in fills:
        for base in BASEMAP_COLOURS:
            assert delta_e(_rgb(fill), _rgb(base)) >= 25, (fill, base)
    for a, b in itertools.pairwise(fills):
        assert delta_e(_rgb(a), _rgb(b)) >= 7, (a, b)
    for spec in specs:
        outline = spec["style"]["color"]
        assert sum(_rgb(outline)) / 3 < 60, outline  # dark
        assert spec["legend"][0]["style"]["color"] == outline
