"""Layers read for the analyses: polygons in the equal-area projection, and their helpers.

Every analysis reads its sources with :func:`load_area_layer` into an :class:`AreaLayer`: the
lon/lat polygons, their equal-area copies (:data:`amurgeo.measure.EQUAL_AREA_CRS`), the
dissolved union and the shrunk (low) and grown (high) versions used for low-high ranges.
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
from amurgeo.io import Source, feature_labels, label_column, read_vector
from amurgeo.io.layers import unnamed_message, warn_unnamed
from amurgeo.measure import (
    UNITS,
    convert_km2,
    from_equal_area,
    geodesic_area_km2,
    grow,
    outline_bounds,
    shrink,
    to_equal_area,
)

__all__ = [
    "EMPTY",
    "ISO3_COLUMNS",
    "MAX_UNCERTAINTY_KM",
    "AreaLayer",
    "Sources",
    "areal_part",
    "check_units",
    "equal_area_km2",
    "geodesic_km2",
    "layer_names",
    "load_area_layer",
    "load_area_layers",
    "own_name_col",
    "percent",
    "project_areal",
    "source_list",
    "to_lonlat",
    "union_areal",
    "with_units",
    "with_wdpa",
]

#: Largest boundary uncertainty (km) taken: more is a unit slip (metres?), not an uncertainty.
MAX_UNCERTAINTY_KM = 1000.0

EMPTY = shapely.Polygon()
ISO3_COLUMNS = ("iso3", "ISO3", "iso_a3", "ISO_A3")
_POLYGONAL = POLYGONAL_TYPE_IDS

if TYPE_CHECKING:
    from amurgeo.wdpa import WdpaCleaning, WdpaSummary

#: One layer (id, path or GeoDataFrame), a list of them, or None (the default layers).
Sources: TypeAlias = Source | Sequence[Source] | None


def areal_part(geom: BaseGeometry | None) -> BaseGeometry:
    """The polygonal part of `geom` (an empty polygon if it has none)."""
    if geom is None or geom.is_empty:
        return EMPTY
    if shapely.get_type_id(geom) in _POLYGONAL:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if shapely.get_type_id(g) in _POLYGONAL]
    return shapely.union_all(parts) if parts else EMPTY


def project_areal(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat polygon to the equal-area CRS, valid and polygonal."""
    if geom.is_empty:
        return EMPTY
    projected = to_equal_area(geom)
    if not projected.is_valid:
        projected = areal_part(shapely.make_valid(projected))
    return projected


def geodesic_km2(ea_geom: BaseGeometry) -> float:
    """Geodesic area (km²) of an equal-area geometry, measured back in lon/lat."""
    poly = areal_part(ea_geom)
    return 0.0 if poly.is_empty else geodesic_area_km2(from_equal_area(poly))


def equal_area_km2(ea_geom: BaseGeometry) -> float:
    """Area (km²) in the equal-area projection (for low-high ranges, as in measure)."""
    return float(shapely.area(areal_part(ea_geom))) / 1e6


