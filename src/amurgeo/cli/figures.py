"""The ``figure`` command (amurgeo.figures)."""

from __future__ import annotations

import click

from amurgeo.cli.options import output_option, size_text


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
        click.echo(f"amurgeo: wrote {out.display} ({size_text(len(data))}{pixels})", err=True)
    else:
        click.echo(f"amurgeo: wrote {out.display}", err=True)
