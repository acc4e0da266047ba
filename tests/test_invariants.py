"""Properties of the analysis that must hold for any valid input (hypothesis; issue 7).

``test_analysis.py`` checks them on star-shaped polygons; here the shapes are harder: polygons
with holes and multipolygons (equal-area discs and rings projected back to lon/lat, convex
hulls of random points), three layers at once, per-country splits, edges held on a national
border, and invalid rings that are repaired.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from amurgeo.analysis import area_table, coverage, gap, overlap, overlap_matrix
from amurgeo.io import read_vector
from amurgeo.measure import from_equal_area, geodesic_area_km2, to_equal_area

PROPERTY = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

lons = st.floats(130.0, 133.0, allow_nan=False)
lats = st.floats(42.3, 45.0, allow_nan=False)


def layer(*geoms: BaseGeometry, name: str = "layer", **columns: list[object]) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(dict(columns), geometry=list(geoms), crs="EPSG:4326")
    gdf.attrs["layer_id"] = name
    return gdf


@st.composite
def discs(draw: st.DrawFn) -> BaseGeometry:
    """A disc or a ring (a disc with a hole) drawn in the equal-area CRS, in lon/lat."""
    centre = to_equal_area(Point(draw(lons), draw(lats)))
    radius = draw(st.floats(2_000, 40_000))
    shape = centre.buffer(radius, quad_segs=draw(st.integers(2, 8)))
    if draw(st.booleans()):
        offset = draw(st.floats(-0.4, 0.4)) * radius
        hole = shapely.affinity.translate(centre, offset, offset / 2).buffer(radius * 0.3)
        shape = shape.difference(hole)
    return from_equal_area(shape)


@st.composite
def hulls(draw: st.DrawFn) -> BaseGeometry:
    """The convex hull of 3-12 random points in a box of up to about 100 km."""
    lon, lat = draw(lons), draw(lats)
    size = draw(st.floats(0.02, 1.0))
    points = draw(
        st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=3, max_size=12, unique=True)
    )
    hull = MultiPoint([(lon + size * x, lat + 0.7 * size * y) for x, y in points]).convex_hull
    if hull.geom_type != "Polygon" or geodesic_area_km2(hull) < 0.01:
        return box(lon, lat, lon + size, lat + 0.7 * size)
    return hull


shapes = st.one_of(discs(), hulls())


@st.composite
def multipolygons(draw: st.DrawFn) -> BaseGeometry:
    """One to three disjoint parts (a park in several pieces)."""
    parts = draw(st.lists(shapes, min_size=1, max_size=3))
    union = shapely.union_all(parts)
    if union.geom_type == "Polygon":
        return MultiPolygon([union])
    polys = [g for g in getattr(union, "geoms", []) if g.geom_type == "Polygon"]
    return MultiPolygon(polys) if polys else MultiPolygon([draw(hulls())])


def _reoriented(geom: BaseGeometry, shift: int) -> BaseGeometry:
    """`geom` with every ring reversed and started at another vertex."""

    def ring(coords: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
        open_ring = list(coords)[:-1][::-1]
        k = shift % len(open_ring)
        return open_ring[k:] + open_ring[:k]

    def poly(p: Polygon) -> Polygon:
        return Polygon(ring(p.exterior.coords), [ring(h.coords) for h in p.interiors])

    if geom.geom_type == "MultiPolygon":
        return MultiPolygon([poly(p) for p in geom.geoms])
    return poly(geom)


@PROPERTY
@given(st.one_of(shapes, multipolygons()), shapes, st.integers(0, 40))
def test_holes_and_parts_ignore_ring_orientation_and_start(
    a: BaseGeometry, b: BaseGeometry, shift: int
) -> None:
    turned = _reoriented(a, shift)
    assert turned.is_valid and turned.area == pytest.approx(a.area, rel=1e-12)
    for units in ("km2", "ha"):
        column = f"area_{units}"
        first = area_table(layer(a), units=units)[column].iloc[0]
        second = area_table(layer(turned), units=units)[column].iloc[0]
        assert second == pytest.approx(first, rel=1e-9)
    assert overlap(layer(turned), layer(b))["overlap_km2"].item() == pytest.approx(
        overlap(layer(a), layer(b))["overlap_km2"].item(), rel=1e-7, abs=1e-7
    )


@PROPERTY
@given(st.one_of(shapes, multipolygons()), st.one_of(shapes, multipolygons()))
def test_overlap_is_symmetric_and_within_both_areas(a: BaseGeometry, b: BaseGeometry) -> None:
    ab = overlap(layer(a, name="a"), layer(b, name="b")).iloc[0]
    ba = overlap(layer(b, name="b"), layer(a, name="a")).iloc[0]
    assert ab["overlap_km2"] == pytest.approx(ba["overlap_km2"], rel=1e-9, abs=1e-9)
    area_a, area_b = geodesic_area_km2(a), geodesic_area_km2(b)
    assert 0 <= ab["overlap_km2"] <= min(area_a, area_b) * (1 + 1e-9)
    assert 0 <= ab["pct_of_a"] <= 100 and 0 <= ab["pct_of_b"] <= 100
    # the same pair in a per-feature matrix gives the same figure
    matrix = overlap_matrix([layer(a, name="a"), layer(b, name="b")], per_feature=True)
    assert matrix["overlap_km2"].item() == pytest.approx(ab["overlap_km2"], rel=1e-9, abs=1e-9)


@PROPERTY
@given(shapes, shapes, shapes)
def test_inclusion_exclusion_for_three_layers(
    a: BaseGeometry, b: BaseGeometry, c: BaseGeometry
) -> None:
    """area(A | B | C) = sum of areas - sum of pairwise overlaps + area(A & B & C)."""
    single = [geodesic_area_km2(g) for g in (a, b, c)]
    pairs = [overlap(layer(x), layer(y))["overlap_km2"].item() for x, y in ((a, b), (a, c), (b, c))]
    abc = shapely.intersection_all([to_equal_area(g) for g in (a, b, c)])
    triple = geodesic_area_km2(from_equal_area(abc)) if not abc.is_empty else 0.0
    union = area_table(layer(a, b, c))["area_km2"].iloc[-1]
    assert union == pytest.approx(sum(single) - sum(pairs) + triple, rel=1e-5, abs=1e-4)
    # the part of A covered by B and C: area(A & B) + area(A & C) - area(A & B & C)
    row = coverage(layer(a), by=[layer(b, name="b"), layer(c, name="c")]).iloc[0]
    assert row["covered_km2"] == pytest.approx(pairs[0] + pairs[1] - triple, rel=1e-5, abs=1e-4)


@PROPERTY
@given(shapes, st.lists(shapes, min_size=1, max_size=3), st.floats(129.5, 133.5))
def test_per_country_coverage_adds_up_and_stays_within_0_and_100(
    target: BaseGeometry, by: list[BaseGeometry], border: float
) -> None:
    countries = layer(box(125, 38, border, 50), box(border, 38, 140, 50), iso3=["CHN", "RUS"])
    protecting = [layer(p, name=f"p{i}") for i, p in enumerate(by)]
    whole = coverage(layer(target), by=protecting).iloc[0]
    split = coverage(layer(target), by=protecting, per_country=True, countries=countries)
    assert ((split["covered_pct"] >= 0) & (split["covered_pct"] <= 100)).all()
    assert (split["covered_km2"] <= split["target_km2"] * (1 + 1e-9)).all()
    assert split["target_km2"].sum() == pytest.approx(whole["target_km2"], rel=1e-5, abs=1e-4)
    assert split["covered_km2"].sum() == pytest.approx(whole["covered_km2"], rel=1e-5, abs=1e-4)
    hole = gap(layer(target), by=protecting).iloc[0]
    assert 0 <= hole["gap_pct"] <= 100
    assert hole["gap_km2"] + whole["covered_km2"] == pytest.approx(
        whole["target_km2"], rel=1e-5, abs=1e-4
    )


@PROPERTY
@given(st.one_of(shapes, multipolygons()), st.floats(0.1, 8.0), st.sampled_from(["RUS", "CHN"]))
def test_uncertainty_range_contains_the_area_with_fixed_borders(
    geom: BaseGeometry, km: float, iso3: str
) -> None:
    """Edges held on the national border or coast still give low <= area <= high."""
    gdf = layer(geom, iso3=[iso3], boundary_uncertainty_km=[km], name="park")
    table = area_table(gdf)
    assert (table["area_km2_low"] <= table["area_km2"] * (1 + 1e-9)).all()
    assert (table["area_km2"] <= table["area_km2_high"] * (1 + 1e-9)).all()
    assert (table["area_km2_low"] >= 0).all()
    row = coverage(gdf, by=layer(box(129, 41, 135, 47), name="all")).iloc[0]
    assert row["covered_km2_low"] <= row["covered_km2"] <= row["covered_km2_high"]


@st.composite
def bowties(draw: st.DrawFn) -> tuple[Polygon, float]:
    """A bow-tie (a ring that crosses itself once) and the sum of its two lobes' areas."""
    lon, lat = draw(lons), draw(lats)
    w, h = draw(st.floats(0.05, 1.0)), draw(st.floats(0.05, 0.7))
    s, t = draw(st.floats(0.3, 1.0)), draw(st.floats(0.0, 0.7))
    a, b = (lon, lat), (lon + w, lat + h)
    e, d = (lon + w, lat + h * t), (lon, lat + h * s)
    crossing = LineString([a, b]).intersection(LineString([e, d]))
    x = (crossing.x, crossing.y)
    lobes = geodesic_area_km2(Polygon([a, x, d])) + geodesic_area_km2(Polygon([x, b, e]))
    return Polygon([a, b, e, d]), lobes


