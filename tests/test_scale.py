"""Scale: what stays small and fast as data grows (not timed; benchmarks/bench_scale.py times).

* The command line imports only what a command needs: ``amurgeo areas`` and ``amurgeo
  observations`` load neither folium, branca, jinja2, matplotlib nor dask.
* A map of many observations grows with the occupied hexagons, not with the points.
* In Chromium, a density layer is one canvas: no DOM element per point or per hexagon.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from browser_support import launch, new_session

from amurgeo.maps import build_map, hexagons, map_html, save_map

HEAVY = ("folium", "branca", "jinja2", "matplotlib", "dask", "dask_geopandas", "xyzservices")

_MODULES_AFTER = """
import json, sys
from amurgeo.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(m for m in %r if m in sys.modules)}))
"""


def _loaded_by(*argv: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER % (HEAVY,), *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def test_areas_command_does_not_import_map_or_figure_libraries() -> None:
    found = _loaded_by("areas", "hunchun", "--format", "csv")
    assert found == {"code": 0, "modules": []}


def test_observations_command_does_not_import_map_libraries(tmp_path: Path) -> None:
    path = tmp_path / "cams.csv"
    pd.DataFrame({"lon": [131.5, 130.5], "lat": [43.1, 43.5]}).to_csv(path, index=False)
    found = _loaded_by("observations", str(path), "--format", "json")
    assert found == {"code": 0, "modules": []}


def test_importing_the_package_and_cli_loads_nothing_heavy() -> None:
    code = "import sys, amurgeo, amurgeo.cli, amurgeo.observations; print(sorted(sys.modules))"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(eval(completed.stdout))  # a printed list of module names
    assert not loaded & set(HEAVY)


def spread(count: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"lon": rng.normal(130.9, 0.5, count), "lat": rng.normal(43.2, 0.4, count)})


def test_page_size_is_bounded_by_hexagons_not_points() -> None:
    pages = {}
    for count in (50_000, 400_000):
        built = build_map(["hunchun"], observations=spread(count, 1), minimap=False)
        pages[count] = len(map_html(built).encode("utf-8"))
    assert pages[400_000] < 2 * pages[50_000]  # 8 times the points
    assert pages[400_000] < 5e6


# --- in Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


def test_density_layer_is_one_canvas_with_tooltips(browser: Any, tmp_path: Path) -> None:
    out = save_map(
        build_map(["land-of-the-leopard"], observations=spread(100_000, 2), minimap=False),
        tmp_path / "density.html",
    )
    session = new_session(browser)
    try:
        session.open(out)
        page = session.page
        state = page.evaluate(
            """() => {
              const o = amurgeo.overlays.find((l) => l.amurgeo.kind === 'density');
              const pane = amurgeo.map.getPane(o.amurgeo.pane);
              let shown = 0;
              o.eachLayer((level) => level.eachLayer(() => { shown += 1; }));
              return {on: amurgeo.map.hasLayer(o), level: o.amurgeoLevel, shown,
                      canvases: pane.querySelectorAll('canvas').length,
                      elements: pane.querySelectorAll('*').length,
                      paths: document.querySelectorAll('path').length,
                      legend: document.querySelector('.amg-legend').textContent};
            }"""
        )
        assert state["on"] and state["level"] == 0 and state["shown"] > 100
        assert state["canvases"] == 1 and state["elements"] == 1  # one canvas, nothing else
        assert state["paths"] < 50  # the park and the controls: no path per hexagon
        assert "per km²" in state["legend"]
        # zoom in: a finer level replaces the coarse one
        levels = page.evaluate(
            "() => amurgeo.overlays.find((l) => l.amurgeo.kind === 'density').amurgeo.levels.length"
        )
        if levels > 1:
            page.evaluate("() => amurgeo.map.setZoom(amurgeo.map.getZoom() + 2)")
            page.wait_for_timeout(600)
            finer = page.evaluate(
                "() => amurgeo.overlays.find((l) => l.amurgeo.kind === 'density').amurgeoLevel"
            )
            assert finer > 0
        # hover the map centre, where the points are densest: a tooltip with the count
        page.evaluate("() => amurgeo.map.setView([43.2, 130.9], 9)")
        page.wait_for_timeout(600)
        box = page.locator("#" + page.evaluate("() => amurgeo.map.getContainer().id"))
        bounds = box.bounding_box()
        assert bounds is not None
        page.mouse.move(bounds["x"] + bounds["width"] / 2, bounds["y"] + bounds["height"] / 2)
        page.mouse.move(bounds["x"] + bounds["width"] / 2 + 3, bounds["y"] + bounds["height"] / 2)
        page.wait_for_timeout(300)
        tooltip = page.evaluate(
            "() => [...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent)"
        )
        assert any("observations" in t and "hexagon" in t for t in tooltip), tooltip
        assert session.errors == []
        assert session.external_requests() == [] or all(
            u in session.router.served or u in session.router.aborted
            for u in session.external_requests()
        )
    finally:
        session.page.close()


def test_budgets_are_consistent() -> None:
    assert hexagons.HEX_LEVEL_BUDGET <= hexagons.HEX_TOTAL_BUDGET
