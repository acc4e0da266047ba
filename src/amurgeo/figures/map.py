"""The map figure: :func:`plot_figure` and :func:`save_figure`."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from amurgeo._atomic import atomic_path
from amurgeo._progress import Progress
from amurgeo.errors import DataError, UsageError
from amurgeo.figures.cartography import north_arrow, scale_bar
from amurgeo.figures.draw import (
    Place,
    draw_activities,
    draw_areas,
    draw_countries,
    draw_line_layer,
    draw_points,
    draw_range,
    figure_renderer,
    label_countries,
    label_places,
    marker_boxes,
    read_places,
)
from amurgeo.figures.labels import (
    TOWNS_SOURCE,
    area_names,
    frame_towns,
    furniture_boxes,
    label_areas,
    label_towns,
    map_name,
)
from amurgeo.figures.layers import (
    ACTIVITIES_NAME,
    FIGURE_FORMATS,
    RC_PARAMS,
    FigureLayer,
    check_bounds,
    country_layer,
    display_name,
    fit_aspect,
    frame_bounds,
    frame_centre,
    lonlat_box_to_ea,
    map_crs,
    plain_text,
    project_layers,
    read_layers,
    wrap_text,
)
from amurgeo.figures.titles import draw_titles
from amurgeo.io import Source
from amurgeo.measure import HAND_DRAWN_EDGE_KM
from amurgeo.style import MUTED_COLOR, POINT_COLORS, SEA_COLOR, USER_COLORS, area_color

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _accuracy_sentences(layers: list[FigureLayer]) -> list[str]:
    """How far the bundled areas' edges may be from the real ones."""
    sentences: list[str] = []
    bundled_areas = [ly for ly in layers if ly.bundled and ly.kind in ("protected-area", "range")]
    if bundled_areas:
        # edges stated to within a kilometre come from a mapped boundary (OpenStreetMap);
        # the others are hand-drawn, with the band the README measures
        mapped: list[tuple[FigureLayer, pd.Series]] = []
        drawn: list[tuple[FigureLayer, pd.Series]] = []
        for ly in bundled_areas:
            km = pd.to_numeric(ly.gdf.get("boundary_uncertainty_km"), errors="coerce")
            locator = _locators(ly)
            if locator.any():
                sentences.append(_locator_sentence(ly, locator, km[locator].dropna()))
            km = km[~locator].dropna()
            if len(km):
                (mapped if km.max() < 1 else drawn).append((ly, km))
        if mapped:
            mapped_names = ", ".join(ly.name for ly, _ in mapped)
            top = max(float(km.max()) for _, km in mapped)
            sentences.append(f"{mapped_names}: mapped boundary (edges within {top:g} km).")
        if drawn:
            (share_a, km_a), (share_b, km_b) = sorted(HAND_DRAWN_EDGE_KM.items())
            sentences.append(
                "Other boundaries are hand-drawn approximations, not official: measured where "
                f"the real boundary is known, this drawing method put {share_a * 100:.0f} % of the "
                f"real edge within {km_a:g} km of the drawn one and {share_b * 100:.0f} % within "
                f"{km_b:g} km."
            )
    return sentences


def _locators(layer: FigureLayer) -> pd.Series:
    """Which of `layer`'s areas are locators (where and how big), not drawn boundaries."""
    sources = layer.gdf.get("source", pd.Series("", index=layer.gdf.index))
    return sources.astype(str).str.lower().str.contains("locator")


def _locator_sentence(layer: FigureLayer, locator: pd.Series, km: pd.Series) -> str:
    """What the locators of a layer show, and how far their edges may be off."""
    # the layer is in the map's equal-area CRS: areas in m²
    radius = max(math.sqrt(float(a) / math.pi) / 1000 for a in layer.gdf.area[locator])
    which = "" if locator.all() else f"{int(locator.sum())} of the {len(locator)} are "
    typical = f"{km.min():g}\u2013{km.max():g} km off, " if len(km) else ""
    return (
        f"{layer.name}: {which}locators, not boundaries (no public boundary file was found), each "
        "an ellipse round the published centre, as large as the official area; edges typically "
        f"{typical}parts up to {radius:.0f} km."
    )


