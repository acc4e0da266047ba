"""Base maps: tile providers, the offline vector basemap and the attribution line."""

from __future__ import annotations

import copy
import functools
from typing import Any

import folium
import shapely
import xyzservices

from amurgeo.errors import UsageError
from amurgeo.geojson import normalize_geometry
from amurgeo.maps import i18n
from amurgeo.maps.labels import TOWNS_SOURCE
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


#: The offline basemap draws the land simplified to this many degrees (~1 km), without islands
#: under about 15 km² and without holes under about 500 km² (slivers between neighbouring
#: countries' outlines, river channels); lakes larger than that (Khanka, Buir) stay water.
BASEMAP_TOLERANCE_DEG = 0.01
BASEMAP_MIN_PART_DEG2 = 0.002
BASEMAP_MIN_LAKE_DEG2 = 0.05
#: Grid the page's coordinates are written on (3 decimals).
_GRID = 1e-3


def _filled_land(countries: Any) -> Any:
    """All countries as one land surface at full detail: no seams where neighbours' outlines
    miss each other (small holes and slivers filled, large lakes kept), no tiny islands."""
    parts = []
    for part in shapely.get_parts(shapely.union_all(countries)):
        if part.geom_type != "Polygon" or part.area < BASEMAP_MIN_PART_DEG2:
            continue
        lakes = [r for r in part.interiors if shapely.Polygon(r).area >= BASEMAP_MIN_LAKE_DEG2]
        parts.append(shapely.Polygon(part.exterior, lakes))
    return shapely.MultiPolygon(parts)


def _on_grid(geom: Any) -> Any:
    """`geom` simplified for the backdrop and snapped to the grid the page is written with
    (valid on it: rounding a simplified coast can make it cross itself; the fix must not add
    unrounded vertices)."""
    if geom.geom_type.endswith("LineString"):
        geom = shapely.line_merge(geom)
    simple = shapely.simplify(geom, BASEMAP_TOLERANCE_DEG)
    return shapely.set_precision(shapely.make_valid(simple), _GRID)


#: Two countries' outlines closer than this (degrees, ~2 km: a border river) share a border.
_BORDER_GAP_DEG = 0.02


def _borders(countries: Any, land: Any) -> Any:
    """Land borders between countries, each drawn once, never along the data's clip edge.

    A border is the part of one country's outline within :data:`_BORDER_GAP_DEG` of its
    neighbour (one line where a border river leaves a gap between their outlines). The
    countries layer is clipped to a box (115-145 E, 37-54 N); the box's edge is where the
    data stops, not a border or coast, so nothing is drawn along it.
    """
    box = shapely.box(*shapely.total_bounds(countries))
    edge = shapely.buffer(box.boundary, _GRID)
    # outlines thinned well below the drawing's tolerance first: the buffers are the cost
    countries = shapely.simplify(countries, BASEMAP_TOLERANCE_DEG / 5)
    shared = [
        shapely.intersection(a.boundary, shapely.buffer(b, _BORDER_GAP_DEG, quad_segs=2))
        for i, a in enumerate(countries)
        for b in countries[i + 1 :]
        if shapely.dwithin(a, b, _BORDER_GAP_DEG)
    ]
    inside = shapely.difference(land, shapely.buffer(land.boundary, _GRID))
    lines = shapely.difference(shapely.intersection(shapely.union_all(shared), inside), edge)
    lines = shapely.line_merge(lines)
    # pieces shorter than a few drawing tolerances are where outlines miss, not borders
    return shapely.MultiLineString(
        [p for p in shapely.get_parts(lines) if p.length >= 3 * BASEMAP_TOLERANCE_DEG]
    )


def countries_basemap() -> tuple[dict[str, Any], str]:
    """A copy of :func:`_countries_basemap` (computed once per process: a few seconds)."""
    collection, attribution = _countries_basemap()
    return copy.deepcopy(collection), attribution


@functools.cache
def _countries_basemap() -> tuple[dict[str, Any], str]:
    """The offline basemap as GeoJSON (land, borders, and the area outside the data).

    Features carry ``k``: ``land`` (filled, no outline: the sea's colour beside it is the
    coast), ``border`` (lines), and ``nodata``: everything outside the box the countries were
    clipped to, drawn neutral so that the clip edge never reads as a coast.
    """
    from amurgeo.catalog import layer_entry, load_layer

    countries = load_layer("countries").geometry.values
    full = _filled_land(countries)
    borders = _on_grid(_borders(countries, full))
    land = _on_grid(full)
    box = shapely.box(*shapely.total_bounds(countries))
    # its hole is a little smaller than the box: the land drawn over it leaves no hairline seam
    inner_edge = shapely.buffer(box, -2 * _GRID, join_style="mitre")
    nodata = shapely.Polygon(
        [(-180, -85), (180, -85), (180, 85), (-180, 85)], [list(inner_edge.exterior.coords)]
    )
    features = [
        {"type": "Feature", "properties": {"k": kind}, "geometry": normalize_geometry(geom, 3)}
        for kind, geom in (("nodata", nodata), ("land", land), ("border", borders))
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
    items.append(f"<li>{esc(TOWNS_SOURCE)}</li>")
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
