"""Options and output helpers shared by the commands, with choices derived from the library."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import click

from amurgeo._output import FORMATS, render
from amurgeo.catalog import THEMES
from amurgeo.errors import UsageError
from amurgeo.measure import UNITS
from amurgeo.observations.dates import PERIODS, check_time_zone, check_window, parse_bound
from amurgeo.schema import LANGS

FORMAT_CHOICE = click.Choice(FORMATS, case_sensitive=False)
LANG_CHOICE = click.Choice(list(LANGS), case_sensitive=False)
PERIOD_CHOICE = click.Choice(list(PERIODS), case_sensitive=False)


def option_group(*options: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """One decorator made of several (click options or groups), in --help in the order given."""

    def apply(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


UNITS_CHOICE = click.Choice(list(UNITS), case_sensitive=False)
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


def echo_table(frame: Any, fmt: str, table_columns: list[str], *, err: bool = False) -> None:
    """Print a result: every column as CSV/JSON, `table_columns` with units as a table.

    To stderr with `err` (when the data itself goes to stdout).
    """
    fmt = fmt.lower()
    data = frame.drop(columns=[frame.geometry.name]) if hasattr(frame, "geometry") else frame
    columns = table_columns if fmt in ("table", "markdown") else list(data.columns)
    records = data[columns].to_dict(orient="records")
    headers = {c: _column_title(c) for c in columns}
    click.echo(render(records, fmt, headers=headers), nl=False, err=err)


def echo_records(table: Any, fmt: str, headers: dict[str, str] | None = None) -> None:
    """Print every column of a result table as `fmt`; an empty table keeps its header."""
    records = [{str(k): v for k, v in r.items()} for r in table.to_dict(orient="records")]
    columns = [str(c) for c in table.columns]
    click.echo(render(records, fmt.lower(), headers=headers, columns=columns), nl=False)


def unit_columns(units: str, *stems: str) -> list[str]:
    """``area`` -> ``area_<unit>``; ``area:low`` -> ``area_<unit>_low``."""
    out = []
    for stem in stems:
        name, _, suffix = stem.partition(":")
        out.append(f"{name}_{units}" + (f"_{suffix}" if suffix else ""))
    return out


def require_suffix(output: str, suffixes: tuple[str, ...]) -> str:
    """The lower-case suffix of the ``-o`` path; a usage error (exit 2) if not in `suffixes`.

    A command writes one kind of file, so ``map -o detections.csv`` must not replace the
    user's CSV with HTML: this runs before any work, and nothing is written. ``-`` (standard
    output) passes with an empty suffix; ``FILE.gpkg::NAME`` is judged by FILE.
    """
    if output == "-":
        return ""
    suffix = PurePath(output.split("::")[0]).suffix.lower()
    if suffix not in suffixes:
        expected = " or ".join(
            [", ".join(suffixes[:-1]), suffixes[-1]] if suffixes[:-1] else suffixes
        )
        raise click.BadParameter(
            f"{output!r} ends in {suffix or 'no suffix'!r}; expected {expected}",
            param_hint="'-o' / '--output'",
        )
    return suffix


def output_option(help_text: str, metavar: str = "FILE") -> Any:
    """The required ``-o/--output`` option of a command that writes a file (or a folder)."""
    return click.option("-o", "--output", required=True, metavar=metavar, help=help_text)


#: --name-col: the column that names the features of the user's own layers.
THEME_CHOICE = click.Choice(list(THEMES), case_sensitive=False)


def theme_option(*, given_only: bool = False) -> Any:
    """``--theme``: which overview a command draws when no layers are given (``map``, ``figure``).

    With `given_only` the value is None unless the option is given (``figure`` refuses it
    beside ``--observations``); the overview is still the leopard's by default.
    """
    return click.option(
        "--theme",
        type=THEME_CHOICE,
        default=None if given_only else THEMES[0],
        help="The overview drawn when no layers are given, and its title: leopard (SW Primorye "
        "and the Chinese park beside it) or tiger (the tiger's range and its protected areas "
        f"in Russia and China, each reserve named) [default: {THEMES[0]}].",
    )


name_col_option = click.option(
    "--name-col",
    default=None,
    metavar="COLUMN",
    help="Column that names the features of your own layers [default: name, title, label, "
    "id, code, then a column ending in _id or ID].",
)


@dataclass(frozen=True)
class AreaSettings:
    """What the options of :func:`area_options` asked for, ready for the analysis functions."""

    units: str
    uncertainty_km: float | None
    fmt: str
    wdpa: Any
    name_col: str | None

    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments of the analysis functions (`name_col` only when given)."""
        given = {"name_col": self.name_col} if self.name_col is not None else {}
        return {
            "units": self.units,
            "uncertainty_km": self.uncertainty_km,
            "wdpa": self.wdpa,
            **given,
        }