def _outside_sentences(outside: list[tuple[str, list[str], int]]) -> list[str]:
    """Per point layer, how many of its points lie outside the map, and which."""
    sentences: list[str] = []
    for name, names, total in outside:
        if not names:
            continue
        what = "activity points" if name == ACTIVITIES_NAME else f"points of {name}"
        counts = pd.Series(names).value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        shown = ", ".join(counts.index[:4]) + (", …" if len(counts) > 4 else "")
        sentences.append(
            f"{len(names)} of the {total} {what} {'lies' if len(names) == 1 else 'lie'} "
            f"outside the map ({plain_text(shown, 120)})."
        )
    return sentences


def _attributions(layers: list[FigureLayer], extra: Sequence[str] = ()) -> list[str]:
    """The attributions of the layers, of the backdrop's borders and `extra`, each once."""
    from amurgeo.catalog import layer_entry  # the backdrop's borders and coast

    texts = [str(ly.entry.get("attribution") or "") for ly in layers]
    texts += [str(layer_entry("countries").get("attribution") or ""), *extra]
    attributions: list[str] = []
    for part in (p.strip() for text in texts for p in text.split(";")):
        if part and part not in attributions:
            attributions.append(part)
    return attributions


def _note(
    layers: list[FigureLayer],
    outside: list[tuple[str, list[str], int]],
    extra: str | None,
    crs: Any,
    named: tuple[list[str], list[str]] = ([], []),
) -> str:
    """The data note: accuracy, points outside the frame, sources and projection.

    `named` holds the names written on the map: of areas and of towns.
    """
    area_labels, town_labels = named
    sentences = [*_accuracy_sentences(layers), *_outside_sentences(outside)]
    if any(ly.kind == "activities" and ly.bundled for ly in layers):
        sentences.append("Most activities are placed at a district centre or an office.")
    if any(name.replace("\n", " ").endswith(" NP") for name in area_labels):
        sentences.append("NP: national park.")
    sources = _attributions(layers, [TOWNS_SOURCE] if town_labels else [])
    sentences.append("Sources: " + "; ".join(plain_text(a) for a in sources) + ".")
    user = [ly.name for ly in layers if not ly.bundled]
    if user:
        sentences.append("Your layers: " + ", ".join(user) + ".")
    lon, lat = frame_centre(crs)
    sentences.append(
        "Lambert azimuthal equal-area projection centred on "
        f"{abs(lon):g}° {'E' if lon >= 0 else 'W'}, {abs(lat):g}° {'N' if lat >= 0 else 'S'}."
    )
    if extra:
        sentences.append(plain_text(extra, 400))
    return " ".join(sentences)


