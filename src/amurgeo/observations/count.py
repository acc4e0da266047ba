"""Counting observations per protected area and per country."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.errors import DataError, UsageError
from amurgeo.geometry import polygonal_part
from amurgeo.io import Source, read_vector
from amurgeo.observations.points import Observations, ObservationSource, warn_dropped
from amurgeo.observations.read import is_partitioned, read_points

#: ``area`` of the row counting observations inside at least one area.
ANY_PROTECTED = "(any protected area)"
#: ``area`` of the row counting observations inside no area.
OUTSIDE_PROTECTION = "(outside protection)"
#: ``area`` of the row counting observations inside no country.
NO_COUNTRY = "(no country)"


@dataclass
class _Region:
    key: str
    kind: str
    geom: Any  # lon/lat polygon, prepared
    bounds: tuple[float, float, float, float]


def _polygonal(geoms: Any, where: str) -> Any:
    parts = [part for part in map(polygonal_part, geoms) if part is not None]
    if not parts:
        raise DataError(f"layer {where!r}: has no polygons; expected an area layer")
    union = shapely.union_all(parts)
    shapely.prepare(union)
    return union


def _region(key: str, kind: str, geom: Any) -> _Region:
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.bounds(geom))
    return _Region(key, kind, geom, (xmin, ymin, xmax, ymax))


def _area_regions(areas: Source | Sequence[Source] | None) -> list[_Region]:
    from amurgeo.catalog import catalog_entries

    if areas is None:
        sources: list[Source] = [
            e["id"] for e in catalog_entries() if e["kind"] == "protected-area"
        ]
        kind = "protected-area"
    else:
        single = isinstance(areas, (str, os.PathLike, gpd.GeoDataFrame))
        sources = [areas] if single else list(areas)  # type: ignore[arg-type]
        kind = "area"
        if not sources:
            raise UsageError("`areas` is empty; name at least one area layer or pass None")
    regions = []
    for source in sources:
        gdf = read_vector(source)
        name = str(gdf.attrs.get("layer_id") or "layer")
        layer_kind = "protected-area" if gdf.attrs.get("source") == "catalog" else kind
        regions.append(_region(name, layer_kind, _polygonal(gdf.geometry.values, name)))
    return regions


def _country_regions(countries: Source | None) -> list[_Region]:
    if countries is None:
        return []
    from amurgeo.io import feature_labels

    gdf = read_vector(countries)
    code = next((c for c in ("iso3", "ISO3", "iso_a3", "ISO_A3") if c in gdf.columns), None)
    keys = [str(v) for v in gdf[code]] if code else feature_labels(gdf)
    grouped: dict[str, list[Any]] = {}
    for key, geom in zip(keys, gdf.geometry.values, strict=True):
        grouped.setdefault(key, []).append(geom)
    return [_region(k, "country", _polygonal(grouped[k], k)) for k in sorted(grouped)]


def _inside(region: _Region, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which points lie in `region` (boundary included): bounding box, then the polygon."""
    xmin, ymin, xmax, ymax = region.bounds
    candidates = np.flatnonzero((lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax))
    mask = np.zeros(len(lon), dtype=bool)
    if len(candidates):
        mask[candidates] = shapely.intersects_xy(region.geom, lon[candidates], lat[candidates])
    return mask


def _membership(
    points: Observations, areas: list[_Region], countries: list[_Region]
) -> tuple[list[str], list[str], list[np.ndarray]]:
    """Row keys, kinds and masks, in the order of the result table."""
    lon, lat = points.lon, points.lat
    keys: list[str] = []
    kinds: list[str] = []
    masks: list[np.ndarray] = []
    any_area = np.zeros(len(lon), dtype=bool)
    for region in areas:
        mask = _inside(region, lon, lat)
        any_area |= mask
        keys.append(region.key)
        kinds.append(region.kind)
        masks.append(mask)
    keys += [ANY_PROTECTED, OUTSIDE_PROTECTION]
    kinds += ["protected", "outside"]
    masks += [any_area, ~any_area]
    if countries:
        in_country = np.zeros(len(lon), dtype=bool)
        for region in countries:
            mask = _inside(region, lon, lat)
            in_country |= mask
            keys.append(region.key)
            kinds.append("country")
            masks.append(mask)
        keys.append(NO_COUNTRY)
        kinds.append("country")
        masks.append(~in_country)
    return keys, kinds, masks


