"""The tiger figure (``plot_figure(theme="tiger")``, ``amurgeo figure --theme tiger``): its frame,
the names of the protected areas and towns, a title that fits and a note that cites each source
once (issue 16)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import shapely
from click.testing import Result

from amurgeo.catalog import load_layer
from amurgeo.errors import UsageError
from amurgeo.figures import plot_figure, save_figure
from amurgeo.figures.draw import figure_renderer
from amurgeo.figures.labels import AREA_LABEL_COLOR, frame_towns, map_name
from amurgeo.figures.layers import lonlat_box_to_ea
from amurgeo.measure import EQUAL_AREA_CRS

RunCli = Callable[..., Result]

BORDER_PARKS = ("land-of-the-leopard", "northeast-china-tiger-leopard")


@pytest.fixture(scope="module")
def tiger() -> Any:
    """The tiger overview, made once."""
    return plot_figure(theme="tiger")


def _note(fig: Any) -> str:
    (note,) = [t.get_text() for t in fig.axes[0].texts if "Lambert azimuthal" in t.get_text()]
    return " ".join(note.split())


def _area_names(fig: Any) -> dict[str, Any]:
    """Protected areas' names on the map -> their text artists (lines joined)."""
    ax = fig.axes[0]
    return {
        " ".join(t.get_text().split()): t
        for t in ax.texts
        if t.get_color() == AREA_LABEL_COLOR and t.get_text()
    }


def _expected_areas() -> dict[str, Any]:
    """Name on the map -> outline (equal-area CRS) of each tiger area and border park."""
    out: dict[str, list[Any]] = {}
    for layer in ("tiger-protected-areas", *BORDER_PARKS):
        gdf = load_layer(layer).to_crs(EQUAL_AREA_CRS)
        for name, geom in zip(gdf["name"], gdf.geometry, strict=True):
            out.setdefault(map_name(name), []).append(geom)
    return {name: shapely.union_all(geoms) for name, geoms in out.items()}


def test_theme_tiger_has_its_title_and_layers(tiger: Any) -> None:
    ax = tiger.axes[0]
    assert ax.get_title(loc="left") == "Amur tiger: range and protected areas"
    legend = [" ".join(t.get_text().split()) for t in ax.get_legend().get_texts()]
    for title in (
        "Amur tiger range",
        "Amur tiger protected areas (Russia)",
        "Land of the Leopard National Park",
        "Northeast China Tiger and Leopard National Park",
        "International border",
        "Coast",
    ):
        assert title in legend
    assert not any("leopard range" in label.lower() for label in legend)


def test_every_tiger_area_and_border_park_is_drawn_and_named(tiger: Any) -> None:
    ax = tiger.axes[0]
    names = _area_names(tiger)
    expected = _expected_areas()
    assert len(expected) == 11  # nine tiger areas and the two border parks
    paths = [p for c in ax.collections for p in getattr(c, "get_paths", list)()]
    for name, geom in expected.items():
        assert name in names, f"{name} is not named; names: {sorted(names)}"
        inner = geom.representative_point()
        assert any(p.contains_point((inner.x, inner.y)) for p in paths), f"{name} not drawn"
    assert "Sikhote-Alin Reserve" in names and "Bikin NP" in names
    assert "NP: national park." in _note(tiger)


def test_names_sit_in_or_beside_their_area_and_never_overlap(tiger: Any) -> None:
    ax = tiger.axes[0]
    renderer = figure_renderer(tiger)
    to_data = ax.transData.inverted()
    axes_box = ax.get_window_extent(renderer)
    expected = _expected_areas()
    texts = [t for t in ax.texts if t.get_text() and t.get_zorder() >= 10]
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, box in enumerate(boxes):
        assert axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
        for j in range(i + 1, len(boxes)):
            assert not box.overlaps(boxes[j]), (texts[i].get_text(), texts[j].get_text())
    leaders = [line.get_xydata() for line in ax.lines]
    points_m = (ax.get_xlim()[1] - ax.get_xlim()[0]) / axes_box.width * tiger.dpi / 72
    for name, text in _area_names(tiger).items():
        box = text.get_window_extent(renderer)
        (x0, y0), (x1, y1) = to_data.transform([box.p0, box.p1])
        area, label = expected[name], shapely.box(x0, y0, x1, y1)
        gap = area.distance(label)
        assert gap < 60 * points_m, f"{name} is {gap / points_m:.0f} pt from its area"
        if gap > 4 * points_m:  # apart: a leader line from the name to the area's edge
            assert any(
                area.boundary.distance(shapely.Point(line[-1])) < 1.0
                and label.distance(shapely.Point(line[0])) < 1.0
                for line in leaders
            ), f"{name} has no leader line"


def test_frame_holds_the_whole_range_within_the_countries_layer(tiger: Any) -> None:
    ax = tiger.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    frame = shapely.box(x0, y0, x1, y1)
    tiger_range = load_layer("tiger-range").to_crs(EQUAL_AREA_CRS)
    rx0, ry0, rx1, ry1 = tiger_range.total_bounds
    assert frame.contains(shapely.box(rx0, ry0, rx1, ry1))
    # a margin on every side (the Gur basin at ~50 N at the top included)
    assert min(rx0 - x0, ry0 - y0, x1 - rx1, y1 - ry1) > 20_000
    countries = load_layer("countries").total_bounds
    assert shapely.box(*lonlat_box_to_ea(countries, EQUAL_AREA_CRS)).contains(frame)
    assert ax.get_facecolor()[:3] != (0.968, 0.968, 0.968)  # no "unknown" backdrop


