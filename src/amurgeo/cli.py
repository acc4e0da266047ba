"""The ``amurgeo`` command line: a thin layer over the public Python API.

Results go to stdout, messages to stderr. Exit status: 0 success, 1 bad data, 2 bad usage.
Errors are one line; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from amurgeo import __version__
from amurgeo._output import one_line, render
from amurgeo.errors import AmurgeoError

FORMAT_CHOICE = click.Choice(["table", "csv", "json", "markdown"], case_sensitive=False)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"amurgeo: error: {one_line(message)}", err=True)
    sys.exit(code)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    click.echo(f"amurgeo: warning: {one_line(str(message))}", err=True)


class AmurgeoGroup(click.Group):
    """A click group whose errors are one line on stderr with amurgeo's exit codes."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        extra.pop("standalone_mode", None)
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                result = super().main(argv, prog_name or "amurgeo", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            _fail("aborted", 130)
        except click.UsageError as exc:
            if debug:
                traceback.print_exc()
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _fail(exc.format_message() + hint, exc.exit_code)
        except click.ClickException as exc:
            if debug:
                traceback.print_exc()
            _fail(exc.format_message(), exc.exit_code)
        except AmurgeoError as exc:
            if debug:
                traceback.print_exc()
            _fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:
            if debug:
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)", 1)
        if isinstance(result, int) and result:
            sys.exit(result)
        sys.exit(0)


@click.group(cls=AmurgeoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="amurgeo")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
def cli(debug: bool) -> None:
    """Where the Amur leopard and Amur tiger are protected: layers, areas, overlaps, maps.

    \b
    Example:
      amurgeo layers --format table
    """


@cli.command("layers")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
def layers_command(fmt: str) -> None:
    """List the bundled layers.

    \b
    Example:
      amurgeo layers --format json
    """
    from amurgeo.catalog import list_layers

    table = list_layers()
    columns = ["id", "title", "kind", "geometry_type", "feature_count"]
    if fmt == "table":
        columns.append("license")
    else:
        columns += ["source", "license", "attribution", "aliases", "file"]
    records = table[columns].to_dict(orient="records")
    click.echo(render(records, fmt.lower()), nl=False)


# --- analysis commands: areas, overlap, coverage, gap (amurgeo.analysis) ---------------------

UNITS_CHOICE = click.Choice(["km2", "ha", "mi2"], case_sensitive=False)
_UNIT_LABELS = {"km2": "km²", "ha": "ha", "mi2": "mi²"}
_PLAIN_TITLES = {
    "difference_pct": "difference (%)",
    "flag": "differs > 10%",
    "pct_of_a": "% of a",
    "pct_of_b": "% of b",
    "covered_pct": "covered (%)",
    "gap_pct": "gap (%)",
}


def _column_title(column: str) -> str:
    """Table header of a result column, with its unit: ``area_mi2_low`` -> ``low (mi²)``."""
    for unit, label in _UNIT_LABELS.items():
        stem, token, rest = column.partition(f"_{unit}")
        if token and rest in ("", "_low", "_high"):
            name = rest[1:] if rest else {"reported_area": "reported"}.get(stem, stem)
            return f"{name} ({label})"
    return _PLAIN_TITLES.get(column, column)


def _echo_table(frame: Any, fmt: str, table_columns: list[str]) -> None:
    """Print a result: every column as CSV/JSON, `table_columns` with units as a table."""
    fmt = fmt.lower()
    data = frame.drop(columns=[frame.geometry.name]) if hasattr(frame, "geometry") else frame
    columns = table_columns if fmt in ("table", "markdown") else list(data.columns)
    records = data[columns].to_dict(orient="records")
    headers = {c: _column_title(c) for c in columns}
    click.echo(render(records, fmt, headers=headers), nl=False)


def _unit_columns(units: str, *stems: str) -> list[str]:
    """``area`` -> ``area_<unit>``; ``area:low`` -> ``area_<unit>_low``."""
    out = []
    for stem in stems:
        name, _, suffix = stem.partition(":")
        out.append(f"{name}_{units}" + (f"_{suffix}" if suffix else ""))
    return out


def _analysis_options(command: Any) -> Any:
    """The --units, --uncertainty-km and --format options every analysis command takes."""
    command = click.option(
        "--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True
    )(command)
    command = click.option(
        "--uncertainty-km",
        type=click.FloatRange(min=0),
        default=None,
        help="Boundary uncertainty of every feature for the low-high range "
        "[default: each feature's boundary_uncertainty_km, else 0].",
    )(command)
    return click.option(
        "--units", type=UNITS_CHOICE, default="km2", show_default=True, help="Area units."
    )(command)


