"""Export to GeoPackage and GeoJSON folders, the ``amurgeo export`` command, and the progress
display that long work shows on a terminal (and never in a pipe)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from click.testing import Result
from shapely.geometry import Point, box

import amurgeo
from amurgeo._progress import Progress
from amurgeo.catalog import catalog_entries
from amurgeo.errors import UsageError
from amurgeo.export import MANIFEST, SOURCES_TABLE, export_layers

RunCli = Callable[..., Result]


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every bundled layer, exported once."""
    out = tmp_path_factory.mktemp("export") / "amur.gpkg"
    export_layers(out)
    return out


def test_geopackage_holds_every_layer_under_its_title(gpkg: Path) -> None:
    listed = pyogrio.list_layers(gpkg)
    names = [str(n) for n in listed[:, 0]]
    entries = catalog_entries()
    assert names == [e["title"] for e in entries] + [SOURCES_TABLE]
    for entry in entries:
        layer = gpd.read_file(gpkg, layer=entry["title"], engine="pyogrio")
        assert len(layer) == entry["feature_count"]
        assert layer.crs.to_epsg() == 4326
        bundled = amurgeo.load_layer(entry["id"])
        # attributes come through unchanged
        for column in [c for c in bundled.columns if c != "geometry"]:
            assert column in layer.columns
        assert layer["geometry"].geom_type.tolist() == bundled.geom_type.tolist()
        info = pyogrio.read_info(gpkg, layer=entry["title"])
        assert entry["license"] in info["layer_metadata"]["DESCRIPTION"]


def test_area_layers_carry_the_computed_areas(gpkg: Path) -> None:
    for entry in catalog_entries():
        layer = gpd.read_file(gpkg, layer=entry["title"], engine="pyogrio")
        has_areas = entry["kind"] in ("protected-area", "range")
        assert ("area_km2" in layer.columns) is has_areas
        if not has_areas:
            continue
        expected = amurgeo.area_table(entry["id"]).iloc[: len(layer)]
        for column in ("area_km2", "area_km2_low", "area_km2_high"):
            assert np.allclose(layer[column], expected[column], atol=1e-3)
        assert (layer["area_km2_low"] <= layer["area_km2"]).all()
        assert (layer["area_km2"] <= layer["area_km2_high"]).all()
    park = gpd.read_file(gpkg, layer="Land of the Leopard National Park", engine="pyogrio")
    assert 2_700 < park["area_km2"].item() < 2_900


def test_sources_table_lists_licences(gpkg: Path) -> None:
    sources = pyogrio.read_dataframe(gpkg, layer=SOURCES_TABLE)
    assert sources["id"].tolist() == [e["id"] for e in catalog_entries()]
    assert sources["license"].str.len().min() > 0
    assert "© OpenStreetMap contributors" in " ".join(sources["attribution"])
    licences = dict(zip(sources["id"], sources["license"], strict=True))
    assert licences["land-of-the-leopard"] == licences["countries"] == "ODbL-1.0"
    assert "ODbL" not in licences["activities"]
    # each layer's title in Russian and Chinese, from the catalog, as the map shows it
    zh = dict(zip(sources["id"], sources["title_zh"], strict=True))
    assert zh["leopard-range"] == "东北豹分布区"
    assert zh["kedrovaya-pad"] == "凯德罗瓦亚帕季自然保护区"
    assert sources["title_ru"].str.len().min() > 0


def test_user_layers_keep_their_own_columns(tmp_path: Path) -> None:
    blocks = gpd.GeoDataFrame(
        {"name": ["a", "b"], "area_km2": [1.0, 2.0]},
        geometry=[box(131.0, 43.0, 131.1, 43.1), box(131.1, 43.0, 131.2, 43.1)],
        crs="EPSG:4326",
    ).to_crs(32652)
    blocks.attrs["layer_id"] = "my blocks"
    cameras = gpd.GeoDataFrame(geometry=[Point(131.05, 43.05)], crs="EPSG:4326")
    cameras.attrs["layer_id"] = "my blocks"  # same name: the second gets "(2)"
    out = tmp_path / "mine.gpkg"
    written = export_layers(out, [blocks, cameras, "hunchun"])
    assert written["name"].tolist() == [
        "my blocks",
        "my blocks (2)",
        "Hunchun National Nature Reserve",
    ]
    assert written["area_columns"].tolist() == [True, False, True]
    mine = gpd.read_file(out, layer="my blocks", engine="pyogrio")
    assert mine.crs.to_epsg() == 4326
    assert mine["area_km2_input"].tolist() == [1.0, 2.0]
    assert mine["area_km2"].between(80, 100).all()  # 0.1° x 0.1° at 43° N: ~90 km²


