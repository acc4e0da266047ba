"""What :mod:`amurgeo.maps` draws for big data: observation density and detailed boundaries.

* **Observations** become equal-area hexagons at a few sizes (coarse for the overview, finer
  when zoomed in), only the occupied ones, drawn on one canvas by ``_obs_map.js``: the page
  grows with the number of occupied hexagons, never with the number of points, and there is
  no DOM element per point or per hexagon.
* **Detailed user boundaries** (more than :data:`DRAW_VERTICES` vertices in a layer) are drawn
  simplified in :data:`amurgeo.measure.EQUAL_AREA_CRS` with a tolerance sized for the screen,
  keeping topology (shared edges stay shared with ``coverage_simplify`` when the polygons
  form a coverage). Areas, overlaps and popups keep using the full detail; the tolerance and
  the area difference of the drawing are stated on the map.

Strings that reach the page are escaped here (``*Html`` fields), as in :mod:`amurgeo.maps`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
import pyproj
import shapely

from amurgeo import _map_i18n as i18n
from amurgeo.measure import EQUAL_AREA_CRS
from amurgeo.observations import _hexbin, _Hexes, _Points, _project, hexagon_area_km2

__all__ = [
    "DRAW_VERTICES",
    "HEX_TOTAL_BUDGET",
    "Simplified",
    "density_levels",
    "density_spec",
    "hex_script",
    "simplify_for_drawing",
]

#: A user layer with more vertices than this is drawn simplified (about 1.6 MB of coordinates).
DRAW_VERTICES = 80_000
#: At most this many occupied hexagons in one level, and in all levels together.
HEX_LEVEL_BUDGET = 25_000
HEX_TOTAL_BUDGET = 60_000
#: Hexagons are never smaller than this (metres across).
HEX_MIN_M = 100.0
#: The coarsest hexagons are about this many pixels across when the map opens.
HEX_PIXELS = 12
#: Coordinates in the page: 1e-5 degree (about 1 m), as in :mod:`amurgeo.maps`.
_SCALE = 100_000

_COLORS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")

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


def _distance_text(metres: float, lang: str) -> str:
    if metres >= 1000:
        km = metres / 1000.0
        decimals = 0 if km >= 10 or km.is_integer() else (1 if (km * 10).is_integer() else 2)
        return f"{i18n.number(km, lang, decimals)} {'км' if lang == 'ru' else 'km'}"
    return f"{i18n.number(metres, lang, 0)} {'м' if lang == 'ru' else 'm'}"


def _nice_floor(value: float) -> float:
    """The largest of 1, 2, 5 x 10^k not above `value`."""
    if value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (5.0, 2.0, 1.0):
        if step * power <= value * (1 + 1e-9):
            return step * power
    return power


# ---------------------------------------------------------------------------------------------
# Observation density
# ---------------------------------------------------------------------------------------------


def density_levels(
    points: _Points, frame: list[list[float]], *, total_budget: int = HEX_TOTAL_BUDGET
) -> list[_Hexes]:
    """Hexagon levels for a map whose opening view is `frame` ([[S, W], [N, E]]).

    The coarsest is about :data:`HEX_PIXELS` pixels across when the map opens on a screen
    about 1,000 pixels wide; each next level is half as wide, while it stays within the
    hexagon budgets and above :data:`HEX_MIN_M`.
    """
    (south, west), (north, east) = frame
    xs, ys = _TO_EA.transform([west, east, west, east], [south, south, north, north])
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1000.0)
    size = max(_nice_floor(extent * HEX_PIXELS / 1000.0), HEX_MIN_M)
    x, y = _project(points)
    levels = [_hexbin(x, y, size, points.species)]
    total = len(levels[0])
    while size / 2 >= HEX_MIN_M:
        size /= 2
        finer = _hexbin(x, y, size, points.species)
        if len(finer) > HEX_LEVEL_BUDGET or total + len(finer) > total_budget:
            break
        levels.append(finer)
        total += len(finer)
    return levels


_TO_EA = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def _breaks(levels: list[_Hexes]) -> list[float]:
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
    count = len(_COLORS) - 1
    if len(inner) > count:
        # keep `count` breaks spread evenly on the log scale
        picks = np.linspace(0, len(inner) - 1, count).round().astype(int)
        inner = [inner[i] for i in dict.fromkeys(picks.tolist())]
    return inner


def _number(value: float, lang: str) -> str:
    decimals = 0 if value >= 1 or value == 0 else max(0, -math.floor(math.log10(value)))
    return i18n.number(value, lang, decimals)


def _encode(level: _Hexes, breaks: list[float], species: list[str]) -> dict[str, Any]:
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
    points: _Points, frame: list[list[float]], index: int, lang: str, group: int
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
        color = _COLORS[min(k, len(_COLORS) - 1)] if breaks else _COLORS[3]
        legend.append(
            {
                "style": {"color": color, "fillColor": color, "fillOpacity": 0.75, "shape": "area"},
                "labelHtml": _esc(text("per_km2", lang, range=span)),
            }
        )
    sizes = ", ".join(_distance_text(lv.size_m, lang) for lv in levels)
    level_texts = [
        _esc(
            text(
                "hexagon",
                lang,
                size=_distance_text(lv.size_m, lang),
                area=_number(round(hexagon_area_km2(lv.size_m), 3), lang),
            )
        )
        for lv in levels
    ]
    colors = list(_COLORS) if breaks else [_COLORS[3]]
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
    return (files("amurgeo") / "_obs_map.js").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Detailed boundaries
# ---------------------------------------------------------------------------------------------


@dataclass
class Simplified:
    """Drawing geometries of a detailed layer and what the simplification cost."""

    geoms: list[Any]
    tolerance_m: float
    coverage: bool
    vertices: int
    drawn_vertices: int
    area_diff_pct: float
    worst_pct: float

    def note(self, lang: str) -> str:
        """The plain-text sentence stated on the map."""
        return text(
            "simplified",
            lang,
            tolerance=_distance_text(self.tolerance_m, lang),
            how=text("coverage" if self.coverage else "topology", lang),
            pct=i18n.number(self.area_diff_pct, lang, 2),
            worst=i18n.number(self.worst_pct, lang, 2),
            vertices=i18n.number(self.vertices, lang),
            drawn=i18n.number(self.drawn_vertices, lang),
        )


def _to_ea(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(
        geoms, lambda xy: np.column_stack(_TO_EA.transform(xy[:, 0], xy[:, 1]))
    )


_FROM_EA = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4326", always_xy=True)


def _from_ea(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(
        geoms, lambda xy: np.column_stack(_FROM_EA.transform(xy[:, 0], xy[:, 1]))
    )


def _is_coverage(geoms: np.ndarray) -> bool:
    """Polygons that touch along edges and do not overlap (a coverage, e.g. parcels)."""
    if len(geoms) < 2 or not hasattr(shapely, "coverage_simplify"):
        return False
    boxes = shapely.box(*shapely.bounds(geoms).T)
    left, right = shapely.STRtree(boxes).query(boxes, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return False  # no neighbours: plain simplification keeps topology
    # polygons whose insides overlap are no coverage: a sample of neighbours tells quickly
    sample = np.linspace(0, len(left) - 1, min(len(left), 200)).astype(int)
    if shapely.relate_pattern(geoms[left[sample]], geoms[right[sample]], "T********").any():
        return False
    try:
        return bool(shapely.coverage_is_valid(geoms))
    except Exception:
        return False


def simplify_for_drawing(geoms: Any, *, max_vertices: int = DRAW_VERTICES) -> Simplified | None:
    """Simplified lon/lat polygons for drawing a layer, or None if it is small enough.

    The tolerance starts at 1/2000 of the layer's extent in the equal-area projection (about
    half a pixel when the whole layer fills a screen), rounded down to 1, 2 or 5 x 10^k m,
    and doubles (at most 4 times) until the drawing has at most `max_vertices` vertices.
    """
    array = np.asarray(list(geoms), dtype=object)
    present = np.array([g is not None and not g.is_empty for g in array], dtype=bool)
    vertices = int(shapely.get_num_coordinates(array[present]).sum()) if present.any() else 0
    polygonal = present & np.isin(shapely.get_type_id(array), (3, 6))
    if vertices <= max_vertices or not polygonal.any():
        return None
    full = _to_ea(array[polygonal])
    xmin, ymin, xmax, ymax = shapely.total_bounds(full)
    extent = max(xmax - xmin, ymax - ymin)
    tolerance = max(_nice_floor(extent / 2000.0), 1.0)
    coverage = _is_coverage(full)
    others = vertices - int(shapely.get_num_coordinates(array[polygonal]).sum())
    for _ in range(4):
        # plain Douglas-Peucker is 10x faster and drops about as many vertices: use it to
        # pick the tolerance, then simplify once keeping topology
        rough = int(shapely.get_num_coordinates(shapely.simplify(full, tolerance)).sum())
        if rough + others <= max_vertices:
            break
        tolerance *= 2
    if coverage:
        simple = shapely.coverage_simplify(full, tolerance, simplify_boundary=True)
    else:
        simple = shapely.simplify(full, tolerance, preserve_topology=True)
    drawn = int(shapely.get_num_coordinates(simple).sum())
    full_area = shapely.area(full)
    simple_area = shapely.area(simple)
    total = float(full_area.sum())
    diff = 100.0 * float(simple_area.sum() - total) / total if total > 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        each = np.where(full_area > 0, 100.0 * np.abs(simple_area - full_area) / full_area, 0.0)
    out = array.copy()
    out[polygonal] = _from_ea(simple)
    return Simplified(
        geoms=list(out),
        tolerance_m=float(tolerance),
        coverage=coverage,
        vertices=vertices,
        drawn_vertices=drawn + others,
        area_diff_pct=diff,
        worst_pct=float(each.max()) if len(each) else 0.0,
    )
