"""The ``amurgeo`` command line: a thin layer over the public Python API.

Results go to stdout, messages to stderr. Exit status: 0 success, 1 bad data, 2 bad usage.
Errors are one line; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

import click

from amurgeo import __version__
from amurgeo._output import one_line, render
from amurgeo.errors import AmurgeoError, OutputError

FORMAT_CHOICE = click.Choice(["table", "csv", "json", "markdown"], case_sensitive=False)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"amurgeo: error: {one_line(message)}", err=True)
    sys.exit(code)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    click.echo(f"amurgeo: warning: {one_line(str(message))}", err=True)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: unwind (temporary files go), then exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` (click would turn Ctrl-C into Abort)."""
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            previous[signum] = signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (``| head``): exit 141 as if killed by SIGPIPE, with no message."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit finds no pipe
    sys.exit(128 + signal.SIGPIPE)


class _ClosedStdout(io.TextIOBase):
    """Stands for a closed standard output (``>&-``): writing to it is an error, not a no-op."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")


_WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EBADF)


def _stdout_failed(exc: OSError) -> bool:
    """True for an error of writing standard output (full, closed, I/O error).

    Files are written by :mod:`amurgeo.output`, which reports their errors as OutputError:
    a bare write error left over comes from printing a result.
    """
    if isinstance(sys.stdout, _ClosedStdout):
        return True
    frame, tb = None, exc.__traceback__
    while tb is not None:
        frame, tb = tb.tb_frame, tb.tb_next
    where = frame.f_code.co_name if frame is not None else ""
    return exc.errno in _WRITE_ERRORS and where in ("echo", "_flush_stdout", "write", "flush")


def _flush_stdout() -> None:
    """Flush standard output now, so that a full or closed stdout is an error, not a warning."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write standard output: {exc.strerror or exc}") from exc


class _PipeClosed(BaseException):
    """The reader of standard output went away; carried past click, which would exit 1."""


