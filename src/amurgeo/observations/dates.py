"""Dates and times of observations: find the column, read it, filter, cut into periods.

Camera traps, collars, patrol apps and fire alerts all stamp their records, each in its own
way. This module turns those stamps into one array of ``datetime64[ns]`` values and cuts it
into periods (year, month, ISO week, day) for counting.

Which column
------------
Found by name, ignoring case, spaces, dashes and underscores, in this order: ``DateTime``,
``timestamp`` (Movebank, Camtrap DP media), ``eventStart`` (Camtrap DP observations),
``eventDate`` (Darwin Core, GBIF), ``DateTimeOriginal`` (EXIF), ``datetime_utc``, ``date``,
``acq_date`` (NASA FIRMS; its ``acq_time`` column, ``HHMM`` in UTC, adds the time of day),
``time``, ``Waypoint Date`` (SMART) ... or given by name.

What is read
------------
* ISO 8601: ``2021-05-03``, ``2021-05-03 14:22``, ``2021-05-03T14:22:10.5``, with or
  without an offset (``Z``, ``+10:00``, ``+1000``);
* EXIF style ``2021:05:03 14:22:10`` (camera firmware and exiftool);
* day first with dots ``03.05.2021 14:22`` (the usual form in Russia and much of Europe);
* slashes ``03/05/2021`` or ``05/03/2021``: day first or month first, decided for the whole
  column by the values (a first number above 12 means day first, a second number above 12
  means month first); a column where both readings are possible is an error that asks for
  ``time_format``;
* anything :func:`datetime.datetime.strptime` reads with ``time_format`` given;
* a column already of a date/time type (GeoPackage, Parquet).

**Offsets are applied.** Times come out as the clock in one zone, ``time_zone`` (default
UTC): a value with an offset is converted into it (``2024-05-01T06:00:00+10:00`` is
``2024-04-30 20:00`` UTC, or ``06:00`` with ``time_zone="Asia/Vladivostok"``), whatever mix
of offsets the column holds; a value without one is taken as already in that zone. Give the
cameras' zone to count a night's detections on their local day. FIRMS times are UTC, as FIRMS
writes them, and are converted the same way.

Values that none of these reads (empty, ``n/a``, ``2021-13-45``) become ``NaT``; callers drop
those rows with one :class:`amurgeo.errors.DataWarning` that says how many.

Periods
-------
``by`` is ``year`` (label ``2021``), ``month`` (``2021-05``), ``week`` (ISO 8601 week,
``2021-W18``, weeks start on Monday and belong to the year of their Thursday) or ``day``
(``2021-05-03``). :func:`period_codes` gives integer codes that sort in time order, cheap
enough to count millions of records by.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from amurgeo.errors import DataError, DataWarning, UsageError
from amurgeo.observations.points import find_column, name_key

__all__ = [
    "PERIODS",
    "Period",
    "SlashEvidence",
    "TimeColumns",
    "check_time_zone",
    "find_time_columns",
    "parse_bound",
    "parse_times",
    "period_codes",
    "period_labels",
    "period_range",
    "period_start",
    "time_mask",
    "warn_unreadable",
]

#: The periods records can be counted by.
PERIODS: tuple[str, ...] = ("year", "month", "week", "day")
Period = Literal["year", "month", "week", "day"]

# name keys (lower case, no spaces, dashes, underscores or dots), in order of preference
_TIME_NAMES = (
    "datetime",
    "timestamp",
    "eventstart",
    "eventdate",
    "datetimeoriginal",
    "datetimeutc",
    "timestamputc",
    "localdatetime",
    "dateandtime",
    "date",
    "acqdate",
    "observationdate",
    "detectiondate",
    "waypointdate",
    "time",
    "datum",
)
_CLOCK_NAMES = {"acqdate": ("acqtime",)}
_EXIF = re.compile(r"^(\d{4}):(\d\d):(\d\d)")
_OFFSET = r"\s*(?:Z|UTC|GMT|[+-]\d\d:?\d\d)$"
_DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_DOT_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")
_NS_PER_DAY = 86_400 * 10**9


@dataclass(frozen=True)
class TimeColumns:
    """Where the time of a record is: a date (or date-time) column and an optional clock.

    Attributes
    ----------
    date
        Column with the date or the date and time.
    clock
        Column with the time of day as ``HHMM`` (NASA FIRMS ``acq_time``), or None.
    """

    date: Any
    clock: Any = None

    def names(self) -> list[Any]:
        """The columns to read, date first."""
        return [self.date] if self.clock is None else [self.date, self.clock]


def find_time_columns(
    columns: Sequence[Any], given: str | None = None, *, where: str = "table"
) -> TimeColumns | None:
    """The time column(s) among `columns`: `given` (forgiving case and spaces) or by name.

    Parameters
    ----------
    columns
        Column names of a table.
    given
        Name of the column to use; None to look for a usual name.
    where
        Name of the table (file) for error messages.

    Returns
    -------
    TimeColumns or None
        None when nothing was given and no column has a usual name.

    Raises
    ------
    DataError
        When `given` is not a column.

    Examples
    --------
    >>> find_time_columns(["CameraID", "Date Time", "Species"])
    TimeColumns(date='Date Time', clock=None)
    >>> find_time_columns(["latitude", "longitude", "acq_date", "acq_time"])
    TimeColumns(date='acq_date', clock='acq_time')
    >>> find_time_columns(["x", "y"]) is None
    True
    """
    found = find_column(columns, given, _TIME_NAMES, "time", where)
    if found is None:
        return None
    clock = find_column(columns, None, _CLOCK_NAMES.get(name_key(found), ()), "clock", where)
    return TimeColumns(found, clock)


def check_time_zone(time_zone: str) -> str:
    """`time_zone` if it is a zone (``UTC``, ``Asia/Vladivostok``, ``+10:00``), else UsageError."""
    try:
        pd.Timestamp("2000-01-01").tz_localize(time_zone)
    except (ValueError, TypeError, KeyError, LookupError) as error:
        raise UsageError(
            f"time zone {time_zone!r} is not a zone name; expected UTC, an IANA name "
            "such as Asia/Vladivostok or an offset such as +10:00"
        ) from error
    return time_zone


def _wall_clock(parsed: pd.Series, time_zone: str = "UTC") -> pd.Series:
    """Naive datetime64[ns], the clock in `time_zone`: an aware series is converted into it."""
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_convert(time_zone).dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _iso(text: pd.Series, time_zone: str) -> pd.Series:
    """ISO 8601 (and EXIF) text as the clock in `time_zone`; NaT where it is not ISO 8601.

    Values with an offset (any mix of them) are converted; values without one are taken as
    in `time_zone` already.
    """
    aware = text.str.contains(_OFFSET, regex=True).fillna(False).astype(bool)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if aware.any():
            utc = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
            out[aware] = _wall_clock(utc, time_zone)
        if (~aware).any():
            naive = pd.to_datetime(text[~aware], format="ISO8601", errors="coerce")
            out[~aware] = _wall_clock(naive, time_zone)
    return out


@dataclass(frozen=True)
class SlashEvidence:
    """What a column's slashed dates (``03/05/2021``) tell about their order.

    Evidence of several batches merges into that of the whole column, so a source read in
    pieces is judged as one column would be (:func:`parse_times`, ``slash_order``).

    Attributes
    ----------
    first, second
        The largest first and second numbers of the slashed values (0: none seen).
    sample
        A slashed value, for the error message (None: no slashed value).

    Examples
    --------
    >>> one, two = SlashEvidence.of(["03/05/2021"]), SlashEvidence.of(["2021-05-03", "25/03/2021"])
    >>> one.merge(two).order("date", "obs/")
    '%d/%m/%Y'
    >>> SlashEvidence.of(["2021-05-03"]).order("date", "obs/") is None
    True
    """

    first: int = 0
    second: int = 0
    sample: str | None = None

    @classmethod
    def of(cls, values: Any) -> SlashEvidence:
        """The evidence of `values` (text or date/time values)."""
        series = pd.Series(values, copy=False)
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            return cls()
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pc.utf8_trim_whitespace(pa.array(series.astype("string"), type=pa.string()))
        parts = pc.extract_regex(text, r"^(?P<first>\d{1,2})/(?P<second>\d{1,2})/\d{4}")
        found = pc.index(pc.is_valid(parts), True).as_py()
        if found < 0:
            return cls()
        first, second = (
            int(pc.max(pc.cast(pc.struct_field(parts, name), pa.int64())).as_py())
            for name in ("first", "second")
        )
        return cls(first, second, str(text[found]))

    def merge(self, other: SlashEvidence) -> SlashEvidence:
        """The evidence of both."""
        sample = self.sample if self.sample is not None else other.sample
        return SlashEvidence(max(self.first, other.first), max(self.second, other.second), sample)

    def order(self, column: Any, where: str) -> str | None:
        """``%d/%m/%Y`` or ``%m/%d/%Y``; ``""`` when neither fits all; None: no slashed value.

        Raises
        ------
        DataError
            When both orders read every value (no number above 12).
        """
        if self.sample is None:
            return None
        day_first, month_first = self.first > 12, self.second > 12
        if day_first and month_first:
            return ""  # no single order fits: those values stay unreadable
        if day_first or month_first:
            return "%d/%m/%Y" if day_first else "%m/%d/%Y"
        raise DataError(
            f"{where}: dates such as {self.sample!r} in column {column!r} could be day/month "
            "or month/day; give the format (--time-format, e.g. %d/%m/%Y %H:%M)"
        )


def _with_formats(text: pd.Series, formats: Sequence[str]) -> pd.Series:
    """`text` read with the first of `formats` that fits each value (NaT where none does)."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce").astype("datetime64[ns]")
    return out


