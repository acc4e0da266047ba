"""Observations: reading, counting per area and country, partitions, density maps, simplification.

All data is generated here, small and seeded; the same code paths run on millions of points
in ``benchmarks/bench_scale.py``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import Result
from shapely.geometry import Point

import amurgeo
from amurgeo.catalog import catalog_entries, load_layer
from amurgeo.errors import DataError, UsageError
from amurgeo.maps import build_map, hexagons, map_html, simplify
from amurgeo.measure import geodesic_area_km2
from amurgeo.observations import (
    ANY_PROTECTED,
    NO_COUNTRY,
    OUTSIDE_PROTECTION,
    count_observations,
    load_observations,
    observation_density,
    read_observations,
    species_key,
)
from amurgeo.observations.hexbin import bin_hexagons, project_points

RunCli = Callable[..., Result]
SPECIES = ["Amur leopard", "Amur tiger", "Sika deer"]
PROTECTED = [e["id"] for e in catalog_entries() if e["kind"] == "protected-area"]


def observations(count: int = 1500, seed: int = 3) -> pd.DataFrame:
    """Points over the parks (denser in Kedrovaya Pad), a few far away, with species."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(129.3, 132.2, count)
    lat = rng.uniform(42.2, 44.4, count)
    lon[:100] = rng.uniform(131.45, 131.58, 100)  # inside Kedrovaya Pad
    lat[:100] = rng.uniform(43.03, 43.15, 100)
    lon[100:105] = [135.5, 128.0, 131.0, 133.9, 126.5]  # sea, far inland, ...
    lat[100:105] = [42.0, 46.9, 41.0, 46.0, 40.2]
    species = rng.choice(np.array(SPECIES, dtype=object), count)
    species[105:110] = None
    return pd.DataFrame({"lon": lon.round(6), "lat": lat.round(6), "species": species})


