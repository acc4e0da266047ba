# JavaScript snippets run in the page keep their lines whole.
# ruff: noqa: E501
"""The overview map as a new user reads it, in Chromium at 1400x900 and 390x844, en/ru/zh.

Distinct fills that match the legend (CIEDE2000 on pixels sampled inside each area), labels,
an identify popup that lists everything under a click, popups that fit, a phone layout whose
controls leave the map free, a layers button that only opens, search with words in any order,
and a message instead of a blank page when a committed map opens offline. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, Session, launch, new_session

from amurgeo.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"wide": (1400, 900), "phone": (390, 844)}
LANGS = ("en", "ru", "zh")
AREA_IDS = ("land-of-the-leopard", "kedrovaya-pad", "northeast-china-tiger-leopard", "hunchun")


# Colour difference ------------------------------------------------------------------------------


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    def linear(u: float) -> float:
        u /= 255
        return u / 12.92 if u <= 0.04045 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(c1: tuple[float, float, float], c2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference of two sRGB colours (Sharma, Wu and Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = _lab(c1), _lab(c2)
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1 = math.degrees(math.atan2(b1, a1p)) % 360
    h2 = math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2 - h1 + 180) % 360 - 180
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1 + h2
    elif abs(h1 - h2) <= 180:
        hbar = (h1 + h2) / 2
    else:
        hbar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbar - 30))
        + 0.24 * math.cos(math.radians(2 * hbar))
        + 0.32 * math.cos(math.radians(3 * hbar + 6))
        - 0.20 * math.cos(math.radians(4 * hbar - 63))
    )
    rc = 2 * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
    rt = -math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2)))) * rc
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    dl, dc = (l2 - l1) / sl, (c2p - c1p) / sc
    return math.sqrt(dl**2 + dc**2 + (dhp / sh) ** 2 + rt * dc * (dhp / sh))


def test_delta_e_matches_published_pairs() -> None:
    # black/white and a grey step, as any CIEDE2000 implementation gives them
    assert delta_e((0, 0, 0), (255, 255, 255)) == pytest.approx(100.0, abs=0.1)
    assert delta_e((128, 128, 128), (128, 128, 128)) == 0.0
    assert 0 < delta_e((120, 120, 120), (125, 125, 125)) < 3


def test_hunchun_is_clearly_not_the_red_hatching_of_the_gap() -> None:
    """Hunchun's fill as drawn (over the land) against the gap's hatching lines as drawn: a
    rose fill (ΔE 23, 12.5 as drawn inside the Chinese park) read as the hatching beside it;
    the two must differ by ΔE 30 or more."""
    from amurgeo.maps.style import AREA_OPACITY, NESTED_OPACITY, gap_style
    from amurgeo.style import AREA_COLOR_OF, LAND_COLOR

    def rgb(hex_: str) -> tuple[float, float, float]:
        return tuple(float(int(hex_[i : i + 2], 16)) for i in (1, 3, 5))  # type: ignore[return-value]

    def over(
        color: str, alpha: float, under: tuple[float, float, float]
    ) -> tuple[float, float, float]:
        return tuple(alpha * c + (1 - alpha) * u for c, u in zip(rgb(color), under, strict=True))  # type: ignore[return-value]

    land = rgb(LAND_COLOR)
    hatch = gap_style()["hatch"]
    lines = over(hatch["color"], hatch["opacity"], land)
    fills = {k: over(c, AREA_OPACITY, land) for k, c in AREA_COLOR_OF.items()}
    assert delta_e(fills["hunchun"], lines) >= 30
    # as drawn: Hunchun lies inside the Chinese park, so its fill is the nested one over the
    # park's (the old rose came to ΔE 12.5 from the hatching there)
    nested = over(AREA_COLOR_OF["hunchun"], NESTED_OPACITY, fills["northeast-china-tiger-leopard"])
    assert delta_e(nested, lines) >= 30
    for other in ("land-of-the-leopard", "northeast-china-tiger-leopard"):
        assert delta_e(fills["hunchun"], fills[other]) >= 12, other


def test_lowest_density_class_shows_on_the_land() -> None:
    """Observation hexagons of the lowest class, drawn at their opacity on the offline
    basemap's land, are darker than it and differ from it by CIEDE2000 17 or more (the old
    palest yellow was lighter than the land); each class differs from the next by 8 or more."""
    from amurgeo.maps.hexagons import DENSITY_COLORS
    from amurgeo.style import LAND_COLOR

    def rgb(hex_: str) -> tuple[float, float, float]:
        return tuple(float(int(hex_[i : i + 2], 16)) for i in (1, 3, 5))  # type: ignore[return-value]

    land = rgb(LAND_COLOR)
    drawn = [
        tuple(0.75 * c + 0.25 * u for c, u in zip(rgb(x), land, strict=True))
        for x in DENSITY_COLORS
    ]
    assert _lab(drawn[0])[0] < _lab(land)[0] - 5  # type: ignore[arg-type]
    assert delta_e(drawn[0], land) >= 17  # type: ignore[arg-type]
    for low, high in itertools.pairwise(drawn):
        assert delta_e(low, high) >= 8  # type: ignore[arg-type]


# JavaScript run in the page ---------------------------------------------------------------------

# Screen points well inside the visible part of an area (5 px from any edge).
SAMPLE_POINTS = """(id) => {
  const map = amurgeo.map;
  const areas = [];
  amurgeo.overlays.forEach((o) => {
    if (o.amurgeo.kind === 'protected-area' && map.hasLayer(o)) o.eachLayer((l) => areas.push([o, l]));
  });
  const at = areas.findIndex(([o]) => o.amurgeo.layerId === id);
  const mine = areas.filter(([o]) => o.amurgeo.layerId === id).map(([, l]) => l);
  // areas drawn above it (later in the same pane) hide it; those beneath show through
  const others = areas.filter(([o], i) => i > at && o.amurgeo.layerId !== id).map(([, l]) => l);
  const size = map.getSize();
  const inside = (x, y, set) => set.some((l) => amurgeo.containsLatLng(l, map.containerPointToLatLng([x, y])));
  const found = [];
  for (let y = 10; y < size.y - 10; y += 6) {
    for (let x = 10; x < size.x - 10; x += 6) {
      const ok = [[0, 0], [5, 0], [-5, 0], [0, 5], [0, -5]].every(([dx, dy]) =>
        inside(x + dx, y + dy, mine) && !inside(x + dx, y + dy, others));
      if (ok) {
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('.leaflet-control') === null) found.push([x, y]);
      }
    }
  }
  return found;
}"""

LEGEND_SWATCHES = """() => {
  const out = {};
  amurgeo.overlays.forEach((o) => {
    if (o.amurgeo.kind !== 'protected-area') return;
    const entry = document.querySelector(`.amg-legend-entry[data-overlay="${o.amurgeo.id}"] .amg-swatch`);
    out[o.amurgeo.layerId] = entry ? getComputedStyle(entry).backgroundColor : null;
  });
  return out;
}"""

POPUP_FITS = """() => {
  const wrapper = document.querySelector('.leaflet-popup-content-wrapper');
  const content = document.querySelector('.leaflet-popup-content');
  if (!wrapper) return {open: false};
  const box = wrapper.getBoundingClientRect();
  const bad = [];
  content.querySelectorAll('*').forEach((n) => {
    const r = n.getBoundingClientRect();
    if (r.width && (r.left < box.left - 0.5 || r.right > box.right + 0.5)) {
      bad.push(`${n.tagName} ${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)}: ${n.textContent.slice(0, 40)}`);
    }
  });
  // points of the popup that a control covers
  const covered = [];
  for (let i = 1; i < 10; i++) {
    for (let j = 1; j < 10; j++) {
      const x = box.left + (box.width * i) / 10, y = box.top + (box.height * j) / 10;
      const hit = document.elementFromPoint(x, y);
      if (hit && !hit.closest('.leaflet-popup')) covered.push([Math.round(x), Math.round(y), hit.className]);
    }
  }
  return {
    open: true,
    bad,
    covered,
    inView: box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.bottom <= innerHeight,
    scrolls: content.scrollHeight > content.clientHeight + 1,
    overflowX: content.scrollWidth > content.clientWidth + 1,
    box: [box.left, box.top, box.right, box.bottom],
    text: content.innerText,
    sections: Array.from(content.querySelectorAll('.amg-hit')).map((s) => s.getAttribute('data-overlay')),
  };
}"""

AREA_POINT = """(id) => {
  const o = amurgeo.overlays.find((x) => x.amurgeo.layerId === id);
  let at = null;
  o.eachLayer((l) => { if (!at && l.feature.properties.c) at = l.feature.properties.c; });
  return at;
}"""


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture(scope="module")
def overview(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from amurgeo.maps import build_map, save_map

    folder = tmp_path_factory.mktemp("reading")
    try:
        return {
            lang: save_map(build_map(lang=lang, self_contained=True), folder / f"{lang}.html")
            for lang in LANGS
        }
    except DataError as exc:
        pytest.skip(f"self-contained maps unavailable here: {exc}")


def _open(browser: Any, path: Path, size: str, *, touch: bool = False) -> Session:
    width, height = SIZES[size]
    session = new_session(browser, width=width, height=height, touch=touch)
    session.open(path)
    session.page.wait_for_timeout(300)
    return session


def _shot(session: Session, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _pixels(session: Session) -> Any:
    from PIL import Image

    return Image.open(io.BytesIO(session.page.screenshot())).convert("RGB")


def _median(image: Any, points: list[list[int]]) -> tuple[float, float, float]:
    values = [image.getpixel((x, y)) for x, y in points]
    return tuple(float(sorted(v[i] for v in values)[len(values) // 2]) for i in range(3))  # type: ignore[return-value]


def _rgb(css: str) -> tuple[float, float, float]:
    numbers = css[css.index("(") + 1 : css.index(")")].split(",")
    return tuple(float(n) for n in numbers[:3])  # type: ignore[return-value]


# Cartography ------------------------------------------------------------------------------------


def area_colours(
    session: Session, layer_ids: tuple[str, ...]
) -> dict[str, tuple[float, float, float]]:
    """The median rendered colour of each area layer, sampled well inside its visible part (an
    area too small at the opening zoom is looked at closer, then the map goes back)."""
    page = session.page
    colours: dict[str, tuple[float, float, float]] = {}
    for layer_id in layer_ids:
        points = page.evaluate(SAMPLE_POINTS, layer_id)
        if len(points) < 5:  # too small at this zoom: look closer at it
            page.evaluate(
                """(id) => { const o = amurgeo.overlays.find((x) => x.amurgeo.layerId === id);
                amurgeo.map.fitBounds(o.getBounds(), {animate: false}); }""",
                layer_id,
            )
            page.wait_for_timeout(300)
            points = page.evaluate(SAMPLE_POINTS, layer_id)
            image = _pixels(session)
            page.evaluate("() => amurgeo.map.fitBounds(amurgeo.config.frame, {animate: false})")
            page.wait_for_timeout(300)
        else:
            image = _pixels(session)
        assert len(points) >= 5, f"{layer_id}: no part of it to sample"
        colours[layer_id] = _median(image, points)
    return colours


@pytest.mark.parametrize("size", SIZES)
def test_each_area_has_its_own_colour_and_the_legend_shows_it(
    browser: Any, overview: dict[str, Path], size: str
) -> None:
    session = _open(browser, overview["en"], size)
    page = session.page
    page.evaluate("() => amurgeo.map.getContainer().classList.add('amg-hide-labels')")
    page.evaluate("() => amurgeo.map.closePopup()")
    colours = area_colours(session, AREA_IDS)
    differences = {
        f"{a} / {b}": round(delta_e(colours[a], colours[b]), 1)
        for a, b in itertools.combinations(AREA_IDS, 2)
    }
    print(f"{size}: sampled {colours}; CIEDE2000 {differences}")
    assert min(differences.values()) >= 12, differences
    swatches = page.evaluate(LEGEND_SWATCHES)
    for layer_id in AREA_IDS:
        shown = _rgb(swatches[layer_id])
        assert delta_e(shown, colours[layer_id]) < 5, (layer_id, shown, colours[layer_id])
    assert session.errors == []


def test_range_is_hatched_and_does_not_tint_the_parks(
    browser: Any, overview: dict[str, Path]
) -> None:
    session = _open(browser, overview["en"], "wide")
    styles = session.page.evaluate(
        """() => amurgeo.overlays.filter((o) => ['range', 'gap', 'overlap'].includes(o.amurgeo.kind))
          .map((o) => { const out = []; o.eachLayer((l) => out.push({kind: o.amurgeo.kind,
            fill: l._path.getAttribute('fill'), dash: l._path.getAttribute('stroke-dasharray')}));
            return out; }).flat()"""
    )
    kinds = {s["kind"] for s in styles}
    assert kinds == {"range", "gap", "overlap"}
    for style in styles:
        if style["kind"] in ("range", "gap"):
            assert style["fill"].startswith("url(#"), style  # a hatching pattern, not a tint
        else:
            assert style["fill"] == "none", style  # overlaps: an outline only
    dashes = {s["dash"] for s in styles if s["kind"] == "range"}
    assert len(dashes) == 2, "unconfirmed range drawn like the confirmed one"


@pytest.mark.parametrize(
    ("lat", "lon", "zoom", "what"),
    [
        (42.96, 130.11, 10, "land"),  # on the China-North Korea border: sea showed through
        (44.0, 117.0, 6, "edge"),  # where the countries data stops at 115 E
    ],
)
def test_offline_basemap_shows_land_as_land(
    browser: Any, overview: dict[str, Path], lat: float, lon: float, zoom: int, what: str
) -> None:
    """With every overlay off, the offline basemap's land is land-coloured where countries meet,
    and beyond the data's clip edge the page is neither land nor sea (no false coast)."""
    from amurgeo.style import LAND_COLOR, NODATA_COLOR

    session = _open(browser, overview["en"], "wide")
    page = session.page
    page.evaluate(
        "() => { amurgeo.overlays.forEach((o) => amurgeo.map.removeLayer(o));"
        " amurgeo.map.getContainer().classList.add('amg-hide-labels'); }"
    )
    # set the view until it holds (the opening fit may still be settling)
    for _ in range(5):
        page.evaluate(
            "([lat, lon, z]) => amurgeo.map.setView([lat, lon], z, {animate: false})",
            [lat, lon, zoom],
        )
        page.wait_for_timeout(400)
        held = page.evaluate(
            "([lat, lon, z]) => amurgeo.map.getZoom() === z &&"
            " amurgeo.map.getCenter().distanceTo([lat, lon]) < 1000",
            [lat, lon, zoom],
        )
        if held:
            break
    image = _pixels(session)
    land = _rgb("rgb(" + ",".join(str(int(LAND_COLOR[i : i + 2], 16)) for i in (1, 3, 5)) + ")")
    nodata = _rgb("rgb(" + ",".join(str(int(NODATA_COLOR[i : i + 2], 16)) for i in (1, 3, 5)) + ")")
    sea = _rgb(page.evaluate("() => getComputedStyle(amurgeo.map.getContainer()).backgroundColor"))
    if what == "land":
        # every pixel of a 60 px square around the border point: land or the dashed border line
        xy = page.evaluate(f"() => amurgeo.map.latLngToContainerPoint([{lat}, {lon}])")
        cx, cy = int(xy["x"]), int(xy["y"])
        pixels = [
            image.getpixel((cx + dx, cy + dy))
            for dx in range(-30, 31, 2)
            for dy in range(-30, 31, 2)
        ]
        seaish = [p for p in pixels if delta_e(p, sea) < 5]
        assert not seaish, f"{len(seaish)} of {len(pixels)} pixels near the border are sea-coloured"
    else:
        west = page.evaluate("() => amurgeo.map.latLngToContainerPoint([44.0, 114.0])")
        pixel = image.getpixel((int(west["x"]), int(west["y"])))
        assert (
            delta_e(pixel, nodata) < 3 and delta_e(pixel, sea) > 5 and delta_e(pixel, land) > 3
        ), pixel
    assert session.errors == []


