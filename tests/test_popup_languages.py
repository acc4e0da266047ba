"""The popups of the leopard overview's areas read in Russian and Chinese, not half English."""

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
    text = re.sub(r"\S+\.(?:org|com|ru|cn|htm)\S*", " ", text)
    for _ in range(3):  # brackets inside brackets
        text = re.sub(r"[(\uff08][^()\uff08\uff09]*[)\uff09]", " ", text)
    return text


def _area_features() -> list[tuple[str, dict, object]]:
    out = []
    for layer_id in theme_layer_ids("leopard"):
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


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_area_popups_have_no_english_sentence(lang: str) -> None:
    features = _area_features()
    assert len(features) >= 8  # both parks' parts, the reserves and the three ranges
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
