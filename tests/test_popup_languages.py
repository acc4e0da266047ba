"""The area popups of both overviews (leopard, tiger) and of the leopard's historical range and
reintroduction layers read in Russian and Chinese, not half English."""

from __future__ import annotations

import html
import re

import pytest

from amurgeo.catalog import load_layer, theme_layer_ids
from amurgeo.maps.popups import area_popup

#: A run of four Latin words in a row: an English phrase (names of sources, licences and
#: authors are shorter: "Hebblewhite et al. 2011", "ODbL 1.0").
_ENGLISH_RUN = re.compile(
    r"(?:\b[A-Za-z][A-Za-z'\u2019-]+\b[ ,;:]+){3}\b[A-Za-z][A-Za-z'\u2019-]+\b"
)


def _readable_text(popup: str) -> str:
    """The popup's text without tags, web addresses and what is kept in English on purpose:
    the names of the other languages (``lang`` spans) and text in brackets."""
    popup = re.sub(r'<span lang="(?!ru|zh)[a-z]+">.*?</span>', " ", popup)
    text = html.unescape(re.sub(r"<[^>]+>", " ", popup))
    # a web address ends at a bracket or a semicolon, so that the bracket it closes still counts
    text = re.sub(
        r"[^\s()\uff08\uff09;\uff1b]+\.(?:org|com|ru|cn|htm)[^\s()\uff08\uff09;\uff1b]*", " ", text
    )
    for _ in range(3):  # brackets inside brackets
        text = re.sub(r"[(\uff08][^()\uff08\uff09]*[)\uff09]", " ", text)
    return text


#: The area layers whose popups must read in every language: each overview's, and the two
#: leopard layers that neither overview shows by default.
_LAYER_SETS: dict[str, list[str]] = {
    "leopard": theme_layer_ids("leopard"),
    "tiger": theme_layer_ids("tiger"),
    "leopard-history": ["leopard-historical-range", "leopard-reintroduction"],
}

#: The fewest area features each set holds (a layer dropped from a set would go unchecked).
_MIN_FEATURES = {"leopard": 8, "tiger": 16, "leopard-history": 6}


def _area_features(layer_set: str = "leopard") -> list[tuple[str, dict, object]]:
    out = []
    for layer_id in _LAYER_SETS[layer_set]:
        gdf = load_layer(layer_id)
        if "managed_by" not in gdf.columns:
            continue
        for row in gdf.to_dict("records"):
            out.append((str(row["name"]), row, row.pop("geometry")))
    return out


def test_the_checker_sees_english() -> None:
    assert _ENGLISH_RUN.search(_readable_text("<td>Drawn as two features, one per province</td>"))
    assert not _ENGLISH_RUN.search(
        _readable_text("<td>Hebblewhite et al. 2011 (OpenStreetMap a b c)</td>")
    )


@pytest.mark.parametrize("layer_set", sorted(_LAYER_SETS))
@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_area_popups_have_no_english_sentence(lang: str, layer_set: str) -> None:
    features = _area_features(layer_set)
    assert len(features) >= _MIN_FEATURES[layer_set]
    english = {}
    for name, row, geom in features:
        popup, _, _ = area_popup(row, geom, lang, name)
        found = _ENGLISH_RUN.findall(_readable_text(popup))
        if found:
            english[name] = found[:3]
    assert not english, english


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_area_popup_falls_back_to_english(lang: str) -> None:
    name, row, geom = _area_features()[0]
    row = {**row, f"notes_{lang}": None}
    popup, _, _ = area_popup(row, geom, lang, name)
    assert html.escape(str(row["notes"])[:40]) in popup


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_long_notes_are_shown_whole(lang: str) -> None:
    """The tiger reserves' notes (up to ~1,000 characters) end with how far a drawn edge may be
    off: a popup cut at 600 characters hid exactly that."""
    import csv
    from pathlib import Path

    from amurgeo.maps import build_map, map_html

    table = Path(__file__).resolve().parents[1] / "geodata" / "sources" / "areas.csv"
    key = "notes" if lang == "en" else f"notes_{lang}"
    with table.open(encoding="utf-8") as rows:
        notes = [" ".join(r[key].split()) for r in csv.DictReader(rows)]
    long_ones = [n for n in notes if len(n) > 600]
    assert long_ones  # the case this test is about
    page = map_html(build_map(theme="tiger", lang=lang))
    for note in long_ones:
        if note[:40] in page or html.escape(note[:40]) in page:  # a feature of this map
            assert html.escape(note[-60:]) in page, note[:60]
