"""Base maps: tile providers, the offline vector basemap and the attribution line."""

from __future__ import annotations

from typing import Any

import folium
import shapely
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
    # snapped to the 3-decimal grid the page is written with, valid on it (rounding a
    # simplified coast can make it cross itself; the fix must not add unrounded vertices)
    return shapely.set_precision(shapely.make_valid(simple), 1e-3)


def countries_basemap() -> tuple[dict[str, Any], str]:
    from amurgeo.catalog import layer_entry, load_layer

    gdf = load_layer("countries")
    features = [
        {"type": "Feature", "properties": {}, "geometry": normalize_geometry(outline, 3)}
        for outline in map(_basemap_outline, gdf.geometry.values)
    ]
    attribution = str(layer_entry("countries").get("attribution") or "")
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
        from amurgeo.catalog import layer_entry

        entry = layer_entry("countries")
        detail = f"{ui_text(entry.get('source'))} ({ui_text(entry.get('license'))})"
        items.append(f"<li><b>{esc(i18n.layer_title('countries', lang))}</b>: {esc(detail)}</li>")
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
