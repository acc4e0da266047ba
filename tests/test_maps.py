"""amurgeo.maps: what the HTML holds (render and assert), reproducibility, escaping, offline."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pytest
from branca.element import Element
from shapely.geometry import Point, box

from amurgeo.errors import DataError, UsageError
from amurgeo.maps import AmurgeoMap, build_map, map_html, offline, save_map
from amurgeo.maps import assets as map_assets

ROOT = Path(__file__).resolve().parents[1]

PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT_PAYLOAD = "</script><script>alert(2)</script>"
TEMPLATE_PAYLOAD = "${alert(3)}"


def _load_tool() -> Any:
    spec = importlib.util.spec_from_file_location("build_maps", ROOT / "tools" / "build_maps.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hostile_layer() -> gpd.GeoDataFrame:
    """A user layer with script payloads in values, property names and its own name."""
    gdf = gpd.GeoDataFrame(
        {
            "name": [PAYLOAD, SCRIPT_PAYLOAD],
            PAYLOAD: [TEMPLATE_PAYLOAD, "<svg onload=alert(4)>"],
            "designation": ["<b onmouseover=alert(5)>x</b>", "'\"&"],
        },
        geometry=[box(131.1, 42.9, 131.3, 43.1), box(131.4, 43.0, 131.6, 43.2)],
        crs="EPSG:4326",
    )
    gdf.attrs["layer_id"] = "<script>alert(6)</script>"
    return gdf


def hostile_points() -> gpd.GeoDataFrame:
    """Activity-like points whose organization, activity and place carry payloads."""
    return gpd.GeoDataFrame(
        {
            "organization": [PAYLOAD, "WWF <i>Russia</i>"],
            "activity": ["<script>alert(7)</script>", "monitoring"],
            "place": [SCRIPT_PAYLOAD, "Barabash"],
        },
        geometry=[Point(131.2, 43.0), Point(131.5, 43.2)],
        crs="EPSG:4326",
    )


def scripts_of(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)


# --- content ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def overview() -> str:
    return map_html(build_map())


def test_build_map_returns_a_folium_map() -> None:
    m = build_map(["hunchun"])
    assert isinstance(m, folium.Map)
    assert isinstance(m, AmurgeoMap)
    assert "<iframe srcdoc=" in m._repr_html_()


def test_overview_has_every_bundled_layer(overview: str) -> None:
    for name in (
        "Land of the Leopard National Park",
        "Hunchun",
        "Northeast China Tiger and Leopard National Park",
        "Kedrovaya Pad",
        "Amur leopard range",
        "Conservation organization activities",
        "Protected areas that overlap",
        "Leopard range outside protection",
    ):
        assert name in overview, name
    assert overview.count("amurgeo.vectorLayer(") == 7
    assert overview.count("amurgeo.activityLayer(") == 1


def test_popups_have_names_areas_and_sources(overview: str) -> None:
    assert "Национальный парк" in overview or "Земля леопарда" in overview
    assert "东北虎豹国家公园" in overview
    for label in ("Reported area", "Computed area", "likely between", "Managed by", "Source"):
        assert label in overview
    assert " ha)" in overview and "km²" in overview


def test_base_maps_come_from_xyzservices_with_attribution(overview: str) -> None:
    assert "tile.openstreetmap.org" in overview
    assert "World_Imagery" in overview
    assert "opentopomap" in overview
    assert "OpenStreetMap\\u003c/a\\u003e contributors" in overview
    assert "Esri" in overview


def test_page_loads_only_pinned_leaflet_files(overview: str) -> None:
    links = re.findall(r'(?:src|href)="(https://[^"]+)"', overview)
    assert links, "the default map links Leaflet from a CDN"
    for url in links:
        assert url.startswith(map_assets.CDN_PREFIX), url
        assert re.search(r"@\d+\.\d+\.\d+/", url), f"unpinned: {url}"
    assert "jquery" not in overview.lower()
    assert "bootstrap" not in overview.lower()
    assert "font-awesome" not in overview.lower() and "fontawesome" not in overview.lower()


def test_lang_switches_the_labels() -> None:
    russian = map_html(build_map(["hunchun"], lang="ru"))
    chinese = map_html(build_map(["hunchun"], lang="zh"))
    assert "Площадь по данным" in russian and "Reported area" not in russian
    assert "公布面积" in chinese and "Reported area" not in chinese
    # the designation too: <th>Статус</th><td>…</td>, escaped into the page's JSON
    row = r"Статус\u003c/th\u003e\u003ctd\u003eНациональный природный заповедник\u003c"  # noqa: RUF001 (Cyrillic meant)
    assert row in russian
    assert r"类型\u003c/th\u003e\u003ctd\u003e国家级自然保护区\u003c" in chinese


def _frame_of(page: str) -> list[list[float]]:
    found = re.search(r'"frame":(\[\[[^\]]*\],\[[^\]]*\]\])', page)
    assert found, "no frame in the page"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def tiger_overview() -> str:
    return map_html(build_map(theme="tiger"))


def test_tiger_overview_draws_the_tigers_layers_on_its_range(tiger_overview: str) -> None:
    from amurgeo.catalog import load_layer

    page = tiger_overview
    overlays = re.findall(r'"nameHtml":"([^"]*)"', page)
    # the range, its protected areas, the two parks on the border, the range outside them (no
    # park overlaps another) and the activities
    assert sorted(overlays) == [
        "Amur tiger protected areas (Russia)",
        "Amur tiger range",
        "Conservation organization activities",
        "Land of the Leopard National Park",
        "Northeast China Tiger and Leopard National Park",
        "Tiger range outside protection",
    ]
    assert page.count("amurgeo.vectorLayer(") == 5
    for name in (
        "<title>Amur tiger: its range and protected areas in Russia and China</title>",
        '"Amur tiger range"',  # the layer control's group of the range
        "Sikhote-Alin State Nature Biosphere Reserve",
        '"text":"Khabarovsk"',
        '"text":"Harbin"',
    ):
        assert name in page, name
    assert '"Amur leopard range"' not in page
    west, south, east, north = load_layer("tiger-range").total_bounds
    (s, w), (n, e) = _frame_of(page)
    assert (s, w, n, e) == pytest.approx((south, west, north, east), abs=1e-4)


def test_the_leopard_theme_is_the_default_overview(overview: str) -> None:
    assert map_html(build_map(theme="leopard")) == overview
    with pytest.raises(UsageError, match="theme 'lion': expected one of leopard, tiger"):
        build_map(theme="lion")


def test_ranges_of_both_cats_are_named_for_both() -> None:
    page = map_html(build_map(["tiger-range", "leopard-range", "hunchun"], lang="ru"))
    assert "Ареалы" in page and "Ареал вне охраны" in page
    assert "Ареал тигра вне охраны" not in page and "Ареал леопарда вне охраны" not in page


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "blocks, Land of the Leopard National Park"),
        ("zh", "blocks、豹之乡国家公园"),
    ],
)
def test_a_map_of_your_own_layers_is_titled_by_them(
    tmp_path: Path, lang: str, expected: str
) -> None:
    """A first user's survey blocks kept the overview's title ("where they are protected")."""
    path = tmp_path / "blocks.geojson"
    gpd.GeoDataFrame(
        {"block_id": ["B1"]}, geometry=[box(131.0, 43.0, 131.2, 43.2)], crs=4326
    ).to_file(path)
    page = map_html(build_map([str(path), "LotL"], lang=lang))
    assert f"<title>{expected}</title>" in page
    many = [str(path), "LotL", "kedrovaya-pad", "hunchun", "NCTLNP"]
    title = re.search("<title>(.*)</title>", map_html(build_map(many)))
    assert title is not None
    assert title.group(1).startswith("blocks, Land of the Leopard National Park, Kedrovaya Pad")
    assert title.group(1).endswith(" and 2 more")
    bundled_only = map_html(build_map(["LotL", "hunchun"]))
    assert "<title>Amur leopard and Amur tiger: where they are protected</title>" in bundled_only


def test_map_command_draws_the_tiger_theme(run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "tiger.html"
    result = run_cli("map", "--theme", "tiger", "--lang", "zh", "-o", str(out))
    assert result.exit_code == 0, result.output
    from amurgeo.maps import i18n

    title = i18n.text("title_tiger", "zh")
    assert f"<title>{title}</title>" in out.read_text(encoding="utf-8")
    bad = run_cli("map", "--theme", "lion", "-o", str(tmp_path / "x.html"))
    assert bad.exit_code == 2 and "'lion' is not one of 'leopard', 'tiger'" in bad.output
    assert not (tmp_path / "x.html").exists()


def test_unknown_lang_and_basemap_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="lang 'fr'"):
        build_map(["hunchun"], lang="fr")
    with pytest.raises(UsageError, match="basemap 'nope'"):
        build_map(["hunchun"], basemap="nope")


def test_basemap_choice_is_switched_on() -> None:
    page = map_html(build_map(["hunchun"], basemap="satellite"))
    added = re.findall(r"(tile_layer_\w+)\.addTo", page)
    assert len(added) == 1
    assert re.search(added[0] + r' = L\.tileLayer\(\s*"[^"]*World_Imagery', page)


def test_coordinates_are_rounded_to_about_a_metre() -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["p"]}, geometry=[box(131.123456789, 43.0, 131.5, 43.987654321)], crs=4326
    )
    page = map_html(build_map([gdf]))
    assert "131.12346" in page and "43.98765" in page
    assert "131.123456" not in page
    numbers = re.findall(r"\[(1[23]\d\.\d+),(4\d\.\d+)\]", page)
    assert numbers and all(len(x.split(".")[1]) <= 5 for pair in numbers for x in pair)


def test_frame_is_the_region_not_far_away_offices() -> None:
    parks = gpd.GeoDataFrame({"name": ["park"]}, geometry=[box(131, 42.8, 131.6, 43.3)], crs=4326)
    offices = gpd.GeoDataFrame(
        {"organization": ["WCS", "WWF"], "activity": ["research", "funding"]},
        geometry=[Point(-73.88, 40.85), Point(37.6, 55.75)],  # New York, Moscow
        crs=4326,
    )
    page = map_html(build_map([parks, offices]))
    frame = json.loads(re.search(r'"frame":(\[\[.*?\]\])', page).group(1))
    assert frame == [[42.8, 131.0], [43.3, 131.6]]
    overview_frame = re.search(r'"frame":(\[\[.*?\]\])', map_html(build_map()))
    (south, west), (north, east) = json.loads(overview_frame.group(1))
    assert 128 < west < 131 < east < 133.5 and 41.5 < south < 43 < north < 45


def test_points_alone_are_framed_on_their_centre() -> None:
    points = gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(12)]},
        geometry=[Point(131 + i * 0.05, 43 + i * 0.02) for i in range(11)] + [Point(-74, 40.7)],
        crs=4326,
    )
    frame = json.loads(re.search(r'"frame":(\[\[.*?\]\])', map_html(build_map([points]))).group(1))
    assert frame[0][1] > 100, "a far-away point must not pull the frame"


def test_user_points_and_lines_are_drawn() -> None:
    from shapely.geometry import LineString

    points = gpd.GeoDataFrame(
        {"site": ["camera 1", "camera 2"]},
        geometry=[Point(131.2, 43.0), Point(131.3, 43.1)],
        crs=4326,
    )
    points.attrs["layer_id"] = "camera traps"
    patrol = gpd.GeoDataFrame(
        {"name": ["patrol"]}, geometry=[LineString([(131.1, 43.0), (131.4, 43.2)])], crs=4326
    )
    page = map_html(build_map([points, patrol]))
    assert page.count("amurgeo.vectorLayer(") == 2
    assert "camera traps" in page and "camera 2" in page and "patrol" in page
    assert "Your layers" in page


def test_empty_layer_list_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="empty"):
        build_map([])


# --- reproducibility ---------------------------------------------------------------------------


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = save_map(build_map(), tmp_path / "a.html").read_bytes()
    second = save_map(build_map(), tmp_path / "b.html").read_bytes()
    assert first == second
    assert not re.search(rb"[0-9a-f]{32}", first), "a random branca id leaked into the page"


def test_rendering_twice_gives_the_same_page() -> None:
    m = build_map(["hunchun", "activities"])
    online = map_html(m)
    assert map_html(m, self_contained=False) == online
    offline_page = map_html(m, self_contained=True) if _vendor_available() else None
    assert map_html(m) == online
    if offline_page is not None:
        assert "tile_layer" not in re.sub(
            r"var tile_layer\w+ = L\.tileLayer", "", offline_page
        ) or (".addTo" not in "".join(re.findall(r"tile_layer\w+\.addTo\(\w+\)", offline_page)))


def test_no_class_level_state_leaks() -> None:
    js_before = list(folium.Map.default_js)
    css_before = list(folium.Map.default_css)
    generate = Element.__dict__["_generate_id"]
    build_map(["hunchun"])
    assert folium.Map.default_js == js_before
    assert folium.Map.default_css == css_before
    assert Element.__dict__["_generate_id"] is generate
    # folium maps made afterwards still get random ids and their usual assets
    plain = folium.Map()
    assert len(plain._id) == 32
    assert any("jquery" in url for _, url in plain.default_js)


def test_committed_maps_are_up_to_date() -> None:
    tool = _load_tool()
    for name in tool.MAPS:
        committed = ROOT / "maps" / name
        assert committed.is_file(), f"maps/{name} is missing: run python tools/build_maps.py"
        fresh = tool.render(name).encode("utf-8")
        assert committed.read_bytes() == fresh, (
            f"maps/{name} is stale: run python tools/build_maps.py"
        )


# --- escaping ----------------------------------------------------------------------------------


def test_every_user_string_is_escaped() -> None:
    page = map_html(build_map([hostile_layer(), hostile_points()], title=PAYLOAD))
    for raw in (
        PAYLOAD,
        "<svg onload",
        "<b onmouseover",
        "<script>alert",
        "<i>Russia</i>",
    ):
        assert raw not in page, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in page or "\\u0026lt;img" in page
    assert page.count("<script") == page.count("</script>")
    assert "<title>&lt;img src=x onerror=alert(1)&gt;</title>" in page


def test_script_blocks_cannot_be_closed_by_data() -> None:
    page = map_html(build_map([hostile_layer(), hostile_points()]))
    for block in scripts_of(page):
        assert "</script" not in block.lower()
        assert "<!--" not in block


def test_script_payload_in_file_name(tmp_path: Path) -> None:
    path = tmp_path / "<img src=x onerror=alert(1)>.geojson"
    hostile_layer().to_file(path, driver="GeoJSON")
    page = map_html(build_map([str(path)]))
    assert "<img src=x" not in page


# --- self-contained ----------------------------------------------------------------------------


def _vendor_available() -> bool:
    try:
        offline.vendor_dir()
    except DataError:
        return False
    return True


requires_vendor = pytest.mark.skipif(
    not _vendor_available(), reason="npm assets not bundled (amurgeo built without npm)"
)


@requires_vendor
def test_self_contained_page_links_nothing(tmp_path: Path) -> None:
    m = build_map(self_contained=True)
    page = save_map(m, tmp_path / "offline.html").read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|link)\b[^>]*(?:src|href)=", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "L.Control.MiniMap" in page and "markerClusterGroup" in page
    # no tile layer is switched on: the vector basemap is shown until one is chosen
    assert not re.search(r"tile_layer_\w+\.addTo", page)
    assert 0.2e6 < len(page.encode()) < 1.5e6


def test_self_contained_without_bundle_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(offline, "__file__", str(tmp_path / "offline.py"))
    with pytest.raises(DataError, match="npm was not available") as info:
        map_html(build_map(["hunchun"]), self_contained=True)
    assert "\n" not in str(info.value)


def test_inline_refuses_unknown_assets() -> None:
    page = '<script src="https://cdn.example.org/evil.js"></script>'
    with pytest.raises(DataError, match="not one of amurgeo's bundled files"):
        offline.inline_assets(page)


def test_script_tag_escapes_closing_tags() -> None:
    assert offline.script_tag("a='</SCRIPT>'") == "<script>a='<\\/SCRIPT>'</script>"


# --- npm pins ----------------------------------------------------------------------------------


def test_package_json_pins_the_same_versions() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert package["dependencies"] == map_assets.NPM_PACKAGES
    for name, version in map_assets.NPM_PACKAGES.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


@requires_vendor
def test_bundle_holds_every_asset_and_licence() -> None:
    vendor = offline.vendor_dir()
    manifest = json.loads((vendor / "manifest.json").read_text(encoding="utf-8"))
    for entries in map_assets.ASSET_FILES.values():
        for package, path in entries:
            assert (vendor / map_assets.vendor_relpath(package, path)).is_file()
    for package in map_assets.NPM_PACKAGES:
        licences = [f for f in manifest["files"] if f.startswith(f"{package}@")]
        assert any("licen" in f.lower() for f in licences), f"{package}: no licence file bundled"


def test_build_hook_without_npm_warns_and_builds(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    tree = tmp_path / "tree"
    (tree / "src" / "amurgeo" / "maps").mkdir(parents=True)
    shutil.copy(ROOT / "src" / "amurgeo" / "maps" / "assets.py", tree / "src" / "amurgeo" / "maps")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / name, tree)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hook.shutil, "which", lambda _: None)
        with pytest.raises(hook.AssetError, match="npm"):
            hook.vendor_assets(tree, log=lambda _: None)
    assert not (tree / "src" / "amurgeo" / "maps" / "_vendor").exists()


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_writes_a_map(run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = run_cli("map", "hunchun", "leopard-range", "-o", str(out), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert out.is_file() and "珲春" in out.read_text(encoding="utf-8")


def test_cli_map_help_has_an_example(run_cli: Any) -> None:
    result = run_cli("map", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "--self-contained" in result.output


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from amurgeo.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["map", "no-such-layer", "-o", str(tmp_path / "x.html")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("amurgeo: error: unknown layer") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_info:
        main(["map", "hunchun", "-o", str(tmp_path / "missing" / "x.html")])
    assert exit_info.value.code == 2
    assert "does not exist" in capsys.readouterr().err


# The offline basemap ----------------------------------------------------------------------------


def _basemap_parts() -> dict[str, Any]:
    from shapely.geometry import shape

    from amurgeo.maps.basemaps import countries_basemap

    collection, _ = countries_basemap()
    return {f["properties"]["k"]: shape(f["geometry"]) for f in collection["features"]}


def test_offline_basemap_land_has_no_sea_coloured_seams_inland() -> None:
    """Where two countries meet the backdrop is land, not sea showing between their outlines."""
    import shapely

    from amurgeo.catalog import load_layer

    land = _basemap_parts()["land"]
    countries = load_layer("countries").set_index("iso3").geometry
    # the seam reported on the China-North Korea border, and points along every land border
    assert land.contains(Point(130.11, 42.96))
    # the coast: the outer rings of all countries together (river mouths are real sea)
    coast = shapely.union_all(
        [
            shapely.Polygon(p.exterior).boundary
            for p in shapely.get_parts(shapely.union_all(countries.values))
        ]
    )
    near_coast = shapely.buffer(coast, 0.03)
    for a, b in [("CHN", "PRK"), ("CHN", "RUS"), ("RUS", "PRK"), ("CHN", "MNG")]:
        # within the region the maps show (the Yalu and Amur estuaries are real sea)
        shared = shapely.intersection(
            shapely.intersection(countries[a].boundary, shapely.buffer(countries[b], 0.01)),
            shapely.box(118, 41, 135, 50),
        )
        samples = [shared.interpolate(t, normalized=True) for t in np.linspace(0, 1, 200)]
        samples = [p for p in samples if not near_coast.contains(p)]
        outside = [p for p in samples if not land.buffer(1e-9).contains(p)]
        assert not outside, f"{a}-{b}: {len(outside)} of 200 border points drawn as sea"


def test_offline_basemap_draws_no_coast_along_the_clip_edge() -> None:
    """The countries data stops at 115 E (and 37 N, 54 N, 145 E): no line is drawn there, and
    beyond it the page shows 'no data', not sea."""
    import shapely

    parts = _basemap_parts()
    edge = shapely.box(115, 37, 145, 54).boundary
    assert set(parts) == {"nodata", "land", "border"}
    for kind in ("border",):
        along = shapely.intersection(parts[kind], shapely.buffer(edge, 0.002))
        # (the land meets the edge along tens of degrees; a coast crossing it touches it briefly)
        assert along.length < 0.5, f"{kind} runs {along.length:.2f} degrees along the clip edge"
    # filled polygons are never stroked, so their clip edge draws no line either
    assert "nodata" in parts and parts["nodata"].contains(Point(112, 45))
    assert parts["land"].contains(Point(115.2, 45.0))


def test_overlaps_with_the_readers_own_areas_are_not_called_protected_areas() -> None:
    blocks = gpd.GeoDataFrame(
        {"block": ["South block"]}, geometry=[box(130.9, 42.9, 131.3, 43.2)], crs=4326
    )
    page = map_html(build_map(["land-of-the-leopard", blocks]))
    assert "Where areas overlap" in page and "Protected areas that overlap" not in page
    parks = map_html(build_map(["land-of-the-leopard", "kedrovaya-pad"]))
    assert "Protected areas that overlap" in parks
