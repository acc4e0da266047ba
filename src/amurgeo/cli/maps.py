"""The ``map`` command (amurgeo.maps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from amurgeo.cli.options import (
    LANG_CHOICE,
    PERIOD_CHOICE,
    cluster_options,
    name_col_option,
    observation_options,
    output_option,
    require_suffix,
    theme_option,
    time_column_options,
)

if TYPE_CHECKING:
    from amurgeo.observations.points import ReadOptions


@click.command("map")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@output_option("HTML file to write (- for stdout); an input is never written over.")
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
    type=LANG_CHOICE,
    default="en",
    show_default=True,
    help="Language of the labels.",
)
@theme_option()
@click.option("--title", default=None, help="Title of the page.")
@click.option("--no-overlaps", is_flag=True, help="Leave out the overlaps of protected areas.")
@click.option("--no-gaps", is_flag=True, help="Leave out the range outside protected areas.")
@click.option(
    "--observations",
    default=None,
    metavar="FILE",
    help="Observations (CSV, Parquet, GeoParquet, vector file, partition directory or URL) "
    "drawn as equal-area hexagons of their density; Parquet is binned piece by piece.",
)
@observation_options
@cluster_options
@click.option(
    "--by",
    type=PERIOD_CHOICE,
    default=None,
    help="Also draw the --observations as one layer per period (year, month ...), each "
    "toggled on its own.",
)
@time_column_options
@name_col_option
@click.option(
    "--no-simplify", is_flag=True, help="Draw detailed layers with every vertex (bigger page)."
)
def map_command(
    sources: tuple[str, ...],
    output: str,
    self_contained: bool,
    basemap: str | None,
    lang: str,
    theme: str,
    title: str | None,
    no_overlaps: bool,
    no_gaps: bool,
    observations: str | None,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: str | None,
    workers: int | None,
    scheduler: str | None,
    by: str | None,
    time_col: str | None,
    time_format: str | None,
    time_zone: str | None,
    name_col: str | None,
    no_simplify: bool,
) -> None:
    """Write an interactive map of bundled layers and/or your files (an overview by default).

    \b
    Example:
      amurgeo map -o amur.html
      amurgeo map --theme tiger -o amur_tiger.html --lang zh
      amurgeo map leopard-range LotL my_plots.gpkg -o plots.html --lang ru --self-contained
      amurgeo map --observations camera_traps.csv -o detections.html --self-contained
      amurgeo map --observations collars/ --scheduler tcp://10.0.0.5:8786 -o collars.html
      amurgeo map LotL survey_blocks.gpkg --name-col block_id -o blocks.html
      amurgeo map LotL --observations camera_traps.csv --by year -o by_year.html
    """
    from amurgeo.maps import build_map, map_html
    from amurgeo.observations.points import ReadOptions
    from amurgeo.output import check_output, write_bytes

    out = check_output(  # before the work
        output, inputs=[*sources, observations], geopackage=False, what="a map (HTML)"
    )
    require_suffix(output, (".html", ".htm"))  # nothing of another kind written over
    given = (lon_col, lat_col, species_col, crs)
    if observations is None and any(v is not None for v in given):
        raise click.UsageError("--lon-col, --lat-col, --species-col and --crs need --observations")
    if observations is None and any(v is not None for v in (by, time_col, time_format, time_zone)):
        raise click.UsageError(
            "--by, --time-col, --time-format and --time-zone need --observations"
        )
    if observations is None and (workers is not None or scheduler is not None):
        raise click.UsageError("--workers and --scheduler need --observations")
    if by is None and any(v is not None for v in (time_col, time_format, time_zone)):
        raise click.UsageError(  # the map reads dates only for the period layers of --by
            "--time-col, --time-format and --time-zone need --by"
        )
    points: Any = observations
    options = ReadOptions(*given, time_col, time_format, time_zone or "UTC")
    binned = _binned_observations(observations, options, workers, scheduler)
    if binned is not None:
        pass  # Parquet: binned and sampled piece by piece by build_map
    elif observations is not None and by is not None:
        from amurgeo.observations import read_observations

        points = read_observations(
            observations,
            lon_col=lon_col,
            lat_col=lat_col,
            species_col=species_col,
            crs=crs,
            time_col=time_col,
            time_format=time_format,
            time_zone=time_zone or "UTC",
        )
        if "time" not in points.columns:
            raise click.UsageError(
                f"{observations}: no date/time column found for --by; name it with --time-col"
            )
    elif observations is not None and any(v is not None for v in given):
        from amurgeo.observations import load_observations

        points = load_observations(
            observations, lon_col=lon_col, lat_col=lat_col, species_col=species_col, crs=crs
        )
    built = build_map(
        _named_layers(sources, name_col) or None,
        lang=lang.lower(),
        basemap=basemap,
        title=title,
        overlaps=not no_overlaps,
        gaps=not no_gaps,
        self_contained=self_contained,
        observations=points,
        simplify=not no_simplify,
        observations_by=by.lower() if by else None,
        **(binned or {}),
        theme=theme.lower(),
    )
    page = map_html(built).encode("utf-8")
    write_bytes(out, page)
    click.echo(f"amurgeo: wrote {out.display} ({len(page) / 1e6:.2f} MB)", err=True)


def _binned_observations(
    observations: str | None,
    options: ReadOptions,
    workers: int | None,
    scheduler: str | None,
) -> dict[str, Any] | None:
    """The keywords of :func:`build_map` for Parquet observations binned piece by piece.

    None for other observations (read in memory here).
    """
    from amurgeo.observations.partitions import is_piecewise

    if observations is None or not is_piecewise(observations):
        if workers is not None or scheduler is not None:
            raise click.UsageError(
                f"{observations}: --workers and --scheduler are for Parquet observations (a "
                "file, a folder of partitions or a URL)"
            )
        return None
    return {
        "workers": workers,
        "scheduler": scheduler,
        "observation_options": options,
    }


def _named_layers(sources: tuple[str, ...], name_col: str | None) -> list[Any]:
    """The sources; those with a `name_col` column read, with it naming their features.

    A one-line error naming the first layer and its columns when none has it.
    """
    if name_col is None:
        return list(sources)
    from amurgeo.errors import UsageError
    from amurgeo.io import label_column, read_vector

    layers: list[Any] = []
    missing: list[str] = []
    for source in sources:
        gdf = read_vector(source)
        try:
            label_column(gdf, name_col)
        except UsageError as error:
            missing.append(str(error))
            layers.append(source)
            continue
        gdf.attrs["name_col"] = name_col
        layers.append(gdf)
    if missing and len(missing) == len(layers):
        raise UsageError(missing[0])
    return layers
