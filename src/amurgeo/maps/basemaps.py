"""Base maps: tile providers, the offline vector basemap and the attribution line."""

from __future__ import annotations

from typing import Any

import folium
import xyzservices

from amurgeo.errors import UsageError
from amurgeo.geojson import normalize_geometry
from amurgeo.maps import i18n
from amurgeo.maps.overlays import LayerInput
from amurgeo.maps.popups import esc, ui_text

#: Base map names -> xyzservices provider. ``offline`` is the vector basemap alone.
BASEMAPS: dict[str, str] = {
    "street": "OpenStreetMap.Mapnik",
    "satellite": "Esri.WorldImagery",
    "topographic": "OpenTopoMap",
}
_BASEMAP_ALIASES = {"topo": "topographic", "osm": "street", "none": "offline", "vector": "offline"}


def check_basemap(basemap: str | None) -> str | None:
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


def countries_basemap() -> tuple[dict[str, Any], str]:
    from amurgeo.catalog import layer_entry, load_layer

    gdf = load_layer("countries")
    features = [
        {"type": "Feature", "properties": {}, "geometry": normalize_geometry(g, 4)}
        for g in gdf.geometry.values
    ]
    attribution = str(layer_entry("countries").get("attribution") or "Made with Natural Earth")
    return {"type": "FeatureCollection", "features": features}, attribution


def base_attribution(inputs: list[LayerInput], basemap: str) -> str:
    """One attribution line for the bundled layers shown and the vector basemap."""
    parts: list[str] = []
    for text in [*(i.entry.get("attribution") or "" for i in inputs if i.bundled), basemap]:
        parts += [p.strip() for p in str(text).split(";") if p.strip()]
    return "; ".join(dict.fromkeys(parts))


def sources_html(inputs: list[LayerInput], lang: str) -> str:
    items = []
    for item in inputs:
        if item.bundled:
            source = ui_text(item.entry.get("source"))
            licence = ui_text(item.entry.get("license"))
            detail = f"{source} ({licence})" if licence else source
        else:
            detail = ui_text(item.gdf.attrs.get("source") or item.layer_id, 300)
        if item.simplified is not None:
            detail += "; " + item.simplified.note(lang)
        items.append(f"<li><b>{esc(item.name)}</b>: {esc(detail)}</li>")
    if not any(i.layer_id == "countries" for i in inputs):
        items.append(
            f"<li><b>{esc(i18n.layer_title('countries', lang))}</b>: "
            f"{esc('Natural Earth 10m admin-0 countries (public domain)')}</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def add_base_maps(
    m: folium.Map, chosen: str | None, lang: str
) -> tuple[dict[str, folium.TileLayer], list[str]]:
    """Add the tiled base maps by key (all off: :func:`map_html` switches one on) and names."""
    keys = list(BASEMAPS)
    if chosen not in (None, "offline", *BASEMAPS):
        keys.append(str(chosen))
    bases: dict[str, folium.TileLayer] = {}
    names: list[str] = []
    for key in keys:
        provider = _provider(key)
        label = i18n.text(f"basemap_{key}", lang) if key in BASEMAPS else provider.name
        tile = folium.TileLayer(
            tiles=provider,
            name=esc(label),
            overlay=False,
            control=False,
            show=False,
            max_zoom=int(provider.get("max_zoom", 18)),
        )
        tile.add_to(m)
        bases[key] = tile
        names.append(esc(label))
    return bases, names
