"""Coverage of a target layer by protecting layers, and the gap they leave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.analysis.layers import (
    ISO3_COLUMNS,
    AreaLayer,
    areal_part,
    check_units,
    equal_area_km2,
    geodesic_km2,
    load_area_layer,
    own_name_col,
    percent,
    project_areal,
    source_list,
    to_lonlat,
    union_areal,
    with_units,
    with_wdpa,
)
from amurgeo.errors import UsageError
from amurgeo.io import Source, feature_labels, read_vector
from amurgeo.measure import geodesic_area_km2
from amurgeo.schema import NO_COUNTRY

if TYPE_CHECKING:
    from amurgeo.wdpa import WdpaCleaning

__all__ = ["coverage", "gap"]


def _by_layers(
    by: Source | Sequence[Source],
    uncertainty_km: float | None,
    wdpa: WdpaCleaning | None = None,
) -> list[AreaLayer]:
    sources = source_list(by)
    if not sources:
        raise UsageError("`by` is empty; expected one or more protecting layers")
    return [load_area_layer(s, uncertainty_km=uncertainty_km, wdpa=wdpa) for s in sources]


def coverage(
    target: Source,
    by: Source | Sequence[Source],
    *,
    per_country: bool = False,
    countries: Source = "countries",
    units: str = "km2",
    uncertainty_km: float | None = None,
    wdpa: WdpaCleaning | None = None,
    name: str | None = None,
    name_col: str | None = None,
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
        gets the row ``"(no country)"``; a country the target does not reach (no more than
        a millionth of the target, or 0.001 km², along a border) has no row.
    countries
        The countries layer (default: the bundled ``countries``).
    units, uncertainty_km
        As in :func:`overlap`; the low (high) covered area is that of every boundary shrunk
        (grown).
    wdpa
        How to clean WDPA extracts among `target` and `by` (see :func:`area_table`).
    name
        Name of `target` in the result, in place of its own (a GeoDataFrame's
        ``attrs["layer_id"]``, else ``"layer"``); name the `by` layers with their
        ``attrs["layer_id"]``.
    name_col
        Column that names the regions of `countries` when it is your layer (districts,
        ranger sections): the ``country`` of each row. A missing column is a UsageError
        naming the layer and its columns.

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
    check_units(units)
    tgt = load_area_layer(target, uncertainty_km=uncertainty_km, wdpa=wdpa, name=name)
    layers = _by_layers(by, uncertainty_km, wdpa)
    by_label = " + ".join(ly.name for ly in layers)
    union = union_areal([ly.dissolved for ly in layers])
    union_low = union_areal([ly.low for ly in layers])
    union_high = union_areal([ly.high for ly in layers])
    covered = shapely.intersection(tgt.dissolved, union)
    covered_low = shapely.intersection(tgt.low, union_low)
    covered_high = shapely.intersection(tgt.high, union_high)

    def row(country: str | None, clip: BaseGeometry | None) -> dict[str, Any]:
        def cut(geom: BaseGeometry) -> BaseGeometry:
            return geom if clip is None else shapely.intersection(geom, clip)

        target_km2 = tgt.area_km2 if clip is None else geodesic_km2(cut(tgt.dissolved))
        covered_km2 = min(geodesic_km2(cut(covered)), target_km2)
        return {
            "target": tgt.name,
            "by": by_label,
            "country": country,
            "target_km2": target_km2,
            "covered_km2": covered_km2,
            "covered_km2_low": min(covered_km2, equal_area_km2(cut(covered_low))),
            "covered_km2_high": max(covered_km2, equal_area_km2(cut(covered_high))),
            "covered_pct": percent(covered_km2, target_km2),
        }

    rows = []
    if not per_country:
        rows.append(row(None, None))
    else:
        frame = read_vector(countries)
        region_col = own_name_col(frame, name_col)
        code = next((c for c in ISO3_COLUMNS if c in frame.columns), None)
        if region_col:
            keys = feature_labels(frame, region_col)
        else:
            keys = [str(v) for v in frame[code]] if code else feature_labels(frame)
        land: dict[str, list[BaseGeometry]] = {}
        for key, geom in zip(keys, frame.geometry.values, strict=True):
            land.setdefault(key, []).append(project_areal(areal_part(geom)))
        whole = tgt.dissolved
        # a country the target does not reach has no row: slivers of rounding along a
        # border (a millionth of a km²) are nothing
        nothing_km2 = max(1e-3, 1e-6 * geodesic_km2(whole))
        inside = []
        for key in sorted(land):
            shape = union_areal(land[key])
            inside.append(shape)
            if (
                shape.intersects(whole)
                and geodesic_km2(shapely.intersection(whole, shape)) > nothing_km2
            ):
                rows.append(row(key, shape))
        rest = whole.difference(union_areal(inside)) if inside else whole
        if geodesic_km2(rest) > nothing_km2:
            rows.append(row(NO_COUNTRY, rest))
        if not rows:
            rows.append(row(None, None))
    frame_out = pd.DataFrame(rows)
    return with_wdpa(with_units(frame_out, units), [tgt, *layers])


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
    check_units(units)
    tgt = load_area_layer(target, uncertainty_km=uncertainty_km, wdpa=wdpa)
    layers = _by_layers(by, uncertainty_km, wdpa)
    union = union_areal([ly.dissolved for ly in layers])
    outside = areal_part(shapely.difference(tgt.dissolved, union))
    lonlat = to_lonlat(outside)
    target_km2 = tgt.area_km2
    gap_km2 = min(target_km2, 0.0 if lonlat.is_empty else geodesic_area_km2(lonlat))
    low = equal_area_km2(shapely.difference(tgt.low, union_areal([ly.high for ly in layers])))
    high = equal_area_km2(shapely.difference(tgt.high, union_areal([ly.low for ly in layers])))
    record = {
        "target": tgt.name,
        "by": " + ".join(ly.name for ly in layers),
        "target_km2": target_km2,
        "gap_km2": gap_km2,
        "gap_km2_low": min(low, gap_km2),
        "gap_km2_high": max(high, gap_km2),
        "gap_pct": percent(gap_km2, target_km2),
    }
    result = gpd.GeoDataFrame(
        pd.DataFrame([record]), geometry=gpd.GeoSeries([lonlat], crs="EPSG:4326")
    )
    return with_wdpa(with_units(result, units), [tgt, *layers])


# --------------------------------------------------------------------------------------------
