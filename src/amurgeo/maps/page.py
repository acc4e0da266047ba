"""The page: the folium elements a map is made of, counter ids, and the page's bytes."""

from __future__ import annotations

import contextlib
import html
import itertools
import os
import threading
from collections.abc import Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from amurgeo._atomic import atomic_path
from amurgeo.maps.assets import ASSET_FILES, cdn_url
from amurgeo.maps.offline import inline_assets, script_tag, style_tag
from amurgeo.maps.popups import js_literal

ID_LOCK = threading.RLock()


@contextlib.contextmanager
def deterministic_ids(prefix: str) -> Iterator[None]:
    """Give every branca element created inside the block a counter id (``prefix0001`` ...).

    branca draws ids from ``os.urandom``; its ``_generate_id`` hook (branca >= 0.8) is swapped
    for a counter only while the block runs, under a lock, and always restored.
    """
    counter = itertools.count(1)

    def generate(cls: type) -> str:
        return f"{prefix}{next(counter):04d}"

    with ID_LOCK:
        original = Element.__dict__["_generate_id"]
        Element._generate_id = classmethod(generate)  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Element._generate_id = original  # type: ignore[method-assign]


class PluginAssets(JSCSSMixin):
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


class OverlayLayer(Layer):
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
        self.spec_js = js_literal(spec)


class MapUI(MacroElement):
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
        overlays: list[OverlayLayer],
        bases: list[folium.TileLayer],
        config: dict[str, Any],
    ) -> None:
        super().__init__()
        self._name = "MapUI"
        self.overlays = overlays
        self.bases = bases
        self.config = config
        package = files("amurgeo.maps") / "static"
        css = (package / "ui.css").read_text(encoding="utf-8")
        js = (package / "ui.js").read_text(encoding="utf-8")
        self.head = style_tag(css) + "\n" + script_tag(js)
        self.config_js = js_literal(config)


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
        self.amurgeo_base_names: list[str] = []
        self.amurgeo_ui: MapUI | None = None

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


def _switch_on_base(m: AmurgeoMap, self_contained: bool) -> None:
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
    with ID_LOCK:
        figure = m.get_root()
        parts = [figure.header, figure.html, figure.script] if isinstance(figure, Figure) else []
        # Rendering adds children to the figure; drop those of an earlier render so that
        # every render starts from the same tree (and base maps switched off stay off).
        for part, keys in zip(parts, getattr(m, "_amurgeo_rendered", []), strict=False):
            for key in keys:
                part._children.pop(key, None)
        before = [set(part._children) for part in parts]
        if isinstance(m, AmurgeoMap):
            _switch_on_base(m, offline)
        with deterministic_ids("r"):
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
    >>> from amurgeo.maps import build_map
    >>> from shapely.geometry import box
    >>> parks = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(131, 43, 131.5, 43.2)], crs=4326)
    >>> out = save_map(build_map(parks), pathlib.Path(tempfile.mkdtemp()) / "parks.html")
    >>> out.read_bytes() == save_map(build_map(parks), out).read_bytes()
    True
    """
    page = map_html(m, self_contained=self_contained)
    target = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(page.encode("utf-8"))
    return target