# --- WDPA options (amurgeo.wdpa): what to keep of a WDPA extract --------------------------

_WDPA_STATUS_CHOICE = click.Choice(
    ["Adopted", "Proposed", "Not Reported", "all"], case_sensitive=False
)


def _wdpa_options(command: Any) -> Any:
    """The --wdpa-include-status and --wdpa-include-mab options of the analysis commands."""
    command = click.option(
        "--wdpa-include-mab",
        is_flag=True,
        help="Keep UNESCO-MAB Biosphere Reserves of WDPA extracts (left out by default: "
        "their transition zones are not protected).",
    )(command)
    return click.option(
        "--wdpa-include-status",
        "wdpa_include_status",
        multiple=True,
        type=_WDPA_STATUS_CHOICE,
        metavar="STATUS",
        help="Also keep WDPA records of this STATUS: Adopted, Proposed, 'Not Reported', or "
        "all (repeat) [default: only Designated, Inscribed and Established].",
    )(command)


def _wdpa_cleaning(include_status: tuple[str, ...], include_mab: bool) -> Any:
    from amurgeo.wdpa import WdpaCleaning

    return WdpaCleaning.including(include_status, mab=include_mab)


# --- end of WDPA options -------------------------------------------------------------------


@cli.command("areas")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@_analysis_options
@_wdpa_options
def areas_command(
    sources: tuple[str, ...],
    units: str,
    uncertainty_km: float | None,
    fmt: str,
    wdpa_include_status: tuple[str, ...],
    wdpa_include_mab: bool,
) -> None:
    """Area of each feature and layer, and reported area.

    Areas are geodesic (WGS84 ellipsoid). LAYER is a bundled layer id or alias, FILE any
    vector file GDAL reads (GeoJSON, GeoPackage, Shapefile, KML ...; FILE::LAYER picks one
    layer of several). Without arguments: every bundled area layer. Each layer ends with a
    row "(all)": the dissolved layer. low-high is the area with the boundary moved in and
    out by its uncertainty; a computed area more than 10% off the reported one is flagged.
    A WDPA extract from Protected Planet (.gdb folder, .zip of shapefiles, .gpkg) is read
    with its names and reported areas (REP_AREA); records not Designated, Inscribed or
    Established and UNESCO-MAB Biosphere Reserves are left out (with a note on stderr), and
    point records become circles of their reported area.

    \b
    Example:
      amurgeo areas
      amurgeo areas NCTLNP --units mi2
      amurgeo areas my_parks.gpkg --format csv
      amurgeo areas WDPA_Nov2025_Public_RUS.gdb --wdpa-include-status Proposed
    """
    from amurgeo.analysis import area_table

    units = units.lower()
    table = area_table(
        list(sources) or None,
        units=units,
        uncertainty_km=uncertainty_km,
        wdpa=_wdpa_cleaning(wdpa_include_status, wdpa_include_mab),
    )
    columns = ["layer", "feature"]
    columns += _unit_columns(units, "area", "area:low", "area:high", "reported_area")
    if units != "km2":
        columns.append("reported_area_km2")
    columns += ["difference_pct", "flag"]
    _echo_table(table, fmt, columns)


@cli.command("overlap")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option("--matrix", is_flag=True, help="Every pair of bundled area layers.")
@click.option("--per-feature", is_flag=True, help="Compare features instead of dissolved layers.")
@_analysis_options
@_wdpa_options
def overlap_command(
    sources: tuple[str, ...],
    matrix: bool,
    per_feature: bool,
    units: str,
    uncertainty_km: float | None,
    fmt: str,
    wdpa_include_status: tuple[str, ...],
    wdpa_include_mab: bool,
) -> None:
    """Overlap of every pair of the layers named.

    Area of each overlap, % of a and % of b. Each layer is dissolved first. With --matrix
    and no layers: every bundled area layer. With --per-feature every feature is compared
    with every other (one FILE is enough).

    \b
    Example:
      amurgeo overlap hunchun NCTLNP
      amurgeo overlap --matrix --format markdown
      amurgeo overlap parks.gpkg --per-feature --format csv
    """
    from amurgeo.analysis import overlap_matrix

    if not sources and not matrix:
        raise click.UsageError("give two or more layers or files, or --matrix")
    if len(sources) == 1 and not per_feature:
        raise click.UsageError("give two or more layers or files (or --per-feature)")
    units = units.lower()
    table = overlap_matrix(
        list(sources) or None,
        per_feature=per_feature,
        units=units,
        uncertainty_km=uncertainty_km,
        wdpa=_wdpa_cleaning(wdpa_include_status, wdpa_include_mab),
    )
    columns = ["a", "b", *_unit_columns(units, "overlap", "overlap:low", "overlap:high")]
    _echo_table(table, fmt, [*columns, "pct_of_a", "pct_of_b"])


