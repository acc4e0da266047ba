"""amurgeo.analysis: exact answers, properties, empty results, and the bundled layers."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box
from shapely.geometry.base import BaseGeometry

import amurgeo
from amurgeo._paths import geodata_dir
from amurgeo.analysis import (
    LAYER_ROW,
    area_table,
    coverage,
    gap,
    overlap,
    overlap_matrix,
    points_in_areas,
    shared_boundary,
)
from amurgeo.errors import DataError, DataWarning, UsageError
from amurgeo.measure import GEOD, UNITS, geodesic_area_km2, to_equal_area


def _has_geodata() -> bool:
    try:
        geodata_dir()
    except DataError:
        return False
    return True


requires_geodata = pytest.mark.skipif(not _has_geodata(), reason="geodata/ is not built yet")

FAST = settings(max_examples=25, deadline=None)


def layer(*geoms: BaseGeometry, name: str = "layer", **columns: list[object]) -> gpd.GeoDataFrame:
    """A lon/lat GeoDataFrame of `geoms` named `name`."""
    gdf = gpd.GeoDataFrame(dict(columns), geometry=list(geoms), crs="EPSG:4326")
    gdf.attrs["layer_id"] = name
    return gdf


def box_area_exact_km2(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Closed-form area of a lon/lat box on the WGS84 ellipsoid (edges along parallels)."""
    a, f = 6378137.0, 1 / 298.257223563
    b, e2 = a * (1 - f), f * (2 - f)
    e = math.sqrt(e2)

    def zone(lat: float) -> float:  # area from the equator to `lat`, per radian of longitude
        s = math.sin(math.radians(lat))
        return s / (2 * (1 - e2 * s * s)) + math.log((1 + e * s) / (1 - e * s)) / (4 * e)

    return math.radians(lon2 - lon1) * b * b * (zone(lat2) - zone(lat1)) / 1e6


# --- exact answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bounds",
    [(131.0, 42.6, 132.0, 43.4), (129.0, 42.0, 134.0, 46.0), (131.0, 43.0, 131.01, 43.01)],
)
def test_box_area_matches_the_closed_form(bounds: tuple[float, float, float, float]) -> None:
    table = area_table(layer(box(*bounds)))
    exact = box_area_exact_km2(*bounds)
    assert table["area_km2"].tolist() == pytest.approx([exact, exact], rel=1e-7)


def test_closed_form_of_the_reference_box() -> None:
    assert box_area_exact_km2(131.0, 42.6, 132.0, 43.4) == pytest.approx(7246.83, abs=0.005)


def test_geodesic_and_equal_area_agree_on_a_densified_polygon() -> None:
    # an irregular polygon across the region, densified to ~1 km edges
    ring = [(129.1, 42.5), (131.3, 42.4), (132.4, 43.6), (131.0, 44.4), (129.6, 44.0)]
    polygon = shapely.segmentize(Polygon(ring), 0.01)
    geodesic = geodesic_area_km2(polygon)
    equal_area = to_equal_area(polygon).area / 1e6
    assert abs(equal_area - geodesic) / geodesic < 1e-4  # issue 3: < 0.01 %
    assert abs(equal_area - geodesic) / geodesic < 1e-7  # measured: ~4e-9


def test_overlay_results_agree_with_equal_area() -> None:
    a = Polygon([(129.1, 42.5), (131.3, 42.4), (132.4, 43.6), (131.0, 44.4)])
    b = box(130.0, 43.0, 133.0, 45.0)
    result = overlap(layer(a), layer(b)).iloc[0]
    equal_area = to_equal_area(a).intersection(to_equal_area(b)).area / 1e6
    assert result["overlap_km2"] == pytest.approx(equal_area, rel=1e-6)


def test_web_mercator_would_inflate_areas_by_87_percent() -> None:
    gdf = layer(box(131.0, 42.6, 132.0, 43.4))
    mercator = gdf.to_crs(3857).area.item() / 1e6
    assert mercator / area_table(gdf)["area_km2"].iloc[0] == pytest.approx(1.87, abs=0.01)


# --- area table -----------------------------------------------------------------------------