def test_towns_follow_the_frame_and_rank(tiger: Any) -> None:
    texts = {t.get_text() for t in tiger.axes[0].texts}
    assert "Ussuriysk" in texts  # rank 1, clear of the activity circles
    table = pd.DataFrame(
        {
            "name": ["Khabarovsk", "Luchegorsk", "Kraskino", "Tokyo"],
            "lon": [135.072, 134.2, 130.78, 139.69],
            "lat": [48.48, 46.45, 42.71, 35.69],
            "rank": [1, 2, 3, 1],
        }
    )
    wide = lonlat_box_to_ea((127.0, 42.0, 141.0, 51.0), EQUAL_AREA_CRS)  # ~1,100 km
    assert frame_towns(wide, EQUAL_AREA_CRS, table)["name"].tolist() == ["Khabarovsk"]
    middle = lonlat_box_to_ea((130.0, 42.0, 137.0, 49.0), EQUAL_AREA_CRS)  # ~600 km
    assert frame_towns(middle, EQUAL_AREA_CRS, table)["name"].tolist() == [
        "Khabarovsk",
        "Luchegorsk",
    ]
    small = lonlat_box_to_ea((130.0, 42.3, 132.5, 44.0), EQUAL_AREA_CRS)
    bundled = frame_towns(small, EQUAL_AREA_CRS)
    assert {"Vladivostok", "Kraskino", "Zarubino"} <= set(bundled["name"])
    assert bundled["rank"].is_monotonic_increasing


def test_titles_fit_the_figure_width(tiger: Any) -> None:
    layers = [
        "tiger-range",
        "tiger-protected-areas",
        "land-of-the-leopard",
        "northeast-china-tiger-leopard",
        "leopard-reintroduction",
    ]
    several = plot_figure(layers)
    for fig in (tiger, several):
        renderer = figure_renderer(fig)
        width = fig.bbox.width
        for text in [*fig.axes[0].texts, fig.axes[0].title]:
            if text.get_text():
                box = text.get_window_extent(renderer)
                assert box.x0 >= 0 and box.x1 <= width, text.get_text()[:40]
    long_title = several.axes[0].get_title(loc="left")
    assert long_title.count("\n") == 1 and long_title.endswith("and 2 more")


def test_note_cites_each_source_once(tiger: Any) -> None:
    note = _note(tiger)
    sources = re.search(r"Sources: (.*?)\. Lambert", note)
    assert sources is not None
    parts = sources.group(1).split("; ")
    keys = [re.sub(r"[\s\-]+", " ", p.lower()) for p in parts]
    assert len(keys) == len(set(keys)), parts
    assert note.count("GeoNames") == 1 and "CC-BY" not in note
    assert "locators, not boundaries" in note and "parts up to 61 km" in note


def test_same_bytes_twice_and_the_cli_draws_the_same(run_cli: RunCli, tmp_path: Path) -> None:
    first = save_figure(plot_figure(theme="tiger"), tmp_path / "a.png", dpi=60).read_bytes()
    second = save_figure(plot_figure(theme="tiger"), tmp_path / "b.png", dpi=60).read_bytes()
    assert first == second
    result = run_cli("figure", "--theme", "tiger", "-o", str(tmp_path / "c.png"), "--dpi", "60")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.png").read_bytes() == first


def test_bad_theme_is_a_one_line_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "lion.png"
    result = run_cli("figure", "--theme", "lion", "-o", str(out))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'--theme'" in lines[0] and "'lion'" in lines[0]
    assert "leopard" in lines[0] and "tiger" in lines[0]
    assert not out.exists()
    chart = run_cli("figure", "--observations", "x.csv", "--theme", "tiger", "-o", str(out))
    assert chart.exit_code == 2 and "--theme" in chart.stderr
    assert len(chart.stderr.strip().splitlines()) == 1 and not out.exists()
    with pytest.raises(UsageError, match="theme 'lion'"):
        plot_figure(theme="lion")


def test_leopard_is_the_default_theme() -> None:
    ax = plot_figure(theme="leopard").axes[0]
    assert ax.get_title(loc="left") == "Where the Amur leopard is protected"
    assert not any(t.get_color() == AREA_LABEL_COLOR for t in ax.texts)


def test_readme_shows_the_committed_tiger_figure() -> None:
    root = Path(__file__).resolve().parents[1]
    data = (root / "docs" / "amur_tiger.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") == 1200  # 8 inches at 150 dpi
    assert b"amurgeo (matplotlib)" in data and len(data) < 600_000
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "](docs/amur_tiger.png)" in readme
    assert "amurgeo figure --theme tiger -o docs/amur_tiger.png --dpi\n150" in readme


def test_areas_outside_a_zoomed_frame_are_not_named() -> None:
    """Zoomed on SW Primorye: the areas in view named, those beyond the frame not."""
    fig = plot_figure(theme="tiger", bounds=(130.0, 42.3, 135.5, 45.5))
    names = _area_names(fig)
    assert {"Ussuriysky Reserve", "Lazovsky Reserve", "Zov Tigra NP"} <= set(names)
    assert not {"Bikin NP", "Anyuysky NP", "Botchinsky Reserve"} & set(names)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"Suifenhe", "Dongning"} <= texts  # rank 2 towns on a frame under 900 km wide
