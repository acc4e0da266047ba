"""Popups and the escaping of every value that reaches the page."""

from __future__ import annotations

import contextlib
import html
import json
import math
import re
from typing import Any

import geopandas as gpd

from amurgeo.catalog import country_outline
from amurgeo.geojson import normalize_geometry
from amurgeo.maps import i18n
from amurgeo.measure import area_range_km2, geodesic_area_km2
from amurgeo.region import COORD_DECIMALS

#: Languages the labels can be in.
LANGS = i18n.LANGS


def esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


#: A ``{`` that would open a Jinja tag: ``{{``, ``{%`` or ``{#``.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_literal(value: Any) -> str:
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


def ui_text(value: Any, limit: int = 600) -> str:
    """A value as one line of text, shortened to `limit` characters."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    words = " ".join(str(value).split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


#: Longest note an area's popup shows whole (characters): the bundled notes run to about
#: 1,000 (their last sentence often says how far a drawn edge may be off); the popup scrolls.
NOTE_LIMIT = 2000


def translated(row: dict[str, Any], key: str, lang: str, limit: int = 600) -> str:
    """The text of attribute `key` in `lang` (``<key>_ru``, ``<key>_zh``), else the English one."""
    if lang != "en":
        text = ui_text(row.get(f"{key}_{lang}"), limit)
        if text:
            return text
    return ui_text(row.get(key), limit)


def area_text(km2: float, lang: str) -> str:
    decimals = 0 if km2 >= 100 else (1 if km2 >= 1 else 2)
    ha = km2 * 100.0
    return (
        f"{i18n.number(km2, lang, decimals)} {i18n.text('km2', lang)} "
        f"({i18n.number(ha, lang, 0)} {i18n.text('ha', lang)})"
    )


def html_table(rows: list[tuple[str, str]]) -> str:
    """An HTML table from (label, value HTML) pairs; labels are escaped here."""
    body = "".join(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in rows)
    return f"<table>{body}</table>" if body else ""


def names_heading(primary: str, others: list[tuple[str, str]]) -> str:
    names = "".join(f'<span lang="{code}">{esc(name)}</span>' for code, name in others)
    block = f'<div class="amg-names">{names}</div>' if names else ""
    return f"<h3>{esc(primary)}</h3>{block}"


def _computed_area_html(geom: Any, uncertainty_km: Any, lang: str, iso3: Any = None) -> str:
    area = geodesic_area_km2(geom)
    out = esc(area_text(area, lang))
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
        out += f'<span class="amg-range">{esc(span)}</span>'
    return out


def area_popup(row: dict[str, Any], geom: Any, lang: str, label: str) -> tuple[str, str, list]:
    """Popup HTML, tooltip HTML and search keys of a protected area or range feature."""
    names = {"en": ui_text(row.get("name")), "ru": ui_text(row.get("name_ru"))}
    names["zh"] = ui_text(row.get("name_zh"))
    primary = names.get(lang) or names["en"] or label
    others = [(code, n) for code, n in names.items() if n and n != primary]
    rows: list[tuple[str, str]] = []
    if ui_text(row.get("designation")):
        designation = i18n.designation_label(ui_text(row.get("designation")), lang)
        rows.append((i18n.text("designation", lang), esc(designation)))
    if ui_text(row.get("iso3")):
        rows.append((i18n.text("country", lang), esc(i18n.country_label(row["iso3"], lang))))
    if ui_text(row.get("status_year")):
        rows.append((i18n.text("established", lang), esc(ui_text(row.get("status_year")))))
    presence = ui_text(row.get("presence"))
    if presence:
        key = f"presence_{presence}"
        shown = (
            i18n.text(key, lang)
            if key in ("presence_confirmed", "presence_unconfirmed")
            else presence
        )
        rows.append((i18n.text("presence", lang), esc(shown)))
    reported = _plain(row.get("reported_area_km2"))
    with contextlib.suppress(TypeError, ValueError):
        if reported is not None and float(reported) > 0:
            value = esc(area_text(float(reported), lang))
            source = translated(row, "reported_area_source", lang)
            if source:
                value += f'<span class="amg-range">{esc(source)}</span>'
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
    for key in ("managed_by", "source", "notes"):
        text = translated(row, key, lang, NOTE_LIMIT)
        if text:
            rows.append((i18n.text(key, lang), esc(text)))
    popup = names_heading(primary, others) + html_table(rows)
    keys = [primary, *(n for n in names.values() if n)]
    return popup, esc(primary), list(dict.fromkeys(keys))


def generic_popup(row: dict[str, Any], geom: Any, lang: str, label: str) -> tuple[str, str, list]:
    """Popup of a user feature: every attribute (name and value escaped) and its area."""
    rows: list[tuple[str, str]] = []
    for key, value in list(row.items())[:40]:
        shown = ui_text(value)
        if shown:
            rows.append((ui_text(key, 80), esc(shown)))
    if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
        rows.append(
            (
                i18n.text("computed_area", lang),
                _computed_area_html(
                    geom, row.get("boundary_uncertainty_km"), lang, row.get("iso3")
                ),
            )
        )
    return names_heading(label, []) + html_table(rows), esc(label), [label]


def country_popup(row: dict[str, Any], lang: str, label: str) -> tuple[str, str, list]:
    names = {"en": ui_text(row.get("name")), "ru": ui_text(row.get("name_ru"))}
    names["zh"] = ui_text(row.get("name_zh"))
    primary = names.get(lang) or names["en"] or label
    others = [(code, n) for code, n in names.items() if n and n != primary]
    rows = (
        [(i18n.text("source", lang), esc(ui_text(row.get("source"))))] if row.get("source") else []
    )
    keys = [n for n in names.values() if n] or [label]
    return names_heading(primary, others) + html_table(rows), esc(primary), keys


def labels_of(gdf: gpd.GeoDataFrame) -> list[str]:
    from amurgeo.io import feature_labels

    return feature_labels(gdf)


def geojson_feature(geom: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": normalize_geometry(geom, COORD_DECIMALS),
    }