def test_area_table_rows_columns_and_flag() -> None:
    west, east = box(131.0, 43.0, 131.5, 43.5), box(131.25, 43.0, 131.75, 43.5)
    gdf = layer(
        west,
        east,
        name="parks",
        name_=["x", "y"],
        reported_area_km2=[2200.0, 1500.0],
        boundary_uncertainty_km=[1.0, 2.0],
    ).rename(columns={"name_": "name"})
    table = area_table(gdf)
    assert list(table.columns) == [
        "layer",
        "feature",
        "area_km2",
        "area_km2_low",
        "area_km2_high",
        "reported_area_km2",
        "difference_pct",
        "flag",
    ]
    assert table["feature"].tolist() == ["x", "y", LAYER_ROW]
    assert (table["layer"] == "parks").all()
    x, y, whole = table.to_dict(orient="records")
    assert x["difference_pct"] == pytest.approx(100 * (x["area_km2"] - 2200) / 2200)
    assert not x["flag"] and y["flag"]  # 2.5 % and 50 % off
    assert whole["reported_area_km2"] == 3700.0
    union = to_equal_area(west).union(to_equal_area(east)).area / 1e6
    assert whole["area_km2"] == pytest.approx(union, rel=1e-6)  # dissolved: counted once
    assert whole["area_km2"] < x["area_km2"] + y["area_km2"]
    # the wider uncertainty of y gives it the wider range
    assert y["area_km2_high"] - y["area_km2_low"] > x["area_km2_high"] - x["area_km2_low"]


def test_area_table_without_attributes_has_no_range_and_no_reported_area() -> None:
    table = area_table(layer(box(131, 43, 131.5, 43.5)))
    assert (table["area_km2_low"] == table["area_km2"]).all()
    assert (table["area_km2_high"] == table["area_km2"]).all()
    assert table["reported_area_km2"].isna().all() and table["difference_pct"].isna().all()
    assert not table["flag"].any()
    assert table["feature"].tolist() == ["feature 1", LAYER_ROW]


def test_layer_reported_total_is_missing_when_a_feature_has_none() -> None:
    gdf = layer(box(131, 43, 131.5, 43.5), box(132, 43, 132.5, 43.5), reported_area_km2=[1, None])
    assert math.isnan(area_table(gdf)["reported_area_km2"].iloc[-1])


@pytest.mark.parametrize("units", ["ha", "mi2"])
def test_area_table_units_add_columns(units: str) -> None:
    gdf = layer(box(131, 43, 131.5, 43.5), reported_area_km2=[2000.0])
    table = area_table(gdf, units=units, uncertainty_km=1.0)
    for column in ("area_km2", "area_km2_low", "area_km2_high", "reported_area_km2"):
        twin = column.replace("km2", units)
        assert table[twin].tolist() == pytest.approx((table[column] / UNITS[units]).tolist())


def test_fourteen_thousand_square_km_is_about_5430_square_miles() -> None:
    square = box(130.0, 43.0, 130.0 + 1.6, 43.0 + 0.95)  # ~ 14,000 km²
    table = area_table(layer(square, reported_area_km2=[14065.0]), units="mi2")
    row = table.iloc[0]
    assert 13000 < row["area_km2"] < 15000
    assert row["reported_area_mi2"] == pytest.approx(5430.5, abs=0.5)


def test_bad_options_are_usage_errors() -> None:
    gdf = layer(box(131, 43, 131.5, 43.5))
    with pytest.raises(UsageError, match="units 'acres' is not one of km2, ha, mi2"):
        area_table(gdf, units="acres")
    with pytest.raises(UsageError, match="uncertainty_km"):
        area_table(gdf, uncertainty_km=-1)
    with pytest.raises(UsageError, match="tolerance_m"):
        shared_boundary(gdf, gdf, tolerance_m=-5)
    with pytest.raises(UsageError, match="`by` is empty"):
        coverage(gdf, by=[])


def test_negative_uncertainty_attribute_is_a_data_error() -> None:
    gdf = layer(box(131, 43, 131.5, 43.5), name="bad", boundary_uncertainty_km=[-2.0])
    with pytest.raises(DataError, match="layer 'bad', feature 'feature 1': boundary_unc"):
        area_table(gdf)


def test_points_are_not_an_area_layer() -> None:
    with pytest.raises(DataError, match="layer 'sites': has no polygons \\(Point\\)"):
        area_table(layer(Point(131, 43), name="sites"))


