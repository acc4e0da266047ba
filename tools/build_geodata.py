"""Build ``geodata/``: the bundled layers and their catalog.

Run from the repository root after changing a digitized boundary, an activity point or the
catalog text below::

    python tools/build_geodata.py [--countries PATH]

It reads the Natural Earth 10m countries of the region (``../shared/reference`` by default),
draws the area layers (``tools/digitized_areas.py``), collects the activity points
(``tools/activity_sites.py``), writes one RFC 7946 GeoJSON file per layer with
:func:`amurgeo.geojson.write_geojson`, and writes ``geodata/catalog.json`` with each layer's
geometry type, feature count and SHA-256. The output is deterministic: running it twice gives
the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from activity_sites import build_activities  # noqa: E402
from digitized_areas import build_area_layers  # noqa: E402

from amurgeo.geojson import write_geojson  # noqa: E402
from amurgeo.schema import required_fields  # noqa: E402

DEFAULT_COUNTRIES = (
    ROOT.parent / "shared" / "reference" / "natural_earth_10m_countries_region.geojson"
)

DIGITIZED = (
    "Hand-digitized approximation from published extents, bounding towns and rivers "
    "(see reported_area_source and notes of each feature); border and coast from Natural Earth 10m"
)

#: Catalog text per layer, in catalog order. Geometry type, feature count and hash are computed.
CATALOG: list[dict[str, Any]] = [
    {
        "id": "land-of-the-leopard",
        "title": "Land of the Leopard National Park",
        "kind": "protected-area",
        "aliases": ["LotL", "Land of Leopard", "Zemlya Leoparda", "Земля леопарда"],
        "description": (
            "Russian national park (2012) in SW Primorye, drawn including the Kedrovaya Pad "
            "reserve and following the reported 2,799 km²."
        ),
        "source": DIGITIZED,
        "license": "CC-BY-4.0 (place coordinates from GeoNames); borders public domain",
        "attribution": "amurgeo; GeoNames (CC-BY 4.0); Made with Natural Earth",
    },
    {
        "id": "kedrovaya-pad",
        "title": "Kedrovaya Pad State Nature Reserve",
        "kind": "protected-area",
        "aliases": ["Kedrovaya Pad reserve", "Kedrovaya Pad zapovednik", "Кедровая Падь"],
        "description": "Russia's oldest leopard reserve (1916/1925), ~180 km², inside the park.",
        "source": DIGITIZED,
        "license": "CC-BY-4.0 (place coordinates from GeoNames); borders public domain",
        "attribution": "amurgeo; GeoNames (CC-BY 4.0); Made with Natural Earth",
    },
    {
        "id": "northeast-china-tiger-leopard",
        "title": "Northeast China Tiger and Leopard National Park",
        "kind": "protected-area",
        "aliases": [
            "NCTLNP",
            "NECTLNP",
            "Northeast China Tiger Leopard",
            "NE China Tiger and Leopard National Park",
            "Chinese national park",
            "东北虎豹国家公园",
        ],
        "description": (
            "Chinese national park (pilot 2017, formal 2021) in Jilin and Heilongjiang along "
            "the Russian border, following the formal 14,065 km²."
        ),
        "source": DIGITIZED,
        "license": "CC-BY-4.0 (place coordinates from GeoNames); borders public domain",
        "attribution": "amurgeo; GeoNames (CC-BY 4.0); Made with Natural Earth",
    },
    {
        "id": "hunchun",
        "title": "Hunchun National Nature Reserve",
        "kind": "protected-area",
        "aliases": ["Hunchun reserve", "Hunchun nature reserve", "珲春"],
        "description": (
            "Chinese national nature reserve (1,087 km²), a strip along the Russian border "
            "inside the national park."
        ),
        "source": DIGITIZED,
        "license": "CC-BY-4.0 (place coordinates from GeoNames); borders public domain",
        "attribution": "amurgeo; GeoNames (CC-BY 4.0); Made with Natural Earth",
    },
    {
        "id": "leopard-range",
        "title": "Amur leopard range",
        "kind": "range",
        "aliases": ["range", "leopard range", "Amur leopard current range"],
        "description": (
            "Current range of the Amur leopard: SW Primorye and the adjacent Chinese forests "
            "(confirmed); the North Korean border zone (unconfirmed)."
        ),
        "source": DIGITIZED,
        "license": "CC-BY-4.0 (place coordinates from GeoNames); borders public domain",
        "attribution": "amurgeo; GeoNames (CC-BY 4.0); Made with Natural Earth",
    },
    {
        "id": "activities",
        "title": "Conservation organization activities",
        "kind": "activities",
        "aliases": ["activity", "organizations", "activity points", "orgs"],
        "description": (
            "Where conservation organizations work: field sites where known, otherwise the "
            "district or office, one point per organization, activity and place."
        ),
        "source": "Source documents in shared/seeds and FACTS.md; town coordinates from GeoNames",
        "license": "CC-BY-4.0 (place coordinates from GeoNames)",
        "attribution": "amurgeo; GeoNames (CC-BY 4.0)",
    },
    {
        "id": "countries",
        "title": "Countries (Natural Earth 10m)",
        "kind": "countries",
        "aliases": ["country", "borders", "Natural Earth"],
        "description": (
            "Russia, China and North Korea in the region (126-136 E, 40-47.5 N), for borders, "
            "coast and per-country splits."
        ),
        "source": "Natural Earth 10m admin-0 countries v5.1.1, clipped to 126-136 E, 40-47.5 N",
        "license": "Public domain",
        "attribution": "Made with Natural Earth",
    },
]


def build_countries(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the ``countries`` layer (COUNTRY_FIELDS) from the Natural Earth region file."""
    out = gpd.GeoDataFrame(
        {
            "name": raw["name"],
            "name_ru": raw["name_ru"],
            "name_zh": raw["name_zh"],
            "iso3": raw["iso_a3"],
            "source": "Natural Earth 10m admin-0 countries v5.1.1 (public domain)",
        },
        geometry=raw.geometry.values,
        crs="EPSG:4326",
    )
    return out.sort_values("iso3", kind="stable").reset_index(drop=True)


