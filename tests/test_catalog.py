"""The bundled catalog: every layer file checked against its catalog entry and RFC 7946."""

from __future__ import annotations

import hashlib
import itertools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import shape

import amurgeo
from amurgeo._paths import geodata_dir
from amurgeo.catalog import catalog_entries, layer_entry, resolve_layer_id
from amurgeo.errors import LayerNotFoundError
from amurgeo.schema import ACTIVITY_TYPES, LOCATION_PRECISIONS, required_fields

ENTRIES = catalog_entries()
EXPECTED_IDS = {
    "land-of-the-leopard",
    "kedrovaya-pad",
    "northeast-china-tiger-leopard",
    "hunchun",
    "leopard-range",
    "tiger-protected-areas",
    "tiger-range",
    "leopard-historical-range",
    "leopard-reintroduction",
    "activities",
    "countries",
}

#: Layers drawn in the whole region (115-145 E), not only the leopard's corner of it.
WIDE_LAYERS = {"tiger-protected-areas", "tiger-range", "leopard-historical-range"}


def _load_raw(entry: dict[str, Any]) -> dict[str, Any]:
    text = (geodata_dir() / entry["file"]).read_text(encoding="utf-8")
    # parse floats as Decimal so that the number of decimals written can be checked
    return json.loads(text, parse_float=Decimal)


def _rings(geometry: dict[str, Any]) -> list[list[list[Decimal]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _positions(coords: Any) -> list[list[Decimal]]:
    if coords and not isinstance(coords[0], list):
        return [coords]
    return [p for part in coords for p in _positions(part)]


def _signed_area(ring: list[list[Decimal]]) -> float:
    xy = [(float(x), float(y)) for x, y, *_ in ring]
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(xy)) / 2


def test_catalog_has_the_issue_ids() -> None:
    assert {e["id"] for e in ENTRIES} == EXPECTED_IDS


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_layer_file_matches_catalog_and_rfc7946(entry: dict[str, Any]) -> None:
    path = geodata_dir() / entry["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    data = _load_raw(entry)
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data, "RFC 7946 has no crs member"
    features = data["features"]
    assert len(features) == entry["feature_count"]
    required = required_fields(entry["kind"])
    for number, feature in enumerate(features):
        label = f"{entry['id']} feature {number}"
        missing = [f for f in required if f not in feature["properties"]]
        assert not missing, f"{label} lacks {missing}"
        geometry = feature["geometry"]
        assert geometry["type"] == entry["geometry_type"], label
        for lon, lat, *rest in _positions(geometry["coordinates"]):
            assert not rest, f"{label}: 2D positions expected"
            # the leopard's layers lie in 126-136 E; the tiger's and the countries reach
            # 115-145 E (the Tatar Strait, and the leopard's former range toward Beijing)
            wide = entry["kind"] == "countries" or entry["id"] in WIDE_LAYERS
            west, east = (115, 145) if wide else (126, 136)
            assert west <= lon <= east or entry["kind"] == "activities", f"{label}: lon {lon}"
            assert -180 <= lon <= 180 and -90 <= lat <= 90, f"{label}: lon/lat order"
            for value in (lon, lat):
                assert -value.as_tuple().exponent <= 6, f"{label}: {value} has > 6 decimals"
        for index, ring in enumerate(_rings(geometry)):
            area = _signed_area(ring)
            is_exterior = geometry["type"] == "Polygon" and index == 0
            if geometry["type"] == "Polygon":
                assert (area > 0) == is_exterior, f"{label}: ring {index} orientation"
        if geometry["type"] == "MultiPolygon":
            for polygon in geometry["coordinates"]:
                assert _signed_area(polygon[0]) > 0, f"{label}: exterior ring must be CCW"
                assert all(_signed_area(h) < 0 for h in polygon[1:]), f"{label}: holes CW"
        geom = shape(json.loads(json.dumps(geometry, default=float)))
        assert geom.is_valid, f"{label}: {shapely.is_valid_reason(geom)}"
        assert not geom.is_empty, label


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_load_layer_returns_lonlat_geodataframe(entry: dict[str, Any]) -> None:
    gdf = amurgeo.load_layer(entry["id"])
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == entry["feature_count"]
    assert set(required_fields(entry["kind"])) <= set(gdf.columns)


def test_activity_vocabulary() -> None:
    points = amurgeo.load_layer("activities")
    assert set(points["activity"]) <= set(ACTIVITY_TYPES)
    assert set(points["location_precision"]) <= set(LOCATION_PRECISIONS)
    assert points["description"].str.len().min() > 20
    assert points["organization"].notna().all() and points["place"].notna().all()


@pytest.mark.parametrize(
    "organization",
    [
        "Amur Leopard and Tiger Alliance",
        "Wildlife Conservation Society",
        "Phoenix Fund",
        "Wildlife Vets International",
        "Zoological Society of London",
        "WWF",
        "WildCats Conservation Alliance",
        "Far Eastern Branch of the Russian Academy of Sciences",
        "Ministry of Natural Resources",
        "National Forestry and Grassland Administration",
        "Tigris Foundation",
        "zoo",
    ],
)
def test_every_seed_organization_has_points(organization: str) -> None:
    points = amurgeo.load_layer("activities")
    found = points["organization"].str.contains(organization, case=False, regex=False)
    assert found.any(), f"no activity point for {organization}"


def test_alta_and_wcs_activities() -> None:
    points = amurgeo.load_layer("activities")
    alta_rows = points["organization"].str.contains("Amur Leopard and Tiger Alliance")
    alta = set(points.loc[alta_rows, "activity"])
    assert {"fire-fighting", "anti-poaching", "veterinary", "education", "monitoring"} <= alta
    wcs = points[points["organization"].str.contains("Wildlife Conservation Society")]
    assert {"monitoring", "anti-poaching", "research", "policy"} <= set(wcs["activity"])
    assert {"RUS", "CHN"} <= set(_country_of(wcs))


def _country_of(points: Any) -> list[str]:
    countries = amurgeo.load_layer("countries")
    joined = points.sjoin(countries[["iso3", "geometry"]], how="left", predicate="within")
    return joined["iso3"].dropna().tolist()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("land-of-the-leopard", "land-of-the-leopard"),
        ("Land of the Leopard", "land-of-the-leopard"),
        ("LAND_OF_THE_LEOPARD", "land-of-the-leopard"),
        ("lotl", "land-of-the-leopard"),
        ("NCTLNP", "northeast-china-tiger-leopard"),
        ("northeast china tiger leopard", "northeast-china-tiger-leopard"),
        ("Hunchun", "hunchun"),
        ("Kedrovaya Pad", "kedrovaya-pad"),
        ("leopard_range", "leopard-range"),
        (" Countries ", "countries"),
    ],
)
def test_lookup_forgives_formatting_and_knows_aliases(name: str, expected: str) -> None:
    assert resolve_layer_id(name) == expected