def _partial_counts(
    points: Observations, areas: list[_Region], countries: list[_Region]
) -> pd.DataFrame:
    """Counts of one batch of points: one row per region (keys in order), int64 columns."""
    keys, kinds, masks = _membership(points, areas, countries)
    data: dict[str, Any] = {"count": [int(m.sum()) for m in masks]}
    if points.species is not None:
        codes, uniques = pd.factorize(points.species)
        for code, name in enumerate(uniques):
            chosen = codes == code
            data[f"count_{name}"] = [int((m & chosen).sum()) for m in masks]
    frame = pd.DataFrame(data, index=pd.Index(keys, name="area"), dtype="int64")
    frame.insert(0, "kind", kinds)
    return frame


def _assemble(partials: list[pd.DataFrame], total: int, *, has_species: bool) -> pd.DataFrame:
    """Sum per-batch counts into the result table (same for in-memory and partitioned)."""
    first = partials[0]
    order = list(first.index)
    kinds = first["kind"]
    numbers = pd.concat([p.drop(columns="kind") for p in partials]).fillna(0)
    summed = numbers.groupby(level=0, sort=False).sum().reindex(order).astype("int64")
    species = sorted(c for c in summed.columns if c != "count")
    out = pd.DataFrame({"area": order, "kind": kinds.reindex(order).to_list()})
    out["count"] = summed["count"].to_numpy()
    out["pct"] = 100.0 * out["count"] / total if total else np.nan
    if has_species:
        for column in species:
            out[column] = summed[column].to_numpy()
    return out


def count_observations(
    source: ObservationSource,
    *,
    areas: Source | Sequence[Source] | None = None,
    countries: Source | None = "countries",
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
) -> pd.DataFrame:
    """Count observations per protected area, inside and outside protection, and per country.

    Parameters
    ----------
    source
        Observations: a CSV/TSV, Parquet, GeoParquet or vector file, a directory of
        (Geo)Parquet partitions (summarized with dask-geopandas, ``amurgeo[dask]``), a
        DataFrame with coordinate columns or a GeoDataFrame of points.
    areas
        Area layers to count in (ids, files or GeoDataFrames), each dissolved. Default:
        every bundled protected area.
    countries
        Countries layer (default: the bundled ``countries``); None for no country rows.
    lon_col, lat_col, species_col, crs
        As in :func:`read_observations`.

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``kind``, ``count``, ``pct`` and ``count_<species>`` (see the
        module documentation for the rows and the species keys). Per-area counts overlap;
        ``(any protected area)`` plus ``(outside protection)`` is every observation kept.
        ``attrs`` holds ``rows`` (read) and ``dropped``.

    Examples
    --------
    >>> import pandas as pd
    >>> seen = pd.DataFrame({
    ...     "lon": [131.50, 131.20, 130.80, 133.50],
    ...     "lat": [43.10, 43.10, 43.05, 44.50],
    ...     "species": ["leopard", "leopard", "tiger", "tiger"],
    ... })
    >>> table = count_observations(seen).set_index("area")
    >>> areas = ["kedrovaya-pad", "land-of-the-leopard", "(outside protection)", "RUS"]
    >>> {area: int(table.loc[area, "count"]) for area in areas}
    {'kedrovaya-pad': 1, 'land-of-the-leopard': 2, '(outside protection)': 1, 'RUS': 3}
    >>> int(table.loc["land-of-the-leopard", "count_leopard"])
    2
    """
    area_regions = _area_regions(areas)
    country_regions = _country_regions(countries)
    if isinstance(source, (str, os.PathLike)) and is_partitioned(Path(os.fspath(source))):
        from amurgeo.observations.partitions import count_partitioned

        partials, rows, dropped, has_species = count_partitioned(
            Path(os.fspath(source)),
            lambda points: _partial_counts(points, area_regions, country_regions),
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
        )
        if dropped:
            warn_dropped(os.fspath(source), dropped, rows)
        total = rows - dropped
    else:
        points = read_points(
            source, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
        )
        partials = [_partial_counts(points, area_regions, country_regions)]
        rows, dropped, total = points.rows, points.dropped, len(points)
        has_species = points.species is not None
    table = _assemble(partials, total, has_species=has_species)
    table.attrs.update(rows=rows, dropped=dropped)
    return table