# Labels -----------------------------------------------------------------------------------------


def test_labels_stand_at_their_places_right_after_a_zoom(
    browser: Any, overview: dict[str, Path]
) -> None:
    """Labels are fitted just after a zoom: none may still be sliding with the cluster animation."""
    session = _open(browser, overview["en"], "wide")
    off = session.page.evaluate(
        """() => { const map = amurgeo.map, out = [];
        for (const [lat, lng, z] of [[43.1, 131.1, 12], [43.0, 130.8, 9], [42.9, 131.2, 11]]) {
          map.setView([lat, lng], z, {animate: false});
          amurgeo.labels.amurgeoUpdate();
          for (const e of amurgeo.labels.amurgeoLabels) {
            const node = e.marker.getElement();
            if (!node || node.style.display === 'none') continue;
            const p = map.latLngToContainerPoint(e.marker.getLatLng());
            const r = node.getBoundingClientRect();
            const d = Math.hypot(r.left - p.x, r.top - p.y);
            if (d > 1) out.push([z, node.textContent, Math.round(d)]);
          }
        }
        return out; }"""
    )
    assert off == [], off


def test_the_minimap_moves_the_map_only_when_the_reader_moves_it(
    browser: Any, overview: dict[str, Path]
) -> None:
    session = _open(browser, overview["en"], "wide")
    page = session.page
    page.evaluate("() => amurgeo.map.setView([43.0, 131.0], 10, {animate: false})")
    # the minimap moving by itself (as when it follows the map) gives nothing back
    page.evaluate("() => amurgeo.minimap._miniMap.setView([44.5, 133.0], 5, {animate: false})")
    page.wait_for_timeout(600)
    view = page.evaluate("() => [amurgeo.map.getZoom(), amurgeo.map.getCenter().lng]")
    assert view[0] == 10 and abs(view[1] - 131.0) < 1e-6, view
    # a drag on the minimap moves the map
    box = page.locator(".leaflet-control-minimap").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 20, steps=6)
    page.mouse.up()
    page.wait_for_function(
        "() => Math.abs(amurgeo.map.getCenter().lng - 131.0) > 0.5", timeout=15000
    )


