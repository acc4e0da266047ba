"""The bundled layer catalog: list, look up and load the Amur geodata layers.

``geodata/catalog.json`` describes every layer (id, title in English, Russian and Chinese, kind,
file, geometry type, feature count, source, licence); each layer is one RFC 7946 GeoJSON file
beside it. The titles are written once there (``geodata/sources/layers.csv``) and read from
here by the maps, the figures and the GeoPackage export.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from amurgeo._paths import geodata_dir
from amurgeo.errors import DataError, LayerNotFoundError, UsageError
from amurgeo.schema import LANGS

__all__ = [
    "AREA_KINDS",
    "LANGS",
    "THEMES",
    "TIGER_LAYERS",
    "catalog_entries",
    "country_outline",
    "layer_entry",
    "layer_title",
    "leopard_overview_ids",
    "list_layers",
    "load_layer",
    "load_layers",
    "resolve_layer_id",
    "theme_layer_ids",
]

#: Layer kinds whose features are areas (polygons) that analysis and maps treat as such.
AREA_KINDS = ("protected-area", "range")

_TITLE_KEYS = {"en": "title", "ru": "title_ru", "zh": "title_zh"}

#: The tiger's layers and the leopard's history (issue 16): drawn on a wider frame, and left
#: out of the leopard overview's default layers so that it stays about the leopard.
TIGER_LAYERS = (
    "tiger-protected-areas",
    "tiger-range",
    "leopard-historical-range",
    "leopard-reintroduction",
)

_SEPARATORS = re.compile(r"[\s\-_./,']+")


def _key(text: str) -> str:
    """Normalize a layer name for lookup: lower case, no spaces, dashes, dots or underscores."""
    return _SEPARATORS.sub("", text.strip().lower())


@cache
def _catalog() -> tuple[dict[str, Any], ...]:
    path = geodata_dir() / "catalog.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the layer catalog ({exc})") from exc
    return tuple(data["layers"])


def leopard_overview_ids() -> list[str]:
    """Ids of the layers a map or figure shows when no layers are given (catalog order).

    Every bundled layer except :data:`TIGER_LAYERS`.
    """
    return [e["id"] for e in catalog_entries() if e["id"] not in TIGER_LAYERS]


#: The overviews a map or figure can show when no layers are given: the leopard's (south-west
#: Primorye and the Chinese park beside it) and the tiger's (its range in Russia and China).
THEMES = ("leopard", "tiger")

#: The tiger overview's layers, in drawing order: its range, its protected areas in Russia, and
#: the two national parks on the border, which protect tigers too.
_TIGER_OVERVIEW = (
    "tiger-range",
    "tiger-protected-areas",
    "land-of-the-leopard",
    "northeast-china-tiger-leopard",
    "activities",
    "countries",
)


def theme_layer_ids(theme: str = "leopard") -> list[str]:
    """Ids of the layers the overview of `theme` shows (one of :data:`THEMES`).

    Examples
    --------
    >>> theme_layer_ids("tiger")[:2]
    ['tiger-range', 'tiger-protected-areas']
    >>> theme_layer_ids("lion")
    Traceback (most recent call last):
    ...
    amurgeo.errors.UsageError: theme 'lion': expected one of leopard, tiger
    """
    if theme == "leopard":
        return leopard_overview_ids()
    if theme == "tiger":
        return list(_TIGER_OVERVIEW)
    raise UsageError(f"theme {theme!r}: expected one of {', '.join(THEMES)}")


def catalog_entries() -> list[dict[str, Any]]:
    """Return a copy of every catalog entry, in catalog order."""
    return [dict(entry) for entry in _catalog()]


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in _catalog():
        titles = [entry[key] for key in _TITLE_KEYS.values() if entry.get(key)]
        for name in [entry["id"], *titles, *entry.get("aliases", [])]:
            table.setdefault(_key(name), entry["id"])
    return table


def layer_title(layer_id: str, lang: str = "en") -> str | None:
    """Return the title of bundled layer `layer_id` in `lang` (None for any other id).

    Parameters
    ----------
    layer_id
        A catalog id, exactly (user layers have ids of their own and get None).
    lang
        One of :data:`LANGS`.

    Examples
    --------
    >>> layer_title("leopard-range", "zh")
    '东北豹分布区'
    >>> layer_title("my-survey-blocks", "ru") is None
    True
    """
    if lang not in _TITLE_KEYS:
        raise ValueError(f"lang {lang!r} is not one of {', '.join(LANGS)}")
    for entry in _catalog():
        if entry["id"] == layer_id:
            return str(entry[_TITLE_KEYS[lang]])
    return None


def resolve_layer_id(name: str) -> str:
    """Return the catalog id for `name`, forgiving case, spaces, dashes and underscores.

    Common aliases are known too (``LotL``, ``NCTLNP``, ``Hunchun`` ...).

    Parameters
    ----------
    name
        A layer id, title or alias.

    Raises
    ------
    LayerNotFoundError
        If no layer matches; the message lists the ids that exist.

    Examples
    --------
    >>> resolve_layer_id("LotL")
    'land-of-the-leopard'
    >>> resolve_layer_id("Northeast_China Tiger Leopard")
    'northeast-china-tiger-leopard'
    """
    found = _lookup().get(_key(str(name)))
    if found is None:
        ids = ", ".join(entry["id"] for entry in _catalog())
        raise LayerNotFoundError(f"unknown layer {name!r}; available layers are: {ids}")
    return found


def layer_entry(name: str) -> dict[str, Any]:
    """Return the catalog entry (a dict) of the layer called `name` (id, title or alias)."""
    layer_id = resolve_layer_id(name)
    return next(dict(e) for e in _catalog() if e["id"] == layer_id)


def list_layers() -> pd.DataFrame:
    """Return the catalog as a DataFrame, one row per layer.

    Columns include ``id``, ``title`` (and ``title_ru``, ``title_zh``), ``kind``, ``geometry_type``,
    ``feature_count``, ``source``, ``license`` and ``file``.

    Examples
    --------
    >>> layers = list_layers()
    >>> layers.loc[layers["id"] == "hunchun", "kind"].item()
    'protected-area'
    """
    rows = []
    for entry in _catalog():
        row = dict(entry)
        row["aliases"] = ", ".join(entry.get("aliases", []))
        rows.append(row)
    return pd.DataFrame(rows)


@cache
def _read(layer_id: str) -> gpd.GeoDataFrame:
    entry = layer_entry(layer_id)
    path = geodata_dir() / entry["file"]
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:
        raise DataError(f"{path}: cannot read bundled layer {layer_id!r} ({exc})") from exc
    return gdf.set_crs("EPSG:4326", allow_override=True)


def load_layer(name: str) -> gpd.GeoDataFrame:
    """Load one bundled layer as a GeoDataFrame in EPSG:4326 (lon/lat, WGS84).

    Parameters
    ----------
    name
        Layer id, title or alias (see :func:`resolve_layer_id`).

    Examples
    --------
    >>> gdf = load_layer("hunchun")
    >>> gdf.crs.to_epsg(), gdf["iso3"].tolist()
    (4326, ['CHN'])
    """
    layer_id = resolve_layer_id(name)
    gdf = _read(layer_id).copy()
    gdf.attrs["layer_id"] = layer_id
    return gdf


def load_layers(names: list[str] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Load several bundled layers (all by default) as a dict from id to GeoDataFrame.

    Examples
    --------
    >>> sorted(load_layers(["LotL", "kedrovaya pad"]))
    ['kedrovaya-pad', 'land-of-the-leopard']
    """
    ids = [e["id"] for e in _catalog()] if names is None else [resolve_layer_id(n) for n in names]
    return {layer_id: load_layer(layer_id) for layer_id in ids}