def test_geojson_folder_and_its_manifest(tmp_path: Path) -> None:
    out = tmp_path / "layers"
    written = export_layers(out, fmt="geojson")
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted([f"{e['id']}.geojson" for e in catalog_entries()] + [MANIFEST])
    assert written["name"].tolist() == [f"{e['id']}.geojson" for e in catalog_entries()]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [layer["file"] for layer in manifest["layers"]] == written["name"].tolist()
    range_ = gpd.read_file(out / "leopard-range.geojson", engine="pyogrio")
    assert {"area_km2", "area_km2_low", "area_km2_high", "presence"} <= set(range_.columns)
    text = (out / "hunchun.geojson").read_text(encoding="utf-8")
    assert '"crs"' not in text and '"name": "Hunchun National Nature Reserve"' in text
    # an earlier export is replaced as a whole; nothing is left beside it
    export_layers(out, ["hunchun"])
    assert sorted(p.name for p in out.iterdir()) == sorted(["hunchun.geojson", MANIFEST])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]


def test_folder_that_is_not_an_export_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("do not delete", encoding="utf-8")
    with pytest.raises(UsageError, match="not an earlier amurgeo export"):
        export_layers(out, ["hunchun"], fmt="geojson")
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "do not delete"
    # an export folder that someone added a file to is not replaced either
    export_layers(tmp_path / "mine", ["hunchun"])
    (tmp_path / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not an earlier amurgeo export"):
        export_layers(tmp_path / "mine", ["hunchun"])
    empty = tmp_path / "empty"
    empty.mkdir()
    export_layers(empty, ["hunchun"])
    assert (empty / "hunchun.geojson").is_file()


@pytest.mark.parametrize(
    ("path", "fmt", "message"),
    [
        ("amur.txt", None, "cannot tell the format"),
        ("amur.geojson", "geojson", "writes a folder"),
        ("amur", "gpkg", "must end in .gpkg"),
        ("missing/amur.gpkg", None, "does not exist"),
        ("missing/folder", None, "does not exist"),
        ("amur.gpkg", "shp", "not one of"),
    ],
)
def test_bad_output_paths(tmp_path: Path, path: str, fmt: str | None, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        export_layers(tmp_path / path, ["hunchun"], fmt=fmt)
    assert list(tmp_path.iterdir()) == []


def test_failed_export_leaves_the_old_file_and_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "amur.gpkg"
    export_layers(out, ["hunchun"])
    before = out.read_bytes()
    calls = []
    original = pyogrio.write_dataframe

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(kwargs.get("layer"))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pyogrio, "write_dataframe", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        export_layers(out, ["LotL", "kedrovaya-pad"])
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["amur.gpkg"]


# --- command line -------------------------------------------------------------------------------


def test_cli_export_lists_the_layers(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "amur.gpkg"
    result = run_cli("export", "-o", str(out))
    assert result.exit_code == 0, result.output
    for entry in catalog_entries():
        assert entry["title"] in result.stdout
    assert result.stderr.startswith("amurgeo: wrote") and " MB)" in result.stderr
    # stderr is not a terminal here: no progress display, only the summary line
    assert len(result.stderr.splitlines()) == 1 and "\r" not in result.stderr


def test_cli_export_geojson_and_errors(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("export", "LotL", "-o", str(tmp_path / "layers"), "--format", "geojson")
    assert result.exit_code == 0, result.output
    assert "land-of-the-leopard.geojson" in result.stdout
    bad = run_cli("export", "-o", str(tmp_path / "amur.txt"))
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "cannot tell the format" in bad.stderr


def test_cli_export_help_has_an_example(run_cli: RunCli) -> None:
    result = run_cli("export", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "amurgeo export" in result.stdout


# --- progress on stderr -------------------------------------------------------------------------


class _Terminal(io.StringIO):
    """A stream that says it is an interactive terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with Progress("export", total=3, stream=stream) as progress:
            for name in ("hunchun", "kedrovaya-pad", "land-of-the-leopard"):
                progress.step(name)
            progress.note("writing amur.gpkg")
    assert pipe.getvalue() == ""
    shown = terminal.getvalue()
    assert "amurgeo: export 3/3 land-of-the-leopard" in shown
    assert "amurgeo: export: writing amur.gpkg" in shown
    assert "\n" not in shown  # one line, rewritten in place ...
    assert shown.endswith("\r") and shown.rstrip("\r").split("\r")[-1].strip() == ""  # ... cleared


def test_progress_survives_a_closed_terminal() -> None:
    terminal = _Terminal()
    progress = Progress("export", total=2, stream=terminal)
    terminal.close()
    progress.step("hunchun")  # a closed stream must not stop the work
    progress.close()
    assert not progress.enabled


def test_export_shows_progress_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    export_layers(tmp_path / "a.gpkg", ["hunchun", "kedrovaya-pad"])
    assert "amurgeo: export 2/2 kedrovaya-pad" in terminal.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    export_layers(tmp_path / "b.gpkg", ["hunchun", "kedrovaya-pad"])
    amurgeo.plot_figure("hunchun")
    assert pipe.getvalue() == ""


def test_figure_shows_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    amurgeo.plot_figure("hunchun")
    assert "amurgeo: figure: drawing" in terminal.getvalue()