class AmurgeoGroup(click.Group):
    """A click group whose errors are one line on stderr with amurgeo's exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _PipeClosed from exc

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        extra.pop("standalone_mode", None)
        if sys.stdout is None:
            sys.stdout = _ClosedStdout()
        try:
            with warnings.catch_warnings(), _signals_raise():
                warnings.showwarning = _show_warning
                result = super().main(argv, prog_name or "amurgeo", standalone_mode=False, **extra)
                _flush_stdout()
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            _fail("interrupted", 130)
        except Interrupted as exc:
            if sys.stderr is not None and sys.stderr.isatty():
                click.echo("", err=True)  # end the terminal's ^C line
            name = "interrupted" if exc.signum == signal.SIGINT else "terminated"
            _fail(name, 128 + exc.signum)
        except click.UsageError as exc:
            if debug:
                traceback.print_exc()
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _fail(exc.format_message() + hint, exc.exit_code)
        except click.ClickException as exc:
            if debug:
                traceback.print_exc()
            _fail(exc.format_message(), exc.exit_code)
        except (BrokenPipeError, _PipeClosed):
            _quiet_broken_pipe()
        except AmurgeoError as exc:
            if debug:
                traceback.print_exc()
            _fail(str(exc), exc.exit_code)
        except OSError as exc:
            if debug or not _stdout_failed(exc):
                raise
            with contextlib.suppress(OSError, ValueError):  # Python's flush at exit: nothing left
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            _fail(f"cannot write standard output: {exc.strerror or exc}", 1)
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


def _echo_table(frame: Any, fmt: str, table_columns: list[str], *, err: bool = False) -> None:
    """Print a result: every column as CSV/JSON, `table_columns` with units as a table.

    To stderr with `err` (when the data itself goes to stdout).
    """
    fmt = fmt.lower()
    data = frame.drop(columns=[frame.geometry.name]) if hasattr(frame, "geometry") else frame
    columns = table_columns if fmt in ("table", "markdown") else list(data.columns)
    records = data[columns].to_dict(orient="records")
    headers = {c: _column_title(c) for c in columns}
    click.echo(render(records, fmt, headers=headers), nl=False, err=err)


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


@cli.command("areas")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@_analysis_options
def areas_command(
    sources: tuple[str, ...], units: str, uncertainty_km: float | None, fmt: str
) -> None:
    """Area of each feature and layer, and reported area.

    Areas are geodesic (WGS84 ellipsoid). LAYER is a bundled layer id or alias, FILE any
    vector file GDAL reads (GeoJSON, GeoPackage, Shapefile, KML ...; FILE::LAYER picks one
    layer of several). Without arguments: every bundled area layer. Each layer ends with a
    row "(all)": the dissolved layer. low-high is the area with the boundary moved in and
    out by its uncertainty; a computed area more than 10% off the reported one is flagged.

    \b
    Example:
      amurgeo areas
      amurgeo areas NCTLNP --units mi2
      amurgeo areas my_parks.gpkg --format csv
    """
    from amurgeo.analysis import area_table

    units = units.lower()
    table = area_table(list(sources) or None, units=units, uncertainty_km=uncertainty_km)
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
def overlap_command(
    sources: tuple[str, ...],
    matrix: bool,
    per_feature: bool,
    units: str,
    uncertainty_km: float | None,
    fmt: str,
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
        list(sources) or None, per_feature=per_feature, units=units, uncertainty_km=uncertainty_km
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
def coverage_command(
    target: str,
    by: tuple[str, ...],
    per_country: bool,
    countries: str,
    units: str,
    uncertainty_km: float | None,
    fmt: str,
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
    default=None,
    metavar="FILE",
    help="Write the gap geometry: a layer added to a .gpkg (FILE.gpkg::NAME, default 'gap'), "
    "else GeoJSON; - for GeoJSON on stdout (the table then goes to stderr).",
)
@click.option("--overwrite", is_flag=True, help="Replace a GeoPackage layer of the same name.")
@_analysis_options
def gap_command(
    target: str,
    by: tuple[str, ...],
    output: str | None,
    overwrite: bool,
    units: str,
    uncertainty_km: float | None,
    fmt: str,
) -> None:
    """The part of TARGET outside the --by layers.

    Its area and, with -o, its geometry: RFC 7946 GeoJSON, or a layer added to a
    GeoPackage (its other layers kept), written atomically. An input is never written over.

    \b
    Example:
      amurgeo gap leopard-range --by land-of-the-leopard --by NCTLNP -o gap.geojson
      amurgeo gap leopard-range --by survey.gpkg::blocks -o survey.gpkg::leopard_gap
    """
    from amurgeo.analysis import gap
    from amurgeo.export import write_layer
    from amurgeo.output import check_output

    out = None
    if output is not None:  # fail before the work, not after it
        gpkg = output.split("::")[0].lower().endswith(".gpkg")
        out = check_output(
            output, inputs=[target, *by], binary=gpkg, stream=not gpkg, overwrite=overwrite
        )
    units = units.lower()
    table = gap(target, list(by), units=units, uncertainty_km=uncertainty_km)
    columns = ["target", "by", *_unit_columns(units, "target", "gap", "gap:low", "gap:high")]
    _echo_table(table, fmt, [*columns, "gap_pct"], err=out is not None and out.kind == "stdout")
    if out is not None:
        layer = write_layer(table, out, layer="gap")
        shown = f"layer {layer!r} of {out.display}" if out.is_geopackage else out.display
        click.echo(f"amurgeo: wrote {shown}", err=True)


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
    metavar="FILE",
    help="HTML file to write (- for stdout); an input is never written over.",
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
    from amurgeo.maps import build_map, map_html
    from amurgeo.output import check_output, write_bytes

    out = check_output(  # before the work
        output, inputs=[*sources, observations], geopackage=False, what="a map (HTML)"
    )
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
    page = map_html(built).encode("utf-8")
    write_bytes(out, page)
    click.echo(f"amurgeo: wrote {out.display} ({len(page) / 1e6:.2f} MB)", err=True)


# --- figure and export commands (amurgeo.figures, amurgeo.export) -----------------------------


@cli.command("figure")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE",
    help="Image to write: .png, .svg or .pdf (- for stdout, with --format).",
)
@click.option(
    "--format",
    "image_format",
    type=click.Choice(["png", "svg", "pdf"], case_sensitive=False),
    default=None,
    help="Image format [default: from the suffix of -o; png for -].",
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
    image_format: str | None,
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

    from amurgeo.figures import plot_figure, save_figure
    from amurgeo.output import STDOUT, check_output

    suffix = f".{image_format.lower()}" if image_format else Path(output).suffix.lower()
    if output == STDOUT and not image_format:
        suffix = ".png"
    if suffix not in (".png", ".svg", ".pdf"):
        raise click.BadParameter(
            f"{output!r} ends in {suffix or 'no suffix'!r}; expected .png, .svg or .pdf",
            param_hint="'-o' / '--output'",
        )
    out = check_output(  # before the work
        output, inputs=sources, binary=suffix != ".svg", what=suffix[1:].upper(), geopackage=False
    )
    fig = plot_figure(
        list(sources) or None,
        title=title,
        subtitle=subtitle,
        note=note,
        bounds=bounds,
        width=width,
    )
    save_figure(fig, out, dpi=dpi, fmt=suffix[1:])
    if out.kind in ("new", "file"):
        data = Path(out).read_bytes()
        pixels = ""
        if suffix == ".png":
            w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            pixels = f", {w} x {h} px"
        click.echo(f"amurgeo: wrote {out.display} ({_size_text(len(data))}{pixels})", err=True)
    else:
        click.echo(f"amurgeo: wrote {out.display}", err=True)


@cli.command("export")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="PATH",
    help="A .gpkg file (layers added, its other layers kept), or a folder for one GeoJSON "
    "file per layer.",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace GeoPackage layers that have the same names."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gpkg", "geojson"], case_sensitive=False),
    default=None,
    help="Output format [default: gpkg for a .gpkg path, geojson for a folder].",
)
def export_command(sources: tuple[str, ...], output: str, overwrite: bool, fmt: str | None) -> None:
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

    written = export_layers(output, list(sources) or None, fmt=fmt, overwrite=overwrite)
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


def _exit_now(signum: int, _frame: Any) -> None:
    os._exit(128 + signum)  # the work is done and reported: no unwinding left to do


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``amurgeo`` command line (entry point of the console script).

    SIGINT and SIGTERM raise :class:`Interrupted` from here on, so that a signal between two
    steps of the command line is reported like one during the command; one that comes after
    (while Python shuts down) ends the process at once with 128 + its number.
    """
    signals = (signal.SIGINT, signal.SIGTERM)
    with contextlib.suppress(ValueError, OSError):  # not the main thread: leave them be
        for signum in signals:
            signal.signal(signum, _raise_interrupted)
    try:
        cli.main(args=argv, prog_name="amurgeo")
    except Interrupted as exc:
        name = "interrupted" if exc.signum == signal.SIGINT else "terminated"
        _fail(name, 128 + exc.signum)
    finally:
        with contextlib.suppress(ValueError, OSError):
            held = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
            for signum in signals:
                signal.signal(signum, _exit_now)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