def plot_figure(
    layers: Sequence[Source] | Source | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    bounds: Sequence[float] | None = None,
    width: float = 8.0,
    theme: str = "leopard",
) -> Figure:
    """Draw a static map of bundled layers and/or your own files.

    Parameters
    ----------
    layers
        Bundled layer ids or aliases, paths of vector files or GeoDataFrames; one or a list;
        a CSV (or Parquet) of points or a DataFrame with coordinate columns is read as
        observations (see :func:`amurgeo.read_observations`) and drawn as dots.
        Default: the layers of the `theme`'s overview. Countries (borders, coast, land) are
        always drawn
        underneath from the bundled ``countries`` layer. Point layers with ``organization``
        and ``activity`` attributes are drawn as activity places (one circle per place,
        sized by the number of points there); other point layers as dots.
    ax
        Draw into this matplotlib axes (its figure is returned); default: a new figure with
        the title, legend and data note around the map.
    title, subtitle
        Title and subtitle above the map (``""`` for none); a long one is wrapped (and, if
        need be, made smaller) to fit the figure's width. Default: the theme's title (for
        the overview) or the layer names.
    note
        Text added to the end of the data note under the map.
    bounds
        (west, south, east, north) in degrees to show; default: the areas drawn (or the
        points, for point layers only), with a margin.
    width
        Width of a new figure in inches; its height follows from the map and the text.
    theme
        ``leopard`` (south-west Primorye and the Chinese park beside it, the leopard's range)
        or ``tiger`` (the tiger's range in Russia and China, its reserves and national parks,
        each named on the map, and the two border parks): the overview drawn when `layers`
        is None, and its title. Protected areas are named on the map whenever a layer holds
        several of them; then the main towns of ``geodata/towns.csv`` are drawn too.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`save_figure` (or show it in a notebook).

    Raises
    ------
    UsageError
        For an empty list of layers, a layer that does not exist, bad `bounds` or an
        unknown `theme`.
    DataError
        For a file that cannot be read or layers with nothing to draw.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> plots = gpd.GeoDataFrame(
    ...     {"name": ["Plot $1"]}, geometry=[box(131.2, 43.0, 131.4, 43.15)], crs=4326
    ... )
    >>> plots.attrs["layer_id"] = "survey plots"
    >>> fig = plot_figure(["LotL", plots], title="Survey plots")
    >>> fig.axes[0].get_title(loc="left")
    'Survey plots'
    """
    from matplotlib import rc_context

    from amurgeo.catalog import theme_layer_ids

    theme_layer_ids(theme)  # an unknown theme is refused before any work
    if layers is not None and isinstance(layers, (str, os.PathLike, gpd.GeoDataFrame)):
        layers = [layers]
    if layers is not None and not len(layers):
        raise UsageError("`layers` is empty; name at least one layer or file, or pass None")
    with rc_context(RC_PARAMS), Progress("figure", total=None) as progress:
        progress.note("reading layers")
        items = read_layers(layers, theme)
        items = [it for it in items if len(it.gdf)] or items
        if not any(len(it.gdf) for it in items):
            raise DataError("nothing to draw: every layer given is empty")
        for item in items:
            item.name = display_name(item)
        progress.note("drawing")
        return _plot(
            items,
            ax=ax,
            title=title,
            subtitle=subtitle,
            note=note,
            bounds=bounds,
            width=width,
            default=theme if layers is None else None,
        )


def _plot(
    items: list[FigureLayer],
    *,
    ax: Axes | None,
    title: str | None,
    subtitle: str | None,
    note: str | None,
    bounds: Sequence[float] | None,
    width: float,
    default: str | None,
) -> Figure:
    own_figure = ax is None
    check_bounds(bounds)
    crs = map_crs(items, bounds)
    project_layers(items, crs)
    data_frame = frame_bounds(items, bounds, crs)
    fig, ax = _map_axes(ax, data_frame, width)
    frame = _frame_axes(fig, ax, data_frame)

    countries = country_layer(crs)
    extent = shapely.box(*lonlat_box_to_ea(countries.to_crs("EPSG:4326").total_bounds, crs))
    if not extent.contains(shapely.box(*frame)):
        # beyond the bundled countries (126-136 E, 40-47.5 N) land and sea are unknown
        ax.set_facecolor("#f7f7f7")
    border_handles = draw_countries(ax, countries, frame)
    label_countries(ax, countries, frame, items)
    handles, outside, places_all = _draw_layers(ax, items, frame)
    handles += border_handles

    scale_bar(ax, frame)
    north_arrow(ax, frame, crs)
    ax.set_xlabel("")
    ax.set_ylabel("")
    legend = _legend(ax, handles, own_figure=own_figure)
    renderer = figure_renderer(fig)
    avoid = [legend.get_window_extent(renderer), *marker_boxes(ax, places_all)]
    avoid += furniture_boxes(ax, renderer)
    areas = area_names(items, frame)
    avoid += label_areas(ax, areas, avoid)
    town_names: list[str] = []
    if areas:  # a map that names its areas names its towns too
        town_names, town_boxes = label_towns(ax, frame_towns(frame, crs), avoid)
        avoid += town_boxes
    named_already = {*town_names, *(a.text for a in areas)}
    for place in places_all:  # a town or area already named is not named again
        if place.label in named_already or map_name(place.label) in named_already:
            place.label = ""
    label_places(ax, places_all, avoid)
    draw_titles(ax, items, title=title, subtitle=subtitle, default=default)
    named = ([a.text for a in areas], town_names)
    _note_below(fig, ax, legend, _note(items, outside, note, crs, named), own_figure=own_figure)
    return fig


