"""The tiger and leopard-history layers meet the targets they were drawn to (issue 16).

Areas are geodesic (WGS84 ellipsoid); containment is measured as geodesic area left outside.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

import amurgeo
from amurgeo.analysis import coverage
from amurgeo.catalog import geodata_dir, layer_entry
from amurgeo.measure import geodesic_area_km2

NEW_LAYERS = [
    "tiger-protected-areas",
    "tiger-range",
    "leopard-historical-range",
    "leopard-reintroduction",
]

#: Published centres or points (lon, lat) that must lie inside each protected area.
CENTRES = {
    "Sikhote-Alin State Nature Biosphere Reserve": [(136.1665, 45.25)],  # UNESCO extent centre
    "Lazovsky State Nature Reserve": [
        (133.9418, 43.1400),  # lazoMap reserve point
        (134.1242, 43.2639),  # Korpad cordon, 300 m inside the NE boundary
        (134.0459, 43.2658),  # Amerika cordon
        (134.1259, 43.0157),  # Proselochny cordon, on the coast
        (133.7345, 43.0110),  # Zvezdochka cordon
    ],
    "Zov Tigra National Park": [(134.267, 43.583), (134.2358, 43.5470), (134.255, 43.5586)],
    "Bikin National Park": [(136.000, 46.667), (135.3652, 46.5403)],
    "Anyuysky National Park": [(137.217, 49.271)],
    "Udegeyskaya Legenda National Park": [(135.4117, 45.8192), (135.476, 45.7572)],
    "Bolshekhekhtsirsky State Nature Reserve": [(134.8589, 48.2050)],
    "Botchinsky State Nature Reserve": [(139.2211, 48.1364)],
    "Ussuriysky State Nature Reserve": [(132.5455, 43.6803)],
}

#: Places the sources put outside an area.
OUTSIDE = {
    "Lazovsky State Nature Reserve": [
        (133.9061, 43.3856),
        (133.400, 43.233),
    ],  # Lazo; en.wiki point
    "Bolshekhekhtsirsky State Nature Reserve": [(135.0838, 48.4827)],  # Khabarovsk
}


def _country(iso3: str) -> BaseGeometry:
    countries = amurgeo.load_layer("countries")
    return shapely.union_all(countries[countries["iso3"] == iso3].geometry.values)


def _outside_km2(inner: BaseGeometry, outer: BaseGeometry) -> float:
    return geodesic_area_km2(inner.difference(outer))


@pytest.mark.parametrize("layer", NEW_LAYERS)
def test_boundary_uncertainty_and_sources_are_stated(layer: str) -> None:
    gdf = amurgeo.load_layer(layer)
    assert len(gdf) >= 2
    assert (gdf["boundary_uncertainty_km"] > 0).all()
    for _, feature in gdf.iterrows():
        assert "OpenStreetMap" in feature["source"], feature["name"]
        assert len(feature["notes"]) > 80, feature["name"]
        assert ".md" not in f"{feature['notes']} {feature['source']}"


def test_the_issue_s_protected_areas_one_feature_each() -> None:
    gdf = amurgeo.load_layer("tiger-protected-areas")
    assert sorted(gdf["name"]) == sorted(CENTRES)
    assert (gdf["iso3"] == "RUS").all()
    assert gdf["name_ru"].str.len().min() > 0 and gdf["name_zh"].str.len().min() > 0


@pytest.mark.parametrize("layer", ["tiger-protected-areas", "leopard-reintroduction"])
def test_area_within_ten_percent_of_the_official_figure(layer: str) -> None:
    for _, feature in amurgeo.load_layer(layer).iterrows():
        computed = geodesic_area_km2(feature.geometry)
        assert computed == pytest.approx(feature["reported_area_km2"], rel=0.10), feature["name"]


def test_where_sources_disagree_the_followed_figure_is_named() -> None:
    gdf = amurgeo.load_layer("tiger-protected-areas").set_index("name")
    assert gdf.loc["Zov Tigra National Park", "reported_area_km2"] == pytest.approx(821.52)
    assert "50-r" in gdf.loc["Zov Tigra National Park", "reported_area_source"]
    assert gdf.loc["Udegeyskaya Legenda National Park", "reported_area_km2"] == pytest.approx(886)
    assert "745-r" in gdf.loc["Udegeyskaya Legenda National Park", "reported_area_source"]


@pytest.mark.parametrize("name", sorted(CENTRES))
def test_published_centres_inside_and_outside_points_out(name: str) -> None:
    gdf = amurgeo.load_layer("tiger-protected-areas").set_index("name")
    geom = gdf.loc[name, "geometry"]
    for lon, lat in CENTRES[name]:
        assert geom.contains(Point(lon, lat)), (name, lon, lat)
    for lon, lat in OUTSIDE.get(name, []):
        assert not geom.contains(Point(lon, lat)), (name, lon, lat)


def test_protected_areas_inside_russia_and_apart() -> None:
    rus = _country("RUS")
    gdf = amurgeo.load_layer("tiger-protected-areas")
    for _, feature in gdf.iterrows():
        assert _outside_km2(feature.geometry, rus) < 0.01, feature["name"]
    geoms = list(gdf.geometry)
    for i, a in enumerate(geoms):
        for b in geoms[i + 1 :]:
            assert geodesic_area_km2(a.intersection(b)) < 0.01


def test_botchinsky_keeps_its_strip_from_the_tatar_strait() -> None:
    from amurgeo.measure import to_equal_area

    gdf = amurgeo.load_layer("tiger-protected-areas").set_index("name")
    reserve = to_equal_area(gdf.loc["Botchinsky State Nature Reserve", "geometry"])
    region = shapely.box(137, 46, 142, 50)
    sea = to_equal_area(region.difference(_country("RUS")))
    assert reserve.distance(sea) > 8_000


def test_the_range_holds_every_tiger_protected_area() -> None:
    tiger_range = shapely.union_all(amurgeo.load_layer("tiger-range").geometry.values)
    for layer in ["tiger-protected-areas", "land-of-the-leopard", "kedrovaya-pad"]:
        for _, feature in amurgeo.load_layer(layer).iterrows():
            assert _outside_km2(feature.geometry, tiger_range) < 0.01, feature["name"]
    park = shapely.union_all(amurgeo.load_layer("northeast-china-tiger-leopard").geometry.values)
    assert _outside_km2(park, tiger_range) < 0.01


def test_tiger_range_parts_and_their_figures() -> None:
    gdf = amurgeo.load_layer("tiger-range")
    assert sorted(gdf["iso3"]) == ["CHN", "RUS", "RUS", "RUS"]
    assert set(gdf["presence"]) == {"confirmed"}
    russia = gdf[gdf["iso3"] == "RUS"]
    assert russia["reported_area_km2"].max() == 186000
    drawn = sum(geodesic_area_km2(g) for g in russia.geometry)
    # an outer limit holds more than the official habitat figure, but not wildly more
    assert 186000 * 0.9 < drawn < 186000 * 1.35
    for _, feature in gdf.iterrows():
        assert _outside_km2(feature.geometry, _country(feature["iso3"])) < 0.01


def test_historical_range_is_coarse_says_so_and_holds_the_current_range() -> None:
    gdf = amurgeo.load_layer("leopard-historical-range")
    assert set(gdf["presence"]) == {"historical"}
    assert set(gdf["iso3"]) == {"RUS", "CHN", "PRK", "KOR"}
    assert all("COARSE" in n for n in gdf["notes"])
    assert "coarse" in layer_entry("leopard-historical-range")["title"].lower()
    russia = gdf[gdf["iso3"] == "RUS"].geometry.iloc[0]
    # the Olga Bay - Lake Khanka line: Olga's latitude is the northern limit on the coast
    assert russia.bounds[3] < 45.3
    current = amurgeo.load_layer("leopard-range")
    current_ru = current[current["iso3"] == "RUS"].geometry.iloc[0]
    assert _outside_km2(current_ru, russia) < 0.01


def test_reintroduction_status_and_dates() -> None:
    gdf = amurgeo.load_layer("leopard-reintroduction").set_index("status_year")
    assert sorted(gdf.index) == [2015, 2023]
    current, old = gdf.loc[2023], gdf.loc[2015]
    assert "current" in current["designation"].lower()
    assert "superseded" in old["designation"].lower()
    for date in ("26 Jan 2023", "26 May 2023", "Oct 2025"):
        assert date in current["notes"]
    assert "17-r" in old["notes"] and "29 May 2015" in old["notes"]
    pas = amurgeo.load_layer("tiger-protected-areas").set_index("name")
    ussuriysky = pas.loc["Ussuriysky State Nature Reserve", "geometry"]
    assert _outside_km2(ussuriysky, current["geometry"]) < 0.01
    lazovsky = pas.loc["Lazovsky State Nature Reserve", "geometry"]
    assert shapely.equals_exact(lazovsky.normalize(), old["geometry"].normalize(), 1e-9)


def test_tiger_census_rows_with_sources() -> None:
    table = pd.read_csv(geodata_dir() / "population.csv")
    tiger = table[(table["species"] == "Amur tiger") & (table["area"] == "Russia")]
    rows = {int(r.year): r for r in tiger.itertuples()}
    assert {1996, 2005, 2015, 2022} <= set(rows)
    assert (rows[1996].count_low, rows[1996].count_high) == (415, 476)
    assert (rows[2015].count_low, rows[2015].count_high) == (523, 540)
    assert rows[2022].count_low == 750 and math.isnan(rows[2022].count_high)
    assert tiger["source"].str.len().min() > 5


@pytest.fixture(scope="module")
def tiger_coverage() -> pd.DataFrame:
    """The README's first coverage question, computed once for the module."""
    return coverage(
        "tiger-range",
        by=["tiger-protected-areas", "land-of-the-leopard", "northeast-china-tiger-leopard"],
        per_country=True,
    )


