"""The maps in a real browser: Debian's Chromium through Playwright, with no internet.

CDN files are served from the npm files bundled at build time, tiles are blank, anything else
is aborted (see ``browser_support.py``). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, Session, launch, new_session
from test_maps import PAYLOAD, hostile_layer, hostile_points

from amurgeo.errors import DataError
from amurgeo.maps import build_map, save_map

ROOT = Path(__file__).resolve().parents[1]
OVERVIEW = ROOT / "maps" / "amur_leopard.html"


# JavaScript run in the page -------------------------------------------------------------------

DRAWN = """() => {
  const map = amurgeo.map;
  return amurgeo.overlays.map((o) => {
    const spec = o.amurgeo;
    let drawn = 0, total = 0;
    if (o.amurgeoMarkers) {
      total = o.amurgeoMarkers.length;
      drawn = document.querySelectorAll('.amg-activity, .amg-cluster').length;
    } else {
      o.eachLayer((l) => { total += 1; if (l._path && l._path.isConnected) drawn += 1; });
    }
    return {name: spec.nameHtml, on: map.hasLayer(o), drawn, total, clustered: !!o.amurgeoMarkers};
  });
}"""

# A screen point where the topmost element is a path of the overlay `name` (or null).
POINT_ON = """(name) => {
  const map = amurgeo.map;
  const overlay = amurgeo.overlays.find((o) => o.amurgeo.nameHtml === name);
  let found = null;
  overlay.eachLayer((l) => {
    if (found || !l._path) return;
    const box = l._path.getBoundingClientRect();
    for (let i = 1; i < 24 && !found; i++) {
      for (let j = 1; j < 24 && !found; j++) {
        const x = box.left + (box.width * i) / 24, y = box.top + (box.height * j) / 24;
        if (document.elementFromPoint(x, y) === l._path) found = {x, y};
      }
    }
  });
  return found;
}"""

LEGEND_VISIBLE = """(i) => {
  const id = amurgeo.overlays[i].amurgeo.id;
  const entry = document.querySelector(`.amg-legend-entry[data-overlay="${id}"]`);
  return entry !== null && entry.style.display !== 'none';
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture
def session(browser: Any) -> Iterator[Session]:
    opened = new_session(browser)
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        return save_map(
            build_map(self_contained=True),
            tmp_path_factory.mktemp("offline") / "amur_offline.html",
        )
    except DataError as exc:
        pytest.skip(f"self-contained maps unavailable here: {exc}")


def measure(page: Any) -> str:
    """Measure a square with the measuring tool; return what it reports."""
    page.hover(".leaflet-control-measure")
    page.evaluate("() => document.querySelector('.leaflet-control-measure .js-start').click()")
    for x, y in [(600, 250), (800, 250), (800, 420), (600, 420)]:
        page.mouse.click(x, y)
        page.wait_for_timeout(100)
    page.evaluate("() => document.querySelector('.leaflet-control-measure .js-finish').click()")
    result = page.locator(".leaflet-popup-content")
    result.wait_for(timeout=5000)
    return str(result.inner_text())


def _overlay_names(session: Session) -> list[str]:
    return session.page.evaluate("() => amurgeo.overlays.map((o) => o.amurgeo.nameHtml)")


def _control_labels(session: Session) -> list[str]:
    return session.page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'.leaflet-control-layers-overlays label span:not(.leaflet-control-layers-group-name)'"
        ")).map((s) => s.innerHTML.trim())"
    )


def test_overview_opens_without_errors_and_draws_every_overlay(session: Session) -> None:
    start = time.perf_counter()
    session.open(OVERVIEW)
    load_s = time.perf_counter() - start
    assert session.errors == []
    overlays = session.page.evaluate(DRAWN)
    assert len(overlays) == 8
    for overlay in overlays:
        assert overlay["on"], overlay
        assert overlay["total"] > 0 and overlay["drawn"] > 0, overlay
        if not overlay["clustered"]:  # markers in clusters are drawn as cluster icons
            assert overlay["drawn"] == overlay["total"], overlay
    assert session.router.aborted == [], "the page asked for something not pinned"
    assert session.router.missing == [], "the page asked for a file that is not bundled"
    ARTIFACTS.mkdir(exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / "overview.png"))
    text = measure(session.page)
    assert " ha " in text and " km²" in text, text
    assert session.router.missing == [] and session.errors == []
    print(f"overview page load: {load_s:.2f} s")


