"""Building the map: :func:`build_map` (its page is written by :mod:`amurgeo.maps.page`)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure

from amurgeo.errors import DataError, UsageError
from amurgeo.maps import i18n
from amurgeo.maps.basemaps import (
    add_base_maps,
    base_attribution,
    check_basemap,
    countries_basemap,
    sources_html,
)
from amurgeo.maps.derived import gap_spec, overlap_spec
from amurgeo.maps.labels import country_labels, town_labels
from amurgeo.maps.offline import script_tag, vendor_dir
from amurgeo.maps.overlays import (
    GROUP_OF_KIND,
    GROUPS,
    SPECIES_SUFFIX,
    LayerInput,
    LayerSource,
    activity_spec,
    layer_display_name,
    range_species,
    read_inputs,
    unique_names,
    vector_spec,
)
from amurgeo.maps.page import (
    AmurgeoMap,
    MapUI,
    OverlayLayer,
    PluginAssets,
    deterministic_ids,
)
from amurgeo.maps.popups import COORD_DECIMALS, esc
from amurgeo.maps.style import LAND_COLOR, USER_COLORS, area_fills
from amurgeo.region import OPENING_FRAME
from amurgeo.style import BORDER_COLOR, NODATA_COLOR

if TYPE_CHECKING:
    from amurgeo.maps.hexagons import ObservedDensity
    from amurgeo.observations.points import ReadOptions


def _frame(inputs: list[LayerInput]) -> list[list[float]]:
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
            xmin, ymin, xmax, ymax = OPENING_FRAME
    if xmax - xmin < 0.01 or ymax - ymin < 0.01:
        xmin, xmax, ymin, ymax = xmin - 0.05, xmax + 0.05, ymin - 0.05, ymax + 0.05
    r = COORD_DECIMALS
    return [
        [round(float(ymin), r), round(float(xmin), r)],
        [round(float(ymax), r), round(float(xmax), r)],
    ]


def _overlay_specs(
    inputs: list[LayerInput], lang: str, overlaps: bool, gaps: bool
) -> list[dict[str, Any]]:
    """One spec per overlay: ranges, protected areas, other layers, then overlaps and gaps."""
    specs: list[dict[str, Any]] = []
    user_color = itertools.cycle(USER_COLORS)
    shapes = {id(it): _equal_area(it) for it in inputs if it.kind == "protected-area"}

    def order(it: LayerInput) -> tuple[int, float]:
        # ranges beneath; protected areas largest first, so that one inside another is on top
        shape = shapes.get(id(it))
        return {"range": 0, "protected-area": 1}.get(it.kind, 2), -(shape.area if shape else 0)

    ordered = sorted(inputs, key=order)
    parks = [it for it in ordered if it.kind == "protected-area"]
    fills = dict(
        zip(
            map(id, parks),
            area_fills([(it.layer_id if it.bundled else None, shapes[id(it)]) for it in parks]),
            strict=True,
        )
    )
    for item in ordered:
        index = len(specs)
        if item.kind == "activities":
            specs.append(activity_spec(item, index, lang, GROUP_OF_KIND["activities"]))
            continue
        fill = fills.get(id(item))
        color = fill["fillColor"] if fill else next(user_color)
        group = GROUP_OF_KIND.get(item.kind, 4)
        specs.append(vector_spec(item, index, lang, color, group, fill))
    area_layers = [it for it in ordered if it.kind in ("protected-area", "user-areas")]
    protected = [it for it in area_layers if it.kind == "protected-area"] or area_layers
    if overlaps:
        spec = overlap_spec(area_layers, len(specs), lang)
        if spec:
            specs.append(spec)
    if gaps:
        ranges = [it for it in ordered if it.kind == "range"]
        name_key = "layer_gaps" + SPECIES_SUFFIX[range_species(ranges)]
        spec = gap_spec(ranges, protected, len(specs), lang, name_key)
        if spec:
            specs.append(spec)
    return specs


def _equal_area(item: LayerInput) -> Any:
    """The union of a layer's areas in an equal-area projection (EPSG:6933), for sizes."""
    return shapely.union_all(item.gdf.to_crs(6933).geometry.values)


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
    ("searchAll", "search_all"),
    ("cancel", "cancel"),
    ("about", "about"),
)


