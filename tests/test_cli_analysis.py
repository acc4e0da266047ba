"""The analysis commands (areas, overlap, coverage, gap) in every format, run in-process."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import Result
from shapely.geometry import Polygon, box

from amurgeo._paths import geodata_dir
from amurgeo.errors import DataError

RunCli = Callable[..., Result]


def _has_geodata() -> bool:
    try:
        geodata_dir()
    except DataError:
        return False
    return True


requires_geodata = pytest.mark.skipif(not _has_geodata(), reason="geodata/ is not built yet")

#: The keys issue 3 promises in JSON output (each command may add its low-high columns).
KEYS = {
    "areas": {
        "layer",
        "feature",
        "area_km2",
        "area_km2_low",
        "area_km2_high",
        "reported_area_km2",
        "difference_pct",
        "flag",
    },
    "overlap": {
        "a",
        "b",
        "overlap_km2",
        "overlap_km2_low",
        "overlap_km2_high",
        "pct_of_a",
        "pct_of_b",
    },
    "coverage": {
        "target",
        "by",
        "country",
        "target_km2",
        "covered_km2",
        "covered_km2_low",
        "covered_km2_high",
        "covered_pct",
    },
    "gap": {"target", "by", "target_km2", "gap_km2", "gap_km2_low", "gap_km2_high", "gap_pct"},
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """Small test layers written in several formats and CRSs."""
    parks = gpd.GeoDataFrame(
        {
            "name": ["West park", "East park"],
            "reported_area_km2": [2250.0, 800.0],
            "boundary_uncertainty_km": [1.0, 2.0],
        },
        geometry=[box(131.0, 43.0, 131.5, 43.5), box(131.4, 43.1, 131.8, 43.4)],
        crs="EPSG:4326",
    )
    habitat = gpd.GeoDataFrame(
        {"name": ["habitat"]}, geometry=[box(130.5, 42.8, 132.0, 43.8)], crs="EPSG:4326"
    )
    countries = gpd.GeoDataFrame(
        {"name": ["China", "Russia"], "iso3": ["CHN", "RUS"]},
        geometry=[box(125, 40, 131.2, 48), box(131.2, 40, 137, 48)],
        crs="EPSG:4326",
    )
    out = {
        "parks": tmp_path / "parks.gpkg",
        "parks_utm": tmp_path / "parks_utm.gpkg",
        "habitat": tmp_path / "habitat.geojson",
        "habitat_kml": tmp_path / "habitat.kml",
        "countries": tmp_path / "countries.geojson",
        "noprj": tmp_path / "noprj.shp",
    }
    parks.to_file(out["parks"], engine="pyogrio")
    parks.to_crs(32652).to_file(out["parks_utm"], engine="pyogrio")
    habitat.to_file(out["habitat"], engine="pyogrio")
    habitat.to_file(out["habitat_kml"], driver="KML", engine="pyogrio")
    countries.to_file(out["countries"], engine="pyogrio")
    habitat[["geometry"]].to_crs(32652).to_file(out["noprj"], engine="pyogrio")
    out["noprj"].with_suffix(".prj").unlink()
    return {key: str(path) for key, path in out.items()}


def _commands(f: dict[str, str]) -> dict[str, list[str]]:
    return {
        "areas": ["areas", f["parks"], f["habitat"]],
        "overlap": ["overlap", f["parks"], f["habitat"], f["habitat_kml"]],
        "coverage": ["coverage", f["habitat"], "--by", f["parks"]],
        "gap": ["gap", f["habitat_kml"], "--by", f["parks"]],
    }


def _one_line_error(result: Result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("amurgeo: error:"), result.stderr
    return lines[0]


# --- every command in every format ------------------------------------------------------------


@pytest.mark.parametrize("command", ["areas", "overlap", "coverage", "gap"])
def test_json_is_flat_records_with_the_promised_keys(
    run_cli: RunCli, files: dict[str, str], command: str
) -> None:
    result = run_cli(*_commands(files)[command], "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert records and all(set(r) == KEYS[command] for r in records)
    assert all(not isinstance(v, (dict, list)) for r in records for v in r.values())


@pytest.mark.parametrize("command", ["areas", "overlap", "coverage", "gap"])
def test_csv(run_cli: RunCli, files: dict[str, str], command: str) -> None:
    result = run_cli(*_commands(files)[command], "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and set(rows[0]) == KEYS[command]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
@pytest.mark.parametrize("command", ["areas", "overlap", "coverage", "gap"])
def test_tables_state_their_units(
    run_cli: RunCli, files: dict[str, str], command: str, fmt: str
) -> None:
    result = run_cli(*_commands(files)[command], "--format", fmt)
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[0]
    assert "(km²)" in header and "%" in header
    if fmt == "markdown":
        assert header.startswith("| ") and result.stdout.splitlines()[1].startswith("|")
    assert result.stderr == ""


def test_areas_table_content(run_cli: RunCli, files: dict[str, str]) -> None:
    result = run_cli("areas", files["parks"], "--format", "json")
    records = json.loads(result.stdout)
    assert [(r["layer"], r["feature"]) for r in records] == [
        ("parks", "West park"),
        ("parks", "East park"),
        ("parks", "(all)"),
    ]
    west, east, whole = records
    assert abs(west["difference_pct"]) < 1 and not west["flag"]  # 2,255.5 vs 2,250 km²
    assert east["flag"] and east["difference_pct"] > 30  # ~1,081 km² against 800 reported
    assert east["area_km2"] == pytest.approx(800 * (1 + east["difference_pct"] / 100))
    assert whole["area_km2"] < west["area_km2"] + east["area_km2"]
    for r in records:
        assert r["area_km2_low"] < r["area_km2"] < r["area_km2_high"]


@pytest.mark.parametrize("units", ["ha", "mi2"])
def test_units(run_cli: RunCli, files: dict[str, str], units: str) -> None:
    label = {"ha": "(ha)", "mi2": "(mi²)"}[units]
    for command in _commands(files).values():
        table = run_cli(*command, "--units", units)
        assert table.exit_code == 0, table.stderr
        assert label in table.stdout.splitlines()[0]
        records = json.loads(run_cli(*command, "--units", units, "--format", "json").stdout)
        km2 = [k for k in records[0] if "km2" in k]
        assert km2 and all(k.replace("km2", units) in records[0] for k in km2)


def test_areas_in_square_miles_show_the_reported_km2_beside(
    run_cli: RunCli, files: dict[str, str]
) -> None:
    result = run_cli("areas", files["parks"], "--units", "mi2")
    header = result.stdout.splitlines()[0]
    assert "area (mi²)" in header and "reported (mi²)" in header and "reported (km²)" in header
    assert "2,250.00" in result.stdout  # the km² figure a reader may have mistaken for mi²


def test_a_file_in_another_crs_gives_the_same_answer(
    run_cli: RunCli, files: dict[str, str]
) -> None:
    lonlat = json.loads(run_cli("areas", files["parks"], "--format", "json").stdout)
    utm = json.loads(run_cli("areas", files["parks_utm"], "--format", "json").stdout)
    for a, b in zip(lonlat, utm, strict=True):
        assert a["area_km2"] == pytest.approx(b["area_km2"], rel=1e-6)
    both = run_cli("overlap", files["parks"], files["parks_utm"], "--format", "json")
    record = json.loads(both.stdout)[0]
    assert record["pct_of_a"] == pytest.approx(100, abs=1e-3)


def test_overlap_per_feature(run_cli: RunCli, files: dict[str, str]) -> None:
    result = run_cli("overlap", files["parks"], "--per-feature", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert (record["a"], record["b"]) == ("parks: West park", "parks: East park")
    assert 0 < record["pct_of_a"] < record["pct_of_b"] < 100


def test_coverage_per_country(run_cli: RunCli, files: dict[str, str]) -> None:
    args = ["coverage", files["habitat"], "--by", files["parks"], "--per-country"]
    args += ["--countries", files["countries"]]
    records = json.loads(run_cli(*args, "--format", "json").stdout)
    assert [r["country"] for r in records] == ["CHN", "RUS"]
    assert all(0 <= r["covered_pct"] <= 100 for r in records)
    table = run_cli(*args)
    assert "country" in table.stdout.splitlines()[0]
    plain = json.loads(run_cli(*args[:4], "--format", "json").stdout)
    assert plain[0]["country"] is None


def test_coverage_with_several_by_layers(run_cli: RunCli, files: dict[str, str]) -> None:
    args = ["coverage", files["habitat"], "--by", files["parks"], "--by", files["parks_utm"]]
    (record,) = json.loads(run_cli(*args, "--format", "json").stdout)
    (single,) = json.loads(
        run_cli("coverage", files["habitat"], "--by", files["parks"], "--format", "json").stdout
    )
    assert record["by"] == "parks + parks_utm"
    assert record["covered_km2"] == pytest.approx(single["covered_km2"], rel=1e-6)


def test_gap_writes_geojson(run_cli: RunCli, files: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "gap.geojson"
    result = run_cli("gap", files["habitat"], "--by", files["parks"], "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "gap (km²)" in result.stdout
    assert f"wrote {out}" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    (feature,) = data["features"]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feature["properties"]["gap_km2"] > 0
    assert gpd.read_file(out).crs.to_epsg() == 4326
    assert not list(tmp_path.glob(".gap.geojson.*")), "no temporary file left behind"


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["areas", "overlap", "coverage", "gap"])
def test_missing_file_is_exit_2(
    run_cli: RunCli, files: dict[str, str], command: str, tmp_path: Path
) -> None:
    missing = str(tmp_path / "missing.gpkg")
    args = [missing if a == files["parks"] else a for a in _commands(files)[command]]
    line = _one_line_error(run_cli(*args), 2)
    assert "missing.gpkg: file does not exist" in line


def test_file_without_crs_in_metres_is_exit_1(run_cli: RunCli, files: dict[str, str]) -> None:
    line = _one_line_error(run_cli("areas", files["noprj"]), 1)
    assert "noprj.shp: has no CRS" in line


def test_unreadable_file_is_exit_1(run_cli: RunCli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.gpkg"
    junk.write_text("not a GeoPackage", encoding="utf-8")
    assert "cannot read as a vector file" in _one_line_error(run_cli("areas", str(junk)), 1)
    assert "folder" in _one_line_error(run_cli("areas", str(tmp_path)), 2)


def test_bad_usage_is_exit_2(run_cli: RunCli, files: dict[str, str], tmp_path: Path) -> None:
    assert "--matrix" in _one_line_error(run_cli("overlap"), 2)
    assert "two or more" in _one_line_error(run_cli("overlap", files["parks"]), 2)
    assert "--by" in _one_line_error(run_cli("coverage", files["habitat"]), 2)
    assert "--by" in _one_line_error(run_cli("gap", files["habitat"]), 2)
    _one_line_error(run_cli("areas", files["parks"], "--units", "acres"), 2)
    _one_line_error(run_cli("areas", files["parks"], "--uncertainty-km", "-1"), 2)
    _one_line_error(run_cli("areas", files["parks"], "--format", "xml"), 2)
    missing_folder = str(tmp_path / "no" / "gap.geojson")
    gap = run_cli("gap", files["habitat"], "--by", files["parks"], "-o", missing_folder)
    assert "does not exist" in _one_line_error(gap, 2)


def test_debug_shows_the_traceback(run_cli: RunCli, files: dict[str, str]) -> None:
    result = run_cli("--debug", "areas", files["noprj"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "has no CRS" in result.stderr


@pytest.mark.filterwarnings("default::UserWarning")
def test_repaired_geometry_is_a_warning_on_stderr(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "bow.geojson"
    bowtie = Polygon([(131, 43), (132, 44), (132, 43), (131, 44)])
    gpd.GeoDataFrame({"name": ["Bow"]}, geometry=[bowtie], crs=4326).to_file(path)
    result = run_cli("areas", str(path))
    assert result.exit_code == 0, result.stderr
    assert "amurgeo: warning: layer 'bow', feature 'Bow': invalid geometry" in result.stderr
    assert "Bow" in result.stdout


@pytest.mark.parametrize("command", ["areas", "overlap", "coverage", "gap"])
def test_help_has_an_example(run_cli: RunCli, command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and f"amurgeo {command}" in result.stdout


# --- the bundled layers -------------------------------------------------------------------------


@requires_geodata
def test_bundled_areas_in_every_format(run_cli: RunCli) -> None:
    for fmt in ("table", "csv", "json", "markdown"):
        result = run_cli("areas", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "land-of-the-leopard" in result.stdout


@requires_geodata
def test_bundled_chinese_park_in_square_miles(run_cli: RunCli) -> None:
    result = run_cli("areas", "NCTLNP", "--units", "mi2", "--format", "json")
    record = json.loads(result.stdout)[-1]
    assert 5400 <= record["area_mi2"] <= 5650


@requires_geodata
def test_bundled_matrix_coverage_and_gap(run_cli: RunCli, tmp_path: Path) -> None:
    matrix = json.loads(run_cli("overlap", "--matrix", "--format", "json").stdout)
    assert len(matrix) == 10  # five area layers
    by = ["--by", "land-of-the-leopard", "--by", "NCTLNP"]
    per_country = run_cli("coverage", "leopard-range", *by, "--per-country", "--format", "json")
    assert {"CHN", "RUS"} <= {r["country"] for r in json.loads(per_country.stdout)}
    out = tmp_path / "gap.geojson"
    assert run_cli("gap", "leopard-range", *by, "-o", str(out)).exit_code == 0
    assert out.is_file()


@requires_geodata
def test_unknown_layer_is_exit_2(run_cli: RunCli) -> None:
    line = _one_line_error(run_cli("areas", "no-such-park"), 2)
    assert "unknown layer 'no-such-park'" in line and "hunchun" in line


def test_analysis_commands_share_one_option_block() -> None:
    """areas, overlap, coverage and gap take the same shared options, from one place."""
    import inspect

    from amurgeo.cli.analysis import areas_command, coverage_command, gap_command, overlap_command

    shared = {"units", "uncertainty_km", "fmt", "wdpa_include_status", "wdpa_include_mab"}
    helps = []
    for command in (areas_command, overlap_command, coverage_command, gap_command):
        params = {p.name: p for p in command.params}
        assert shared <= set(params), command.name
        helps.append({name: getattr(params[name], "help", None) for name in shared})
        assert "settings" in inspect.signature(command.callback).parameters, command.name
    assert all(h == helps[0] for h in helps)