def test_invalid_polygon_is_repaired_and_measured() -> None:
    bowtie = Polygon([(131, 43), (132, 44), (132, 43), (131, 44)])
    with pytest.warns(UserWarning, match="layer 'bow', feature 'feature 1': invalid geometry"):
        table = area_table(layer(bowtie, name="bow"))
    half = box_area_exact_km2(131, 43, 132, 44) / 2
    assert table["area_km2"].iloc[0] == pytest.approx(half, rel=0.01)


# --- empty results --------------------------------------------------------------------------


def test_disjoint_overlap_is_zero_not_an_error() -> None:
    result = overlap(layer(box(131, 43, 131.5, 43.5)), layer(box(133, 45, 134, 46))).iloc[0]
    assert result["overlap_km2"] == 0 and result["pct_of_a"] == 0 and result["pct_of_b"] == 0
    assert result["geometry"].is_empty


def test_full_coverage_leaves_an_empty_gap() -> None:
    target = layer(box(131, 43, 131.5, 43.5))
    result = gap(target, by=layer(box(130, 42, 132, 44)))
    assert result["gap_km2"].item() == 0 and result["gap_pct"].item() == 0
    assert result.geometry.item().is_empty


def test_empty_target_gives_zero_and_no_percentage() -> None:
    empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    row = coverage(empty, by=layer(box(130, 42, 132, 44))).iloc[0]
    assert row["target_km2"] == 0 and row["covered_km2"] == 0 and math.isnan(row["covered_pct"])
    assert area_table(empty)["area_km2"].tolist() == [0.0]


# --- properties -----------------------------------------------------------------------------

lons = st.floats(129.0, 134.0, allow_nan=False)
lats = st.floats(42.0, 46.0, allow_nan=False)
sizes = st.floats(0.02, 1.5, allow_nan=False)


@st.composite
def polygons(draw: st.DrawFn) -> Polygon:
    """Star-shaped polygons (5-12 vertices) in the region, valid by construction."""
    lon, lat, radius = draw(lons), draw(lats), draw(sizes)
    n = draw(st.integers(5, 12))
    radii = draw(st.lists(st.floats(0.3, 1.0), min_size=n, max_size=n))
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return Polygon(
        [
            (lon + radius * r * np.cos(t), lat + 0.7 * radius * r * np.sin(t))
            for r, t in zip(radii, angles, strict=True)
        ]
    )


@FAST
@given(polygons(), polygons())
def test_overlap_is_symmetric_and_bounded(a: Polygon, b: Polygon) -> None:
    ab = overlap(layer(a, name="a"), layer(b, name="b")).iloc[0]
    ba = overlap(layer(b, name="b"), layer(a, name="a")).iloc[0]
    assert ab["overlap_km2"] == pytest.approx(ba["overlap_km2"], rel=1e-9, abs=1e-9)
    assert ab["pct_of_a"] == pytest.approx(ba["pct_of_b"], rel=1e-9, abs=1e-9)
    assert ab["overlap_km2"] <= min(geodesic_area_km2(a), geodesic_area_km2(b))
    assert 0 <= ab["pct_of_a"] <= 100 and 0 <= ab["pct_of_b"] <= 100


@FAST
@given(polygons(), polygons())
def test_inclusion_exclusion(a: Polygon, b: Polygon) -> None:
    union = area_table(layer(a, b))["area_km2"].iloc[-1]
    both = overlap(layer(a), layer(b))["overlap_km2"].item()
    expected = geodesic_area_km2(a) + geodesic_area_km2(b) - both
    assert union == pytest.approx(expected, rel=1e-6, abs=1e-6)


@FAST
@given(polygons(), polygons(), st.integers(0, 11))
def test_ring_orientation_and_start_vertex_do_not_matter(
    a: Polygon, b: Polygon, shift: int
) -> None:
    coords = list(a.exterior.coords)[:-1]
    shift %= len(coords)
    rotated = coords[shift:] + coords[:shift]
    variants = [a, Polygon(rotated), Polygon(rotated[::-1]), a.reverse()]
    areas = [area_table(layer(v))["area_km2"].iloc[0] for v in variants]
    overlaps = [overlap(layer(v), layer(b))["overlap_km2"].item() for v in variants]
    assert areas == pytest.approx([areas[0]] * 4, rel=1e-9)
    assert overlaps == pytest.approx([overlaps[0]] * 4, rel=1e-7, abs=1e-7)


