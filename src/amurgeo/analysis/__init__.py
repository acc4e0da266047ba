"""Areas, overlaps, coverage and gaps of protected areas, measured correctly.

How things are measured
-----------------------
* Every reported area is **geodesic**: measured on the WGS84 ellipsoid with ``pyproj.Geod``
  (:func:`amurgeo.measure.geodesic_area_km2`).
* Overlays (intersection, union, difference, buffers) run in **one equal-area projection**,
  :data:`amurgeo.measure.EQUAL_AREA_CRS` (Lambert azimuthal equal-area centred on 131 E,
  43 N); their results are projected back to lon/lat and measured geodesically. Degrees and Web
  Mercator are never used for areas.
* A layer is **dissolved** before it is compared with another, so that areas that overlap
  (Kedrovaya Pad inside Land of the Leopard, Hunchun inside the Chinese national park) are never
  counted twice: the Protected Planet method.
* Every area result carries a **low-high range**: the same computation with every boundary
  shrunk (low) and grown (high) by its feature's ``boundary_uncertainty_km`` (0 where missing,
  or the ``uncertainty_km`` given). A layer is shrunk as a whole (only its outer boundary moves
  in), grown feature by feature. Edges that lie on the feature's own national border or coast
  (its ``iso3`` country in the bundled ``countries`` layer) stay fixed, and growth stops there:
  a park cannot spill into the neighbouring country or the sea. Features without a known
  ``iso3`` are shrunk and grown all round.
* An empty result is a result: 0 km², with an empty geometry.

Sources
-------
Every function takes layers as a bundled layer id or alias, a path to any vector file GDAL
reads, or a GeoDataFrame (see :func:`amurgeo.io.read_vector`). Without sources, the area
functions use every bundled layer of kind ``protected-area`` or ``range``.

Units
-----
Results are in km² (``*geodesic_km2`` columns). With ``units="ha"`` or ``units="mi2"`` every
``*geodesic_km2`` column gets a twin in that unit (``area_ha``, ``overlap_mi2_low`` ...).
"""

from amurgeo.analysis.areas import FLAG_PCT, LAYER_ROW, area_table
from amurgeo.analysis.boundaries import shared_boundary
from amurgeo.analysis.coverage import coverage, gap
from amurgeo.analysis.overlap import overlap, overlap_matrix
from amurgeo.analysis.points import points_in_areas

__all__ = [
    "FLAG_PCT",
    "LAYER_ROW",
    "area_table",
    "coverage",
    "gap",
    "overlap",
    "overlap_matrix",
    "points_in_areas",
    "shared_boundary",
]
