"""Build the area layers from the hand-drawn outlines and the feature table.

The outlines (``geodata/sources/outline_vertices.geojson``) are drawn a few kilometres across
borders and coasts; the recipe below clips each to its own country, so that a park follows the
border and coast exactly, and enforces the containment facts by construction (Kedrovaya Pad
inside Land of the Leopard, Hunchun inside the Chinese park, the Russian range holding the
park). Feature attributes come from ``geodata/sources/areas.csv``, one row per feature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from geodata_sources import Sources

__all__ = ["LAYER_FEATURES", "build_area_layers"]

#: The tiger's protected areas in Russia (outline = feature key), in the order written.
TIGER_AREAS: tuple[str, ...] = (
    "tpa-sikhote-alin",
    "tpa-lazovsky",
    "tpa-zov-tigra",
    "tpa-bikin",
    "tpa-anyuysky",
    "tpa-udegeyskaya-legenda",
    "tpa-bolshekhekhtsirsky",
    "tpa-botchinsky",
    "tpa-ussuriysky",
)

#: Feature keys (rows of ``areas.csv``) of each area layer, in the order they are written.
LAYER_FEATURES: dict[str, tuple[str, ...]] = {
    "land-of-the-leopard": ("land-of-the-leopard",),
    "kedrovaya-pad": ("kedrovaya-pad",),
    "northeast-china-tiger-leopard": ("nctlnp-jilin", "nctlnp-heilongjiang"),
    "hunchun": ("hunchun",),
    "leopard-range": ("range-russia", "range-china", "range-north-korea"),
    "tiger-protected-areas": TIGER_AREAS,
    "tiger-range": ("tiger-range-main", "tiger-range-sw", "tiger-range-nw", "tiger-range-china"),
    "leopard-historical-range": (
        "leopard-hist-russia",
        "leopard-hist-china",
        "leopard-hist-north-korea",
        "leopard-hist-south-korea",
    ),
    "leopard-reintroduction": ("reintro-ussuriysky-2023", "reintro-lazovsky-2015"),
}

#: Layers whose features carry ``presence`` (RANGE_FIELDS).
RANGE_LAYERS = ("leopard-range", "tiger-range", "leopard-historical-range")

#: Width (m) of the even band drawn around the Ussuriysky reserve for its 57,800 ha buffer
#: zone: the real buffer's shape is not published, so the band width gives reserve +
#: buffer = 98,232 ha on the ellipsoid.
USSURIYSKY_BUFFER_BAND_M = 6270.0

#: Pieces smaller than this (km²) left over by clipping are dropped.
MIN_PIECE_KM2 = 1.0


def _country(countries: gpd.GeoDataFrame, iso3: str) -> BaseGeometry:
    """The polygon of `iso3` (all its parts, unioned)."""
    column = "iso3" if "iso3" in countries.columns else "iso_a3"
    rows = countries[countries[column] == iso3]
    if rows.empty:
        raise SystemExit(f"country {iso3!r} is not in the countries layer")
    return shapely.union_all(list(rows.geometry))


def _clean(geom: BaseGeometry) -> BaseGeometry:
    """Valid polygonal part of `geom`, without pieces under :data:`MIN_PIECE_KM2`."""
    from amurgeo.measure import geodesic_area_km2

    # snap to the 1e-6° grid the GeoJSON writer rounds to, so the written file is what was
    # checked here (pieces that touch at a vertex must not cross once rounded)
    geom = shapely.make_valid(shapely.set_precision(shapely.make_valid(geom), 1e-6))
    pieces = [
        part
        for part in shapely.get_parts(geom)
        if part.geom_type == "Polygon" and geodesic_area_km2(part) >= MIN_PIECE_KM2
    ]
    if not pieces:
        raise SystemExit("a geometry has no polygonal piece left after clipping")
    merged = shapely.set_precision(shapely.union_all(pieces), 1e-6)
    return shapely.normalize(shapely.make_valid(merged))


#: The OpenStreetMap boundary of Land of the Leopard (relation 10367273; ODbL).
OSM_PARK = "land-of-the-leopard_osm-r10367273.geojson"

#: Slivers narrower than this (metres) between the OSM park's edge and the national border
#: are filled, so the park meets the border (OSM's park and border were simplified apart).
BORDER_SNAP_M = 300.0


def _snap_to_border(
    park: BaseGeometry, country: BaseGeometry, neighbours: BaseGeometry
) -> BaseGeometry:
    """`park` plus the land of `country` within :data:`BORDER_SNAP_M` of both it and a border."""
    from amurgeo.measure import from_equal_area, to_equal_area

    park_ea, country_ea = to_equal_area(park), to_equal_area(country)
    border = to_equal_area(neighbours).buffer(BORDER_SNAP_M).intersection(country_ea.boundary)
    zone = border.buffer(BORDER_SNAP_M).intersection(park_ea.buffer(BORDER_SNAP_M))
    return from_equal_area(shapely.union_all([park_ea, zone.intersection(country_ea)]))


def osm_park(sources: Sources) -> BaseGeometry:
    """The OpenStreetMap boundary of Land of the Leopard, as read (lon/lat)."""
    path = sources.root / OSM_PARK
    if not path.is_file():
        raise SystemExit(f"{path}: file not found")
    return shapely.union_all(list(gpd.read_file(path).geometry))


def geometries(sources: Sources, countries: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """Every area feature's geometry, by feature key (the recipe)."""
    rus, chn, prk = (_country(countries, iso) for iso in ("RUS", "CHN", "PRK"))
    outline = sources.outline

    # Land of the Leopard: the OSM park on the Russian side of the border, meeting the border;
    # Kedrovaya Pad fills the notch on its eastern side (the outline is drawn over the park's
    # edges and cut by them), and the layer includes it (the 2,799 km² figure does).
    park_ru = _clean(_snap_to_border(osm_park(sources).intersection(rus), rus, chn.union(prk)))
    kedrovaya = _clean(outline("kedrovaya-pad").difference(park_ru).intersection(rus))
    lotl = _clean(shapely.union_all([park_ru, kedrovaya]).intersection(rus))
    park = _clean(outline("northeast-china-tiger-leopard").intersection(chn))
    heilongjiang_side = outline("heilongjiang-side")
    hunchun = _clean(outline("hunchun").intersection(chn).intersection(park))
    range_ru = _clean(shapely.union_all([outline("range-russia"), lotl]).intersection(rus))
    tiger = {key: _clean(outline(key).intersection(rus)) for key in TIGER_AREAS}
    all_tiger = shapely.union_all(list(tiger.values()))
    # the range holds every tiger protected area by construction (each outline already holds
    # them: the union only closes slivers between a hand-drawn range edge and a park)
    tiger_main = _clean(
        shapely.union_all([outline("tiger-range-main"), all_tiger]).intersection(rus)
    )
    tiger_sw = _clean(shapely.union_all([outline("tiger-range-sw"), lotl]).intersection(rus))
    tiger_sw = _clean(tiger_sw.difference(tiger_main))
    tiger_china = _clean(shapely.union_all([outline("tiger-range-china"), park]).intersection(chn))
    from amurgeo.measure import from_equal_area, to_equal_area

    ussuriysky = tiger["tpa-ussuriysky"]
    band = from_equal_area(to_equal_area(ussuriysky).buffer(USSURIYSKY_BUFFER_BAND_M))
    hist_ru = shapely.union_all([outline("leopard-hist-russia"), range_ru]).intersection(rus)
    return {
        **tiger,
        "tiger-range-main": tiger_main,
        "tiger-range-sw": tiger_sw,
        "tiger-range-nw": _clean(outline("tiger-range-nw").intersection(rus)),
        "tiger-range-china": tiger_china,
        "leopard-hist-russia": _clean(hist_ru),
        "leopard-hist-china": _clean(outline("leopard-hist-china").intersection(chn)),
        # the whole Korean peninsula, as far south as the region reaches (37 N)
        "leopard-hist-north-korea": _clean(prk),
        "leopard-hist-south-korea": _clean(_country(countries, "KOR")),
        "reintro-ussuriysky-2023": _clean(band.intersection(rus)),
        "reintro-lazovsky-2015": tiger["tpa-lazovsky"],
        "land-of-the-leopard": lotl,
        "kedrovaya-pad": kedrovaya,
        "nctlnp-jilin": _clean(park.difference(heilongjiang_side)),
        "nctlnp-heilongjiang": _clean(park.intersection(heilongjiang_side)),
        "hunchun": hunchun,
        "range-russia": range_ru,
        "range-china": _clean(park.intersection(outline("range-china-east-of"))),
        "range-north-korea": _clean(outline("range-north-korea").intersection(prk)),
    }


