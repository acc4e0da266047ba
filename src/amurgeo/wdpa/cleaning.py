"""WDPA records in amurgeo's attribute schema, cleaned for coverage as wdpar does."""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo.errors import DataError, UsageError
from amurgeo.wdpa.schema import (
    KNOWN_STATUSES,
    RETAINED_STATUSES,
    columns_by_upper,
    is_mab,
    wdpa_schema,
)

#: Vertices of the circle drawn for a point record (its area is kept exact, see point_circle).
CIRCLE_VERTICES = 256

#: ``wdpa_geometry`` of a feature drawn from a WDPA point record.
CIRCLE = "circle from point"

#: ``reported_area_source`` of every WDPA feature.
REPORTED_AREA_SOURCE = (
    "UNEP-WCMC and IUCN, Protected Planet: The World Database on Protected Areas, "
    "reported area (REP_AREA)"
)

__all__ = [
    "CIRCLE",
    "CIRCLE_VERTICES",
    "REPORTED_AREA_SOURCE",
    "WdpaCleaning",
    "WdpaNote",
    "WdpaSummary",
    "point_circle",
    "prepare_wdpa",
]

_SITE_URL = "https://www.protectedplanet.net/{}"
_SOURCE = "UNEP-WCMC and IUCN, Protected Planet: The World Database on Protected Areas, {}"
_NOT_REPORTED = {"", "not reported", "not applicable", "nan", "none"}
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ISO3_SPLIT = re.compile(r"[;,\s]+")


class WdpaNote(UserWarning):
    """What the WDPA cleaning left out of a layer, and which point records became circles."""


@dataclass(frozen=True)
class WdpaCleaning:
    """Which WDPA records to keep for areas, coverage, gaps and overlaps.

    Parameters
    ----------
    keep_status
        ``STATUS`` values to keep (compared without regard to case); None keeps every
        status. Default: Designated, Inscribed and Established.
    exclude_mab
        Leave out UNESCO-MAB Biosphere Reserves (default True): their buffer and transition
        zones are not protected areas.

    Examples
    --------
    >>> WdpaCleaning().keep_status
    ('Designated', 'Inscribed', 'Established')
    >>> cleaning = WdpaCleaning.including(["proposed"], mab=True)
    >>> cleaning.keep_status, cleaning.exclude_mab
    (('Designated', 'Inscribed', 'Established', 'Proposed'), False)
    >>> WdpaCleaning.including(["all"]).keep_status is None
    True
    """

    keep_status: tuple[str, ...] | None = RETAINED_STATUSES
    exclude_mab: bool = True

    def __post_init__(self) -> None:
        if self.keep_status is not None:
            if isinstance(self.keep_status, str) or not all(
                isinstance(s, str) for s in self.keep_status
            ):
                raise UsageError(
                    f"keep_status is {self.keep_status!r}; expected a tuple of WDPA STATUS "
                    "values (or None for every status)"
                )
            object.__setattr__(self, "keep_status", tuple(self.keep_status))

    @classmethod
    def including(cls, statuses: Iterable[str] = (), *, mab: bool = False) -> WdpaCleaning:
        """The default cleaning, also keeping `statuses` (``"all"``: every status) and MAB.

        Each status is matched to :data:`KNOWN_STATUSES` without regard to case.
        """
        keep = list(RETAINED_STATUSES)
        for status in statuses:
            text = " ".join(str(status).split())
            if text.lower() == "all":
                return cls(keep_status=None, exclude_mab=not mab)
            known = next((s for s in KNOWN_STATUSES if s.lower() == text.lower()), None)
            if known is None:
                raise UsageError(
                    f"WDPA status {status!r} is not one of {', '.join(KNOWN_STATUSES)} (or all)"
                )
            if known not in keep:
                keep.append(known)
        return cls(keep_status=tuple(keep), exclude_mab=not mab)


