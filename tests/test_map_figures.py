"""Every figure in the overview's overlap and gap popups is the one the API and CLI give.

The map computes them with :func:`amurgeo.analysis.overlap_matrix` and
:func:`amurgeo.analysis.gap`; here the same functions run on the bundled layers as a user
would call them, and each popup must show their area, likely range and shares.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from amurgeo.analysis import gap, overlap_matrix
from amurgeo.catalog import catalog_entries, leopard_overview_ids, load_layer
from amurgeo.maps import build_map
from amurgeo.maps.derived import MIN_GAP_KM2

#: The protected areas the (leopard) overview draws: the tiger's layers have their own map.
PROTECTED = [
    e["id"]
    for e in catalog_entries()
    if e["kind"] == "protected-area" and e["id"] in leopard_overview_ids()
]


def _span(low: float, high: float) -> str:
    """The likely range as popups write it (decimals chosen by the upper bound)."""
    decimals = 0 if high >= 100 else 1
    return f"likely between {low:,.{decimals}f} and {high:,.{decimals}f} km²"


@pytest.fixture(scope="module")
def popups() -> dict[str, list[dict[str, Any]]]:
    m = build_map()
    found: dict[str, list[dict[str, Any]]] = {"overlap": [], "gap": []}
    for overlay in m.amurgeo_ui.overlays:  # type: ignore[attr-defined]
        if overlay.spec["kind"] in found:
            found[overlay.spec["kind"]] += [
                f["properties"] for f in overlay.spec["data"]["features"]
            ]
    return found


def test_overlap_popups_show_the_apis_figures(popups: dict[str, list[dict[str, Any]]]) -> None:
    table = overlap_matrix(PROTECTED, per_feature=True, include_disjoint=False)
    names = {f"{layer}: {name}": name for layer in PROTECTED for name in load_layer(layer)["name"]}
    checked = 0
    for row in table.to_dict("records"):
        if max(row["pct_of_a"], row["pct_of_b"]) < 1.0:
            continue  # slivers along shared borders are not drawn
        title = f"{names[row['a']]} and {names[row['b']]}"
        (props,) = [p for p in popups["overlap"] if p["t"] == title]
        span = _span(row["overlap_km2_low"], row["overlap_km2_high"])
        assert span in props["p"], (title, span)
        assert f"{row['pct_of_a']:.1f} %" in props["p"] and f"{row['pct_of_b']:.1f} %" in props["p"]
        checked += 1
    assert checked == len(popups["overlap"]) >= 2
    # the figure the issue found wrong (built without iso3): Hunchun inside the Chinese park
    assert any("Hunchun" in p["t"] for p in popups["overlap"])


def test_gap_popups_show_the_apis_figures(popups: dict[str, list[dict[str, Any]]]) -> None:
    ranges = load_layer("leopard-range")
    shown = 0
    for position in range(len(ranges)):
        result = gap(ranges.iloc[[position]], by=PROTECTED).iloc[0]
        if float(result["gap_km2"]) < MIN_GAP_KM2:
            # below what the boundaries can tell: not drawn, no "0.00 km²" popup
            assert not [p for p in popups["gap"] if str(ranges["name"].iloc[position]) in p["t"]]
            continue
        text = _span(float(result["gap_km2_low"]), float(result["gap_km2_high"]))
        name = str(ranges["name"].iloc[position])
        (props,) = [p for p in popups["gap"] if name in p["t"]]
        assert text in props["p"], (name, text, re.sub("<[^>]+>", " ", props["p"]))
        assert f"{float(result['gap_pct']):.1f} %" in props["p"]
        shown += 1
    assert shown == len(popups["gap"]) >= 2
    # the North Korean gap, which the issue found built without iso3, is among those checked
    assert any("North Korea" in p["t"] or "PRK" in p["t"] for p in popups["gap"])


def test_gap_layer_holds_no_slivers(popups: dict[str, list[dict[str, Any]]]) -> None:
    """No gap popup reads '0.00 km²', and no drawn part of a gap is a sliver along a border."""
    import geopandas as gpd
    from shapely.geometry import shape

    m = build_map()
    (spec,) = [o.spec for o in m.amurgeo_ui.overlays if o.spec["kind"] == "gap"]  # type: ignore[attr-defined]
    assert not [p for p in popups["gap"] if "0.00 km²" in p["p"] or ">0 km²" in p["p"]]
    for feature in spec["data"]["features"]:
        parts = gpd.GeoSeries([shape(feature["geometry"])], crs=4326).explode()
        local = parts.to_crs(32652)
        # every part holds a disc 150 m across (allowing for the drawing's rounding)
        assert (~local.buffer(-75).is_empty).all(), feature["properties"]["t"]
