"""The ``observations`` command (amurgeo.observations)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from amurgeo.cli.options import (
    FORMAT_CHOICE,
    cluster_options,
    echo_records,
    observation_options,
    per_feature_options,
    time_options,
)


@click.command("observations")
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
@per_feature_options("Count")
@observation_options
@time_options
@cluster_options
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
def observations_command(
    source: str,
    areas: tuple[str, ...],
    countries: str,
    per_feature: bool,
    name_col: str | None,
    lon_col: str | None,
    lat_col: str | None,
    species_col: str | None,
    crs: str | None,
    time_col: str | None,
    time_format: str | None,
    since: str | None,
    until: str | None,
    by: str | None,
    time_zone: str | None,
    workers: int | None,
    scheduler: str | None,
    fmt: str,
) -> None:
    """Count observations (camera traps, GPS collars) per protected area and country.

    FILE is a CSV/TSV, Parquet, GeoParquet or vector file of points, a directory of
    (Geo)Parquet partitions, or an s3://, gs://, abfs:// or https:// URL of Parquet (needs
    amurgeo[s3], [gcs], [azure] or [http]). Parquet is counted piece by piece in bounded
    memory, on every local core (--workers) or on a dask cluster (--scheduler).
    Coordinate columns are found by name (lon/lng/longitude/x, lat/latitude/y,
    decimalLongitude ...); rows with missing or
    out-of-range coordinates are dropped with a warning. Rows: each area, "(any protected
    area)", "(outside protection)", each country and "(no country)". Per-area counts
    overlap (Kedrovaya Pad lies inside Land of the Leopard); inside plus outside
    protection is every observation. With a species column, one count_<species> column
    per species. A layer given with --area is an area ("(inside any area)", "(outside the
    areas)") unless it carries WDPA attributes. --by adds a period column (dates found by
    name, NASA FIRMS acq_date + acq_time included); rows without a readable date are
    dropped with a warning.

    \b
    Example:
      amurgeo observations camera_traps.csv --format json
      amurgeo observations fixes.parquet --lon-col X --lat-col Y --crs EPSG:32652
      amurgeo observations cams.csv --area blocks.gpkg --per-feature --by year
      amurgeo observations fire_nrt_SV-C2.csv --by year
      amurgeo observations cams.csv --by day --time-zone Asia/Vladivostok
      amurgeo observations collars/ --scheduler tcp://10.0.0.5:8786 --since 2020
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
        per_feature=per_feature,
        name_col=name_col,
        time_col=time_col,
        time_format=time_format,
        since=since,
        until=until,
        by=by.lower() if by else None,
        time_zone=time_zone or "UTC",
        workers=workers,
        scheduler=scheduler,
    )
    echo_records(table, fmt, {"pct": "% of all", "count": "observations"})
    click.echo(f"amurgeo: {_counted_line(table.attrs, since, until)}", err=True)


def _window(since: str | None, until: str | None) -> str:
    """The --since / --until window in words: ``from 2021 to the end of 2022``."""
    parts = ([f"from {since}"] if since else []) + ([f"to the end of {until}"] if until else [])
    return " ".join(parts)


def _counted_line(attrs: Mapping[Any, Any], since: str | None, until: str | None) -> str:
    """What was counted, of what was read; a warning when the --since/--until window is empty."""
    rows, counted = int(attrs["rows"]), int(attrs["counted"])
    window = _window(since, until)
    if window and not counted:
        return f"warning: no observation lies in the window ({window}): 0 counted, of {rows:,} read"
    where = f" ({window})" if window else ""
    of = f", of {rows:,} read" if counted != rows else ""
    noun = "observation" if counted == 1 else "observations"
    return f"{counted:,} {noun} counted{where}{of}"