@pytest.fixture(scope="module")
def historical_coverage() -> pd.DataFrame:
    """The README's second coverage question, computed once for the module."""
    return coverage("leopard-historical-range", by="leopard-range")


def test_coverage_of_the_tiger_range_per_country(tiger_coverage: pd.DataFrame) -> None:
    table = tiger_coverage.set_index("country")
    russia, china = table.loc["RUS"], table.loc["CHN"]
    # the 9 federal areas drawn plus Land of the Leopard are 29,000 km² of the range; the
    # 2019 figure (39 areas, 4.7 million ha, "a quarter") includes 29 smaller ones
    assert 28_000 < russia["covered_km2"] < 30_500
    assert 10 < russia["covered_pct"] < 25
    assert china["covered_km2"] == pytest.approx(14065, rel=0.05)
    assert russia["covered_km2_low"] < russia["covered_km2"] < russia["covered_km2_high"]


def test_coverage_of_the_historical_range_by_the_current_one(
    historical_coverage: pd.DataFrame,
) -> None:
    row = historical_coverage.iloc[0]
    assert row["covered_km2_low"] < row["covered_km2"] < row["covered_km2_high"]
    assert 1 < row["covered_pct"] < 5
    current = sum(geodesic_area_km2(g) for g in amurgeo.load_layer("leopard-range").geometry)
    assert row["covered_km2"] == pytest.approx(current, rel=0.05)


