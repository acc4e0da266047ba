"""Interactive maps of where the Amur leopard and tiger are protected (Leaflet, via folium).

:func:`build_map` returns a :class:`folium.Map` (it shows inline in a notebook);
:func:`save_map` writes it as one HTML file, byte for byte the same for the same input.

What a map holds
----------------
* Every protected area, the leopard's range and any user layer as its own overlay, styled
  by kind, in a layer control grouped by theme; overlaps of protected areas and the parts of
  the range outside them (from :mod:`amurgeo.analysis`) as overlays too.
* Conservation activities as coloured, clustered markers, filterable by organization and
  activity.
* Popups with the names in English, Russian and Chinese, designation, year, reported and
  computed area (km² and ha) with its uncertainty range, manager and source; tooltips with
  the name; a legend whose entries follow the overlays; a note that the boundaries are
  approximate, with the sources; search by name; scale bar, measuring (ha and km²), full
  screen and a minimap.
* Base maps from xyzservices (street, satellite, topographic, with their attribution) over a
  vector basemap of borders and coast (the bundled ``countries`` layer) that shows wherever
  tiles do not load.

Safety
------
Every string that reaches the page (values, property names, layer names, legend labels,
titles, file names) is escaped with :func:`html.escape` here, in Python; data goes into
``<script>`` as JSON with ``<``, ``>`` and ``&`` escaped. The page's own JavaScript inserts
only those escaped fragments as HTML and uses ``textContent`` for everything else.

Offline
-------
A default map links Leaflet and its plugins from jsDelivr (pinned versions). With
``self_contained=True`` they are inlined from the copies that the build hook fetched from
npm, the default base map is the vector one, and the page makes no network request at all.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import math
import os
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeAlias

import folium
import geopandas as gpd
import numpy as np
import shapely
import xyzservices
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from amurgeo import _map_i18n as i18n
from amurgeo._atomic import atomic_path
from amurgeo._map_assets import ASSET_FILES, cdn_url
from amurgeo._offline import inline_assets, script_tag, style_tag, vendor_dir
from amurgeo.catalog import country_outline, layer_entry
from amurgeo.errors import DataError, UsageError
from amurgeo.geojson import normalize_geometry
from amurgeo.measure import area_range_km2, geodesic_area_km2

__all__ = ["BASEMAPS", "LANGS", "LayerSource", "build_map", "map_html", "save_map"]

#: What :func:`build_map` takes as a layer: a bundled layer id or alias, a file path, or a
#: GeoDataFrame.
LayerSource: TypeAlias = "str | os.PathLike[str] | gpd.GeoDataFrame"

#: Languages the labels can be in.
LANGS = i18n.LANGS

#: Base map names -> xyzservices provider. ``offline`` is the vector basemap alone.
BASEMAPS: dict[str, str] = {
    "street": "OpenStreetMap.Mapnik",
    "satellite": "Esri.WorldImagery",
    "topographic": "OpenTopoMap",
}
_BASEMAP_ALIASES = {"topo": "topographic", "osm": "street", "none": "offline", "vector": "offline"}

#: Coordinates in the page keep 5 decimals of a degree: about 1 m.
COORD_DECIMALS = 5

#: Where the map opens when no layer has areas or points (SW Primorye and the Chinese park).
REGION_BOUNDS = (129.0, 42.3, 132.3, 44.5)

_AREA_COLORS = ("#2e7d32", "#00796b", "#558b2f", "#1b5e20", "#00897b", "#827717")
_USER_COLORS = ("#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#283593")
_RANGE_COLOR = "#e65100"
_OVERLAP_COLOR = "#7b1fa2"
_GAP_COLOR = "#c62828"

#: Activity type -> (colour, one-letter code shown on the marker).
_ACTIVITY_STYLE: dict[str, tuple[str, str]] = {
    "monitoring": ("#1f77b4", "M"),
    "research": ("#9467bd", "R"),
    "anti-poaching": ("#d62728", "A"),
    "fire-fighting": ("#ff7f0e", "F"),
    "education": ("#2ca02c", "E"),
    "veterinary": ("#e377c2", "V"),
    "policy": ("#8c564b", "P"),
    "habitat-protection": ("#17becf", "H"),
    "reintroduction": ("#bcbd22", "I"),
    "community": ("#7f7f7f", "C"),
    "funding": ("#393b79", "$"),
}
_OTHER_ACTIVITY = ("#555555", "?")

# Overlay groups in the layer control, in order.
_GROUPS = ("group_protected", "group_range", "group_analysis", "group_activities", "group_user")
_GROUP_OF_KIND = {
    "protected-area": 0,
    "range": 1,
    "overlap": 2,
    "gap": 2,
    "activities": 3,
    "countries": 4,
}
# Map panes (z-index): the vector basemap lies under the tiles (200), overlays above.
_PANES = {
    "range": ("amurgeo-range", 380),
    "protected-area": ("amurgeo-areas", 400),
    "user": ("amurgeo-user", 405),
    "countries": ("amurgeo-user", 405),
    "overlap": ("amurgeo-analysis", 410),
    "gap": ("amurgeo-analysis", 410),
}

_ID_LOCK = threading.RLock()


# ---------------------------------------------------------------------------------------------
# Reproducible element ids and safe embedding
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _deterministic_ids(prefix: str) -> Iterator[None]:
    """Give every branca element created inside the block a counter id (``prefix0001`` ...).

    branca draws ids from ``os.urandom``; its ``_generate_id`` hook (branca >= 0.8) is swapped
    for a counter only while the block runs, under a lock, and always restored.
    """
    counter = itertools.count(1)

    def generate(cls: type) -> str:
        return f"{prefix}{next(counter):04d}"

    with _ID_LOCK:
        original = Element.__dict__["_generate_id"]
        Element._generate_id = classmethod(generate)  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Element._generate_id = original  # type: ignore[method-assign]


def _esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


#: A ``{`` that would open a Jinja tag: ``{{``, ``{%`` or ``{#``.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def _js(value: Any) -> str:
    """JSON for a ``<script>`` block: no ``<``, ``>`` or ``&`` left to end or confuse it.

    Nor any ``{{``, ``{%`` or ``{#``: branca renders the output of every macro once more as
    a Jinja template, so data holding ``{{ ... }}`` would be run as Python on the machine
    that builds the map. In JSON such a ``{`` can only be inside a string, where ``\\u007b``
    is the same character.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JINJA_OPEN.sub(
        r"\\u007b",
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029"),
    )


def _plain(value: Any) -> Any:
    """A property value as plain Python, with missing values (None, NaN, "") as None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, TypeError):
            value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    with contextlib.suppress(TypeError, ValueError):
        if (
            value is not None
            and not isinstance(value, (list, dict, tuple))
            and bool(gpd.pd.isna(value))
        ):
            return None
    return value


def _text(value: Any, limit: int = 600) -> str:
    """A value as one line of text, shortened to `limit` characters."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    words = " ".join(str(value).split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


@dataclass
class _Input:
    """One layer to draw: its frame, kind (catalog kind or inferred) and display name."""

    gdf: gpd.GeoDataFrame
    layer_id: str
    kind: str
    bundled: bool
    entry: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    #: For a detailed layer: the simplified drawing (:class:`amurgeo._obs_map.Simplified`).
    simplified: Any = None

    @property
    def polygonal(self) -> bool:
        return self.kind in ("protected-area", "range", "user-areas", "countries")


def _read_inputs(layers: Sequence[LayerSource] | None) -> list[_Input]:
    from amurgeo.catalog import catalog_entries
    from amurgeo.io import geometry_kind, read_drawable

    entries = {e["id"]: e for e in catalog_entries()}
    sources: list[LayerSource] = list(entries) if layers is None else list(layers)
    inputs: list[_Input] = []
    for source in sources:
        gdf = read_drawable(source)
        layer_id = str(gdf.attrs.get("layer_id") or "layer")
        entry = entries.get(layer_id)
        from_catalog = gdf.attrs.get("source") == "catalog"
        if entry is not None and not from_catalog:
            # a GeoDataFrame from load_layer() keeps the id; trust it if it has the fields
            from amurgeo.schema import required_fields

            from_catalog = all(f in gdf.columns for f in required_fields(entry["kind"]))
        if entry is not None and from_catalog:
            inputs.append(_Input(gdf, layer_id, entry["kind"], True, dict(entry)))
            continue
        kind = geometry_kind(gdf)
        if kind == "user-points" and {"organization", "activity"} <= set(map(str, gdf.columns)):
            kind = "activities"
        inputs.append(_Input(gdf, layer_id, kind, False))
    return inputs


def _name_in(row: dict[str, Any], lang: str) -> str | None:
    keys = {"en": "name", "ru": "name_ru", "zh": "name_zh"}
    return _text(row.get(keys[lang])) or _text(row.get("name")) or None


def _layer_display_name(item: _Input, lang: str) -> str:
    if item.bundled:
        if item.kind == "protected-area" and len(item.gdf) == 1:
            row = item.gdf.drop(columns=item.gdf.geometry.name).iloc[0].to_dict()
            named = _name_in(row, lang)
            if named:
                return named
        title = i18n.layer_title(item.layer_id, lang)
        return title or str(item.entry.get("title") or item.layer_id)
    return _text(item.layer_id, 120) or "layer"


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        out.append(name if count == 1 else f"{name} ({count})")
    # a renamed layer may now collide with a real name: repeat until unique
    return out if len(set(out)) == len(out) else _unique_names(out)


# ---------------------------------------------------------------------------------------------
# Popups (escaped HTML, built here)
# ---------------------------------------------------------------------------------------------


def _area_text(km2: float, lang: str) -> str:
    decimals = 0 if km2 >= 100 else (1 if km2 >= 1 else 2)
    ha = km2 * 100.0
    return (
        f"{i18n.number(km2, lang, decimals)} {i18n.text('km2', lang)} "
        f"({i18n.number(ha, lang, 0)} {i18n.text('ha', lang)})"
    )


def _table(rows: list[tuple[str, str]]) -> str:
    """An HTML table from (label, value HTML) pairs; labels are escaped here."""
    body = "".join(f"<tr><th>{_esc(label)}</th><td>{value}</td></tr>" for label, value in rows)
    return f"<table>{body}</table>" if body else ""


def _heading(primary: str, others: list[tuple[str, str]]) -> str:
    names = "".join(f'<span lang="{code}">{_esc(name)}</span>' for code, name in others)
    block = f'<div class="amg-names">{names}</div>' if names else ""
    return f"<h3>{_esc(primary)}</h3>{block}"


def _computed_area_html(geom: Any, uncertainty_km: Any, lang: str, iso3: Any = None) -> str:
    area = geodesic_area_km2(geom)
    out = _esc(_area_text(area, lang))
    uncertainty = _plain(uncertainty_km)
    try:
        distance = float(uncertainty) if uncertainty is not None else 0.0
    except (TypeError, ValueError):
        distance = 0.0
    if distance > 0 and math.isfinite(distance):
        low, high = area_range_km2(geom, distance, within=country_outline(iso3))
        decimals = 0 if high >= 100 else 1
        span = (
            f"{i18n.text('likely_range', lang)} {i18n.number(low, lang, decimals)} "
            f"{i18n.text('and', lang)} {i18n.number(high, lang, decimals)} "
            f"{i18n.text('km2', lang)} ({i18n.number(low * 100, lang)}\u2013"
            f"{i18n.number(high * 100, lang)} {i18n.text('ha', lang)}); "
            + i18n.text("boundary_uncertainty", lang, km=i18n.number(distance, lang, 1))
        )
        out += f'<span class="amg-range">{_esc(span)}</span>'
    return out


def _area_popup(row: dict[str, Any], geom: Any, lang: str, label: str) -> tuple[str, str, list]:
    """Popup HTML, tooltip HTML and search keys of a protected area or range feature."""
    names = {"en": _text(row.get("name")), "ru": _text(row.get("name_ru"))}
    names["zh"] = _text(row.get("name_zh"))
    primary = names.get(lang) or names["en"] or label
    others = [(code, n) for code, n in names.items() if n and n != primary]
    rows: list[tuple[str, str]] = []
    if _text(row.get("designation")):
        rows.append((i18n.text("designation", lang), _esc(_text(row.get("designation")))))
    if _text(row.get("iso3")):
        rows.append((i18n.text("country", lang), _esc(i18n.country_label(row["iso3"], lang))))
    if _text(row.get("status_year")):
        rows.append((i18n.text("established", lang), _esc(_text(row.get("status_year")))))
    presence = _text(row.get("presence"))
    if presence:
        key = f"presence_{presence}"
        shown = (
            i18n.text(key, lang)
            if key in ("presence_confirmed", "presence_unconfirmed")
            else presence
        )
        rows.append((i18n.text("presence", lang), _esc(shown)))
    reported = _plain(row.get("reported_area_km2"))
    with contextlib.suppress(TypeError, ValueError):
        if reported is not None and float(reported) > 0:
            value = _esc(_area_text(float(reported), lang))
            source = _text(row.get("reported_area_source"))
            if source:
                value += f'<span class="amg-range">{_esc(source)}</span>'
            rows.append((i18n.text("reported_area", lang), value))
    if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
        rows.append(
            (
                i18n.text("computed_area", lang),
                _computed_area_html(
                    geom, row.get("boundary_uncertainty_km"), lang, row.get("iso3")
                ),
            )
        )
    for key, label_key in (("managed_by", "managed_by"), ("source", "source"), ("notes", "notes")):
        if _text(row.get(key)):
            rows.append((i18n.text(label_key, lang), _esc(_text(row.get(key)))))
    popup = _heading(primary, others) + _table(rows)
    keys = [n for n in names.values() if n] or [label]
    return popup, _esc(primary), list(dict.fromkeys(keys))


def _generic_popup(row: dict[str, Any], geom: Any, lang: str, label: str) -> tuple[str, str, list]:
    """Popup of a user feature: every attribute (name and value escaped) and its area."""
    rows: list[tuple[str, str]] = []
    for key, value in list(row.items())[:40]:
        shown = _text(value)
        if shown:
            rows.append((_text(key, 80), _esc(shown)))
    if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
        rows.append(
            (
                i18n.text("computed_area", lang),
                _computed_area_html(
                    geom, row.get("boundary_uncertainty_km"), lang, row.get("iso3")
                ),
            )
        )
    return _heading(label, []) + _table(rows), _esc(label), [label]


def _country_popup(row: dict[str, Any], lang: str, label: str) -> tuple[str, str, list]:
    names = {"en": _text(row.get("name")), "ru": _text(row.get("name_ru"))}
    names["zh"] = _text(row.get("name_zh"))
    primary = names.get(lang) or names["en"] or label
    others = [(code, n) for code, n in names.items() if n and n != primary]
    rows = (
        [(i18n.text("source", lang), _esc(_text(row.get("source"))))] if row.get("source") else []
    )
    keys = [n for n in names.values() if n] or [label]
    return _heading(primary, others) + _table(rows), _esc(primary), keys


# ---------------------------------------------------------------------------------------------
# Overlay specifications (the JSON each overlay hands to the page's JavaScript)
# ---------------------------------------------------------------------------------------------


def _labels(gdf: gpd.GeoDataFrame) -> list[str]:
    from amurgeo.io import feature_labels

    return feature_labels(gdf)


def _feature(geom: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": normalize_geometry(geom, COORD_DECIMALS),
    }


def _style(color: str, *, fill: float = 0.2, weight: float = 2, dash: str | None = None) -> dict:
    style: dict[str, Any] = {
        "color": color,
        "weight": weight,
        "opacity": 0.9,
        "fillColor": color,
        "fillOpacity": fill,
    }
    if dash:
        style["dashArray"] = dash
    return style


def _vector_spec(item: _Input, index: int, lang: str, color: str, group: int) -> dict[str, Any]:
    gdf = item.gdf
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    labels = _labels(gdf)
    features = []
    kind = item.kind
    pane_key = kind if kind in _PANES else "user"
    pane, z_index = _PANES[pane_key]
    if kind == "range":
        style = _style(_RANGE_COLOR, fill=0.14, weight=2.5, dash="8 5")
    elif kind == "protected-area":
        style = _style(color, fill=0.22, weight=2)
    elif kind == "countries":
        style = _style("#424242", fill=0.0, weight=1.5, dash="4 3")
        style["fill"] = False
    elif kind == "user-lines":
        style = _style(color, fill=0.0, weight=3)
    elif kind == "user-points":
        style = _style(color, fill=0.8, weight=1.5)
        style["color"] = "#ffffff"
    else:
        style = _style(color, fill=0.25, weight=2)
    legend: list[dict[str, Any]] = []
    presences: list[str] = []
    for position, (values, geom) in enumerate(
        zip(gdf[columns].itertuples(index=False, name=None), gdf.geometry.values, strict=True)
    ):
        row = dict(zip(map(str, columns), values, strict=True))
        label = labels[position]
        if kind in ("protected-area", "range"):
            popup, tooltip, keys = _area_popup(row, geom, lang, label)
        elif kind == "countries":
            popup, tooltip, keys = _country_popup(row, lang, label)
        else:
            popup, tooltip, keys = _generic_popup(row, geom, lang, label)
        if item.simplified is not None:
            from amurgeo._obs_map import text as obs_text

            popup += _table([(obs_text("drawing", lang), _esc(item.simplified.note(lang)))])
            geom = item.simplified.geoms[position]  # drawn simplified; measured in full above
        props: dict[str, Any] = {"p": popup, "t": tooltip, "k": keys}
        if kind == "range" and _text(row.get("presence")) == "unconfirmed":
            props["s"] = {"fillOpacity": 0.06, "dashArray": "2 6", "color": "#fb8c00"}
            presences.append("unconfirmed")
        elif kind == "range":
            presences.append("confirmed")
        features.append(_feature(geom, props))
    if kind == "range":
        for presence in dict.fromkeys(presences):
            swatch = dict(style)
            if presence == "unconfirmed":
                swatch.update({"fillOpacity": 0.06, "dashArray": "2 6", "color": "#fb8c00"})
            legend.append(
                {"style": swatch, "labelHtml": _esc(i18n.text(f"legend_{presence}", lang))}
            )
    else:
        shape = {"user-points": "point", "user-lines": "line"}.get(kind, "area")
        legend.append({"style": {**style, "shape": shape}, "labelHtml": _esc(item.name)})
    return {
        "id": f"overlay-{index}",
        "kind": kind,
        "group": group,
        "nameHtml": _esc(item.name),
        "pane": pane,
        "zIndex": z_index,
        "style": style,
        "legend": legend if kind == "range" else legend[:1],
        "data": {"type": "FeatureCollection", "features": features},
    }


def _activity_spec(item: _Input, index: int, lang: str, group: int) -> dict[str, Any]:
    gdf = item.gdf
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    kinds = list(_ACTIVITY_STYLE)
    values_seen = [_text(v) for v in gdf["activity"]]
    extra = sorted({v for v in values_seen if v and v not in _ACTIVITY_STYLE}, key=str.casefold)
    kinds += extra
    organizations = sorted(
        {_text(v) for v in gdf["organization"] if _text(v)}, key=lambda s: (s.casefold(), s)
    )
    org_index = {name: i for i, name in enumerate(organizations)}
    kind_index = {name: i for i, name in enumerate(kinds)}
    present: set[int] = set()
    points = []
    for values, geom in zip(
        gdf[columns].itertuples(index=False, name=None), gdf.geometry.values, strict=True
    ):
        row = dict(zip(map(str, columns), values, strict=True))
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        organization = _text(row.get("organization"))
        activity = _text(row.get("activity"))
        a = kind_index.get(activity, -1)
        if a >= 0:
            present.add(a)
        label = i18n.activity_label(activity, lang) if activity else ""
        rows: list[tuple[str, str]] = []
        if activity:
            rows.append((i18n.text("activity", lang), _esc(label)))
        for key in ("description", "place"):
            if _text(row.get(key)):
                rows.append((i18n.text(key, lang), _esc(_text(row.get(key)))))
        precision = _text(row.get("location_precision"))
        if precision:
            shown = (
                i18n.text(f"precision_{precision}", lang)
                if precision in ("site", "district", "office")
                else precision
            )
            rows.append((i18n.text("location_precision", lang), _esc(shown)))
        for key in ("since", "source"):
            if _text(row.get(key)):
                rows.append((i18n.text(key, lang), _esc(_text(row.get(key)))))
        others = [
            (str(k), _esc(_text(v)))
            for k, v in row.items()
            if k not in ("organization", "activity", "description", "place")
            and k not in ("location_precision", "since", "source")
            and _text(v)
        ]
        rows += [(_text(k, 80), v) for k, v in others[:20]]
        heading = organization or activity or "?"
        popup = _heading(heading, []) + _table(rows)
        tooltip = _esc(f"{organization}: {label}" if organization and label else heading)
        place = _text(row.get("place"))
        keys = [f"{organization} — {place}" if place else organization] if organization else []
        points.append(
            [
                round(float(point.y), COORD_DECIMALS),
                round(float(point.x), COORD_DECIMALS),
                a,
                org_index.get(organization, -1),
                popup,
                tooltip,
                keys,
            ]
        )
    activities = []
    legend = []
    for i, name in enumerate(kinds):
        color, code = _ACTIVITY_STYLE.get(name, _OTHER_ACTIVITY)
        label = i18n.activity_label(name, lang)
        activities.append(
            {"color": color, "codeHtml": _esc(code), "labelText": label, "present": i in present}
        )
        if i in present:
            legend.append({"color": color, "codeHtml": _esc(code), "labelHtml": _esc(label)})
    return {
        "id": f"overlay-{index}",
        "kind": "activities",
        "group": group,
        "nameHtml": _esc(item.name),
        "legend": legend,
        "activities": activities,
        "organizations": organizations,
        "points": points,
    }


# ---------------------------------------------------------------------------------------------
# Overlaps and gaps (computed by amurgeo.analysis)
# ---------------------------------------------------------------------------------------------


def _keyed_copy(item: _Input, layer_key: str) -> gpd.GeoDataFrame:
    """A copy of `item` whose feature labels are ``f0``, ``f1`` ... and layer id `layer_key`."""
    frame = gpd.GeoDataFrame(
        {
            "name": [f"f{i}" for i in range(len(item.gdf))],
            "boundary_uncertainty_km": (
                item.gdf["boundary_uncertainty_km"].to_numpy()
                if "boundary_uncertainty_km" in item.gdf.columns
                else np.zeros(len(item.gdf))
            ),
        },
        geometry=item.gdf.geometry.values,
        crs="EPSG:4326",
    )
    frame.attrs["layer_id"] = layer_key
    return frame


def _feature_name(item: _Input, position: int, lang: str) -> str:
    labels = item.__dict__.setdefault("_labels", {})  # once per layer: a layer may have many
    if "all" not in labels:
        labels["all"] = _labels(item.gdf)
    if item.kind in ("protected-area", "range"):
        row = item.gdf.drop(columns=item.gdf.geometry.name).iloc[position].to_dict()
        return _name_in(row, lang) or labels["all"][position]
    return str(labels["all"][position])


def _range_text(value: float, low: float, high: float, lang: str) -> str:
    text = _esc(_area_text(value, lang))
    if high > low:
        decimals = 0 if high >= 100 else 1
        span = (
            f"{i18n.text('likely_range', lang)} {i18n.number(low, lang, decimals)} "
            f"{i18n.text('and', lang)} {i18n.number(high, lang, decimals)} {i18n.text('km2', lang)}"
        )
        text += f'<span class="amg-range">{_esc(span)}</span>'
    return text


def _drawn_features(pairs: list[tuple[Any, dict[str, Any]]], lang: str) -> list[dict[str, Any]]:
    """GeoJSON features of (geometry, properties); detailed geometries drawn simplified."""
    from amurgeo._obs_map import simplify_for_drawing
    from amurgeo._obs_map import text as obs_text

    simplified = simplify_for_drawing([geom for geom, _ in pairs]) if pairs else None
    if simplified is None:
        return [_feature(geom, props) for geom, props in pairs]
    row = _table([(obs_text("drawing", lang), _esc(simplified.note(lang)))])
    return [
        _feature(geom, {**props, "p": props["p"] + row})
        for geom, (_, props) in zip(simplified.geoms, pairs, strict=True)
    ]


def _overlap_spec(areas: list[_Input], index: int, lang: str) -> dict[str, Any] | None:
    from amurgeo.analysis import overlap_matrix

    if sum(len(a.gdf) for a in areas) < 2:
        return None
    frames = [_keyed_copy(item, f"l{i}") for i, item in enumerate(areas)]
    table = overlap_matrix(frames, per_feature=True, include_disjoint=False)
    pairs: list[tuple[Any, dict[str, Any]]] = []
    for record, geom in zip(table.to_dict("records"), table.geometry.values, strict=True):
        area = float(record["overlap_km2"])
        share = max(float(record["pct_of_a"] or 0), float(record["pct_of_b"] or 0))
        if geom is None or geom.is_empty or area <= 0 or share < 1.0:
            continue  # digitizing slivers along shared borders are not overlaps
        names = []
        for side in ("a", "b"):
            layer_key, _, feature_key = str(record[side]).partition(": ")
            item = areas[int(layer_key[1:])]
            names.append(_feature_name(item, int(feature_key[1:]), lang))
        title = i18n.text("overlap_of", lang, a=names[0], b=names[1])
        rows = [
            (
                i18n.text("overlap_area", lang),
                _range_text(area, record["overlap_km2_low"], record["overlap_km2_high"], lang),
            ),
            (
                i18n.text("share_of", lang, name=names[0]),
                _esc(f"{i18n.number(float(record['pct_of_a']), lang, 1)} %"),
            ),
            (
                i18n.text("share_of", lang, name=names[1]),
                _esc(f"{i18n.number(float(record['pct_of_b']), lang, 1)} %"),
            ),
        ]
        popup = _heading(i18n.text("overlap_title", lang), [(lang, title)]) + _table(rows)
        pairs.append((geom, {"p": popup, "t": _esc(title), "k": [title]}))
    style = _style(_OVERLAP_COLOR, fill=0.35, weight=1.5, dash="3 3")
    return _derived_overlay("overlap", "layer_overlaps", style, pairs, index, lang)


def _gap_spec(
    ranges: list[_Input], areas: list[_Input], index: int, lang: str
) -> dict[str, Any] | None:
    from amurgeo.analysis import gap

    if not ranges or not areas:
        return None
    by = [_keyed_copy(item, f"l{i}") for i, item in enumerate(areas)]
    by_names = ", ".join(a.name for a in areas)
    pairs: list[tuple[Any, dict[str, Any]]] = []
    for item in ranges:
        for position in range(len(item.gdf)):
            one = _keyed_copy(item, "range").iloc[[position]]
            one.attrs["layer_id"] = "range"
            result = gap(one, by=by).iloc[0]
            geom = result.geometry
            if geom is None or geom.is_empty or float(result["gap_km2"]) <= 0:
                continue
            row = item.gdf.drop(columns=item.gdf.geometry.name).iloc[position].to_dict()
            range_name = _feature_name(item, position, lang)
            presence = _text(row.get("presence"))
            if presence in ("confirmed", "unconfirmed"):
                range_name = f"{range_name} \u2014 {i18n.text(f'presence_{presence}', lang)}"
            rows = [
                (
                    i18n.text("gap_area", lang),
                    _range_text(
                        float(result["gap_km2"]),
                        float(result["gap_km2_low"]),
                        float(result["gap_km2_high"]),
                        lang,
                    ),
                ),
                (
                    i18n.text("gap_share", lang),
                    _esc(f"{i18n.number(float(result['gap_pct']), lang, 1)} %"),
                ),
                (i18n.text("gap_by", lang), _esc(by_names)),
            ]
            title = i18n.text("gap_title", lang)
            popup = _heading(title, [(lang, range_name)]) + _table(rows)
            pairs.append((geom, {"p": popup, "t": _esc(f"{title}: {range_name}"), "k": []}))
    style = _style(_GAP_COLOR, fill=0.42, weight=1.2)
    return _derived_overlay("gap", "layer_gaps", style, pairs, index, lang)


def _derived_overlay(
    kind: str,
    name_key: str,
    style: dict[str, Any],
    pairs: list[tuple[Any, dict[str, Any]]],
    index: int,
    lang: str,
) -> dict[str, Any] | None:
    """The overlay spec of computed geometries (overlaps, gaps); None when nothing to draw."""
    features = _drawn_features(pairs, lang)
    if not features:
        return None
    name = i18n.text(name_key, lang)
    pane, z_index = _PANES[kind]
    return {
        "id": f"overlay-{index}",
        "kind": kind,
        "group": _GROUP_OF_KIND[kind],
        "nameHtml": _esc(name),
        "pane": pane,
        "zIndex": z_index,
        "style": style,
        "legend": [{"style": {**style, "shape": "area"}, "labelHtml": _esc(name)}],
        "data": {"type": "FeatureCollection", "features": features},
    }


# ---------------------------------------------------------------------------------------------
# Folium elements
# ---------------------------------------------------------------------------------------------


class _Assets(JSCSSMixin):
    """Links to the pinned CDN copies of the Leaflet plugins a map uses."""

    def __init__(self, features: Sequence[str]) -> None:
        super().__init__()
        self._name = "Assets"
        js: list[tuple[str, str]] = []
        css: list[tuple[str, str]] = []
        for feature in features:
            for package, path in ASSET_FILES[feature]:
                target = css if path.endswith(".css") else js
                target.append((f"{package}/{path}", cdn_url(package, path)))
        # instance attributes: the class-level lists are never mutated
        self.default_js = list(dict.fromkeys(js))
        self.default_css = list(dict.fromkeys(css))


class _Overlay(Layer):
    """One overlay, created in the page by ``amurgeo.vectorLayer`` or ``activityLayer``."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = amurgeo.{{ this.factory }}"
        "({{ this._parent.get_name() }}, {{ this.spec_js }});\n"
        "{% endmacro %}"
    )

    def __init__(self, spec: dict[str, Any], *, show: bool = True) -> None:
        super().__init__(name=spec["nameHtml"], overlay=True, control=False, show=show)
        self._name = "Overlay"
        self.spec = spec
        factories = {"activities": "activityLayer", "density": "hexLayer"}
        self.factory = factories.get(spec["kind"], "vectorLayer")
        self.spec_js = _js(spec)


class _MapUI(MacroElement):
    """The page's own script and style, and the call that wires up controls and legend."""

    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.head }}\n{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "amurgeo.setup({{ this._parent.get_name() }}, "
        "[{% for o in this.overlays %}{{ o.get_name() }}{{ ', ' if not loop.last }}{% endfor %}], "
        "[{% for b in this.bases %}{{ b.get_name() }}{{ ', ' if not loop.last }}{% endfor %}], "
        "{{ this.config_js }});\n"
        "{% endmacro %}"
    )

    def __init__(
        self,
        overlays: list[_Overlay],
        bases: list[folium.TileLayer],
        config: dict[str, Any],
    ) -> None:
        super().__init__()
        self._name = "MapUI"
        self.overlays = overlays
        self.bases = bases
        self.config = config
        package = files("amurgeo")
        css = (package / "_map_ui.css").read_text(encoding="utf-8")
        js = (package / "_map_ui.js").read_text(encoding="utf-8")
        self.head = style_tag(css) + "\n" + script_tag(js)
        self.config_js = _js(config)


class AmurgeoMap(folium.Map):
    """A :class:`folium.Map` that loads only Leaflet (no jQuery, Bootstrap or Font Awesome).

    It renders through :func:`map_html`, so that notebooks show the same page
    :func:`save_map` writes (self-contained when built so).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # instance attributes: folium.Map.default_js / default_css are never mutated
        self.default_js = [(f"leaflet/{p}", cdn_url(k, p)) for k, p in ASSET_FILES["leaflet"][:1]]
        self.default_css = [(f"leaflet/{p}", cdn_url(k, p)) for k, p in ASSET_FILES["leaflet"][1:]]
        self.amurgeo_self_contained = False
        self.amurgeo_basemap: str | None = None
        self.amurgeo_tiles: dict[str, folium.TileLayer] = {}

    def _repr_html_(self, **kwargs: Any) -> str:
        """Show the map in a notebook (an iframe holding the page)."""
        page = map_html(self)
        return (
            '<div style="width:100%;"><div style="position:relative;width:100%;height:0;'
            'padding-bottom:60%;"><iframe srcdoc="'
            + html.escape(page, quote=True)
            + '" style="position:absolute;width:100%;height:100%;left:0;top:0;'
            'border:none !important;" allowfullscreen></iframe></div></div>'
        )


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _check_basemap(basemap: str | None) -> str | None:
    if basemap is None:
        return None
    name = str(basemap).strip().lower()
    name = _BASEMAP_ALIASES.get(name, name)
    if name in BASEMAPS or name == "offline":
        return name
    try:
        xyzservices.providers.query_name(str(basemap))
    except ValueError:
        choices = ", ".join([*BASEMAPS, "offline"])
        raise UsageError(
            f"basemap {basemap!r} is not one of {choices} or an xyzservices provider name "
            "(such as CartoDB.Positron)"
        ) from None
    return str(basemap)


def _provider(name: str) -> xyzservices.TileProvider:
    return xyzservices.providers.query_name(BASEMAPS.get(name, name))


def _frame(inputs: list[_Input]) -> list[list[float]]:
    """The bounds the map opens on: every area; points only when there is no area.

    Far-away offices among the activity points never widen the frame: points alone are
    framed on their central 80 %.
    """
    boxes = [item.gdf.total_bounds for item in inputs if item.polygonal and len(item.gdf)]
    if boxes:
        xmin, ymin = min(b[0] for b in boxes), min(b[1] for b in boxes)
        xmax, ymax = max(b[2] for b in boxes), max(b[3] for b in boxes)
    else:
        geoms = [g for item in inputs for g in item.gdf.geometry.values if g is not None]
        if geoms:
            points = shapely.get_coordinates(np.array(geoms, dtype=object))
            if len(points) >= 5:
                lo = np.quantile(points, 0.1, axis=0)
                hi = np.quantile(points, 0.9, axis=0)
                pad = np.maximum((hi - lo) * 0.25, 0.05)
                inside = np.all((points >= lo - pad) & (points <= hi + pad), axis=1)
                points = points[inside]
            (xmin, ymin), (xmax, ymax) = points.min(axis=0), points.max(axis=0)
        else:
            xmin, ymin, xmax, ymax = REGION_BOUNDS
    if xmax - xmin < 0.01 or ymax - ymin < 0.01:
        xmin, xmax, ymin, ymax = xmin - 0.05, xmax + 0.05, ymin - 0.05, ymax + 0.05
    r = COORD_DECIMALS
    return [
        [round(float(ymin), r), round(float(xmin), r)],
        [round(float(ymax), r), round(float(xmax), r)],
    ]


def _with_points(frame: list[list[float]], points: Any) -> list[list[float]]:
    """`frame` grown to hold the central 98 % of the observations (far outliers never count)."""
    lon = np.quantile(points.lon, [0.01, 0.99])
    lat = np.quantile(points.lat, [0.01, 0.99])
    r = COORD_DECIMALS
    return [
        [round(min(frame[0][0], float(lat[0])), r), round(min(frame[0][1], float(lon[0])), r)],
        [round(max(frame[1][0], float(lat[1])), r), round(max(frame[1][1], float(lon[1])), r)],
    ]


#: The offline basemap draws each country simplified to this many degrees (~1 km), without
#: its lake and river holes and without islands under about 15 km²: a backdrop, not data.
BASEMAP_TOLERANCE_DEG = 0.01
BASEMAP_MIN_PART_DEG2 = 0.002


def _basemap_outline(geom: Any) -> Any:
    """A light copy of a detailed country outline for the self-contained page's backdrop."""
    parts = [
        shapely.Polygon(part.exterior)
        for part in shapely.get_parts(geom)
        if part.geom_type == "Polygon" and part.area >= BASEMAP_MIN_PART_DEG2
    ]
    simple = shapely.simplify(shapely.MultiPolygon(parts), BASEMAP_TOLERANCE_DEG)
    return shapely.make_valid(simple)


def _countries_basemap() -> tuple[dict[str, Any], str]:
    from amurgeo.catalog import load_layer

    gdf = load_layer("countries")
    features = [
        {"type": "Feature", "properties": {}, "geometry": normalize_geometry(outline, 3)}
        for outline in map(_basemap_outline, gdf.geometry.values)
    ]
    attribution = str(layer_entry("countries").get("attribution") or "")
    return {"type": "FeatureCollection", "features": features}, attribution


def _attribution(inputs: list[_Input], basemap: str) -> str:
    """One attribution line for the bundled layers shown and the vector basemap."""
    parts: list[str] = []
    for text in [*(i.entry.get("attribution") or "" for i in inputs if i.bundled), basemap]:
        parts += [p.strip() for p in str(text).split(";") if p.strip()]
    return "; ".join(dict.fromkeys(parts))


def _sources_html(inputs: list[_Input], lang: str) -> str:
    items = []
    for item in inputs:
        if item.bundled:
            source = _text(item.entry.get("source"))
            licence = _text(item.entry.get("license"))
            detail = f"{source} ({licence})" if licence else source
        else:
            detail = _text(item.gdf.attrs.get("source") or item.layer_id, 300)
        if item.simplified is not None:
            detail += "; " + item.simplified.note(lang)
        items.append(f"<li><b>{_esc(item.name)}</b>: {_esc(detail)}</li>")
    if not any(i.layer_id == "countries" for i in inputs):
        entry = layer_entry("countries")
        detail = f"{_text(entry.get('source'))} ({_text(entry.get('license'))})"
        items.append(f"<li><b>{_esc(i18n.layer_title('countries', lang))}</b>: {_esc(detail)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _add_base_maps(
    m: AmurgeoMap, chosen: str | None, lang: str
) -> tuple[list[folium.TileLayer], list[str]]:
    """Add the tiled base maps (all off; :func:`map_html` switches one on) and their names."""
    keys = list(BASEMAPS)
    if chosen not in (None, "offline", *BASEMAPS):
        keys.append(str(chosen))
    bases: list[folium.TileLayer] = []
    names: list[str] = []
    for key in keys:
        provider = _provider(key)
        label = i18n.text(f"basemap_{key}", lang) if key in BASEMAPS else provider.name
        tile = folium.TileLayer(
            tiles=provider,
            name=_esc(label),
            overlay=False,
            control=False,
            show=False,
            max_zoom=int(provider.get("max_zoom", 18)),
        )
        tile.add_to(m)
        m.amurgeo_tiles[key] = tile
        bases.append(tile)
        names.append(_esc(label))
    return bases, names


def _overlay_specs(
    inputs: list[_Input], lang: str, overlaps: bool, gaps: bool
) -> list[dict[str, Any]]:
    """One spec per overlay: ranges, protected areas, other layers, then overlaps and gaps."""
    specs: list[dict[str, Any]] = []
    area_color = itertools.cycle(_AREA_COLORS)
    user_color = itertools.cycle(_USER_COLORS)
    ordered = sorted(inputs, key=lambda it: {"range": 0, "protected-area": 1}.get(it.kind, 2))
    for item in ordered:
        index = len(specs)
        if item.kind == "activities":
            specs.append(_activity_spec(item, index, lang, _GROUP_OF_KIND["activities"]))
            continue
        color = next(area_color) if item.kind == "protected-area" else next(user_color)
        group = _GROUP_OF_KIND.get(item.kind, 4)
        specs.append(_vector_spec(item, index, lang, color, group))
    area_layers = [it for it in ordered if it.kind in ("protected-area", "user-areas")]
    protected = [it for it in area_layers if it.kind == "protected-area"] or area_layers
    if overlaps:
        spec = _overlap_spec(area_layers, len(specs), lang)
        if spec:
            specs.append(spec)
    if gaps:
        ranges = [it for it in ordered if it.kind == "range"]
        spec = _gap_spec(ranges, protected, len(specs), lang)
        if spec:
            specs.append(spec)
    return specs


_UI_TEXT = (
    ("legend", "legend"),
    ("sources", "sources"),
    ("search", "search"),
    ("searchNone", "search_none"),
    ("allOrganizations", "all_organizations"),
    ("allActivities", "all_activities"),
    ("activity", "activity"),
    ("organization", "organization"),
    ("fullscreen", "fullscreen"),
    ("fullscreenExit", "fullscreen_exit"),
    ("km2", "km2"),
    ("ha", "ha"),
)


def _page_config(
    inputs: list[_Input], lang: str, frame: list[list[float]], title: str, base_names: list[str]
) -> dict[str, Any]:
    """What the page's ``amurgeo.setup`` needs: frame, texts (escaped HTML), vector basemap."""
    basemap_geojson, basemap_attribution = _countries_basemap()
    return {
        "lang": lang,
        "frame": frame,
        "titleHtml": _esc(title),
        "noteHtml": _esc(i18n.text("note", lang)),
        "sourcesHtml": _sources_html(inputs, lang),
        "groupNamesHtml": [_esc(i18n.text(key, lang)) for key in _GROUPS],
        "baseNamesHtml": base_names,
        "offlineNameHtml": _esc(i18n.text("basemap_offline", lang)),
        "basemap": basemap_geojson,
        "basemapAttributionHtml": _esc(_attribution(inputs, basemap_attribution)),
        "text": {key_js: i18n.text(key, lang) for key_js, key in _UI_TEXT},
    }


def build_map(
    layers: Sequence[LayerSource] | LayerSource | None = None,
    *,
    lang: str = "en",
    basemap: str | None = None,
    title: str | None = None,
    overlaps: bool = True,
    gaps: bool = True,
    self_contained: bool = False,
    measure: bool = True,
    minimap: bool = True,
    observations: Any = None,
    simplify: bool = True,
) -> folium.Map:
    """Build an interactive map of bundled layers and/or your own files.

    Parameters
    ----------
    layers
        Bundled layer ids or aliases, paths of vector files (GeoJSON, GeoPackage, Shapefile,
        KML ...) or GeoDataFrames; one or a list. Default: every bundled layer (the
        ``countries`` layer is the vector basemap then, not an overlay).
    lang
        Language of the labels: ``en``, ``ru`` or ``zh``.
    basemap
        Base map shown first: ``street``, ``satellite``, ``topographic``, ``offline`` (the
        vector basemap alone) or any xyzservices provider name. Default: ``street``, or
        ``offline`` for a self-contained map (which then loads nothing until a tiled base
        map is chosen).
    title
        Title of the page and of the map's note box.
    overlaps
        Add an overlay of where protected areas overlap (when there are two or more).
    gaps
        Add an overlay of the parts of each range outside every protected area (when the map
        has a range and protected areas).
    self_contained
        Inline Leaflet and its plugins when the map is saved or shown, so that the page works
        with no network at all (needs the files bundled at install time).
    measure, minimap
        Add the measuring tool (ha and km²) and the minimap.
    observations
        Observations to draw as a density layer: a CSV, (Geo)Parquet or vector file of
        points, a directory of Parquet partitions, a DataFrame with coordinate columns or a
        GeoDataFrame (see :func:`amurgeo.observations.read_observations`). They are binned
        into equal-area hexagons, coarser for the overview and finer when zoomed in, drawn on
        one canvas: the page grows with the occupied hexagons, not with the points.
    simplify
        Draw a user layer of more than 50,000 vertices simplified for the screen (areas,
        overlaps and popups keep the full detail; the tolerance and the area difference of
        the drawing are stated on the map).

    Returns
    -------
    folium.Map
        An :class:`AmurgeoMap`; save it with :func:`save_map`.

    Raises
    ------
    UsageError
        For an unknown language or base map, or a layer that does not exist.
    DataError
        For a file that cannot be read or a layer with nothing to draw.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> parks = gpd.GeoDataFrame(
    ...     {"name": ["<b>Park</b>"]}, geometry=[box(131.0, 42.8, 131.5, 43.2)], crs=4326
    ... )
    >>> m = build_map([parks], lang="ru")
    >>> page = map_html(m)
    >>> "Park" in page, "<b>Park</b>" in page  # escaped: the tag is shown, never parsed
    (True, False)
    """
    try:
        lang = i18n.check_lang(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    chosen_basemap = _check_basemap(basemap)
    if self_contained:
        vendor_dir()  # fail now, not after the work, when the Leaflet files are missing
    if layers is not None and isinstance(layers, (str, os.PathLike, gpd.GeoDataFrame)):
        layers = [layers]
    if layers is not None and not len(layers):
        raise UsageError("`layers` is empty; name at least one layer or file, or pass None")
    overview = layers is None
    inputs = _read_inputs(layers)
    if overview:
        inputs = [item for item in inputs if item.kind != "countries"]
    inputs = [item for item in inputs if len(item.gdf)] or inputs
    if not any(len(item.gdf) for item in inputs):
        raise DataError("nothing to draw: every layer given is empty")
    names = _unique_names([_layer_display_name(item, lang) for item in inputs])
    for item, name in zip(inputs, names, strict=True):
        item.name = name
    if simplify:
        from amurgeo._obs_map import simplify_for_drawing

        for item in inputs:
            if not item.bundled and item.polygonal:
                item.simplified = simplify_for_drawing(item.gdf.geometry.values)
    points = None
    if observations is not None:
        from amurgeo.observations import _load_points

        points = _load_points(observations)
        if not len(points):
            raise DataError(f"{points.where}: holds no observation with usable coordinates")

    with _deterministic_ids("e"):
        frame = _frame(inputs)
        if points is not None:
            frame = _with_points(frame, points)
        center = [
            round((frame[0][0] + frame[1][0]) / 2, COORD_DECIMALS),
            round((frame[0][1] + frame[1][1]) / 2, COORD_DECIMALS),
        ]
        page_title = title or i18n.text("title", lang)
        m = AmurgeoMap(
            location=center,
            zoom_start=8,
            tiles=None,
            control_scale=False,
            prefer_canvas=False,
            font_size="0.8rem",
            # the map needs its own zoom limits: the offline base map has no tiles to give them
            maxZoom=18,
            minZoom=3,
        )
        figure = m.get_root()
        assert isinstance(figure, Figure)
        figure.title = _esc(page_title)
        m.amurgeo_self_contained = bool(self_contained)
        m.amurgeo_basemap = chosen_basemap

        bases, base_names = _add_base_maps(m, chosen_basemap, lang)

        features = ["groupedlayers"]
        if any(item.kind == "activities" for item in inputs):
            features.append("markercluster")
        features.append("fullscreen")
        if measure:
            features.append("measure" if lang == "en" else f"measure-{lang}")
        if minimap:
            features.append("minimap")
        _Assets(features).add_to(m)

        # drawn in this order (panes keep areas above the range); listed by group
        specs = _overlay_specs(inputs, lang, overlaps, gaps)
        if points is not None:
            from amurgeo._obs_map import density_spec, hex_script

            specs.append(density_spec(points, frame, len(specs), lang, _GROUP_OF_KIND["countries"]))
            figure.header.add_child(Element(script_tag(hex_script())), name="amurgeo_density")
        overlays = [_Overlay(spec) for spec in specs]
        for overlay in overlays:
            overlay.add_to(m)
        overlays_by_group = sorted(overlays, key=lambda o: o.spec["group"])
        config = _page_config(inputs, lang, frame, page_title, base_names)
        if points is not None:
            note = specs[-1]["noteHtml"]
            config["sourcesHtml"] = config["sourcesHtml"][: -len("</ul>")] + (
                f"<li><b>{specs[-1]['nameHtml']}</b>: {_esc(points.where)}; {note}</li></ul>"
            )
        ui = _MapUI(overlays_by_group, bases, config)
        ui.add_to(m)
        m.amurgeo_ui = ui  # type: ignore[attr-defined]
    return m


def _prepare_bases(m: AmurgeoMap, self_contained: bool) -> None:
    """Switch on the first base map: the chosen one, else street (offline if self-contained)."""
    choice = m.amurgeo_basemap or ("offline" if self_contained else "street")
    for key, tile in m.amurgeo_tiles.items():
        tile.show = key == choice
        # Layer.render only ever adds its "add to map" child; drop one from an earlier render
        tile._children.pop(tile.get_name() + "_add", None)


def map_html(m: folium.Map, *, self_contained: bool | None = None) -> str:
    """Return the HTML page of `m`: the same bytes for the same map.

    Parameters
    ----------
    m
        A map from :func:`build_map` (any folium map renders, with folium's own ids).
    self_contained
        Inline every script and stylesheet (default: as the map was built).

    Raises
    ------
    DataError
        For a self-contained page when the bundled Leaflet files are missing.
    """
    offline = (
        bool(getattr(m, "amurgeo_self_contained", False))
        if self_contained is None
        else bool(self_contained)
    )
    with _ID_LOCK:
        figure = m.get_root()
        parts = [figure.header, figure.html, figure.script] if isinstance(figure, Figure) else []
        # Rendering adds children to the figure; drop those of an earlier render so that
        # every render starts from the same tree (and base maps switched off stay off).
        for part, keys in zip(parts, getattr(m, "_amurgeo_rendered", []), strict=False):
            for key in keys:
                part._children.pop(key, None)
        before = [set(part._children) for part in parts]
        if isinstance(m, AmurgeoMap):
            _prepare_bases(m, offline)
        with _deterministic_ids("r"):
            page = figure.render()
        m._amurgeo_rendered = [  # type: ignore[attr-defined]
            [k for k in part._children if k not in old]
            for part, old in zip(parts, before, strict=True)
        ]
    if offline:
        page = inline_assets(page)
    return page


def save_map(
    m: folium.Map, path: str | os.PathLike[str], *, self_contained: bool | None = None
) -> Path:
    """Write `m` to `path` as one HTML file, atomically; return the path.

    Parameters
    ----------
    m
        A map from :func:`build_map`.
    path
        Output file (``.html``); its folder must exist.
    self_contained
        Inline Leaflet and its plugins so that the file works with no network (default: as
        the map was built).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> parks = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(131, 43, 131.5, 43.2)], crs=4326)
    >>> out = save_map(build_map(parks), pathlib.Path(tempfile.mkdtemp()) / "parks.html")
    >>> out.read_bytes() == save_map(build_map(parks), out).read_bytes()
    True
    """
    page = map_html(m, self_contained=self_contained)
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_bytes(page.encode("utf-8"))
    return target
