"""Observation density on the map: equal-area hexagons drawn on one canvas."""

# ruff: noqa: RUF001

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib.resources import files
from typing import Any

import numpy as np

from amurgeo.errors import DataError, UsageError
from amurgeo.maps import i18n
from amurgeo.maps.popups import COORD_DECIMALS
from amurgeo.measure import TO_EQUAL_AREA
from amurgeo.observations import Observations
from amurgeo.observations.hexbin import (
    Hexes,
    Ladder,
    bin_levels,
    central_extent,
    density_levels_of,
    hexagon_area_km2,
)
from amurgeo.observations.partitions import is_piecewise
from amurgeo.observations.points import ReadOptions
from amurgeo.observations.read import read_points

#: At most this many occupied hexagons in one level, and in all levels together.
HEX_LEVEL_BUDGET = 25_000
HEX_TOTAL_BUDGET = 60_000
#: Hexagons are never smaller than this (metres across).
HEX_MIN_M = 100.0
#: The coarsest hexagons are about this many pixels across when the map opens.
HEX_PIXELS = 12
#: Coordinates in the page: 1e-5 degree (about 1 m), as in :mod:`amurgeo.maps`.
_SCALE = 100_000

#: Colours of the density classes, lowest first: ColorBrewer YlOrRd without its palest
#: yellows, which vanish on the cream land of the offline basemap (the lowest class, drawn at
#: 75 % over it, is darker than the land and differs from it by CIEDE2000 18).
DENSITY_COLORS = ("#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")

_TEXT: dict[str, tuple[str, str, str]] = {
    "layer": ("Observations: {name}", "Наблюдения: {name}", "观测记录：{name}"),
    "count": ("{n} observations", "наблюдений: {n}", "{n} 条观测记录"),
    "hexagon": (
        "in a hexagon {size} across ({area} km²)",
        "в шестиугольнике {size} в поперечнике ({area} км²)",
        "六边形宽 {size}（{area} 平方公里）",
    ),
    "per_km2": ("{range} per km²", "{range} на км²", "每平方公里 {range}"),
    "legend_note": (
        "{n} observations in equal-area hexagons ({sizes}), finer as you zoom in",
        "{n} наблюдений в равновеликих шестиугольниках ({sizes}), мельче при приближении",
        "{n} 条观测记录，按等面积六边形（{sizes}）汇总，放大后更精细",
    ),
    "simplified": (
        "drawn simplified to {tolerance} ({how}): the drawn area differs by {pct} % "
        "(at most {worst} % for one feature); areas and overlaps use the full detail "
        "({vertices} vertices, {drawn} drawn)",
        "нарисовано с упрощением до {tolerance} ({how}): площадь рисунка отличается на "
        "{pct} % (не более {worst} % для одного объекта); площади и перекрытия считаются "
        "по полной детализации ({vertices} вершин, нарисовано {drawn})",
        "绘制时简化至 {tolerance}（{how}）：绘制面积相差 {pct}%（单个要素最多 {worst}%）；"
        "面积与重叠按完整精度计算（{vertices} 个顶点，绘制 {drawn} 个）",
    ),
    "coverage": ("shared edges kept", "общие границы сохранены", "保留共用边界"),
    "topology": ("topology kept", "топология сохранена", "保持拓扑"),
    "drawing": ("Drawing", "Отрисовка", "绘制"),
}


def text(key: str, lang: str, **values: str) -> str:
    """A label of this module in `lang` (plain text: escape it before it reaches the page)."""
    words = _TEXT[key][i18n.LANGS.index(lang)]
    return words.format(**values) if values else words


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def distance_text(metres: float, lang: str) -> str:
    if metres >= 1000:
        km = metres / 1000.0
        decimals = 0 if km >= 10 or km.is_integer() else (1 if (km * 10).is_integer() else 2)
        return f"{i18n.number(km, lang, decimals)} {'км' if lang == 'ru' else 'km'}"
    return f"{i18n.number(metres, lang, 0)} {'м' if lang == 'ru' else 'm'}"


def nice_floor(value: float) -> float:
    """The largest of 1, 2, 5 x 10^k not above `value`."""
    if value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (5.0, 2.0, 1.0):
        if step * power <= value * (1 + 1e-9):
            return step * power
    return power


def ladder_for(frame: list[list[float]], *, total_budget: int = HEX_TOTAL_BUDGET) -> Ladder:
    """The hexagon sizes of a map whose opening view is `frame` ([[S, W], [N, E]]).

    The coarsest is about :data:`HEX_PIXELS` pixels across when the map opens on a screen
    about 1,000 pixels wide; each next level is half as wide, down to :data:`HEX_MIN_M`,
    while it stays within the hexagon budgets.
    """
    (south, west), (north, east) = frame
    xs, ys = TO_EQUAL_AREA.transform([west, east, west, east], [south, south, north, north])
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1000.0)
    size = max(nice_floor(extent * HEX_PIXELS / 1000.0), HEX_MIN_M)
    sizes = [size]
    while size / 2 >= HEX_MIN_M:
        size /= 2
        sizes.append(size)
    return Ladder(tuple(sizes), HEX_LEVEL_BUDGET, total_budget)


