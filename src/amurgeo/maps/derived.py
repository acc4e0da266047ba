"""Overlays derived by analysis: where protected areas overlap, and where a range lies outside
every protected area."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from amurgeo.maps import i18n
from amurgeo.maps.overlays import GROUP_OF_KIND, PANES, LayerInput, name_in
from amurgeo.maps.popups import (
    COORD_DECIMALS,
    area_text,
    esc,
    geojson_feature,
    html_table,
    labels_of,
    names_heading,
    ui_text,
)
from amurgeo.maps.style import gap_style, overlap_style

#: A gap of less than this is not drawn: it is below what the boundaries can tell (their likely
#: range spans hundreds of km²), and a popup would read "0.00 km²".
MIN_GAP_KM2 = 1.0
#: Parts of a gap narrower than twice this (metres) are slivers where a range and a park
#: follow the same border digitized twice, not land outside protection; they are not drawn.
GAP_SLIVER_M = 100.0


def _keyed_copy(item: LayerInput, layer_key: str) -> gpd.GeoDataFrame:
    """A copy of `item` whose feature labels are ``f0``, ``f1`` ... and layer id `layer_key`."""
    frame = gpd.GeoDataFrame(
        {
            "name": [f"f{i}" for i in range(len(item.gdf))],
            "boundary_uncertainty_km": (
                item.gdf["boundary_uncertainty_km"].to_numpy()
                if "boundary_uncertainty_km" in item.gdf.columns
                else np.zeros(len(item.gdf))
            ),
            # the country each feature cannot leave: the same border rule as the CLI and API
            **({"iso3": item.gdf["iso3"].to_numpy()} if "iso3" in item.gdf.columns else {}),
        },
        geometry=item.gdf.geometry.values,
        crs="EPSG:4326",
    )
    frame.attrs["layer_id"] = layer_key
    return frame


def _feature_name(item: LayerInput, position: int, lang: str) -> str:
    labels = item.__dict__.setdefault("labels_of", {})  # once per layer: a layer may have many
    if "all" not in labels:
        labels["all"] = labels_of(item.gdf)
    if item.kind in ("protected-area", "range"):
        row = item.gdf.drop(columns=item.gdf.geometry.name).iloc[position].to_dict()
        return name_in(row, lang) or labels["all"][position]
    return str(labels["all"][position])


def _range_text(value: float, low: float, high: float, lang: str) -> str:
    text = esc(area_text(value, lang))
    if high > low:
        decimals = 0 if high >= 100 else 1
        span = (
            f"{i18n.text('likely_range', lang)} {i18n.number(low, lang, decimals)} "
            f"{i18n.text('and', lang)} {i18n.number(high, lang, decimals)} {i18n.text('km2', lang)}"
        )
        text += f'<span class="amg-range">{esc(span)}</span>'
    return text


def _drawn_features(pairs: list[tuple[Any, dict[str, Any]]], lang: str) -> list[dict[str, Any]]:
    """GeoJSON features of (geometry, properties); detailed geometries drawn simplified."""
    from amurgeo.maps.hexagons import text as obs_text
    from amurgeo.maps.simplify import simplify_for_drawing

    simplified = simplify_for_drawing([geom for geom, _ in pairs]) if pairs else None
    if simplified is None:
        return [geojson_feature(geom, props) for geom, props in pairs]
    row = html_table([(obs_text("drawing", lang), esc(simplified.note(lang)))])
    return [
        geojson_feature(geom, {**props, "p": props["p"] + row})
        for geom, (_, props) in zip(simplified.geoms, pairs, strict=True)
    ]


def overlap_spec(areas: list[LayerInput], index: int, lang: str) -> dict[str, Any] | None:
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
                esc(f"{i18n.number(float(record['pct_of_a']), lang, 1)} %"),
            ),
            (
                i18n.text("share_of", lang, name=names[1]),
                esc(f"{i18n.number(float(record['pct_of_b']), lang, 1)} %"),
            ),
        ]
        popup = names_heading(i18n.text("overlap_title", lang), [(lang, title)]) + html_table(rows)
        pairs.append((geom, {"p": popup, "t": esc(title), "k": [title]}))
    style = overlap_style()
    protected_only = all(item.kind == "protected-area" for item in areas)
    name = "layer_overlaps" if protected_only else "layer_area_overlaps"
    return _derived_overlay("overlap", name, style, pairs, index, lang)


def without_slivers(geom: Any, width_m: float = GAP_SLIVER_M) -> Any:
    """`geom` (lon/lat) without the parts that vanish when shrunk by `width_m` metres.

    Measured in the UTM zone of the geometry. The parts kept are whole (not shrunk).

    Examples
    --------
    >>> from shapely.geometry import box, MultiPolygon
    >>> thin = box(131.2, 43, 131.2005, 43.1)  # 40 m wide
    >>> kept = without_slivers(MultiPolygon([box(131, 43, 131.1, 43.1), thin]))
    >>> len(kept.geoms), round(kept.bounds[2], 3)
    (1, 131.1)
    """
    parts = gpd.GeoSeries(list(shapely.get_parts(geom)), crs=4326)
    parts = parts[parts.geom_type == "Polygon"]
    if parts.empty:
        return shapely.MultiPolygon()
    local = parts.to_crs(parts.estimate_utm_crs())
    keep = ~local.buffer(-width_m).is_empty
    return shapely.MultiPolygon(list(parts[keep.values].values))


def gap_spec(
    ranges: list[LayerInput],
    areas: list[LayerInput],
    index: int,
    lang: str,
    name_key: str = "layer_gaps",
) -> dict[str, Any] | None:
    """The overlay of the parts of each range outside every one of `areas` (None when none
    is left); named by the i18n key `name_key`."""
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
            if geom is None or geom.is_empty or float(result["gap_km2"]) < MIN_GAP_KM2:
                continue
            # on the grid the page is written with first, so that rounding splits no sliver off
            grid = shapely.set_precision(geom, 10.0**-COORD_DECIMALS)
            geom = without_slivers(shapely.make_valid(grid))
            if geom.is_empty:
                continue
            row = item.gdf.drop(columns=item.gdf.geometry.name).iloc[position].to_dict()
            range_name = _feature_name(item, position, lang)
            presence = ui_text(row.get("presence"))
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
                    esc(f"{i18n.number(float(result['gap_pct']), lang, 1)} %"),
                ),
                (i18n.text("gap_by", lang), esc(by_names)),
            ]
            title = i18n.text("gap_title", lang)
            popup = names_heading(title, [(lang, range_name)]) + html_table(rows)
            pairs.append((geom, {"p": popup, "t": esc(f"{title}: {range_name}"), "k": []}))
    style = gap_style()
    return _derived_overlay("gap", name_key, style, pairs, index, lang)


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
    pane, z_index = PANES[kind]
    return {
        "id": f"overlay-{index}",
        "kind": kind,
        "group": GROUP_OF_KIND[kind],
        "nameHtml": esc(name),
        "pane": pane,
        "zIndex": z_index,
        "style": style,
        "legend": [{"style": {**style, "shape": "area"}, "labelHtml": esc(name)}],
        "data": {"type": "FeatureCollection", "features": features},
    }