@FAST
@given(polygons(), st.lists(polygons(), min_size=1, max_size=3))
def test_coverage_and_gap_are_complementary_percentages(target: Polygon, by: list[Polygon]) -> None:
    protecting = [layer(p, name=f"p{i}") for i, p in enumerate(by)]
    row = coverage(layer(target), by=protecting).iloc[0]
    assert 0 <= row["covered_pct"] <= 100
    assert row["covered_km2_low"] <= row["covered_km2"] <= row["covered_km2_high"]
    hole = gap(layer(target), by=protecting).iloc[0]
    assert row["covered_pct"] + hole["gap_pct"] == pytest.approx(100, abs=1e-4)
    assert row["by"] == hole["by"] == " + ".join(f"p{i}" for i in range(len(by)))


@FAST
@given(polygons(), polygons(), st.floats(0.1, 5.0))
def test_low_high_range_contains_the_area(a: Polygon, b: Polygon, km: float) -> None:
    table = area_table(layer(a, b), uncertainty_km=km)
    assert (table["area_km2_low"] <= table["area_km2"]).all()
    assert (table["area_km2"] <= table["area_km2_high"]).all()
    assert (table["area_km2_low"] < table["area_km2_high"]).all()
    both = overlap(layer(a), layer(b), uncertainty_km=km).iloc[0]
    assert both["overlap_km2_low"] <= both["overlap_km2"] <= both["overlap_km2_high"]
    hole = gap(layer(a), by=layer(b), uncertainty_km=km).iloc[0]
    assert hole["gap_km2_low"] <= hole["gap_km2"] <= hole["gap_km2_high"]


# --- coverage, gap, matrix ------------------------------------------------------------------


def test_coverage_dissolves_overlapping_protected_areas_first() -> None:
    target = layer(box(131, 43, 132, 43.5), name="range")
    park = layer(box(131, 43, 131.6, 43.5), name="park")
    reserve = layer(box(131.4, 43, 131.6, 43.5), name="reserve")  # inside the park
    row = coverage(target, by=[park, reserve]).iloc[0]
    assert row["covered_pct"] == pytest.approx(60, abs=0.01)  # not 80
    assert row["by"] == "park + reserve" and row["country"] is None


def test_coverage_per_country() -> None:
    countries = layer(box(125, 40, 131, 48), box(131, 40, 137, 48), iso3=["CHN", "RUS"])
    target = layer(box(130, 43, 132, 44), name="range")  # half in each
    park = layer(box(131, 43, 132, 44), name="park")  # all of the Russian half
    table = coverage(target, by=park, per_country=True, countries=countries)
    assert table["country"].tolist() == ["CHN", "RUS"]
    chn, rus = table.to_dict(orient="records")
    assert chn["covered_pct"] == pytest.approx(0, abs=1e-6)
    assert rus["covered_pct"] == pytest.approx(100, abs=1e-6)
    total = coverage(target, by=park).iloc[0]
    assert chn["target_km2"] + rus["target_km2"] == pytest.approx(total["target_km2"])


def test_coverage_per_country_reports_the_part_outside_every_country() -> None:
    countries = layer(box(125, 40, 131, 48), iso_a3=["CHN"])
    target, park = layer(box(130, 43, 132, 44)), layer(box(130, 43, 131, 44))
    table = coverage(target, by=park, per_country=True, countries=countries)
    assert table["country"].tolist() == ["CHN", "(no country)"]
    assert table["covered_pct"].tolist() == pytest.approx([100, 0], abs=1e-6)


def test_gap_geometry_and_units() -> None:
    result = gap(layer(box(131, 43, 132, 43.5)), by=layer(box(131, 43, 131.5, 44)), units="ha")
    assert result.crs.to_epsg() == 4326
    assert np.allclose(result.total_bounds, [131.5, 43.0, 132.0, 43.5])
    assert result["gap_ha"].item() == pytest.approx(result["gap_km2"].item() * 100)
    assert list(result.columns)[-1] == "geometry"


