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
Results are in km² (``*_km2`` columns). With ``units="ha"`` or ``units="mi2"`` every
``*_km2`` column gets a twin in that unit (``area_ha``, ``overlap_mi2_low`` ...).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.catalog import country_outline
from amurgeo.errors import DataError, UsageError
from amurgeo.geometry import POLYGONAL_TYPE_IDS
from amurgeo.io import Source, feature_labels, read_vector
from amurgeo.measure import (
    GEOD,
    UNITS,
    area_range_km2,
    convert_km2,
    from_equal_area,
    geodesic_area_km2,
    grow,
    outline_bounds,
    shrink,
    to_equal_area,
)

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

#: ``feature`` value of the row that describes a whole (dissolved) layer in :func:`area_table`.
LAYER_ROW = "(all)"

#: Flag a computed area that differs from the reported one by more than this many percent.
FLAG_PCT = 10.0

#: Largest boundary uncertainty (km) taken: more is a unit slip (metres?), not an uncertainty.
MAX_UNCERTAINTY_KM = 1000.0

#: Default tolerance (metres) within which two boundaries count as shared.
SHARED_TOLERANCE_M = 100.0

_EMPTY = shapely.Polygon()
_ISO3_COLUMNS = ("iso3", "ISO3", "iso_a3", "ISO_A3")
_POLYGONAL = POLYGONAL_TYPE_IDS

if TYPE_CHECKING:
    from amurgeo.wdpa import WdpaCleaning, WdpaSummary

Sources: TypeAlias = Source | Sequence[Source] | None


# --------------------------------------------------------------------------------------------
# Layers in the equal-area projection
# --------------------------------------------------------------------------------------------


def _areal(geom: BaseGeometry | None) -> BaseGeometry:
    """The polygonal part of `geom` (an empty polygon if it has none)."""
    if geom is None or geom.is_empty:
        return _EMPTY
    if shapely.get_type_id(geom) in _POLYGONAL:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if shapely.get_type_id(g) in _POLYGONAL]
    return shapely.union_all(parts) if parts else _EMPTY


