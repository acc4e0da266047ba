"""WDPA extracts: both schemas, every format Protected Planet ships, cleaning for coverage.

The files are made up (``wdpa_files.py``): WDPA terms forbid redistributing the real data.
Areas are checked against computations that do not go through amurgeo: pyproj's ``Geod`` on
the drawn geometry, and shapely overlays in a projection built here.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import MultiPoint, Point, box
from wdpa_files import (
    KEPT,
    RECORDS,
    classic_frame,
    geometry_of,
    new_frame,
    write_gdb,
    write_gpkg,
    write_shapefiles,
    write_zip,
)

from amurgeo import analysis
from amurgeo.catalog import country_outline
from amurgeo.errors import DataError, UsageError
from amurgeo.io import read_vector
from amurgeo.schema import AREA_FIELDS
from amurgeo.wdpa import (
    CIRCLE,
    WdpaCleaning,
    WdpaNote,
    is_mab,
    point_circle,
    wdpa_schema,
)

GEOD = pyproj.Geod(ellps="WGS84")
#: An equal-area projection of our own (not amurgeo's) for independent overlays.
LAEA = pyproj.CRS.from_proj4("+proj=laea +lat_0=43.5 +lon_0=131.5 +datum=WGS84 +units=m")
TO_LAEA = pyproj.Transformer.from_crs("EPSG:4326", LAEA, always_xy=True)


def geod_km2(geom: shapely.Geometry) -> float:
    """Geodesic area with edges densified (straight in lon/lat, as drawn)."""
    dense = shapely.segmentize(geom, 0.005)
    return abs(GEOD.geometry_area_perimeter(dense)[0]) / 1e6


def laea(geom: shapely.Geometry) -> shapely.Geometry:
    dense = shapely.segmentize(geom, 0.005)
    return shapely.transform(dense, lambda xy: np.column_stack(TO_LAEA.transform(*xy.T)))


def record(wid: int) -> tuple:
    return next(r for r in RECORDS if r[0] == wid)


def quiet_read(source: object, **kwargs: object) -> gpd.GeoDataFrame:
    with pytest.warns(WdpaNote):
        return read_vector(source, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Recognising and mapping
# --------------------------------------------------------------------------------------------


def test_schema_is_recognised_in_both_forms_and_not_elsewhere() -> None:
    assert wdpa_schema(classic_frame().columns) == "classic"
    assert wdpa_schema(new_frame().columns) == "2025"
    assert wdpa_schema([c.lower() for c in new_frame().columns]) == "2025"
    assert wdpa_schema(["name", "iso3", "reported_area_km2"]) is None
    assert wdpa_schema(["WDPAID"]) is None  # an id alone is not enough
    bundled = read_vector("land-of-the-leopard")
    assert "wdpa" not in bundled.attrs


@pytest.mark.parametrize("make", [classic_frame, new_frame], ids=["classic", "2025"])
def test_attributes_map_onto_the_area_schema(make: object) -> None:
    parks = quiet_read(make())  # type: ignore[operator]
    assert list(parks.columns[: len(AREA_FIELDS)]) == list(AREA_FIELDS)
    assert sorted(parks["wdpa_id"].tolist()) == sorted(KEPT)
    by_id = parks.set_index("wdpa_id")
    hills = by_id.loc[900001]
    assert hills["name"] == "Leopard Hills National Park"  # English in both schemas
    assert hills["original_name"] == record(900001)[2]
    assert hills["name_ru"] == record(900001)[2] and pd.isna(hills["name_zh"])
    assert hills["designation"] == "National Park"
    assert hills["status_year"] == 2012
    assert hills["reported_area_km2"] == 820.0
    assert hills["managed_by"] == "Ministry of Nature"
    assert hills["source"].endswith("https://www.protectedplanet.net/900001")
    assert np.isnan(hills["boundary_uncertainty_km"])  # WDPA states none: none invented
    assert hills["wdpa_geometry"] == "polygon"
    wetlands = by_id.loc[900002]
    assert wetlands["iso3"] == "RUS;CHN"
    assert wetlands["name_zh"] == "图们湿地" and pd.isna(wetlands["name_ru"])
    # the other WDPA attributes stay, without clashing with amurgeo's (a GeoPackage is
    # case-blind: NAME beside name could not be written)
    assert "IUCN_CAT" in parks.columns and "GIS_AREA" in parks.columns
    lower = [str(c).lower() for c in parks.columns]
    assert len(lower) == len(set(lower))


def test_new_schema_marks_oecms_and_missing_values() -> None:
    parks = quiet_read(new_frame())
    by_id = parks.set_index("wdpa_id")
    assert by_id.loc[900005, "site_type"] == "OECM"
    assert "OECM" in by_id.loc[900005, "notes"]
    assert parks.attrs["wdpa"].oecms == 1
    assert by_id.loc[900001, "site_type"] == "PA"


def test_zero_year_and_area_are_not_reported() -> None:
    frame = classic_frame()
    frame.loc[0, ["STATUS_YR", "REP_AREA"]] = [0, 0.0]
    parks = quiet_read(frame).set_index("wdpa_id")
    assert pd.isna(parks.loc[900001, "status_year"])
    assert np.isnan(parks.loc[900001, "reported_area_km2"])
    table = analysis.area_table(frame.iloc[[0]])
    assert np.isnan(table["reported_area_km2"].iloc[0])


# --------------------------------------------------------------------------------------------
# Cleaning (as the wdpar R package documents it)
# --------------------------------------------------------------------------------------------


def test_default_cleaning_leaves_out_what_wdpar_leaves_out() -> None:
    with pytest.warns(WdpaNote) as caught:
        parks = read_vector(classic_frame())
    assert sorted(parks["wdpa_id"].tolist()) == sorted(KEPT)
    summary = parks.attrs["wdpa"]
    assert summary.records == len(RECORDS) and summary.kept == len(KEPT)
    assert dict(summary.left_out_status) == {"Proposed": 1, "Not Reported": 1}
    assert summary.left_out_mab == 1
    assert summary.left_out_no_area == 1
    assert summary.circles == 1
    message = str(caught[0].message)
    assert "left out 4" in message and "'Proposed'" in message
    assert "UNESCO-MAB Biosphere Reserve" in message and "--wdpa-include-mab" in message
    assert "\n" not in message


def test_a_national_biosphere_reserve_is_not_a_mab_site() -> None:
    assert is_mab("UNESCO-MAB Biosphere Reserve")
    assert is_mab("Biosphere Reserve (UNESCO MAB)")
    assert not is_mab("State Nature Biosphere Reserve")
    assert not is_mab(None)
    parks = quiet_read(classic_frame())
    assert 900005 in parks["wdpa_id"].tolist()  # a zapovednik stays
    assert 900004 not in parks["wdpa_id"].tolist()


def test_what_is_left_out_can_be_kept() -> None:
    some = quiet_read(classic_frame(), wdpa=WdpaCleaning.including(["Proposed"], mab=True))
    assert {900003, 900004} <= set(some["wdpa_id"])
    assert 900008 not in set(some["wdpa_id"])  # Not Reported still out
    every = quiet_read(classic_frame(), wdpa=WdpaCleaning(keep_status=None, exclude_mab=False))
    ids = set(every["wdpa_id"])
    assert ids == {r[0] for r in RECORDS} - {900007}  # a point without an area cannot be drawn
    assert every.attrs["wdpa"].left_out_no_area == 1


def test_cleaning_options_are_checked() -> None:
    with pytest.raises(UsageError, match="'Gazetted' is not one of"):
        WdpaCleaning.including(["Gazetted"])
    with pytest.raises(UsageError, match="keep_status"):
        WdpaCleaning(keep_status="Designated")  # type: ignore[arg-type]
    assert WdpaCleaning.including(["NOT  reported"]).keep_status[-1] == "Not Reported"


def test_nothing_left_is_an_error_that_says_why() -> None:
    proposed = classic_frame().iloc[[2]]
    with pytest.raises(DataError, match=r"no record is left .* 1 'Proposed'"):
        read_vector(proposed)


# --------------------------------------------------------------------------------------------
# Point records as circles
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [0.5, 78.5, 5000.0])
def test_point_circle_has_the_reported_area_and_a_constant_radius(area: float) -> None:
    lon, lat = 130.9, 43.5
    circle = point_circle(lon, lat, area)
    assert circle.is_valid
    assert geod_km2(circle) == pytest.approx(area, rel=2e-4)
    xs, ys = np.asarray(circle.exterior.coords).T
    distances = GEOD.inv(np.full(len(xs), lon), np.full(len(xs), lat), xs, ys)[2] / 1000
    radius = math.sqrt(area / math.pi)
    assert distances.min() == pytest.approx(radius, rel=1e-3)
    assert distances.max() == pytest.approx(radius, rel=1e-3)


def test_point_records_become_marked_circles() -> None:
    parks = quiet_read(classic_frame()).set_index("wdpa_id")
    spring = parks.loc[900006]
    assert spring["wdpa_geometry"] == CIRCLE
    assert "drawn as a circle" in spring["notes"]
    assert spring.geometry.geom_type == "Polygon"
    assert spring.geometry.centroid.distance(Point(130.9, 43.5)) < 1e-4
    radius = math.sqrt(record(900006)[7] / math.pi)
    assert spring["boundary_uncertainty_km"] == pytest.approx(radius)
    assert geod_km2(spring.geometry) == pytest.approx(record(900006)[7], rel=2e-4)
    assert pd.isna(spring["managed_by"])  # "Not Reported" is no authority


def test_a_multipoint_record_shares_its_area_among_its_points() -> None:
    frame = classic_frame().iloc[[5]].copy()
    frame["geometry"] = [MultiPoint([(130.0, 43.0), (130.5, 43.0)])]
    parks = quiet_read(frame)
    geom = parks.geometry.iloc[0]
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert geod_km2(geom) == pytest.approx(record(900006)[7], rel=2e-4)


# --------------------------------------------------------------------------------------------
# What Protected Planet ships: File Geodatabase, zipped shapefiles, GeoPackage
# --------------------------------------------------------------------------------------------


def _write(kind: str, make: object, folder: Path) -> Path:
    frame = make()  # type: ignore[operator]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on field names and types
        if kind == "gpkg":
            return write_gpkg(frame, folder / "WDPA_Nov2025_Public.gpkg")
        if kind == "gdb":
            return write_gdb(frame, folder / "WDPA_Nov2025_Public.gdb")
        if kind == "zip":
            return write_zip(frame, folder / "WDPA_Nov2025_Public_shp.zip")
        if kind == "folder":
            write_shapefiles(frame, folder / "WDPA_Nov2025_Public_shp", "WDPA_Nov2025_Public")
            return folder / "WDPA_Nov2025_Public_shp"
        return write_zip(frame, folder / "WDPA_Nov2025_Public_shp_nested.zip", nested=True)


@pytest.mark.parametrize("make", [classic_frame, new_frame], ids=["classic", "2025"])
@pytest.mark.parametrize("kind", ["gpkg", "gdb", "zip", "nested-zip", "folder"])
def test_every_shipped_format_reads_polygons_and_points_together(
    kind: str, make: object, tmp_path: Path
) -> None:
    path = _write(kind, make, tmp_path)
    parks = quiet_read(path)
    assert sorted(parks["wdpa_id"].tolist()) == sorted(KEPT)
    assert parks.attrs["wdpa"].records == len(RECORDS)
    by_id = parks.set_index("wdpa_id")
    assert by_id.loc[900006, "wdpa_geometry"] == CIRCLE
    assert by_id.loc[900002, "iso3"] == "RUS;CHN"
    assert by_id.loc[900001, "name"] == "Leopard Hills National Park"
    assert by_id.loc[900001, "name_ru"] == record(900001)[2]
    assert by_id.loc[900001, "reported_area_km2"] == 820.0
    assert by_id.loc[900001, "status_year"] == 2012


def test_a_single_shapefile_of_points_is_read_alone(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_shapefiles(classic_frame(), tmp_path, "WDPA_RUS_shp")
    points = quiet_read(tmp_path / "WDPA_RUS_shp-points.shp")
    assert points["wdpa_id"].tolist() == [900006]
    assert points.geom_type.tolist() == ["Polygon"]


def test_one_layer_can_still_be_chosen(tmp_path: Path) -> None:
    path = _write("gpkg", classic_frame, tmp_path)
    with pytest.warns(WdpaNote):
        points = read_vector(f"{path}::WDPA_point_Nov2025")
    assert points["wdpa_id"].tolist() == [900006]


# --------------------------------------------------------------------------------------------
# Areas, coverage, gaps and overlaps, against independent computation
# --------------------------------------------------------------------------------------------


@pytest.fixture
def wdpa_gpkg(tmp_path: Path) -> Path:
    return _write("gpkg", classic_frame, tmp_path)


def test_area_table_compares_with_the_reported_area(wdpa_gpkg: Path) -> None:
    with pytest.warns(WdpaNote):
        table = analysis.area_table(str(wdpa_gpkg))
    rows = table.set_index("feature")
    hills = rows.loc["Leopard Hills National Park"]
    expected = geod_km2(geometry_of(900001))
    assert hills["area_km2"] == pytest.approx(expected, rel=1e-4)
    assert hills["reported_area_km2"] == 820.0
    assert hills["difference_pct"] == pytest.approx(100 * (expected - 820) / 820, rel=1e-3)
    assert hills["area_km2_low"] == hills["area_km2"] == hills["area_km2_high"]
    spring = rows.loc["Tiger Spring"]  # a circle: its radius is its uncertainty
    assert spring["area_km2"] == pytest.approx(record(900006)[7], rel=2e-4)
    assert spring["area_km2_low"] == 0.0
    assert spring["area_km2_high"] == pytest.approx(4 * record(900006)[7], rel=2e-2)
    assert set(table.attrs["wdpa"]) == {"WDPA_Nov2025_Public"}


def test_coverage_counts_only_what_is_in_force(wdpa_gpkg: Path) -> None:
    target = gpd.GeoDataFrame(geometry=[box(130.2, 42.4, 131.4, 43.8)], crs=4326)
    target.attrs["layer_id"] = "range"
    with pytest.warns(WdpaNote):
        row = analysis.coverage(target, by=str(wdpa_gpkg)).iloc[0]
    kept = [geometry_of(i) for i in KEPT if i != 900006]
    circle = point_circle(130.9, 43.5, record(900006)[7])
    union = shapely.union_all([laea(g) for g in [*kept, circle]])
    target_ea = laea(target.geometry.iloc[0])
    expected = shapely.intersection(target_ea, union).area / 1e6
    assert row["covered_km2"] == pytest.approx(expected, rel=1e-3)
    assert row["target_km2"] == pytest.approx(geod_km2(target.geometry.iloc[0]), rel=1e-4)
    # with Proposed records kept, the proposed reserve (inside the target) counts too
    with pytest.warns(WdpaNote):
        more = analysis.coverage(
            target, by=str(wdpa_gpkg), wdpa=WdpaCleaning.including(["Proposed"])
        ).iloc[0]
    added = shapely.intersection(target_ea, laea(geometry_of(900003))).area / 1e6
    assert more["covered_km2"] - row["covered_km2"] == pytest.approx(added, rel=1e-3)


def test_gap_and_overlap_read_wdpa_the_same_way(wdpa_gpkg: Path) -> None:
    target = gpd.GeoDataFrame(geometry=[box(131.0, 43.0, 131.6, 43.3)], crs=4326)
    with pytest.warns(WdpaNote):
        result = analysis.gap(target, by=str(wdpa_gpkg))
    covered = shapely.union_all([laea(geometry_of(900001)), laea(geometry_of(900005))])
    target_ea = laea(target.geometry.iloc[0])
    expected = shapely.difference(target_ea, covered).area / 1e6
    assert result["gap_km2"].iloc[0] == pytest.approx(expected, rel=1e-3)
    assert result.attrs["wdpa"]["WDPA_Nov2025_Public"].kept == len(KEPT)
    with pytest.warns(WdpaNote):
        pairs = analysis.overlap_matrix(str(wdpa_gpkg), per_feature=True)
    assert len(pairs) == len(KEPT) * (len(KEPT) - 1) // 2
    # the zapovednik touches the national park along an edge, and no record overlaps
    assert pairs["overlap_km2"].max() == pytest.approx(0.0, abs=1e-6)


def test_a_transboundary_site_grows_within_both_countries() -> None:
    both = country_outline("RUS;CHN")
    assert both is not None and country_outline("RUS;USA") is None
    rus, chn = country_outline("RUS"), country_outline("CHN")
    assert both.area == pytest.approx(shapely.union_all([rus, chn]).area, rel=1e-9)
    # a site across the Russia-China border, near the coast and North Korea
    site = box(130.55, 42.45, 130.75, 42.7)
    frame = classic_frame().iloc[[1]].copy()
    frame["geometry"] = [site]
    table = analysis.area_table(frame, uncertainty_km=5.0)  # nothing left out: no note
    high = table["area_km2_high"].iloc[0]
    expected = shapely.intersection(laea(site).buffer(5000, quad_segs=16), laea(both)).area / 1e6
    assert high == pytest.approx(expected, rel=5e-3)
    assert high < laea(site).buffer(5000, quad_segs=16).area / 1e6  # not into sea or Korea
    only_russia = frame.assign(ISO3="RUS")
    table_rus = analysis.area_table(only_russia, uncertainty_km=5.0)
    assert table_rus["area_km2_high"].iloc[0] < high  # one country holds it in more


# --------------------------------------------------------------------------------------------
# Command line (its warnings are lines on stderr, not errors)
# --------------------------------------------------------------------------------------------

cli_warnings = pytest.mark.filterwarnings("default::UserWarning")


@cli_warnings
def test_cli_areas_shows_names_reported_areas_and_a_note(run_cli, wdpa_gpkg: Path) -> None:
    result = run_cli("areas", str(wdpa_gpkg), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "Leopard Hills National Park" in result.stdout
    assert "Khanka" not in result.stdout and "Hunchun Extension" not in result.stdout
    line = next(r for r in result.stdout.splitlines() if r.startswith("WDPA_Nov2025_Public,Leo"))
    assert ",820.0," in line or ",820," in line
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("amurgeo: warning: ")
    assert "left out 4" in notes[0]


@cli_warnings
def test_cli_options_keep_what_is_left_out(run_cli, wdpa_gpkg: Path) -> None:
    result = run_cli(
        "areas",
        str(wdpa_gpkg),
        "--wdpa-include-status",
        "proposed",
        "--wdpa-include-status",
        "Not Reported",
        "--wdpa-include-mab",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    for name in ("Hunchun Extension", "Khanka Biosphere Reserve", "Old Survey Block"):
        assert name in result.stdout
    assert "left out 1:" in result.stderr  # the point without an area
    everything = run_cli(
        "coverage", "leopard-range", "--by", str(wdpa_gpkg), "--wdpa-include-status", "all"
    )
    assert everything.exit_code == 0, everything.stderr


@pytest.mark.parametrize("command", ["coverage", "gap"])
@cli_warnings
def test_cli_coverage_and_gap_take_wdpa_files(run_cli, wdpa_gpkg: Path, command: str) -> None:
    result = run_cli(command, "leopard-range", "--by", str(wdpa_gpkg), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "WDPA extract" in result.stderr


@cli_warnings
def test_cli_overlap_takes_wdpa_files(run_cli, wdpa_gpkg: Path) -> None:
    result = run_cli("overlap", str(wdpa_gpkg), "LotL", "--wdpa-include-mab")
    assert result.exit_code == 0, result.stderr
    assert "WDPA_Nov2025_Public" in result.stdout


def _one_error_line(result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.strip().splitlines() if "warning" not in line]
    assert len(lines) == 1 and lines[0].startswith("amurgeo: error:"), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@cli_warnings
def test_cli_non_numeric_rep_area_is_one_line(run_cli, tmp_path: Path) -> None:
    frame = classic_frame()
    frame["REP_AREA"] = frame["REP_AREA"].astype(object)
    frame.loc[1, "REP_AREA"] = "about 200"
    path = tmp_path / "wdpa_bad.geojson"
    frame.to_file(path)
    line = _one_error_line(run_cli("areas", str(path)), 1)
    assert str(path) in line and "'Tumen Wetlands'" in line
    assert "REP_AREA is 'about 200'; expected the reported area in km²" in line


@cli_warnings
def test_cli_negative_rep_area_and_bad_year_are_one_line(run_cli, tmp_path: Path) -> None:
    frame = classic_frame()
    frame.loc[0, "REP_AREA"] = -5.0
    path = tmp_path / "negative.gpkg"
    frame.to_file(path)
    assert "expected the reported area in km² (a number >= 0)" in _one_error_line(
        run_cli("areas", str(path)), 1
    )
    frame = classic_frame()
    frame["STATUS_YR"] = frame["STATUS_YR"].astype(object)
    frame.loc[0, "STATUS_YR"] = "nineteen"
    path = tmp_path / "year.geojson"
    frame.to_file(path)
    assert "STATUS_YR is 'nineteen'; expected a year" in _one_error_line(
        run_cli("coverage", "leopard-range", "--by", str(path)), 1
    )


@cli_warnings
def test_cli_nothing_left_and_bad_status_fail_cleanly(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "proposed.gpkg"
    classic_frame().iloc[[2]].to_file(path)
    assert "no record is left" in _one_error_line(run_cli("areas", str(path)), 1)
    result = run_cli("areas", str(path), "--wdpa-include-status", "Gazetted")
    assert "--wdpa-include-status" in _one_error_line(result, 2)


@cli_warnings
def test_readme_shows_the_real_output_on_the_made_up_file(run_cli, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = write_gpkg(classic_frame(), tmp_path / "WDPA_sample.gpkg")
    result = run_cli("areas", str(path), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using WDPA extracts", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    assert table == result.stdout.strip().splitlines()
    note = result.stderr.strip().replace(str(path), "WDPA_sample.gpkg")
    assert note in section