#: Tiger work the sources place (organization, activity, a word of the place).
TIGER_ACTIVITIES = [
    ("Wildlife Conservation Society", "research", "Terney"),
    ("Wildlife Conservation Society", "monitoring", "Vladivostok"),
    ("WWF", "policy", "Zov Tigra"),
    ("WWF", "habitat-protection", "Bikin"),
    ("Amur Tiger Centre", "habitat-protection", "Bikin"),
    ("Amur Tiger Centre", "monitoring", "Lazovsky"),
    ("Phoenix Fund", "anti-poaching", "Lazovsky"),
    ("Phoenix Fund", "anti-poaching", "Zov Tigra"),
]


@pytest.mark.parametrize(("organization", "activity", "place"), TIGER_ACTIVITIES)
def test_tiger_activity_points_are_placed_and_cited(
    organization: str, activity: str, place: str
) -> None:
    points = amurgeo.load_layer("activities")
    rows = points[
        points["organization"].str.contains(organization, regex=False)
        & (points["activity"] == activity)
        & points["place"].str.contains(place, regex=False)
    ]
    assert len(rows) == 1, (organization, activity, place)
    point = rows.iloc[0]
    assert "tiger" in point["description"].lower() or "Zov Tigra" in point["description"]
    assert "coordinates:" in point["source"] and len(point["source"].split(";")[0]) > 15
    # in Russia; a field site inside the tiger's range (district and office points sit in
    # towns, which the range leaves out)
    assert _country("RUS").contains(point.geometry)
    if point["location_precision"] == "site":
        tiger_range = shapely.union_all(amurgeo.load_layer("tiger-range").geometry.values)
        assert tiger_range.contains(point.geometry), point["place"]


def test_the_zov_tigra_points_lie_in_the_park() -> None:
    parks = amurgeo.load_layer("tiger-protected-areas").set_index("name")
    park = parks.loc["Zov Tigra National Park", "geometry"]
    points = amurgeo.load_layer("activities")
    at_park = points[points["place"] == "Zov Tigra National Park"]
    assert len(at_park) == 2 and at_park.geometry.within(park).all()