def _frame(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> gpd.GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) whose columns are exactly `fields` plus geometry."""
    frame = gpd.GeoDataFrame(
        [{key: row[key] for key in fields} for row in rows],
        geometry=[row["geometry"] for row in rows],
        crs="EPSG:4326",
    )
    frame["status_year"] = frame["status_year"].astype("int64")
    # float64: a missing figure is NaN, which the GeoJSON writer turns into null
    frame["reported_area_km2"] = frame["reported_area_km2"].astype("float64")
    frame["boundary_uncertainty_km"] = frame["boundary_uncertainty_km"].astype("float64")
    return frame[[*fields, "geometry"]]


def build_area_layers(sources: Sources, countries: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """The area layers, keyed by layer id (see :data:`LAYER_FEATURES`)."""
    from amurgeo.schema import AREA_FIELDS, RANGE_FIELDS, TRANSLATION_FIELDS

    geoms = geometries(sources, countries)
    layers = {}
    for layer_id, keys in LAYER_FEATURES.items():
        rows = []
        for key in keys:
            if key not in sources.areas:
                raise SystemExit(f"areas.csv: no row for feature {key!r} of {layer_id}")
            row = sources.areas[key]
            if row["layer"] != layer_id:
                raise SystemExit(f"areas.csv: feature {key!r} belongs to {layer_id}")
            rows.append({**row, "geometry": geoms[key]})
        fields = RANGE_FIELDS if layer_id in RANGE_LAYERS else AREA_FIELDS
        # the Russian and Chinese texts follow the schema's attributes
        fields = (*fields, *TRANSLATION_FIELDS)
        layers[layer_id] = _frame(rows, fields)
    extra = sorted(set(sources.areas) - {k for keys in LAYER_FEATURES.values() for k in keys})
    if extra:
        raise SystemExit(f"areas.csv: rows {extra} are not used by any layer")
    return layers
