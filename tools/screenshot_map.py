"""Take the README's screenshot of the overview map: a click on Hunchun reserve at 1400x900.

Builds the self-contained English overview, opens it in Debian's Chromium (Playwright, no
network: every request that is not the page itself is aborted, so the offline base map shows)
and writes ``docs/map_identify.png``.

    python tools/screenshot_map.py [--out docs/map_identify.png]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def screenshot(out: Path, layer_id: str = "hunchun") -> None:
    """Write a 1400x900 screenshot of the overview with the identify popup of `layer_id`."""
    from playwright.sync_api import sync_playwright

    from amurgeo.catalog import load_layer
    from amurgeo.maps import build_map, save_map
    from amurgeo.maps.labels import area_label_point

    lat, lon = area_label_point(load_layer(layer_id).geometry.union_all()) or (0.0, 0.0)
    with tempfile.TemporaryDirectory() as folder:
        page_path = save_map(build_map(self_contained=True), Path(folder) / "overview.html")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("() => window.amurgeo && window.amurgeo.map")
            page.wait_for_timeout(500)
            point = page.evaluate("(at) => amurgeo.map.latLngToContainerPoint(at)", [lat, lon])
            page.mouse.click(point["x"], point["y"])
            page.wait_for_timeout(500)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    print(f"{out}: {out.stat().st_size / 1e3:.0f} kB")


def main() -> None:
    """Parse arguments and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "map_identify.png")
    args = parser.parse_args()
    screenshot(args.out)


if __name__ == "__main__":
    main()