@cache
def country_outline(iso3: str | None) -> BaseGeometry | None:
    """The bundled ``countries`` polygon of `iso3` (RUS, CHN, PRK), or None if it has none.

    Used to hold a park's edges on its national border and coast fixed when its boundary
    uncertainty is applied (see :func:`amurgeo.measure.area_range_km2`). A site in several
    countries (WDPA writes ``RUS;CHN``) gets the union of its countries, so that only its
    edges on their outer border and coast stay fixed; None if any of them is not bundled.

    Examples
    --------
    >>> country_outline("RUS").geom_type, country_outline("FRA") is None
    ('MultiPolygon', True)
    >>> both = country_outline("RUS;CHN")
    >>> both.contains(country_outline("CHN").representative_point()), country_outline("RUS;USA")
    (True, None)
    """
    if not isinstance(iso3, str):
        return None
    codes = tuple(dict.fromkeys(c for c in re.split(r"[;,\s]+", iso3.strip().upper()) if c))
    return _countries_outline(codes) if codes else None


@cache
def _countries_outline(codes: tuple[str, ...]) -> BaseGeometry | None:
    """The union of the bundled countries `codes` (None if one is not bundled), cached."""
    countries = _read("countries")
    parts = []
    for code in codes:
        rows = countries.loc[countries["iso3"] == code]
        if rows.empty:
            return None
        parts.extend(rows.geometry.values)
    return shapely.union_all(parts)
