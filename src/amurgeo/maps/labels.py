"""Labels of a map: protected areas inside their areas, countries and the main towns.

The page places them as text (readable by screen readers and page translation) and hides
one that does not fit inside its area at the current zoom or that would cover another; this
module only chooses where each label goes and what it says, in the map's language.

* An area's label point is the pole of inaccessibility of its largest part
  (:func:`shapely.ops.polylabel`): the point farthest from the edge, where text fits best.
* Country names sit at the pole of inaccessibility of the part of the country inside the
  map's frame.
* Towns come from ``geodata/towns.csv``: coordinates from GeoNames (CC BY 4.0), names in
  English, Russian and Chinese, and a rank (1 shown first, 3 last).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from typing import Any

import shapely
from shapely.geometry import box
from shapely.ops import polylabel

from amurgeo._paths import geodata_dir

__all__ = [
    "TOWNS_SOURCE",
    "area_label_point",
    "country_labels",
    "short_label",
    "town_labels",
    "towns",
]

#: Where the towns' coordinates come from (shown with the map's sources).
TOWNS_SOURCE = "Town coordinates: GeoNames (geonames.org, CC BY 4.0)"

_NAME_KEYS = {"en": "name", "ru": "name_ru", "zh": "name_zh"}
_DECIMALS = 5


# Shorter forms of designations, for a label that must fit inside a small area:
# (language, long form, short form), tried in order.
_SHORTER = (
    ("en", " State Nature Biosphere Reserve", " reserve"),
    ("en", " National Nature Reserve", " reserve"),
    ("en", " State Nature Reserve", " reserve"),
    ("en", " Nature Reserve", " reserve"),
    ("en", " National Park", " NP"),
    ("ru", "Национальный парк ", "НП "),
    ("ru", "национальный заповедник", "заповедник"),
    ("ru", "государственный природный биосферный заповедник", "заповедник"),
    ("ru", "государственный природный заповедник", "заповедник"),
    ("zh", "国家级自然保护区", "保护区"),
    ("zh", "吉林片区", ""),
    ("zh", "黑龙江片区", ""),
)


def short_label(name: str, lang: str) -> str:
    """A shorter label for an area's name: the quoted name, or designations abbreviated.

    Examples
    --------
    >>> short_label("Land of the Leopard National Park (Jilin part)", "en")
    'Land of the Leopard NP'
    >>> short_label("Национальный парк «Земля леопарда»", "ru")
    'Земля леопарда'
    >>> short_label("Лазовский государственный природный заповедник имени Л. Г. Капланова", "ru")
    'Лазовский заповедник'
    """
    text = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    if lang == "ru":  # the honorific "named after ..." is part of the name, not of its label
        text = re.sub(r"\s+имени\s.*$", "", text)
    quoted = re.search(r"«([^»]+)»", text)
    if quoted:
        return quoted.group(1)
    for code, long, short in _SHORTER:
        if code == lang:
            text = text.replace(long, short)
    return text.strip()


def _largest_part(geom: Any) -> Any:
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
    return max(parts, key=lambda g: g.area) if parts else None


def area_label_point(geom: Any) -> tuple[float, float] | None:
    """Return (lat, lon) where an area's label goes, or None for a geometry with no area.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> area_label_point(box(130.0, 42.0, 131.0, 43.0))
    (42.5, 130.5)
    """
    if geom is None or geom.is_empty:
        return None
    part = _largest_part(geom)
    if part is None or part.area <= 0:
        return None
    # a tolerance of 1/200 of the part's size: fine enough for a label, fast on any outline
    xmin, ymin, xmax, ymax = part.bounds
    point = polylabel(part, tolerance=max(xmax - xmin, ymax - ymin) / 200.0)
    return round(float(point.y), _DECIMALS), round(float(point.x), _DECIMALS)


@cache
def towns() -> tuple[dict[str, Any], ...]:
    """The bundled towns (``geodata/towns.csv``), one dict per row, numbers as numbers."""
    path = geodata_dir() / "towns.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        {**row, "lon": float(row["lon"]), "lat": float(row["lat"]), "rank": int(row["rank"])}
        for row in rows
    )


def town_labels(frame: list[list[float]], lang: str) -> list[dict[str, Any]]:
    """Labels of the towns inside `frame` ([[south, west], [north, east]]), by rank."""
    (south, west), (north, east) = frame
    # a margin of a quarter of the frame: towns just outside show when the map is panned
    dx, dy = (east - west) * 0.25, (north - south) * 0.25
    out = []
    for town in sorted(towns(), key=lambda t: (t["rank"], t["name"])):
        if west - dx <= town["lon"] <= east + dx and south - dy <= town["lat"] <= north + dy:
            out.append(
                {
                    "lat": town["lat"],
                    "lng": town["lon"],
                    "text": town.get(_NAME_KEYS[lang]) or town["name"],
                    "lang": lang,
                    "rank": town["rank"],
                    "minZoom": {1: 0, 2: 8, 3: 9}.get(town["rank"], 9),
                }
            )
    return out


def country_labels(
    countries: Any,
    frame: list[list[float]],
    lang: str,
    names: dict[str, str],
    avoid: Any = None,
) -> list[dict[str, Any]]:
    """Labels of the countries of `countries` (a GeoDataFrame with ``iso3``) in `frame`.

    `names` maps ISO 3166 alpha-3 codes to the short name in `lang`; each label goes where
    the country's part in the frame is widest, outside `avoid` (the areas drawn) if it can.
    """
    (south, west), (north, east) = frame
    dx, dy = (east - west) * 0.1, (north - south) * 0.1
    window = box(west - dx, south - dy, east + dx, north + dy)
    out = []
    for iso3, geom in zip(countries["iso3"], countries.geometry.values, strict=True):
        if geom is None or not geom.intersects(window):
            continue
        inside = shapely.intersection(geom, window)
        free = shapely.difference(inside, avoid) if avoid is not None else inside
        point = area_label_point(free if not free.is_empty else inside)
        if point is None or _largest_part(inside).area < window.area * 0.02:
            continue  # a sliver of a country at the edge is not worth a name
        out.append(
            {
                "lat": point[0],
                "lng": point[1],
                "text": names.get(str(iso3), str(iso3)),
                "lang": lang,
                "alt": _other_spots(free if not free.is_empty else inside, window, point),
            }
        )
    return out


def _other_spots(
    geom: Any, window: Any, first: tuple[float, float], cells: int = 3
) -> list[list[float]]:
    """Other places inside `geom` for a label whose first place is covered (by the map's
    controls, say): the label point of its widest piece in each cell of a `cells` x `cells`
    grid over `window`, widest piece first, each as [lat, lon]."""
    west, south, east, north = window.bounds
    dx, dy = (east - west) / cells, (north - south) / cells
    pieces = []
    for i in range(cells):
        for j in range(cells):
            cell = box(west + i * dx, south + j * dy, west + (i + 1) * dx, south + (j + 1) * dy)
            part = _largest_part(shapely.intersection(geom, cell))
            if part is None or part.area < cell.area * 0.15:
                continue  # a corner of the country: a name there would read as its neighbour's
            point = area_label_point(part)
            if point is not None and point != first:
                pieces.append((part.area, [point[0], point[1]]))
    pieces.sort(key=lambda p: -p[0])
    return [p for _, p in pieces]