def _page_config(
    inputs: list[LayerInput], lang: str, frame: list[list[float]], title: str, base_names: list[str]
) -> dict[str, Any]:
    """What the page's ``amurgeo.setup`` needs: frame, texts (escaped HTML), vector basemap."""
    basemap_geojson, basemap_attribution = countries_basemap()
    return {
        "lang": lang,
        "frame": frame,
        "titleHtml": esc(title),
        "noteHtml": esc(i18n.text("note", lang)),
        "sourcesHtml": sources_html(inputs, lang),
        "groupNamesHtml": [esc(i18n.text(_group_key(key, inputs), lang)) for key in GROUPS],
        "baseNamesHtml": base_names,
        "offlineNameHtml": esc(i18n.text("basemap_offline", lang)),
        "basemap": basemap_geojson,
        "basemapAttributionHtml": esc(base_attribution(inputs, basemap_attribution)),
        "text": {
            **{key_js: i18n.text(key, lang) for key_js, key in _UI_TEXT},
            "searchNoneHtml": esc(i18n.text("search_none", lang)),
            "hereHtml": esc(i18n.text("here", lang)),
        },
        "basemapFill": LAND_COLOR,
        "basemapNoData": NODATA_COLOR,
        "basemapBorder": BORDER_COLOR,
        "places": town_labels(frame, lang),
        "countryLabels": _country_labels(inputs, frame, lang),
    }


def _group_key(key: str, inputs: list[LayerInput]) -> str:
    """The i18n key of a layer-control group: the range group named after whose range it is."""
    return key + SPECIES_SUFFIX[range_species(inputs)] if key == "group_range" else key


def _country_labels(
    inputs: list[LayerInput], frame: list[list[float]], lang: str
) -> list[dict[str, Any]]:
    """Country names, placed away from the areas drawn (where they would cover a label)."""
    from amurgeo.catalog import load_layer

    countries = load_layer("countries")
    names = {str(code): i18n.country_label(str(code), lang) for code in countries["iso3"]}
    drawn = [
        g
        for it in inputs
        if it.polygonal and it.kind != "countries"
        for g in it.gdf.geometry.values
        if g is not None
    ]
    avoid = shapely.union_all(drawn) if drawn else None
    return country_labels(countries, frame, lang, names, avoid=avoid)


def _needs_internet_html(lang: str) -> str:
    """A notice, shown only when Leaflet did not load (a linked map opened offline)."""
    return (
        f'<div id="amg-needs-internet" lang="{lang}" role="alert" hidden '
        'style="position:fixed;z-index:10000;left:50%;top:40%;transform:translate(-50%,-50%);'
        "max-width:min(520px,90vw);padding:16px 20px;background:#fff8e1;color:#4e3b00;"
        "border:1px solid #d9b44a;border-radius:8px;font:15px/1.45 system-ui,sans-serif;"
        'box-shadow:0 2px 8px rgba(0,0,0,.25)">'
        f"{esc(i18n.text('offline_notice', lang))}</div>"
        "<script>window.addEventListener('load',function(){var n=document.getElementById("
        "'amg-needs-internet');if(n&&!window.L){n.hidden=false;}});</script>"
    )


