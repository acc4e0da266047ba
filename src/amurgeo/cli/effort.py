"""The ``effort`` (Camtrap DP camera-trap effort) and ``patrols`` (patrol effort) commands."""

from __future__ import annotations

from typing import Any

import click

from amurgeo.cli.options import (
    FORMAT_CHOICE,
    echo_records,
    per_feature_options,
    period_options,
    time_column_options,
    time_zone_option,
)


def _area_options(command: Any) -> Any:
    """--area, --per-feature, --name-col, --countries, --since, --until, --by and --format."""
    command = click.option(
        "--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True
    )(command)
    command = period_options(command)
    command = per_feature_options("Measure effort")(command)
    command = click.option(
        "--countries",
        default=None,
        metavar="LAYER|FILE",
        help="Countries layer for per-country rows (e.g. countries) [default: none].",
    )(command)
    return click.option(
        "--area",
        "areas",
        multiple=True,
        metavar="LAYER|FILE",
        help="Area layer (repeat) [default: every bundled protected area].",
    )(command)


@click.command("effort")
@click.argument("package", metavar="DATAPACKAGE")
@_area_options
@click.option(
    "--independence",
    default="30min",
    show_default=True,
    metavar="DURATION",
    help="Merge detections of one species at one deployment closer than this (e.g. 1h, 0).",
)
@click.option("--no-validate", is_flag=True, help="Skip the frictionless validation.")
@time_zone_option
def effort_command(
    package: str,
    areas: tuple[str, ...],
    countries: str | None,
    per_feature: bool,
    name_col: str | None,
    by: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    independence: str,
    no_validate: bool,
    time_zone: str | None,
) -> None:
    """Camera-trap effort and detection rates from a Camtrap DP package.

    DATAPACKAGE is a Camtrap DP datapackage.json (or its folder), validated first. Per area,
    period and species: deployments, trap_nights (camera days), independent detections
    (event-level animal observations, merged within --independence) and
    per_100_trap_nights.

    \b
    Example:
      amurgeo effort notebooks/data/camtrap_dp/datapackage.json --by year
      amurgeo effort datapackage.json --by day --time-zone Asia/Vladivostok
      amurgeo effort notebooks/data/camtrap_dp --area blocks.geojson --per-feature
    """
    from amurgeo.observations.effort import camtrap_effort

    table = camtrap_effort(
        package,
        areas=list(areas) or None,
        countries=countries,
        per_feature=per_feature,
        name_col=name_col,
        by=by.lower() if by else None,
        since=since,
        until=until,
        independence=independence,
        validate=not no_validate,
        time_zone=time_zone or "UTC",
    )
    headers = {"trap_nights": "trap-nights", "per_100_trap_nights": "per 100 trap-nights"}
    echo_records(table, fmt, headers)


@click.command("patrols")
@click.argument("tracks", metavar="TRACKS")
@_area_options
@click.option(
    "--patrol-col", default=None, metavar="NAME", help="Patrol id column [default: found by name]."
)
@time_column_options
def patrols_command(
    tracks: str,
    areas: tuple[str, ...],
    countries: str | None,
    per_feature: bool,
    name_col: str | None,
    by: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    patrol_col: str | None,
    time_col: str | None,
    time_format: str | None,
    time_zone: str | None,
) -> None:
    """Patrol effort: geodesic km of track and number of patrols per area (and period).

    TRACKS is a vector file of lines (SMART track export, GPX, GeoPackage ...) with a patrol
    id and a date, found by name (Patrol_ID, Patrol_Start_Date, date ...) or given.

    \b
    Example:
      amurgeo patrols tracks.gpkg --by month
      amurgeo patrols tracks.gpkg --area blocks.gpkg --per-feature --name-col block_id
    """
    from amurgeo.observations.patrols import patrol_effort

    table = patrol_effort(
        tracks,
        areas=list(areas) or None,
        countries=countries,
        per_feature=per_feature,
        name_col=name_col,
        by=by.lower() if by else None,
        since=since,
        until=until,
        patrol_col=patrol_col,
        time_col=time_col,
        time_format=time_format,
        time_zone=time_zone or "UTC",
    )
    echo_records(table, fmt, {"km": "km (geodesic)"})