@pytest.mark.parametrize("lang", LANGS)
def test_labels_name_areas_countries_and_towns_in_the_maps_language(
    browser: Any, overview: dict[str, Path], lang: str
) -> None:
    from amurgeo.catalog import load_layer
    from amurgeo.maps.labels import short_label

    session = _open(browser, overview[lang], "wide")
    page = session.page
    shown = "() => Array.from(document.querySelectorAll('.amg-label')).filter((n) => n.style.display !== 'none').map((n) => n.textContent)"
    texts = page.evaluate(shown)
    towns = {"en": "Vladivostok", "ru": "Владивосток", "zh": "符拉迪沃斯托克"}[lang]
    countries = {"en": "China", "ru": "Китай", "zh": "中国"}[lang]
    assert towns in texts and countries in texts, texts
    key = {"en": "name", "ru": "name_ru", "zh": "name_zh"}[lang]
    names = {i: str(load_layer(i)[key].iloc[0]) for i in AREA_IDS}
    short = {i: short_label(n, lang) for i, n in names.items()}

    def named(layer_id: str, texts: list[str]) -> bool:
        return any(t in (names[layer_id], short[layer_id]) for t in texts)

    assert any(named(i, texts) for i in AREA_IDS), texts
    # each area's label shows once the area is large enough on screen (by zoom 12)
    for layer_id in AREA_IDS:
        zooms = page.evaluate(
            """(id) => { const o = amurgeo.overlays.find((x) => x.amurgeo.layerId === id);
            const map = amurgeo.map, b = o.getBounds(), out = [];
            const at = o.amurgeo.labels[0];
            for (let z = map.getBoundsZoom(b); z <= 12; z++) {
              map.setView([at.lat, at.lng], z, {animate: false});
              if (map.getZoom() !== z) throw new Error('the map did not go to zoom ' + z);
              amurgeo.labels.amurgeoUpdate();
              const shown = amurgeo.labels.amurgeoLabels.filter((e) => e.overlay === o &&
                e.marker.getElement().getAttribute('data-shown') === '1');
              out.push([z, shown.length]);
            }
            return out; }""",
            layer_id,
        )
        assert any(n for _, n in zooms), (layer_id, zooms)
    _shot(session, f"labels_kedrovaya_{lang}")