def build_map(  # noqa: PLR0913 (the documented public signature: one keyword per option)
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
    observations_by: str | None = None,
    theme: str = "leopard",
    workers: int | None = None,
    scheduler: Any = None,
    storage_options: Mapping[str, Any] | None = None,
    observation_options: ReadOptions | None = None,
) -> folium.Map:
    """Build an interactive map of bundled layers and/or your own files.

    Parameters
    ----------
    layers
        Bundled layer ids or aliases, paths of vector files (GeoJSON, GeoPackage, Shapefile,
        KML ...) or GeoDataFrames; one or a list. Default: the overview of `theme`, the
        layers of :func:`amurgeo.catalog.theme_layer_ids` (the ``countries`` layer is the
        vector basemap then, not an overlay).
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
        one canvas: the page grows with the occupied hexagons, not with the points. Parquet
        (a file, a folder of partitions, an fsspec URL) is binned batch by batch where it
        is read, so its points are never all in memory; the page is the same as for the
        same points in memory (see :func:`amurgeo.maps.hexagons.observed_density`).
    simplify
        Draw a user layer of more than :data:`~amurgeo.maps.simplify.DRAW_VERTICES` (80,000)
        vertices simplified for the screen (areas, overlaps and popups keep the full detail;
        the tolerance and the area difference of the drawing are stated on the map).
    observations_by
        ``year``, ``month``, ``week`` or ``day``: also draw the observations as one point
        layer per period, each toggled on its own in the layer control, with its legend
        entry (see :func:`amurgeo.maps.overlays.period_specs`).
    theme
        The overview drawn when `layers` is None: ``leopard`` (south-west Primorye and the
        Chinese park beside it) or ``tiger`` (the tiger's range in Russia and China, its
        protected areas and the two border parks). It also chooses the default `title`.
    workers, scheduler, storage_options
        Where Parquet observations are binned: local worker processes, a dask scheduler
        (address or ``dask.distributed.Client``; default ``DASK_SCHEDULER_ADDRESS``) and
        fsspec options of a URL, as in :func:`amurgeo.observations.count_observations`.
    observation_options
        Columns and CRS of the observations (default: found by name, WGS84).

    Returns
    -------
    folium.Map
        An :class:`AmurgeoMap`; save it with :func:`save_map`.

    Raises
    ------
    UsageError
        For an unknown language, base map or theme, or a layer that does not exist.
    DataError
        For a file that cannot be read or a layer with nothing to draw.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> parks = gpd.GeoDataFrame(
    ...     {"name": ["<b>Park</b>"]}, geometry=[box(131.0, 42.8, 131.5, 43.2)], crs=4326
    ... )
    >>> from amurgeo.maps import map_html
    >>> m = build_map([parks], lang="ru")
    >>> page = map_html(m)
    >>> "Park" in page, "<b>Park</b>" in page  # escaped: the tag is shown, never parsed
    (True, False)
    """
    lang, chosen_basemap = _check_options(lang, basemap, self_contained)
    from amurgeo.catalog import theme_layer_ids

    overview_ids = theme_layer_ids(theme)  # a UsageError for an unknown theme, before the work
    inputs = _read_layers(layers, lang, simplify, overview_ids)
    with deterministic_ids("e"):
        frame = _frame(inputs)
        points = _bin_observations(
            observations, frame, observation_options, workers, scheduler, storage_options
        )
        if points is not None:
            frame = points.frame
        page_title = title or _default_title(layers is not None, inputs, theme, lang)
        m = _new_map(frame, page_title, lang, self_contained, chosen_basemap)
        _add_assets(m, inputs, lang, measure=measure, minimap=minimap)
        specs = _overlay_specs(inputs, lang, overlaps, gaps)
        if points is not None:
            specs.append(_density_spec(m, points, len(specs), lang))
        if points is not None and observations_by is not None:
            specs += _period_specs(
                observations,
                observations_by,
                len(specs),
                lang,
                options=observation_options,
                workers=workers,
                scheduler=scheduler,
                storage_options=storage_options,
            )
        _add_overlays_and_ui(m, specs, inputs, lang, frame, page_title, points)
    return m


#: The default title of each theme's overview (a key of :mod:`amurgeo.maps.i18n`).
_TITLE_OF_THEME = {"leopard": "title", "tiger": "title_tiger"}


def _default_title(given: bool, inputs: list[LayerInput], theme: str, lang: str) -> str:
    """The theme's title; the layers' names for a map of layers `given` that include your own.

    A map of a user's survey blocks is titled by them, not "where they are protected".
    """
    names = [it.name for it in inputs if it.kind != "countries"]
    if not given or all(it.bundled for it in inputs) or not names:
        return i18n.text(_TITLE_OF_THEME[theme], lang)
    shown = i18n.text("list_separator", lang).join(names[:3])
    if len(names) <= 3:
        return shown
    return i18n.text("title_more", lang, names=shown, more=f"{len(names) - 3:d}")


