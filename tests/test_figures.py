"""Static figures: the map (frame, legend, scale bar, north arrow, note), saving, the population
chart, and the ``amurgeo figure`` command."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
from click.testing import Result
from shapely.geometry import LineString, Point, box

import amurgeo
from amurgeo.errors import LayerNotFoundError, UsageError
from amurgeo.figures import load_population, plot_figure, plot_population, save_figure
from amurgeo.measure import EQUAL_AREA_CRS, GEOD

RunCli = Callable[..., Result]


@pytest.fixture(scope="module")
def overview() -> object:
    """The default figure (every bundled layer), made once."""
    return plot_figure()


def _texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]  # type: ignore[attr-defined]


def _legend_labels(fig: object) -> list[str]:
    (ax,) = fig.axes  # type: ignore[attr-defined]
    return [" ".join(t.get_text().split()) for t in ax.get_legend().get_texts()]


def _note(fig: object) -> str:
    notes = [" ".join(t.split()) for t in _texts(fig)]  # wrapped: lines joined again
    notes = [t for t in notes if "Lambert azimuthal equal-area" in t]
    assert len(notes) == 1
    return notes[0]


# --- the overview figure ----------------------------------------------------------------------


def test_overview_has_title_legend_and_every_layer(overview: object) -> None:
    (ax,) = overview.axes  # type: ignore[attr-defined]
    assert ax.get_title(loc="left") == "Where the Amur leopard is protected"
    labels = _legend_labels(overview)
    for expected in (
        "Land of the Leopard National Park",
        "Northeast China Tiger and Leopard National Park",
        "Kedrovaya Pad State Nature Biosphere Reserve",
        "Hunchun Amur Tiger National Nature Reserve",
        "Amur leopard range",
        "Amur leopard range, unconfirmed",
        "International border",
        "Coast",
    ):
        assert expected in labels
    assert any(label.startswith("Conservation organization activities") for label in labels)
    texts = _texts(overview)
    for country in ("RUSSIA", "CHINA"):
        assert country in texts
    for place in ("Slavyanka", "Barabash", "Vladivostok", "Hunchun"):
        assert place in texts


def test_overview_is_drawn_in_the_equal_area_crs_framed_on_the_region(overview: object) -> None:
    (ax,) = overview.axes  # type: ignore[attr-defined]
    assert ax.get_aspect() == 1.0
    to_ea = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    frame = box(x0, y0, x1, y1)
    # every area layer is inside the frame
    for layer in ("land-of-the-leopard", "northeast-china-tiger-leopard", "leopard-range"):
        projected = amurgeo.load_layer(layer).to_crs(EQUAL_AREA_CRS)
        assert frame.contains(box(*projected.total_bounds))
    # Vladivostok is in; London, Moscow and Lazo are not
    for lon, lat, inside in ((131.87, 43.11, True), (-0.13, 51.51, False), (37.62, 55.75, False)):
        assert frame.contains(Point(*to_ea.transform(lon, lat))) is inside
    assert not frame.contains(Point(*to_ea.transform(133.9, 43.38)))
    # the frame is regional: a few hundred km, not a continent
    assert 150_000 < x1 - x0 < 400_000 and 150_000 < y1 - y0 < 400_000


def test_note_counts_the_activity_points_outside_the_frame(overview: object) -> None:
    (ax,) = overview.axes  # type: ignore[attr-defined]
    points = amurgeo.load_layer("activities").to_crs(EQUAL_AREA_CRS)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, y = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    outside = int((~((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))).sum())
    assert 0 < outside < len(points)
    note = _note(overview)
    assert f"{outside} of the {len(points)} activity points lie outside the map" in note
    assert "London" in note and "hand-drawn approximations, not official" in note
    assert "Land of the Leopard National Park: mapped boundary" in note
    assert "© OpenStreetMap contributors" in note and "GeoNames (CC BY 4.0)" in note


def test_scale_bar_is_true_to_geodesic_distance(overview: object) -> None:
    (ax,) = overview.axes  # type: ignore[attr-defined]
    segments = [
        p
        for p in ax.patches
        if type(p).__name__ == "Rectangle" and p.get_zorder() == 12  # the bar's quarters
    ]
    assert len(segments) == 4
    left = min(p.get_x() for p in segments)
    right = max(p.get_x() + p.get_width() for p in segments)
    label = next(t for t in _texts(overview) if t.endswith(" km"))
    length_km = float(label.split()[0])
    assert right - left == pytest.approx(length_km * 1000)
    # the same length measured on the ellipsoid, at the bar and at the centre of the map
    to_lonlat = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4326", always_xy=True)
    y = segments[0].get_y()
    cx = sum(ax.get_xlim()) / 2
    cy = sum(ax.get_ylim()) / 2
    for x_start, y_row in ((left, y), (cx - (right - left) / 2, cy)):
        lon1, lat1 = to_lonlat.transform(x_start, y_row)
        lon2, lat2 = to_lonlat.transform(x_start + (right - left), y_row)
        distance = GEOD.inv(lon1, lat1, lon2, lat2)[2]
        assert distance == pytest.approx(length_km * 1000, rel=2e-3)


def test_north_arrow_follows_the_meridian_at_the_map_centre(overview: object) -> None:
    (ax,) = overview.axes  # type: ignore[attr-defined]
    north = next(t for t in ax.texts if t.get_text() == "N")
    to_lonlat = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(sum(ax.get_xlim()) / 2, sum(ax.get_ylim()) / 2)
    convergence = pyproj.Proj(EQUAL_AREA_CRS).get_factors(lon, lat).meridian_convergence
    assert lon < 131  # west of the projection's centre: north leans right (clockwise)
    rotation = (north.get_rotation() + 180) % 360 - 180
    assert rotation == pytest.approx(convergence, abs=0.01)
    assert convergence < -0.05


# --- user data, plain text, options ------------------------------------------------------------


def test_user_layers_draw_with_their_names(tmp_path: Path) -> None:
    plots = gpd.GeoDataFrame(
        {"name": ["plot 1"]}, geometry=[box(131.2, 43.0, 131.4, 43.15)], crs="EPSG:4326"
    )
    plots.attrs["layer_id"] = "survey plots"
    transect = gpd.GeoDataFrame(
        geometry=[LineString([(131.3, 43.1), (131.5, 43.3)])], crs="EPSG:4326"
    )
    transect.attrs["layer_id"] = "transect"
    traps = gpd.GeoDataFrame(geometry=[Point(131.3, 43.1), Point(10, 50)], crs="EPSG:4326")
    traps.attrs["layer_id"] = "traps"
    # a file in another CRS is reprojected
    utm = tmp_path / "blocks.gpkg"
    plots.to_crs(32652).to_file(utm, engine="pyogrio")
    fig = plot_figure(["LotL", plots, transect, traps, utm], title="My survey")
    labels = _legend_labels(fig)
    for name in ("Land of the Leopard National Park", "survey plots", "transect", "traps"):
        assert name in labels
    assert "blocks" in labels
    note = _note(fig)
    assert "1 of the 2 points of traps lies outside the map" in note
    assert "Your layers: survey plots, transect, traps, blocks." in note


def test_dollar_signs_in_names_are_plain_text(tmp_path: Path) -> None:
    """A name that would be mathtext (and break matplotlib's parser) is drawn as typed."""
    plots = gpd.GeoDataFrame(geometry=[box(131.2, 43.0, 131.4, 43.15)], crs="EPSG:4326")
    plots.attrs["layer_id"] = "Plots $x^{2$ & $_bad$ $$"
    points = gpd.GeoDataFrame(
        {"organization": ["A$B"], "activity": ["monitoring"], "place": ["Cost $5 $$ site"]},
        geometry=[Point(131.3, 43.1)],
        crs="EPSG:4326",
    )
    fig = plot_figure([plots, points], title="$\\frac{", subtitle="$", note="costs $3 and $4")
    for suffix in (".png", ".svg", ".pdf"):
        save_figure(fig, tmp_path / f"dollars{suffix}")
    svg = (tmp_path / "dollars.svg").read_text(encoding="utf-8")
    assert "<svg" in svg
    drawn = list(fig.findobj(lambda a: hasattr(a, "_preprocess_math")))
    shown = {t._preprocess_math(t.get_text())[0] for t in drawn if t.get_text()}  # type: ignore[attr-defined]
    assert "Plots $x^{2$ & $_bad$ $$" in shown
    assert "Cost $5 $$ site" in shown
    assert "$\\frac{" in shown
    assert not any(t._preprocess_math(t.get_text())[1] for t in drawn if "$" in t.get_text())  # type: ignore[attr-defined]


def test_bounds_zoom_and_bad_arguments() -> None:
    fig = plot_figure(["LotL"], bounds=(131.0, 42.9, 131.8, 43.5))
    (ax,) = fig.axes
    to_ea = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)
    x0, y0 = to_ea.transform(131.0, 42.9)
    x1, y1 = to_ea.transform(131.8, 43.5)
    assert ax.get_xlim()[0] <= x0 and ax.get_xlim()[1] >= x1
    assert ax.get_ylim()[0] <= y0 and ax.get_ylim()[1] >= y1
    assert ax.get_xlim()[1] - ax.get_xlim()[0] < 120_000
    with pytest.raises(UsageError, match="west < east"):
        plot_figure(["LotL"], bounds=(132, 42, 131, 43))
    with pytest.raises(UsageError, match="empty"):
        plot_figure([])
    with pytest.raises(LayerNotFoundError, match="available layers"):
        plot_figure(["no-such-layer"])