def to_lonlat(ea_geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of an equal-area geometry, back in lon/lat."""
    poly = areal_part(ea_geom)
    return EMPTY if poly.is_empty else from_equal_area(poly)


def union_areal(geoms: Sequence[BaseGeometry] | np.ndarray) -> BaseGeometry:
    kept = [g for g in geoms if g is not None and not g.is_empty]
    return areal_part(shapely.union_all(kept)) if kept else EMPTY


@dataclass
class AreaLayer:
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
    #: Why the `name_col` asked for did not name this layer's features (None: it did, or
    #: none was asked for).
    name_col_missing: str | None = None
    #: Why the features are labelled ``feature N`` and how to name them (None: named).
    unnamed: str | None = None

    def __post_init__(self) -> None:
        self.ea = [project_areal(g) for g in self.lonlat]

    def hint_unnamed(self) -> None:
        """Warn (once) where the features are numbered, by a result that names them."""
        warn_unnamed(self.unnamed)

    @cached_property
    def dissolved(self) -> BaseGeometry:
        """The union of every feature (equal-area)."""
        return union_areal(self.ea)

    @cached_property
    def area_km2(self) -> float:
        """Geodesic area of the dissolved layer (of the feature itself if there is one)."""
        present = [g for g in self.lonlat if not g.is_empty]
        if len(present) == 1:
            return geodesic_area_km2(present[0])
        return geodesic_km2(self.dissolved)

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
        return union_areal([self.feature_high(i) for i in range(len(self.ea))])

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
        return union_areal(parts)

    def feature_low(self, i: int) -> BaseGeometry:
        """Feature `i` shrunk by its uncertainty (edges on its national border stay)."""
        return areal_part(
            shrink(self.ea[i], float(self.uncertainty_m[i]), fixed_ea=self._outlines[i][1])
        )

    def feature_high(self, i: int) -> BaseGeometry:
        """Feature `i` grown by its uncertainty, not past its national border."""
        return grow(self.ea[i], float(self.uncertainty_m[i]), within_ea=self._outlines[i][0])


def _numeric_column(gdf: gpd.GeoDataFrame, column: str) -> np.ndarray:
    if column not in gdf.columns:
        return np.full(len(gdf), np.nan)
    return pd.to_numeric(gdf[column], errors="coerce").to_numpy(dtype=float)


def load_area_layer(
    source: Source,
    *,
    uncertainty_km: float | None = None,
    name: str | None = None,
    name_col: str | None = None,
    wdpa: WdpaCleaning | None = None,
) -> AreaLayer:
    """Read `source` and keep its polygons; refuse a layer that has none.

    `name` replaces the layer's name; `name_col` is the column that names its features (see
    :func:`amurgeo.io.label_column`). A layer without that column keeps its own names and
    records why in ``name_col_missing`` (see :func:`load_area_layers`).
    """
    gdf = read_vector(source, name=name, wdpa=wdpa)
    missing = None
    if name_col:
        try:
            label_column(gdf, name_col)
        except UsageError as error:
            missing, name_col = str(error), None
    layer = str(gdf.attrs["layer_id"])
    from_file = isinstance(source, (str, os.PathLike)) and gdf.attrs.get("source") != "catalog"
    where = str(gdf.attrs["source"]) if from_file else f"layer {layer!r}"
    if from_file and not len(gdf):
        # an empty file is a wrong file (a failed export); an empty GeoDataFrame is a result
        raise DataError(f"{where}: has no features; expected an area layer (polygons)")
    labels = feature_labels(gdf, name_col)
    polygons = [areal_part(g) for g in gdf.geometry.values]
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
    return AreaLayer(
        name=layer,
        labels=labels,
        lonlat=polygons,
        uncertainty_m=uncertainty * 1000.0,
        reported_km2=_numeric_column(gdf, "reported_area_km2"),
        within=_countries_of(gdf),
        wdpa=gdf.attrs.get("wdpa"),
        name_col_missing=missing,
        unnamed=unnamed_message(gdf, name_col),
    )


def load_area_layers(
    sources: Sequence[Source],
    *,
    name: str | Sequence[str | None] | None = None,
    name_col: str | None = None,
    uncertainty_km: float | None = None,
    wdpa: WdpaCleaning | None = None,
) -> list[AreaLayer]:
    """:func:`load_area_layer` for each source, named by `name` (see :func:`layer_names`).

    `name_col` names the features of every layer that has that column (your blocks beside a
    bundled park); a UsageError naming the first layer and its columns when none has it.
    """
    layers = [
        load_area_layer(s, uncertainty_km=uncertainty_km, wdpa=wdpa, name=n, name_col=name_col)
        for s, n in zip(sources, layer_names(name, len(sources)), strict=True)
    ]
    missing = [ly.name_col_missing for ly in layers]
    if name_col and layers and all(missing):
        raise UsageError(str(missing[0]))
    return layers


def own_name_col(gdf: gpd.GeoDataFrame, name_col: str | None) -> str | None:
    """`name_col` for a layer of the user's; None for a bundled layer that lacks it.

    So that ``--name-col block_id`` names the user's blocks and leaves the bundled parks
    they are compared with named as they are.
    """
    if name_col and gdf.attrs.get("source") == "catalog" and name_col not in gdf.columns:
        return None
    return name_col


def layer_names(name: str | Sequence[str | None] | None, count: int) -> list[str | None]:
    """One layer name (or None: the layer's own) for each of `count` inputs, from `name`.

    A string names the only input; a sequence names each input in order.

    Raises
    ------
    UsageError
        For a string with several inputs, or a sequence of another length.
    """
    if name is None:
        return [None] * count
    if isinstance(name, str):
        if count != 1:
            raise UsageError(
                f"name={name!r} names one layer but {count} are given; pass one name per "
                "layer, in order (None keeps a layer's own name)"
            )
        return [name]
    names = list(name)
    if len(names) != count:
        raise UsageError(
            f"name has {len(names)} names for {count} layers; expected one per layer, in order"
        )
    return names


# --- WDPA (amurgeo.wdpa): results say what the cleaning left out of each WDPA layer ---------


def with_wdpa(frame: Any, layers: Sequence[AreaLayer]) -> Any:
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


def source_list(sources: Sources) -> list[Source]:
    if sources is None:
        return list(_default_area_layers())
    if _is_single(sources):
        return [sources]
    return list(sources)  # type: ignore[arg-type]


def check_units(units: str) -> str:
    if units not in UNITS:
        raise UsageError(f"units {units!r} is not one of {', '.join(UNITS)}")
    return units


def with_units(frame: pd.DataFrame, units: str) -> pd.DataFrame:
    """Add a twin of every ``*geodesic_km2`` column in `units` (nothing to add for km²)."""
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


def percent(part: float, whole: float) -> float:
    if not whole > 0:
        return float("nan")
    return min(100.0, max(0.0, 100.0 * part / whole))