def _project(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat polygon to the equal-area CRS, valid and polygonal."""
    if geom.is_empty:
        return _EMPTY
    projected = to_equal_area(geom)
    if not projected.is_valid:
        projected = _areal(shapely.make_valid(projected))
    return projected


def _km2(ea_geom: BaseGeometry) -> float:
    """Geodesic area (km²) of an equal-area geometry, measured back in lon/lat."""
    poly = _areal(ea_geom)
    return 0.0 if poly.is_empty else geodesic_area_km2(from_equal_area(poly))


def _ea_km2(ea_geom: BaseGeometry) -> float:
    """Area (km²) in the equal-area projection (for low-high ranges, as in measure)."""
    return float(shapely.area(_areal(ea_geom))) / 1e6


def _lonlat(ea_geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of an equal-area geometry, back in lon/lat."""
    poly = _areal(ea_geom)
    return _EMPTY if poly.is_empty else from_equal_area(poly)


def _union(geoms: Sequence[BaseGeometry] | np.ndarray) -> BaseGeometry:
    kept = [g for g in geoms if g is not None and not g.is_empty]
    return _areal(shapely.union_all(kept)) if kept else _EMPTY


@dataclass
class _Layer:
    """One source's polygons, ready for overlays in the equal-area projection."""

    name: str
    labels: list[str]
    lonlat: list[BaseGeometry]
    uncertainty_m: np.ndarray
    reported_km2: np.ndarray
    #: Per feature, the lon/lat country it cannot leave (from ``iso3``), or None.
    within: list[BaseGeometry | None]
    ea: list[BaseGeometry] = field(init=False)
    #: What the WDPA cleaning left out of this layer (None: not a WDPA extract).
    wdpa: WdpaSummary | None = None

    def __post_init__(self) -> None:
        self.ea = [_project(g) for g in self.lonlat]

    @cached_property
    def dissolved(self) -> BaseGeometry:
        """The union of every feature (equal-area)."""
        return _union(self.ea)

    @cached_property
    def area_km2(self) -> float:
        """Geodesic area of the dissolved layer (of the feature itself if there is one)."""
        present = [g for g in self.lonlat if not g.is_empty]
        if len(present) == 1:
            return geodesic_area_km2(present[0])
        return _km2(self.dissolved)

    @cached_property
    def _outlines(self) -> list[tuple[BaseGeometry | None, BaseGeometry | None]]:
        """Per feature: its country (equal-area) and the fixed zone along that border."""
        return [
            outline_bounds(w, near=g, distance_m=float(d))
            for w, g, d in zip(self.within, self.lonlat, self.uncertainty_m, strict=True)
        ]

    @cached_property
    def high(self) -> BaseGeometry:
        """The dissolved layer with every feature grown by its uncertainty."""
        if not self.uncertainty_m.any():
            return self.dissolved
        return _union([self.feature_high(i) for i in range(len(self.ea))])

    @cached_property
    def low(self) -> BaseGeometry:
        """The dissolved layer with its outer boundary moved in by each feature's uncertainty."""
        if not self.uncertainty_m.any():
            return self.dissolved
        parts = []
        for i, (geom, distance) in enumerate(zip(self.ea, self.uncertainty_m, strict=True)):
            if not distance:
                parts.append(geom)
                continue
            fixed = self._outlines[i][1]
            shrunk = shrink(self.dissolved, float(distance), fixed_ea=fixed, near_ea=geom)
            parts.append(geom.intersection(shrunk))
        return _union(parts)

    def feature_low(self, i: int) -> BaseGeometry:
        """Feature `i` shrunk by its uncertainty (edges on its national border stay)."""
        return _areal(
            shrink(self.ea[i], float(self.uncertainty_m[i]), fixed_ea=self._outlines[i][1])
        )

    def feature_high(self, i: int) -> BaseGeometry:
        """Feature `i` grown by its uncertainty, not past its national border."""
        return grow(self.ea[i], float(self.uncertainty_m[i]), within_ea=self._outlines[i][0])


def _numeric_column(gdf: gpd.GeoDataFrame, column: str) -> np.ndarray:
    if column not in gdf.columns:
        return np.full(len(gdf), np.nan)
    return pd.to_numeric(gdf[column], errors="coerce").to_numpy(dtype=float)


def _load(
    source: Source,
    *,
    uncertainty_km: float | None = None,
    name: str | None = None,
    wdpa: WdpaCleaning | None = None,
) -> _Layer:
    """Read `source` and keep its polygons; refuse a layer that has none."""
    gdf = read_vector(source, name=name, wdpa=wdpa)
    layer = str(gdf.attrs["layer_id"])
    from_file = isinstance(source, (str, os.PathLike)) and gdf.attrs.get("source") != "catalog"
    where = str(gdf.attrs["source"]) if from_file else f"layer {layer!r}"
    if from_file and not len(gdf):
        # an empty file is a wrong file (a failed export); an empty GeoDataFrame is a result
        raise DataError(f"{where}: has no features; expected an area layer (polygons)")
    labels = feature_labels(gdf)
    polygons = [_areal(g) for g in gdf.geometry.values]
    present = [g for g in gdf.geometry.values if g is not None and not g.is_empty]
    if present and all(p.is_empty for p in polygons):
        kinds = ", ".join(sorted({g.geom_type for g in present}))
        raise DataError(f"{where}: has no polygons ({kinds}); expected an area layer")
    if len(gdf) and all(p.is_empty for p in polygons):
        raise DataError(
            f"{where}: has no polygon with an area (each collapsed to a line or a point); "
            "expected an area layer"
        )
    if uncertainty_km is None:
        uncertainty = np.array(_numeric_column(gdf, "boundary_uncertainty_km"), dtype=float)
        uncertainty[np.isnan(uncertainty)] = 0.0
        bad = np.flatnonzero(~((uncertainty >= 0) & (uncertainty <= MAX_UNCERTAINTY_KM)))
        if len(bad):
            raise DataError(
                f"{where}, feature {labels[bad[0]]!r}: boundary_uncertainty_km "
                f"is {uncertainty[bad[0]]:g}; expected a distance >= 0 and "
                f"<= {MAX_UNCERTAINTY_KM:g} km"
            )
    else:
        if not (0 <= uncertainty_km <= MAX_UNCERTAINTY_KM):  # also refuses NaN and inf
            raise UsageError(
                f"uncertainty_km is {uncertainty_km!r}; expected a distance >= 0 and "
                f"<= {MAX_UNCERTAINTY_KM:g} km"
            )
        uncertainty = np.full(len(gdf), float(uncertainty_km))
    return _Layer(
        name=layer,
        labels=labels,
        lonlat=polygons,
        uncertainty_m=uncertainty * 1000.0,
        reported_km2=_numeric_column(gdf, "reported_area_km2"),
        within=_countries_of(gdf),
        wdpa=gdf.attrs.get("wdpa"),
    )


# --- WDPA (amurgeo.wdpa): results say what the cleaning left out of each WDPA layer ---------


def _with_wdpa(frame: Any, layers: Sequence[_Layer]) -> Any:
    """Record in ``frame.attrs["wdpa"]`` each WDPA layer's :class:`~amurgeo.wdpa.WdpaSummary`."""
    summaries = {ly.name: ly.wdpa for ly in layers if ly.wdpa is not None}
    if summaries:
        frame.attrs["wdpa"] = summaries
    return frame


# --- end of WDPA --------------------------------------------------------------------------


def _countries_of(gdf: gpd.GeoDataFrame) -> list[BaseGeometry | None]:
    """Each feature's bundled country outline, from an ``iso3`` column (None without one)."""
    if "iso3" not in gdf.columns:
        return [None] * len(gdf)
    return [country_outline(code) for code in gdf["iso3"]]


def _is_single(sources: Any) -> bool:
    return isinstance(sources, (str, os.PathLike, gpd.GeoDataFrame))


def _default_area_layers() -> list[str]:
    from amurgeo.catalog import AREA_KINDS, catalog_entries

    return [e["id"] for e in catalog_entries() if e["kind"] in AREA_KINDS]


def _source_list(sources: Sources) -> list[Source]:
    if sources is None:
        return list(_default_area_layers())
    if _is_single(sources):
        return [sources]
    return list(sources)  # type: ignore[arg-type]


def _check_units(units: str) -> str:
    if units not in UNITS:
        raise UsageError(f"units {units!r} is not one of {', '.join(UNITS)}")
    return units


def _with_units(frame: pd.DataFrame, units: str) -> pd.DataFrame:
    """Add a twin of every ``*_km2`` column in `units` (nothing to add for km²)."""
    if units == "km2":
        return frame
    for column in [c for c in frame.columns if "km2" in str(c)]:
        values = pd.to_numeric(frame[column], errors="coerce")
        frame[str(column).replace("km2", units)] = convert_km2(values, units)  # type: ignore[arg-type]
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        geometry = frame.pop(frame.geometry.name)
        frame[geometry.name] = geometry
        frame = frame.set_geometry(geometry.name)
    return frame


def _pct(part: float, whole: float) -> float:
    if not whole > 0:
        return float("nan")
    return min(100.0, max(0.0, 100.0 * part / whole))


# --------------------------------------------------------------------------------------------
# Area table
# --------------------------------------------------------------------------------------------


def area_table(
    sources: Sources = None,
    *,
    units: str = "km2",
    uncertainty_km: float | None = None,
    flag_pct: float = FLAG_PCT,
    wdpa: WdpaCleaning | None = None,
) -> pd.DataFrame:
    """Area of every feature and of every (dissolved) layer, beside the reported area.

    Parameters
    ----------
    sources
        One layer (id, path or GeoDataFrame) or a list of them. Default: every bundled layer
        of kind ``protected-area`` or ``range``.
    units
        ``km2`` (default), ``ha`` or ``mi2``: other units add ``area_<unit>``,
        ``area_<unit>_low``, ``area_<unit>_high`` and ``reported_area_<unit>`` columns.
    uncertainty_km
        Boundary uncertainty for every feature; default: each feature's
        ``boundary_uncertainty_km`` attribute (0 where missing).
    flag_pct
        ``flag`` is True where the computed area differs from the reported one by more than
        this many percent.
    wdpa
        How to clean WDPA extracts (default :class:`amurgeo.wdpa.WdpaCleaning`: Designated,
        Inscribed and Established records, no UNESCO-MAB Biosphere Reserves, points as
        circles of their reported area). ``attrs["wdpa"]`` of the result maps each WDPA
        layer to a :class:`~amurgeo.wdpa.WdpaSummary` of what was left out.

    Returns
    -------
    pandas.DataFrame
        One row per feature (``feature`` is its ``name``, else ``feature N``), then one row per
        layer with ``feature == "(all)"`` whose area is that of the dissolved layer (overlapping
        features counted once) and whose reported area is the sum of its features' (missing if
        any feature has none). Columns: ``layer``, ``feature``, ``area_km2``,
        ``area_km2_low``, ``area_km2_high``, ``reported_area_km2``, ``difference_pct``
        (computed minus reported, in % of reported) and ``flag``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> parks = gpd.GeoDataFrame(
    ...     {"name": ["west", "east"], "reported_area_km2": [1000.0, 1500.0]},
    ...     geometry=[box(131.0, 43.0, 131.5, 43.5), box(131.25, 43.0, 131.75, 43.5)],
    ...     crs="EPSG:4326",
    ... )
    >>> table = area_table(parks, uncertainty_km=1.0)
    >>> table[["feature", "area_km2", "reported_area_km2", "flag"]].round(1)
      feature  area_km2  reported_area_km2  flag
    0    west    2255.5             1000.0  True
    1    east    2255.5             1500.0  True
    2   (all)    3383.3             2500.0  True
    >>> bool((table["area_km2_low"] < table["area_km2"]).all())
    True

    The bundled Chinese national park in square miles, beside its reported km² (a source
    claims "over 14,000 square miles": that is its area in km²):

    >>> park = area_table("NCTLNP", units="mi2").iloc[-1]
    >>> bool(5400 < park["area_mi2"] < 5650), float(park["reported_area_km2"])
    (True, 14065.0)
    """
    _check_units(units)
    rows: list[dict[str, Any]] = []
    loaded = []
    for source in _source_list(sources):
        layer = _load(source, uncertainty_km=uncertainty_km, wdpa=wdpa)
        loaded.append(layer)
        for i, geom in enumerate(layer.lonlat):
            area = geodesic_area_km2(geom)
            low, high = area_range_km2(
                geom, layer.uncertainty_m[i] / 1000.0, within=layer.within[i]
            )
            rows.append(
                _area_row(layer.name, layer.labels[i], area, low, high, layer.reported_km2[i])
            )
        area = low = high = layer.area_km2
        if layer.uncertainty_m.any():
            low, high = min(area, _ea_km2(layer.low)), max(area, _ea_km2(layer.high))
        reported = layer.reported_km2
        total = float(reported.sum()) if len(reported) and np.isfinite(reported).all() else np.nan
        rows.append(_area_row(layer.name, LAYER_ROW, area, low, high, total))
    columns = [
        "layer",
        "feature",
        "area_km2",
        "area_km2_low",
        "area_km2_high",
        "reported_area_km2",
        "difference_pct",
        "flag",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["flag"] = (frame["difference_pct"].abs() > flag_pct).astype(bool)
    return _with_wdpa(_with_units(frame, units), loaded)


def _area_row(
    layer: str, feature: str, area: float, low: float, high: float, reported: float
) -> dict[str, Any]:
    reported = float(reported)
    difference = 100.0 * (area - reported) / reported if reported > 0 else np.nan
    return {
        "layer": layer,
        "feature": feature,
        "area_km2": area,
        "area_km2_low": low,
        "area_km2_high": high,
        "reported_area_km2": reported if np.isfinite(reported) else np.nan,
        "difference_pct": difference,
    }


# --------------------------------------------------------------------------------------------
# Overlap
# --------------------------------------------------------------------------------------------


@dataclass
class _Item:
    """One thing compared in an overlap: a dissolved layer or a single feature."""

    label: str
    ea: BaseGeometry
    low: BaseGeometry
    high: BaseGeometry
    area_km2: float
    #: The layer a feature comes from ("" for a dissolved layer).
    layer: str = ""


#: Features of one layer that overlap by less than this (km²) do not overlap: the line between
#: them (two provinces of one park) is an internal line, not an uncertain edge, so their
#: low-high overlap is not widened by growing them into each other.
INTERNAL_LINE_KM2 = 0.01


def _layer_items(layers: Sequence[_Layer]) -> list[_Item]:
    return [_Item(ly.name, ly.dissolved, ly.low, ly.high, ly.area_km2) for ly in layers]


def _feature_items(layers: Sequence[_Layer]) -> list[_Item]:
    items = []
    for ly in layers:
        for i, label in enumerate(ly.labels):
            area = geodesic_area_km2(ly.lonlat[i])
            items.append(
                _Item(
                    f"{ly.name}: {label}",
                    ly.ea[i],
                    ly.feature_low(i),
                    ly.feature_high(i),
                    area,
                    layer=ly.name,
                )
            )
    return items


_OVERLAP_COLUMNS = [
    "a",
    "b",
    "overlap_km2",
    "overlap_km2_low",
    "overlap_km2_high",
    "pct_of_a",
    "pct_of_b",
]


def _overlaps(
    items: Sequence[_Item], pairs: np.ndarray | None, *, include_disjoint: bool
) -> gpd.GeoDataFrame:
    """Overlap rows for `pairs` of `items` (every pair i < j when `pairs` is None).

    Only the pairs whose (grown) geometries intersect, found with an STR-tree, are overlaid;
    every other pair is 0 km² without any geometry work.
    """
    n = len(items)
    high = np.array([it.high for it in items], dtype=object)
    left, right = shapely.STRtree(high).query(high, predicate="intersects")
    keep = left < right
    cand_i, cand_j = left[keep].astype(np.int64), right[keep].astype(np.int64)
    if pairs is not None:
        want_i, want_j = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    elif include_disjoint:
        want_i, want_j = np.triu_indices(n, k=1)
    else:
        order = np.lexsort((cand_j, cand_i))
        want_i, want_j = cand_i[order], cand_j[order]
    lo, hi = np.minimum(want_i, want_j), np.maximum(want_i, want_j)
    is_candidate = np.isin(lo * n + hi, cand_i * n + cand_j)
    count = len(want_i)
    overlap_km2, low_km2, high_km2 = np.zeros(count), np.zeros(count), np.zeros(count)
    geometries = np.full(count, _EMPTY, dtype=object)
    for k in np.flatnonzero(is_candidate):
        a, b = items[want_i[k]], items[want_j[k]]
        lonlat = _lonlat(shapely.intersection(a.ea, b.ea))
        area = 0.0 if lonlat.is_empty else geodesic_area_km2(lonlat)
        area = min(area, a.area_km2, b.area_km2)
        low = high_ = area
        if a.layer and a.layer == b.layer and area < INTERNAL_LINE_KM2:
            overlap_km2[k], low_km2[k], high_km2[k], geometries[k] = area, area, area, lonlat
            continue
        if a.low is not a.ea or b.low is not b.ea:
            low = min(area, _ea_km2(shapely.intersection(a.low, b.low)))
        if a.high is not a.ea or b.high is not b.ea:
            high_ = max(area, _ea_km2(shapely.intersection(a.high, b.high)))
        overlap_km2[k], low_km2[k], high_km2[k], geometries[k] = area, low, high_, lonlat
    if pairs is None and not include_disjoint:
        kept = high_km2 > 0
        want_i, want_j = want_i[kept], want_j[kept]
        overlap_km2, low_km2, high_km2 = overlap_km2[kept], low_km2[kept], high_km2[kept]
        geometries = geometries[kept]
    labels = np.array([it.label for it in items], dtype=object)
    areas = np.array([it.area_km2 for it in items], dtype=float)
    frame = pd.DataFrame(
        {
            "a": labels[want_i],
            "b": labels[want_j],
            "overlap_km2": overlap_km2,
            "overlap_km2_low": low_km2,
            "overlap_km2_high": high_km2,
            "pct_of_a": _pcts(overlap_km2, areas[want_i]),
            "pct_of_b": _pcts(overlap_km2, areas[want_j]),
        },
        columns=_OVERLAP_COLUMNS,
    )
    return gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(geometries, crs="EPSG:4326"), crs="EPSG:4326"
    )


def _pcts(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """Element-wise :func:`_pct`: 100 * part / whole within 0-100, NaN where whole is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.clip(100.0 * part / whole, 0.0, 100.0)
    return np.where(whole > 0, pct, np.nan)


def overlap(
    a: Source,
    b: Source,
    *,
    per_feature: bool = False,
    units: str = "km2",
    uncertainty_km: float | None = None,
    wdpa: WdpaCleaning | None = None,
) -> gpd.GeoDataFrame:
    """How much of `a` lies in `b` (each dissolved): area, % of each, and the geometry.

    Parameters
    ----------
    a, b
        Layer ids, file paths or GeoDataFrames.
    per_feature
        Compare every feature of `a` with every feature of `b` (one row per pair, ``a``
        and ``b`` named ``layer: feature``) instead of the dissolved layers.
    units
        ``km2``, ``ha`` or ``mi2`` (other units add columns, see :func:`area_table`).
    uncertainty_km
        Boundary uncertainty for every feature (default: the ``boundary_uncertainty_km``
        attribute); the low (high) overlap is that of both layers shrunk (grown).
    wdpa
        How to clean WDPA extracts (see :func:`area_table`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row: ``a``, ``b``, ``overlap_km2``, ``overlap_km2_low``, ``overlap_km2_high``,
        ``pct_of_a``, ``pct_of_b`` and the overlap ``geometry`` (lon/lat; empty if none).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> a = gpd.GeoDataFrame(geometry=[box(131.0, 43.0, 131.5, 43.5)], crs=4326)
    >>> b = gpd.GeoDataFrame(geometry=[box(131.25, 43.0, 132.0, 43.5)], crs=4326)
    >>> row = overlap(a, b).iloc[0]
    >>> [round(float(row[key]), 1) for key in ("overlap_km2", "pct_of_a", "pct_of_b")]
    [1127.8, 50.0, 33.3]

    Kedrovaya Pad lies inside Land of the Leopard:

    >>> bool(overlap("kedrovaya-pad", "LotL")["pct_of_a"].item() > 99)
    True

    Feature by feature:

    >>> halves = [box(131.0, 43.0, 131.2, 43.5), box(131.3, 43.0, 131.5, 43.5)]
    >>> two = gpd.GeoDataFrame({"name": ["west", "east"]}, geometry=halves, crs=4326)
    >>> overlap(two, b, per_feature=True)[["a", "pct_of_a"]].round(1).values.tolist()
    [['layer: west', 0.0], ['layer: east', 100.0]]
    """
    _check_units(units)
    layers = [
        _load(a, uncertainty_km=uncertainty_km, wdpa=wdpa),
        _load(b, uncertainty_km=uncertainty_km, wdpa=wdpa),
    ]
    if not per_feature:
        pairs = np.array([[0, 1]])
        table = _overlaps(_layer_items(layers), pairs, include_disjoint=True)
        return _with_wdpa(_with_units(table, units), layers)
    items = _feature_items(layers)
    count_a = len(layers[0].labels)
    left, right = np.meshgrid(np.arange(count_a), np.arange(count_a, len(items)), indexing="ij")
    pairs = np.column_stack([left.ravel(), right.ravel()])
    return _with_wdpa(_with_units(_overlaps(items, pairs, include_disjoint=True), units), layers)


def overlap_matrix(
    sources: Sources = None,
    *,
    per_feature: bool = False,
    include_disjoint: bool = True,
    units: str = "km2",
    uncertainty_km: float | None = None,
    wdpa: WdpaCleaning | None = None,
) -> gpd.GeoDataFrame:
    """Overlap of every pair of layers (or of features), found with a spatial index.

    Parameters
    ----------
    sources
        One layer or a list of them. Default: every bundled layer of kind ``protected-area``
        or ``range`` of the leopard's overview (the tiger's and the leopard's historical
        layers, :data:`amurgeo.catalog.TIGER_LAYERS`, cover a far wider region: name them).
    per_feature
        Compare every feature with every other feature (labelled ``"layer: feature"``)
        instead of every dissolved layer with every other layer.
    include_disjoint
        Keep pairs that do not overlap (with 0 km²). With False only pairs whose (high)
        overlap is above 0 are returned, which keeps the result small for many features.
    units, uncertainty_km, wdpa
        As in :func:`overlap`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unordered pair (``a`` before ``b`` in input order), with the columns of
        :func:`overlap`. Candidate pairs come from an STR-tree of bounding boxes, so only
        pairs that can intersect are overlaid: 1,000 polygons take about a second.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> parks = gpd.GeoDataFrame(
    ...     {"name": ["a", "b", "c"]},
    ...     geometry=[box(131, 43, 131.5, 43.5), box(131.4, 43, 132, 43.5), box(133, 45, 134, 46)],
    ...     crs=4326,
    ... )
    >>> overlap_matrix(parks, per_feature=True)[["a", "b", "pct_of_a"]].round(1)
              a         b  pct_of_a
    0  layer: a  layer: b      20.0
    1  layer: a  layer: c       0.0
    2  layer: b  layer: c       0.0
    """
    _check_units(units)
    if sources is None:
        from amurgeo.catalog import leopard_overview_ids

        sources = [s for s in _default_area_layers() if s in leopard_overview_ids()]
    layers = [_load(s, uncertainty_km=uncertainty_km, wdpa=wdpa) for s in _source_list(sources)]
    items = _feature_items(layers) if per_feature else _layer_items(layers)
    table = _overlaps(items, None, include_disjoint=include_disjoint)
    return _with_wdpa(_with_units(table, units), layers)


# --------------------------------------------------------------------------------------------
# Coverage and gaps
# --------------------------------------------------------------------------------------------


def _by_layers(
    by: Source | Sequence[Source],
    uncertainty_km: float | None,
    wdpa: WdpaCleaning | None = None,
) -> list[_Layer]:
    sources = _source_list(by)
    if not sources:
        raise UsageError("`by` is empty; expected one or more protecting layers")
    return [_load(s, uncertainty_km=uncertainty_km, wdpa=wdpa) for s in sources]


def coverage(
    target: Source,
    by: Source | Sequence[Source],
    *,
    per_country: bool = False,
    countries: Source = "countries",
    units: str = "km2",
    uncertainty_km: float | None = None,
    wdpa: WdpaCleaning | None = None,
) -> pd.DataFrame:
    """How much of `target` lies in the dissolved union of the `by` layers.

    Parameters
    ----------
    target
        The layer to cover (for example ``"leopard-range"``), dissolved.
    by
        One protecting layer or a list of them; they are dissolved together first, so that
        overlapping protected areas are counted once.
    per_country
        Split the result by country with the `countries` layer (its ``iso3`` or ``iso_a3``
        attribute, else its feature labels). Any part of the target outside every country
        gets the row ``"(none)"``.
    countries
        The countries layer (default: the bundled ``countries``).
    units, uncertainty_km
        As in :func:`overlap`; the low (high) covered area is that of every boundary shrunk
        (grown).
    wdpa
        How to clean WDPA extracts among `target` and `by` (see :func:`area_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``target``, ``by`` (layer names joined with ``" + "``), ``country`` (None
        without `per_country`), ``target_km2``, ``covered_km2``, ``covered_km2_low``,
        ``covered_km2_high`` and ``covered_pct`` (missing for an empty target).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> habitat = gpd.GeoDataFrame(geometry=[box(131, 43, 132, 43.5)], crs=4326)
    >>> habitat.attrs["layer_id"] = "habitat"
    >>> park = gpd.GeoDataFrame(geometry=[box(131, 43, 131.25, 44)], crs=4326)
    >>> park.attrs["layer_id"] = "park"
    >>> reserve = gpd.GeoDataFrame(geometry=[box(131.2, 43, 131.5, 43.2)], crs=4326)
    >>> reserve.attrs["layer_id"] = "reserve"
    >>> row = coverage(habitat, by=[park, reserve]).iloc[0]
    >>> row["by"], float(round(row["covered_pct"], 1))
    ('park + reserve', 35.0)

    The bundled leopard range, protected on each side of the border:

    >>> table = coverage("leopard-range", by=["LotL", "NCTLNP"], per_country=True)
    >>> table["country"].tolist()
    ['CHN', 'PRK', 'RUS']
    """
    _check_units(units)
    tgt = _load(target, uncertainty_km=uncertainty_km, wdpa=wdpa)
    layers = _by_layers(by, uncertainty_km, wdpa)
    by_label = " + ".join(ly.name for ly in layers)
    union = _union([ly.dissolved for ly in layers])
    union_low = _union([ly.low for ly in layers])
    union_high = _union([ly.high for ly in layers])
    covered = shapely.intersection(tgt.dissolved, union)
    covered_low = shapely.intersection(tgt.low, union_low)
    covered_high = shapely.intersection(tgt.high, union_high)

    def row(country: str | None, clip: BaseGeometry | None) -> dict[str, Any]:
        def cut(geom: BaseGeometry) -> BaseGeometry:
            return geom if clip is None else shapely.intersection(geom, clip)

        target_km2 = tgt.area_km2 if clip is None else _km2(cut(tgt.dissolved))
        covered_km2 = min(_km2(cut(covered)), target_km2)
        return {
            "target": tgt.name,
            "by": by_label,
            "country": country,
            "target_km2": target_km2,
            "covered_km2": covered_km2,
            "covered_km2_low": min(covered_km2, _ea_km2(cut(covered_low))),
            "covered_km2_high": max(covered_km2, _ea_km2(cut(covered_high))),
            "covered_pct": _pct(covered_km2, target_km2),
        }

    rows = []
    if not per_country:
        rows.append(row(None, None))
    else:
        frame = read_vector(countries)
        code = next((c for c in _ISO3_COLUMNS if c in frame.columns), None)
        keys = [str(v) for v in frame[code]] if code else feature_labels(frame)
        land: dict[str, list[BaseGeometry]] = {}
        for key, geom in zip(keys, frame.geometry.values, strict=True):
            land.setdefault(key, []).append(_project(_areal(geom)))
        whole = tgt.dissolved
        inside = []
        for key in sorted(land):
            shape = _union(land[key])
            inside.append(shape)
            if shape.intersects(whole) and _km2(shapely.intersection(whole, shape)) > 0:
                rows.append(row(key, shape))
        rest = whole.difference(_union(inside)) if inside else whole
        if _km2(rest) > max(1e-3, 1e-6 * _km2(whole)):
            rows.append(row("(none)", rest))
        if not rows:
            rows.append(row(None, None))
    frame_out = pd.DataFrame(rows)
    return _with_wdpa(_with_units(frame_out, units), [tgt, *layers])


def gap(
    target: Source,
    by: Source | Sequence[Source],
    *,
    units: str = "km2",
    uncertainty_km: float | None = None,
    wdpa: WdpaCleaning | None = None,
) -> gpd.GeoDataFrame:
    """The part of `target` outside the dissolved union of the `by` layers.

    Parameters
    ----------
    target, by, units, uncertainty_km, wdpa
        As in :func:`coverage`. The low gap is the shrunk target minus the grown `by`; the
        high gap the grown target minus the shrunk `by`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row: ``target``, ``by``, ``target_km2``, ``gap_km2``, ``gap_km2_low``,
        ``gap_km2_high``, ``gap_pct`` and the gap ``geometry`` (lon/lat; empty if none).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> habitat = gpd.GeoDataFrame(geometry=[box(131, 43, 132, 43.5)], crs=4326)
    >>> park = gpd.GeoDataFrame(geometry=[box(131, 43, 131.5, 44)], crs=4326)
    >>> result = gap(habitat, by=park)
    >>> round(result["gap_pct"].item(), 1), [round(float(x), 6) for x in result.total_bounds]
    (50.0, [131.5, 43.0, 132.0, 43.5])
    """
    _check_units(units)
    tgt = _load(target, uncertainty_km=uncertainty_km, wdpa=wdpa)
    layers = _by_layers(by, uncertainty_km, wdpa)
    union = _union([ly.dissolved for ly in layers])
    outside = _areal(shapely.difference(tgt.dissolved, union))
    lonlat = _lonlat(outside)
    target_km2 = tgt.area_km2
    gap_km2 = min(target_km2, 0.0 if lonlat.is_empty else geodesic_area_km2(lonlat))
    low = _ea_km2(shapely.difference(tgt.low, _union([ly.high for ly in layers])))
    high = _ea_km2(shapely.difference(tgt.high, _union([ly.low for ly in layers])))
    record = {
        "target": tgt.name,
        "by": " + ".join(ly.name for ly in layers),
        "target_km2": target_km2,
        "gap_km2": gap_km2,
        "gap_km2_low": min(low, gap_km2),
        "gap_km2_high": max(high, gap_km2),
        "gap_pct": _pct(gap_km2, target_km2),
    }
    result = gpd.GeoDataFrame(
        pd.DataFrame([record]), geometry=gpd.GeoSeries([lonlat], crs="EPSG:4326")
    )
    return _with_wdpa(_with_units(result, units), [tgt, *layers])


# --------------------------------------------------------------------------------------------
# Points in areas, shared boundaries
# --------------------------------------------------------------------------------------------


def _protected_layers() -> list[str]:
    from amurgeo.catalog import catalog_entries

    return [e["id"] for e in catalog_entries() if e["kind"] == "protected-area"]


def points_in_areas(points: Source = "activities", areas: Sources = None) -> gpd.GeoDataFrame:
    """Which area(s) each point lies in and, for a point outside all, the nearest one.

    Parameters
    ----------
    points
        A point layer (default: the bundled ``activities``). Other geometry types work too:
        "lies in" means "intersects".
    areas
        One area layer or a list of them. Default: every bundled layer of kind
        ``protected-area``. Each feature is an area, labelled with its layer name (layers of
        one feature) or ``"layer: feature"``.

    Returns
    -------
    geopandas.GeoDataFrame
        The points (lon/lat) with their attributes, after these columns: ``layer``,
        ``feature`` (the point's label), ``inside`` (bool), ``areas`` (the areas it lies in,
        joined with ``"; "``; empty if none), ``nearest_area`` (the first area it lies in, else
        the nearest) and ``distance_km`` (0 inside; else the geodesic distance to the nearest
        point of the nearest area, both found in the equal-area projection; for points far
        from the region, such as offices in Europe, the nearest area is approximate). An input
        attribute with one of these names is kept as ``<name>_input``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> park = gpd.GeoDataFrame(geometry=[box(131.0, 43.0, 131.5, 43.5)], crs=4326)
    >>> park.attrs["layer_id"] = "park"
    >>> sites = gpd.GeoDataFrame(
    ...     {"name": ["camera", "office"]}, geometry=[Point(131.2, 43.2), Point(132.0, 43.2)],
    ...     crs=4326,
    ... )
    >>> found = points_in_areas(sites, areas=park)
    >>> found[["feature", "inside", "areas", "nearest_area"]]
      feature  inside areas nearest_area
    0  camera    True  park         park
    1  office   False               park
    >>> round(float(found["distance_km"].iloc[1]), 1)
    40.6
    """
    gdf = read_vector(points)
    point_layer = str(gdf.attrs["layer_id"])
    area_sources = _source_list(areas) if areas is not None else _protected_layers()
    labels: list[str] = []
    shapes: list[BaseGeometry] = []
    for source in area_sources:
        layer = _load(source)
        for label, geom in zip(layer.labels, layer.ea, strict=True):
            if geom.is_empty:
                continue
            labels.append(layer.name if len(layer.labels) == 1 else f"{layer.name}: {label}")
            shapes.append(geom)
    tree = shapely.STRtree(np.array(shapes, dtype=object))
    inside_lists: list[list[str]] = []
    nearest: list[str | None] = []
    distance: list[float] = []
    for geom in gdf.geometry.values:
        if geom is None or geom.is_empty or not shapes:
            inside_lists.append([])
            nearest.append(None)
            distance.append(np.nan)
            continue
        projected = to_equal_area(geom)
        hits = sorted(int(i) for i in tree.query(projected, predicate="intersects"))
        inside_lists.append([labels[i] for i in hits])
        if hits:
            nearest.append(labels[hits[0]])
            distance.append(0.0)
            continue
        index = int(tree.nearest(projected))
        nearest.append(labels[index])
        line = from_equal_area(shapely.shortest_line(projected, shapes[index]))
        (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[-1]
        distance.append(float(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0)
    added = {
        "layer": [point_layer] * len(gdf),
        "feature": feature_labels(gdf),
        "inside": [bool(found) for found in inside_lists],
        "areas": ["; ".join(found) for found in inside_lists],
        "nearest_area": nearest,
        "distance_km": distance,
    }
    attributes = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).rename(
        columns={c: f"{c}_input" for c in added if c in gdf.columns}
    )
    table = pd.concat([pd.DataFrame(added, index=gdf.index), attributes], axis=1)
    return gpd.GeoDataFrame(table, geometry=gdf.geometry.values, crs="EPSG:4326")


def _lines(geom: BaseGeometry) -> BaseGeometry:
    """The linear part of `geom`, merged (an empty line string if it has none)."""
    if geom.is_empty:
        return shapely.LineString()
    if geom.geom_type in ("LineString", "MultiLineString"):
        return shapely.line_merge(geom)
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("LineString",)]
    parts += [
        p for g in getattr(geom, "geoms", []) if g.geom_type == "MultiLineString" for p in g.geoms
    ]
    return shapely.line_merge(shapely.MultiLineString(parts)) if parts else shapely.LineString()


def _length_km(ea_lines: BaseGeometry) -> tuple[float, BaseGeometry]:
    lines = _lines(ea_lines)
    if lines.is_empty:
        return 0.0, lines
    lonlat = from_equal_area(lines)
    return abs(float(GEOD.geometry_length(lonlat))) / 1000.0, lonlat


def shared_boundary(
    a: Source, b: Source, *, tolerance_m: float = SHARED_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Length of the boundary two areas share (for example along the Russia-China border).

    Each layer is dissolved. The shared boundary is the part of `a`'s boundary within
    `tolerance_m` of `b`'s boundary (found in the equal-area projection); its geodesic length
    is averaged with that of the part of `b`'s boundary within `tolerance_m` of `a`'s, so the
    result is symmetric. The tolerance absorbs the vertices that densifying and projecting put
    on two copies of the same line (such as a border clipped from Natural Earth); raise it for
    boundaries digitized separately, which may run a little apart. Where a boundary turns away
    from the other, up to about `tolerance_m` more is counted at each end of a shared stretch
    (Land of the Leopard and the Chinese park: 146.5 km with 1 m, 147.6 km with 100 m).
    ``tolerance_m=0`` keeps only segments the two boundaries share exactly.

    Parameters
    ----------
    a, b
        Layer ids, file paths or GeoDataFrames.
    tolerance_m
        Distance (metres) within which boundaries count as shared (default 100 m).

    Returns
    -------
    geopandas.GeoDataFrame
        One row: ``a``, ``b``, ``shared_km`` (geodesic length in km), ``tolerance_m`` and the
        shared part of `a`'s boundary as ``geometry`` (lon/lat lines; empty if none).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> west = gpd.GeoDataFrame(geometry=[box(130.5, 43.0, 131.0, 43.5)], crs=4326)
    >>> east = gpd.GeoDataFrame(geometry=[box(131.0, 43.2, 131.5, 44.0)], crs=4326)
    >>> round(shared_boundary(west, east)["shared_km"].item(), 1)
    33.5
    >>> round(shared_boundary(west, east, tolerance_m=1)["shared_km"].item(), 1)
    33.3

    Land of the Leopard and the Chinese national park meet along the border:

    >>> bool(shared_boundary("LotL", "NCTLNP")["shared_km"].item() > 100)
    True
    """
    if not np.isfinite(tolerance_m) or tolerance_m < 0:
        raise UsageError(f"tolerance_m is {tolerance_m!r}; expected a distance >= 0")
    first, second = _load(a), _load(b)
    edge_a = first.dissolved.boundary
    edge_b = second.dissolved.boundary
    if tolerance_m > 0:
        part_a = shapely.intersection(edge_a, edge_b.buffer(tolerance_m))
        part_b = shapely.intersection(edge_b, edge_a.buffer(tolerance_m))
    else:
        part_a = part_b = shapely.intersection(edge_a, edge_b)
    length_a, geometry = _length_km(part_a)
    length_b, _ = _length_km(part_b)
    record = {
        "a": first.name,
        "b": second.name,
        "shared_km": (length_a + length_b) / 2.0,
        "tolerance_m": float(tolerance_m),
    }
    return gpd.GeoDataFrame(
        pd.DataFrame([record]), geometry=gpd.GeoSeries([geometry], crs="EPSG:4326")
    )