def test_overlap_matrix_matches_a_plain_pairwise_loop() -> None:
    rng = np.random.default_rng(3)
    geoms = [
        Point(x, y).buffer(r, quad_segs=4)
        for x, y, r in zip(
            rng.uniform(130, 132, 40),
            rng.uniform(42, 44, 40),
            rng.uniform(0.05, 0.3, 40),
            strict=True,
        )
    ]
    parks = layer(*geoms, name="p")
    fast = overlap_matrix(parks, per_feature=True, include_disjoint=False)
    full = overlap_matrix(parks, per_feature=True)
    assert len(full) == 40 * 39 // 2
    loop = {}
    for i in range(40):
        for j in range(i + 1, 40):
            shared = to_equal_area(geoms[i]).intersection(to_equal_area(geoms[j])).area / 1e6
            if shared > 0:
                loop[(f"p: feature {i + 1}", f"p: feature {j + 1}")] = shared
    found = dict(zip(zip(fast["a"], fast["b"], strict=True), fast["overlap_km2"], strict=True))
    assert found.keys() == loop.keys()
    for key, value in loop.items():
        assert found[key] == pytest.approx(value, rel=1e-6)
    assert full["overlap_km2"].sum() == pytest.approx(fast["overlap_km2"].sum())


def test_overlap_matrix_of_layers() -> None:
    a = layer(box(131, 43, 131.5, 43.5), box(131.4, 43, 131.8, 43.5), name="a")  # dissolved
    b = layer(box(131.6, 43, 132, 43.5), name="b")
    c = layer(box(140, 50, 141, 51), name="c")
    table = overlap_matrix([a, b, c], units="mi2")
    assert list(zip(table["a"], table["b"], strict=True)) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert table["pct_of_b"].iloc[0] == pytest.approx(50, abs=0.01)
    assert table["overlap_mi2"].iloc[0] == pytest.approx(table["overlap_km2"].iloc[0] / 2.58999)


# --- points in areas, shared boundary --------------------------------------------------------


def test_points_in_areas() -> None:
    park = layer(box(131, 43, 131.5, 43.5), name="park")
    reserve = layer(box(131.1, 43.1, 131.2, 43.2), name="reserve")
    sites = layer(
        Point(131.15, 43.15),
        Point(131.3, 43.3),
        Point(132.0, 43.25),
        name="sites",
        organization=["WWF", "WCS", "ALTA"],
    )
    with pytest.warns(DataWarning, match=r"columns are: organization: use --name-col COL"):
        found = points_in_areas(sites, areas=[park, reserve])
    assert found["inside"].tolist() == [True, True, False]
    assert found["areas"].tolist() == ["park; reserve", "park", ""]
    assert found["nearest_area"].tolist() == ["park", "park", "park"]
    assert found["organization"].tolist() == ["WWF", "WCS", "ALTA"]
    assert found["layer"].tolist() == ["sites"] * 3
    expected_km = GEOD.inv(132.0, 43.25, 131.5, 43.25)[2] / 1000
    assert found["distance_km"].tolist()[:2] == [0.0, 0.0]
    assert found["distance_km"].iloc[2] == pytest.approx(expected_km, rel=1e-3)
    assert found.crs.to_epsg() == 4326


def test_points_in_areas_labels_features_of_multi_feature_layers() -> None:
    parks = layer(box(131, 43, 131.5, 43.5), box(132, 43, 132.5, 43.5), name="wdpa")
    parks["name"] = ["Alpha", "Beta"]
    found = points_in_areas(layer(Point(132.2, 43.2), Point(131.9, 43.2)), areas=parks)
    assert found["areas"].tolist() == ["wdpa: Beta", ""]
    assert found["nearest_area"].tolist() == ["wdpa: Beta", "wdpa: Beta"]


def test_shared_boundary_of_neighbours() -> None:
    west = layer(box(130.5, 43.0, 131.0, 43.5), name="west")
    east = layer(box(131.0, 43.2, 131.5, 44.0), name="east")
    exact = GEOD.inv(131.0, 43.2, 131.0, 43.5)[2] / 1000
    tight = shared_boundary(west, east, tolerance_m=1)
    assert tight["shared_km"].item() == pytest.approx(exact, abs=0.01)
    default = shared_boundary(west, east)
    # the tolerance may add up to twice itself at each end of a shared stretch
    assert exact <= default["shared_km"].item() <= exact + 4 * 0.1
    reverse = shared_boundary(east, west)
    assert reverse["shared_km"].item() == pytest.approx(default["shared_km"].item())
    assert default.geometry.item().geom_type in ("LineString", "MultiLineString")