PARK_LABELS = """() => {
  const map = amurgeo.map, box = map.getContainer().getBoundingClientRect();
  const rect = (n) => { const r = n.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const shown = amurgeo.labels.amurgeoLabels.filter((e) => e.marker.getElement() && e.marker.getElement().getAttribute('data-shown') === '1');
  const obstacles = Array.from(document.querySelectorAll('.amg-activity, .amg-cluster, .leaflet-control')).map(rect);
  const out = {};
  shown.forEach((e) => {
    if (!e.area) return;
    const node = e.marker.getElement(), text = rect(node.firstChild);
    const others = shown.filter((o) => o !== e).map((o) => rect(o.marker.getElement().firstChild));
    const inside = (x, y) => e.area.some((part) => amurgeo.containsLatLng(part, map.containerPointToLatLng([x - box.left, y - box.top])));
    const anchor = node.getAttribute('data-anchor');
    let names;
    if (anchor) {
      const [x, y] = anchor.split(',').map(Number);
      names = inside(x, y) && !obstacles.some((o) => x > o.left && x < o.right && y > o.top && y < o.bottom);
    } else {
      names = inside((text.left + text.right) / 2, (text.top + text.bottom) / 2);
    }
    out[e.overlay.amurgeo.layerId] = {
      text: node.firstChild.textContent,
      names,
      overlaps: others.some((o) => hit(text, o)) || obstacles.some((o) => hit(text, o)),
      inView: text.left >= box.left && text.right <= box.right && text.top >= box.top && text.bottom <= box.bottom,
    };
  });
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_every_park_is_named_at_the_opening_view(
    browser: Any, overview: dict[str, Path], lang: str
) -> None:
    """At 1400x900, as the map opens: each park's name is shown, readable (clear of other
    labels, markers, clusters and controls) and says which area it names: inside it, or
    beside it with a leader line to a point of it that no marker covers."""
    session = _open(browser, overview[lang], "wide")
    labels = session.page.evaluate(PARK_LABELS)
    _shot(session, f"park_labels_{lang}")
    for layer_id in AREA_IDS:
        assert layer_id in labels, (layer_id, labels)
        label = labels[layer_id]
        assert label["names"] and label["inView"] and not label["overlaps"], (layer_id, label)


# Each shown label: its text box, whether it is cut (by the map's edge or its own box) and
# what the page shows at its centre (labels take no pointer events; here they do, to be found).
SHOWN_LABELS = """() => {
  const box = amurgeo.map.getContainer().getBoundingClientRect();
  document.querySelectorAll('.amg-label, .amg-label *').forEach((n) => { n.style.pointerEvents = 'auto'; });
  const out = [];
  amurgeo.labels.amurgeoLabels.forEach((e) => {
    const node = e.marker.getElement();
    if (!node || node.getAttribute('data-shown') !== '1' || node.style.display === 'none') return;
    const text = node.firstChild, r = text.getBoundingClientRect();
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    out.push({
      id: e.overlay ? e.overlay.amurgeo.layerId : null,
      text: text.textContent,
      box: [r.left, r.top, r.right, r.bottom],
      clipped: r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom ||
        text.scrollWidth > text.clientWidth + 1 || text.scrollHeight > text.clientHeight + 1,
      onTop: !!hit && (hit === text || text.contains(hit) || hit === node),
      under: hit ? String(hit.className.baseVal ?? hit.className) : null,
    });
  });
  document.querySelectorAll('.amg-label, .amg-label *').forEach((n) => { n.style.pointerEvents = ''; });
  return out;
}"""

CONTROL_BOXES = """() => Array.from(document.querySelectorAll('.leaflet-control')).filter((n) => {
  const r = n.getBoundingClientRect();
  return r.width && r.height && getComputedStyle(n).visibility !== 'hidden';
}).map((n) => { const r = n.getBoundingClientRect(); return [n.className.split(' ')[0], r.left, r.top, r.right, r.bottom]; })"""


@pytest.mark.parametrize("lang", LANGS)
def test_every_park_is_named_on_a_phone_at_the_opening_view(
    browser: Any, overview: dict[str, Path], lang: str
) -> None:
    """At 390x844 as the map opens, each of the four parks shows its name, whole, and nothing
    covers it: the activities' cluster on small Kedrovaya Pad used to hide its name."""
    session = _open(browser, overview[lang], "phone")
    session.page.wait_for_timeout(400)  # the clusters settle, the labels are fitted again
    labels = session.page.evaluate(SHOWN_LABELS)
    _shot(session, f"park_labels_phone_{lang}")
    for layer_id in AREA_IDS:
        mine = [x for x in labels if x["id"] == layer_id]
        assert mine, (layer_id, [x["text"] for x in labels])
        label = mine[0]
        assert not label["clipped"] and label["onTop"], (layer_id, label)
    assert session.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_label_lies_under_a_control(browser: Any, overview: dict[str, Path], lang: str) -> None:
    """At 1400x900 no label's box meets a control's box (the two-column legend used to cover
    the country name of China); the country keeps its name, at another spot inside it."""
    session = _open(browser, overview[lang], "wide")
    session.page.wait_for_timeout(400)
    labels = session.page.evaluate(SHOWN_LABELS)
    controls = session.page.evaluate(CONTROL_BOXES)
    _shot(session, f"labels_and_controls_{lang}")
    under = [
        (label["text"], c[0])
        for label in labels
        for c in controls
        if label["box"][0] < c[3]
        and c[1] < label["box"][2]
        and label["box"][1] < c[4]
        and c[2] < label["box"][3]
    ]
    assert under == [], under
    china = {"en": "China", "ru": "Китай", "zh": "中国"}[lang]
    assert china in [x["text"] for x in labels], labels


