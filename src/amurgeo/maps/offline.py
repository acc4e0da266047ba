"""Self-contained maps: inline the pinned Leaflet files so that a map needs no network.

The files come from ``amurgeo/maps/_vendor/``, which ``hatch_build.py`` fills from npm when
amurgeo is built or installed (see :mod:`amurgeo.maps.assets`).
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from functools import cache
from pathlib import Path

from amurgeo.errors import DataError
from amurgeo.maps.assets import (
    CDN_PREFIX,
    CSS_URL,
    DEFAULT_ICON_FILES,
    MANIFEST_NAME,
    NPM_PACKAGES,
    VENDOR_DIRNAME,
    vendor_relpath,
)

__all__ = ["inline_assets", "script_tag", "style_tag", "vendor_dir"]

_SCRIPT_LINK = re.compile(r'<script src="([^"]*)"></script>')
_CSS_LINK = re.compile(r'<link rel="stylesheet" href="([^"]*)"/>')
_CDN_URL = re.compile(
    r"^" + re.escape(CDN_PREFIX) + r"((?:@[^/@]+/)?[^/@]+)@([^/]+)/([A-Za-z0-9_.@/-]+)$"
)
_CLOSE_SCRIPT = re.compile(r"<(/script|!--)", re.IGNORECASE)
_CLOSE_STYLE = re.compile(r"</style", re.IGNORECASE)
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif", ".cur": "image/x-icon"}

_MISSING = (
    "self-contained maps need the Leaflet files that amurgeo bundles at install time, "
    "and this installation has none ({reason}); install Node.js and npm, then reinstall "
    "amurgeo (pip install .), or make a map without --self-contained"
)


def vendor_dir() -> Path:
    """Return the folder of bundled npm files, or raise DataError saying why it is unusable."""
    folder = Path(__file__).resolve().parent / VENDOR_DIRNAME
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        raise DataError(_MISSING.format(reason=f"{manifest} not found: npm was not available"))
    packages = _manifest_packages(str(manifest))
    for package, version in NPM_PACKAGES.items():
        if packages.get(package) != version:
            found = packages.get(package, "none")
            raise DataError(
                _MISSING.format(reason=f"{package} {found} is bundled but {version} is needed")
            )
    return folder


@cache
def _manifest_packages(path: str) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(_MISSING.format(reason=f"{path} is unreadable: {exc}")) from exc
    return dict(data.get("packages", {}))


def vendor_file(url: str) -> Path:
    """Return the bundled copy of a pinned CDN `url` (DataError if it is not one of ours)."""
    match = _CDN_URL.match(url)
    if match is None or NPM_PACKAGES.get(match.group(1)) != match.group(2):
        raise DataError(
            f"cannot make the map self-contained: {url} is not one of amurgeo's bundled files "
            f"({', '.join(f'{p}@{v}' for p, v in NPM_PACKAGES.items())})"
        )
    package, version, path = match.groups()
    if ".." in path.split("/"):
        raise DataError(f"cannot make the map self-contained: bad asset path in {url}")
    target = vendor_dir() / f"{package}@{version}" / path
    if not target.is_file():
        raise DataError(_MISSING.format(reason=f"{target} is missing"))
    return target


def script_tag(code: str) -> str:
    """Return `code` in a ``<script>`` element that cannot be closed early by its content.

    Examples
    --------
    >>> script_tag('var s = "</script>";')
    '<script>var s = "<\\\\/script>";</script>'
    """
    return "<script>" + _CLOSE_SCRIPT.sub(lambda m: "<\\" + m.group(1), code) + "</script>"


def style_tag(css: str) -> str:
    """Return `css` in a ``<style>`` element (refusing CSS that would close it)."""
    if _CLOSE_STYLE.search(css):
        raise DataError("stylesheet contains '</style' and cannot be inlined")
    return "<style>" + css + "</style>"


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    if mime is None:
        raise DataError(f"cannot inline {path.name}: unknown file type")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(css_path: Path) -> str:
    css = css_path.read_text(encoding="utf-8")
    folder = css_path.parent

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            return match.group(0)
        if target.startswith(("http:", "https:", "//", "/")):
            raise DataError(f"cannot inline {css_path.name}: it loads {target} from the network")
        file = (folder / target).resolve()
        if not file.is_file():
            raise DataError(f"cannot inline {css_path.name}: {target} is missing")
        return f'url("{_data_uri(file)}")'

    return CSS_URL.sub(replace, css)


def inline_assets(page: str) -> str:
    """Replace every CDN ``<script src>`` and stylesheet link of `page` by its bundled copy.

    Images referenced by the stylesheets become data URIs. Any other external script or
    stylesheet is an error: the result must load nothing from the network.

    Raises
    ------
    DataError
        If the bundled files are missing (npm was not available when amurgeo was built) or
        the page links a file amurgeo does not bundle.
    """

    def script(match: re.Match[str]) -> str:
        path = vendor_file(match.group(1))
        tag = script_tag(path.read_text(encoding="utf-8"))
        if path.name == "leaflet.js":
            # Leaflet finds its default marker images through the stylesheet's URL, which
            # an inlined stylesheet does not have: give it the images themselves.
            folder = vendor_dir() / vendor_relpath("leaflet", "")
            icons = {k: _data_uri(folder / v) for k, v in DEFAULT_ICON_FILES.items()}
            tag += script_tag(
                f'L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({json.dumps(icons)});'
            )
        return tag

    def stylesheet(match: re.Match[str]) -> str:
        return style_tag(_inline_css(vendor_file(match.group(1))))

    page = _SCRIPT_LINK.sub(script, page)
    page = _CSS_LINK.sub(stylesheet, page)
    leftover = re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    if leftover:
        raise DataError(
            f"cannot make the map self-contained: it still links {leftover.group(0)[:120]!r}"
        )
    return page