def test_shared_boundary_of_distant_areas_is_zero() -> None:
    a, b = layer(box(130, 43, 130.5, 43.5)), layer(box(131, 43, 131.5, 43.5))
    assert shared_boundary(a, b)["shared_km"].item() == 0
    assert shared_boundary(a, b, tolerance_m=0)["shared_km"].item() == 0
    assert shared_boundary(a, b).geometry.item().is_empty


# --- the bundled layers ----------------------------------------------------------------------


@requires_geodata
def test_bundled_area_table() -> None:
    table = area_table()
    from amurgeo.catalog import AREA_KINDS, catalog_entries

    layers = [e["id"] for e in catalog_entries() if e["kind"] in AREA_KINDS]
    assert table["layer"].unique().tolist() == layers
    assert (table["area_km2_low"] < table["area_km2"]).all()
    assert (table["area_km2"] < table["area_km2_high"]).all()
    # ranges are outer limits and may have no published area; the parks follow theirs
    protected = [e["id"] for e in catalog_entries() if e["kind"] == "protected-area"]
    parks = table[table["layer"].isin(protected)]
    assert parks["reported_area_km2"].notna().all()
    # the digitized parks follow their reported areas
    assert (parks["difference_pct"].abs() < 10).all(), parks


@requires_geodata
def test_bundled_chinese_park_in_square_miles() -> None:
    row = area_table("NCTLNP", units="mi2").iloc[-1]
    assert 5400 <= row["area_mi2"] <= 5650  # not "over 14,000 square miles"
    assert 13900 <= row["reported_area_km2"] <= 14700


@requires_geodata
def test_bundled_nested_areas() -> None:
    reserve = overlap("kedrovaya-pad", "land-of-the-leopard").iloc[0]
    assert reserve["pct_of_a"] > 95
    hunchun = overlap("hunchun", "northeast-china-tiger-leopard").iloc[0]
    assert hunchun["pct_of_a"] > 95
    across = overlap("land-of-the-leopard", "northeast-china-tiger-leopard").iloc[0]
    assert across["pct_of_a"] < 1  # they meet along the border, they do not overlap


@requires_geodata
def test_bundled_leopard_range_coverage_per_country() -> None:
    by = ["land-of-the-leopard", "northeast-china-tiger-leopard"]
    table = coverage("leopard-range", by=by, per_country=True)
    assert {"CHN", "RUS"} <= set(table["country"])
    assert table["covered_pct"].between(0, 100).all()
    whole = coverage("leopard-range", by=["land-of-the-leopard", "NCTLNP", "hunchun"]).iloc[0]
    assert table["target_km2"].sum() == pytest.approx(whole["target_km2"], rel=1e-6)


@requires_geodata
def test_bundled_shared_border_and_activities() -> None:
    border = shared_boundary("land-of-the-leopard", "northeast-china-tiger-leopard")
    assert border["shared_km"].item() > 20
    found = points_in_areas()
    assert len(found) > 0
    assert (found["distance_km"] >= 0).all()
    assert (found.loc[found["inside"], "distance_km"] == 0).all()


def test_uncertainty_never_pushes_a_park_across_its_national_border() -> None:
    """Edges on the border stay fixed: the two national parks cannot overlap even at 'high'."""
    row = amurgeo.overlap("land-of-the-leopard", "northeast-china-tiger-leopard").iloc[0]
    assert row["overlap_km2_high"] == pytest.approx(0.0, abs=0.01)
    by_country = amurgeo.coverage(
        "leopard-range",
        by=["land-of-the-leopard", "northeast-china-tiger-leopard"],
        per_country=True,
    ).set_index("country")
    assert by_country.loc["PRK", "covered_km2_high"] == pytest.approx(0.0, abs=0.01)


def test_fixed_border_edges_narrow_the_range() -> None:
    from shapely.geometry import box

    from amurgeo.measure import area_range_km2

    park = box(131.0, 43.0, 131.5, 43.5)
    country = box(130.0, 42.0, 131.5, 44.0)  # the park's east edge is the border
    free_low, free_high = area_range_km2(park, 2.0)
    low, high = area_range_km2(park, 2.0, within=country)
    assert free_low < low < high < free_high
    # with the east edge fixed, the grown park stops at the border
    assert high == pytest.approx(free_high - (free_high - free_low) / 4, rel=0.05)