@pytest.mark.parametrize("lang", LANGS)
def test_desktop_legend_shows_every_entry_without_scrolling(
    browser: Any, overview: dict[str, Path], lang: str
) -> None:
    """At 1400x900 the open legend fits: no scroll bar, every entry inside its box, and it
    leaves the map's areas and markers free."""
    session = _open(browser, overview[lang], "wide")
    state = session.page.evaluate(
        """() => {
      const legend = document.querySelector('.amg-legend'), body = legend.querySelector('.amg-legend-body');
      const box = legend.getBoundingClientRect();
      const items = Array.from(body.querySelectorAll('.amg-legend-item, select'));
      const out = items.filter((n) => { const r = n.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1; });
      const markers = Array.from(document.querySelectorAll('.amg-activity, .amg-cluster')).filter((m) => {
        const r = m.getBoundingClientRect(), l = legend.getBoundingClientRect();
        return r.left < l.right && l.left < r.right && r.top < l.bottom && l.top < r.bottom; });
      return {open: legend.open, sh: legend.scrollHeight, ch: legend.clientHeight, sw: body.scrollWidth,
              cw: body.clientWidth, items: items.length, outside: out.map((n) => n.textContent),
              covered: markers.length};
    }"""
    )
    _shot(session, f"legend_wide_{lang}")
    assert state["open"] and state["items"] >= 15, state
    assert state["sh"] <= state["ch"] + 1 and state["sw"] <= state["cw"] + 1, state
    assert state["outside"] == [] and state["covered"] == 0, state


