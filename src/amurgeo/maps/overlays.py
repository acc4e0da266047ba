"""The map's overlays: what each layer, activity set and period puts on the page (overlaps and
gaps: :mod:`amurgeo.maps.derived`)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo.maps import i18n
from amurgeo.maps.labels import area_label_point, short_label
from amurgeo.maps.popups import (
    COORD_DECIMALS,
    area_popup,
    country_popup,
    esc,
    generic_popup,
    geojson_feature,
    html_table,
    labels_of,
    names_heading,
    ui_text,
)
from amurgeo.maps.style import (
    ACTIVITY_STYLE,
    AREA_OPACITY,
    OTHER_ACTIVITY,
    darker,
    path_style,
    range_style,
)

#: What :func:`build_map` takes as a layer: a bundled layer id or alias, a file path, or a
#: GeoDataFrame.
LayerSource: TypeAlias = "str | os.PathLike[str] | gpd.GeoDataFrame"


# Overlay groups in the layer control, in order.
GROUPS = ("group_protected", "group_range", "group_analysis", "group_activities", "group_user")
GROUP_OF_KIND = {
    "protected-area": 0,
    "range": 1,
    "overlap": 2,
    "gap": 2,
    "activities": 3,
    "countries": 4,
}
# Map panes (z-index): the vector basemap lies under the tiles (200), overlays above.

PANES = {
    "range": ("amurgeo-range", 380),
    "protected-area": ("amurgeo-areas", 400),
    "user": ("amurgeo-user", 405),
    "countries": ("amurgeo-user", 405),
    "overlap": ("amurgeo-analysis", 410),
    "gap": ("amurgeo-analysis", 410),
}


@dataclass
class LayerInput:
    """One layer to draw: its frame, kind (catalog kind or inferred) and display name."""

    gdf: gpd.GeoDataFrame
    layer_id: str
    kind: str
    bundled: bool
    entry: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    #: For a detailed layer: the simplified drawing (:class:`amurgeo.maps.simplify.Simplified`).
    simplified: Any = None

    @property
    def polygonal(self) -> bool:
        return self.kind in ("protected-area", "range", "user-areas", "countries")


def range_species(inputs: Sequence[LayerInput]) -> str:
    """Whose ranges a map draws: ``tiger`` (the tiger's only), ``mixed`` (the tiger's and the
    leopard's) or ``leopard`` (the leopard's, or none): it names the range group and gaps."""
    ids = {item.layer_id for item in inputs if item.kind == "range"}
    if "tiger-range" not in ids:
        return "leopard"
    return "tiger" if ids == {"tiger-range"} else "mixed"


#: The suffix of the i18n keys of the range group and the gap layer, by :func:`range_species`.
SPECIES_SUFFIX = {"leopard": "", "tiger": "_tiger", "mixed": "_mixed"}


def read_inputs(layers: Sequence[LayerSource] | None) -> list[LayerInput]:
    from amurgeo.catalog import catalog_entries, leopard_overview_ids
    from amurgeo.io import geometry_kind, read_drawable

    entries = {e["id"]: e for e in catalog_entries()}
    sources: list[LayerSource] = list(leopard_overview_ids()) if layers is None else list(layers)
    inputs: list[LayerInput] = []
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
            inputs.append(LayerInput(gdf, layer_id, entry["kind"], True, dict(entry)))
            continue
        kind = geometry_kind(gdf)
        if kind == "user-points" and {"organization", "activity"} <= set(map(str, gdf.columns)):
            kind = "activities"
        inputs.append(LayerInput(gdf, layer_id, kind, False))
    return inputs


def name_in(row: dict[str, Any], lang: str) -> str | None:
    """A feature's name in `lang` (else its English name), as plain text; None if it has none."""
    keys = {"en": "name", "ru": "name_ru", "zh": "name_zh"}
    return ui_text(row.get(keys[lang])) or ui_text(row.get("name")) or None


