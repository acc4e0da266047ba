"""The ``layers`` and ``export`` commands (amurgeo.catalog, amurgeo.export)."""

from __future__ import annotations

import click

from amurgeo._output import render
from amurgeo.cli.options import FORMAT_CHOICE, output_option, size_text
from amurgeo.export import EXPORT_FORMATS


@click.command("layers")
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


@click.command("export")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@output_option(
    "A .gpkg file (layers added, its other layers kept), or a folder for one GeoJSON "
    "file per layer.",
    metavar="PATH",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace GeoPackage layers that have the same names."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS, case_sensitive=False),
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
    click.echo(f"amurgeo: wrote {output} ({size_text(size)})", err=True)