@cli.command("coverage")
@click.argument("target", metavar="TARGET")
@click.option(
    "--by", "by", multiple=True, required=True, metavar="LAYER|FILE", help="Protecting layer."
)
@click.option("--per-country", is_flag=True, help="Split by country (Russia, China, ...).")
@click.option(
    "--countries",
    default="countries",
    show_default=True,
    metavar="LAYER|FILE",
    help="Countries layer for --per-country.",
)
@_analysis_options
@_wdpa_options
def coverage_command(
    target: str,
    by: tuple[str, ...],
    per_country: bool,
    countries: str,
    units: str,
    uncertainty_km: float | None,
    fmt: str,
    wdpa_include_status: tuple[str, ...],
    wdpa_include_mab: bool,
) -> None:
    """How much of TARGET the --by layers protect.

    The share of TARGET inside the union of the --by layers, which are dissolved together
    first, so that overlapping protected areas are counted once.

    \b
    Example:
      amurgeo coverage leopard-range --by land-of-the-leopard --by NCTLNP --per-country
    """
    from amurgeo.analysis import coverage

    units = units.lower()
    table = coverage(
        target,
        list(by),
        per_country=per_country,
        countries=countries,
        units=units,
        uncertainty_km=uncertainty_km,
        wdpa=_wdpa_cleaning(wdpa_include_status, wdpa_include_mab),
    )
    columns = ["target", "by", *(["country"] if per_country else [])]
    columns += _unit_columns(units, "target", "covered", "covered:low", "covered:high")
    _echo_table(table, fmt, [*columns, "covered_pct"])


@cli.command("gap")
@click.argument("target", metavar="TARGET")
@click.option(
    "--by", "by", multiple=True, required=True, metavar="LAYER|FILE", help="Protecting layer."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the gap geometry to this GeoJSON file.",
)
@_analysis_options
@_wdpa_options
def gap_command(
    target: str,
    by: tuple[str, ...],
    output: str | None,
    units: str,
    uncertainty_km: float | None,
    fmt: str,
    wdpa_include_status: tuple[str, ...],
    wdpa_include_mab: bool,
) -> None:
    """The part of TARGET outside the --by layers.

    Its area and, with -o, its geometry (RFC 7946 GeoJSON, written atomically).

    \b
    Example:
      amurgeo gap leopard-range --by land-of-the-leopard --by NCTLNP -o gap.geojson
    """
    from amurgeo._atomic import check_output_path
    from amurgeo.analysis import gap
    from amurgeo.geojson import write_geojson

    if output is not None:
        check_output_path(output)  # fail before the work, not after it
    units = units.lower()
    table = gap(
        target,
        list(by),
        units=units,
        uncertainty_km=uncertainty_km,
        wdpa=_wdpa_cleaning(wdpa_include_status, wdpa_include_mab),
    )
    columns = ["target", "by", *_unit_columns(units, "target", "gap", "gap:low", "gap:high")]
    _echo_table(table, fmt, [*columns, "gap_pct"])
    if output is not None:
        write_geojson(table, output, name="gap")
        click.echo(f"amurgeo: wrote {output}", err=True)


# --- observations command (amurgeo.observations) ---------------------------------------------


def _observation_options(command: Any) -> Any:
    """The --lon-col, --lat-col, --species-col and --crs options of observation input."""
    command = click.option(
        "--crs",
        default=None,
        metavar="CRS",
        help="CRS of the coordinate columns, e.g. EPSG:32652 [default: lon/lat WGS84].",
    )(command)
    command = click.option(
        "--species-col",
        default=None,
        metavar="NAME",
        help="Species column [default: species, scientificName ... if present].",
    )(command)
    command = click.option(
        "--lat-col", default=None, metavar="NAME", help="Latitude column [default: found by name]."
    )(command)
    return click.option(
        "--lon-col", default=None, metavar="NAME", help="Longitude column [default: found by name]."
    )(command)