def density_levels(
    points: Observations, frame: list[list[float]], *, total_budget: int = HEX_TOTAL_BUDGET
) -> list[Hexes]:
    """Hexagon levels of observations in memory for a map opening on `frame`."""
    return bin_levels(points, ladder_for(frame, total_budget=total_budget))


def frame_with_levels(frame: list[list[float]], levels: list[Hexes]) -> list[list[float]]:
    """`frame` grown to hold the central 98 % of the observations (far outliers never count).

    Taken from the finest level: the count-weighted 1 % and 99 % quantiles of its hexagon
    centres' longitudes and latitudes (within half a hexagon of those of the points), so a
    partitioned folder is framed from its bins, never from its points.
    """
    west, south, east, north = central_extent(levels[-1], 0.01)
    r = COORD_DECIMALS
    return [
        [round(min(frame[0][0], south), r), round(min(frame[0][1], west), r)],
        [round(max(frame[1][0], north), r), round(max(frame[1][1], east), r)],
    ]


@dataclass
class ObservedDensity:
    """The observations of a map, binned: what the density layer and the frame need.

    Attributes
    ----------
    name, where
        The source's short name and the path as given (shown on the map).
    count
        Observations binned.
    levels
        Occupied hexagons, coarsest level first.
    frame
        The opening frame grown to hold the central 98 % of the observations.
    """

    name: str
    where: str
    count: int
    levels: list[Hexes]
    frame: list[list[float]]


def observed_density(
    observations: Any,
    frame: list[list[float]],
    *,
    options: ReadOptions | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
) -> ObservedDensity:
    """Bin the observations of a map opening on `frame` (before they grow it).

    Parquet (a file, a folder of partitions, a URL) is binned where it is read (this
    process, local workers or a dask cluster; see
    :func:`amurgeo.observations.hexbin.density_levels_of`): only occupied hexagons reach
    this process. Other sources are read in memory and binned by the same
    :func:`~amurgeo.observations.hexbin.bin_levels`, so both give the same levels.

    The sizes follow from the frame, and the frame grows with the observations: they are
    binned at the sizes of `frame`, the frame is grown from the finest level, and when the
    grown frame calls for other sizes they are binned once more at those (two passes over
    the data at most).

    Raises
    ------
    DataError
        When no observation has usable coordinates.
    UsageError
        For `workers`, `scheduler` or `storage_options` with a source read in memory.
    """
    # times are not binned: read none, so that none is dropped for being unreadable
    options = replace(options or ReadOptions(), time_col=None, time_format=None)
    binned: Callable[[Ladder], tuple[list[Hexes] | None, int, str, str]]
    if is_piecewise(observations):

        def binned(ladder: Ladder) -> tuple[list[Hexes] | None, int, str, str]:
            tally = density_levels_of(
                observations,
                ladder,
                options=options,
                workers=workers,
                scheduler=scheduler,
                storage_options=storage_options,
            )
            return tally.value, tally.kept, tally.name, tally.where

    else:
        if workers is not None or scheduler is not None or storage_options:
            raise UsageError(
                "workers, scheduler and storage options are for Parquet observations (a "
                "file, a folder of partitions or a URL); these are read in memory"
            )
        points = read_points(observations, **options.keywords())

        def binned(ladder: Ladder) -> tuple[list[Hexes] | None, int, str, str]:
            levels = bin_levels(points, ladder) if len(points) else None
            return levels, len(points), points.name, points.where

    ladder = ladder_for(frame)
    levels, count, name, where = binned(ladder)
    if levels is None or not count:
        raise DataError(f"{where}: holds no observation with usable coordinates")
    grown = frame_with_levels(frame, levels)
    again = ladder_for(grown)
    if again.sizes != ladder.sizes:
        levels, count, name, where = binned(again)
        assert levels is not None
        grown = frame_with_levels(frame, levels)
    return ObservedDensity(name, where, count, levels, grown)


def _breaks(levels: list[Hexes]) -> list[float]:
    """Class breaks (observations per km²) on a 1-2-5 scale spanning every level."""
    densities = np.concatenate([lv.count / hexagon_area_km2(lv.size_m) for lv in levels])
    low, high = float(densities.min()), float(densities.max())
    if high <= low * 1.5:
        return []
    series = []
    power = 10.0 ** math.floor(math.log10(low))
    while power <= high * 10:
        series += [power, 2 * power, 5 * power]
        power *= 10
    inner = [b for b in series if low < b < high]
    count = len(DENSITY_COLORS) - 1
    if len(inner) > count:
        # keep `count` breaks spread evenly on the log scale
        picks = np.linspace(0, len(inner) - 1, count).round().astype(int)
        inner = [inner[i] for i in dict.fromkeys(picks.tolist())]
    return inner


