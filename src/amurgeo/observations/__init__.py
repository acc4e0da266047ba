"""Camera-trap detections and GPS-collar fixes: read, counted per area and country, binned.

Observations come by the hundred thousand or the million, so everything here works on arrays
of coordinates, never on one Python object per point.

Reading (:func:`read_observations`)
-----------------------------------
* **CSV / TSV** (``.csv``, ``.tsv``, ``.txt``, optionally ``.gz``): the delimiter (``,``,
  ``;``, tab or ``|``) is sniffed from the header; with ``;`` a decimal comma (``43,12``) is
  understood. Read with pyarrow when it is installed, and only the columns needed.
* **Parquet** (pandas' ``to_parquet``) with coordinate columns, and **GeoParquet**
  (geopandas' ``to_parquet``) with point geometries.
* **Any vector file** GDAL reads (GeoJSON, GeoPackage, Shapefile, KML ...) with points, via
  :func:`amurgeo.io.read_vector`.
* **A directory of (Geo)Parquet partitions** (as written by dask, Spark or
  ``to_parquet(partition_cols=...)``), or an fsspec URL (``s3://`` ...) of Parquet:
  Parquet is counted and binned piece by piece, on local cores or a dask cluster
  (:mod:`amurgeo.observations.partitions`).
* A DataFrame with coordinate columns, or a GeoDataFrame of points.

Coordinate columns are found by name, ignoring case, spaces, dashes and underscores:
longitude among ``lon``, ``lng``, ``long``, ``longitude``, ``x``, ``decimalLongitude`` (Darwin
Core, GBIF), ``location-long`` (Movebank), ``gps_longitude``; latitude likewise. Give
``lon_col`` / ``lat_col`` for any other name. Coordinates are WGS84 longitude/latitude unless
``crs`` says otherwise. Rows whose coordinates are missing, not numbers, out of range or
exactly 0, 0 (a failed GPS fix) are dropped with one warning that says how many.

A species column is found by name too (``species``, ``scientificName``, ``taxon``,
``individual-taxon-canonical-name`` ...), or given as ``species_col``.

Counting (:func:`count_observations`)
-------------------------------------
One row per region, in this order:

* every area layer (default: each bundled protected area), dissolved, ``kind``
  ``"protected-area"`` (``"area"`` for other layers);
* ``"(any protected area)"``: inside at least one of them, ``kind`` ``"protected"``;
* ``"(outside protection)"``: inside none of them, ``kind`` ``"outside"``;
* every country (``iso3`` code of the countries layer), ``kind`` ``"country"``, then
  ``"(no country)"`` for points outside every country (at sea, or far away); a country row
  with no observation in any period is left out (area rows are kept, even at zero).

Areas overlap (Kedrovaya Pad lies inside Land of the Leopard, Hunchun inside the Chinese
national park), so **per-area counts overlap and do not add up**; ``(any protected area)``
and ``(outside protection)`` do add up to the number of observations kept. A point exactly on
a boundary counts as inside; a point only on boundaries (the edge two survey blocks share)
counts in the first of those areas in file order, so blocks add up to the inside row. Points
are tested against the polygons in lon/lat, where the layers' edges are straight (RFC 7946).

Columns: ``area``, ``kind``, ``count``, ``pct`` (% of all observations kept) and, when there is
a species column, one ``count_<species>`` column per species: ``<species>`` is the name in
lower case with every run of characters other than letters and digits replaced by ``_``
(``"Amur leopard"`` and ``"amur-leopard"`` both give ``count_amur_leopard``; Cyrillic and
Chinese letters are kept); a missing or empty species counts as ``unspecified``. Species
columns are sorted by that key.

Density (:func:`observation_density`)
-------------------------------------
Hexagons of equal area (flat-to-flat ``size_km``) in :data:`amurgeo.measure.EQUAL_AREA_CRS`,
only those holding observations, with their count, count per km² and counts per species: what
:func:`amurgeo.build_map` draws instead of one marker per point.
"""

from __future__ import annotations

from amurgeo.observations.count import (
    ANY_PROTECTED,
    NO_COUNTRY,
    OUTSIDE_PROTECTION,
    count_observations,
)
from amurgeo.observations.hexbin import hexagon_area_km2, observation_density
from amurgeo.observations.points import Observations, ObservationSource, species_key
from amurgeo.observations.read import load_observations, read_observations

__all__ = [
    "ANY_PROTECTED",
    "NO_COUNTRY",
    "OUTSIDE_PROTECTION",
    "ObservationSource",
    "Observations",
    "count_observations",
    "hexagon_area_km2",
    "load_observations",
    "observation_density",
    "read_observations",
    "species_key",
]