def test_draws_into_the_given_axes() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 5))
    left, right = fig.subplots(1, 2)
    returned = plot_figure(["hunchun", "activities"], ax=right, title="Hunchun")
    assert returned is fig
    assert right.get_title(loc="left") == "Hunchun"
    assert right.get_legend() is not None and not left.has_data()
    assert tuple(fig.get_size_inches()) == (10, 5)


def test_notebooks_show_the_figure_as_png() -> None:
    fig = plot_figure("kedrovaya-pad")
    png = fig._repr_png_()  # type: ignore[attr-defined]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


# --- saving -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_same_input_same_bytes(tmp_path: Path, suffix: str) -> None:
    first = save_figure(plot_figure(), tmp_path / f"a{suffix}", dpi=80).read_bytes()
    second = save_figure(plot_figure(), tmp_path / f"b{suffix}", dpi=80).read_bytes()
    assert first == second
    if suffix == ".svg":
        assert b"<dc:date>" not in first
    if suffix == ".pdf":
        assert b"/CreationDate" not in first and b"/ModDate" not in first
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"a{suffix}", f"b{suffix}"]


def test_save_refuses_bad_suffix_and_missing_folder(tmp_path: Path) -> None:
    fig = plot_figure("hunchun")
    with pytest.raises(UsageError, match=r"unsupported figure format '\.jpg'"):
        save_figure(fig, tmp_path / "map.jpg")
    with pytest.raises(UsageError, match="does not exist"):
        save_figure(fig, tmp_path / "missing" / "map.png")


