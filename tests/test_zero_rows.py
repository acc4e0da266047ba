"""Country rows with nothing in them are left out; the user's own areas are kept at zero."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

import amurgeo
from amurgeo.catalog import load_layer
from amurgeo.observations import NO_COUNTRY, count_observations

SEEN = pd.DataFrame(
    {
        "lon": [131.20, 131.50, 130.80, 131.90],
        "lat": [43.10, 43.10, 43.05, 43.30],
        "date": ["2023-01-05", "2023-03-02", "2023-03-20", "2023-05-11"],
    }
)


def _countries_with_points() -> set[str]:
    """Independent: which bundled countries hold one of SEEN's points (or none: at sea)."""
    countries = load_layer("countries")
    found = set()
    for x, y in zip(SEEN["lon"], SEEN["lat"], strict=True):
        held = [
            c
            for c, g in zip(countries["iso3"], countries.geometry, strict=True)
            if g.covers(Point(x, y))
        ]
        found |= set(map(str, held)) if held else {NO_COUNTRY}
    return found


@pytest.mark.parametrize("by", [None, "month"])
def test_only_countries_with_observations_have_rows(by: str | None) -> None:
    blocks = gpd.GeoDataFrame(
        {"name": ["empty block", "busy block"]},
        geometry=[box(135.0, 45.0, 135.1, 45.1), box(131.1, 43.0, 131.3, 43.2)],
        crs=4326,
    )
    table = count_observations(SEEN, areas=blocks, per_feature=True, by=by)
    shown = set(table.loc[table["kind"] == "country", "area"])
    expected = _countries_with_points()
    assert {"JPN", "KOR", "MNG", "PRK"}.isdisjoint(expected)  # the premise
    assert shown == expected
    # the user's areas stay, even the one with nothing in it, in every period
    periods = 1 if by is None else SEEN["date"].str[:7].nunique()  # the months observed: 3
    empty = table[table["area"] == "empty block"]
    assert len(empty) == periods and (empty["count"] == 0).all()
    if by is not None:
        # a country keeps its periods at zero once it has an observation in one
        assert len(table[table["area"] == "RUS"]) == periods


def test_coverage_per_country_leaves_out_a_country_the_target_misses() -> None:
    table = amurgeo.coverage("tiger-range", by="tiger-protected-areas", per_country=True)
    assert table["country"].tolist() == ["CHN", "RUS"]  # PRK: 0 km² of the range
    assert (table["target_km2"] > 1000).all()
    leopard = amurgeo.coverage(
        "leopard-range",
        by=["land-of-the-leopard", "northeast-china-tiger-leopard"],
        per_country=True,
    )
    assert leopard["country"].tolist() == ["CHN", "PRK", "RUS"]  # the range does reach PRK


def _countries_holding(geoms: list) -> set[str]:
    """Independent: the bundled countries any of `geoms` meets."""
    countries = load_layer("countries")
    return {
        str(code)
        for code, shape in zip(countries["iso3"], countries.geometry, strict=True)
        if any(shape.intersects(g) for g in geoms)
    }


def test_effort_and_patrols_leave_out_countries_with_nothing(tmp_path) -> None:
    from shapely.geometry import LineString
    from test_camtrap import DEPLOYMENTS, make_package

    from amurgeo.observations.effort import camtrap_effort
    from amurgeo.observations.patrols import patrol_effort

    package = make_package(tmp_path / "pkg")
    block = gpd.GeoDataFrame(
        {"name": ["far block"]}, geometry=[box(135, 45, 135.1, 45.1)], crs=4326
    )
    effort = camtrap_effort(package, areas=block, countries="countries", per_feature=True)
    cameras = [Point(lon, lat) for _, lat, lon, _, _ in DEPLOYMENTS]
    assert set(effort.loc[effort["kind"] == "country", "area"]) == _countries_holding(cameras)
    assert (effort.loc[effort["area"] == "far block", "trap_nights"] == 0).all()  # kept

    track = LineString([(131.20, 43.10), (131.30, 43.20)])
    tracks = gpd.GeoDataFrame(
        {"Patrol_ID": ["P1"], "Patrol_Start_Date": ["2023-02-01"]}, geometry=[track], crs=4326
    )
    km = patrol_effort(tracks, areas=block, countries="countries", per_feature=True)
    assert set(km.loc[km["kind"] == "country", "area"]) == _countries_holding([track])
    assert km.loc[km["area"] == "far block", "km"].tolist() == [0.0]
