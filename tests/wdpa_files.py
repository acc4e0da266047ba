"""Small WDPA-shaped files for the tests (the WDPA itself may not be redistributed).

Every record is made up; the attribute names and values follow the two schemas Protected
Planet has shipped: the classic one (WDPAID, NAME = English name, ORIG_NAME ...) and the one
used since November 2025 (SITE_ID, NAME_ENG, NAME = original-language name, SITE_TYPE ...).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import MultiPoint, box
from shapely.geometry.base import BaseGeometry

#: (id, English name, original name, designation, status, year, iso3, REP_AREA, geometry)
RECORDS: list[tuple[Any, ...]] = [
    (
        900001,
        "Leopard Hills National Park",
        "Национальный парк Леопардовые холмы",
        "National Park",
        "Designated",
        2012,
        "RUS",
        820.0,
        box(131.0, 43.0, 131.3, 43.3),
    ),
    (
        900002,
        "Tumen Wetlands",
        "图们湿地",
        "Ramsar Site, Wetland of International Importance",
        "Designated",
        2005,
        "RUS;CHN",
        185.0,
        box(130.5, 42.5, 130.7, 42.6),
    ),
    (
        900003,
        "Hunchun Extension",
        "珲春扩展区",
        "Nature Reserve",
        "Proposed",
        0,
        "CHN",
        300.0,
        box(130.3, 43.0, 130.5, 43.2),
    ),
    (
        900004,
        "Khanka Biosphere Reserve",
        "Ханкайский биосферный резерват",
        "UNESCO-MAB Biosphere Reserve",
        "Designated",
        2005,
        "RUS",
        900.0,
        box(132.0, 44.6, 132.4, 44.9),
    ),
    (
        900005,
        "Cedar Valley State Nature Biosphere Reserve",
        "Кедровая долина",
        "State Nature Biosphere Reserve",
        "Designated",
        1916,
        "RUS",
        135.0,
        box(131.3, 43.1, 131.45, 43.2),
    ),
    (
        900006,
        "Tiger Spring",
        "虎泉",
        "Forest Park",
        "Designated",
        1999,
        "CHN",
        78.53981633974483,  # a circle of 5 km radius
        MultiPoint([(130.9, 43.5)]),
    ),
    (
        900007,
        "Nameless Grove",
        "无名林",
        "Forest Park",
        "Designated",
        2001,
        "CHN",
        0.0,  # no reported area: cannot be drawn
        MultiPoint([(130.8, 43.6)]),
    ),
    (
        900008,
        "Old Survey Block",
        "Старый участок",
        "Wildlife Refuge",
        "Not Reported",
        0,
        "RUS",
        50.0,
        box(131.6, 43.4, 131.7, 43.5),
    ),
]

#: Records kept by the default cleaning (ids).
KEPT = (900001, 900002, 900005, 900006)


def classic_frame(records: list[tuple[Any, ...]] = RECORDS) -> gpd.GeoDataFrame:
    """Records in the classic schema (WDPAID, NAME in English, ORIG_NAME, PA_DEF ...)."""
    rows = []
    for wid, name, orig, desig, status, year, iso3, rep_area, geom in records:
        rows.append(
            {
                "WDPAID": float(wid),
                "WDPA_PID": str(wid),
                "PA_DEF": "1",
                "NAME": name,
                "ORIG_NAME": orig,
                "DESIG": desig,
                "DESIG_ENG": desig,
                "DESIG_TYPE": "International" if "UNESCO" in desig else "National",
                "IUCN_CAT": "II",
                "INT_CRIT": "Not Applicable",
                "MARINE": "0",
                "REP_M_AREA": 0.0,
                "GIS_M_AREA": 0.0,
                "REP_AREA": rep_area,
                "GIS_AREA": rep_area,
                "NO_TAKE": "Not Applicable",
                "NO_TK_AREA": 0.0,
                "STATUS": status,
                "STATUS_YR": year,
                "GOV_TYPE": "Federal or national ministry or agency",
                "OWN_TYPE": "State",
                "MANG_AUTH": "Not Reported" if wid == 900006 else "Ministry of Nature",
                "MANG_PLAN": "Not Reported",
                "VERIF": "State Verified",
                "METADATAID": 1,
                "SUB_LOC": "Not Reported",
                "PARENT_ISO3": iso3,
                "ISO3": iso3,
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def new_frame(records: list[tuple[Any, ...]] = RECORDS) -> gpd.GeoDataFrame:
    """Records in the schema used since November 2025 (SITE_ID, NAME_ENG, NAME original)."""
    rows = []
    for wid, name, orig, desig, status, year, iso3, rep_area, geom in records:
        rows.append(
            {
                "SITE_ID": wid,
                "SITE_PID": str(wid),
                "SITE_TYPE": "OECM" if wid == 900005 else "PA",
                "NAME_ENG": name,
                "NAME": orig,
                "DESIG": desig,
                "DESIG_ENG": desig,
                "DESIG_TYPE": "International" if "UNESCO" in desig else "National",
                "IUCN_CAT": "II",
                "INT_CRIT": "Not Applicable",
                "REALM": "Terrestrial",
                "REP_M_AREA": 0.0,
                "REP_AREA": rep_area,
                "NO_TAKE": "Not Applicable",
                "NO_TK_AREA": 0.0,
                "STATUS": status,
                "STATUS_YR": year,
                "GOV_TYPE": "Federal or national ministry or agency",
                "GOVSUBTYPE": "Not Reported",
                "OWN_TYPE": "State",
                "OWNSUBTYPE": "Not Reported",
                "MANG_AUTH": "Ministry of Nature",
                "MANG_PLAN": "Not Reported",
                "VERIF": "State Verified",
                "METADATAID": 1,
                "PRNT_ISO3": iso3,
                "ISO3": iso3,
                "SUPP_INFO": "Not Reported",
                "CONS_OBJ": "Not Applicable",
                "INLND_WTRS": "Not Reported",
                "OECM_ASMT": "Not Applicable",
                "GIS_M_AREA": 0.0,
                "GIS_AREA": rep_area,
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _split(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    points = frame.geom_type.isin(["Point", "MultiPoint"])
    return frame[~points].reset_index(drop=True), frame[points].reset_index(drop=True)


def write_gpkg(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """A GeoPackage with a polygons and a points layer, as Protected Planet ships."""
    polygons, points = _split(frame)
    polygons.to_file(path, layer="WDPA_poly_Nov2025", driver="GPKG")
    points.to_file(path, layer="WDPA_point_Nov2025", driver="GPKG")
    return path


def write_gdb(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """A File Geodatabase (OpenFileGDB) with a polygons and a points layer."""
    polygons, points = _split(frame)
    options = {"TARGET_ARCGIS_VERSION": "ARCGIS_PRO_3_2_OR_LATER"}
    polygons.to_file(path, layer="WDPA_poly_Nov2025", driver="OpenFileGDB", **options)
    points.to_file(path, layer="WDPA_point_Nov2025", driver="OpenFileGDB", **options)
    return path


def write_shapefiles(frame: gpd.GeoDataFrame, folder: Path, stem: str) -> list[Path]:
    """``<stem>-polygons.shp`` and ``<stem>-points.shp`` with their side files."""
    folder.mkdir(parents=True, exist_ok=True)
    polygons, points = _split(frame)
    polygons.to_file(folder / f"{stem}-polygons.shp", driver="ESRI Shapefile")
    points.to_file(folder / f"{stem}-points.shp", driver="ESRI Shapefile")
    return sorted(p for p in folder.iterdir() if p.name.startswith(stem))


def write_zip(frame: gpd.GeoDataFrame, path: Path, *, nested: bool = False) -> Path:
    """The shapefiles in a zip; with `nested`, split in zips inside the zip (as shipped)."""
    work = path.parent / f"{path.stem}_parts"
    if not nested:
        files = write_shapefiles(frame, work, path.stem)
        with zipfile.ZipFile(path, "w") as archive:
            for file in files:
                archive.write(file, file.name)
        return path
    halves = [frame.iloc[: len(frame) // 2], frame.iloc[len(frame) // 2 :]]
    inner = []
    for i, half in enumerate(halves):
        files = write_shapefiles(half, work / str(i), f"{path.stem}_{i}")
        inner_path = work / f"{path.stem}_shp_{i}.zip"
        with zipfile.ZipFile(inner_path, "w") as archive:
            for file in files:
                archive.write(file, file.name)
        inner.append(inner_path)
    with zipfile.ZipFile(path, "w") as archive:
        for file in inner:
            archive.write(file, file.name)
        archive.writestr("WDPA_sources.csv", "METADATAID,DATA_TITLE\n1,made up\n")
    return path


def geometry_of(wid: int) -> BaseGeometry:
    """The geometry of record `wid` as written."""
    return next(r[8] for r in RECORDS if r[0] == wid)