def _fallbacks(
    text: pd.Series, column: Any, where: str, slash_order: str | None = None
) -> pd.Series:
    """Day-first dotted dates and slashed dates, for the values ISO 8601 did not read.

    Slashed dates are read in `slash_order`, or (None) in the order their values tell.
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    dotted = text.str.match(_DOTTED).fillna(False).astype(bool)
    if dotted.any():
        out[dotted] = _with_formats(text[dotted], _DOT_FORMATS)
    slashed = text.str.match(_SLASHED).fillna(False).astype(bool)
    if slashed.any():
        order = slash_order
        if order is None:
            order = SlashEvidence.of(text[slashed]).order(column, where)
        if order:
            formats = (f"{order} %H:%M:%S", f"{order} %H:%M", f"{order} %I:%M:%S %p", order)
            out[slashed] = _with_formats(text[slashed], formats)
    return out


def _clock_offsets(values: Any) -> np.ndarray:
    """HHMM clock values (``514``, ``"0514"``) as nanoseconds since midnight (NaN: bad)."""
    number = pd.to_numeric(pd.Series(values, copy=False), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    hours, minutes = np.floor(number / 100.0), np.mod(number, 100.0)
    good = (number >= 0) & (hours < 24) & (minutes < 60) & (number == np.floor(number))
    return np.where(good, (hours * 3600 + minutes * 60) * 1e9, np.nan)


#: Layouts read by the fast path: (pattern of the first characters, length, strptime format).
_FAST = (
    (re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"), 19, "%Y-%m-%dT%H:%M:%S"),
    (re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"), 19, "%Y-%m-%d %H:%M:%S"),
    (re.compile(r"^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d"), 19, "%Y:%m:%d %H:%M:%S"),
    (re.compile(r"^\d{4}-\d\d-\d\d$"), 10, "%Y-%m-%d"),
)


_TAIL = re.compile(r"^(?:\.\d+)?\s*(?:(Z|UTC|GMT)|([+-])(\d\d):?(\d\d))?$")


def _offset_minutes(tail: str | None) -> float:
    """Minutes east of UTC of what follows a clock (``+10:00`` -> 600); 0 for none; NaN: odd."""
    found = _TAIL.match(tail or "")
    if found is None:
        return float("nan")
    if found.group(2) is None:
        return 0.0
    minutes = int(found.group(3)) * 60 + int(found.group(4))
    return float(-minutes if found.group(2) == "-" else minutes)


def _fast(series: pd.Series, time_zone: str = "UTC") -> np.ndarray | None:
    """Millions of same-layout stamps read with pyarrow (None when the layout is another).

    The layout is judged on the first 200 values; the clock is read to the second (fractions
    are left aside) and a trailing offset (``Z``, ``+10:00``, ``-0700``) is applied, to UTC;
    a column with offsets in another `time_zone` goes to the general reader. Values that do
    not fit come back NaT, for the general reader to try.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    sample = series.dropna().head(200).astype(str).str.strip().tolist()
    if not sample:
        return None
    layout = next((f for f in _FAST if all(f[0].match(v) for v in sample)), None)
    if layout is None:
        return None
    _, length, fmt = layout
    try:
        array = pa.array(series, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    trimmed = pc.utf8_trim_whitespace(array)
    head = pc.utf8_slice_codeunits(trimmed, 0, length)
    parsed = pc.strptime(head, format=fmt, unit="ns", error_is_null=True)
    times = np.asarray(parsed.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")
    # what follows the clock: "", "Z", "+10:00", ".5+10:00" ... (a handful of distinct tails)
    tails = pc.utf8_slice_codeunits(trimmed, length)
    distinct = pc.unique(tails)
    if len(distinct) > 10_000:
        return None  # many fractions: the general reader
    listed = distinct.to_pylist()
    minutes = np.array([_offset_minutes(tail) for tail in listed], dtype=float)
    aware = any(bool(_TAIL.sub(r"\1\2", tail or "")) for tail in listed if _TAIL.match(tail or ""))
    if np.isnan(minutes).any() or (aware and time_zone != "UTC"):
        return None  # odd tails, or offsets to convert into another zone: the general reader
    if not aware:
        return times
    index = pc.index_in(tails, value_set=distinct).to_numpy(zero_copy_only=False)
    shift = np.nan_to_num(minutes[np.nan_to_num(index).astype(np.int64)])
    return times - (shift.astype(np.int64) * 60 * 10**9).astype("timedelta64[ns]")


def parse_times(
    values: Any,
    *,
    clock: Any = None,
    time_format: str | None = None,
    column: Any = "time",
    where: str = "table",
    time_zone: str = "UTC",
    slash_order: str | None = None,
) -> np.ndarray:
    """Read date/time values as the clock in `time_zone`, ``datetime64[ns]``; NaT where unreadable.

    Parameters
    ----------
    values
        Text, date/time values or a mix (see the module documentation for what is read).
    clock
        Optional time of day as ``HHMM`` numbers or text (NASA FIRMS ``acq_time``), added to
        the dates in `values`.
    time_format
        A :func:`datetime.datetime.strptime` format that every value follows (then nothing
        else is tried).
    column, where
        Column and table (file) names for error messages.
    time_zone
        The zone of the result (default UTC; an IANA name such as ``Asia/Vladivostok``):
        values with an offset, and FIRMS' UTC clock, are converted into it; values without
        an offset are taken as in it.
    slash_order
        The order of slashed dates, ``%d/%m/%Y`` or ``%m/%d/%Y`` (``""``: leave them
        unreadable), as the whole column's :class:`SlashEvidence` tells when `values` are one
        batch of it; None to judge by `values`.

    Returns
    -------
    numpy.ndarray
        ``datetime64[ns]`` (naive: the clock in `time_zone`), one value per input value.

    Raises
    ------
    DataError
        For slashed dates whose order (day/month or month/day) the values do not tell.

    Examples
    --------
    >>> parse_times(["2021-05-03T23:30:00+10:00", "2021:05:03 14:22:10", "03.05.2021",
    ...              "n/a"]).astype(str).tolist()
    ['2021-05-03T13:30:00.000000000', '2021-05-03T14:22:10.000000000', \
'2021-05-03T00:00:00.000000000', 'NaT']
    >>> parse_times(["2021-05-03T23:30:00+10:00", "2021-05-03T06:00:00-07:00"],
    ...             time_zone="Asia/Vladivostok").astype(str).tolist()
    ['2021-05-03T23:30:00.000000000', '2021-05-03T23:00:00.000000000']
    >>> parse_times(["2021-05-03", "2021-05-03"], clock=[514, "1730"]).astype(str).tolist()
    ['2021-05-03T05:14:00.000000000', '2021-05-03T17:30:00.000000000']
    """
    check_time_zone(time_zone)
    series = pd.Series(values, copy=False).reset_index(drop=True)
    fast = None
    if time_format is None and not pd.api.types.is_datetime64_any_dtype(series.dtype):
        fast = _fast(series, time_zone)
    if fast is not None:
        missed = np.isnat(fast) & series.notna().to_numpy()
        if missed.any():  # odd values among many regular ones: the general reader tries them
            fast[missed] = parse_times(
                series[missed],
                column=column,
                where=where,
                time_zone=time_zone,
                slash_order=slash_order,
            )
        out = pd.Series(fast)
    elif pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = _wall_clock(series, time_zone)
    else:
        text = series.astype("string").str.strip()
        text = text.mask(text == "")
        if time_format is not None:
            given = pd.to_datetime(text, format=time_format, errors="coerce")
            out = _wall_clock(given, time_zone)  # %z in the format: converted
        else:
            if text.str.slice(4, 5).eq(":").any():
                text = text.str.replace(_EXIF, r"\1-\2-\3", regex=True)
            out = _iso(text, time_zone)
            missed = out.isna() & text.notna()
            if missed.any():
                out[missed] = _fallbacks(text[missed], column, where, slash_order)
    times = out.to_numpy(dtype="datetime64[ns]")
    if clock is not None:
        offsets = _clock_offsets(clock)
        day = times.astype("datetime64[D]").astype("datetime64[ns]")
        shifted = day + np.nan_to_num(offsets).astype(np.int64).astype("timedelta64[ns]")
        times = np.where(np.isnan(offsets) | np.isnat(times), np.datetime64("NaT", "ns"), shifted)
        if time_zone != "UTC":  # FIRMS clocks are UTC
            utc = pd.Series(times).dt.tz_localize("UTC")
            times = _wall_clock(utc, time_zone).to_numpy(dtype="datetime64[ns]")
    return times


def warn_unreadable(where: str, column: Any, unreadable: int, rows: int, sample: Any) -> None:
    """One :class:`~amurgeo.errors.DataWarning` for `unreadable` rows without a date."""
    shown = "" if sample is None else f" (such as {str(sample)[:40]!r})"
    warnings.warn(
        f"{where}: dropped {unreadable:,} of {rows:,} rows whose time in column {column!r} "
        f"is missing or unreadable{shown}",
        DataWarning,
        stacklevel=3,
    )


# ---------------------------------------------------------------------------------------------
# Filters and periods
# ---------------------------------------------------------------------------------------------

_BOUND_UNITS = (
    (re.compile(r"^\d{4}$"), "Y"),
    (re.compile(r"^\d{4}-\d{1,2}$"), "M"),
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "D"),
)


def parse_bound(text: Any, *, end: bool = False, what: str = "since") -> np.datetime64:
    """A ``since`` / ``until`` bound: the start of `text`'s year, month, day or instant.

    With ``end=True`` the bound is the end of that unit (exclusive): ``until="2021"`` keeps
    all of 2021, ``until="2021-05-03"`` all of that day.

    Examples
    --------
    >>> str(parse_bound("2021")), str(parse_bound("2021", end=True))
    ('2021-01-01T00:00:00.000000000', '2022-01-01T00:00:00.000000000')
    >>> str(parse_bound("2021-05-03 12:00", end=True))
    '2021-05-03T12:00:00.000000000'
    """
    if isinstance(text, (np.datetime64, pd.Timestamp)) or hasattr(text, "isoformat"):
        return np.datetime64(pd.Timestamp(text).tz_localize(None), "ns")
    value = str(text).strip()
    for pattern, unit in _BOUND_UNITS:
        if pattern.match(value):
            try:
                start = np.datetime64(pd.Timestamp(value).to_period(unit).start_time, "ns")
            except ValueError:  # 2024-13, 2024-02-30: the shape of a date, not a date
                raise UsageError(_not_a_date(what, value)) from None
            if not end:
                return start
            step = {"Y": np.timedelta64(1, "Y"), "M": np.timedelta64(1, "M")}.get(unit)
            if step is None:
                return start + np.timedelta64(1, "D")
            coarse = start.astype(f"datetime64[{unit}]") + step
            return coarse.astype("datetime64[ns]")
    try:
        parsed = parse_times([value])[0]
    except DataError:  # 03/05/2021: day/month or month/day? A bound is written ISO 8601.
        raise UsageError(_not_a_date(what, value)) from None
    if np.isnat(parsed):
        raise UsageError(_not_a_date(what, value))
    return parsed


def check_window(
    since: Any = None, until: Any = None, *, names: tuple[str, str] = ("since", "until")
) -> None:
    """Refuse a window that holds no time: `since` at or after the end of `until`.

    Examples
    --------
    >>> check_window("2021", "2021")
    >>> check_window("2022", "2021")
    Traceback (most recent call last):
    ...
    amurgeo.errors.UsageError: since '2022' is after until '2021': no time lies in that window
    """
    if since is None or until is None:
        return
    if parse_bound(since, what=names[0]) >= parse_bound(until, end=True, what=names[1]):
        raise UsageError(
            f"{names[0]} {str(since)!r} is after {names[1]} {str(until)!r}: "
            "no time lies in that window"
        )


def _not_a_date(what: str, value: str) -> str:
    return (
        f"{what} {value!r} is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD "
        "(or a date-time such as 2021-05-03T14:00)"
    )


def time_mask(times: np.ndarray, since: Any = None, until: Any = None) -> np.ndarray:
    """Rows with a time, at or after `since` and before the end of `until` (both optional).

    Examples
    --------
    >>> t = parse_times(["2020-12-31", "2021-06-01", "2022-01-01", None])
    >>> time_mask(t, since="2021", until="2021").tolist()
    [False, True, False, False]
    """
    check_window(since, until)
    keep = ~np.isnat(times)
    if since is not None:
        keep &= times >= parse_bound(since, what="since")
    if until is not None:
        keep &= times < parse_bound(until, end=True, what="until")
    return keep


def _check_period(by: str) -> str:
    if by not in PERIODS:
        raise UsageError(f"by {by!r} is not one of {', '.join(PERIODS)}")
    return by


def period_codes(times: np.ndarray, by: str) -> np.ndarray:
    """Integer codes of the period of each time, increasing with time (NaT: the int64 minimum).

    Codes are years since 1970 (``year``), months since January 1970 (``month``), the day
    number of the week's Monday (``week``) or days since 1970-01-01 (``day``).

    Examples
    --------
    >>> t = parse_times(["2021-01-03", "2021-01-04", "2020-12-28"])
    >>> period_codes(t, "week").tolist() == [18624, 18631, 18624]  # Mondays
    True
    """
    by = _check_period(by)
    times = np.asarray(times, dtype="datetime64[ns]")
    missing = np.isnat(times)
    if by == "year":
        codes = times.astype("datetime64[Y]").astype(np.int64)
    elif by == "month":
        codes = times.astype("datetime64[M]").astype(np.int64)
    else:
        days = times.astype("datetime64[D]").astype(np.int64)
        # 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays
        codes = days if by == "day" else days - np.mod(days + 3, 7)
    codes[missing] = np.iinfo(np.int64).min
    return codes


def period_labels(codes: np.ndarray, by: str) -> list[str]:
    """Labels of period codes: ``2021``, ``2021-05``, ``2021-W18`` or ``2021-05-03``.

    Examples
    --------
    >>> t = parse_times(["2021-01-03", "2021-05-03", "2019-12-30"])
    >>> period_labels(period_codes(t, "week"), "week")
    ['2020-W53', '2021-W18', '2020-W01']
    >>> period_labels(period_codes(t, "month"), "month")
    ['2021-01', '2021-05', '2019-12']
    """
    by = _check_period(by)
    codes = np.asarray(codes, dtype=np.int64)
    if by == "year":
        return [str(1970 + int(c)) for c in codes]
    if by == "month":
        return [str(np.datetime64(int(c), "M")) for c in codes]
    if by == "day":
        return [str(np.datetime64(int(c), "D")) for c in codes]
    labels = []
    for monday in codes:
        thursday = np.datetime64(int(monday) + 3, "D")
        year = thursday.astype("datetime64[Y]")
        week = (thursday - year.astype("datetime64[D]")).astype(int) // 7 + 1
        labels.append(f"{year}-W{week:02d}")
    return labels


def period_start(label: str) -> pd.Timestamp:
    """The first day of a period given by its label (for charts).

    Examples
    --------
    >>> str(period_start("2021-W18").date()), str(period_start("2021-05").date())
    ('2021-05-03', '2021-05-01')
    """
    if "-W" in label:
        year, week = label.split("-W")
        return pd.Timestamp.fromisocalendar(int(year), int(week), 1)
    return pd.Timestamp(label)


def period_range(start: np.datetime64, end: np.datetime64, by: str) -> pd.DataFrame:
    """Every period that overlaps ``[start, end)``: its code, label, start and end.

    Parameters
    ----------
    start, end
        The span to cover (``datetime64``); `end` is exclusive.
    by
        ``year``, ``month``, ``week`` or ``day``.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (as :func:`period_codes`), ``period`` (label), ``start`` and ``end``
        (``datetime64[ns]``, end exclusive), in time order.

    Examples
    --------
    >>> span = period_range(np.datetime64("2021-11-20"), np.datetime64("2022-01-02"), "month")
    >>> span["period"].tolist(), str(span["end"].iloc[-1].date())
    (['2021-11', '2021-12', '2022-01'], '2022-02-01')
    """
    by = _check_period(by)
    first, last = np.array([start, end]).astype("datetime64[ns]")
    if last <= first:
        last = first + np.timedelta64(1, "ns")
    lo = period_codes(np.array([first]), by)[0]
    hi = period_codes(np.array([last - np.timedelta64(1, "ns")]), by)[0]
    unit, step = {"year": ("Y", 1), "month": ("M", 1), "week": ("D", 7), "day": ("D", 1)}[by]
    codes = np.arange(lo, hi + 1, step, dtype=np.int64)
    starts = codes.astype(f"datetime64[{unit}]")
    ends = (codes + step).astype(f"datetime64[{unit}]")
    return pd.DataFrame(
        {
            "code": codes,
            "period": period_labels(codes, by),
            "start": starts.astype("datetime64[ns]"),
            "end": ends.astype("datetime64[ns]"),
        }
    )