@dataclass(frozen=True)
class WdpaSummary:
    """What :func:`prepare_wdpa` did to one WDPA layer (``gdf.attrs["wdpa"]``).

    Attributes
    ----------
    schema
        ``"classic"`` or ``"2025"``.
    records
        Records read.
    kept
        Records kept.
    left_out_status
        ``(STATUS, count)`` of records left out for their status.
    left_out_mab
        UNESCO-MAB Biosphere Reserves left out.
    left_out_no_area
        Point records left out because they have no reported area to draw a circle of.
    circles
        Point records kept as circles of their reported area.
    oecms
        Kept records that are OECMs (other effective area-based conservation measures),
        not protected areas.
    """

    schema: str
    records: int
    kept: int
    left_out_status: tuple[tuple[str, int], ...] = ()
    left_out_mab: int = 0
    left_out_no_area: int = 0
    circles: int = 0
    oecms: int = 0
    cleaning: WdpaCleaning = field(default_factory=WdpaCleaning)

    @property
    def left_out(self) -> int:
        """Records left out, for any reason."""
        return sum(n for _, n in self.left_out_status) + self.left_out_mab + self.left_out_no_area

    def describe(self) -> str:
        """One line that says what was left out and why, and what became a circle."""
        name = "classic" if self.schema == "classic" else "November 2025"
        parts = [f"WDPA extract ({name} schema), {self.records} records: kept {self.kept}"]
        reasons = []
        if self.left_out_status:
            counts = ", ".join(f"{n} {status!r}" for status, n in self.left_out_status)
            keep = self.cleaning.keep_status or ()
            reasons.append(f"{counts} (STATUS is not {_or_list(keep)})")
        if self.left_out_mab:
            reasons.append(
                f"{self.left_out_mab} UNESCO-MAB Biosphere Reserve"
                f"{'s' if self.left_out_mab > 1 else ''} (their transition zones are not "
                "protected)"
            )
        if self.left_out_no_area:
            reasons.append(
                f"{self.left_out_no_area} point record{'s' if self.left_out_no_area > 1 else ''}"
                " without a reported area (REP_AREA) to draw"
            )
        if reasons:
            parts.append(f"left out {self.left_out}: " + "; ".join(reasons))
        if self.circles == 1:
            parts.append("1 point record drawn as a circle of its reported area")
        elif self.circles:
            parts.append(f"{self.circles} point records drawn as circles of their reported area")
        if self.oecms == 1:
            parts.append("1 kept record is an OECM, not a protected area")
        elif self.oecms:
            parts.append(f"{self.oecms} kept records are OECMs, not protected areas")
        text = "; ".join(parts)
        options = []
        if self.left_out_status:
            options.append("--wdpa-include-status STATUS")
        if self.left_out_mab:
            options.append("--wdpa-include-mab")
        if options:
            text += f" (to keep them: {', '.join(options)}; in Python, wdpa=WdpaCleaning(...))"
        return text


def _or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items) or "any kept status"
    return f"{', '.join(items[:-1])} or {items[-1]}"


def point_circle(lon: float, lat: float, area_km2: float) -> BaseGeometry:
    """A lon/lat circle of `area_km2` around a point: every vertex at one geodesic distance.

    The :data:`CIRCLE_VERTICES` vertices lie at the same distance from the point on the WGS84
    ellipsoid (``pyproj.Geod.fwd``); that distance starts at ``sqrt(area / pi)`` and is
    corrected so that the polygon's geodesic area is `area_km2` (to about 1e-6).

    Examples
    --------
    >>> from amurgeo.measure import geodesic_area_km2
    >>> round(geodesic_area_km2(point_circle(131.0, 43.0, 100.0)), 4)
    100.0
    """
    from amurgeo.measure import GEOD

    azimuths = np.linspace(360.0, 0.0, CIRCLE_VERTICES, endpoint=False)  # anticlockwise
    centre_lon = np.full(CIRCLE_VERTICES, float(lon))
    centre_lat = np.full(CIRCLE_VERTICES, float(lat))

    def vertices(radius_m: float) -> tuple[np.ndarray, np.ndarray]:
        lons, lats, _ = GEOD.fwd(centre_lon, centre_lat, azimuths, np.full_like(azimuths, radius_m))
        return lons, lats

    radius_m = math.sqrt(area_km2 * 1e6 / math.pi)
    for _ in range(2):
        drawn_m2 = abs(GEOD.polygon_area_perimeter(*vertices(radius_m))[0])
        if drawn_m2 > 0:
            radius_m *= math.sqrt(area_km2 * 1e6 / drawn_m2)
    return shapely.Polygon(np.column_stack(vertices(radius_m)))


def _circles(geom: BaseGeometry, area_km2: float) -> BaseGeometry:
    """Circles of `area_km2` in all around the points of `geom` (shared evenly)."""
    points = [p for p in getattr(geom, "geoms", [geom]) if not p.is_empty]
    share = area_km2 / len(points)
    circles = [point_circle(p.x, p.y, share) for p in points]
    return circles[0] if len(circles) == 1 else shapely.union_all(circles)


# --------------------------------------------------------------------------------------------
# Mapping and cleaning
# --------------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A WDPA text value, or None where it is missing or "Not Reported"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in _NOT_REPORTED else text


