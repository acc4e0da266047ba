"""Read vector data from anywhere: a bundled layer id, any file GDAL reads, or a GeoDataFrame.

:func:`read_vector` is the one door through which analysis, maps and exports take their input.
Whatever comes in leaves as a GeoDataFrame in EPSG:4326 (lon/lat, WGS84) with

* ``gdf.attrs["layer_id"]``: the name of the layer (catalog id, file stem, or the name given),
* ``gdf.attrs["source"]``: where it came from (``"catalog"``, the file path, or
  ``"GeoDataFrame"``),
* valid geometries: invalid ones are repaired with :func:`shapely.make_valid` and a warning
  that names the layer and the feature.

Rules for a source given as text:

* an existing file or folder, or text that looks like a path (it has a folder separator or a
  file suffix such as ``.gpkg``), is read as a file, with the pyogrio engine;
  ``parks.gpkg::reserves`` picks the layer ``reserves`` of a file that holds several;
* anything else is a bundled layer id, title or alias (:func:`amurgeo.catalog.resolve_layer_id`).

A file in another CRS is reprojected to EPSG:4326. A file (or GeoDataFrame) with no CRS is
taken to be lon/lat only if every coordinate lies within ±180 / ±90; otherwise it is an error,
never a silent guess.

What a user's file may hold, and what happens (every message names the file, and the feature
where there is one; see ``tests/test_bad_input.py`` for the whole corpus):

* Not vector data (malformed or truncated JSON, an empty file, random bytes, a table without
  geometry, a Shapefile without its ``.shx``): :class:`~amurgeo.errors.DataError`.
* Features with no geometry (``null``, empty, or a type GDAL cannot read): skipped with one
  warning that names them; a DataError if none is left. An empty FeatureCollection is an
  empty layer here; the commands refuse it (an area layer, a map, an export need features).
* Invalid polygons (self-intersecting, a hole outside its shell, a ring that is not closed):
  repaired (rings closed, :func:`shapely.make_valid`) with a warning per feature; a polygon
  with no area left (a ring of three points) is skipped.
* NaN or infinite coordinates: a DataError naming the feature.
* Coordinates outside ±180 / ±90 once in EPSG:4326 (a projected file saved as GeoJSON, which
  is always lon/lat, or huge numbers): a DataError naming the feature. When they would be
  lon/lat with x and y swapped (this region in latitude, longitude order puts 131 in the
  latitude), the message says so.
* A file whose features all lie far from the Amur region (:data:`REGION_BOUNDS`), for example
  Europe: read, with a warning to check the file and its axis order (a lon/lat swap that
  still gives valid degrees lands far away).
* Heights (Z) are kept but play no part: areas, overlaps and maps are 2-D.
* Text that is not UTF-8 (GeoJSON must be): read as Latin-1 with a warning.

No network: amurgeo reads local files and its bundled data, and makes no network call of its
own. A source given explicitly as a URL (``https://``, ``s3://``, ``/vsicurl/`` ...) is handed
to GDAL, which fetches it: that is the user's choice, made on the command line.
"""

from __future__ import annotations

from amurgeo.io.layers import LAYER_SEPARATOR as LAYER_SEPARATOR
from amurgeo.io.layers import (
    NAME_COLUMNS,
    Source,
    feature_labels,
    geometry_kind,
    label_column,
    layer_name,
    looks_like_path,
    require_features,
    source_path,
)
from amurgeo.io.read import read_drawable, read_vector

__all__ = [
    "NAME_COLUMNS",
    "Source",
    "feature_labels",
    "geometry_kind",
    "label_column",
    "layer_name",
    "looks_like_path",
    "read_drawable",
    "read_vector",
    "require_features",
    "source_path",
]
