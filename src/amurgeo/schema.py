"""The attributes every bundled feature carries, by layer kind.

Area features are shaped like the World Database on Protected Areas (WDPA) so that real WDPA
extracts can be used beside them.
"""

from __future__ import annotations

__all__ = [
    "ACTIVITY_FIELDS",
    "ACTIVITY_TYPES",
    "AREA_FIELDS",
    "COUNTRY_FIELDS",
    "LANGS",
    "LOCATION_PRECISIONS",
    "NO_COUNTRY",
    "RANGE_FIELDS",
    "TRANSLATED_FIELDS",
    "TRANSLATION_FIELDS",
    "required_fields",
]

#: Languages of the names and titles (``name``, ``name_ru``, ``name_zh``; the catalog's
#: ``title``, ``title_ru``, ``title_zh``), and so of the map labels.
LANGS: tuple[str, ...] = ("en", "ru", "zh")

#: The country of what lies in no country (at sea, or beyond the countries layer), in every
#: per-country table.
NO_COUNTRY = "(no country)"

#: Attributes of protected-area features (WDPA-like), in file order.
AREA_FIELDS: tuple[str, ...] = (
    "name",
    "name_ru",
    "name_zh",
    "designation",
    "iso3",
    "status_year",
    "reported_area_km2",
    "reported_area_source",
    "managed_by",
    "source",
    "boundary_uncertainty_km",
    "notes",
)

#: Range features carry the area attributes plus ``presence`` (``confirmed`` or ``unconfirmed``).
RANGE_FIELDS: tuple[str, ...] = (*AREA_FIELDS, "presence")

#: Text attributes of an area that may also be given in Russian and Chinese, as
#: ``<field>_ru`` and ``<field>_zh`` (optional: a reader falls back to the English ``<field>``).
TRANSLATED_FIELDS: tuple[str, ...] = ("reported_area_source", "managed_by", "source", "notes")

#: The optional columns of those translations, in file order (``notes_ru``, ``notes_zh`` …).
TRANSLATION_FIELDS: tuple[str, ...] = tuple(
    f"{field}_{lang}" for field in TRANSLATED_FIELDS for lang in ("ru", "zh")
)

#: Attributes of organization activity points, in file order.
ACTIVITY_FIELDS: tuple[str, ...] = (
    "organization",
    "activity",
    "description",
    "place",
    "location_precision",
    "since",
    "source",
)

#: The fixed vocabulary of the ``activity`` attribute.
ACTIVITY_TYPES: tuple[str, ...] = (
    "monitoring",
    "research",
    "anti-poaching",
    "fire-fighting",
    "education",
    "veterinary",
    "policy",
    "habitat-protection",
    "reintroduction",
    "community",
    "funding",
)

#: How precisely an activity point is placed.
LOCATION_PRECISIONS: tuple[str, ...] = ("site", "district", "office")

#: Attributes of the ``countries`` reference layer.
COUNTRY_FIELDS: tuple[str, ...] = ("name", "name_ru", "name_zh", "iso3", "source")

_BY_KIND = {
    "protected-area": AREA_FIELDS,
    "range": RANGE_FIELDS,
    "activities": ACTIVITY_FIELDS,
    "countries": COUNTRY_FIELDS,
}


def required_fields(kind: str) -> tuple[str, ...]:
    """Return the attributes every feature of a layer of `kind` must carry.

    Examples
    --------
    >>> required_fields("activities")[:2]
    ('organization', 'activity')
    """
    try:
        return _BY_KIND[kind]
    except KeyError:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(_BY_KIND)}") from None