@cli.command("observations")
@click.argument("source", metavar="FILE")
@click.option(
    "--area",
    "areas",
    multiple=True,
    metavar="LAYER|FILE",
    help="Area layer to count in (repeat) [default: every bundled protected area].",
)
@click.option(
    "--countries",
    default="countries",
    show_default=True,
    metavar="LAYER|FILE",
    help="Countries layer for the per-country rows.",
)
@_observation_options
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
def observations_command(
    source: str,
    areas: tuple[str, ...],
    countries: str,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: str | None,
    fmt: str,
) -> None:
    """Count observations (camera traps, GPS collars) per protected area and country.

    FILE is a CSV/TSV, Parquet, GeoParquet or vector file of points, or a directory of
    (Geo)Parquet partitions (needs amurgeo[dask]). Coordinate columns are found by name
    (lon/lng/longitude/x, lat/latitude/y, decimalLongitude ...); rows with missing or
    out-of-range coordinates are dropped with a warning. Rows: each area, "(any protected
    area)", "(outside protection)", each country and "(no country)". Per-area counts
    overlap (Kedrovaya Pad lies inside Land of the Leopard); inside plus outside
    protection is every observation. With a species column, one count_<species> column
    per species.

    \b
    Example:
      amurgeo observations camera_traps.csv --format json
      amurgeo observations fixes.parquet --lon-col X --lat-col Y --crs EPSG:32652
    """
    from amurgeo.observations import count_observations

    table = count_observations(
        source,
        areas=list(areas) or None,
        countries=countries,
        lon_col=lon_col,
        lat_col=lat_col,
        species_col=species_col,
        crs=crs,
    )
    records = [{str(k): v for k, v in r.items()} for r in table.to_dict(orient="records")]
    headers = {"pct": "% of all", "count": "observations"}
    click.echo(render(records, fmt.lower(), headers=headers), nl=False)
    kept = int(table.attrs["rows"]) - int(table.attrs["dropped"])
    click.echo(f"amurgeo: {kept:,} observations counted", err=True)


# --- map command (amurgeo.maps) ----------------------------------------------------------------


@cli.command("map")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="HTML file to write.",
)
@click.option(
    "--self-contained",
    is_flag=True,
    help="Inline Leaflet and every plugin: one file that works with no network at all.",
)
@click.option(
    "--basemap",
    default=None,
    metavar="NAME",
    help="Base map shown first: street, satellite, topographic, offline, or an xyzservices "
    "name (default: street; offline with --self-contained).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ru", "zh"], case_sensitive=False),
    default="en",
    show_default=True,
    help="Language of the labels.",
)
@click.option("--title", default=None, help="Title of the page.")
@click.option("--no-overlaps", is_flag=True, help="Leave out the overlaps of protected areas.")
@click.option("--no-gaps", is_flag=True, help="Leave out the range outside protected areas.")
@click.option(
    "--observations",
    default=None,
    metavar="FILE",
    help="Observations (CSV, Parquet, GeoParquet, vector file or partition directory) drawn "
    "as equal-area hexagons of their density.",
)
@_observation_options
@click.option(
    "--no-simplify", is_flag=True, help="Draw detailed layers with every vertex (bigger page)."
)
def map_command(
    sources: tuple[str, ...],
    output: str,
    self_contained: bool,
    basemap: str | None,
    lang: str,
    title: str | None,
    no_overlaps: bool,
    no_gaps: bool,
    observations: str | None,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: str | None,
    no_simplify: bool,
) -> None:
    """Write an interactive map of bundled layers and/or your files (all layers by default).

    \b
    Example:
      amurgeo map -o amur.html
      amurgeo map leopard-range LotL my_plots.gpkg -o plots.html --lang ru --self-contained
      amurgeo map --observations camera_traps.csv -o detections.html --self-contained
    """
    from amurgeo._atomic import check_output_path
    from amurgeo.maps import build_map, save_map

    check_output_path(output)  # fail before the work, not after it
    given = (lon_col, lat_col, species_col, crs)
    if observations is None and any(v is not None for v in given):
        raise click.UsageError("--lon-col, --lat-col, --species-col and --crs need --observations")
    points: Any = observations
    if observations is not None and any(v is not None for v in given):
        from amurgeo.observations import _load_points

        points = _load_points(
            observations, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
        )
    built = build_map(
        list(sources) or None,
        lang=lang.lower(),
        basemap=basemap,
        title=title,
        overlaps=not no_overlaps,
        gaps=not no_gaps,
        self_contained=self_contained,
        observations=points,
        simplify=not no_simplify,
    )
    path = save_map(built, output)
    size = path.stat().st_size
    click.echo(f"amurgeo: wrote {path} ({size / 1e6:.2f} MB)", err=True)


