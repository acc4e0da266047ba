"""Counting observations per protected area and per country."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.errors import DataError, DataWarning, UsageError
from amurgeo.geometry import points_in_features, polygonal_part
from amurgeo.io import Source, read_vector, source_path
from amurgeo.io.layers import LAYER_SEPARATOR
from amurgeo.observations.dates import check_time_zone, period_codes, period_labels
from amurgeo.observations.points import Observations, ObservationSource, ReadOptions
from amurgeo.observations.summarize import summarize
from amurgeo.schema import NO_COUNTRY

#: ``area`` of the row counting observations inside at least one area.
ANY_PROTECTED = "(any protected area)"
#: ``area`` of the row counting observations inside no area.
OUTSIDE_PROTECTION = "(outside protection)"


@dataclass
class Region:
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


def _region(key: str, kind: str, geom: Any) -> Region:
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.bounds(geom))
    return Region(key, kind, geom, (xmin, ymin, xmax, ymax))


#: ``area`` of the row counting observations inside at least one of the user's areas (when
#: none of them is a protected area).
ANY_AREA = "(inside any area)"
#: ``area`` of the row counting observations inside none of the user's areas.
OUTSIDE_AREAS = "(outside the areas)"
#: Attributes that mark a layer as protected areas (WDPA, the World Database on Protected
#: Areas, and layers derived from it).
WDPA_COLUMNS = ("wdpaid", "wdpa_pid", "desig_eng", "iucn_cat")


def _layer_kind(gdf: gpd.GeoDataFrame, default: str) -> str:
    if gdf.attrs.get("source") == "catalog":
        return "protected-area"
    if any(str(c).casefold() in WDPA_COLUMNS for c in gdf.columns):
        return "protected-area"
    return default


def area_regions(
    areas: Source | Sequence[Source] | None,
    *,
    per_feature: bool = False,
    name_col: str | None = None,
) -> list[Region]:
    """The regions to count in: each area layer dissolved, or each feature of it.

    Parameters
    ----------
    areas
        Area layers (ids, files or GeoDataFrames); None for every bundled protected area.
    per_feature
        One region per feature (features with the same name are dissolved together),
        named by :func:`amurgeo.io.feature_labels`; with several layers ``layer: name``.
    name_col
        Column naming the features (default: the usual name or id columns).

    Returns
    -------
    list of Region
        ``kind`` is ``protected-area`` for bundled layers and layers with WDPA attributes
        (``WDPAID``, ``DESIG_ENG``, ``IUCN_CAT``), else ``area``.
    """
    from amurgeo.catalog import catalog_entries
    from amurgeo.io import feature_labels

    if areas is None:
        sources: list[Source] = [
            e["id"] for e in catalog_entries() if e["kind"] == "protected-area"
        ]
    else:
        single = isinstance(areas, (str, os.PathLike, gpd.GeoDataFrame))
        sources = [areas] if single else list(areas)  # type: ignore[arg-type]
        if not sources:
            raise UsageError("`areas` is empty; name at least one area layer or pass None")
    layers = _distinct_layers(sources)
    regions = []
    for gdf in layers:
        name = str(gdf.attrs.get("layer_id") or "layer")
        kind = _layer_kind(gdf, "area")
        if not per_feature:
            regions.append(_region(name, kind, _polygonal(gdf.geometry.values, name)))
            continue
        grouped: dict[str, list[Any]] = {}
        for label, geom in zip(
            feature_labels(gdf, name_col, hint=True), gdf.geometry.values, strict=True
        ):
            key = label if len(layers) == 1 else f"{name}: {label}"
            grouped.setdefault(key, []).append(geom)
        regions += [_region(k, kind, _polygonal(g, k)) for k, g in grouped.items()]
    return regions


def _source_key(source: Source) -> tuple[Any, ...]:
    """What identifies an area source before reading it: the file (resolved), else its text."""
    if isinstance(source, gpd.GeoDataFrame):
        return ("frame", id(source))
    text = str(os.fspath(source))
    path, _, layer = text.partition(LAYER_SEPARATOR)
    if os.path.exists(text):
        return ("file", os.path.realpath(text), "")
    if os.path.exists(path):
        return ("file", os.path.realpath(path), layer)
    return ("text", text)


def _distinct_layers(sources: Sequence[Source]) -> list[gpd.GeoDataFrame]:
    """The area layers of `sources`, each read once: a layer given twice is counted once.

    Counting a layer twice would double its rows (its features are the same areas), so a
    repeat (the same file, however written, or the same bundled layer under another name) is
    dropped with a warning. Two different layers that would give the same row names are
    refused: their counts could not be told apart.
    """
    seen: set[tuple[Any, ...]] = set()
    by_name: dict[str, gpd.GeoDataFrame] = {}
    layers = []
    for source in sources:
        key = _source_key(source)
        gdf = None if key in seen else read_vector(source)
        name = "" if gdf is None else str(gdf.attrs.get("layer_id") or "layer")
        earlier = by_name.get(name)
        if gdf is not None and earlier is not None:
            if not (gdf.attrs.get("source") == earlier.attrs.get("source") == "catalog"):
                raise UsageError(
                    f"area layers {_shown(earlier)!r} and {_shown(gdf)!r} are both named "
                    f"{name!r}; their counts could not be told apart: rename one of the files"
                )
            gdf = None
        seen.add(key)
        if gdf is None:
            shown = source if isinstance(source, (str, os.PathLike)) else "GeoDataFrame"
            warnings.warn(
                f"area layer {os.fspath(shown)!r} is given more than once; counted once",
                DataWarning,
                stacklevel=3,
            )
            continue
        by_name[name] = gdf
        layers.append(gdf)
    return layers


def _shown(gdf: gpd.GeoDataFrame) -> str:
    return source_path(gdf) or str(gdf.attrs.get("layer_id") or "layer")


def summary_rows(regions: Sequence[Region]) -> tuple[tuple[str, str], tuple[str, str]]:
    """Names and kinds of the inside-any and outside rows for `regions`.

    ``(any protected area)`` / ``(outside protection)`` when one of them is a protected area,
    else ``(inside any area)`` / ``(outside the areas)``.
    """
    if any(r.kind == "protected-area" for r in regions):
        return (ANY_PROTECTED, "protected"), (OUTSIDE_PROTECTION, "outside")
    return (ANY_AREA, "inside"), (OUTSIDE_AREAS, "outside")


def country_regions(countries: Source | None) -> list[Region]:
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


def membership(
    points: Observations, areas: list[Region], countries: list[Region]
) -> tuple[list[str], list[str], list[np.ndarray]]:
    """Row keys, kinds and masks, in the order of the result table.

    Points are assigned by :func:`amurgeo.geometry.points_in_features`: a point in the
    interior of several areas counts in each; one only on boundaries counts once, in the
    first of those areas (countries alike).
    """
    lon, lat = points.lon, points.lat
    keys: list[str] = [r.key for r in areas]
    kinds: list[str] = [r.kind for r in areas]
    found = points_in_features([r.geom for r in areas], lon, lat)
    masks: list[np.ndarray] = list(found)
    any_area: np.ndarray = np.asarray(found.any(axis=0), dtype=bool)
    (inside, inside_kind), (outside, outside_kind) = summary_rows(areas)
    keys += [inside, outside]
    kinds += [inside_kind, outside_kind]
    masks += [any_area, ~any_area]
    if countries:
        in_countries = points_in_features([r.geom for r in countries], lon, lat)
        keys += [r.key for r in countries] + [NO_COUNTRY]
        kinds += ["country"] * (len(countries) + 1)
        in_none: np.ndarray = ~np.asarray(in_countries.any(axis=0), dtype=bool)
        masks += [*in_countries, in_none]
    return keys, kinds, masks


def _partial_counts(
    points: Observations, areas: list[Region], countries: list[Region], by: str | None = None
) -> pd.DataFrame:
    """Counts of one batch of points: one row per region (and period), int64 columns.

    Without `by` the index is the region keys in order; with `by` it is (region key, period
    code) for the periods present in the batch. Batches of a partitioned source are summed
    by :func:`_assemble`.
    """
    keys, kinds, masks = membership(points, areas, countries)
    codes = (
        np.zeros(len(points), dtype=np.int64)
        if by is None or points.times is None
        else period_codes(points.times, by)
    )
    # codes of one batch span few periods: offsets from the first, no sort needed
    first = int(codes.min()) if len(codes) else 0
    offsets = codes - first
    span = int(offsets.max()) + 1 if len(codes) else 1
    present = np.bincount(offsets, minlength=span) > 0 if len(codes) else np.ones(1, dtype=bool)
    if by is not None and not len(codes):
        present = np.zeros(0, dtype=bool)  # no observation, no period (not 1970, code 0)
    periods = np.flatnonzero(present) + first
    inverse = (np.cumsum(present) - 1)[offsets]
    if points.species is not None:
        s_codes, uniques = pd.factorize(points.species)
        columns = ["count", *(f"count_{name}" for name in uniques)]
    else:
        s_codes, uniques = np.zeros(len(points), dtype=np.int64), np.array([], dtype=object)
        columns = ["count"]
    width = max(len(uniques), 1)
    cell = inverse.astype(np.int64) * width + s_codes
    blocks = []
    for mask in masks:
        tally = np.bincount(cell[mask], minlength=len(periods) * width).reshape(-1, width)
        blocks.append(np.column_stack([tally.sum(axis=1), tally] if len(uniques) else [tally]))
    data = np.vstack(blocks) if blocks else np.zeros((0, len(columns)), dtype=np.int64)
    index = pd.MultiIndex.from_product([keys, periods.tolist()], names=["area", "period"])
    frame = pd.DataFrame(data[:, : len(columns)], index=index, columns=columns, dtype="int64")
    frame.insert(0, "kind", np.repeat(kinds, len(periods)))
    if by is None:
        frame = frame.droplevel("period")
    return frame


def _assemble(
    partials: list[pd.DataFrame],
    total: int,
    *,
    has_species: bool,
    by: str | None = None,
    species_keys: Iterable[str] = (),
) -> pd.DataFrame:
    """Sum per-batch counts into the result table (same for in-memory and partitioned).

    Every species of `species_keys` gets its ``count_<key>`` column, zeros where none of
    it was counted (outside the since/until window), so the columns do not depend on it.
    """
    first = partials[0]
    kinds = first["kind"].groupby(level=0, sort=False).first()
    order = list(kinds.index)
    numbers = pd.concat([p.drop(columns="kind") for p in partials]).fillna(0)
    level: Any = 0 if by is None else [0, 1]
    summed = numbers.groupby(level=level, sort=False).sum().astype("int64")
    counted = {c for c in summed.columns if c != "count"}
    species = sorted(counted | {f"count_{key}" for key in species_keys})
    if by is None:
        summed = summed.reindex(order)
        out = pd.DataFrame({"area": order, "kind": kinds.reindex(order).to_list()})
        out["count"] = summed["count"].to_numpy()
        out["pct"] = 100.0 * out["count"] / total if total else np.nan
    else:
        codes = sorted({int(c) for c in summed.index.get_level_values(1)})
        full = pd.MultiIndex.from_product([order, codes], names=["area", "period"])
        summed = summed.reindex(full, fill_value=0)
        labels = dict(zip(codes, period_labels(np.array(codes, dtype=np.int64), by), strict=True))
        out = pd.DataFrame(
            {
                "area": full.get_level_values(0),
                "kind": kinds.reindex(full.get_level_values(0)).to_list(),
                "period": [labels[int(c)] for c in full.get_level_values(1)],
            }
        )
        out["count"] = summed["count"].to_numpy()
        # % of the observations of that period: inside plus outside make 100 each period
        per_period = _period_totals(summed, kinds)
        out["pct"] = (
            100.0
            * out["count"].to_numpy()
            / np.maximum(per_period.reindex(full.get_level_values(1)).to_numpy(), 1)
        )
    if has_species:
        for column in species:
            out[column] = (
                summed[column].to_numpy() if column in counted else np.zeros(len(out), np.int64)
            )
    # a country with no observation in any period has no rows (the user's areas keep theirs)
    totals = out.groupby("area", sort=False)["count"].transform("sum")
    return out[(out["kind"] != "country") | (totals > 0)].reset_index(drop=True)


def _period_totals(summed: pd.DataFrame, kinds: pd.Series) -> pd.Series:
    """Observations per period code: the inside-any row plus the outside row."""
    rows = [k for k, kind in kinds.items() if kind in ("protected", "inside", "outside")]
    part = summed.loc[summed.index.get_level_values(0).isin(rows), "count"]
    return part.groupby(level=1).sum()


def count_observations(
    source: ObservationSource,
    *,
    areas: Source | Sequence[Source] | None = None,
    countries: Source | None = "countries",
    lon_col: str | None = None,
    lat_col: str | None = None,
    species_col: str | None = None,
    crs: Any = None,
    per_feature: bool = False,
    name_col: str | None = None,
    time_col: str | None = None,
    time_format: str | None = None,
    since: Any = None,
    until: Any = None,
    by: str | None = None,
    time_zone: str = "UTC",
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Count observations per protected area, inside and outside protection, and per country.

    Parameters
    ----------
    source
        Observations: a CSV/TSV, Parquet, GeoParquet or vector file, a directory of
        (Geo)Parquet partitions, an fsspec URL of Parquet (``s3://``, ``gs://``,
        ``abfs://``, ``https://``), a DataFrame with coordinate columns or a GeoDataFrame
        of points. Parquet is counted piece by piece (see
        :mod:`amurgeo.observations.partitions`), in the memory of one batch per worker.
    areas
        Area layers to count in (ids, files or GeoDataFrames), each dissolved. Default:
        every bundled protected area.
    countries
        Countries layer (default: the bundled ``countries``); None for no country rows.
        A country with no observation (in any period) has no row.
    lon_col, lat_col, species_col, crs
        As in :func:`read_observations`.
    per_feature
        Count in each feature of the area layers (named by `name_col`, else the usual name
        or id column) instead of each layer dissolved; a point on an edge two features share
        counts in the first of them (see Returns).
    name_col
        Column that names the features (with `per_feature`).
    time_col, time_format
        The date/time column (default: found by name, see
        :mod:`amurgeo.observations.dates`) and its strptime format when it is not one of
        those read by default.
    since, until
        Count only observations from the start of `since` to the end of `until`
        (``2021``, ``2021-05``, ``2021-05-03`` or a date-time).
    by
        ``year``, ``month``, ``week`` or ``day``: one row per region and period (a
        ``period`` column; ``pct`` is then % of that period's observations). Rows with no
        readable time are dropped with one warning.
    time_zone
        Zone the dates are read in, and `since`/`until` and the periods with them: an
        IANA name (``Asia/Vladivostok``) or an offset (``+10:00``); default ``UTC``.
        Values with an offset are converted into it, values without one taken as in it.
    workers
        Parquet only: local worker processes (default: every core for 2,000,000 rows or
        more, else this process; 1: this process, one piece after another).
    scheduler
        Parquet only: a dask.distributed scheduler address (``tcp://host:8786``) or
        ``Client`` to run on (default: the ``DASK_SCHEDULER_ADDRESS`` environment variable
        when `workers` is not given). Needs ``amurgeo[dask]``.
    storage_options
        fsspec options for a URL (credentials, ``anon``, endpoint ...), as dask takes them.

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``kind``, ``count``, ``pct`` and ``count_<species>`` (see the
        module documentation for the rows and the species keys). A point in the interior of
        several areas (true overlaps) counts in each of them; a point only on boundaries (the
        shared edge of two blocks) counts once, in the first of those areas in file order, so
        a grid of blocks adds up to the inside-any row; countries alike. Per-area counts of
        overlapping areas overlap;
        ``(any protected area)`` plus ``(outside protection)`` is every observation kept.
        ``attrs`` holds ``rows`` (read), ``dropped`` (for their coordinates or, when times
        are read, their time) and ``counted`` (kept, and inside `since` / `until`). With
        `by` and no observation to count, the table has no rows.

    Raises
    ------
    DataError
        When times are read (`by`, `since`, `until`) and no observation has a readable one.

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
    timed = by is not None or since is not None or until is not None
    check_time_zone(time_zone)
    if name_col is not None and not per_feature:  # else silently unused
        raise UsageError(
            f"name_col {name_col!r} names the features of per-feature counts: "
            "give per_feature=True too (--per-feature)"
        )
    found_areas = area_regions(areas, per_feature=per_feature, name_col=name_col)
    found_countries = country_regions(countries)
    tally = summarize(
        source,
        _count_batch,
        add_counts,
        shared=(found_areas, found_countries, by),
        options=ReadOptions(
            lon_col, lat_col, species_col, crs, time_col, time_format, time_zone=time_zone
        ),
        need_time=timed,
        since=since,
        until=until,
        workers=workers,
        scheduler=scheduler,
        storage_options=storage_options,
    )
    if tally.value is None:
        empty = Observations(np.zeros(0), np.zeros(0), None, "", "", times=np.zeros(0, "M8[ns]"))
        partials = [_partial_counts(empty, found_areas, found_countries, by)]
    else:
        partials = [tally.value]
    usable = tally.rows - tally.dropped
    if timed and usable and tally.untimed == usable:
        raise DataError(
            f"{_shown_source(source)}: none of the {usable:,} observations has a readable "
            f"date; {'counting by ' + by if by else 'since/until'} needs one (name its column "
            "and format: --time-col, --time-format)"
        )
    rows, dropped, total = tally.rows, tally.dropped + tally.untimed, tally.kept
    has_species = tally.has_species
    table = _assemble(partials, total, has_species=has_species, by=by, species_keys=tally.species)
    table.attrs.update(rows=rows, dropped=dropped, counted=total)
    return table


def _shown_source(source: ObservationSource) -> str:
    return os.fspath(source) if isinstance(source, (str, os.PathLike)) else "observations"


def _count_batch(
    points: Observations, shared: tuple[list[Region], list[Region], str | None]
) -> pd.DataFrame:
    """Counts of one batch of a partitioned source (runs on a worker)."""
    areas, countries, by = shared
    for region in (*areas, *countries):
        if not shapely.is_prepared(region.geom):  # polygons arrive pickled, unprepared
            shapely.prepare(region.geom)
    return _partial_counts(points, areas, countries, by)


def add_counts(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Two batches' count tables (from the same regions) summed into one."""
    kinds = pd.concat([a["kind"], b["kind"]])
    numbers = pd.concat([a.drop(columns="kind"), b.drop(columns="kind")]).fillna(0)
    level: Any = 0 if numbers.index.nlevels == 1 else [0, 1]
    summed = numbers.groupby(level=level, sort=False).sum().astype("int64")
    summed.insert(0, "kind", kinds.groupby(level=level, sort=False).first())
    return summed
