"""Build the maps committed in ``maps/`` and the README figures ``docs/amur_*.png``.

Run from the repository root after changing the layers, the map or the figure code::

    python tools/build_maps.py           # rewrite maps/*.html and docs/amur_*.png
    python tools/build_maps.py --check   # exit 1 if a committed map is stale

The figures are the same as ``amurgeo figure --theme leopard -o docs/amur_leopard.png --dpi
150`` and ``amurgeo figure --theme tiger -o docs/amur_tiger.png --dpi 150``. They are not
compared by ``--check``: PNG bytes depend on the installed matplotlib and FreeType versions.

The output is reproducible: the same code and data give the same bytes, so a test
(``tests/test_maps.py``) rebuilds every map and fails when a committed one differs.
The committed maps link Leaflet from jsDelivr (pinned versions); a self-contained file is
made on demand with ``amurgeo map --self-contained`` and never committed (it would carry
third-party code).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from amurgeo.figures import plot_figure, save_figure  # noqa: E402
from amurgeo.maps import (  # noqa: E402
    build_map,
    i18n,
    map_html,
)

#: README figure -> the theme of its overview (plot_figure's `theme`).
FIGURES = {ROOT / "docs" / "amur_leopard.png": "leopard", ROOT / "docs" / "amur_tiger.png": "tiger"}

AREAS = ["land-of-the-leopard", "kedrovaya-pad", "northeast-china-tiger-leopard", "hunchun"]

#: File name in maps/ -> build_map() keyword arguments.
MAPS: dict[str, dict[str, Any]] = {
    # the leopard's overview (the default theme), in each language
    "amur_leopard.html": {"lang": "en"},
    "amur_leopard_ru.html": {"lang": "ru"},
    "amur_leopard_zh.html": {"lang": "zh"},
    # the tiger's overview: its range and protected areas in Russia and China
    "amur_tiger.html": {"theme": "tiger", "lang": "en"},
    "amur_tiger_ru.html": {"theme": "tiger", "lang": "ru"},
    "amur_tiger_zh.html": {"theme": "tiger", "lang": "zh"},
    # the leopard's range against the protected areas: what lies outside them
    "leopard_range_gaps.html": {
        "layers": ["leopard-range", *AREAS],
        "overlaps": False,
        "title": i18n.text("title_gaps", "en"),
    },
}


def render(name: str) -> str:
    """Return the HTML of the committed map `name`."""
    return map_html(build_map(**MAPS[name]))


def main() -> int:
    """Write (or with --check, compare) every map; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=ROOT / "maps")
    args = parser.parse_args()
    args.out.mkdir(exist_ok=True)
    stale = []
    for name in MAPS:
        start = time.perf_counter()
        page = render(name).encode("utf-8")
        target = args.out / name
        if args.check:
            if not target.is_file() or target.read_bytes() != page:
                stale.append(name)
            continue
        target.write_bytes(page)
        took = time.perf_counter() - start
        print(
            f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
            f"{len(page) / 1e3:.0f} kB in {took:.1f} s"
        )
    for figure, theme in FIGURES.items() if not args.check else ():
        start = time.perf_counter()
        save_figure(plot_figure(theme=theme), figure, dpi=150)
        took = time.perf_counter() - start
        print(f"{figure.relative_to(ROOT)}: {figure.stat().st_size / 1e3:.0f} kB in {took:.1f} s")
    if stale:
        print(f"stale maps: {', '.join(stale)}; run python tools/build_maps.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