def test_failed_save_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fig = plot_figure("hunchun")
    target = tmp_path / "map.png"
    target.write_bytes(b"old")

    def broken(*args: object, **kwargs: object) -> None:
        Path(args[0]).write_bytes(b"partial")  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(fig, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


# --- population chart ---------------------------------------------------------------------------


def test_population_table_keeps_sides_apart() -> None:
    counts = load_population()
    assert set(counts["side"]) == {"Russia", "China", "both sides"}
    assert counts.loc[counts["area"] == "Land of the Leopard NP", "side"].item() == "Russia"
    nctl = counts.loc[counts["area"] == "Northeast China Tiger and Leopard NP", "side"]
    assert set(nctl) == {"China"}
    minimum = counts[counts["count_high"].isna()]
    assert len(minimum) == 2 and (minimum["count_low"] > 0).all()


def test_population_chart_has_sources_ranges_and_sides() -> None:
    fig = plot_population()
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Amur leopard", "Amur tiger"]
    texts = " ".join(" ".join(t.split()) for t in _texts(fig))
    for source in load_population()["source"].unique():
        assert " ".join(str(source).split()) in texts
    assert "never add them" in texts
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Russia" in labels and "China" in labels and "Russia and China" in labels
    assert "Land of the Leopard NP (Russia)" in labels
    # one point per count; Russian and Chinese counts are separate points, never a sum
    leopard = fig.axes[0]
    points = np.concatenate([c.get_offsets() for c in leopard.collections if len(c.get_offsets())])
    assert len({(float(x), float(y)) for x, y in points}) >= 12
    assert not any(float(x) == 2015 and float(y) == 57 + 10 for x, y in points)


# --- command line -------------------------------------------------------------------------------


def test_cli_writes_a_figure(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "amur.png"
    result = run_cli("figure", "-o", str(out), "--dpi", "60")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "amurgeo: wrote" in result.stderr and " px)" in result.stderr
    assert result.stdout == ""


def test_cli_figure_errors_are_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    bad = run_cli("figure", "-o", str(tmp_path / "amur.jpg"))
    assert bad.exit_code == 2 and ".png, .svg or .pdf" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    missing = run_cli("figure", "-o", str(tmp_path / "no" / "amur.png"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    unknown = run_cli("figure", "nope", "-o", str(tmp_path / "amur.png"))
    assert unknown.exit_code == 2 and "available layers" in unknown.stderr


def test_cli_help_has_an_example(run_cli: RunCli) -> None:
    result = run_cli("figure", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "amurgeo figure" in result.stdout


def test_matplotlib_is_imported_only_for_figures() -> None:
    code = (
        "import sys, amurgeo\n"
        "from amurgeo.cli import main\n"
        "try:\n"
        "    main(['areas', 'hunchun', '--format', 'csv'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_scale_bar_lengths_are_round_numbers() -> None:
    from amurgeo.figures.cartography import nice_length

    assert [nice_length(m) for m in (73_000, 49_999, 50_000, 1_900, 260)] == [
        50_000,
        20_000,
        50_000,
        1_000,
        200,
    ]
    assert math.isclose(nice_length(9.99e5), 5e5)


def test_readme_figure_is_committed() -> None:
    """docs/amur_leopard.png: made by `amurgeo figure -o docs/amur_leopard.png --dpi 150`."""
    png = Path(__file__).resolve().parents[1] / "docs" / "amur_leopard.png"
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    assert width == 1200  # 8 inches at 150 dpi
    assert b"amurgeo (matplotlib)" in data
    assert len(data) < 600_000


def test_data_far_from_the_region_gets_its_own_equal_area_projection() -> None:
    """A survey in Germany is drawn in a LAEA centred on it: true scale, north up."""
    plots = gpd.GeoDataFrame(geometry=[box(10.0, 50.0, 10.5, 50.3)], crs="EPSG:4326")
    plots.attrs["layer_id"] = "far plots"
    fig = plot_figure(plots)
    (ax,) = fig.axes
    assert "centred on 10° E, 50° N" in _note(fig)
    assert ax.get_xlim()[1] - ax.get_xlim()[0] < 100_000  # framed on the plots
    north = next(t for t in ax.texts if t.get_text() == "N")
    assert abs((north.get_rotation() + 180) % 360 - 180) < 0.5
    labels = _legend_labels(fig)
    assert labels == ["far plots"]  # no border or coast of the Amur region to show
