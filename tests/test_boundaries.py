"""The bundled boundaries agree with the real one where it exists, and say honestly how far
the hand-drawn ones may be off (issue 10).

The reference is the OpenStreetMap boundary of Land of the Leopard National Park
(``geodata/sources/land-of-the-leopard_osm-r10367273.geojson``, ODbL). Overlays run in
amurgeo's equal-area projection; areas are geodesic.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

import amurgeo
from amurgeo.analysis import coverage, overlap_matrix, shared_boundary
from amurgeo.catalog import catalog_entries
from amurgeo.export import SOURCES_TABLE, export_layers
from amurgeo.measure import HAND_DRAWN_EDGE_KM, geodesic_area_km2, to_equal_area

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "geodata" / "sources"
OSM_PARK = SOURCES / "land-of-the-leopard_osm-r10367273.geojson"
HAND_DRAWN = Path(__file__).parent / "fixtures" / "land-of-the-leopard_hand-drawn.geojson"

#: What the README and the figures say a hand-drawn edge's error is: the distance within which
#: this share of the real edge lies, measured on the hand-drawn park.
CLAIMS = HAND_DRAWN_EDGE_KM
#: Layers whose features are hand-drawn (all their inland edges).
HAND_DRAWN_LAYERS = ["northeast-china-tiger-leopard", "hunchun", "leopard-range"]


def _dissolved(layer: str) -> BaseGeometry:
    return shapely.union_all(amurgeo.load_layer(layer).geometry.values)


def _osm() -> BaseGeometry:
    return shapely.union_all(gpd.read_file(OSM_PARK).geometry.values)


def _km2(geom_ea: BaseGeometry) -> float:
    return float(geom_ea.area) / 1e6


def _share_of_edge_within(real: BaseGeometry, drawn: BaseGeometry, km: float) -> float:
    """Share of `real`'s boundary length within `km` of `drawn`'s boundary."""
    edge = to_equal_area(real).boundary
    band = to_equal_area(drawn).boundary.buffer(km * 1000.0)
    return float(edge.intersection(band).length / edge.length)


# --- Land of the Leopard from OpenStreetMap --------------------------------------------------


def test_park_without_kedrovaya_pad_is_the_osm_park() -> None:
    park = to_equal_area(_dissolved("land-of-the-leopard").difference(_dissolved("kedrovaya-pad")))
    osm = to_equal_area(_osm())
    iou = park.intersection(osm).area / park.union(osm).area
    assert iou >= 0.95
    assert iou >= 0.99, "only the clip to the border and the border snap may differ"


def test_osm_derived_layers_carry_the_odbl() -> None:
    entries = {e["id"]: e for e in catalog_entries()}
    for layer in ("land-of-the-leopard", "kedrovaya-pad", "countries"):
        assert entries[layer]["license"] == "ODbL-1.0"
        assert "© OpenStreetMap contributors" in entries[layer]["attribution"]
    for layer in ("activities",):
        assert "ODbL" not in entries[layer]["license"]
    park = amurgeo.load_layer("land-of-the-leopard").iloc[0]
    assert "OpenStreetMap" in park["source"]
    assert float(park["boundary_uncertainty_km"]) <= 0.5, "OSM edges: hundreds of metres"


def test_kedrovaya_pad_fills_the_notch() -> None:
    reserve = _dissolved("kedrovaya-pad")
    osm = _osm()
    area = geodesic_area_km2(reserve)
    assert area == pytest.approx(180.45, rel=0.10)
    on_park = geodesic_area_km2(reserve.intersection(osm))
    assert on_park <= 0.03 * area
    # the notch on the park's eastern side, between its lobes and the coastal railway
    west, south, east, north = reserve.bounds
    assert west >= 131.35 and east <= 131.65 and south >= 43.0 and north <= 43.22
    # its west, north and south edges are the park's: most of its edge lies on the park's
    edge = to_equal_area(reserve).boundary
    on_park_edge = edge.intersection(to_equal_area(osm).boundary.buffer(100.0)).length
    assert on_park_edge / edge.length >= 0.6
    assert to_equal_area(reserve).distance(to_equal_area(osm)) < 1.0


def test_parks_meet_along_one_edge_without_overlapping() -> None:
    russian = to_equal_area(_dissolved("land-of-the-leopard"))
    chinese = to_equal_area(_dissolved("northeast-china-tiger-leopard"))
    assert _km2(russian.intersection(chinese)) <= 1.0
    assert russian.distance(chinese) < 1.0
    assert shared_boundary("land-of-the-leopard", "NCTLNP")["shared_km"].item() > 100


def test_nothing_of_land_of_the_leopard_is_counted_in_china() -> None:
    table = coverage("land-of-the-leopard", by="land-of-the-leopard", per_country=True)
    china = table.loc[table["country"] == "CHN"]
    assert china.empty or float(china["target_km2"].sum()) < 0.5


def test_russian_range_holds_the_real_park_and_the_reserve() -> None:
    rng = amurgeo.load_layer("leopard-range")
    russian = rng.loc[rng["iso3"] == "RUS"].iloc[0]
    ea = to_equal_area(russian.geometry)
    for layer in ("land-of-the-leopard", "kedrovaya-pad"):
        assert _km2(to_equal_area(_dissolved(layer)).difference(ea)) < 0.01, layer
    # all of the OSM park on Russian land (a few km² of the OSM polygon lie beyond the border
    # or coast of the OSM country layer)
    countries = amurgeo.load_layer("countries")
    russia = countries.loc[countries["iso3"] == "RUS"].geometry.iloc[0]
    osm_in_russia = to_equal_area(_osm().intersection(russia))
    assert _km2(osm_in_russia.difference(ea)) < 0.5
    assert geodesic_area_km2(russian.geometry) == pytest.approx(6500, rel=0.10)
    assert float(russian["reported_area_km2"]) == 6500


# --- uncertainty that holds ------------------------------------------------------------------


@pytest.mark.parametrize(("share", "km"), CLAIMS.items())
def test_band_the_method_claims_holds_that_share_of_the_real_edge(share: float, km: float) -> None:
    """On the park drawn by hand before the OSM boundary was found, the band holds the share."""
    drawn = shapely.union_all(gpd.read_file(HAND_DRAWN).geometry.values)
    assert _share_of_edge_within(_osm(), drawn, km) >= share
    # and the claim is not padded: half the distance holds clearly less
    assert _share_of_edge_within(_osm(), drawn, km / 2) < share


def test_hand_drawn_layers_state_at_least_the_measured_band() -> None:
    for layer in HAND_DRAWN_LAYERS:
        values = amurgeo.load_layer(layer)["boundary_uncertainty_km"]
        assert (values >= CLAIMS[0.80]).all(), layer


def test_readme_states_the_measured_claims() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for share, km in CLAIMS.items():
        assert f"{round(share * 100)} % of the real edge" in readme
        assert f"{km:g} km" in readme


def test_halves_of_one_park_do_not_overlap_even_at_the_high_end() -> None:
    table = overlap_matrix(["NCTLNP"], per_feature=True)
    row = table.iloc[0]
    assert "Jilin" in row["a"] and "Heilongjiang" in row["b"]
    assert row["overlap_km2"] == 0 and row["overlap_km2_high"] == 0


# --- sources a reader can check --------------------------------------------------------------

#: File names of this repository or of shared/ that must never reach a user.
INTERNAL = re.compile(
    r"FACTS(_TIGER)?\.md|FACTS\b|\bseeds?\s*0\d\d|\b\d{3}_[0-9a-f]{16}|\.txt\b|\.py\b|shared/|"
    r"/work/|digitized_areas|activity_sites",
    re.IGNORECASE,
)


def _internal_names(text: str) -> list[str]:
    return sorted({m.group(0) for m in INTERNAL.finditer(text)})


def test_no_bundled_attribute_or_catalog_text_names_an_internal_file() -> None:
    for entry in catalog_entries():
        found = _internal_names(json.dumps(entry, ensure_ascii=False))
        assert not found, f"catalog {entry['id']}: {found}"
        gdf = amurgeo.load_layer(entry["id"])
        for column in gdf.columns.drop("geometry"):
            for value in gdf[column].dropna().astype(str):
                assert not _internal_names(value), f"{entry['id']}.{column}: {value[:120]}"
    for path in (ROOT / "geodata").glob("*.csv"):
        assert not _internal_names(path.read_text(encoding="utf-8")), path.name


def test_no_editable_source_that_reaches_users_names_an_internal_file() -> None:
    for name in ("areas.csv", "activities.csv", "places.csv", "sources.csv", "layers.csv"):
        with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                found = _internal_names(" ".join(row.values()))
                assert not found, f"{name}, line {number}: {found}"


def test_committed_maps_name_no_internal_file() -> None:
    maps = sorted((ROOT / "maps").glob("*.html"))
    assert maps
    for path in maps:
        text = path.read_text(encoding="utf-8")
        # inlined third-party scripts are not ours to police; our page text is everything else
        ours = re.sub(r"(?s)<script[^>]*>/\*.*?</script>", "", text)
        assert not _internal_names(ours), f"{path.name}: {_internal_names(ours)}"


def test_exports_name_no_internal_file(tmp_path: Path) -> None:
    gpkg = tmp_path / "amur.gpkg"
    export_layers(gpkg)
    for layer, _ in pyogrio.list_layers(gpkg):
        frame = pyogrio.read_dataframe(gpkg, layer=layer, read_geometry=False)
        for column in frame.columns:
            for value in frame[column].dropna().astype(str):
                assert not _internal_names(value), f"{layer}.{column}: {value[:120]}"
    sources = pyogrio.read_dataframe(gpkg, layer=SOURCES_TABLE, read_geometry=False)
    licences = dict(zip(sources.iloc[:, 0], sources["license"], strict=False))
    assert any("ODbL" in str(v) for v in licences.values())


def test_source_code_does_not_cite_internal_files_to_users() -> None:
    """Strings in src/ that could reach a page or a file name no internal document."""
    pattern = re.compile(r"FACTS\.md|seed 00\d|_[0-9a-f]{16}\.txt|shared/reference")
    for path in sorted((ROOT / "src" / "amurgeo").rglob("*.py")):
        found = pattern.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)}: {found}"
