"""The digitized layers meet the targets they were drawn to (issue 2).

Areas are geodesic (WGS84 ellipsoid); overlaps are measured in amurgeo's equal-area projection.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

import amurgeo
from amurgeo.measure import geodesic_area_km2, to_equal_area

AREA_LAYERS = [
    "land-of-the-leopard",
    "kedrovaya-pad",
    "northeast-china-tiger-leopard",
    "hunchun",
    "leopard-range",
]
PARKS = {
    "land-of-the-leopard": "RUS",
    "kedrovaya-pad": "RUS",
    "northeast-china-tiger-leopard": "CHN",
    "hunchun": "CHN",
}


def _dissolved(layer: str) -> BaseGeometry:
    return shapely.union_all(amurgeo.load_layer(layer).geometry.values)


def _share_inside(inner: BaseGeometry, outer: BaseGeometry) -> float:
    """Fraction of `inner`'s area that lies in `outer` (equal-area projection)."""
    a, b = to_equal_area(inner), to_equal_area(outer)
    return a.intersection(b).area / a.area


@pytest.mark.parametrize("layer", AREA_LAYERS)
def test_area_within_ten_percent_of_reported(layer: str) -> None:
    gdf = amurgeo.load_layer(layer)
    reported = gdf.dropna(subset=["reported_area_km2"])
    assert len(reported) > 0, f"{layer}: no feature follows a reported area"
    for _, feature in reported.iterrows():
        computed = geodesic_area_km2(feature.geometry)
        expected = float(feature["reported_area_km2"])
        assert computed == pytest.approx(expected, rel=0.10), f"{layer}/{feature['name']}"


def test_land_of_the_leopard_says_whether_it_includes_kedrovaya_pad() -> None:
    park = amurgeo.load_layer("land-of-the-leopard").iloc[0]
    text = f"{park['notes']} {park['reported_area_source']}".lower()
    assert "kedrovaya pad" in text
    assert float(park["reported_area_km2"]) in (2620, 2799, 2799.14)


def test_kedrovaya_pad_inside_land_of_the_leopard_when_included() -> None:
    park = amurgeo.load_layer("land-of-the-leopard").iloc[0]
    included = "includ" in str(park["notes"]).lower() and round(park["reported_area_km2"]) == 2799
    if included:
        share = _share_inside(_dissolved("kedrovaya-pad"), _dissolved("land-of-the-leopard"))
        assert share >= 0.99


def test_hunchun_inside_chinese_park() -> None:
    assert _share_inside(_dissolved("hunchun"), _dissolved("northeast-china-tiger-leopard")) >= 0.9


def test_parks_meet_at_border_without_overlapping() -> None:
    russian = to_equal_area(_dissolved("land-of-the-leopard"))
    chinese = to_equal_area(_dissolved("northeast-china-tiger-leopard"))
    smaller = min(russian.area, chinese.area)
    assert russian.intersection(chinese).area < 0.01 * smaller
    assert russian.distance(chinese) < 1000.0, "the parks should meet along the border"


def test_range_covers_the_leopard_areas() -> None:
    leopard_range = _dissolved("leopard-range")
    assert _share_inside(_dissolved("land-of-the-leopard"), leopard_range) >= 0.8
    assert _share_inside(_dissolved("hunchun"), leopard_range) >= 0.8
    chinese_range = to_equal_area(leopard_range).intersection(
        to_equal_area(_dissolved("northeast-china-tiger-leopard"))
    )
    assert chinese_range.area / 1e6 > 2000, "range reaches into the Chinese leopard forests"


def test_north_korea_range_is_unconfirmed() -> None:
    rng = amurgeo.load_layer("leopard-range")
    assert set(rng["presence"]) == {"confirmed", "unconfirmed"}
    assert set(rng.loc[rng["presence"] == "unconfirmed", "iso3"]) == {"PRK"}


@pytest.mark.parametrize(("layer", "iso3"), PARKS.items())
def test_park_lies_in_its_own_country(layer: str, iso3: str) -> None:
    countries = amurgeo.load_layer("countries")
    country = countries.loc[countries["iso3"] == iso3].geometry.iloc[0]
    assert _share_inside(_dissolved(layer), country) >= 0.97
    assert set(amurgeo.load_layer(layer)["iso3"]) == {iso3}


@pytest.mark.parametrize(
    ("layer", "lon", "lat"),
    [
        ("land-of-the-leopard", 131.417, 43.000),
        ("kedrovaya-pad", 131.500, 43.083),
        ("hunchun", 130.733, 42.833),
    ],
)
def test_published_centre_points_are_near(layer: str, lon: float, lat: float) -> None:
    """The published centre points (FACTS.md) lie within 30 km of the drawn area."""
    centre = gpd.GeoSeries.from_xy([lon], [lat], crs=4326).to_crs(amurgeo.measure.EQUAL_AREA_CRS)
    drawn = to_equal_area(_dissolved(layer))
    assert drawn.distance(centre.iloc[0]) < 30_000


def test_chinese_park_within_pilot_extent() -> None:
    west, south, east, north = _dissolved("northeast-china-tiger-leopard").bounds
    assert west >= 129.0 and east <= 131.4 and south >= 42.4 and north <= 44.3


def test_polygons_are_drawn_not_boxes() -> None:
    """Each area feature has a real outline: many vertices, and it does not fill its bounds."""
    for layer in AREA_LAYERS:
        for geom in amurgeo.load_layer(layer).geometry:
            assert shapely.get_num_coordinates(geom) >= 12, layer
            envelope = to_equal_area(shapely.envelope(geom))
            assert to_equal_area(geom).area / envelope.area < 0.95, layer


def test_boundary_uncertainty_is_stated() -> None:
    for layer in AREA_LAYERS:
        values = amurgeo.load_layer(layer)["boundary_uncertainty_km"]
        assert values.notna().all() and (values > 0).all() and (values < 50).all(), layer


def test_every_activity_point_has_a_place_and_lies_on_land_where_in_the_region() -> None:
    points = amurgeo.load_layer("activities")
    land = _dissolved("countries")
    west, south, east, north = land.bounds
    in_region = points.cx[west:east, south:north]
    assert len(in_region) > 10
    assert in_region.within(land.buffer(0.01)).all()
