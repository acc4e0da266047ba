"""The ``figure`` command (amurgeo.figures)."""

from __future__ import annotations

import click

from amurgeo.cli.options import size_text


@click.command("figure")
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
    click.echo(f"amurgeo: wrote {path} ({size_text(size)}{pixels})", err=True)