def _uniform_geometry_type(gdf: gpd.GeoDataFrame, layer_id: str) -> tuple[gpd.GeoDataFrame, str]:
    """Promote a mix of Polygon and MultiPolygon to MultiPolygon; return the single type."""
    types = set(gdf.geom_type)
    if types == {"Polygon", "MultiPolygon"}:
        from shapely.geometry import MultiPolygon

        gdf = gdf.copy()
        gdf.geometry = [MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in gdf.geometry]
        types = {"MultiPolygon"}
    if len(types) != 1:
        raise SystemExit(f"{layer_id}: expected one geometry type, found {sorted(types)}")
    return gdf, types.pop()


def build(countries_path: Path, out_dir: Path) -> None:
    """Build every layer and the catalog into `out_dir`."""
    raw = gpd.read_file(countries_path)
    layers: dict[str, gpd.GeoDataFrame] = {**build_area_layers(raw)}
    layers["activities"] = build_activities()
    layers["countries"] = build_countries(raw)
    expected = [spec["id"] for spec in CATALOG]
    if sorted(layers) != sorted(expected):
        raise SystemExit(f"built layers {sorted(layers)} differ from catalog {sorted(expected)}")

    entries = []
    for spec in CATALOG:
        layer_id = spec["id"]
        gdf, geometry_type = _uniform_geometry_type(layers[layer_id], layer_id)
        missing = [f for f in required_fields(spec["kind"]) if f not in gdf.columns]
        if missing:
            raise SystemExit(f"{layer_id}: missing attributes {missing}")
        path = out_dir / f"{layer_id}.geojson"
        write_geojson(gdf, path, name=layer_id)
        entry = {
            "id": layer_id,
            "title": spec["title"],
            "kind": spec["kind"],
            "file": path.name,
            "geometry_type": geometry_type,
            "feature_count": len(gdf),
            "aliases": spec["aliases"],
            "description": spec["description"],
            "source": spec["source"],
            "license": spec["license"],
            "attribution": spec["attribution"],
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        entries.append(entry)
        print(f"{layer_id}: {len(gdf)} features ({geometry_type}) -> {path}")
    catalog = {"version": 1, "layers": entries}
    text = json.dumps(catalog, ensure_ascii=False, indent=2) + "\n"
    (out_dir / "catalog.json").write_text(text, encoding="utf-8")
    print(f"catalog: {len(entries)} layers -> {out_dir / 'catalog.json'}")


def main() -> None:
    """Parse arguments and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=Path, default=DEFAULT_COUNTRIES)
    parser.add_argument("--out", type=Path, default=ROOT / "geodata")
    args = parser.parse_args()
    if not args.countries.is_file():
        raise SystemExit(f"countries file {args.countries} not found")
    build(args.countries, args.out)


if __name__ == "__main__":
    main()