# Identify ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_a_click_lists_everything_under_it_in_a_popup_that_fits(
    browser: Any, overview: dict[str, Path], lang: str, size: str
) -> None:
    session = _open(browser, overview[lang], size)
    page = session.page
    at = page.evaluate(AREA_POINT, "hunchun")
    point = page.evaluate("(at) => amurgeo.map.latLngToContainerPoint(at)", at)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_timeout(500)
    fit = page.evaluate(POPUP_FITS)
    assert fit["open"]
    kinds = page.evaluate(
        "(ids) => ids.map((id) => amurgeo.overlays.find((o) => o.amurgeo.id === id).amurgeo.layerId || amurgeo.overlays.find((o) => o.amurgeo.id === id).amurgeo.kind)",
        fit["sections"],
    )
    assert kinds[:2] == ["hunchun", "northeast-china-tiger-leopard"], kinds
    assert "overlap" in kinds, kinds
    assert fit["bad"] == [] and not fit["overflowX"], fit["bad"]
    assert fit["inView"], fit["box"]
    assert fit["covered"] == [], fit["covered"]
    _shot(session, f"popup_{size}_{lang}")
    assert session.errors == []


def test_identify_reaches_user_polygons_under_the_parks(browser: Any, tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    from amurgeo.maps import build_map, save_map

    mine = gpd.GeoDataFrame(
        {"name": ["survey block 7"]}, geometry=[box(130.6, 42.75, 130.9, 42.95)], crs=4326
    )
    layers = ["hunchun", "northeast-china-tiger-leopard", "leopard-range", mine]
    path = save_map(build_map(layers), tmp_path / "mine.html")
    session = new_session(browser, width=1400, height=900)
    session.open(path)
    page = session.page
    point = page.evaluate("() => amurgeo.map.latLngToContainerPoint([42.85, 130.75])")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_timeout(300)
    fit = page.evaluate(POPUP_FITS)
    assert "survey block 7" in fit["text"] and "Hunchun" in fit["text"], fit["text"]
    kinds = page.evaluate(
        "(ids) => ids.map((id) => amurgeo.overlays.find((o) => o.amurgeo.id === id).amurgeo.kind)",
        fit["sections"],
    )
    # the reader clicked for their own block: it comes first, above the long park entries,
    # then the areas and the range, then what the analysis derives
    assert kinds[0] == "user-areas", kinds
    assert kinds.index("protected-area") < kinds.index("range") < kinds.index("overlap"), kinds
    assert fit["bad"] == [] and not fit["overflowX"], fit["bad"]
    _shot(session, "popup_user_feature_first")


# Phone ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_phone_layout_leaves_the_map_free(
    browser: Any, overview: dict[str, Path], lang: str
) -> None:
    session = _open(browser, overview[lang], "phone", touch=True)
    page = session.page
    state = page.evaluate(
        """() => ({
          legend: document.querySelector('.amg-legend').open,
          note: document.querySelector('.amg-note').open,
          search: getComputedStyle(document.querySelector('input.amg-search-input')).display,
          minimap: !!document.querySelector('.leaflet-control-minimap'),
          coverage: amurgeo.controlCoverage(),
        })"""
    )
    print(f"phone {lang}: controls cover {state['coverage'] * 100:.1f} %")
    assert not state["legend"] and not state["note"] and state["search"] == "none", state
    assert state["coverage"] <= 0.25, state
    scale = page.evaluate(
        """() => { const s = document.querySelector('.leaflet-control-scale').getBoundingClientRect();
          const a = document.querySelector('.leaflet-control-attribution').getBoundingClientRect();
          const hit = document.elementFromPoint(s.left + s.width / 2, s.top + s.height / 2);
          return {inside: s.top >= 0 && s.bottom <= innerHeight && s.width > 20,
                  clear: s.bottom <= a.top || s.top >= a.bottom || s.right <= a.left || s.left >= a.right,
                  top: !!(hit && hit.closest('.leaflet-control-scale'))}; }"""
    )
    assert all(scale.values()), scale
    clipped = page.evaluate(
        """() => Array.from(document.querySelectorAll('.leaflet-control summary, .leaflet-control button'))
          .filter((n) => n.offsetWidth && n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent)"""
    )
    assert clipped == []
    _shot(session, f"phone_{lang}")
    # a tap on the layers button opens the list and changes nothing else
    base = "() => Array.from(document.querySelectorAll('.leaflet-control-layers-base input')).findIndex((i) => i.checked)"
    before = page.evaluate(base)
    tiles_before = len(session.router.served)
    toggle = page.locator(".leaflet-control-layers-toggle")
    box = toggle.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(600)
    assert page.evaluate(
        "() => document.querySelector('.leaflet-control-layers').classList.contains('leaflet-control-layers-expanded')"
    )
    assert page.evaluate(base) == before
    assert len(session.router.served) == tiles_before, "the tap switched to tiles"
    _shot(session, f"phone_layers_{lang}")
    assert session.errors == []


