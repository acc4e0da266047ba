"""The Amur region's constants, each written once with what it means.

Every box is ``(west, south, east, north)`` in longitude/latitude degrees (WGS84).

>>> west, south, east, north = OPENING_FRAME
>>> WARNING_BOUNDS[0] < west < east < WARNING_BOUNDS[2]
True
"""

from __future__ import annotations

__all__ = ["COORD_DECIMALS", "EQUAL_AREA_CENTRE", "OPENING_FRAME", "WARNING_BOUNDS"]

#: Centre (lon, lat) of the Lambert azimuthal equal-area projection areas and overlays use
#: (:data:`amurgeo.measure.EQUAL_AREA_CRS`): the Amur leopard's range.
EQUAL_AREA_CENTRE = (131.0, 43.0)

#: The frame a map opens on, and a figure draws, when no layer gives one: south-west
#: Primorye and the Chinese national park beside it.
OPENING_FRAME = (129.0, 42.3, 132.3, 44.5)

#: The Amur region, generously: a file whose features all lie outside it gets a
#: :class:`~amurgeo.errors.DataWarning` (probably the wrong coordinates or the wrong file).
WARNING_BOUNDS = (111.0, 28.0, 151.0, 58.0)

#: Decimals of a degree kept for coordinates written into a map page: 5, about 1 m.
COORD_DECIMALS = 5
