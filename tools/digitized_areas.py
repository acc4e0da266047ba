"""Hand-digitized approximations of the Amur leopard's protected areas and range.

No public boundary file exists for Land of the Leopard National Park, Kedrovaya Pad, the
Northeast China Tiger and Leopard National Park, Hunchun reserve or the leopard's range (see
``FACTS.md``). This module draws honest approximations of them from published extents, areas,
bounding towns and rivers, and labels every feature as approximate.

Method
------
1. Each area is an outline drawn as a list of (lon, lat) vertices; a comment names what each
   vertex or run of vertices follows (a town left in or out, a river, a road, a published
   extent corner). No rectangles, circles or buffers.
2. Where an area ends at an international border or a coast, its outline is drawn a few
   kilometres across that line and then intersected with its own country's Natural Earth
   polygon, so that it follows the Natural Earth border and coastline exactly and lies on its
   own side.
3. Containment facts are enforced by construction rather than by luck: Kedrovaya Pad is
   unioned into Land of the Leopard (FACTS: the 2,799 km² figure includes the reserve), Hunchun
   reserve is intersected with the Chinese national park (FACTS: part of the park since 2017),
   the Russian range is unioned with Land of the Leopard, and the Chinese range is the part of
   the Chinese park east of a drawn line.
4. Results are made valid, reduced to their polygonal parts, and pieces under 1 km² left by
   clipping are dropped. Inland outlines were adjusted until the geodesic area (WGS84
   ellipsoid, :func:`amurgeo.measure.geodesic_area_km2`) came within a few per cent of the
   figure each feature follows; those adjustments moved edges by a few kilometres, which is
   within the stated ``boundary_uncertainty_km``.
5. ``boundary_uncertainty_km`` is the TYPICAL distance between the drawn edge and the real one,
   not the worst case: analysis shrinks and grows the whole outline by it to give an area
   range, which already assumes every edge is off in the same direction. Edges on the Natural
   Earth border are off by ~1.5 km (median vs OpenStreetMap, FACTS.md); inland edges drawn
   from towns and rivers by a few km; single places may be off by two or three times that.

Everything is deterministic: the same Natural Earth input gives the same output.

Judgment calls
--------------
* Land of the Leopard includes Kedrovaya Pad and follows 2,799 km²; it reaches Amur Bay on the
  Peschany peninsula (its part of Vladivostok's Frunzensky district) and leaves out the Natural
  Earth border's westward bulge near the tripoint, where NE is ~15 km off (FACTS).
* The Chinese park is two features, Jilin and Heilongjiang, each following its own 2021
  figure; the provincial line between them is approximate. County seats and cities
  (Hunchun, Tumen, Wangqing, Dongning, Suifenhe, Suiyang) and the towns Daxinggou and
  Dongjingcheng are outside; forest townships (Luozigou, Laoheishan, Xitumenzi) inside.
* Hunchun reserve is clipped to the Chinese park, of which it is part.
* The range has one feature per country: Russia (confirmed, following 6,500 km²,
  Hebblewhite et al. 2011), China (confirmed, no published figure) and North Korea
  (unconfirmed, no figure).

Sources
-------
* ``/work/shared/reference/FACTS.md``: areas, extents, bounding rivers and towns (GeoNames,
  CC-BY), published centre points, and the sources it cites (en.wikipedia, WWF, TASS,
  biosoil.ru, wiki-org.ru, twwiki.net, k1u.com, guanhai.com.cn, e-info.org.tw,
  m.gethgdk.com, english.china.org.cn, Vitkalova & Shevtsova 2016, Hebblewhite et al. 2011,
  tass.com/society/1056260).
* Natural Earth 10m admin-0 countries v5.1.1 (public domain), clipped to the region:
  borders and coastline.
* Seed documents 003 (Land of the Leopard, 2012) and 004 (thin sliver along the border,
  possible leopards in North Korea).
* General geographic knowledge, stated in comments where used: the courses of the Razdolnaya
  (Suifen) and Tumen rivers, the coastal railway and the A189 road in Khasansky district, and
  the approximate Jilin-Heilongjiang provincial line.

Run ``python tools/digitized_areas.py`` to print each feature's area and the checks.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["LAYER_IDS", "build_area_layers", "main", "report"]

Coords = list[tuple[float, float]]

#: Layer ids, in the order :func:`build_area_layers` returns them.
LAYER_IDS: tuple[str, ...] = (
    "land-of-the-leopard",
    "kedrovaya-pad",
    "northeast-china-tiger-leopard",
    "hunchun",
    "leopard-range",
)

#: Pieces smaller than this (km²) left over by clipping are dropped.
MIN_PIECE_KM2 = 1.0

NE_SOURCE = "Natural Earth 10m admin-0 countries v5.1.1 (public domain)"
NE_PATH = Path("/work/shared/reference/natural_earth_10m_countries_region.geojson")

# --------------------------------------------------------------------------------------------
# Kedrovaya Pad (FACTS, biosoil.ru): NE edge near the Barabashevka river, SW edge near the Narva
# river, SE edge the coastal railway (< 5 km from Amur Bay), NW edge the A189 road; published
# centre 131.500, 43.083. Drawn as the strip between the railway and the road.
# --------------------------------------------------------------------------------------------
KEDROVAYA_PAD: Coords = [
    (131.478, 43.186),  # NW corner: A189 road at the Barabashevka, just south of Barabash
    (131.540, 43.176),  # Barabashevka river, downstream
    (131.598, 43.166),  # NE corner: railway crossing of the Barabashevka
    (131.584, 43.128),  # railway, running SSW ~4 km inland of Amur Bay
    (131.566, 43.094),  # railway at Primorskiy station (village, 131.589 43.100, left out)
    (131.546, 43.055),  # railway
    (131.530, 43.012),  # SE corner: railway crossing of the Narva
    (131.475, 43.002),  # Narva river, upstream
    (131.432, 43.012),  # SW corner: A189 road at the Narva
    (131.428, 43.060),  # A189 road, running NNE behind the reserve
    (131.448, 43.115),  # A189 road
    (131.466, 43.158),  # A189 road, approaching Barabash
]

# --------------------------------------------------------------------------------------------
# Land of the Leopard (FACTS): west of the Razdolnaya river and Amur Bay, running north from the
# North Korean border along the Chinese border; Khasansky and Nadezhdinsky districts and
# Ussuriysky urban district; central estate at Barabash; published centre 131.417, 43.000.
# The west side is drawn inside China so that the clip follows the Natural Earth border.
# --------------------------------------------------------------------------------------------
LAND_OF_THE_LEOPARD: Coords = [
    # -- across the border (China / DPRK): clipped away, so the park follows the NE border --
    (130.50, 42.505),  # DPRK, just south of the NE tripoint (130.531, 42.531)
    (130.52, 42.62),  # China, west of the border at 130.57, 42.62
    (130.52, 42.66),  # China, at the root of the NE border's westward bulge
    # -- inland edge across that bulge: NE puts the tripoint ~15 km NW of the OSM one
    #    (FACTS), so the bulge west of ~130.52 is the least certain Russian land; left out --
    (130.52, 42.72),  # Russia, inside the bulge
    (130.55, 42.80),  # China, north of the border at 130.55, 42.80
    (130.73, 42.87),  # China, north of the border at 130.73, 42.83
    (130.98, 42.90),  # China, north of the border at 130.99, 42.85
    (131.03, 43.05),  # China, west of the border at 131.08
    (131.10, 43.22),  # China, west of the border at 131.17
    (131.18, 43.38),  # China, west of the border at 131.28
    (131.10, 43.54),  # China, west of the border at 131.16
    # -- north edge: across the Borisovka plateau, in southern Ussuriysky urban district --
    (131.30, 43.54),  # Russia, first ridge east of the border
    (131.42, 43.52),  # southern Borisovka plateau, ~55 km SW of Ussuriysk (131.946, 43.803)
    # -- east edge: Nadezhdinsky district hills, well west of the Razdolnaya and Amur Bay --
    (131.50, 43.46),  # ~32 km west of Razdol'noye (131.897, 43.539), on the Razdolnaya
    (131.56, 43.38),  # ~22 km west of the Razdolnaya's lower valley
    (131.57, 43.30),  # ~20 km west of the head of Amur Bay (131.82, 43.33)
    # Barabash (131.492, 43.200), the central estate, lies inside the outline: villages are
    # below this drawing's resolution.
    (131.60, 43.25),  # NE of Barabash
    # -- part of Vladivostok's Frunzensky district (FACTS): the Peschany peninsula across
    #    Amur Bay from Vladivostok (general knowledge); seaward vertices clipped to the coast --
    (131.68, 43.225),  # coast north of the peninsula
    (131.80, 43.20),  # Amur Bay (sea)
    (131.78, 43.12),  # Amur Bay (sea), off the peninsula's middle
    (131.64, 43.12),  # coast south of the peninsula, north of Primorskiy
    (131.584, 43.128),  # back to the railway, Kedrovaya Pad's SE edge
    (131.530, 43.012),  # railway crossing of the Narva (Kedrovaya Pad SE corner)
    # -- south-east edge: inland of the coastal villages and the Kraskino-Slavyanka road --
    (131.45, 42.975),  # inland of the Narva Bay lowland
    (131.34, 42.935),  # NW of Slavyanka (131.388, 42.864), town left out
    (131.26, 42.885),  # west of Slavyanka
    (131.20, 42.820),  # hills north of the Andreevka road
    (131.10, 42.780),  # ~16 km north of Zarubino (131.090, 42.633), left out
    (130.95, 42.775),  # north of Troitsy Bay
    (130.82, 42.785),  # ~8 km north of Kraskino (130.781, 42.711), left out
    (130.70, 42.735),  # NW of Kraskino
    (130.64, 42.670),  # inland of Expedition Bay
    (130.63, 42.600),  # west of the Khasan-Kraskino road
    (130.66, 42.520),  # west of the Khasan-Kraskino road, south end
    (130.64, 42.505),  # southern limit near the DPRK border (Tumen lowland left out)
]

# --------------------------------------------------------------------------------------------
# Hunchun reserve and the Chinese park share this edge south-east of Hunchun city (130.358,
# 42.868), which both leave out. It runs from the Tumen (DPRK border, NE at 130.24) east to the
# Russian border zone. The reserve's published west extent is 130°14'08" E = 130.236.
# --------------------------------------------------------------------------------------------
HUNCHUN_CITY_EDGE: Coords = [
    (130.47, 42.880),  # east of Machuanzi (130.396, 42.862), left out with the city
    (130.44, 42.830),  # ~8 km SE of Hunchun city
    (130.30, 42.800),  # ~9 km SSW of Hunchun city, across the Hunchun river plain
    (130.20, 42.790),  # DPRK, just across the Tumen (NE border at 130.242, 42.782)
]

#: Russian side of the Chinese areas: drawn 3-15 km inside Russia / DPRK and clipped away,
#: so the Chinese park and Hunchun reserve follow the NE border (south to north).
CHINA_EAST_OUTSIDE: Coords = [
    (130.40, 42.48),  # DPRK, south of NE China's tip at the tripoint (130.531, 42.531)
    (130.60, 42.48),  # DPRK / Russia
    (130.64, 42.62),  # Russia, east of the border at 130.585, 42.60
    (130.62, 42.76),  # Russia, south of the border at 130.62, 42.82
    (130.80, 42.80),  # Russia, south of the border at 130.80, 42.87
    (131.05, 42.84),  # Russia, south of the border at 131.00-131.07
    (131.15, 43.00),  # Russia, east of the border at 131.08
    (131.25, 43.15),  # Russia, east of the border at 131.17
    (131.35, 43.35),  # Russia, east of the border at 131.28
]

# --------------------------------------------------------------------------------------------
# Hunchun national nature reserve (FACTS): narrow strip along the China-Russia border, east edge
# on the border; extent 130°14'08"-131°14'44" E, 42°24'40" (or 42°32'40")-43°28'00" N.
# --------------------------------------------------------------------------------------------
HUNCHUN: Coords = [
    *CHINA_EAST_OUTSIDE,
    (131.35, 43.467),  # Russia, on the published north limit 43°28'00" N
    (131.20, 43.467),  # north limit, ~5 km inside China
    # -- inner (west / north) edge, ~5-8 km from the border --
    (131.20, 43.38),  # ridge along the border (NE border at 131.28)
    (131.15, 43.28),  # NE border at 131.24
    (131.06, 43.19),  # just west of Xitumenzi (131.073, 43.195), which lies inside
    (131.03, 43.08),  # NE border at 131.12
    (131.00, 42.96),  # north of the Russian border bulge at 130.99-131.07, 42.85-42.90
    (130.85, 42.905),  # NE border at 42.85
    (130.68, 42.890),  # NE border at 42.83
    (130.55, 42.870),  # NE border at 42.81
    *HUNCHUN_CITY_EDGE,  # then south of Hunchun city to the Tumen
    # -- lower-Tumen wedge: the reserve touches the Tumen only near its published west limit;
    #    the farmland on the river bank further south is left out, the hills along the
    #    Russian border are inside --
    (130.27, 42.765),  # China, on the Tumen bank (NE border at 130.245)
    (130.33, 42.720),
    (130.40, 42.640),
    (130.44, 42.580),  # China, NE border with DPRK at 130.43, 42.58
]

# --------------------------------------------------------------------------------------------
# Northeast China Tiger and Leopard National Park (FACTS): pilot extent 129.083-131.313 E,
# 42.518-44.247 N, the park filling ~41 % of it; counties Hunchun, Wangqing, Tumen (Jilin) and
# Dongning, Muling, Ning'an (Heilongjiang); east edge on the Primorye border. County seats and
# cities are left out; forest townships (Luozigou, Laoheishan, Xitumenzi) lie inside.
# --------------------------------------------------------------------------------------------
NCTLNP: Coords = [
    *CHINA_EAST_OUTSIDE,
    (131.32, 43.55),  # Russia, east of the border at 131.19
    (131.25, 43.75),  # Russia, east of the border at 131.18
    (131.30, 43.82),  # Russia, east of the border at 131.19
    # -- north-east corner left out: the Dongning basin on the Suifen (Dongning town), the
    #    valley up to Suiyang and southern Muling's farmland --
    (131.15, 43.88),  # China, ~20 km south of Dongning (131.121, 44.062), left out
    (131.00, 43.92),  # south rim of the Dongning basin
    (130.84, 43.97),  # hills SW of the basin
    (130.74, 44.08),  # ~30 km WSW of Dongning
    (130.62, 44.17),  # ~35 km SW of Suiyang (130.881, 44.422), left out
    # -- north edge: the northern tip touches the pilot extent's limit 44°14'49" N --
    (130.50, 44.245),  # northernmost point, southern Muling
    (130.30, 44.110),  # southern Muling
    (130.05, 44.030),  # Muling / Ning'an hills
    (129.80, 43.990),  # southern Ning'an
    (129.55, 43.950),
    (129.30, 43.980),  # ~15 km south of Dongjingcheng (129.210, 44.114), left out
    (129.14, 43.990),
    # -- west end, east of Jingpo Lake, at the pilot extent's west limit 129°05'00" E --
    (129.09, 43.930),  # westernmost point
    # -- south-west edge, a diagonal from the west tip to Hunchun: the towns of the Gaya
    #    valley (Daxinggou, Wangqing, Tumen) and the Tumen-Yanji lowland are left out --
    (129.30, 43.850),  # the western arm is ~15-30 km wide
    (129.55, 43.680),
    (129.80, 43.520),  # ~17 km NE of Daxinggou (129.661, 43.407), left out
    (129.90, 43.400),
    (129.96, 43.280),  # ~16 km east of Wangqing (129.763, 43.322), left out
    (130.05, 43.180),  # northern hills of Tumen county-level city
    (130.20, 43.160),  # ~36 km NE of Tumen city (129.843, 42.966), left out
    # -- south edge: the Hunchun basin (Hunchun river valley, Hunchun city) is left out --
    (130.40, 43.140),
    (130.55, 43.100),
    (130.62, 43.000),  # NE rim of the Hunchun basin
    (130.55, 42.950),
    *HUNCHUN_CITY_EDGE,  # then south of Hunchun city to the Tumen
    (130.20, 42.70),  # DPRK, across the Tumen: the lower-Tumen wedge is inside
]

# Approximate Jilin-Heilongjiang provincial line (general knowledge of county boundaries, good to
# ~10-15 km): it meets the Russian border at Hunchun's northern tip (~43.47 N, matching Hunchun
# reserve's north limit), runs west between Hunchun / Wangqing (Jilin) and Dongning
# (Heilongjiang), with Laoheishan (130.880, 43.712) in Heilongjiang and Luozigou (130.340,
# 43.729) in Jilin, then west near 43.8-43.95 N between Wangqing and Muling / Ning'an.
# Everything north of it is Heilongjiang.
HEILONGJIANG_SIDE: Coords = [
    (131.40, 43.47),  # Russia
    (131.25, 43.47),  # Hunchun's northern tip on the border
    (131.05, 43.47),
    (130.85, 43.50),  # ~23 km south of Laoheishan
    (130.62, 43.55),  # Wangqing-Dongning line
    (130.58, 43.75),  # ~20 km east of Luozigou
    (130.45, 43.88),
    (130.20, 43.92),  # Wangqing-Muling line
    (129.90, 43.95),
    (129.65, 43.88),  # Wangqing-Ning'an line
    (129.35, 43.80),
    (128.90, 43.75),  # west of the park
    (128.90, 44.60),
    (131.40, 44.60),
]

# --------------------------------------------------------------------------------------------
# Leopard range, Russia: SW Primorye south and west of the Razdolnaya (Suifen) river. General
# knowledge: the Razdolnaya enters Russia from Dongning near 44.0 N, flows east-south-east to
# Ussuriysk, then south past Razdol'noye into the head of Amur Bay. The range fills the land
# between it, the Chinese border, the coast and the Tumen. Seaward vertices are in the sea and
# are clipped to the Natural Earth coast.
# --------------------------------------------------------------------------------------------
RANGE_RUSSIA: Coords = [
    (130.50, 42.25),  # DPRK, south of the lower Tumen
    (130.85, 42.25),  # sea, off the Tumen mouth (130.700, 42.295)
    (131.30, 42.52),  # sea, south of the Gamov peninsula
    (131.55, 42.80),  # sea, off Slavyanka
    (131.66, 43.00),  # Amur Bay, west of Russky Island
    (131.78, 43.15),  # Amur Bay, west of the Muravyov-Amursky peninsula
    (131.82, 43.28),  # head of Amur Bay
    # -- west side of the lower Razdolnaya, its valley farmland (~5 km wide) left out --
    (131.80, 43.36),  # Razdolnaya mouth
    (131.80, 43.45),
    (131.82, 43.54),  # ~6 km west of Razdol'noye (131.897, 43.539), left out
    (131.83, 43.66),
    (131.82, 43.70),  # ~16 km SW of Ussuriysk (131.946, 43.803), left out
    # -- south side of the Razdolnaya's west-east reach, its valley farmland left out --
    (131.72, 43.70),
    (131.55, 43.75),
    (131.40, 43.82),
    (131.26, 44.00),  # where the Razdolnaya leaves China (NE border 131.26, 44.04)
    (131.10, 44.00),  # China
    # -- across the border (China / DPRK), clipped away --
    (131.10, 43.52),
    (131.18, 43.38),
    (131.10, 43.22),
    (131.03, 43.05),
    (130.98, 42.90),
    (130.73, 42.87),
    (130.45, 42.80),
    (130.33, 42.70),
    (130.46, 42.63),
    (130.50, 42.45),  # DPRK
]

# --------------------------------------------------------------------------------------------
# Leopard range, China: the part of the Chinese park east of this line (FACTS: the east part,
# Hunchun, Wangqing and Dongning areas). The line runs north through central Wangqing, west of
# Luozigou, to southern Muling: the western arm (western Wangqing, Ning'an) and the Muling
# hills are left out as the less certain, tiger-more-than-leopard part of the park.
# --------------------------------------------------------------------------------------------
RANGE_CHINA_EAST_OF: Coords = [
    (130.10, 42.40),  # DPRK, south of the park
    (130.10, 43.10),  # north-east of Tumen city, on the park's south edge
    (130.05, 43.45),  # central Wangqing
    (130.20, 43.75),  # ~12 km west of Luozigou (130.340, 43.729), which lies inside
    (130.45, 44.00),  # Wangqing-Muling line
    (130.60, 44.30),  # southern Muling, beyond the park
    (131.50, 44.30),  # Russia
    (131.50, 42.40),  # Russia
]

# --------------------------------------------------------------------------------------------
# Leopard range, North Korea (unconfirmed): the border zone along the Tumen in the country's
# north-east corner, from the river's northern bend near Onsong to its mouth; the cities of
# Sonbong (130.397, 42.342) and Najin (130.300, 42.249) are left out.
# --------------------------------------------------------------------------------------------
RANGE_DPRK: Coords = [
    # -- river side, across the Tumen in China / Russia, clipped away --
    (129.85, 43.05),  # China, north of the Tumen's northern bend (NE 129.91, 43.01)
    (130.15, 43.02),  # China
    (130.30, 42.90),  # China, across the Tumen at 130.24
    (130.32, 42.72),  # China
    (130.48, 42.64),  # China
    (130.56, 42.52),  # Russia, at the NE tripoint (130.531, 42.531)
    (130.72, 42.32),  # Russia, at the Tumen mouth (130.700, 42.295)
    (130.72, 42.27),  # sea
    # -- inland edge, ~8-12 km from the river --
    (130.55, 42.345),  # coast east of the Sonbong lagoon
    (130.47, 42.420),  # ~9 km NE of Sonbong (130.397, 42.342), left out
    (130.35, 42.520),
    (130.22, 42.620),
    (130.10, 42.740),
    (129.98, 42.850),
    (129.86, 42.930),  # near the Tumen's northern bend
    (129.80, 42.980),  # China, across the Tumen
]


# --------------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------------
def _polygon(coords: Sequence[tuple[float, float]]) -> BaseGeometry:
    """A valid polygon from a vertex list (the ring is closed automatically)."""
    return shapely.make_valid(Polygon(coords))


def _country(countries: gpd.GeoDataFrame, iso3: str) -> BaseGeometry:
    """The Natural Earth polygon of `iso3` (all its parts, unioned)."""
    rows = countries[countries["iso_a3"] == iso3]
    if rows.empty:
        raise ValueError(f"country {iso3!r} not in the Natural Earth layer")
    return shapely.union_all(list(rows.geometry))


def _clean(geom: BaseGeometry) -> BaseGeometry:
    """Valid polygonal part of `geom`, without pieces under :data:`MIN_PIECE_KM2`."""
    from amurgeo.measure import geodesic_area_km2

    geom = shapely.make_valid(geom)
    pieces = [
        part
        for part in shapely.get_parts(geom)
        if part.geom_type == "Polygon" and geodesic_area_km2(part) >= MIN_PIECE_KM2
    ]
    if not pieces:
        raise ValueError("geometry has no polygonal piece left after clipping")
    merged = shapely.union_all(pieces)
    return shapely.normalize(shapely.make_valid(merged))


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


# --------------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------------
DIGITIZED = (
    "hand-digitized from published extents, bounding towns and rivers in FACTS.md; "
    f"border and coast from {NE_SOURCE}"
)


def _geometries(countries: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """All clipped geometries, by short key."""
    rus = _country(countries, "RUS")
    chn = _country(countries, "CHN")
    prk = _country(countries, "PRK")

    kedrovaya = _clean(_polygon(KEDROVAYA_PAD).intersection(rus))
    lotl = _clean(shapely.union_all([_polygon(LAND_OF_THE_LEOPARD), kedrovaya]).intersection(rus))
    park = _clean(_polygon(NCTLNP).intersection(chn))
    heilongjiang_side = _polygon(HEILONGJIANG_SIDE)
    park_jilin = _clean(park.difference(heilongjiang_side))
    park_heilongjiang = _clean(park.intersection(heilongjiang_side))
    hunchun = _clean(_polygon(HUNCHUN).intersection(chn).intersection(park))
    range_ru = _clean(shapely.union_all([_polygon(RANGE_RUSSIA), lotl]).intersection(rus))
    range_cn = _clean(park.intersection(_polygon(RANGE_CHINA_EAST_OF)))
    range_kp = _clean(_polygon(RANGE_DPRK).intersection(prk))
    return {
        "lotl": lotl,
        "kedrovaya": kedrovaya,
        "park_jilin": park_jilin,
        "park_heilongjiang": park_heilongjiang,
        "hunchun": hunchun,
        "range_ru": range_ru,
        "range_cn": range_cn,
        "range_kp": range_kp,
    }


def build_area_layers(countries: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Build the five hand-digitized area layers.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Natural Earth 10m countries for the region (``iso_a3`` column with ``CHN``, ``RUS``
        and ``PRK``), in EPSG:4326.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        Keyed by the ids in :data:`LAYER_IDS`. Protected areas carry ``AREA_FIELDS``, the range
        carries ``RANGE_FIELDS``, each followed by ``geometry``; all in EPSG:4326.
    """
    from amurgeo.schema import AREA_FIELDS, RANGE_FIELDS

    if countries.crs is not None and countries.crs.to_epsg() != 4326:
        countries = countries.to_crs("EPSG:4326")
    geoms = _geometries(countries)

    lotl = {
        "name": "Land of the Leopard National Park",
        "name_ru": "Национальный парк «Земля леопарда»",
        "name_zh": "豹之乡国家公园",
        "designation": "National Park",
        "iso3": "RUS",
        "status_year": 2012,
        "reported_area_km2": 2799.0,
        "reported_area_source": (
            "279,913.65 ha including Kedrovaya Pad reserve (wiki-org.ru; en.wikipedia, "
            "via FACTS.md); 262,000 ha without it (WWF; tass.com/russia/688387)"
        ),
        "managed_by": (
            "FGBU 'Land of the Leopard' (joint directorate of the national park and "
            "Kedrovaya Pad), Ministry of Natural Resources and Environment of Russia"
        ),
        "source": DIGITIZED,
        "boundary_uncertainty_km": 3.0,
        "notes": (
            "Established 5 Apr 2012. Drawn to INCLUDE Kedrovaya Pad, so it follows the "
            "2,799 km² figure (2,620 km² without it). West edge: the Natural Earth China "
            "border (~1.5-3.5 km from OSM), except the NE border's westward bulge near the "
            "tripoint, left out. Inland edges hand-drawn: inland of the coastal villages, "
            "north over the Borisovka plateau to ~43.54 N, well west of the Razdolnaya; "
            "reaches Amur Bay on the Peschany peninsula (Vladivostok's Frunzensky district). "
            "Single inland edges (the north limit) may be 5-10 km off; typically ~3 km. "
            "Villages such as Barabash lie inside the outline. The 82,000 ha protection "
            "zone (2013) is not included. Centroid ~19 km WNW of the published centre "
            "131.417, 43.000 (a label point)."
        ),
        "geometry": geoms["lotl"],
    }
    kedrovaya = {
        "name": "Kedrovaya Pad State Nature Biosphere Reserve",
        "name_ru": "Государственный природный биосферный заповедник «Кедровая падь»",
        "name_zh": "雪松溪谷自然保护区",
        "designation": "State Nature Reserve (Zapovednik)",
        "iso3": "RUS",
        "status_year": 1925,
        "reported_area_km2": 180.448,
        "reported_area_source": "18,044.8 ha (biosoil.ru/en/biota-environ/publication/2350)",
        "managed_by": "FGBU 'Land of the Leopard' (administered with the national park since 2012)",
        "source": DIGITIZED,
        "boundary_uncertainty_km": 1.0,
        "notes": (
            "Protected since 1916, zapovednik since 1925, UNESCO biosphere reserve 2004; "
            "administered with Land of the Leopard since 2012, and drawn inside it. Drawn as "
            "the strip between the Barabashevka (NE) and Narva (SW) rivers, the coastal "
            "railway (SE) and the A189 road (NW), centred within ~2 km of the published "
            "131.500, 43.083. The four lines are placed from their descriptions, not traced "
            "from a map: ~3 km."
        ),
        "geometry": geoms["kedrovaya"],
    }
    park_common = {
        "name_ru": "Национальный парк тигра и леопарда Северо-Восточного Китая",
        "designation": "National Park",
        "iso3": "CHN",
        "status_year": 2021,
        "managed_by": (
            "Northeast China Tiger and Leopard National Park Administration (Changchun), "
            "National Forestry and Grassland Administration"
        ),
        "source": DIGITIZED + "; Jilin-Heilongjiang line from general knowledge",
        "boundary_uncertainty_km": 6.0,
    }
    split_note = (
        "Formal park approved 30 Sep 2021 (14,065 km² = Jilin 9,557 + Heilongjiang 4,508); "
        "the 2017 pilot park was 14,612 km². Drawn as two features, one per province, so "
        "each follows its own published figure; the provincial line between them is drawn "
        "from general knowledge of county boundaries (~10-15 km). East edge: the Natural "
        "Earth Russian border. Inland edges hand-drawn as a diagonal band from Hunchun to "
        "east of Jingpo Lake inside the pilot extent box (filling ~41 % of it), leaving out "
        "Hunchun, Tumen, Wangqing, Daxinggou, Dongning and Dongjingcheng towns and the "
        "Dongning basin: only the box, county list and towns constrain it, so ~15 km."
    )
    park_jilin = {
        **park_common,
        "name": "Northeast China Tiger and Leopard National Park (Jilin part)",
        "name_zh": "东北虎豹国家公园吉林片区",
        "reported_area_km2": 9557.0,
        "reported_area_source": (
            "Jilin 9,557 km² of the formal 14,065 km² (k1u.com/trip/107032; "
            "guanhai.com.cn/p/120295)"
        ),
        "notes": "Hunchun, Wangqing and Tumen. " + split_note,
        "geometry": geoms["park_jilin"],
    }
    park_heilongjiang = {
        **park_common,
        "name": "Northeast China Tiger and Leopard National Park (Heilongjiang part)",
        "name_zh": "东北虎豹国家公园黑龙江片区",
        "reported_area_km2": 4508.0,
        "reported_area_source": (
            "Heilongjiang 4,508 km² of the formal 14,065 km² (k1u.com/trip/107032; "
            "guanhai.com.cn/p/120295)"
        ),
        "notes": "Dongning, Muling and Ning'an. " + split_note,
        "geometry": geoms["park_heilongjiang"],
    }
    hunchun = {
        "name": "Hunchun Amur Tiger National Nature Reserve",
        "name_ru": "Хуньчуньский национальный заповедник амурского тигра",
        "name_zh": "珲春东北虎国家级自然保护区",
        "designation": "National Nature Reserve",
        "iso3": "CHN",
        "status_year": 2005,
        "reported_area_km2": 1087.0,
        "reported_area_source": (
            "108,700 ha = core 50,536 + buffer 40,571 + experimental 17,593 ha "
            "(m.gethgdk.com; english.china.org.cn/english/SO-e/23692.htm)"
        ),
        "managed_by": (
            "Hunchun reserve administration; part of the Northeast China Tiger and Leopard "
            "National Park since 2017"
        ),
        "source": DIGITIZED,
        "boundary_uncertainty_km": 2.0,
        "notes": (
            "Provincial reserve Dec 2001, national status 2005 (year uncertain in FACTS). "
            "Drawn as a strip along the Russian border from the lower-Tumen wedge to the "
            "published north limit 43°28' N, touching the Tumen south of Hunchun city at the "
            "published west limit 130°14' E; inner edge hand-placed 5-8 km from the border "
            "to match 1,087 km² (~5 km). Clipped to the Chinese park, of which it is part "
            "since 2017. NE China ends at 42.53 N, so the 42°24' south limit is not reached "
            "(the alternative 42°32' is). Centroid ~15 km NE of the published centre "
            "130.733, 42.833, which lies on the NE border."
        ),
        "geometry": geoms["hunchun"],
    }
    range_common = {
        "name_ru": "Ареал дальневосточного леопарда",
        "name_zh": "远东豹分布区",
        "designation": "Species range",
        "managed_by": None,
        "source": DIGITIZED,
    }
    range_ru = {
        **range_common,
        "name": "Amur leopard range (Russia)",
        "iso3": "RUS",
        "status_year": 2011,
        "reported_area_km2": 6500.0,
        "reported_area_source": (
            "6,500 km² (Hebblewhite et al. 2011, via species.wikimedia / "
            "Vitkalova & Shevtsova 2016)"
        ),
        "boundary_uncertainty_km": 5.0,
        "notes": (
            "Current range in SW Primorye, drawn as the land south and west of the "
            "Razdolnaya river between the Chinese border, the coast and the Tumen, with "
            "the Razdolnaya valley farmland left out; includes all of Land of the Leopard. "
            "Follows the most recent published figure (6,500 km², Hebblewhite et al. 2011; "
            "status_year is that figure's year); older figures were 2,500 (2000) and "
            "3,000 km² (early 2000s), and the population has grown since. Range edges are "
            "diffuse: ~10 km."
        ),
        "presence": "confirmed",
        "geometry": geoms["range_ru"],
    }
    range_cn = {
        **range_common,
        "name": "Amur leopard range (China)",
        "iso3": "CHN",
        "status_year": 2015,
        "reported_area_km2": None,
        "reported_area_source": None,
        "boundary_uncertainty_km": 8.0,
        "notes": (
            "Eastern, leopard-inhabited part of the Chinese park (Hunchun, eastern and "
            "central Wangqing, Dongning), cut from the park by a hand-drawn line through "
            "central Wangqing; the western arm (Ning'an) and Muling are left out. No "
            "published area exists for the Chinese range alone (FACTS gives > 11,000 km² of "
            "habitat and a transboundary survey area of 8,398 km², neither a range), so "
            "reported_area_km2 is null. status_year: 2015, when 8-12 leopards in China "
            "entered the first integrated estimate (~80 by 2024). Western edge ~15 km."
        ),
        "presence": "confirmed",
        "geometry": geoms["range_cn"],
    }
    range_kp = {
        **range_common,
        "name": "Amur leopard range (North Korea, unconfirmed)",
        "iso3": "PRK",
        "status_year": 2018,
        "reported_area_km2": None,
        "reported_area_source": None,
        "boundary_uncertainty_km": 10.0,
        "notes": (
            "Unconfirmed: four adults reported on trail cameras in the border zone in 2018 "
            "(tass.com/society/1056260); seed 004 says surveys there had failed. Drawn as a "
            "~8-12 km zone along the Tumen in the NE corner of the DPRK, Sonbong and Najin "
            "left out. No area figure exists; extent highly uncertain (~20 km)."
        ),
        "presence": "unconfirmed",
        "geometry": geoms["range_kp"],
    }

    return {
        "land-of-the-leopard": _frame([lotl], AREA_FIELDS),
        "kedrovaya-pad": _frame([kedrovaya], AREA_FIELDS),
        "northeast-china-tiger-leopard": _frame([park_jilin, park_heilongjiang], AREA_FIELDS),
        "hunchun": _frame([hunchun], AREA_FIELDS),
        "leopard-range": _frame([range_ru, range_cn, range_kp], RANGE_FIELDS),
    }


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------
def _share(part: BaseGeometry, whole: BaseGeometry) -> float:
    """Share (0-1) of `part`'s area that lies inside `whole`, measured geodesically."""
    from amurgeo.measure import geodesic_area_km2

    area = geodesic_area_km2(part)
    return geodesic_area_km2(part.intersection(whole)) / area if area else 0.0