def test_lookup_miss_names_existing_ids() -> None:
    with pytest.raises(LayerNotFoundError) as info:
        amurgeo.load_layer("snow-leopard")
    message = str(info.value)
    assert "snow-leopard" in message
    assert all(layer_id in message for layer_id in EXPECTED_IDS)


def test_list_layers_table() -> None:
    table = amurgeo.list_layers()
    assert list(table["id"]) == [e["id"] for e in ENTRIES]
    for column in ("id", "title", "kind", "geometry_type", "feature_count", "source", "license"):
        assert table[column].notna().all(), column


def test_layer_entry_is_a_copy() -> None:
    entry = layer_entry("hunchun")
    entry["title"] = "changed"
    assert layer_entry("hunchun")["title"] != "changed"


def test_geodata_dir_holds_population_csv() -> None:
    assert (geodata_dir() / "population.csv").is_file()
    assert Path(geodata_dir() / "catalog.json").is_file()


@pytest.mark.parametrize("entry", catalog_entries(), ids=lambda e: e["id"])
def test_every_layer_has_a_title_in_every_language(entry: dict[str, Any]) -> None:
    from amurgeo.catalog import LANGS, layer_title

    titles = [layer_title(entry["id"], lang) for lang in LANGS]
    assert all(t and t.strip() for t in titles), titles
    assert len(set(titles)) == len(titles), titles
    assert resolve_layer_id(titles[1]) == resolve_layer_id(titles[2]) == entry["id"]


def test_layer_title_of_a_user_layer_is_none_and_a_bad_lang_is_named() -> None:
    from amurgeo.catalog import layer_title

    assert layer_title("my-survey-blocks", "zh") is None
    with pytest.raises(ValueError, match="'fr'"):
        layer_title("hunchun", "fr")


@pytest.mark.parametrize(
    ("layer_id", "chinese"),
    # 东北豹 as the Northeast China Tiger and Leopard National Park names the cat; a Russian
    # reserve transliterated, as Chinese sources name them (geodata/sources/README.md)
    [("leopard-range", "东北豹分布区"), ("kedrovaya-pad", "凯德罗瓦亚帕季自然保护区")],
)
def test_one_chinese_name_in_the_title_and_the_features(layer_id: str, chinese: str) -> None:
    from amurgeo.catalog import layer_title

    assert layer_title(layer_id, "zh") == chinese
    assert set(amurgeo.load_layer(layer_id)["name_zh"]) == {chinese}
