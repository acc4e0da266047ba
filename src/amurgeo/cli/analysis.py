"""The analysis commands: ``areas``, ``overlap``, ``coverage``, ``gap`` (amurgeo.analysis)."""

from __future__ import annotations

import click

from amurgeo.cli.options import analysis_options, echo_table, unit_columns


@click.command("areas")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@analysis_options
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
    columns += unit_columns(units, "area", "area:low", "area:high", "reported_area")
    if units != "km2":
        columns.append("reported_area_km2")
    columns += ["difference_pct", "flag"]
    echo_table(table, fmt, columns)


@click.command("overlap")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option("--matrix", is_flag=True, help="Every pair of bundled area layers.")
@click.option("--per-feature", is_flag=True, help="Compare features instead of dissolved layers.")
@analysis_options
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
    columns = ["a", "b", *unit_columns(units, "overlap", "overlap:low", "overlap:high")]
    echo_table(table, fmt, [*columns, "pct_of_a", "pct_of_b"])


@click.command("coverage")
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
@analysis_options
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
    columns += unit_columns(units, "target", "covered", "covered:low", "covered:high")
    echo_table(table, fmt, [*columns, "covered_pct"])


@click.command("gap")
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
@analysis_options
def gap_command(
    target: str,
    by: tuple[str, ...],
    output: str | None,
    units: str,
    uncertainty_km: float | None,
    fmt: str,
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
    table = gap(target, list(by), units=units, uncertainty_km=uncertainty_km)
    columns = ["target", "by", *unit_columns(units, "target", "gap", "gap:low", "gap:high")]
    echo_table(table, fmt, [*columns, "gap_pct"])
    if output is not None:
        write_geojson(table, output, name="gap")
        click.echo(f"amurgeo: wrote {output}", err=True)
