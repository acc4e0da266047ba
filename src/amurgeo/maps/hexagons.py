"""Observation density on the map: equal-area hexagons drawn on one canvas."""

# ruff: noqa: RUF001

from __future__ import annotations

import html
import math
from importlib.resources import files
from typing import Any

import numpy as np

from amurgeo.maps import i18n
from amurgeo.measure import TO_EQUAL_AREA
from amurgeo.observations import Observations
from amurgeo.observations.hexbin import Hexes, bin_hexagons, hexagon_area_km2, project_points

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


def density_levels(
    points: Observations, frame: list[list[float]], *, total_budget: int = HEX_TOTAL_BUDGET
) -> list[Hexes]:
    """Hexagon levels for a map whose opening view is `frame` ([[S, W], [N, E]]).

    The coarsest is about :data:`HEX_PIXELS` pixels across when the map opens on a screen
    about 1,000 pixels wide; each next level is half as wide, while it stays within the
    hexagon budgets and above :data:`HEX_MIN_M`.
    """
    (south, west), (north, east) = frame
    xs, ys = TO_EQUAL_AREA.transform([west, east, west, east], [south, south, north, north])
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1000.0)
    size = max(nice_floor(extent * HEX_PIXELS / 1000.0), HEX_MIN_M)
    x, y = project_points(points)
    levels = [bin_hexagons(x, y, size, points.species)]
    total = len(levels[0])
    while size / 2 >= HEX_MIN_M:
        size /= 2
        finer = bin_hexagons(x, y, size, points.species)
        if len(finer) > HEX_LEVEL_BUDGET or total + len(finer) > total_budget:
            break
        levels.append(finer)
        total += len(finer)
    return levels


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


def density_spec(
    points: Observations, frame: list[list[float]], index: int, lang: str, group: int
) -> dict[str, Any]:
    """The overlay spec of an observation density layer (``kind`` ``"density"``)."""
    levels = density_levels(points, frame)
    breaks = _breaks(levels)
    species = sorted({name for lv in levels for name in lv.species})
    show_species = species if 1 < len(species) <= 8 else []
    name = text("layer", lang, name=points.name)
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
        "noteHtml": _esc(text("legend_note", lang, n=i18n.number(len(points), lang), sizes=sizes)),
        "legend": legend,
        "levels": [_encode(lv, breaks, show_species) for lv in levels],
        "points": len(points),
    }


def hex_script() -> str:
    """The page script that draws density layers (``amurgeo.hexLayer``)."""
    return (files("amurgeo.maps") / "static" / "obs_map.js").read_text(encoding="utf-8")