def area_options(command: Any = None, *, names: bool = True) -> Any:
    """The options every analysis command takes, passed to it as one ``settings`` argument.

    --units, --uncertainty-km, --format, --name-col (unless `names` is False: a command
    whose results name no feature) and the WDPA options, collected into an
    :class:`AreaSettings`. Use as ``@area_options`` or ``@area_options(names=False)``.
    """
    if command is None:
        return functools.partial(area_options, names=names)

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        kwargs["settings"] = AreaSettings(
            units=kwargs.pop("units").lower(),
            uncertainty_km=kwargs.pop("uncertainty_km"),
            fmt=kwargs.pop("fmt"),
            wdpa=wdpa_cleaning(kwargs.pop("wdpa_include_status"), kwargs.pop("wdpa_include_mab")),
            name_col=kwargs.pop("name_col", None),
        )
        return command(*args, **kwargs)

    decorated = wdpa_options(run)
    if names:
        decorated = name_col_option(decorated)
    decorated = click.option(
        "--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True
    )(decorated)
    decorated = click.option(
        "--uncertainty-km",
        type=click.FloatRange(min=0),
        default=None,
        help="Boundary uncertainty of every feature for the low-high range "
        "[default: each feature's boundary_uncertainty_km, else 0].",
    )(decorated)
    return click.option(
        "--units", type=UNITS_CHOICE, default="km2", show_default=True, help="Area units."
    )(decorated)


#: The --by option of coverage and gap: the protecting layers.
protecting_option = click.option(
    "--by", "by", multiple=True, required=True, metavar="LAYER|FILE", help="Protecting layer."
)


# --- WDPA options (amurgeo.wdpa): what to keep of a WDPA extract --------------------------


def _wdpa_status_choice() -> click.Choice:
    from amurgeo.wdpa import KNOWN_STATUSES, RETAINED_STATUSES

    extra = [s for s in KNOWN_STATUSES if s not in RETAINED_STATUSES]
    return click.Choice([*extra, "all"], case_sensitive=False)


def wdpa_options(command: Any) -> Any:
    """The --wdpa-include-status and --wdpa-include-mab options of the analysis commands."""
    return option_group(
        click.option(
            "--wdpa-include-status",
            "wdpa_include_status",
            multiple=True,
            type=_wdpa_status_choice(),
            metavar="STATUS",
            help="Also keep WDPA records of this STATUS: Adopted, Proposed, 'Not Reported', or "
            "all (repeat) [default: only Designated, Inscribed and Established].",
        ),
        click.option(
            "--wdpa-include-mab",
            is_flag=True,
            help="Keep UNESCO-MAB Biosphere Reserves of WDPA extracts (left out by default: "
            "their transition zones are not protected).",
        ),
    )(command)


def wdpa_cleaning(include_status: tuple[str, ...], include_mab: bool) -> Any:
    """The :class:`amurgeo.wdpa.WdpaCleaning` the WDPA options ask for."""
    from amurgeo.wdpa import WdpaCleaning

    return WdpaCleaning.including(include_status, mab=include_mab)


# --- end of WDPA options -------------------------------------------------------------------


#: --lon-col, --lat-col and --crs for the CSVs of points among a command's sources.
coordinate_options = option_group(
    click.option(
        "--lon-col",
        default=None,
        metavar="NAME",
        help="Longitude column of a table of points [default: found by name].",
    ),
    click.option(
        "--lat-col",
        default=None,
        metavar="NAME",
        help="Latitude column of a table of points [default: found by name].",
    ),
    click.option(
        "--crs",
        default=None,
        metavar="CRS",
        help="CRS of the coordinate columns, e.g. EPSG:32652 [default: lon/lat WGS84].",
    ),
)