@PROPERTY
@given(bowties(), st.integers(0, 3), st.booleans())
def test_repaired_bowtie_keeps_the_area_of_its_lobes(
    case: tuple[Polygon, float], shift: int, reverse: bool
) -> None:
    bow, lobes = case
    coords = list(bow.exterior.coords)[:-1]
    coords = coords[shift:] + coords[:shift]
    bow = Polygon(coords[::-1] if reverse else coords)
    assert not bow.is_valid
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        repaired = read_vector(layer(bow, name="bow"))
        table = area_table(layer(bow, name="bow"))
    assert any("invalid geometry" in str(w.message) for w in caught)
    assert repaired.is_valid.all()
    # the shoelace area of a bow-tie is the difference of its lobes, never their sum
    assert table["area_km2"].iloc[0] == pytest.approx(lobes, rel=1e-4)


@PROPERTY
@given(st.one_of(shapes, multipolygons()), st.floats(0.2, 0.8))
def test_repaired_spike_and_duplicate_points_keep_the_area(
    geom: BaseGeometry, where: float
) -> None:
    """A spike (an out-and-back edge) and repeated vertices do not change the area."""
    poly = geom.geoms[0] if geom.geom_type == "MultiPolygon" else geom
    ring = list(poly.exterior.coords)[:-1]
    k = max(1, int(where * len(ring)))
    x, y = ring[k]
    spiked = [*ring[:k], (x, y), (x + 0.3, y + 0.2), (x, y), (x, y), *ring[k + 1 :]]
    broken = Polygon(spiked, [h.coords for h in poly.interiors])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        area = area_table(layer(broken))["area_km2"].iloc[0]
    # where a spike crosses an edge, the repair adds a vertex there; densified and measured
    # on the ellipsoid, that edge moves by a few m² at most
    assert area == pytest.approx(geodesic_area_km2(poly), rel=1e-5, abs=1e-4)


@PROPERTY
@given(st.lists(shapes, min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_feature_order_does_not_change_layer_figures(
    geoms: list[BaseGeometry], random: object
) -> None:
    shuffled = list(geoms)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    target = layer(box(129, 41, 135, 47), name="region")
    first = area_table(layer(*geoms))["area_km2"].iloc[-1]
    second = area_table(layer(*shuffled))["area_km2"].iloc[-1]
    assert second == pytest.approx(first, rel=1e-9)
    covered = [coverage(target, by=layer(*g))["covered_km2"].item() for g in (geoms, shuffled)]
    assert covered[1] == pytest.approx(covered[0], rel=1e-9)
    assert np.isfinite(covered).all()