def _km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in km between two (lon, lat) points."""
    from amurgeo.measure import GEOD

    _, _, metres = GEOD.inv(a[0], a[1], b[0], b[1])
    return float(metres) / 1000.0


def report(layers: dict[str, gpd.GeoDataFrame], countries: gpd.GeoDataFrame) -> list[str]:
    """Lines describing each feature's area and the checks the layers must pass."""
    from amurgeo.measure import geodesic_area_km2, to_equal_area

    lines = ["feature | geodesic km² | reported km² | diff | vertices"]
    for layer_id, frame in layers.items():
        for row in frame.itertuples():
            area = geodesic_area_km2(row.geometry)
            reported = row.reported_area_km2
            if pd.isna(reported):
                diff = "n/a"
                reported_txt = "null"
            else:
                diff = f"{100.0 * (area - reported) / reported:+.1f}%"
                reported_txt = f"{reported:,.1f}"
            n = shapely.get_num_coordinates(row.geometry)
            lines.append(f"{layer_id}: {row.name} | {area:,.1f} | {reported_txt} | {diff} | {n}")

    def one(layer_id: str) -> BaseGeometry:
        return shapely.union_all(list(layers[layer_id].geometry))

    lotl, kp = one("land-of-the-leopard"), one("kedrovaya-pad")
    park, hunchun = one("northeast-china-tiger-leopard"), one("hunchun")
    rng = one("leopard-range")
    park_area = geodesic_area_km2(park)
    lines.append(f"NCTLNP total: {park_area:,.1f} km² vs 14,065 ({park_area / 140.65 - 100:+.1f}%)")
    lines.append(f"Hunchun inside park: {100 * _share(hunchun, park):.1f}%")
    overlap = geodesic_area_km2(lotl.intersection(park))
    smaller = min(geodesic_area_km2(lotl), park_area)
    gap = to_equal_area(lotl).distance(to_equal_area(park)) / 1000.0
    lines.append(
        f"LotL/park overlap: {overlap:.3f} km² ({100 * overlap / smaller:.3f}% of smaller); "
        f"gap {gap:.3f} km; shared border length "
        f"{to_equal_area(lotl.boundary.intersection(park.buffer(0.001))).length / 1000:.0f} km"
    )
    lines.append(f"Kedrovaya Pad inside LotL: {100 * _share(kp, lotl):.2f}%")
    lines.append(f"Range covers LotL: {100 * _share(lotl, rng):.1f}%")
    lines.append(f"Range covers Hunchun: {100 * _share(hunchun, rng):.1f}%")
    east_box = shapely.box(130.5, 42.5, 131.4, 44.3)
    east_share = _share(park.intersection(east_box), rng)
    lines.append(f"Range covers the park east of 130.5 E: {100 * east_share:.1f}%")
    countries_of = {iso: _country(countries, iso) for iso in ("RUS", "CHN", "PRK")}
    for layer_id, frame in layers.items():
        for row in frame.itertuples():
            share = _share(row.geometry, countries_of[row.iso3])
            lines.append(f"{layer_id}: {row.name} in {row.iso3}: {100 * share:.2f}%")
    for label, geom, centre in (
        ("LotL", lotl, (131.417, 43.000)),
        ("Kedrovaya Pad", kp, (131.500, 43.083)),
        ("Hunchun", hunchun, (130.733, 42.833)),
    ):
        c = geom.centroid
        lines.append(
            f"{label} centroid {c.x:.3f}, {c.y:.3f}: {_km_between((c.x, c.y), centre):.1f} km "
            f"from published centre {centre}; bounds " + ", ".join(f"{v:.3f}" for v in geom.bounds)
        )
    pilot = shapely.box(129.083, 42.518, 131.313, 44.247)
    lines.append(
        f"NCTLNP in pilot box: {100 * _share(park, pilot):.2f}%; fills "
        f"{100 * park_area / geodesic_area_km2(pilot):.1f}% of it; bounds "
        + ", ".join(f"{v:.3f}" for v in park.bounds)
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Read the Natural Earth file, build the layers and print areas and checks.

    Parameters
    ----------
    argv : sequence of str, optional
        An optional path to the Natural Earth countries file (default :data:`NE_PATH`).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    countries = gpd.read_file(args[0] if args else NE_PATH)
    layers = build_area_layers(countries)
    for line in report(layers, countries):
        print(line)
    return 0


if __name__ == "__main__":
    # Run as a script from a checkout: make the src-layout package importable.
    _SRC = Path(__file__).resolve().parents[1] / "src"
    if str(_SRC) not in sys.path:
        sys.path.insert(0, str(_SRC))
    raise SystemExit(main())
