"""Overlap of two layers, or of every pair of layers or features (STR-tree candidates)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.analysis.layers import (
    EMPTY,
    AreaLayer,
    Sources,
    check_units,
    equal_area_km2,
    load_area_layers,
    source_list,
    to_lonlat,
    with_units,
    with_wdpa,
)
from amurgeo.io import Source
from amurgeo.measure import geodesic_area_km2

if TYPE_CHECKING:
    from amurgeo.wdpa import WdpaCleaning

__all__ = ["overlap", "overlap_matrix"]


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


def _layer_items(layers: Sequence[AreaLayer]) -> list[_Item]:
    return [_Item(ly.name, ly.dissolved, ly.low, ly.high, ly.area_km2) for ly in layers]


def _feature_items(layers: Sequence[AreaLayer]) -> list[_Item]:
    items = []
    for ly in layers:
        ly.hint_unnamed()
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
    geometries = np.full(count, EMPTY, dtype=object)
    for k in np.flatnonzero(is_candidate):
        a, b = items[want_i[k]], items[want_j[k]]
        lonlat = to_lonlat(shapely.intersection(a.ea, b.ea))
        area = 0.0 if lonlat.is_empty else geodesic_area_km2(lonlat)
        area = min(area, a.area_km2, b.area_km2)
        low = high_ = area
        if a.layer and a.layer == b.layer and area < INTERNAL_LINE_KM2:
            overlap_km2[k], low_km2[k], high_km2[k], geometries[k] = area, area, area, lonlat
            continue
        if a.low is not a.ea or b.low is not b.ea:
            low = min(area, equal_area_km2(shapely.intersection(a.low, b.low)))
        if a.high is not a.ea or b.high is not b.ea:
            high_ = max(area, equal_area_km2(shapely.intersection(a.high, b.high)))
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
    """Element-wise :func:`percent`: 100 * part / whole within 0-100, NaN where whole is 0."""
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
    name: Sequence[str | None] | None = None,
    name_col: str | None = None,
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
    name
        Names of `a` and `b` in the results, in place of their own (``(None, "parks")``).
    name_col
        Column that names the features of your layers (see :func:`area_table`).

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
    check_units(units)
    layers = load_area_layers(
        [a, b], name=name, name_col=name_col, uncertainty_km=uncertainty_km, wdpa=wdpa
    )
    if not per_feature:
        pairs = np.array([[0, 1]])
        table = _overlaps(_layer_items(layers), pairs, include_disjoint=True)
        return with_wdpa(with_units(table, units), layers)
    items = _feature_items(layers)
    count_a = len(layers[0].labels)
    left, right = np.meshgrid(np.arange(count_a), np.arange(count_a, len(items)), indexing="ij")
    pairs = np.column_stack([left.ravel(), right.ravel()])
    return with_wdpa(with_units(_overlaps(items, pairs, include_disjoint=True), units), layers)


def overlap_matrix(
    sources: Sources = None,
    *,
    per_feature: bool = False,
    include_disjoint: bool = True,
    units: str = "km2",
    uncertainty_km: float | None = None,
    wdpa: WdpaCleaning | None = None,
    name: str | Sequence[str | None] | None = None,
    name_col: str | None = None,
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
    units, uncertainty_km, wdpa, name, name_col
        As in :func:`area_table`.

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
    check_units(units)
    if sources is None:
        from amurgeo.catalog import leopard_overview_ids

        sources = [s for s in source_list(None) if s in leopard_overview_ids()]
    layers = load_area_layers(
        source_list(sources), name=name, name_col=name_col, uncertainty_km=uncertainty_km, wdpa=wdpa
    )
    items = _feature_items(layers) if per_feature else _layer_items(layers)
    table = _overlaps(items, None, include_disjoint=include_disjoint)
    return with_wdpa(with_units(table, units), layers)
