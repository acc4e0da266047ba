"""Extracts of the World Database on Protected Areas (WDPA) as amurgeo area layers.

Protected Planet (UNEP-WCMC and IUCN, https://www.protectedplanet.net) ships the WDPA as a File
Geodatabase (a ``.gdb`` folder with a polygons and a points layer), as zipped shapefiles
(``..._polygons.shp`` and ``..._points.shp``, often in zips inside the zip) or as a GeoPackage.
:func:`amurgeo.io.read_vector` hands every layer it reads to :func:`prepare_wdpa`, which does
nothing unless the layer carries WDPA attributes. A WDPA layer comes back

* **in amurgeo's attribute schema** (:data:`amurgeo.schema.AREA_FIELDS`): ``name`` is the
  English name (``NAME`` in the classic schema, ``NAME_ENG`` in the one used since November
  2025), ``reported_area_km2`` is ``REP_AREA``, ``status_year`` is ``STATUS_YR``, ``iso3`` is
  ``ISO3`` (``RUS;CHN`` for a site in two countries), ``designation`` is ``DESIG_ENG``,
  ``managed_by`` is ``MANG_AUTH``, ``source`` is the site's page on Protected Planet. The
  original-language name (``ORIG_NAME``, or ``NAME`` in the 2025 schema) is kept as
  ``original_name`` and, when written in Cyrillic or Chinese characters, as ``name_ru`` or
  ``name_zh``. Every other WDPA attribute is kept under its own name.
* **cleaned for coverage** the way the wdpar R package documents it (Hanson 2022, *wdpar:
  Interface to the World Database on Protected Areas*, Journal of Open Source Software 7:4594;
  https://prioritizr.github.io/wdpar/reference/wdpa_clean.html), which follows Butchart et al.
  2015 and Protected Planet's own coverage method: records whose ``STATUS`` is not
  Designated, Inscribed or Established (Proposed, Adopted, Not Reported) are left out, UNESCO-MAB
  Biosphere Reserves are left out (their transition zones are not protected; Coetzer et al.
  2014), point records without a reported area are left out, and every other point record
  becomes a circle of its ``REP_AREA`` (``wdpa_geometry`` says ``circle from point``).
  :class:`WdpaCleaning` keeps what is left out by default. What was left out is said in a
  :class:`WdpaNote` warning and in ``gdf.attrs["wdpa"]`` (a :class:`WdpaSummary`).

Overlapping WDPA records (a national park and the World Heritage Site that covers it) are not
erased here, as wdpar does: amurgeo's coverage, gap and overlap dissolve each layer first, so
overlapping protection is counted once, and the area table lists each record whole.

Boundary uncertainty
--------------------
The WDPA states no positional accuracy for its boundaries (they come from national agencies,
at many scales). amurgeo does not invent one: a WDPA polygon gets no
``boundary_uncertainty_km`` (its low-high range is its own area) unless the user gives
``--uncertainty-km`` / ``uncertainty_km``. A circle drawn from a point record is different:
only its area and a centre are known, so its ``boundary_uncertainty_km`` is its radius, and
its low-high range runs from nothing to the circle grown by its radius.

Licence: the WDPA may not be redistributed (Protected Planet terms of use); amurgeo bundles
none of it and its tests build their own WDPA-shaped files.
"""

from __future__ import annotations

from amurgeo.wdpa.cleaning import (
    CIRCLE as CIRCLE,
)
from amurgeo.wdpa.cleaning import (
    CIRCLE_VERTICES,
    WdpaCleaning,
    WdpaNote,
    WdpaSummary,
    point_circle,
    prepare_wdpa,
)
from amurgeo.wdpa.cleaning import (
    REPORTED_AREA_SOURCE as REPORTED_AREA_SOURCE,
)
from amurgeo.wdpa.files import dataset_parts
from amurgeo.wdpa.schema import (
    CLASSIC_FIELDS,
    FIELDS_2025,
    KNOWN_STATUSES,
    RETAINED_STATUSES,
    is_mab,
    wdpa_schema,
)

__all__ = [
    "CIRCLE_VERTICES",
    "CLASSIC_FIELDS",
    "FIELDS_2025",
    "KNOWN_STATUSES",
    "RETAINED_STATUSES",
    "WdpaCleaning",
    "WdpaNote",
    "WdpaSummary",
    "dataset_parts",
    "is_mab",
    "point_circle",
    "prepare_wdpa",
    "wdpa_schema",
]