# --- figure and export commands (amurgeo.figures, amurgeo.export) -----------------------------


@cli.command("figure")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Image to write: .png, .svg or .pdf.",
)
@click.option("--title", default=None, help="Title above the map (empty for none).")
@click.option("--subtitle", default=None, help="Subtitle under the title (empty for none).")
@click.option("--note", default=None, help="Text added to the data note under the map.")
@click.option(
    "--bounds",
    nargs=4,
    type=float,
    default=None,
    metavar="W S E N",
    help="Area to show, in degrees [default: the areas drawn].",
)
@click.option(
    "--width",
    type=click.FloatRange(min=3, max=30),
    default=8.0,
    show_default=True,
    help="Width in inches; the height follows from the map.",
)
@click.option(
    "--dpi",
    type=click.IntRange(min=50, max=1200),
    default=200,
    show_default=True,
    help="Resolution of a PNG.",
)
def figure_command(
    sources: tuple[str, ...],
    output: str,
    title: str | None,
    subtitle: str | None,
    note: str | None,
    bounds: tuple[float, float, float, float] | None,
    width: float,
    dpi: int,
) -> None:
    """Write a static map (PNG, SVG or PDF) for a report.

    All layers by default: layers, activity places, countries with borders and coast, a
    legend, a scale bar, a north arrow, a title and a data note, in an equal-area
    projection. The same input gives the same bytes.

    \b
    Example:
      amurgeo figure -o docs/amur_leopard.png --dpi 150
      amurgeo figure leopard-range LotL NCTLNP my_plots.gpkg -o plots.pdf --title "Plots"
    """
    from pathlib import Path

    from amurgeo._atomic import check_output_path
    from amurgeo.figures import plot_figure, save_figure

    check_output_path(output)  # fail before the work, not after it
    suffix = Path(output).suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise click.BadParameter(
            f"{output!r} ends in {suffix or 'no suffix'!r}; expected .png, .svg or .pdf",
            param_hint="'-o' / '--output'",
        )
    fig = plot_figure(
        list(sources) or None,
        title=title,
        subtitle=subtitle,
        note=note,
        bounds=bounds,
        width=width,
    )
    path = save_figure(fig, output, dpi=dpi)
    data = path.read_bytes()
    pixels = ""
    if suffix == ".png":
        w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        pixels = f", {w} x {h} px"
    size = len(data)
    click.echo(f"amurgeo: wrote {path} ({_size_text(size)}{pixels})", err=True)


@cli.command("export")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="A .gpkg file, or a folder for one GeoJSON file per layer.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gpkg", "geojson"], case_sensitive=False),
    default=None,
    help="Output format [default: gpkg for a .gpkg path, geojson for a folder].",
)
def export_command(sources: tuple[str, ...], output: str, fmt: str | None) -> None:
    """Export layers with their attributes and areas, for QGIS.

    All layers by default, in one GeoPackage with a table per layer, named by its title, and
    a table "Sources and licences"; or in a folder with one GeoJSON file per layer. Area
    layers get area_km2, area_km2_low and area_km2_high. The layers written are listed on
    stdout.

    \b
    Example:
      amurgeo export -o amur_leopard.gpkg
      amurgeo export -o amur_layers --format geojson
      amurgeo export LotL NCTLNP my_parks.shp -o parks.gpkg
    """
    from pathlib import Path

    from amurgeo.export import export_layers

    written = export_layers(output, list(sources) or None, fmt=fmt)
    target = Path(output)
    records = written[["name", "id", "kind", "features", "area_columns"]].to_dict(orient="records")
    headers = {"name": "layer" if target.is_file() else "file", "area_columns": "areas added"}
    click.echo(render(records, "table", headers=headers), nl=False)
    size = (
        target.stat().st_size
        if target.is_file()
        else sum(p.stat().st_size for p in target.iterdir())
    )
    click.echo(f"amurgeo: wrote {output} ({_size_text(size)})", err=True)


def _size_text(size: int) -> str:
    """A file size for messages: ``0.33 MB``, or ``12 kB`` below 0.1 MB."""
    return f"{size / 1e6:.2f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``amurgeo`` command line (entry point of the console script)."""
    cli.main(args=argv, prog_name="amurgeo")