# Search -----------------------------------------------------------------------------------------


def _search(page: Any, text: str) -> list[str]:
    page.evaluate("() => { const c = amurgeo.search.control; c.expand(false); }")
    box = page.locator("input.amg-search-input")
    box.fill(text)
    page.wait_for_timeout(250)
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-control-search .search-tip')).map((t) => t.textContent)"
    )


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("en", "hunchun reserve", "Hunchun Amur Tiger National Nature Reserve"),
        ("en", "reserve hunchun", "Hunchun Amur Tiger National Nature Reserve"),
        ("en", "leopard land", "Land of the Leopard National Park"),
        ("ru", "кедровая падь", "Кедровая падь"),
        ("ru", "land leopard", "Земля леопарда"),
        ("zh", "珲春", "珲春"),
        ("zh", "kedrovaya", "凯德罗瓦亚帕季"),
    ],
)
def test_search_finds_words_in_any_order_in_every_language(
    browser: Any, overview: dict[str, Path], lang: str, query: str, expected: str
) -> None:
    session = _open(browser, overview[lang], "wide")
    page = session.page
    tips = _search(page, query)
    assert any(expected in t for t in tips), tips
    page.locator("input.amg-search-input").press("Enter")
    page.wait_for_timeout(400)
    assert page.evaluate("() => amurgeo.map.getZoom()") <= 11
    fit = page.evaluate(POPUP_FITS)
    assert fit["open"] and fit["bad"] == [], fit
    if lang == "en" and query == "hunchun reserve":
        _shot(session, "search_en")
    assert session.errors == []


