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

from amurgeo.maps.basemaps import BASEMAPS
from amurgeo.maps.build import build_map
from amurgeo.maps.overlays import LayerSource
from amurgeo.maps.page import AmurgeoMap, map_html, save_map
from amurgeo.maps.popups import LANGS

__all__ = ["BASEMAPS", "LANGS", "AmurgeoMap", "LayerSource", "build_map", "map_html", "save_map"]
