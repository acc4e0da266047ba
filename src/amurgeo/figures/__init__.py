"""Publication-quality static figures with matplotlib: a map and the population timeline.

:func:`plot_figure` draws bundled layers and your own files on a static map: countries with
their borders and coast (the bundled ``countries`` layer), the protected areas and the
leopard's range, conservation activities (one circle per place, sized by the number of
activities there), a legend, a scale bar, a north arrow, a title and a data note.
:func:`save_figure` writes it as PNG, SVG or PDF, atomically and byte for byte the same for
the same input. :func:`plot_population` charts the leopard and tiger counts of
:func:`load_population`, Russia and China kept apart. :func:`plot_periods` charts counts or
effort per period and area (observations per month, fires per year).

How the map is drawn
--------------------
* In :data:`amurgeo.measure.EQUAL_AREA_CRS` (Lambert azimuthal equal-area centred on 131 E,
  43 N), so that areas look as large as they are and the scale bar holds across the map
  (the scale error is below 0.1 % within 250 km of the centre). Data far from the region
  (more than 15 degrees of longitude or 10 of latitude away) gets a Lambert azimuthal
  equal-area projection centred on itself instead. The north arrow follows the meridian at
  the centre of the map.
* Framed on the areas drawn and the points near them (SW Primorye and the Chinese park for the
  bundled layers), not on far-away points such as offices in Moscow or London: the data note says
  how many points lie outside the frame.
* Every text from the data (layer and place names) is drawn as plain text: a ``$`` in a
  name never starts matplotlib's mathtext.

matplotlib is imported only when a figure is made, so that ``import amurgeo`` and the
other commands stay fast.
"""

from __future__ import annotations

from amurgeo.figures.layers import DEFAULT_TITLE, FIGURE_FORMATS, REGION_BOUNDS
from amurgeo.figures.map import plot_figure, save_figure
from amurgeo.figures.periods import plot_periods
from amurgeo.figures.population import load_population, plot_population

__all__ = [
    "DEFAULT_TITLE",
    "FIGURE_FORMATS",
    "REGION_BOUNDS",
    "load_population",
    "plot_figure",
    "plot_periods",
    "plot_population",
    "save_figure",
]