def _map_axes(ax: Axes | None, data_frame: Sequence[float], width: float) -> tuple[Figure, Axes]:
    """The figure and map axes: a new figure sized to the data's shape, or `ax`'s own."""
    if ax is None:
        map_w = width - 2 * _MARGIN_IN
        ratio = (data_frame[3] - data_frame[1]) / (data_frame[2] - data_frame[0])
        map_h = map_w * min(max(ratio, 0.55), 1.3)
        height = map_h + 4.0  # a first guess; trimmed to the content at the end
        fig = new_figure(figsize=(width, height))
        ax = fig.add_axes((_MARGIN_IN / width, 2.5 / height, map_w / width, map_h / height))
        return fig, ax
    parent = ax.get_figure()
    assert parent is not None
    return parent, ax  # type: ignore[return-value]


def _frame_axes(
    fig: Figure, ax: Axes, data_frame: Sequence[float]
) -> tuple[float, float, float, float]:
    """Style the map axes (sea, no ticks, a grey frame); return the frame fitted to them."""
    ax.set_facecolor(SEA_COLOR)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.8)
    box = ax.get_window_extent(figure_renderer(fig))
    frame = fit_aspect(data_frame, box.width / box.height)
    ax.set_xlim(frame[0], frame[2])
    ax.set_ylim(frame[1], frame[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_autoscale_on(False)
    return frame


def _draw_layers(
    ax: Axes, items: list[FigureLayer], frame: Sequence[float]
) -> tuple[list[tuple[Any, str]], list[tuple[str, list[str], int]], list[Place]]:
    """Draw areas (largest first), ranges, lines, points and activities.

    Returns the legend handles, per point layer the points outside the frame, and the
    activity places to label.
    """
    ranges = [it for it in items if it.kind == "range"]
    areas = [it for it in items if it.kind in ("protected-area", "countries", "user-areas")]
    # larger areas first, so that reserves inside parks stay visible on top
    areas.sort(key=lambda it: -float(it.gdf.area.sum()))
    handles: list[tuple[Any, str]] = []
    user_i = point_i = 0
    used_area_colors: set[str] = set()
    for z, item in enumerate(areas):
        if item.bundled and item.kind == "protected-area":
            color = area_color(item.layer_id, used_area_colors)
            used_area_colors.add(color)
        else:
            color = USER_COLORS[user_i % len(USER_COLORS)]
            user_i += 1
        handles += draw_areas(ax, item, color, 4 + z * 0.01)
    for item in ranges:
        handles += draw_range(ax, item)
    for item in items:
        if item.kind == "user-lines":
            handles += draw_line_layer(ax, item, USER_COLORS[user_i % len(USER_COLORS)])
            user_i += 1
    outside: list[tuple[str, list[str], int]] = []
    places_all: list[Place] = []
    for item in items:
        if item.kind == "user-points":
            color = POINT_COLORS[point_i % len(POINT_COLORS)]
            handles += draw_points(ax, item, color, point_i)
            point_i += 1
            points = item.gdf.geometry.representative_point()
            x, y = points.x.to_numpy(), points.y.to_numpy()
            out = ~((x >= frame[0]) & (x <= frame[2]) & (y >= frame[1]) & (y <= frame[3]))
            outside.append((item.name, [f"point {i + 1}" for i in np.flatnonzero(out)], len(x)))
        elif item.kind == "activities":
            places, names, total = read_places(item, frame)
            handles += draw_activities(ax, places, item.name)
            places_all += places
            outside.append((ACTIVITIES_NAME if item.bundled else item.name, names, total))
    return handles, outside, places_all


def _legend(ax: Axes, handles: list[tuple[Any, str]], *, own_figure: bool) -> Any:
    """The legend: under the map in two columns, or inside `ax` at the lower right."""
    legend_style: dict[str, Any] = {
        "fontsize": 7.5,
        "frameon": False,
        "borderpad": 0.2,
        "borderaxespad": 0.0,
        "labelspacing": 0.6,
        "columnspacing": 2.0,
        "handlelength": 2.4,
        "handleheight": 1.3,
        "scatterpoints": 1,
    }
    if own_figure:
        legend = ax.legend(
            [h for h, _ in handles],
            [wrap_text(label, 48) for _, label in handles],
            loc="upper left",
            bbox_to_anchor=(0.0, -0.025),
            ncol=2,
            **legend_style,
        )
    else:
        legend = ax.legend(
            [h for h, _ in handles],
            [wrap_text(label, 40) for _, label in handles],
            loc="lower right",
            **{**legend_style, "frameon": True, "framealpha": 0.9, "fontsize": 6.5},
        )
    legend.set_zorder(20)
    return legend


def _note_below(fig: Figure, ax: Axes, legend: Any, text: str, *, own_figure: bool) -> None:
    """The note (sources, projection, points outside) under the legend or under `ax`."""
    if own_figure:
        ax.annotate(
            wrap_text(text, 132),
            (0, 0),
            xycoords=legend,
            xytext=(0, -12),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7,
            color=MUTED_COLOR,
            linespacing=1.45,
        )
        _trim_height(fig, ax)
    else:
        ax.annotate(
            wrap_text(text, 110),
            (0, 0),
            xycoords="axes fraction",
            xytext=(0, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=6,
            color=MUTED_COLOR,
        )


#: Margin (inches) around the content of a figure made by :func:`plot_figure`.
_MARGIN_IN = 0.3


@cache
def _figure_class() -> type[Figure]:
    """A matplotlib Figure that Jupyter shows as a PNG, with or without pyplot (made once)."""
    from matplotlib.figure import Figure

    class AmurgeoFigure(Figure):
        """A matplotlib Figure that Jupyter shows as a PNG, with or without pyplot."""

        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100, facecolor=self.get_facecolor())
            return buffer.getvalue()

    return AmurgeoFigure


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A new figure on the Agg canvas (pyplot is never involved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=figsize, dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _trim_height(fig: Figure, ax: Axes) -> None:
    """Make the figure as tall as its content plus margins, keeping the map's size."""
    renderer = figure_renderer(fig)
    dpi = fig.dpi
    width, height = fig.get_size_inches()
    content = fig.get_tightbbox(renderer)  # inches
    position = ax.get_position()
    ax_bottom = position.y0 * height
    ax_height = position.height * height
    new_height = float(content.height) + 2 * _MARGIN_IN
    new_bottom = ax_bottom - float(content.y0) + _MARGIN_IN
    fig.set_size_inches(width, new_height)
    ax.set_position((position.x0, new_bottom / new_height, position.width, ax_height / new_height))
    fig.dpi = dpi


def save_figure(
    fig: Figure, path: str | os.PathLike[str], *, dpi: float = 200, fmt: str | None = None
) -> Path:
    """Write `fig` to `path` as PNG, SVG or PDF (from the suffix), atomically; return the path.

    The same figure gives the same bytes: no date is written into SVG or PDF and SVG ids
    come from a fixed salt.

    Parameters
    ----------
    fig
        A figure from :func:`plot_figure` (or any matplotlib figure).
    path
        Output file ending in ``.png``, ``.svg`` or ``.pdf``; its folder must exist.
    dpi
        Resolution of a PNG (SVG and PDF are vector; their raster parts use it too).
    fmt
        ``png``, ``svg`` or ``pdf`` [default: from the suffix]; needed for ``-`` (standard
        output), which :mod:`amurgeo.output` writes like a file.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    UsageError
        For another suffix, or a folder that does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> fig = plot_figure("hunchun", title="Hunchun")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hunchun.svg"
    >>> first = save_figure(fig, out).read_bytes()
    >>> first == save_figure(fig, out).read_bytes()
    True
    >>> save_figure(fig, out.with_suffix(".jpg"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    amurgeo.errors.UsageError: output 'hunchun.jpg': unsupported figure format '.jpg'; ...
    """
    from matplotlib import rc_context

    target = Path(path)
    suffix = f".{fmt.lower()}" if fmt else target.suffix.lower()
    if suffix not in FIGURE_FORMATS:
        shown = suffix or "no suffix"
        raise UsageError(
            f"output {target.name!r}: unsupported figure format {shown!r}; "
            "expected .png, .svg or .pdf"
        )
    fmt = suffix[1:]
    metadata: Any = {
        "png": {"Software": "amurgeo (matplotlib)"},
        "svg": {"Date": None, "Creator": "amurgeo (matplotlib)"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "amurgeo (matplotlib)"},
    }[fmt]
    with rc_context(RC_PARAMS), atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata, facecolor=fig.get_facecolor())
    return target
