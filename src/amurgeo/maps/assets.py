"""The third-party JavaScript and CSS that maps use: pinned npm packages, CDN URLs, local copies.

Standard library only: ``hatch_build.py`` loads this file by path (before amurgeo is
installed) to learn which files to copy out of ``node_modules``.

* :data:`NPM_PACKAGES` pins every package to one version; ``package.json`` and
  ``package-lock.json`` at the repository root pin the same versions (a test checks).
* A map that opens online links each file from jsDelivr's npm mirror,
  ``https://cdn.jsdelivr.net/npm/<package>@<version>/<path>``: the very file npm installs.
* The build hook copies the same files into ``amurgeo/maps/_vendor/<package>@<version>/<path>``
  (gitignored, shipped in wheels), from which self-contained maps inline them.
"""

from __future__ import annotations

import re
from pathlib import Path

#: npm package -> exact version. Keep in step with package.json (tests/test_maps.py checks).
NPM_PACKAGES: dict[str, str] = {
    "leaflet": "1.9.4",
    "leaflet-groupedlayercontrol": "0.6.1",
    "leaflet-measure": "3.1.0",
    "leaflet-minimap": "3.6.1",
    "leaflet.fullscreen": "3.0.2",
    "leaflet.markercluster": "1.5.3",
}

#: Files each map feature loads, in load order: (package, path inside the package).
ASSET_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "leaflet": (("leaflet", "dist/leaflet.js"), ("leaflet", "dist/leaflet.css")),
    "markercluster": (
        ("leaflet.markercluster", "dist/leaflet.markercluster.js"),
        ("leaflet.markercluster", "dist/MarkerCluster.css"),
        ("leaflet.markercluster", "dist/MarkerCluster.Default.css"),
    ),
    "groupedlayers": (
        ("leaflet-groupedlayercontrol", "dist/leaflet.groupedlayercontrol.min.js"),
        ("leaflet-groupedlayercontrol", "dist/leaflet.groupedlayercontrol.min.css"),
    ),
    # leaflet-measure ships one build per language; the map loads the one for its ``lang``.
    "measure": (
        ("leaflet-measure", "dist/leaflet-measure.js"),
        ("leaflet-measure", "dist/leaflet-measure.css"),
    ),
    "measure-ru": (
        ("leaflet-measure", "dist/leaflet-measure.ru.js"),
        ("leaflet-measure", "dist/leaflet-measure.css"),
    ),
    "measure-zh": (
        ("leaflet-measure", "dist/leaflet-measure.cn.js"),
        ("leaflet-measure", "dist/leaflet-measure.css"),
    ),
    "fullscreen": (
        ("leaflet.fullscreen", "Control.FullScreen.js"),
        ("leaflet.fullscreen", "Control.FullScreen.css"),
    ),
    "minimap": (
        ("leaflet-minimap", "dist/Control.MiniMap.min.js"),
        ("leaflet-minimap", "dist/Control.MiniMap.min.css"),
    ),
}

#: Leaflet's default marker images (``L.Icon.Default`` option -> file in the leaflet package).
DEFAULT_ICON_FILES: dict[str, str] = {
    "iconUrl": "dist/images/marker-icon.png",
    "iconRetinaUrl": "dist/images/marker-icon-2x.png",
    "shadowUrl": "dist/images/marker-shadow.png",
}

#: Licence files copied beside the assets (they travel in the wheel).
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "MIT-LICENCE.txt", "LICENCE")

CDN_PREFIX = "https://cdn.jsdelivr.net/npm/"

#: ``url(...)`` references in CSS; group 2 is the target without quotes.
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")

#: Name of the folder, inside the amurgeo package, that holds the copied files.
VENDOR_DIRNAME = "_vendor"
MANIFEST_NAME = "manifest.json"


def cdn_url(package: str, path: str) -> str:
    """Return the pinned jsDelivr URL of `path` in npm `package`.

    Examples
    --------
    >>> cdn_url("leaflet", "dist/leaflet.js")
    'https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js'
    """
    return f"{CDN_PREFIX}{package}@{NPM_PACKAGES[package]}/{path}"


def vendor_relpath(package: str, path: str) -> str:
    """Return where the copy of `path` of `package` lives inside the vendor folder.

    Examples
    --------
    >>> vendor_relpath("leaflet", "dist/leaflet.css")
    'leaflet@1.9.4/dist/leaflet.css'
    """
    return f"{package}@{NPM_PACKAGES[package]}/{path}"


def css_references(css: str) -> list[str]:
    """Return the relative file references (images, fonts) of a stylesheet, in order.

    Data URIs, fragment references (``#default#VML``) and absolute URLs are left out.

    Examples
    --------
    >>> css_references('a{background:url(images/layers.png)} b{behavior:url(#default#VML)}')
    ['images/layers.png']
    """
    found: list[str] = []
    for match in CSS_URL.finditer(css):
        target = match.group(2).strip()
        if target.startswith(("data:", "#", "http:", "https:", "//", "/")):
            continue
        if target not in found:
            found.append(target)
    return found


def needed_files(node_modules: Path) -> list[tuple[str, str]]:
    """Every (package, path) to copy from `node_modules`: assets, what their CSS references.

    Raises FileNotFoundError naming the first file that is missing.
    """
    files: list[tuple[str, str]] = []
    for entries in ASSET_FILES.values():
        for package, path in entries:
            source = node_modules / package / path
            if not source.is_file():
                raise FileNotFoundError(f"{source} is missing")
            files.append((package, path))
            if path.endswith(".css"):
                folder = Path(path).parent
                for ref in css_references(source.read_text(encoding="utf-8")):
                    target = (folder / ref).as_posix()
                    if not (node_modules / package / target).is_file():
                        raise FileNotFoundError(f"{node_modules / package / target} is missing")
                    files.append((package, target))
    # Leaflet's default marker (leaflet-measure draws one) loads these by path, not from CSS
    for name in DEFAULT_ICON_FILES.values():
        if not (node_modules / "leaflet" / name).is_file():
            raise FileNotFoundError(f"{node_modules / 'leaflet' / name} is missing")
        files.append(("leaflet", name))
    for package in NPM_PACKAGES:
        for name in LICENSE_NAMES:
            if (node_modules / package / name).is_file():
                files.append((package, name))
    return list(dict.fromkeys(files))