def _check_options(lang: str, basemap: str | None, self_contained: bool) -> tuple[str, str | None]:
    """The checked language and base map; fail now, before the work, on a bad option."""
    try:
        lang = i18n.check_lang(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    chosen_basemap = check_basemap(basemap)
    if self_contained:
        vendor_dir()  # fail now, not after the work, when the Leaflet files are missing
    return lang, chosen_basemap


def _read_layers(
    layers: Sequence[LayerSource] | LayerSource | None,
    lang: str,
    simplify: bool,
    overview_ids: list[str],
) -> list[LayerInput]:
    """The layers to draw (`overview_ids` when `layers` is None), named uniquely in `lang`;
    large user layers simplified to draw."""
    if layers is not None and isinstance(layers, (str, os.PathLike, gpd.GeoDataFrame)):
        layers = [layers]
    if layers is not None and not len(layers):
        raise UsageError("`layers` is empty; name at least one layer or file, or pass None")
    overview = layers is None
    inputs = read_inputs(overview_ids if overview else layers)
    if overview:
        inputs = [item for item in inputs if item.kind != "countries"]
    inputs = [item for item in inputs if len(item.gdf)] or inputs
    if not any(len(item.gdf) for item in inputs):
        raise DataError("nothing to draw: every layer given is empty")
    names = unique_names([layer_display_name(item, lang) for item in inputs])
    for item, name in zip(inputs, names, strict=True):
        item.name = name
    if simplify:
        from amurgeo.maps.simplify import simplify_for_drawing

        for item in inputs:
            if not item.bundled and item.polygonal:
                item.simplified = simplify_for_drawing(item.gdf.geometry.values)
    return inputs


def _bin_observations(
    observations: Any,
    frame: list[list[float]],
    options: ReadOptions | None,
    workers: int | None,
    scheduler: Any,
    storage_options: Mapping[str, Any] | None,
) -> ObservedDensity | None:
    """The observations binned into hexagons, with the frame grown to hold them (or None)."""
    if observations is None:
        return None
    from amurgeo.maps.hexagons import observed_density

    return observed_density(
        observations,
        frame,
        options=options,
        workers=workers,
        scheduler=scheduler,
        storage_options=storage_options,
    )


def _new_map(
    frame: list[list[float]],
    page_title: str,
    lang: str,
    self_contained: bool,
    chosen_basemap: str | None,
) -> AmurgeoMap:
    """An empty map centred on `frame`, with its title, base maps and offline notice."""
    center = [
        round((frame[0][0] + frame[1][0]) / 2, COORD_DECIMALS),
        round((frame[0][1] + frame[1][1]) / 2, COORD_DECIMALS),
    ]
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
    figure.title = esc(page_title)
    m.amurgeo_self_contained = bool(self_contained)
    m.amurgeo_basemap = chosen_basemap
    m.amurgeo_tiles, m.amurgeo_base_names = add_base_maps(m, chosen_basemap, lang)
    figure.html.add_child(Element(_needs_internet_html(lang)), name="amurgeo_needs_internet")
    return m


def _add_assets(
    m: AmurgeoMap, inputs: list[LayerInput], lang: str, *, measure: bool, minimap: bool
) -> None:
    """Link the Leaflet plugins the map uses (inlined later for a self-contained page)."""
    features = ["groupedlayers"]
    if any(item.kind == "activities" for item in inputs):
        features.append("markercluster")
    features.append("fullscreen")
    if measure:
        features.append("measure" if lang == "en" else f"measure-{lang}")
    if minimap:
        features.append("minimap")
    features += ["pattern", "search"]
    PluginAssets(features).add_to(m)


def _density_spec(m: AmurgeoMap, points: ObservedDensity, index: int, lang: str) -> dict[str, Any]:
    """The observations' density overlay, and the script that draws it added to the page."""
    from amurgeo.maps.hexagons import density_spec, hex_script

    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(Element(script_tag(hex_script())), name="amurgeo_density")
    return density_spec(points, index, lang, GROUP_OF_KIND["countries"])


def _period_specs(
    observations: Any, by: str, first: int, lang: str, **where: Any
) -> list[dict[str, Any]]:
    """One point layer per period of the observations (see :func:`period_specs`).

    Parquet is sampled piece by piece where it is read (`where`: options, workers,
    scheduler, storage options), see :func:`period_sample_specs`.
    """
    from amurgeo.maps.overlays import period_sample_specs, period_specs
    from amurgeo.observations import read_observations
    from amurgeo.observations.partitions import is_piecewise

    group = GROUP_OF_KIND["countries"]
    if is_piecewise(observations):
        return period_sample_specs(observations, by, first, lang, group, **where)
    options = where.get("options")
    dated = (
        observations
        if isinstance(observations, gpd.GeoDataFrame) and "time" in observations.columns
        else read_observations(observations, **(options.keywords() if options else {}))
    )
    return period_specs(dated, by, first, lang, group)


def _add_overlays_and_ui(
    m: AmurgeoMap,
    specs: list[dict[str, Any]],
    inputs: list[LayerInput],
    lang: str,
    frame: list[list[float]],
    page_title: str,
    points: Any,
) -> None:
    """Add the overlays (drawn in order, panes keep areas above the range) and the page's UI
    (controls, legend listed by group, labels, search)."""
    overlays = [OverlayLayer(spec) for spec in specs]
    for overlay in overlays:
        overlay.add_to(m)
    overlays_by_group = sorted(overlays, key=lambda o: o.spec["group"])
    config = _page_config(inputs, lang, frame, page_title, m.amurgeo_base_names)
    if points is not None:
        density = next(s for s in specs if s["kind"] == "density")
        note = density["noteHtml"]
        config["sourcesHtml"] = config["sourcesHtml"][: -len("</ul>")] + (
            f"<li><b>{density['nameHtml']}</b>: {esc(points.where)}; {note}</li></ul>"
        )
    ui = MapUI(overlays_by_group, list(m.amurgeo_tiles.values()), config)
    ui.add_to(m)
    m.amurgeo_ui = ui