def _numbers(
    frame: pd.DataFrame, column: str | None, where: str, labels: list[str], expected: str
) -> np.ndarray:
    """A numeric WDPA column as floats (NaN where missing); refuse text that is no number."""
    if column is None:
        return np.full(len(frame), np.nan)
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    present = raw.notna().to_numpy() & ~raw.astype(str).str.strip().isin(["", "nan", "None"])
    bad = np.flatnonzero(present & ~np.isfinite(values))
    if len(bad):
        i = int(bad[0])
        raise DataError(
            f"{where}, feature {labels[i]!r}: {column} is {raw.iloc[i]!r}; expected {expected}"
        )
    return values


def _iso3(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    codes = [c.upper() for c in _ISO3_SPLIT.split(text) if c]
    return ";".join(codes) or None


def _site_types(schema: str, cols: dict[str, str], rows: pd.DataFrame) -> list[str | None]:
    """``PA`` or ``OECM`` from ``SITE_TYPE`` (2025) or ``PA_DEF`` (classic: 1 PA, 0 OECM)."""
    if schema == "2025" and "SITE_TYPE" in cols:
        texts = [_text(v) for v in rows[cols["SITE_TYPE"]]]
        return [t.upper() if t else None for t in texts]
    if "PA_DEF" in cols:
        codes = {"1": "PA", "0": "OECM", "1.0": "PA", "0.0": "OECM"}
        return [codes.get(str(_text(v))) for v in rows[cols["PA_DEF"]]]
    return [None] * len(rows)


def prepare_wdpa(
    gdf: gpd.GeoDataFrame, *, cleaning: WdpaCleaning | None = None, where: str = "layer"
) -> gpd.GeoDataFrame | None:
    """Map a WDPA layer onto amurgeo's area schema and clean it for coverage.

    Parameters
    ----------
    gdf
        A layer in EPSG:4326 (as :func:`amurgeo.io.read_vector` has it).
    cleaning
        What to keep (default :class:`WdpaCleaning`: Designated, Inscribed and Established
        records, no UNESCO-MAB Biosphere Reserves).
    where
        The file or layer, for messages.

    Returns
    -------
    geopandas.GeoDataFrame or None
        None when `gdf` has no WDPA attributes (see :func:`wdpa_schema`). Otherwise the kept
        records: amurgeo's area attributes first, then ``wdpa_id``, ``original_name``,
        ``site_type`` (PA or OECM), ``wdpa_geometry`` (``polygon`` or ``circle from point``),
        then every other WDPA attribute; ``attrs["wdpa"]`` holds a :class:`WdpaSummary`.

    Raises
    ------
    DataError
        If ``REP_AREA`` or ``STATUS_YR`` holds text that is no number, ``REP_AREA`` is
        negative, or no record is left.

    Warns
    -----
    WdpaNote
        When records were left out or point records drawn as circles: how many, and why.

    Examples
    --------
    >>> import geopandas as gpd, warnings
    >>> from shapely.geometry import Point, box
    >>> raw = gpd.GeoDataFrame(
    ...     {"WDPAID": [1, 2, 3], "NAME": ["Park", "Plan", "Spot"], "REP_AREA": [100.0, 5, 50],
    ...      "STATUS": ["Designated", "Proposed", "Designated"], "ISO3": ["RUS;CHN", "RUS", "CHN"]},
    ...     geometry=[box(131, 43, 131.1, 43.1), box(132, 43, 132.1, 43.1), Point(130, 43)],
    ...     crs=4326,
    ... )
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     parks = prepare_wdpa(raw, where="wdpa.gpkg")
    >>> parks[["name", "iso3", "reported_area_km2", "wdpa_geometry"]]
       name     iso3  reported_area_km2      wdpa_geometry
    0  Park  RUS;CHN              100.0            polygon
    2  Spot      CHN               50.0  circle from point
    >>> parks.attrs["wdpa"].left_out_status, parks.attrs["wdpa"].circles
    ((('Proposed', 1),), 1)
    """
    schema = wdpa_schema(gdf.columns)
    if schema is None:
        return None
    cleaning = cleaning or WdpaCleaning()
    if not isinstance(cleaning, WdpaCleaning):
        raise UsageError(f"wdpa is {cleaning!r}; expected a WdpaCleaning or None")
    cols = columns_by_upper(c for c in gdf.columns if c != gdf.geometry.name)
    if "PARENT_ISO" in cols and "PARENT_ISO3" not in cols:  # shapefiles cut names to 10
        cols["PARENT_ISO3"] = cols["PARENT_ISO"]
    name_key, orig_key = ("NAME_ENG", "NAME") if schema == "2025" else ("NAME", "ORIG_NAME")
    english = _english_names(gdf, cols, name_key, orig_key)
    rep_area, years = _reported_numbers(gdf, cols, english, where)
    is_point = np.isin(shapely.get_type_id(gdf.geometry.values), (0, 4))  # (Multi)Point
    keep, status_out, mab_out, no_area_out = _records_to_keep(
        gdf, cols, cleaning, rep_area, is_point
    )
    kept_index = np.flatnonzero(keep)
    if not len(kept_index):
        summary = WdpaSummary(
            schema,
            len(gdf),
            0,
            tuple(sorted(status_out.items())),
            mab_out,
            no_area_out,
            cleaning=cleaning,
        )
        raise DataError(f"{where}: no record is left of its {summary.describe()}")

    rows = gdf.iloc[kept_index]
    circle = is_point[kept_index]
    new_geoms, uncertainty = _drawn_geometries(rows, circle, rep_area[kept_index])
    site_types = _site_types(schema, cols, rows)
    mapped = _mapped_attributes(
        rows,
        cols,
        schema=schema,
        names=[english[i] for i in kept_index],
        orig_key=orig_key,
        numbers={
            "reported": rep_area[kept_index],
            "years": years[kept_index],
            "uncertainty": uncertainty,
        },
        circle=circle,
        site_types=site_types,
    )
    taken = {c.lower() for c in mapped.columns}
    rest = rows.drop(columns=[gdf.geometry.name])
    rest = rest[[c for c in rest.columns if str(c).lower() not in taken]]
    out = gpd.GeoDataFrame(
        pd.concat([mapped, pd.DataFrame(rest)], axis=1),
        geometry=gpd.GeoSeries(new_geoms, index=rows.index, crs=gdf.crs),
        crs=gdf.crs,
    )
    summary = WdpaSummary(
        schema=schema,
        records=len(gdf),
        kept=len(out),
        left_out_status=tuple(sorted(status_out.items())),
        left_out_mab=mab_out,
        left_out_no_area=no_area_out,
        circles=int(circle.sum()),
        oecms=sum(1 for t in site_types if t == "OECM"),
        cleaning=cleaning,
    )
    out.attrs.update(gdf.attrs)
    out.attrs["wdpa"] = summary
    if summary.left_out or summary.circles:
        warnings.warn(f"{where}: {summary.describe()}", WdpaNote, stacklevel=3)
    return out


def _english_names(
    gdf: gpd.GeoDataFrame, cols: dict[str, str], name_key: str, orig_key: str
) -> list[str | None]:
    """Each record's English name, or its original-language name where it has none."""
    missing = [None] * len(gdf)
    return [
        _text(v) or _text(o)
        for v, o in zip(
            gdf[cols[name_key]] if name_key in cols else missing,
            gdf[cols[orig_key]] if orig_key in cols else missing,
            strict=True,
        )
    ]


def _reported_numbers(
    gdf: gpd.GeoDataFrame, cols: dict[str, str], english: list[str | None], where: str
) -> tuple[np.ndarray, np.ndarray]:
    """``REP_AREA`` (km², refused if negative) and ``STATUS_YR`` as floats, NaN where missing."""
    from amurgeo.io import feature_labels

    labelled = gdf.copy()
    labelled["name"] = english
    labels = feature_labels(labelled[["name", gdf.geometry.name]])
    rep_area = _numbers(
        gdf, cols.get("REP_AREA"), where, labels, "the reported area in km² (a number)"
    )
    negative = np.flatnonzero(rep_area < 0)
    if len(negative):
        i = int(negative[0])
        raise DataError(
            f"{where}, feature {labels[i]!r}: REP_AREA is {rep_area[i]:g}; expected the "
            "reported area in km² (a number >= 0)"
        )
    years = _numbers(gdf, cols.get("STATUS_YR"), where, labels, "a year (a number)")
    return rep_area, years


def _records_to_keep(
    gdf: gpd.GeoDataFrame,
    cols: dict[str, str],
    cleaning: WdpaCleaning,
    rep_area: np.ndarray,
    is_point: np.ndarray,
) -> tuple[np.ndarray, dict[str, int], int, int]:
    """Which records the cleaning keeps, and how many it left out by status, MAB, no area."""
    keep = np.ones(len(gdf), dtype=bool)
    status_out: dict[str, int] = {}
    if cleaning.keep_status is not None and "STATUS" in cols:
        wanted = {s.lower() for s in cleaning.keep_status}
        statuses = [_text(v) or "Not Reported" for v in gdf[cols["STATUS"]]]
        for i, status in enumerate(statuses):
            if status.lower() not in wanted:
                keep[i] = False
                status_out[status] = status_out.get(status, 0) + 1
    mab_out = 0
    if cleaning.exclude_mab:
        desig = cols.get("DESIG_ENG") or cols.get("DESIG")
        if desig is not None:
            mab = np.array([is_mab(v) for v in gdf[desig]], dtype=bool)
            mab_out = int((mab & keep).sum())
            keep &= ~mab
    no_area = is_point & ~(rep_area > 0)
    no_area_out = int((no_area & keep).sum())
    keep &= ~no_area
    return keep, status_out, mab_out, no_area_out


def _drawn_geometries(
    rows: gpd.GeoDataFrame, circle: np.ndarray, reported: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The kept geometries, point records as circles, and each circle's radius (km; else NaN)."""
    new_geoms = np.array(rows.geometry.values, dtype=object)
    uncertainty = np.full(len(rows), np.nan)
    for k in np.flatnonzero(circle):
        area = float(reported[k])
        new_geoms[k] = _circles(new_geoms[k], area)
        uncertainty[k] = math.sqrt(area / math.pi)  # the radius, km
    return new_geoms, uncertainty


def _notes(
    statuses: list[str | None],
    iucn: list[str | None],
    site_types: list[str | None],
    circle: np.ndarray,
) -> list[str]:
    """The ``notes`` of each kept record: WDPA status, IUCN category, OECM, circle."""
    notes = []
    for kept_status, cat, site_type, is_circle in zip(
        statuses, iucn, site_types, circle, strict=True
    ):
        parts = [f"WDPA status: {kept_status or 'not reported'}"]
        if cat:
            parts.append(f"IUCN category: {cat}")
        if site_type == "OECM":
            parts.append("an OECM (other effective area-based conservation measure)")
        if is_circle:
            parts.append(
                "the WDPA gives only a point for this site: drawn as a circle of its reported "
                "area around it; its real boundary is unknown"
            )
        notes.append("; ".join(parts))
    return notes


def _mapped_attributes(
    rows: gpd.GeoDataFrame,
    cols: dict[str, str],
    *,
    schema: str,
    names: list[str | None],
    orig_key: str,
    numbers: dict[str, np.ndarray],
    circle: np.ndarray,
    site_types: list[str | None],
) -> pd.DataFrame:
    """amurgeo's area attributes and the WDPA extras of the kept records, in file order.

    `numbers` holds the kept records' ``reported`` area (km²), status ``years`` and boundary
    ``uncertainty`` (km).
    """
    reported, years = numbers["reported"], numbers["years"]

    def column(key: str) -> list[Any]:
        return list(rows[cols[key]]) if key in cols else [None] * len(rows)

    originals = [_text(v) for v in column(orig_key)]
    other_names = [o if o and o != n else None for o, n in zip(originals, names, strict=True)]
    ids = column("SITE_ID" if schema == "2025" else "WDPAID")
    numeric_ids = pd.to_numeric(pd.Series(ids, dtype=object), errors="coerce")
    wdpa_ids = [int(v) if np.isfinite(v) else None for v in numeric_ids.to_numpy(dtype=float)]
    notes = _notes(
        [_text(v) for v in column("STATUS")],
        [_text(v) for v in column("IUCN_CAT")],
        site_types,
        circle,
    )
    return pd.DataFrame(
        {
            "name": names,
            "name_ru": [o if o and _CYRILLIC.search(o) else None for o in other_names],
            "name_zh": [o if o and _CJK.search(o) else None for o in other_names],
            "designation": [
                _text(d) or _text(o)
                for d, o in zip(column("DESIG_ENG"), column("DESIG"), strict=True)
            ],
            "iso3": [_iso3(v) for v in column("ISO3")],
            "status_year": pd.array(
                [int(y) if np.isfinite(y) and y > 0 else None for y in years],
                dtype="Int64",
            ),
            "reported_area_km2": np.where(reported > 0, reported, np.nan),
            "reported_area_source": [REPORTED_AREA_SOURCE if r > 0 else None for r in reported],
            "managed_by": [_text(v) for v in column("MANG_AUTH")],
            "source": [
                _SOURCE.format(_SITE_URL.format(i if i is not None else "")) for i in wdpa_ids
            ],
            "boundary_uncertainty_km": numbers["uncertainty"],
            "notes": notes,
            "wdpa_id": pd.array(wdpa_ids, dtype="Int64"),
            "original_name": originals,
            "site_type": site_types,
            "wdpa_geometry": [CIRCLE if c else "polygon" for c in circle],
        },
        index=rows.index,
    )