def layer_display_name(item: LayerInput, lang: str) -> str:
    if item.bundled:
        if item.kind == "protected-area" and len(item.gdf) == 1:
            row = item.gdf.drop(columns=item.gdf.geometry.name).iloc[0].to_dict()
            named = name_in(row, lang)
            if named:
                return named
        title = i18n.layer_title(item.layer_id, lang)
        return title or str(item.entry.get("title") or item.layer_id)
    return ui_text(item.layer_id, 120) or "layer"


def unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        out.append(name if count == 1 else f"{name} ({count})")
    # a renamed layer may now collide with a real name: repeat until unique
    return out if len(set(out)) == len(out) else unique_names(out)


def vector_spec(
    item: LayerInput,
    index: int,
    lang: str,
    color: str,
    group: int,
    fill: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The spec of one layer's overlay; `fill` (from :func:`style.area_fills`) for areas."""
    gdf = item.gdf
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    labels = labels_of(gdf)
    features = []
    kind = item.kind
    pane_key = kind if kind in PANES else "user"
    pane, z_index = PANES[pane_key]
    if kind == "range":
        style = range_style("confirmed")
    elif kind == "protected-area":
        style = path_style(color, fill=AREA_OPACITY, weight=2)
        style["color"] = darker(color)
    elif kind == "countries":
        style = path_style("#424242", fill=0.0, weight=1.5, dash="4 3")
        style["fill"] = False
    elif kind == "user-lines":
        style = path_style(color, fill=0.0, weight=3)
    elif kind == "user-points":
        style = path_style(color, fill=0.8, weight=1.5)
        style["color"] = "#ffffff"
    else:
        style = path_style(color, fill=0.25, weight=2)
    if fill:
        style.update(fill)
    legend: list[dict[str, Any]] = []
    label_specs: list[dict[str, Any]] = []
    presences: list[str] = []
    for position, (values, geom) in enumerate(
        zip(gdf[columns].itertuples(index=False, name=None), gdf.geometry.values, strict=True)
    ):
        row = dict(zip(map(str, columns), values, strict=True))
        label = labels[position]
        if kind in ("protected-area", "range"):
            popup, tooltip, keys = area_popup(row, geom, lang, label)
        elif kind == "countries":
            popup, tooltip, keys = country_popup(row, lang, label)
        else:
            popup, tooltip, keys = generic_popup(row, geom, lang, label)
        if item.simplified is not None:
            from amurgeo.maps.hexagons import text as obs_text

            popup += html_table([(obs_text("drawing", lang), esc(item.simplified.note(lang)))])
            geom = item.simplified.geoms[position]  # drawn simplified; measured in full above
        props: dict[str, Any] = {"p": popup, "t": tooltip, "k": keys}
        props["q"] = _search_words(row, item, keys)
        point = area_label_point(geom) if item.polygonal else None
        if point is not None:
            props["c"] = list(point)
            if kind in ("protected-area", "user-areas"):
                label_specs.append({"feature": [position], "text": keys[0], "geom": geom})
        if kind == "range" and ui_text(row.get("presence")) == "unconfirmed":
            props["s"] = range_style("unconfirmed")
            presences.append("unconfirmed")
        elif kind == "range":
            presences.append("confirmed")
        features.append(geojson_feature(geom, props))
    if kind == "range":
        for presence in dict.fromkeys(presences):
            swatch = range_style(presence)
            key = f"legend_{presence}"
            if item.bundled and item.layer_id == "tiger-range" and presence == "confirmed":
                key = "legend_tiger_confirmed"  # on a map of the tiger, "range" is not enough
            legend.append({"style": swatch, "labelHtml": esc(i18n.text(key, lang))})
    else:
        shape = {"user-points": "point", "user-lines": "line"}.get(kind, "area")
        legend.append({"style": {**style, "shape": shape}, "labelHtml": esc(item.name)})
    return {
        "id": f"overlay-{index}",
        "kind": kind,
        "layerId": item.layer_id if item.bundled else None,
        "group": group,
        "nameHtml": esc(item.name),
        "pane": pane,
        "zIndex": z_index,
        "style": style,
        "legend": legend if kind == "range" else legend[:1],
        "labels": _area_labels(label_specs, lang),
        "data": {"type": "FeatureCollection", "features": features},
    }


def _area_labels(found: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Labels of a layer's areas: one for the whole layer when its parts share one short
    name (the two parts of the Chinese park), else one per feature."""
    if len(found) > 1 and len({short_label(f["text"], lang) for f in found}) == 1:
        union = shapely.union_all([f["geom"] for f in found])
        name = short_label(found[0]["text"], lang)
        found = [{"feature": [i for f in found for i in f["feature"]], "text": name, "geom": union}]
    out = []
    for f in found:
        point = area_label_point(f["geom"])
        if point is not None:
            out.append(
                {
                    "feature": f["feature"],
                    "lat": point[0],
                    "lng": point[1],
                    "text": f["text"],
                    "short": short_label(f["text"], lang),
                    "lang": lang,
                }
            )
    return out


def _search_words(row: dict[str, Any], item: LayerInput, keys: list[str]) -> list[str]:
    """What search finds a feature by: its names in every language, its layer's aliases
    and titles, designation, manager and country."""
    words = list(keys)
    for key in ("name", "name_ru", "name_zh", "designation", "managed_by", "organization"):
        if ui_text(row.get(key)):
            words.append(ui_text(row.get(key), 200))
    if ui_text(row.get("iso3")):
        words += [i18n.country_label(row["iso3"], code) for code in i18n.LANGS]
    if item.bundled:
        words += [str(a) for a in item.entry.get("aliases") or []]
        words += [t for t in (i18n.layer_title(item.layer_id, c) for c in i18n.LANGS) if t]
    return list(dict.fromkeys(words))


def activity_spec(item: LayerInput, index: int, lang: str, group: int) -> dict[str, Any]:
    gdf = item.gdf
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    kinds = list(ACTIVITY_STYLE)
    values_seen = [ui_text(v) for v in gdf["activity"]]
    extra = sorted({v for v in values_seen if v and v not in ACTIVITY_STYLE}, key=str.casefold)
    kinds += extra
    organizations = sorted(
        {ui_text(v) for v in gdf["organization"] if ui_text(v)}, key=lambda s: (s.casefold(), s)
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
        organization = ui_text(row.get("organization"))
        activity = ui_text(row.get("activity"))
        a = kind_index.get(activity, -1)
        if a >= 0:
            present.add(a)
        label = i18n.activity_label(activity, lang) if activity else ""
        rows: list[tuple[str, str]] = []
        if activity:
            rows.append((i18n.text("activity", lang), esc(label)))
        for key in ("description", "place"):
            if ui_text(row.get(key)):
                rows.append((i18n.text(key, lang), esc(ui_text(row.get(key)))))
        precision = ui_text(row.get("location_precision"))
        if precision:
            shown = (
                i18n.text(f"precision_{precision}", lang)
                if precision in ("site", "district", "office")
                else precision
            )
            rows.append((i18n.text("location_precision", lang), esc(shown)))
        for key in ("since", "source"):
            if ui_text(row.get(key)):
                rows.append((i18n.text(key, lang), esc(ui_text(row.get(key)))))
        others = [
            (str(k), esc(ui_text(v)))
            for k, v in row.items()
            if k not in ("organization", "activity", "description", "place")
            and k not in ("location_precision", "since", "source")
            and ui_text(v)
        ]
        rows += [(ui_text(k, 80), v) for k, v in others[:20]]
        heading = organization or activity or "?"
        popup = names_heading(heading, []) + html_table(rows)
        tooltip = esc(f"{organization}: {label}" if organization and label else heading)
        place = ui_text(row.get("place"))
        # the search title: unique for each organization, activity and place
        title = f"{organization}: {label}" if label else organization
        keys = [f"{title} — {place}" if place else title] if organization else []
        find = [*keys, organization, place, *(i18n.activity_label(activity, c) for c in i18n.LANGS)]
        points.append(
            [
                round(float(point.y), COORD_DECIMALS),
                round(float(point.x), COORD_DECIMALS),
                a,
                org_index.get(organization, -1),
                popup,
                tooltip,
                keys,
                list(dict.fromkeys(w for w in find if w)) if keys else [],
            ]
        )
    activities = []
    legend = []
    for i, name in enumerate(kinds):
        color, code = ACTIVITY_STYLE.get(name, OTHER_ACTIVITY)
        label = i18n.activity_label(name, lang)
        activities.append(
            {
                "id": name,
                "color": color,
                "codeHtml": esc(code),
                "labelText": label,
                "present": i in present,
            }
        )
        if i in present:
            legend.append(
                {"id": name, "color": color, "codeHtml": esc(code), "labelHtml": esc(label)}
            )
    return {
        "id": f"overlay-{index}",
        "kind": "activities",
        "group": group,
        "nameHtml": esc(item.name),
        "legend": legend,
        "activities": activities,
        "organizations": organizations,
        "points": points,
    }


#: At most this many period overlays on one map (more would bury the layer control).
MAX_PERIOD_LAYERS = 60

#: Colours of the period overlays, from early (light) to late (dark): a sequential ramp after
#: matplotlib's perceptually uniform, colour-blind-safe "plasma" (its yellow end left out),
#: each colour at least 30 CIEDE2000 from the cream offline land and the street map's land
#: and water, so that even the first period stands out (the pale peach it began with did not).
PERIOD_COLORS = ("#f48849", "#e16462", "#c43e7f", "#a32596", "#7e03a8", "#5102a3", "#0d0887")

#: The outline of a period's points: dark, so that a point reads on the pale base maps.
PERIOD_OUTLINE = "#1a1a1a"


def period_color(position: int, count: int) -> str:
    """The colour of the `position`-th of `count` periods, spread over the ramp."""
    if count <= 1:
        return PERIOD_COLORS[-1]
    return PERIOD_COLORS[round(position * (len(PERIOD_COLORS) - 1) / (count - 1))]


def period_specs(
    points: gpd.GeoDataFrame,
    by: str,
    first_index: int,
    lang: str,
    group: int,
    *,
    cap: int | None = None,
    totals: Mapping[int, int] | None = None,
) -> list[dict[str, Any]]:
    """One point overlay per period of the observations: a year, month, week or day.

    Parameters
    ----------
    points
        Observations from :func:`amurgeo.read_observations`, with their ``time`` column.
    by
        ``year``, ``month``, ``week`` or ``day``.
    first_index
        Index of the first overlay on the page (overlay ids are ``overlay-<index>``).
    lang
        Language of the popups.
    group
        Layer-control group of the overlays.
    cap
        At most this many points per period (default
        :data:`~amurgeo.observations.sample.PERIOD_POINT_CAP`, 5,000; fewer with more than
        10 periods, so that all hold at most
        :data:`~amurgeo.observations.sample.PERIOD_POINTS_IN_ALL`, 50,000): a period with more
        draws the sample of :func:`~amurgeo.observations.sample.sample_rows` (the same
        points on every run, and for the same observations in a partitioned folder), in
        row order, and its name says how many of how many are drawn.
    totals
        Observations per period code when `points` is already such a sample (of a
        partitioned folder, :func:`~amurgeo.observations.sample.period_sample_of`).

    Returns
    -------
    list of dict
        Overlay specs in time order, each named ``<layer>: <period>`` (escaped), with its own
        legend entry and colour; observations without a readable date are left out with one
        warning.

    Raises
    ------
    DataError
        For observations without a date column, or none with a readable date.
    UsageError
        For more than :data:`MAX_PERIOD_LAYERS` periods (choose a longer period).
    """
    from amurgeo.errors import DataError, UsageError
    from amurgeo.observations.dates import period_codes, period_labels, warn_unreadable
    from amurgeo.observations.sample import (
        PERIOD_POINT_CAP,
        PERIOD_POINTS_IN_ALL,
        sample_keys,
        sample_rows,
    )

    cap = PERIOD_POINT_CAP if cap is None else cap

    where = str(points.attrs.get("source") or points.attrs.get("layer_id") or "observations")
    if "time" not in points.columns:
        raise DataError(
            f"{where}: no date/time column found for layers by {by}; name it with --time-col"
        )
    times = points["time"]
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_localize(None)
    values = times.to_numpy(dtype="datetime64[ns]")
    readable = ~np.isnat(values)
    if not readable.all():
        column = points.attrs.get("time_col") or "time"
        sample = points.loc[~readable, column].iloc[0] if column in points.columns else None
        warn_unreadable(where, column, int((~readable).sum()), len(points), sample)
    if not readable.any():
        raise DataError(f"{where}: no observation has a readable date; nothing to draw by {by}")
    kept = points[readable]
    codes = period_codes(values[readable], by)
    order, counts = np.unique(codes, return_counts=True)
    if totals is None:
        totals = {int(c): int(n) for c, n in zip(order, counts, strict=True)}
    if len(order) > MAX_PERIOD_LAYERS:
        raise UsageError(
            f"{where}: {len(order)} periods by {by} (at most {MAX_PERIOD_LAYERS} layers); "
            "choose a longer period (--by year or month)"
        )
    cap = min(cap, PERIOD_POINTS_IN_ALL // len(order))
    if counts.max() > cap:
        # the smallest keys of a sample by smallest keys: a folder's sample narrows the same way
        species = kept["species"].to_numpy() if "species" in kept.columns else None
        xy = shapely.get_coordinates(kept.geometry.values)
        keys = sample_keys(xy[:, 0], xy[:, 1], values[readable], species)
        rows = np.sort(sample_rows(codes, keys, cap))
        kept, codes = kept.iloc[rows], codes[rows]
    labels = period_labels(order, by)
    layer = str(points.attrs.get("layer_id") or "observations")
    drawn = kept.drop(columns=["time"]).assign(period=[str(x) for x in period_labels(codes, by)])
    specs = []
    for position, (code, label) in enumerate(zip(order, labels, strict=True)):
        part = drawn[codes == code].copy()
        part.attrs = dict(points.attrs)
        name = f"{layer}: {label}"
        if totals[int(code)] > len(part):
            shown, total = i18n.number(len(part), lang), i18n.number(totals[int(code)], lang)
            name += " " + i18n.text("period_sample", lang, shown=shown, total=total)
        item = LayerInput(part, f"{layer}-{label}", "user-points", False, name=name)
        color = period_color(position, len(order))
        spec = vector_spec(item, first_index + position, lang, color, group)
        spec["style"]["color"] = PERIOD_OUTLINE
        for entry in spec["legend"]:
            entry["style"]["color"] = PERIOD_OUTLINE
        spec["period"] = str(label)
        specs.append(spec)
    return specs


def period_sample_specs(
    source: Any,
    by: str,
    first_index: int,
    lang: str,
    group: int,
    **where: Any,
) -> list[dict[str, Any]]:
    """:func:`period_specs` of Parquet observations, sampled where they are read.

    `where` holds the keywords of :func:`amurgeo.observations.sample.period_sample_of`
    (``options``, ``workers``, ``scheduler``, ``storage_options``).

    Each batch keeps its own capped sample per period
    (:func:`amurgeo.observations.sample.period_sample_of`); only those come back, so a
    folder of any size draws at most ``PERIOD_POINT_CAP`` points per period: the points the
    same observations in memory draw. The popups show species, time and period.
    """
    import amurgeo.observations.sample as sampling
    from amurgeo.errors import DataError

    tally = sampling.period_sample_of(
        source, sampling.SamplePlan(by, sampling.PERIOD_POINT_CAP), **where
    )
    sample = tally.value
    if sample is None:
        raise DataError(
            f"{tally.where}: no observation has a readable date; nothing to draw by {by}"
        )
    data: dict[str, Any] = {}
    if sample.species is not None:
        data["species"] = sample.species
    data["time"] = pd.Series(sample.times).dt.tz_localize("UTC")
    gdf = gpd.GeoDataFrame(
        data, geometry=gpd.points_from_xy(sample.lon, sample.lat), crs="EPSG:4326"
    )
    gdf.attrs.update(source=tally.where, layer_id=tally.name)
    return period_specs(gdf, by, first_index, lang, group, totals=sample.totals)
