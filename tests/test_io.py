"""amurgeo.io.read_vector: layer ids, files in any format and CRS, GeoDataFrames, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from amurgeo._paths import geodata_dir
from amurgeo.errors import DataError, LayerNotFoundError, UsageError
from amurgeo.io import feature_labels, layer_name, looks_like_path, read_vector
from amurgeo.measure import geodesic_area_km2


def _has_geodata() -> bool:
    try:
        geodata_dir()
    except DataError:
        return False
    return True


requires_geodata = pytest.mark.skipif(not _has_geodata(), reason="geodata/ is not built yet")

BOX = box(131.0, 43.0, 131.5, 43.4)


def _parks(crs: str | int = 4326) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(
        {"name": ["west", "east"], "reported": [1900.0, 1200.0]},
        geometry=[BOX, box(131.4, 43.1, 131.8, 43.3)],
        crs="EPSG:4326",
    )
    return gdf.to_crs(crs)


# --- GeoDataFrames ------------------------------------------------------------------------


def test_geodataframe_in_another_crs_is_reprojected() -> None:
    utm = _parks(32652)
    gdf = read_vector(utm, name="parks")
    assert gdf.crs.to_epsg() == 4326
    assert gdf.attrs == {"layer_id": "parks", "source": "GeoDataFrame"}
    assert gdf.geometry.iloc[0].equals_exact(BOX, tolerance=1e-7)
    assert utm.crs.to_epsg() == 32652, "the input is not modified"


def test_geodataframe_name_comes_from_attrs() -> None:
    parks = _parks()
    parks.attrs["layer_id"] = "my-parks"
    assert layer_name(read_vector(parks)) == "my-parks"
    assert layer_name(read_vector(_parks())) == "layer"


def test_no_crs_with_lonlat_coordinates_is_lonlat() -> None:
    gdf = read_vector(gpd.GeoDataFrame(geometry=[BOX]))
    assert gdf.crs.to_epsg() == 4326


def test_no_crs_with_projected_coordinates_is_an_error() -> None:
    utm = _parks(32652).set_crs(None, allow_override=True)
    with pytest.raises(DataError, match=r"has no CRS .* not lon/lat"):
        read_vector(utm, name="utm")


def test_empty_geodataframe_is_fine() -> None:
    gdf = read_vector(gpd.GeoDataFrame(geometry=[], crs=4326))
    assert len(gdf) == 0 and gdf.crs.to_epsg() == 4326


def test_wrong_types_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="expected a layer id"):
        read_vector(42)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="without geometry"):
        read_vector(pd.DataFrame({"a": [1]}))


# --- invalid geometries ---------------------------------------------------------------------


def test_invalid_geometry_is_repaired_with_a_warning_naming_layer_and_feature() -> None:
    bowtie = Polygon([(131, 43), (132, 44), (132, 43), (131, 44)])
    gdf = gpd.GeoDataFrame({"name": ["ok", "bow"]}, geometry=[BOX, bowtie], crs=4326)
    with pytest.warns(UserWarning, match=r"layer 'parks', feature 'bow': invalid geometry"):
        out = read_vector(gdf, name="parks")
    assert out.is_valid.all()
    assert out.geometry.iloc[1].geom_type == "MultiPolygon"
    assert geodesic_area_km2(out.geometry.iloc[1]) > 0
    assert not gdf.is_valid.iloc[1], "the input is not modified"


def test_invalid_geometry_without_name_is_feature_n() -> None:
    spike = Polygon([(131, 43), (131.5, 43), (131.5, 43.5), (131.5, 43.0), (131, 43.5)])
    gdf = gpd.GeoDataFrame(geometry=[BOX, spike], crs=4326)
    with pytest.warns(UserWarning, match="feature 'feature 2'"):
        out = read_vector(gdf)
    assert out.is_valid.all()
    assert out.geom_type.isin(["Polygon", "MultiPolygon"]).all()


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "driver", "crs"),
    [
        (".geojson", "GeoJSON", 4326),
        (".gpkg", "GPKG", 32652),
        (".shp", "ESRI Shapefile", 32652),
        (".kml", "KML", 4326),
        (".fgb", "FlatGeobuf", 3857),
    ],
)
def test_files_in_every_format_and_crs(tmp_path: Path, suffix: str, driver: str, crs: int) -> None:
    path = tmp_path / f"parks{suffix}"
    _parks(crs).to_file(path, driver=driver, engine="pyogrio")
    gdf = read_vector(path)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.attrs == {"layer_id": "parks", "source": str(path)}
    assert sorted(feature_labels(gdf)) == ["east", "west"]  # FlatGeobuf sorts features
    west = gdf.geometry[[label == "west" for label in feature_labels(gdf)]].item()
    assert geodesic_area_km2(west) == pytest.approx(geodesic_area_km2(BOX), rel=1e-6)
    assert read_vector(str(path), name="other").attrs["layer_id"] == "other"


def test_shapefile_without_prj_in_utm_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "noprj.shp"
    _parks(32652).to_file(path, engine="pyogrio")
    path.with_suffix(".prj").unlink()
    with pytest.raises(DataError, match=r"noprj\.shp: has no CRS"):
        read_vector(path)


def test_shapefile_without_prj_in_lonlat_is_read(tmp_path: Path) -> None:
    path = tmp_path / "noprj.shp"
    _parks().to_file(path, engine="pyogrio")
    path.with_suffix(".prj").unlink()
    assert read_vector(path).crs.to_epsg() == 4326


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nope\.gpkg: file does not exist"):
        read_vector(str(tmp_path / "nope.gpkg"))
    with pytest.raises(UsageError, match="does not exist"):
        read_vector("nope.geojson")
    with pytest.raises(UsageError, match="does not exist"):
        read_vector(tmp_path / "nope")


def test_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder; expected a vector file"):
        read_vector(tmp_path)


def test_empty_file_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.geojson"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="file is empty"):
        read_vector(path)


def test_unreadable_file_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.geojson"
    path.write_text("this is not GeoJSON", encoding="utf-8")
    with pytest.raises(DataError, match=r"junk\.geojson: cannot read as a vector file"):
        read_vector(path)


def test_table_without_geometry_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="has no geometry"):
        read_vector(path)


def test_empty_feature_collection_is_an_empty_layer(tmp_path: Path) -> None:
    path = tmp_path / "none.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert len(read_vector(path)) == 0


def test_multi_layer_file(tmp_path: Path) -> None:
    path = tmp_path / "multi.gpkg"
    _parks().to_file(path, layer="parks", engine="pyogrio")
    _parks().iloc[:1].to_file(path, layer="reserves", engine="pyogrio")
    with pytest.warns(UserWarning, match=r"has 2 layers; reading 'parks' \(others: 'reserves'\)"):
        first = read_vector(path)
    assert len(first) == 2
    chosen = read_vector(f"{path}::reserves")
    assert len(chosen) == 1 and chosen.attrs["layer_id"] == "multi::reserves"
    assert len(read_vector(path, layer="reserves")) == 1
    with pytest.raises(UsageError, match="has no layer 'nope'; its layers are: parks, reserves"):
        read_vector(f"{path}::nope")


# --- path or layer id -------------------------------------------------------------------------


def test_looks_like_path(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    assert looks_like_path(str(tmp_path / "plain"))
    assert looks_like_path("parks.GPKG") and looks_like_path("dir/parks")
    assert looks_like_path(f"folder{os.sep}parks")
    for name in ("LotL", "land-of-the-leopard", "Land of the Leopard N.P.", "St.Petersburgian"):
        assert not looks_like_path(name), name


@requires_geodata
def test_layer_ids_and_aliases() -> None:
    gdf = read_vector("LotL")
    assert gdf.attrs == {"layer_id": "land-of-the-leopard", "source": "catalog"}
    assert gdf.crs.to_epsg() == 4326 and gdf.is_valid.all()


@requires_geodata
def test_unknown_layer_lists_the_layers() -> None:
    with pytest.raises(LayerNotFoundError, match=r"available layers are: .*hunchun"):
        read_vector("no-such-layer")


def test_feature_labels() -> None:
    points = [Point(0, 0)] * 3
    assert feature_labels(gpd.GeoDataFrame(geometry=points)) == [
        "feature 1",
        "feature 2",
        "feature 3",
    ]
    named = gpd.GeoDataFrame({"Name": ["a  b", "", None]}, geometry=points)
    assert feature_labels(named) == ["a b", "feature 2", "feature 3"]
    assert shapely.is_valid(BOX)


def test_data_warnings_can_be_filtered_by_their_own_class(tmp_path: Path) -> None:
    """Users silence amurgeo's data warnings, and only them, with ``category=DataWarning``."""
    import warnings

    import amurgeo

    path = tmp_path / "open_ring.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},'
        '"geometry":{"type":"Polygon","coordinates":[[[131,43],[131.1,43],[131.1,43.1]]]}}]}',
        encoding="utf-8",
    )
    with pytest.warns(amurgeo.DataWarning):
        amurgeo.read_vector(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=amurgeo.DataWarning)
        amurgeo.read_vector(path)
    assert issubclass(amurgeo.DataWarning, UserWarning)