def _number(value: float, lang: str) -> str:
    decimals = 0 if value >= 1 or value == 0 else max(0, -math.floor(math.log10(value)))
    return i18n.number(value, lang, decimals)


def _encode(level: Hexes, breaks: list[float], species: list[str]) -> dict[str, Any]:
    """One level: reference vertex offsets and, per hexagon, corrections and counts."""
    lon, lat = level.vertices_lonlat()
    vlon = np.round(lon * _SCALE).astype(np.int64)
    vlat = np.round(lat * _SCALE).astype(np.int64)
    clon, clat = (
        vlon.mean(axis=1).round().astype(np.int64),
        vlat.mean(axis=1).round().astype(np.int64),
    )
    dlon, dlat = vlon - clon[:, None], vlat - clat[:, None]
    offsets = np.empty((len(level), 12), dtype=np.int64)
    offsets[:, 0::2], offsets[:, 1::2] = dlon, dlat
    middle = int(np.argsort(clat, kind="stable")[len(clat) // 2])
    reference = offsets[middle].copy()
    density = level.count / hexagon_area_km2(level.size_m)
    klass = np.searchsorted(np.asarray(breaks, dtype=float), density, side="right")
    # north to south, west to east: the same order for the same data
    order = np.lexsort((clon, -clat))
    columns = [clon[:, None], clat[:, None], offsets - reference[None, :], level.count[:, None]]
    columns.append(klass[:, None])
    for name in species:
        columns.append(level.species.get(name, np.zeros(len(level), np.int64))[:, None])
    cells = np.hstack(columns)[order]
    return {
        "sizeM": float(level.size_m),
        "ref": reference.tolist(),
        "stride": int(cells.shape[1]),
        "cells": cells.ravel().tolist(),
    }


def density_spec(density: ObservedDensity, index: int, lang: str, group: int) -> dict[str, Any]:
    """The overlay spec of an observation density layer (``kind`` ``"density"``)."""
    levels = density.levels
    breaks = _breaks(levels)
    species = sorted({name for lv in levels for name in lv.species})
    show_species = species if 1 < len(species) <= 8 else []
    name = text("layer", lang, name=density.name)
    bounds = [-math.inf, *breaks, math.inf]
    legend = []
    for k in range(len(breaks) + 1):
        lo, hi = bounds[k], bounds[k + 1]
        if math.isinf(lo):
            span = f"< {_number(hi, lang)}" if breaks else f"{_number(0, lang)}+"
        elif math.isinf(hi):
            span = f"≥ {_number(lo, lang)}"
        else:
            span = f"{_number(lo, lang)}–{_number(hi, lang)}"
        color = DENSITY_COLORS[min(k, len(DENSITY_COLORS) - 1)] if breaks else DENSITY_COLORS[3]
        legend.append(
            {
                "style": {"color": color, "fillColor": color, "fillOpacity": 0.75, "shape": "area"},
                "labelHtml": _esc(text("per_km2", lang, range=span)),
            }
        )
    sizes = ", ".join(distance_text(lv.size_m, lang) for lv in levels)
    level_texts = [
        _esc(
            text(
                "hexagon",
                lang,
                size=distance_text(lv.size_m, lang),
                area=_number(round(hexagon_area_km2(lv.size_m), 3), lang),
            )
        )
        for lv in levels
    ]
    colors = list(DENSITY_COLORS) if breaks else [DENSITY_COLORS[3]]
    return {
        "id": f"overlay-{index}",
        "kind": "density",
        "group": group,
        "nameHtml": _esc(name),
        "pane": "amurgeo-density",
        "zIndex": 390,
        "colors": colors,
        "fillOpacity": 0.75,
        "scale": _SCALE,
        "hexPixels": HEX_PIXELS,
        "countHtml": _esc(text("count", lang, n="{n}")),
        "levelHtml": level_texts,
        "speciesHtml": [_esc(s.replace("_", " ")) for s in show_species],
        "noteHtml": _esc(
            text("legend_note", lang, n=i18n.number(density.count, lang), sizes=sizes)
        ),
        "legend": legend,
        "levels": [_encode(lv, breaks, show_species) for lv in levels],
        "points": density.count,
    }


def hex_script() -> str:
    """The page script that draws density layers (``amurgeo.hexLayer``)."""
    return (files("amurgeo.maps") / "static" / "obs_map.js").read_text(encoding="utf-8")
