"""Detailed user boundaries drawn simplified, keeping topology."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from amurgeo.maps import i18n
from amurgeo.maps.hexagons import distance_text, nice_floor, text
from amurgeo.measure import FROM_EQUAL_AREA, TO_EQUAL_AREA

#: A user layer with more vertices than this is drawn simplified (about 1.6 MB of coordinates).
DRAW_VERTICES = 80_000


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
            tolerance=distance_text(self.tolerance_m, lang),
            how=text("coverage" if self.coverage else "topology", lang),
            pct=i18n.number(self.area_diff_pct, lang, 2),
            worst=i18n.number(self.worst_pct, lang, 2),
            vertices=i18n.number(self.vertices, lang),
            drawn=i18n.number(self.drawn_vertices, lang),
        )


def _to_ea(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(
        geoms, lambda xy: np.column_stack(TO_EQUAL_AREA.transform(xy[:, 0], xy[:, 1]))
    )


def _from_ea(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(
        geoms, lambda xy: np.column_stack(FROM_EQUAL_AREA.transform(xy[:, 0], xy[:, 1]))
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
    tolerance = max(nice_floor(extent / 2000.0), 1.0)
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
