"""A CSV of points, as the observation commands read it, works wherever points make sense."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import Result
from pyproj import Transformer
from shapely.geometry import box

import amurgeo

RunCli = Callable[..., Result]

CSV = (
    "CameraID,Longitude,Latitude,Species\n"
    "C1,131.1,43.1,Amur leopard\n"
    "C2,131.3,43.1,Amur tiger\n"
    "C3,131.5,43.5,Amur leopard\n"
    "C4,,43.5,Amur leopard\n"  # no longitude: left out with a warning, as in observations
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    cams = tmp_path / "cams.csv"
    cams.write_text(CSV, encoding="utf-8")
    utm = tmp_path / "utm.csv"
    x, y = Transformer.from_crs(4326, 32652, always_xy=True).transform(131.1, 43.1)
    utm.write_text(f"x_m,y_m\n{x:.2f},{y:.2f}\n", encoding="utf-8")
    blocks = tmp_path / "blocks.gpkg"
    gpd.GeoDataFrame(
        {"block_id": ["B7", "B9"]},
        geometry=[box(131.0, 43.0, 131.2, 43.2), box(131.2, 43.0, 131.4, 43.2)],
        crs=4326,
    ).to_file(blocks)
    return {"cams": str(cams), "utm": str(utm), "blocks": str(blocks)}


@pytest.mark.filterwarnings("ignore::amurgeo.DataWarning")
def test_points_in_areas_reads_a_csv_like_a_spatial_join(files: dict[str, str]) -> None:
    found = amurgeo.points_in_areas(files["cams"], areas=files["blocks"], name_col="CameraID")
    assert found["feature"].tolist() == ["C1", "C2", "C3"]
    assert found["areas"].tolist() == ["blocks: B7", "blocks: B9", ""]
    # the same answer as a plain geopandas spatial join
    points = gpd.GeoDataFrame(
        {"CameraID": ["C1", "C2", "C3"]},
        geometry=gpd.points_from_xy([131.1, 131.3, 131.5], [43.1, 43.1, 43.5]),
        crs=4326,
    )
    joined = gpd.sjoin(points, gpd.read_file(files["blocks"]), how="left", predicate="within")
    assert [f"blocks: {b}" if isinstance(b, str) else "" for b in joined["block_id"]] == found[
        "areas"
    ].tolist()
    assert found["Species"].tolist() == ["Amur leopard", "Amur tiger", "Amur leopard"]


@pytest.mark.filterwarnings("default::amurgeo.DataWarning")
def test_export_writes_a_csv_as_a_point_layer(
    run_cli: RunCli, files: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "survey.gpkg"
    result = run_cli("export", files["cams"], files["blocks"], "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "dropped 1 of 4 observations" in result.stderr
    layers = pyogrio.list_layers(out)[:, 0].tolist()
    assert layers[:2] == ["cams", "blocks"]
    cams = pyogrio.read_dataframe(out, layer="cams")
    assert cams["CameraID"].tolist() == ["C1", "C2", "C3"]
    assert cams.geometry.x.tolist() == [131.1, 131.3, 131.5]
    # the CSV's Species and the species key amurgeo adds, distinct in a GeoPackage
    assert cams["Species"].tolist()[0] == "Amur leopard"
    assert cams["species_2"].tolist()[0] == "amur_leopard"


def test_export_takes_coordinate_options(
    run_cli: RunCli, files: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "utm.gpkg"
    args = ["export", files["utm"], "-o", str(out), "--lon-col", "x_m", "--lat-col", "y_m"]
    result = run_cli(*args, "--crs", "EPSG:32652")
    assert result.exit_code == 0, result.stderr
    point = pyogrio.read_dataframe(out, layer="utm").geometry.iloc[0]
    assert point.x == pytest.approx(131.1, abs=1e-3) and point.y == pytest.approx(43.1, abs=1e-3)
    bad = run_cli("export", files["blocks"], "-o", str(tmp_path / "b.gpkg"), "--lon-col", "x")
    assert bad.exit_code == 2 and "need a CSV" in bad.stderr


@pytest.mark.filterwarnings("default::amurgeo.DataWarning")
def test_figure_draws_a_csv_of_points(
    run_cli: RunCli, files: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "cams.svg"
    result = run_cli("figure", files["blocks"], files["cams"], "-o", str(out))
    assert result.exit_code == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert "cams" in svg  # the point layer is in the legend
    again = tmp_path / "again.svg"
    assert run_cli("figure", files["blocks"], files["cams"], "-o", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