def test_self_contained_map_makes_no_request_at_all(session: Session, offline_map: Path) -> None:
    url = offline_map.resolve().as_uri()

    def only_the_file(route: Any) -> None:  # nothing else may get through
        route.continue_() if route.request.url == url else route.abort()

    session.page.route("**/*", only_the_file)
    start = time.perf_counter()
    session.open(offline_map, route=False)
    load_s = time.perf_counter() - start
    page = session.page
    assert session.errors == []
    overlays = page.evaluate(DRAWN)
    assert overlays and all(o["on"] and o["drawn"] > 0 for o in overlays)
    # use it: popups, the layer control, zooming, the minimap, clusters
    page.evaluate(
        "() => amurgeo.overlays.forEach((o) => o.eachLayer((l) => l.openPopup && l.openPopup()))"
    )
    page.hover(".leaflet-control-layers")
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(400)
    page.evaluate("() => amurgeo.map.setZoom(12)")
    page.wait_for_timeout(400)
    page.evaluate("() => amurgeo.map.closePopup()")
    text = measure(page)
    assert " ha " in text and " km²" in text, text
    assert session.external_requests() == []
    assert session.errors == []
    # the vector basemap (borders and coast) is drawn without tiles
    assert (
        page.evaluate(
            "() => document.querySelectorAll('.leaflet-amurgeo-basemap-pane path').length"
        )
        >= 3
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("() => amurgeo.map.closePopup()")
    page.screenshot(path=str(ARTIFACTS / "offline_zoomed.png"))
    print(f"self-contained page load: {load_s:.2f} s, {offline_map.stat().st_size} bytes")


def test_layer_control_lists_every_overlay_and_toggles_it(session: Session) -> None:
    session.open(OVERVIEW)
    page = session.page
    names = _overlay_names(session)
    assert sorted(_control_labels(session)) == sorted(names)
    index = next(i for i, n in enumerate(names) if "Hunchun" in n)
    paths = f"() => {{ let n = 0; amurgeo.overlays[{index}].eachLayer((l) => {{ if (l._path && l._path.isConnected) n++; }}); return n; }}"  # noqa: E501
    assert page.evaluate(paths) > 0
    assert page.evaluate(LEGEND_VISIBLE, index)
    checkbox = page.locator(".leaflet-control-layers-overlays label", has_text="Hunchun").locator(
        "input"
    )
    checkbox.click()
    assert page.evaluate(paths) == 0
    assert not page.evaluate(LEGEND_VISIBLE, index)
    assert page.evaluate(f"() => amurgeo.map.hasLayer(amurgeo.overlays[{index}])") is False
    checkbox.click()
    assert page.evaluate(paths) > 0
    assert page.evaluate(LEGEND_VISIBLE, index)
    assert session.errors == []


def test_clicking_a_park_opens_a_popup_with_its_area(session: Session) -> None:
    session.open(OVERVIEW)
    page = session.page
    name = next(n for n in _overlay_names(session) if "Land of the Leopard" in n)
    point = page.evaluate(POINT_ON, name)
    assert point is not None, "no visible part of the park to click"
    page.mouse.click(point["x"], point["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    text = popup.inner_text()
    assert "Land of the Leopard" in text
    assert "Computed area" in text and "km²" in text and " ha" in text
    assert "Reported area" in text and "likely between" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # let the popup fade in
    page.screenshot(path=str(ARTIFACTS / "popup.png"))


def test_activity_filter_and_search(session: Session) -> None:
    session.open(OVERVIEW)
    page = session.page
    total = page.evaluate(
        "() => amurgeo.overlays.find((o) => o.amurgeoMarkers).amurgeoMarkers.length"
    )
    shown = "() => amurgeo.overlays.find((o) => o.amurgeoMarkers).getLayers().length"
    assert page.evaluate(shown) == total
    organization = page.locator("select.amg-filter-organization")
    organization.select_option(index=1)
    assert 0 < page.evaluate(shown) < total
    activity = page.locator("select.amg-filter-activity")
    activity.select_option(index=1)
    organization.select_option(index=0)
    assert 0 < page.evaluate(shown) < total
    activity.select_option(index=0)
    assert page.evaluate(shown) == total
    search = page.locator("input.amg-search-input")
    search.fill("Hunchun")
    search.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert "Hunchun" in popup.inner_text()
    assert session.errors == []


def test_search_finds_a_point_hidden_by_the_filter(session: Session) -> None:
    """Searching for an activity point that the filter hides shows it, with no script error."""
    session.open(OVERVIEW)
    page = session.page
    page.locator("select.amg-filter-organization").select_option(index=1)
    key = page.evaluate(
        """() => {
          const group = amurgeo.overlays.find((o) => o.amurgeoMarkers);
          const hidden = group.amurgeoMarkers.find((m) => !group.hasLayer(m));
          return hidden.amurgeoKeys[0];
        }"""
    )
    search = page.locator("input.amg-search-input")
    search.fill(key)
    search.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert popup.inner_text().strip()
    page.wait_for_timeout(300)
    assert session.errors == []


def test_script_payloads_never_run(session: Session, tmp_path: Path) -> None:
    hostile = save_map(
        build_map([hostile_layer(), hostile_points(), "hunchun"], title=PAYLOAD),
        tmp_path / "hostile.html",
    )
    session.open(hostile)
    page = session.page
    # hover and click every feature with the mouse, then open every popup and tooltip
    for name in _overlay_names(session):
        point = page.evaluate(POINT_ON, name) if "Where" not in name else None
        if point:
            page.mouse.move(point["x"], point["y"])
            page.wait_for_timeout(50)
            page.mouse.click(point["x"], point["y"])
    page.evaluate(
        """() => amurgeo.overlays.forEach((o) => {
             const layers = o.amurgeoMarkers || o.getLayers();
             layers.forEach((l) => { l.openTooltip && l.openTooltip(l.getLatLng ? l.getLatLng() :
               l.getBounds().getCenter()); l.openPopup && l.openPopup(l.getLatLng ? undefined :
               l.getBounds().getCenter()); });
           })"""
    )
    page.hover(".leaflet-control-layers")
    page.locator("input.amg-search-input").fill("<img")
    page.locator("input.amg-search-input").press("Enter")
    page.wait_for_timeout(300)
    assert session.dialogs == []
    handlers = page.evaluate(
        "() => document.querySelectorAll('[onerror],[onload],[onmouseover]').length"
    )
    assert handlers == 0
    assert session.page.title() == PAYLOAD
    texts = page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-popup-content, "
        ".leaflet-control-layers, .amg-legend')).map((n) => n.textContent).join(' ')"
    )
    assert PAYLOAD in texts, "the payload is shown as text"
    assert session.errors == []


def test_missing_chromium_skips_here_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import browser_support

    monkeypatch.setattr(browser_support, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-chromium is missing"):
        next(browser_support.launch())
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        next(browser_support.launch())
