"""Read the editable sources in ``geodata/sources/`` (see its README.md).

Every reader checks what it reads and stops with one line naming the file, the row or feature
and what was expected, so that a slip made in QGIS or a spreadsheet never reaches ``geodata/``.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

__all__ = ["SourceError", "Sources", "read_sources"]

Coords = list[tuple[float, float]]


class SourceError(SystemExit):
    """A source file is wrong: the message names the file and the row."""


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file as dicts (every value a string, '' for empty)."""
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 ({exc.reason}); save it as CSV UTF-8") from None
    for number, row in enumerate(rows, start=2):
        if None in row or any(value is None for value in row.values()):
            raise SourceError(f"{path}, line {number}: wrong number of columns")
    return rows


def _require(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    present = set(rows[0]) if rows else set()
    missing = [c for c in columns if c not in present]
    if missing:
        raise SourceError(f"{path}: missing column(s) {', '.join(missing)}")


def _number(path: Path, line: int, column: str, text: str) -> float | None:
    """A float from a CSV cell ('' is None), or a one-line error."""
    if text.strip() == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise SourceError(f"{path}, line {line}: {column} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise SourceError(f"{path}, line {line}: {column} {text!r} is not a finite number")
    return value


@dataclass(frozen=True)
class Sources:
    """Everything the build reads from ``geodata/sources/``."""

    root: Path
    #: Vertex lists of the hand-drawn outlines, by outline name, in drawing order.
    outlines: dict[str, Coords]
    #: Citation text by source id (``sources.csv``).
    citations: dict[str, str]
    #: Place rows by place name (``places.csv``).
    places: dict[str, dict[str, Any]]
    #: Activity rows (``activities.csv``), as written.
    activities: list[dict[str, str]]
    #: Feature attribute rows (``areas.csv``), by feature key.
    areas: dict[str, dict[str, Any]]
    #: Catalog text per layer (``layers.csv``), in catalog order.
    layers: list[dict[str, Any]]

    def outline(self, name: str) -> BaseGeometry:
        """The hand-drawn outline `name` as a valid polygon (the ring closes itself)."""
        if name not in self.outlines:
            raise SourceError(f"{self.root / 'outline_vertices.geojson'}: no outline {name!r}")
        return shapely.make_valid(Polygon(self.outlines[name]))

    def cite(self, ids: str, where: str) -> list[str]:
        """The citations of a ``;``-separated list of source ids."""
        out = []
        for source_id in (s.strip() for s in ids.split(";")):
            if not source_id:
                continue
            if source_id not in self.citations:
                raise SourceError(f"{where}: source id {source_id!r} is not in sources.csv")
            out.append(self.citations[source_id])
        return out


def read_outlines(path: Path) -> dict[str, Coords]:
    """Vertices of every outline, ordered by ``seq``, from a Point GeoJSON file."""
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{path}: not valid GeoJSON ({exc})") from None
    seen: dict[str, dict[float, tuple[float, float]]] = {}
    for number, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        outline, seq = props.get("outline"), props.get("seq")
        where = f"{path}, feature {number} (outline {outline!r}, seq {seq!r})"
        if not isinstance(outline, str) or not outline:
            raise SourceError(f"{where}: 'outline' must name the outline")
        if not isinstance(seq, (int, float)) or isinstance(seq, bool):
            raise SourceError(f"{where}: 'seq' must be a number (the drawing order)")
        if geometry.get("type") != "Point" or len(geometry.get("coordinates") or []) < 2:
            raise SourceError(f"{where}: expected a Point")
        lon, lat = (float(v) for v in geometry["coordinates"][:2])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise SourceError(f"{where}: {lon}, {lat} is not a lon/lat position")
        if not str(props.get("note") or "").strip() and not props.get("section"):
            raise SourceError(f"{where}: every vertex says what it follows ('note')")
        vertices = seen.setdefault(outline, {})
        if float(seq) in vertices:
            raise SourceError(f"{where}: seq used twice in this outline")
        vertices[float(seq)] = (lon, lat)
    outlines = {}
    for outline, vertices in seen.items():
        if len(vertices) < 3:
            raise SourceError(f"{path}: outline {outline!r} has {len(vertices)} vertices, need 3")
        outlines[outline] = [vertices[k] for k in sorted(vertices)]
    return outlines


def _areas(path: Path, fields: list[str]) -> dict[str, dict[str, Any]]:
    rows = _rows(path)
    _require(path, rows, ["layer", "feature", *fields])
    out: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(rows, start=2):
        key = row["feature"].strip()
        if not key or key in out:
            raise SourceError(f"{path}, line {line}: feature key {key!r} empty or used twice")
        record: dict[str, Any] = {"layer": row["layer"].strip()}
        for field in fields:
            text = row[field]
            if field in ("status_year", "reported_area_km2", "boundary_uncertainty_km"):
                record[field] = _number(path, line, field, text)
            else:
                record[field] = text if text != "" else None
        out[key] = record
    return out


def read_sources(root: Path) -> Sources:
    """Read and check every source file under `root` (``geodata/sources``)."""
    from amurgeo.schema import RANGE_FIELDS, TRANSLATION_FIELDS

    citations = {}
    path = root / "sources.csv"
    rows = _rows(path)
    _require(path, rows, ["id", "citation"])
    for line, row in enumerate(rows, start=2):
        if not row["id"] or not row["citation"] or row["id"] in citations:
            raise SourceError(f"{path}, line {line}: id empty or used twice, or no citation")
        citations[row["id"]] = row["citation"]

    places: dict[str, dict[str, Any]] = {}
    path = root / "places.csv"
    rows = _rows(path)
    _require(path, rows, ["place", "lon", "lat", "iso3", "coordinates_source"])
    for line, row in enumerate(rows, start=2):
        lon = _number(path, line, "lon", row["lon"])
        lat = _number(path, line, "lat", row["lat"])
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise SourceError(f"{path}, line {line}: lon/lat missing or out of range")
        if row["place"] in places:
            raise SourceError(f"{path}, line {line}: place {row['place']!r} listed twice")
        places[row["place"]] = {**row, "lon": lon, "lat": lat}

    path = root / "activities.csv"
    activities = _rows(path)
    _require(
        path,
        activities,
        ["organization", "activity", "description", "place", "location_precision", "since"],
    )
    _require(path, activities, ["sources"])

    path = root / "layers.csv"
    rows = _rows(path)
    _require(path, rows, ["id", "title", "kind", "aliases", "description", "source"])
    _require(path, rows, ["license", "attribution"])
    # the titles in Russian and Chinese: the one place the map, the figures and the
    # GeoPackage read them from (through amurgeo.catalog.layer_title)
    _require(path, rows, ["title_ru", "title_zh"])
    for line, row in enumerate(rows, start=2):
        for column in ("title", "title_ru", "title_zh"):
            if not row[column].strip():
                raise SourceError(f"{path}, line {line}: layer {row['id']!r} has no {column}")
    layers = [
        {**row, "aliases": [a.strip() for a in row["aliases"].split(";") if a.strip()]}
        for row in rows
    ]
    return Sources(
        root=root,
        outlines=read_outlines(root / "outline_vertices.geojson"),
        citations=citations,
        places=places,
        activities=activities,
        areas=_areas(root / "areas.csv", [*RANGE_FIELDS, *TRANSLATION_FIELDS]),
        layers=layers,
    )


def build_activities(sources: Sources) -> gpd.GeoDataFrame:
    """The ``activities`` layer: one point per row of ``activities.csv``, checked.

    The ``source`` attribute is the rows' citations followed by the place's coordinate source.
    Rows are sorted by organization, activity and place.
    """
    from amurgeo.schema import ACTIVITY_FIELDS, ACTIVITY_TYPES, LOCATION_PRECISIONS

    path = sources.root / "activities.csv"
    records = []
    seen: set[tuple[str, str, str]] = set()
    for line, row in enumerate(sources.activities, start=2):
        where = f"{path}, line {line}"
        key = (row["organization"], row["activity"], row["place"])
        if key in seen:
            raise SourceError(f"{where}: {' / '.join(key)} is listed twice")
        seen.add(key)
        if row["activity"] not in ACTIVITY_TYPES:
            raise SourceError(f"{where}: activity {row['activity']!r} is not a known activity")
        if row["location_precision"] not in LOCATION_PRECISIONS:
            raise SourceError(
                f"{where}: location_precision {row['location_precision']!r} is not one of "
                f"{LOCATION_PRECISIONS}"
            )
        if len(row["description"]) < 40:
            raise SourceError(f"{where}: description shorter than 40 characters")
        place = sources.places.get(row["place"])
        if place is None:
            raise SourceError(f"{where}: place {row['place']!r} is not in places.csv")
        since = _number(path, line, "since", row["since"])
        if since is not None and not (1900 <= since <= 2030 and since.is_integer()):
            raise SourceError(f"{where}: since {row['since']!r} is not a year")
        cited = sources.cite(row["sources"], where)
        if not cited:
            raise SourceError(f"{where}: no source given")
        records.append(
            {
                "organization": row["organization"],
                "activity": row["activity"],
                "description": row["description"],
                "place": row["place"],
                "location_precision": row["location_precision"],
                "since": None if since is None else int(since),
                "source": "; ".join([*cited, f"coordinates: {place['coordinates_source']}"]),
                "lon": place["lon"],
                "lat": place["lat"],
            }
        )
    records.sort(key=lambda r: (r["organization"].casefold(), r["activity"], r["place"].casefold()))
    frame = pd.DataFrame({field: [r[field] for r in records] for field in ACTIVITY_FIELDS})
    frame["since"] = frame["since"].astype("Int64")
    geometry = gpd.points_from_xy([r["lon"] for r in records], [r["lat"] for r in records])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
