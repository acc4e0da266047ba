"""Area of every feature and of every dissolved layer, beside the reported area."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from amurgeo.analysis.layers import (
    Sources,
    check_units,
    equal_area_km2,
    load_area_layers,
    source_list,
    with_units,
    with_wdpa,
)
from amurgeo.measure import (
    area_range_km2,
    geodesic_area_km2,
)

if TYPE_CHECKING:
    from amurgeo.wdpa import WdpaCleaning

__all__ = ["FLAG_PCT", "LAYER_ROW", "area_table"]

#: ``feature`` value of the row that describes a whole (dissolved) layer in :func:`area_table`.
LAYER_ROW = "(all)"

#: Flag a computed area that differs from the reported one by more than this many percent.
FLAG_PCT = 10.0


def area_table(
    sources: Sources = None,
    *,
    units: str = "km2",
    uncertainty_km: float | None = None,
    flag_pct: float = FLAG_PCT,
    wdpa: WdpaCleaning | None = None,
    name: str | Sequence[str | None] | None = None,
    name_col: str | None = None,
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
    name
        Layer name(s) for the results, in place of each layer's own (a GeoDataFrame's
        ``attrs["layer_id"]``, else ``"layer"``; a file's stem): a string for one layer, else
        one per layer in order (None keeps a layer's own).
    name_col
        Column that names the features of your layers (default: ``attrs["name_col"]``, else
        ``name``, ``title``, ``label``, ``id``, ``code``, then a column ending in ``_id`` or
        ``ID``). A bundled layer without it keeps its names. A missing column is a
        UsageError naming the layer and its columns.

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
    check_units(units)
    rows: list[dict[str, Any]] = []
    layers = load_area_layers(
        source_list(sources), name=name, name_col=name_col, uncertainty_km=uncertainty_km, wdpa=wdpa
    )
    for layer in layers:
        layer.hint_unnamed()
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
            low, high = min(area, equal_area_km2(layer.low)), max(area, equal_area_km2(layer.high))
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
    return with_wdpa(with_units(frame, units), layers)


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
