"""The two WDPA attribute schemas, the STATUS values, and telling a WDPA layer by its columns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CLASSIC_FIELDS",
    "FIELDS_2025",
    "KNOWN_STATUSES",
    "RETAINED_STATUSES",
    "columns_by_upper",
    "is_mab",
    "wdpa_schema",
]

#: Attributes of the classic WDPA schema (releases up to October 2025), in file order.
CLASSIC_FIELDS: tuple[str, ...] = (
    "WDPAID",
    "WDPA_PID",
    "PA_DEF",
    "NAME",
    "ORIG_NAME",
    "DESIG",
    "DESIG_ENG",
    "DESIG_TYPE",
    "IUCN_CAT",
    "INT_CRIT",
    "MARINE",
    "REP_M_AREA",
    "GIS_M_AREA",
    "REP_AREA",
    "GIS_AREA",
    "NO_TAKE",
    "NO_TK_AREA",
    "STATUS",
    "STATUS_YR",
    "GOV_TYPE",
    "OWN_TYPE",
    "MANG_AUTH",
    "MANG_PLAN",
    "VERIF",
    "METADATAID",
    "SUB_LOC",
    "PARENT_ISO3",
    "ISO3",
)

#: Attributes of the schema Protected Planet uses since November 2025 (the merged database of
#: protected areas and OECMs), in file order. ``NAME`` is now the original-language name.
FIELDS_2025: tuple[str, ...] = (
    "SITE_ID",
    "SITE_PID",
    "SITE_TYPE",
    "NAME_ENG",
    "NAME",
    "DESIG",
    "DESIG_ENG",
    "DESIG_TYPE",
    "IUCN_CAT",
    "INT_CRIT",
    "REALM",
    "REP_M_AREA",
    "REP_AREA",
    "NO_TAKE",
    "NO_TK_AREA",
    "STATUS",
    "STATUS_YR",
    "GOV_TYPE",
    "GOVSUBTYPE",
    "OWN_TYPE",
    "OWNSUBTYPE",
    "MANG_AUTH",
    "MANG_PLAN",
    "VERIF",
    "METADATAID",
    "PRNT_ISO3",
    "ISO3",
    "SUPP_INFO",
    "CONS_OBJ",
    "INLND_WTRS",
    "OECM_ASMT",
    "GIS_M_AREA",
    "GIS_AREA",
)


#: The ``STATUS`` values kept by default: sites that are in force (wdpar's default).
RETAINED_STATUSES: tuple[str, ...] = ("Designated", "Inscribed", "Established")

#: Every ``STATUS`` value the WDPA uses.
KNOWN_STATUSES: tuple[str, ...] = (*RETAINED_STATUSES, "Adopted", "Proposed", "Not Reported")

# --------------------------------------------------------------------------------------------
# Recognising a WDPA layer
# --------------------------------------------------------------------------------------------


def columns_by_upper(columns: Iterable[Any]) -> dict[str, str]:
    """Map upper-cased column names to the column names (first wins)."""
    out: dict[str, str] = {}
    for column in columns:
        out.setdefault(str(column).upper(), str(column))
    return out


def wdpa_schema(columns: Iterable[Any]) -> str | None:
    """Tell which WDPA schema a layer's attribute names follow, if any.

    Returns ``"classic"`` (``WDPAID`` ...), ``"2025"`` (``SITE_ID`` with ``NAME_ENG``,
    ``SITE_TYPE`` or ``REALM``) or None. Names are compared without regard to case. A layer
    that already has amurgeo's ``reported_area_km2`` is not taken for a WDPA extract (it was
    prepared already, or is amurgeo's own).

    Examples
    --------
    >>> wdpa_schema(["WDPAID", "NAME", "REP_AREA", "STATUS", "geometry"])
    'classic'
    >>> wdpa_schema(["SITE_ID", "NAME_ENG", "NAME", "REP_AREA"])
    '2025'
    >>> wdpa_schema(["name", "reported_area_km2", "WDPAID"]) is None
    True
    """
    names = [str(c) for c in columns]
    if "reported_area_km2" in names:
        return None
    upper = columns_by_upper(names)
    if "SITE_ID" in upper and {"NAME_ENG", "SITE_TYPE", "REALM", "SITE_PID"} & set(upper):
        return "2025"
    if "WDPAID" in upper and {"NAME", "REP_AREA", "STATUS", "DESIG_ENG", "WDPA_PID"} & set(upper):
        return "classic"
    return None


def is_mab(designation: Any) -> bool:
    """Tell whether a WDPA designation is a UNESCO-MAB Biosphere Reserve.

    A national "biosphere reserve" (a Russian *zapovednik* such as Kedrovaya Pad State Nature
    Biosphere Reserve) is not: only the UNESCO Man and the Biosphere designation is.

    Examples
    --------
    >>> is_mab("UNESCO-MAB Biosphere Reserve"), is_mab("State Nature Biosphere Reserve")
    (True, False)
    """
    if not isinstance(designation, str):
        return False
    text = designation.lower()
    return "biosphere" in text and ("unesco" in text or re.search(r"\bmab\b", text) is not None)


# --------------------------------------------------------------------------------------------
# Finding the layers of what Protected Planet ships
# --------------------------------------------------------------------------------------------
