"""The ``figure`` command (amurgeo.figures)."""

from __future__ import annotations

import click

from amurgeo.catalog import THEMES
from amurgeo.cli.options import (
    coordinate_options,
    name_col_option,
    output_option,
    require_suffix,
    size_text,
    theme_option,
    time_options,
    with_point_tables,
)


@click.command("figure")
@click.argument("sources", nargs=-1, metavar="[LAYER|FILE]...")
@output_option("Image to write: .png, .svg or .pdf (- for stdout, with --format).")
@click.option(
    "--format",
    "image_format",
    type=click.Choice(["png", "svg", "pdf"], case_sensitive=False),
    default=None,
    help="Image format [default: from the suffix of -o; png for -].",
)
@theme_option(given_only=True)
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
@coordinate_options
@click.option(
    "--observations",
    default=None,
    metavar="FILE",
    help="Chart the observations of FILE (CSV, Parquet, vector file) per period and area "
    "instead of drawing a map.",
)
@click.option(
    "--area",
    "areas",
    multiple=True,
    metavar="LAYER|FILE",
    help="Area layer to count in, for --observations (repeat) [default: the protected areas].",
)
@click.option("--per-feature", is_flag=True, help="A bar per feature of the --area layers.")
@name_col_option
@time_options(by_help="Period of the chart's bars [default: year].")
def figure_command(
    sources: tuple[str, ...],
    output: str,
    image_format: str | None,
    theme: str | None,
    title: str | None,
    subtitle: str | None,
    note: str | None,
    bounds: tuple[float, float, float, float] | None,
    width: float,
    dpi: int,
    lon_col: str | None,
    lat_col: str | None,
    crs: str | None,
    observations: str | None,
    areas: tuple[str, ...],
    per_feature: bool,
    name_col: str | None,
    time_col: str | None,
    time_format: str | None,
    time_zone: str | None,
    since: str | None,
    until: str | None,
    by: str | None,
) -> None:
    """Write a static map (PNG, SVG or PDF) for a report.

    The overview of --theme by default: layers, activity places, countries with borders and coast, a
    legend, a scale bar, a north arrow, a title and a data note, in an equal-area
    projection. The same input gives the same bytes.

    \b
    Example:
      amurgeo figure -o docs/amur_leopard.png --dpi 150
      amurgeo figure --theme tiger -o docs/amur_tiger.png --dpi 150
      amurgeo figure leopard-range LotL NCTLNP my_plots.gpkg -o plots.pdf --title "Plots"
      amurgeo figure LotL camera_traps.csv -o cameras.png
      amurgeo figure --observations camera_traps.csv --by month -o per_month.png

    With --observations: a bar chart of the observations per period (--by, default year)
    in each area (--area layers, default the bundled protected areas, and outside them).
    """
    from pathlib import Path

    from amurgeo.figures import plot_figure, save_figure
    from amurgeo.output import STDOUT, check_output

    path_suffix = "" if output == STDOUT else Path(output.split("::")[0]).suffix.lower()
    suffix = f".{image_format.lower()}" if image_format else path_suffix or ".png"
    out = check_output(  # before the work
        output,
        inputs=[*sources, *([observations] if observations else [])],
        binary=suffix != ".svg",
        what=suffix[1:].upper(),
        geopackage=False,
    )
    require_suffix(output, (".png", ".svg", ".pdf"))  # nothing of another kind written over
    if path_suffix and suffix != path_suffix:  # no SVG written into a file named .png
        raise click.BadParameter(
            f"{output!r} ends in {path_suffix!r} but --format is {suffix[1:]!r}",
            param_hint="'-o' / '--output'",
        )
    chart_only = (by, areas, per_feature, name_col, time_col, time_format, time_zone, since, until)
    if observations is None and any(v not in (None, (), False) for v in chart_only):
        raise click.UsageError(
            "--by, --area, --per-feature, --name-col, --time-col, --time-format, --time-zone, "
            "--since and --until need --observations"
        )
    if observations is not None:
        if sources or bounds or subtitle is not None or note is not None or theme is not None:
            raise click.UsageError(
                "--observations draws a chart: give areas with --area, not as arguments "
                "(and no --bounds, --subtitle, --note or --theme)"
            )
        from amurgeo.figures import plot_periods
        from amurgeo.observations import count_observations

        table = count_observations(
            observations,
            areas=list(areas) or None,
            countries=None,
            lon_col=lon_col,
            lat_col=lat_col,
            crs=crs,
            per_feature=per_feature,
            name_col=name_col,
            time_col=time_col,
            time_format=time_format,
            since=since,
            until=until,
            by=(by or "year").lower(),
            time_zone=time_zone or "UTC",
        )
        fig = plot_periods(table, title=title, width=width)
    else:
        fig = plot_figure(
            with_point_tables(sources, lon_col, lat_col, crs) or None,
            title=title,
            subtitle=subtitle,
            note=note,
            bounds=bounds,
            width=width,
            theme=(theme or THEMES[0]).lower(),
        )
    save_figure(fig, out, dpi=dpi, fmt=suffix[1:])
    if out.kind in ("new", "file"):
        data = Path(out).read_bytes()
        pixels = ""
        if suffix == ".png":
            w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            pixels = f", {w} x {h} px"
        click.echo(f"amurgeo: wrote {out.display} ({size_text(len(data))}{pixels})", err=True)
    else:
        click.echo(f"amurgeo: wrote {out.display}", err=True)