def with_point_tables(
    sources: tuple[str, ...], lon_col: str | None, lat_col: str | None, crs: str | None
) -> list[Any]:
    """The sources, a CSV (or Parquet) of points read with the coordinate options given.

    Without options the library reads such a table itself (columns found by name).
    """
    if lon_col is None and lat_col is None and crs is None:
        return list(sources)
    from amurgeo.observations.read import is_point_table, read_observations

    tables = [s for s in sources if is_point_table(s)]
    if not tables:
        raise click.UsageError("--lon-col, --lat-col and --crs need a CSV or Parquet of points")
    return [
        read_observations(s, lon_col=lon_col, lat_col=lat_col, crs=crs) if is_point_table(s) else s
        for s in sources
    ]


#: --lon-col, --lat-col, --crs and --species-col: how observations are read.
observation_options = option_group(
    coordinate_options,
    click.option(
        "--species-col",
        default=None,
        metavar="NAME",
        help="Species column [default: species, scientificName ... if present].",
    ),
)

#: --workers and --scheduler: where Parquet observations are counted or binned.
cluster_options = option_group(
    click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Local worker processes for Parquet input; 1 works in this process "
        "[default: every core for 2,000,000 rows or more].",
    ),
    click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Run on this dask.distributed scheduler, e.g. tcp://10.0.0.5:8786 (needs "
        "amurgeo[dask]) [default: $DASK_SCHEDULER_ADDRESS, else local processes].",
    ),
)


def size_text(size: int) -> str:
    """A file size for messages: ``0.33 MB``, or ``12 kB`` below 0.1 MB."""
    return f"{size / 1e6:.2f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"


def _check_time_zone(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --time-zone that is not a zone before any file is read."""
    if value is not None:
        try:
            check_time_zone(value)
        except UsageError as error:
            raise click.BadParameter(str(error), ctx=ctx, param=param) from None
    return value


#: --time-zone: the zone the dates are read in (camera clocks are often local time).
time_zone_option = click.option(
    "--time-zone",
    default=None,
    metavar="ZONE",
    callback=_check_time_zone,
    help="Zone of the dates, of --since/--until and of the periods: an IANA name "
    "(Asia/Vladivostok) or a UTC offset (+10:00); dates with an offset are converted into "
    "it, dates without one taken as in it [default: UTC].",
)


#: --time-col, --time-format and --time-zone: where the date of a record is, how to read it.
time_column_options = option_group(
    click.option(
        "--time-col",
        default=None,
        metavar="NAME",
        help="Date/time column [default: DateTime, timestamp, eventStart, date, "
        "acq_date ... found by name].",
    ),
    click.option(
        "--time-format",
        default=None,
        metavar="FORMAT",
        help="strptime format of the dates, e.g. %d/%m/%Y [default: ISO 8601, EXIF, "
        "dd.mm.yyyy ...].",
    ),
    time_zone_option,
)


def _check_bound(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --since / --until that is not a date before any file is read."""
    if value is not None:
        parse_bound(value, end=param.name == "until", what=f"--{param.name}")
        # the other bound, if click has read it already (command-line order)
        bounds = {"since": ctx.params.get("since"), "until": ctx.params.get("until")}
        bounds[str(param.name)] = value
        check_window(bounds["since"], bounds["until"], names=("--since", "--until"))
    return value


def period_options(command: Any = None, *, by_help: str = "One row per area and period.") -> Any:
    """--since, --until and --by: which dates to keep and the rows per period.

    Use as ``@period_options`` or ``@period_options(by_help=...)``.
    """
    if command is None:
        return functools.partial(period_options, by_help=by_help)
    return option_group(
        click.option(
            "--since",
            default=None,
            metavar="DATE",
            callback=_check_bound,
            help="From this date (2021, 2021-05 ...).",
        ),
        click.option(
            "--until",
            default=None,
            metavar="DATE",
            callback=_check_bound,
            help="To the end of this date.",
        ),
        click.option("--by", type=PERIOD_CHOICE, default=None, help=by_help),
    )(command)


def time_options(command: Any = None, *, by_help: str = "One row per area and period.") -> Any:
    """--time-col, --time-format, --time-zone, --since, --until and --by: records by date.

    Use as ``@time_options`` or ``@time_options(by_help=...)``.
    """
    if command is None:
        return functools.partial(time_options, by_help=by_help)
    return time_column_options(period_options(command, by_help=by_help))


def per_feature_options(verb: str) -> Any:
    """--per-feature and --name-col: a row per feature of the --area layers (`verb`: "Count")."""

    def decorate(command: Any) -> Any:
        command = name_col_option(command)
        return click.option(
            "--per-feature", is_flag=True, help=f"{verb} in each feature of the --area layers."
        )(command)

    return decorate
