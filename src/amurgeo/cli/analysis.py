"""The analysis commands: ``areas``, ``overlap``, ``coverage``, ``gap`` (amurgeo.analysis)."""

from __future__ import annotations

import click

from amurgeo.cli.options import (
    AreaSettings,
    area_options,
    echo_table,
    protecting_option,
    require_suffix,
    unit_columns,
)


@click.command("areas")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@area_options
def areas_command(sources: tuple[str, ...], settings: AreaSettings) -> None:
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
      amurgeo areas survey_blocks.gpkg --name-col block_id
      amurgeo areas WDPA_Nov2025_Public_RUS.gdb --wdpa-include-status Proposed
    """
    from amurgeo.analysis import area_table

    units = settings.units
    table = area_table(list(sources) or None, **settings.kwargs())
    columns = ["layer", "feature"]
    columns += unit_columns(units, "area", "area:low", "area:high", "reported_area")
    if units != "km2":
        columns.append("reported_area_km2")
    columns += ["difference_pct", "flag"]
    echo_table(table, settings.fmt, columns)


@click.command("overlap")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@click.option(
    "--matrix",
    is_flag=True,
    help="Every pair of the leopard overview's bundled area layers (name the tiger layers).",
)
@click.option("--per-feature", is_flag=True, help="Compare features instead of dissolved layers.")
@area_options
def overlap_command(
    sources: tuple[str, ...], matrix: bool, per_feature: bool, settings: AreaSettings
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
      amurgeo overlap blocks.gpkg LotL --per-feature --name-col block_id
    """
    from amurgeo.analysis import overlap_matrix

    if not sources and not matrix:
        raise click.UsageError("give two or more layers or files, or --matrix")
    if len(sources) == 1 and not per_feature:
        raise click.UsageError("give two or more layers or files (or --per-feature)")
    table = overlap_matrix(list(sources) or None, per_feature=per_feature, **settings.kwargs())
    columns = ["a", "b", *unit_columns(settings.units, "overlap", "overlap:low", "overlap:high")]
    echo_table(table, settings.fmt, [*columns, "pct_of_a", "pct_of_b"])


@click.command("coverage")
@click.argument("target", metavar="TARGET")
@protecting_option
@click.option("--per-country", is_flag=True, help="Split by country (Russia, China, ...).")
@click.option(
    "--countries",
    default="countries",
    show_default=True,
    metavar="LAYER|FILE",
    help="Countries layer for --per-country.",
)
@area_options
def coverage_command(
    target: str, by: tuple[str, ...], per_country: bool, countries: str, settings: AreaSettings
) -> None:
    """How much of TARGET the --by layers protect.

    The share of TARGET inside the union of the --by layers, which are dissolved together
    first, so that overlapping protected areas are counted once. --per-country splits by
    the --countries layer: with your own regions (districts, ranger sections) --name-col
    names them.

    \b
    Example:
      amurgeo coverage leopard-range --by land-of-the-leopard --by NCTLNP --per-country
      amurgeo coverage leopard-range --by LotL --per-country --countries districts.gpkg \\
        --name-col NAME_2
    """
    from amurgeo.analysis import coverage

    table = coverage(
        target, list(by), per_country=per_country, countries=countries, **settings.kwargs()
    )
    columns = ["target", "by", *(["country"] if per_country else [])]
    columns += unit_columns(settings.units, "target", "covered", "covered:low", "covered:high")
    echo_table(table, settings.fmt, [*columns, "covered_pct"])


@click.command("gap")
@click.argument("target", metavar="TARGET")
@protecting_option
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE",
    help="Write the gap geometry: a layer added to a .gpkg (FILE.gpkg::NAME, default 'gap'), "
    "else GeoJSON; - for GeoJSON on stdout (the table then goes to stderr).",
)
@click.option("--overwrite", is_flag=True, help="Replace a GeoPackage layer of the same name.")
@area_options(names=False)
def gap_command(
    target: str, by: tuple[str, ...], output: str | None, overwrite: bool, settings: AreaSettings
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
    from amurgeo.output import check_layer_free, check_output

    out = None
    if output is not None:  # fail before the work, not after it
        gpkg = output.split("::")[0].lower().endswith(".gpkg")
        out = check_output(
            output, inputs=[target, *by], binary=gpkg, stream=not gpkg, overwrite=overwrite
        )
        require_suffix(output, (".geojson", ".json", ".gpkg"))  # nothing else written over
        check_layer_free(out, "gap")
    table = gap(target, list(by), **settings.kwargs())
    columns = [
        "target",
        "by",
        *unit_columns(settings.units, "target", "gap", "gap:low", "gap:high"),
    ]
    to_stderr = out is not None and out.kind == "stdout"
    echo_table(table, settings.fmt, [*columns, "gap_pct"], err=to_stderr)
    if out is not None:
        layer = write_layer(table, out, layer="gap")
        shown = f"layer {layer!r} of {out.display}" if out.is_geopackage else out.display
        click.echo(f"amurgeo: wrote {shown}", err=True)