def brute_force(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Counts by area, with one Python predicate per point and region."""
    points = [Point(x, y) for x, y in zip(frame["lon"], frame["lat"], strict=True)]
    keys = [species_key(s) for s in frame["species"]]
    regions = {a: shapely.union_all(load_layer(a).geometry.values) for a in PROTECTED}
    countries = load_layer("countries")
    for code in sorted(set(countries["iso3"])):
        regions[code] = shapely.union_all(countries.loc[countries["iso3"] == code].geometry.values)
    inside = {name: [geom.intersects(p) for p in points] for name, geom in regions.items()}
    inside[ANY_PROTECTED] = [any(inside[a][i] for a in PROTECTED) for i in range(len(points))]
    inside[OUTSIDE_PROTECTION] = [not v for v in inside[ANY_PROTECTED]]
    codes = sorted(set(countries["iso3"]))
    inside[NO_COUNTRY] = [not any(inside[c][i] for c in codes) for i in range(len(points))]
    out: dict[str, dict[str, int]] = {}
    for name, flags in inside.items():
        row = {"count": sum(flags)}
        for key in sorted(set(keys)):
            row[f"count_{key}"] = sum(f and k == key for f, k in zip(flags, keys, strict=True))
        out[name] = row
    country_rows = [*codes, NO_COUNTRY]
    return {k: v for k, v in out.items() if k not in country_rows or v["count"]}  # none: no row


def as_dict(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    counts = [c for c in table.columns if c.startswith("count")]
    return {
        row["area"]: {c: int(row[c]) for c in counts} for row in table.to_dict(orient="records")
    }


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return observations()


@pytest.fixture(scope="module")
def expected(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    return brute_force(frame)


# --- counting ---------------------------------------------------------------------------------


def test_counts_match_a_brute_force_check(frame: pd.DataFrame, expected: dict) -> None:
    table = count_observations(frame)
    assert as_dict(table) == expected
    assert list(table["area"]) == [
        *PROTECTED,
        ANY_PROTECTED,
        OUTSIDE_PROTECTION,
        # CHN, JPN, KOR, MNG, PRK, RUS: those with an observation
        *(c for c in sorted(set(load_layer("countries")["iso3"])) if c in expected),
        NO_COUNTRY,
    ]
    assert {"CHN", "PRK", "RUS", NO_COUNTRY} <= set(table["area"])
    assert list(table.columns[:4]) == ["area", "kind", "count", "pct"]
    assert [c for c in table.columns if c.startswith("count_")] == [
        "count_amur_leopard",
        "count_amur_tiger",
        "count_sika_deer",
        "count_unspecified",
    ]


def test_inside_and_outside_add_up_while_areas_overlap(frame: pd.DataFrame) -> None:
    table = count_observations(frame).set_index("area")
    total = len(frame)
    assert table.loc[ANY_PROTECTED, "count"] + table.loc[OUTSIDE_PROTECTION, "count"] == total
    # Kedrovaya Pad lies inside Land of the Leopard: its points are counted in both
    assert table.loc["kedrovaya-pad", "count"] >= 50
    assert table.loc[PROTECTED, "count"].sum() > table.loc[ANY_PROTECTED, "count"]
    countries = table[table["kind"] == "country"]["count"]
    assert countries.sum() == total  # no point lies on a border here
    assert table.loc[NO_COUNTRY, "count"] >= 4
    assert table["pct"].loc[ANY_PROTECTED] == pytest.approx(
        100 * table.loc[ANY_PROTECTED, "count"] / total
    )


def test_user_areas_and_no_countries(frame: pd.DataFrame) -> None:
    box = gpd.GeoDataFrame(geometry=[shapely.box(131.0, 43.0, 131.5, 43.5)], crs=4326)
    box.attrs["layer_id"] = "study-area"
    table = count_observations(frame, areas=[box], countries=None)
    # a user's layer is an area, not a protected area (issue 13)
    assert list(table["area"]) == ["study-area", "(inside any area)", "(outside the areas)"]
    assert table["kind"].tolist() == ["area", "inside", "outside"]
    inside = (frame["lon"].between(131.0, 131.5) & frame["lat"].between(43.0, 43.5)).sum()
    assert table["count"].iloc[0] == inside


def test_species_keys() -> None:
    assert species_key("Amur leopard") == species_key("amur-leopard") == "amur_leopard"
    assert species_key("Panthera pardus orientalis") == "panthera_pardus_orientalis"
    assert species_key("Дальневосточный леопард") == "дальневосточный_леопард"
    assert species_key("  ") == species_key(None) == species_key(float("nan")) == "unspecified"


# --- reading ----------------------------------------------------------------------------------


def test_csv_with_odd_column_names(tmp_path: Path, frame: pd.DataFrame, expected: dict) -> None:
    odd = frame.rename(columns={"lon": " Longitude ", "lat": "LAT", "species": "Species"})
    path = tmp_path / "traps.csv"
    odd.to_csv(path, index=False, encoding="utf-8-sig")  # with a byte-order mark, as Excel
    table = count_observations(path)
    assert as_dict(table) == expected
    gdf = read_observations(path)
    assert gdf.attrs["lon_col"] == " Longitude " and gdf.attrs["lat_col"] == "LAT"
    assert gdf.attrs["species_col"] == "Species"
    assert len(gdf) == len(frame)


def test_semicolon_csv_with_decimal_commas(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "fixes.csv"
    text = frame[["lon", "lat"]].astype(str).apply(lambda c: c.str.replace(".", ",", regex=False))
    text.rename(columns={"lon": "location-long", "lat": "location-lat"}).to_csv(
        path, sep=";", index=False
    )
    gdf = read_observations(path)
    assert gdf.attrs["lon_col"] == "location-long"
    np.testing.assert_allclose(gdf.geometry.x, frame["lon"])
    np.testing.assert_allclose(gdf.geometry.y, frame["lat"])
    assert "species" not in gdf.columns


def test_columns_named_explicitly(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "named.tsv"
    frame.rename(columns={"lon": "E", "lat": "N"}).to_csv(path, sep="\t", index=False)
    with pytest.raises(DataError, match=r"named\.tsv: no longitude column found"):
        read_observations(path)
    gdf = read_observations(path, lon_col="e", lat_col="N")  # case forgiven
    assert len(gdf) == len(frame)


def test_parquet_and_geoparquet_give_the_same_counts(
    tmp_path: Path, frame: pd.DataFrame, expected: dict
) -> None:
    plain = tmp_path / "plain.parquet"
    frame.to_parquet(plain)
    geo = tmp_path / "geo.parquet"
    points = gpd.GeoDataFrame(
        frame[["species"]], geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    )
    points.to_crs(32652).to_parquet(geo)  # another CRS: reprojected on reading
    assert as_dict(count_observations(plain)) == expected
    assert as_dict(count_observations(geo)) == expected


def test_vector_file_of_points(tmp_path: Path, frame: pd.DataFrame, expected: dict) -> None:
    path = tmp_path / "points.gpkg"
    gpd.GeoDataFrame(
        frame[["species"]], geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    ).to_file(path)
    assert as_dict(count_observations(path)) == expected


def test_projected_coordinates_need_a_crs(tmp_path: Path, frame: pd.DataFrame) -> None:
    utm = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326).to_crs(32652)
    path = tmp_path / "utm.csv"
    pd.DataFrame({"x": utm.x, "y": utm.y}).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"utm\.csv: .* not lon/lat degrees; give their CRS"):
        read_observations(path)
    gdf = read_observations(path, crs="EPSG:32652")
    np.testing.assert_allclose(gdf.geometry.x, frame["lon"], atol=1e-7)


def test_bad_rows_are_dropped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "messy.csv"
    path.write_text(
        "lat,lon\n43.1,131.5\n,131.2\n43.2,abc\n95,131.0\n0,0\n43.3,131.4\n", encoding="utf-8"
    )
    with pytest.warns(UserWarning, match=r"messy\.csv: dropped 4 of 6 observations"):
        table = count_observations(path)
    assert table.attrs == {"rows": 6, "dropped": 4, "counted": 2}
    assert table.set_index("area").loc[ANY_PROTECTED:OUTSIDE_PROTECTION, "count"].sum() == 2


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("lat,lon\n43,131\n", ["--lon-col", "east"], "has no longitude column 'east'"),
        ("lat,lon,site\n43,131,a\n", ["--lon-col", "site"], "column 'site' is not numeric"),
        ("latitude,name\n43,a\n", [], "no longitude column found"),
        ("lat,lon\nnorth,east\n", [], "column 'lon' is not numeric"),
    ],
)
def test_bad_columns_are_one_line_errors_exit_1(
    run_cli: RunCli, tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    path = tmp_path / "cams.csv"
    path.write_text(content, encoding="utf-8")
    result = run_cli("observations", str(path), *args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("amurgeo: error: ")
    assert str(path) in lines[0] and message in lines[0]


def test_cli_json_records(run_cli: RunCli, tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "detections.csv"
    frame.to_csv(path, index=False)
    result = run_cli("observations", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert records[0]["area"] == PROTECTED[0]
    assert {"area", "kind", "count", "pct", "count_amur_leopard"} <= set(records[0])
    assert f"{len(frame):,} observations counted" in result.stderr
    table = run_cli("observations", str(path))
    assert table.exit_code == 0 and "(outside protection)" in table.stdout


def test_cli_missing_file_is_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("observations", str(tmp_path / "none.csv"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def _blocks(path: Path) -> Path:
    """Two survey blocks west and east of 131.3 E (over Land of the Leopard)."""
    blocks = gpd.GeoDataFrame(
        {"block": ["W", "E"]},
        geometry=[shapely.box(130.5, 42.5, 131.3, 43.5), shapely.box(131.3, 42.5, 132.0, 43.5)],
        crs="EPSG:4326",
    )
    blocks.to_file(path, driver="GeoJSON")
    return path


@pytest.mark.filterwarnings("default::UserWarning")
def test_cli_area_given_twice_is_counted_once(
    run_cli: RunCli, tmp_path: Path, frame: pd.DataFrame
) -> None:
    points = tmp_path / "det.csv"
    frame.to_csv(points, index=False)
    blocks = _blocks(tmp_path / "blocks.geojson")
    args = ["--per-feature", "--name-col", "block", "--format", "json"]
    once = run_cli("observations", str(points), "--area", str(blocks), *args)
    assert once.exit_code == 0, once.stderr
    again = os.path.join(tmp_path, ".", "blocks.geojson")  # the same file, written another way
    twice = run_cli("observations", str(points), "--area", str(blocks), "--area", again, *args)
    assert twice.exit_code == 0, twice.stderr
    assert json.loads(twice.stdout) == json.loads(once.stdout)
    counts = {r["area"]: r["count"] for r in json.loads(twice.stdout)}
    inside = (frame["lon"].between(130.5, 132.0) & frame["lat"].between(42.5, 43.5)).sum()
    assert counts["W"] + counts["E"] == inside and set(counts) >= {"W", "E"}
    warning = [line for line in twice.stderr.splitlines() if "more than once" in line]
    assert len(warning) == 1 and "blocks.geojson" in warning[0]


def test_two_area_files_with_one_name_are_refused(tmp_path: Path, frame: pd.DataFrame) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _blocks(tmp_path / "a" / "blocks.geojson")
    second = _blocks(tmp_path / "b" / "blocks.geojson")
    with pytest.raises(UsageError, match="both named 'blocks'"):
        count_observations(frame, areas=[first, second], countries=None)
    with pytest.warns(UserWarning, match="more than once"):
        table = count_observations(frame, areas=["kedrovaya-pad", "kedrovaya-pad"], countries=None)
    assert table["area"].tolist().count("kedrovaya-pad") == 1


# --- partitioned directories (read piece by piece) ---------------------------------------


def _partitioned(tmp_path: Path, frame: pd.DataFrame, geo: bool) -> Path:
    folder = tmp_path / ("geo_parts" if geo else "parts")
    folder.mkdir()
    size = -(-len(frame) // 4)
    for i, part in enumerate(frame.iloc[k : k + size] for k in range(0, len(frame), size)):
        if geo:
            gpd.GeoDataFrame(
                part[["species"]],
                geometry=gpd.points_from_xy(part["lon"], part["lat"]),
                crs=4326,
            ).to_parquet(folder / f"part.{i}.parquet")
        else:
            sub = folder / f"year={2020 + i}"
            sub.mkdir()
            part.to_parquet(sub / "part.0.parquet")
    return folder


@pytest.mark.parametrize("geo", [False, True], ids=["parquet", "geoparquet"])
def test_partitioned_directory_matches_in_memory(
    tmp_path: Path, frame: pd.DataFrame, geo: bool
) -> None:
    folder = _partitioned(tmp_path, frame, geo)
    in_memory = count_observations(frame)
    partitioned = count_observations(folder)
    pd.testing.assert_frame_equal(partitioned, in_memory, check_like=False)
    gdf = read_observations(folder)
    assert len(gdf) == len(frame)


def test_partitioned_directory_warns_once_about_bad_rows(tmp_path: Path) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    pd.DataFrame({"lon": [131.5, np.nan], "lat": [43.1, 43.0]}).to_parquet(folder / "a.parquet")
    pd.DataFrame({"lon": [131.4, 200.0], "lat": [43.1, 43.0]}).to_parquet(folder / "b.parquet")
    with pytest.warns(UserWarning, match="dropped 2 of 4 observations"):
        table = count_observations(folder)
    assert table.attrs == {"rows": 4, "dropped": 2, "counted": 2}


def test_partitioned_directory_needs_no_dask_but_a_scheduler_does(
    tmp_path: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    folder = _partitioned(tmp_path, frame, geo=False)
    for name in ("dask", "dask_geopandas", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    assert int(count_observations(folder, workers=1)["count"].iloc[-1]) >= 0
    with pytest.raises(UsageError, match=r"dask\.distributed.*amurgeo\[dask\]"):
        count_observations(folder, scheduler="tcp://127.0.0.1:8786")


# --- hexagons ---------------------------------------------------------------------------------


def test_every_point_lies_in_its_hexagon(frame: pd.DataFrame) -> None:
    points = load_observations(frame)
    x, y = project_points(points)
    hexes = bin_hexagons(x, y, 5000.0, points.species)
    assert hexes.count.sum() == len(frame)
    lon, lat = hexes.vertices_lonlat()
    rings = np.stack([lon, lat], axis=-1)
    polygons = shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))
    assert shapely.is_valid(polygons).all()
    tree = shapely.STRtree(polygons)
    found = tree.query(shapely.points(points.lon, points.lat), predicate="intersects")
    per_point = np.bincount(found[0], minlength=len(frame))
    assert (per_point >= 1).all()  # every point is in a hexagon (two on a shared edge)
    per_hex = np.bincount(found[1], minlength=len(polygons))
    assert (per_hex >= hexes.count).all()
    assert sum(v.sum() for v in hexes.species.values()) == len(frame)


def test_observation_density_frame(frame: pd.DataFrame) -> None:
    hexes = observation_density(frame, size_km=10)
    assert hexes["count"].sum() == len(frame)
    assert {"count", "per_km2", "size_km", "count_amur_leopard"} <= set(hexes.columns)
    area = geodesic_area_km2(hexes.geometry.iloc[0])
    assert area == pytest.approx(np.sqrt(3) / 2 * 100, rel=2e-3)  # equal area, 10 km across
    with pytest.raises(UsageError, match="size_km"):
        observation_density(frame, size_km=0)


# --- maps -------------------------------------------------------------------------------------


def _obs_map_page(source: object, **kwargs: object) -> str:
    return map_html(
        build_map(["land-of-the-leopard"], observations=source, minimap=False, **kwargs)
    )


def test_map_draws_hexagons_not_points_and_is_deterministic(frame: pd.DataFrame) -> None:
    many = observations(20_000, seed=9)
    page_small = _obs_map_page(frame)
    page_many = _obs_map_page(many)
    assert page_many == _obs_map_page(many)  # same bytes
    assert "amurgeo.hexLayer" in page_many and "L.canvas" in page_many
    assert "markerClusterGroup" not in page_many.split("amurgeo.hexLayer = ")[0][-200:]
    spec = _density_spec(page_many)
    cells = [len(level["cells"]) // level["stride"] for level in spec["levels"]]
    # the coarsest level is sized for the screen (about 12 px a hexagon), then finer ones
    assert cells[0] <= hexagons.HEX_LEVEL_BUDGET and sum(cells) <= hexagons.HEX_TOTAL_BUDGET
    assert spec["points"] == len(many)
    assert [lv["sizeM"] for lv in spec["levels"]] == sorted(
        (lv["sizeM"] for lv in spec["levels"]), reverse=True
    )
    assert len(page_small) < len(page_many)
    assert re.search(r"\d{2,}\.\d{5}\d", page_many) is None  # 5-decimal coordinates


def _density_spec(page: str) -> dict:
    start = page.index("amurgeo.hexLayer(")
    text = page[page.index(", ", start) + 2 :]
    return json.JSONDecoder().raw_decode(text)[0]  # type: ignore[no-any-return]


def test_map_escapes_observation_names(tmp_path: Path) -> None:
    payload = "<img src=x onerror=alert(1)>"
    table = observations(300)
    table["species"] = [payload, "tiger", "leopard"] * 100
    path = tmp_path / f"{payload.replace('/', '')}.csv"
    table.to_csv(path, index=False)
    page = _obs_map_page(path)
    assert payload not in page
    # escaped as HTML, then as JSON inside the script
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page


def test_map_with_observations_self_contained(frame: pd.DataFrame) -> None:
    try:
        page = _obs_map_page(frame, self_contained=True)
    except DataError as exc:  # no npm at install time: covered by test_maps
        pytest.skip(f"self-contained maps unavailable here: {exc}")
    assert "amurgeo.hexLayer" in page and 'src="https://' not in page


def test_cli_map_with_observations(run_cli: RunCli, tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "cams.csv"
    frame.rename(columns={"lon": "E", "lat": "N"}).to_csv(path, index=False)
    out = tmp_path / "map.html"
    result = run_cli(
        "map",
        "LotL",
        "--observations",
        str(path),
        "--lon-col",
        "E",
        "--lat-col",
        "N",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert "amurgeo.hexLayer" in out.read_text(encoding="utf-8")
    bad = run_cli("map", "LotL", "--lon-col", "E", "-o", str(out))
    assert bad.exit_code == 2 and "need --observations" in bad.stderr


# --- detailed boundaries ----------------------------------------------------------------------


def detailed_layer(vertices_each: int = 30_000, seed: int = 5) -> gpd.GeoDataFrame:
    """Three wiggly polygons with `vertices_each` vertices each."""
    rng = np.random.default_rng(seed)
    theta = np.linspace(0, 2 * np.pi, vertices_each, endpoint=False)
    polygons = []
    for x, y in ((130.6, 43.6), (131.2, 43.9), (130.2, 43.0)):
        k = np.arange(1, 120)
        amp = rng.uniform(0, 1, k.size) * 0.2 / k
        phase = rng.uniform(0, 2 * np.pi, k.size)
        f = 1 + (amp[:, None] * np.sin(k[:, None] * theta + phase[:, None])).sum(0)
        polygons.append(
            shapely.Polygon(
                np.column_stack([x + 0.2 * f * np.cos(theta), y + 0.15 * f * np.sin(theta)])
            )
        )
    gdf = gpd.GeoDataFrame({"name": ["a", "b", "c"]}, geometry=polygons, crs=4326)
    gdf.attrs["layer_id"] = "detailed"
    return gdf


def test_detailed_layer_is_drawn_simplified_and_measured_in_full() -> None:
    layer = detailed_layer()
    full_area = geodesic_area_km2(layer.geometry.iloc[0])
    result = simplify.simplify_for_drawing(layer.geometry.values)
    assert result is not None and not result.coverage
    assert result.drawn_vertices <= simplify.DRAW_VERTICES < result.vertices
    assert abs(result.area_diff_pct) <= 0.5
    drawn = [geodesic_area_km2(g) for g in result.geoms]
    full = [geodesic_area_km2(g) for g in layer.geometry]
    assert sum(drawn) == pytest.approx(sum(full), rel=5e-3)
    page = map_html(build_map([layer], minimap=False, overlaps=False))
    assert "drawn simplified to" in page and "areas and overlaps use the full detail" in page
    # the popup states the area of the full-detail polygon
    assert f"{full_area:,.0f} km²" in page
    unsimplified = map_html(build_map([layer], minimap=False, overlaps=False, simplify=False))
    assert len(page) < len(unsimplified) / 4


def test_small_layers_are_drawn_as_they_are() -> None:
    small = detailed_layer(vertices_each=500)
    assert simplify.simplify_for_drawing(small.geometry.values) is None
    page = map_html(build_map([small], minimap=False))
    assert "drawn simplified" not in page


def test_coverage_keeps_shared_edges() -> None:
    # a 6 x 6 grid of cells with wiggly shared edges: vertices exactly shared
    xs = np.linspace(130.0, 131.5, 7)
    ys = np.linspace(42.8, 43.9, 7)
    cells = []
    for i in range(6):
        for j in range(6):
            cells.append(shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]))
    dense = shapely.segmentize(np.array(cells), 0.0005)
    dense = shapely.transform(dense, lambda xy: np.round(xy, 7))

    def wiggle(xy: np.ndarray) -> np.ndarray:
        # smooth, gentle and zero on the frame: shared vertices move together, nothing folds
        fade = np.sin(np.pi * (xy[:, 0] - 130.0) / 1.5) * np.sin(np.pi * (xy[:, 1] - 42.8) / 1.1)
        shift = 0.002 * np.sin(xy[:, 0] * 150) * np.cos(xy[:, 1] * 120) * fade
        return np.column_stack([xy[:, 0] + shift, xy[:, 1] - shift])

    grid = shapely.transform(dense, wiggle)
    assert shapely.coverage_is_valid(grid)
    result = simplify.simplify_for_drawing(grid, max_vertices=20_000)
    assert result is not None and result.coverage
    assert abs(result.area_diff_pct) <= 0.5
    simplified = np.array(result.geoms, dtype=object)
    assert shapely.coverage_is_valid(simplified)  # neighbours still meet without gaps


def test_one_layer_of_a_geopackage_is_read_with_path_and_layer(tmp_path: Path) -> None:
    """``file.gpkg::layer`` picks one layer, as everywhere else in amurgeo."""
    path = tmp_path / "survey.gpkg"
    cameras = gpd.GeoDataFrame(
        {"species": ["Amur leopard", "Amur tiger"]},
        geometry=[Point(131.30, 43.05), Point(130.80, 43.20)],
        crs=4326,
    )
    cameras.to_file(path, layer="cameras", engine="pyogrio")
    cameras.iloc[:1].to_file(path, layer="other", engine="pyogrio")
    counts = amurgeo.count_observations(f"{path}::cameras").set_index("area")
    assert (
        counts.loc["(any protected area)", "count"] + counts.loc["(outside protection)", "count"]
        == 2
    )


def _dated(path: Path) -> Path:
    """Three camera-trap records, 2021 to 2023, in Land of the Leopard."""
    path.write_text(
        "lon,lat,date\n131.5,43.1,2021-05-03\n131.2,43.1,2022-06-01\n131.3,43.0,2023-01-01\n",
        encoding="utf-8",
    )
    return path


def test_cli_total_counts_the_window(run_cli: RunCli, tmp_path: Path) -> None:
    path = _dated(tmp_path / "det.csv")
    result = run_cli("observations", str(path), "--since", "2022", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        "amurgeo: 2 observations counted (from 2022), of 3 read"
    ]
    both = run_cli("observations", str(path), "--since", "2022", "--until", "2022")
    assert "amurgeo: 1 observation counted (from 2022 to the end of 2022), of 3 read" in (
        both.stderr
    )
    assert run_cli("observations", str(path)).stderr.strip() == "amurgeo: 3 observations counted"


@pytest.mark.parametrize("by", [[], ["--by", "month"]])
def test_cli_empty_window_is_a_warning_and_no_fake_period(
    run_cli: RunCli, tmp_path: Path, by: list[str]
) -> None:
    path = _dated(tmp_path / "det.csv")
    result = run_cli("observations", str(path), "--since", "2030", *by, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        "amurgeo: warning: no observation lies in the window (from 2030): 0 counted, of 3 read"
    ]
    records = json.loads(result.stdout)
    assert all(r["count"] == 0 for r in records)
    assert (records == []) == bool(by)  # by period: no period at all, not 1970-01
    table = count_observations(path, since="2030", by="month", countries=None)
    assert table.empty and "period" in table.columns and table.attrs["counted"] == 0


@pytest.mark.filterwarnings("default::UserWarning")
def test_cli_by_month_without_any_readable_date_is_one_line_error(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "undated.csv"
    path.write_text("lon,lat,date\n131.5,43.1,soon\n131.2,43.1,\n", encoding="utf-8")
    result = run_cli("observations", str(path), "--by", "month")
    assert result.exit_code == 1 and "1970" not in result.stdout and result.stdout == ""
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"amurgeo: error: {path}: none of the 2 observations has a ")
    assert "counting by month" in error and "--time-col" in error
    undated = run_cli("observations", str(path))  # dates are not needed without --by
    assert undated.exit_code == 0 and "2 observations counted" in undated.stderr