def test_search_in_chinese_matches_inside_names(browser: Any, overview: dict[str, Path]) -> None:
    """Chinese has no spaces between words: 豹 lists both parks whose names hold it, 珲春 the
    Hunchun reserve; an English query of two words still matches word by word."""
    from amurgeo.catalog import load_layer

    zh = {i: str(load_layer(i)["name_zh"].iloc[0]) for i in AREA_IDS}
    session = _open(browser, overview["zh"], "wide")
    tips = _search(session.page, "豹")
    for layer_id in ("land-of-the-leopard", "northeast-china-tiger-leopard"):
        assert "豹" in zh[layer_id] and zh[layer_id] in tips, (layer_id, tips)
    assert zh["hunchun"] in _search(session.page, "珲春")
    english = _open(browser, overview["en"], "wide")
    tips = _search(english.page, "tiger reserve")
    assert any("Hunchun Amur Tiger" in t for t in tips), tips
    assert not any("Land of the Leopard" in t for t in tips), tips
    assert session.errors == [] and english.errors == []


def test_search_lists_every_place_of_an_organization(
    browser: Any, overview: dict[str, Path]
) -> None:
    """Each of WWF's places is one result with a title of its own (never "(2)"); "all of WWF's
    places" fits those in the region (not out to its Beijing office) and lists them all."""
    import re

    from amurgeo.catalog import load_layer

    activities = load_layer("activities")
    wwf = activities[activities["organization"].str.contains("WWF")]
    session = _open(browser, overview["en"], "wide")
    page = session.page
    tips = _search(page, "wwf")
    assert len(tips) >= len(wwf) + 1, tips
    assert len(set(tips)) == len(tips) and not [t for t in tips if re.search(r"\(\d+\)$", t)], tips
    group = next(t for t in tips if t.startswith("WWF") and "all" in t)
    page.locator(".leaflet-control-search .search-tip", has_text=group).click()
    page.wait_for_timeout(400)
    zoom = page.evaluate("() => amurgeo.map.getZoom()")
    # the places near the map's region (its frame, padded by its own size on each side)
    near = page.evaluate(
        "(pts) => pts.map((p) => L.latLngBounds(amurgeo.config.frame).pad(1).contains(p))",
        [[float(g.y), float(g.x)] for g in wwf.geometry],
    )
    region = wwf[near]
    inside = page.evaluate(
        "(pts) => pts.map(([lat, lon]) => amurgeo.map.getBounds().contains([lat, lon]))",
        [[float(g.y), float(g.x)] for g in wwf.geometry],
    )
    assert all(i for i, n in zip(inside, near, strict=True) if n), inside
    assert not any(i for i, x in zip(inside, wwf.geometry.x, strict=True) if x <= 125), inside
    assert 6 <= zoom <= 11 and len(region) >= 5
    # and none of them hidden under the legend or the layer list
    covered = page.evaluate(
        """(pts) => pts.filter(([lat, lon]) => {
          const p = amurgeo.map.latLngToContainerPoint([lat, lon]);
          const box = amurgeo.map.getContainer().getBoundingClientRect();
          return Array.from(document.querySelectorAll('.amg-legend, .leaflet-control-layers')).some((c) => {
            const r = c.getBoundingClientRect();
            const x = p.x + box.left, y = p.y + box.top;
            return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
          });
        })""",
        [[float(g.y), float(g.x)] for g in region.geometry],
    )
    assert covered == [], covered
    listed = page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-popup .amg-list li')).map((n) => n.textContent)"
    )
    assert len(listed) == len(set(listed)) == len(wwf), listed
    assert any("Beijing" in t for t in listed), listed
    _shot(session, "search_wwf")


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_search_screenshots(browser: Any, overview: dict[str, Path], lang: str) -> None:
    session = _open(browser, overview[lang], "wide")
    _search(session.page, {"ru": "леопард", "zh": "豹"}[lang])
    _shot(session, f"search_{lang}")
    _shot_overview = _open(browser, overview[lang], "wide")
    _shot(_shot_overview, f"overview_{lang}")


# Offline ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["amur_leopard.html", "amur_leopard_ru.html", "amur_leopard_zh.html"]
)
def test_committed_map_offline_says_why_it_is_blank(browser: Any, name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    path = ROOT / "maps" / name
    url = path.resolve().as_uri()
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url == url else route.abort()
    )
    page.goto(url, wait_until="load")
    notice = page.locator("#amg-needs-internet")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "amurgeo map --self-contained" in text, text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"offline_notice_{name[:-5]}.png"))
    page.close()


def test_committed_map_online_hides_the_notice(browser: Any) -> None:
    session = new_session(browser, width=1400, height=900)
    session.open(ROOT / "maps" / "amur_leopard.html")
    assert session.page.locator("#amg-needs-internet").count() == 0
