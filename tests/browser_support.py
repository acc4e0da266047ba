"""Open maps in Debian's Chromium through Playwright, without touching the internet.

* :func:`launch` starts ``/usr/bin/chromium`` (never a downloaded browser). Outside CI a
  missing Chromium or Playwright skips the test with the reason; with ``CI=true`` it fails.
* :class:`Offline` is a request router: pinned jsDelivr URLs are answered from the npm files
  the build hook bundled (``amurgeo/maps/_vendor``), tile URLs with a blank PNG, and every other
  request is aborted. Every request is recorded.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
_TILE = re.compile(r"/\d+/\d+/\d+(?:\.(?:png|jpg|jpeg))?(?:\?.*)?$")
_TYPES = {
    ".js": "application/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def unavailable(reason: str) -> None:
    """Skip (or, with CI=true, fail) a browser test that cannot run here."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def launch() -> Iterator[Any]:
    """Yield a Chromium browser driven by Playwright (a generator for a pytest fixture)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Offline:
    """Route every request of a page: CDN files from the bundle, blank tiles, no internet."""

    requests: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def __call__(self, route: Any) -> None:
        from amurgeo.errors import DataError
        from amurgeo.maps.assets import CDN_PREFIX
        from amurgeo.maps.offline import vendor_file

        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        elif url.startswith(CDN_PREFIX):
            try:
                path = vendor_file(url)
            except DataError:
                self.missing.append(url)
                route.fulfill(status=404, body="not bundled")
                return
            self.served.append(url)
            route.fulfill(
                body=path.read_bytes(),
                content_type=_TYPES.get(path.suffix, "application/octet-stream"),
            )
        elif _TILE.search(url):
            self.served.append(url)
            route.fulfill(body=BLANK_PNG, content_type="image/png")
        else:
            self.aborted.append(url)
            route.abort()


@dataclass
class Session:
    """A page with its console errors, dialogs and every request recorded."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    router: Offline = field(default_factory=Offline)

    def open(self, path: Path, *, route: bool = True) -> None:
        """Load `path` (file://) and wait until the map's script has run."""
        if route:
            self.page.route("**/*", self.router)
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        self.page.wait_for_function("window.amurgeo && window.amurgeo.map", timeout=15000)
        # no zoom or pan animation in flight: Leaflet ignores a setView made during one
        self.page.wait_for_function(
            "!amurgeo.map._animatingZoom && !(amurgeo.map._panAnim && amurgeo.map._panAnim._inProgress)",
            timeout=15000,
        )

    def external_requests(self) -> list[str]:
        """Requests for anything but the page file itself."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]


def new_session(
    browser: Any, *, width: int = 1280, height: int = 800, touch: bool = False
) -> Session:
    """Open a fresh page that records console errors, page errors, dialogs and requests.

    With `touch` the page is a phone's: a touch screen, taps instead of clicks.
    """
    viewport = {"width": width, "height": height}
    if touch:
        context = browser.new_context(viewport=viewport, has_touch=True, is_mobile=True)
        page = context.new_page()
    else:
        page = browser.new_page(viewport=viewport)
    session = Session(page)

    def on_console(message: Any) -> None:
        if message.type in ("error", "warning") and "error" in message.type:
            session.errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        session.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: session.errors.append(f"pageerror: {error}"))
    page.on("dialog", on_dialog)
    page.on("request", lambda request: session.requests.append(request.url))
    return session
