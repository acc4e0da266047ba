"""Reading dates and times, since/until filters and periods (amurgeo.observations.dates)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amurgeo.errors import DataError, UsageError
from amurgeo.observations.dates import (
    TimeColumns,
    find_time_columns,
    parse_bound,
    parse_times,
    period_codes,
    period_labels,
    period_start,
    time_mask,
)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["CameraID", "DateTime", "Species"], TimeColumns("DateTime")),
        (["id", "timestamp", "location-long"], TimeColumns("timestamp")),
        (["observationID", "eventStart", "eventEnd"], TimeColumns("eventStart")),
        (["gbifID", "eventDate"], TimeColumns("eventDate")),
        (["latitude", "longitude", "acq_date", "acq_time"], TimeColumns("acq_date", "acq_time")),
        (["Waypoint Date", "X", "Y"], TimeColumns("Waypoint Date")),
        (["date", "DateTime"], TimeColumns("DateTime")),  # the fuller name wins
        (["x", "y", "species"], None),
    ],
)
def test_time_column_found_by_name(columns: list[str], expected: TimeColumns | None) -> None:
    assert find_time_columns(columns) == expected


def test_given_time_column_forgives_case_and_must_exist() -> None:
    assert find_time_columns(["Shot At", "x"], "shot_at") == TimeColumns("Shot At")
    with pytest.raises(DataError, match=r"cams\.csv: has no time column 'when'; its columns"):
        find_time_columns(["x", "y"], "when", where="cams.csv")


def test_formats_read_and_offsets_applied() -> None:
    values = [
        "2021-05-03T14:22:10Z",
        "2021-05-03T14:22:10+00:00",
        "2021-05-03 14:22:10",
        "2021:05:03 14:22:10",
        "03.05.2021 14:22:10",
        "2021-05-03T14:22:10.000",
        "2021-05-04T00:22:10+10:00",
        "2021-05-03T07:22:10-0700",
    ]
    times = parse_times(values)
    assert (times == np.datetime64("2021-05-03T14:22:10", "ns")).all()


def _by_hand(text: str, zone: str) -> str:
    """The instant `text` (with its offset) as the clock in `zone`, by the standard library."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return local.replace(tzinfo=None).isoformat()


MIXED = [
    "2024-05-01T06:00:00+10:00",
    "2024-05-01T06:00:00+09:00",
    "2024-05-01T06:00:00Z",
    "2024-05-01T06:00:00-07:00",
    "2024-12-31T23:30:00+10:00",
    "2024-05-01T06:00:00+0530",
]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Vladivostok", "America/Los_Angeles"])
def test_mixed_offsets_are_converted_not_dropped(zone: str) -> None:
    times = parse_times(MIXED, time_zone=zone)
    assert not np.isnat(times).any()
    got = [str(v)[:19] for v in times.astype("datetime64[s]")]
    assert got == [_by_hand(v, zone) for v in MIXED]


def test_many_stamps_with_offsets_take_the_fast_path_correctly() -> None:
    values = [MIXED[i % len(MIXED)] for i in range(1000)]  # the pyarrow reader's size
    times = parse_times(values)
    assert [str(v)[:19] for v in times[: len(MIXED)].astype("datetime64[s]")] == [
        _by_hand(v, "UTC") for v in MIXED
    ]
    assert (times[len(MIXED) :: len(MIXED)] == times[0]).all()


def test_values_without_offset_are_in_the_zone_given() -> None:
    times = parse_times(
        ["2024-05-01 06:00", "2024-05-01T06:00:00+10:00"], time_zone="Asia/Vladivostok"
    )
    assert times.astype(str).tolist() == ["2024-05-01T06:00:00.000000000"] * 2


def test_firms_clock_is_utc_converted_into_the_zone() -> None:
    times = parse_times(["2024-05-01"], clock=[1730], time_zone="Asia/Vladivostok")
    assert times.astype(str).tolist() == ["2024-05-02T03:30:00.000000000"]


def test_an_unknown_zone_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not a zone name"):
        parse_times(["2024-05-01"], time_zone="Vladivostok")


def test_read_observations_converts_a_csv_with_mixed_offsets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import amurgeo

    path = tmp_path / "cams.csv"
    rows = [f"C{i},131.{i},43.1,{v}" for i, v in enumerate(MIXED)]
    path.write_text("CameraID,lon,lat,DateTime\n" + "\n".join(rows) + "\n", encoding="utf-8")
    gdf = amurgeo.read_observations(path, time_zone="Asia/Vladivostok")
    assert len(gdf) == len(MIXED) and gdf["time"].notna().all()
    assert (
        str(gdf["time"].dt.tz) == "Asia/Vladivostok"
        and gdf.attrs["time_zone"] == "Asia/Vladivostok"
    )
    assert [t.isoformat()[:19] for t in gdf["time"]] == [
        _by_hand(v, "Asia/Vladivostok") for v in MIXED
    ]
    in_utc = amurgeo.read_observations(path)
    assert (in_utc["time"] == gdf["time"]).all()  # the same instants
    # since/until are in the zone too: 06:00+09:00 is 1 May in Vladivostok, 30 April in UTC
    day = {"since": "2024-05-01", "until": "2024-05-01"}
    local = amurgeo.read_observations(path, time_zone="Asia/Vladivostok", **day)
    assert local["CameraID"].tolist() == ["C0", "C1", "C2", "C3", "C5"]
    assert amurgeo.read_observations(path, **day)["CameraID"].tolist() == ["C2", "C3", "C5"]


def test_unreadable_values_become_nat() -> None:
    times = parse_times(["2021-05-03", "", None, "n/a", "2021-13-45", "yesterday"])
    assert np.isnat(times).tolist() == [False, True, True, True, True, True]


def test_slashed_dates_order_taken_from_the_values() -> None:
    day_first = parse_times(["25/12/2021", "03/05/2021 14:22"])
    assert day_first.astype("datetime64[D]").astype(str).tolist() == ["2021-12-25", "2021-05-03"]
    month_first = parse_times(["12/25/2021", "05/03/2021"])
    assert month_first.astype("datetime64[D]").astype(str).tolist() == [
        "2021-12-25",
        "2021-05-03",
    ]
    with pytest.raises(DataError, match=r"could be day/month or month/day; give the format"):
        parse_times(["03/05/2021", "04/05/2021"], column="Date", where="a.csv")
    given = parse_times(["03/05/2021", "04/05/2021"], time_format="%d/%m/%Y")
    assert given.astype("datetime64[D]").astype(str).tolist() == ["2021-05-03", "2021-05-04"]


def test_firms_clock_column() -> None:
    times = parse_times(["2021-04-01"] * 4, clock=[5, 514, "2359", 2460])
    assert times.astype(str).tolist()[:3] == [
        "2021-04-01T00:05:00.000000000",
        "2021-04-01T05:14:00.000000000",
        "2021-04-01T23:59:00.000000000",
    ]
    assert np.isnat(times[3])  # 24:60 is no time of day


def test_datetime_dtypes_pass_through() -> None:
    aware = pd.Series(pd.to_datetime(["2021-05-03 23:30"]).tz_localize("Asia/Vladivostok"))
    assert parse_times(aware).astype(str).tolist() == ["2021-05-03T13:30:00.000000000"]
    local = parse_times(aware, time_zone="Asia/Vladivostok")
    assert local.astype(str).tolist() == ["2021-05-03T23:30:00.000000000"]
    naive = pd.Series(pd.to_datetime(["2021-05-03 23:30"]))
    assert parse_times(naive).astype(str).tolist() == ["2021-05-03T23:30:00.000000000"]


@pytest.mark.parametrize("by", ["year", "month", "week", "day"])
def test_periods_match_pandas(by: str) -> None:
    rng = np.random.default_rng(3)
    days = rng.integers(0, 3650, 2000)
    times = (np.datetime64("2015-01-01", "ns") + days.astype("timedelta64[D]")).astype(
        "datetime64[ns]"
    )
    labels = period_labels(period_codes(times, by), by)
    stamps = pd.Series(times)
    if by == "week":
        iso = stamps.dt.isocalendar()
        expected = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
    else:
        expected = stamps.dt.to_period({"year": "Y", "month": "M", "day": "D"}[by]).astype(str)
        expected = expected.tolist()
    assert labels == expected
    order = np.argsort(period_codes(times, by), kind="stable")
    assert [period_start(x) for x in np.array(labels)[order]] == sorted(
        period_start(x) for x in labels
    )


def test_since_until_take_whole_units() -> None:
    times = parse_times(["2020-12-31T23:59", "2021-01-01", "2021-12-31T23:59", "2022-01-01"])
    assert time_mask(times, since="2021", until="2021").tolist() == [False, True, True, False]
    assert time_mask(times, until="2020-12").tolist() == [True, False, False, False]
    assert time_mask(times, since="2021-12-31 12:00").tolist() == [False, False, True, True]
    assert str(parse_bound("2021-02", end=True)) == "2021-03-01T00:00:00.000000000"
    with pytest.raises(UsageError, match=r"until 'soon' is not a date"):
        time_mask(times, until="soon")
    for impossible in ("2024-13", "2024-02-30", "2024-00"):  # shaped like a date, not one
        with pytest.raises(UsageError, match=rf"since '{impossible}' is not a date; expected"):
            time_mask(times, since=impossible)


def test_unknown_period_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"by 'fortnight' is not one of year, month, week, day"):
        period_codes(parse_times(["2021-01-01"]), "fortnight")


# ---------------------------------------------------------------------------------------------
# Counting by period, per feature, and reading every column (count_observations and friends)
# ---------------------------------------------------------------------------------------------


def _detections(rows: int = 3000, seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 3 * 365 * 86400, rows)
    stamps = np.datetime64("2021-01-01T00:00:00") + seconds.astype("timedelta64[s]")
    frame = pd.DataFrame(
        {
            "CameraID": rng.integers(1, 50, rows).astype(str),
            "lon": rng.uniform(130.9, 131.7, rows),
            "lat": rng.uniform(42.9, 43.6, rows),
            "Species": rng.choice(["Amur leopard", "Amur tiger"], rows),
            "DateTime": pd.Series(stamps.astype(str))
            .str.replace("-", ":", n=2, regex=False)
            .str.replace("T", " ", regex=False),
        }
    )
    frame.loc[::97, "DateTime"] = "broken"
    return frame


def test_counts_by_month_match_a_plain_spatial_join(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import geopandas as gpd
    from shapely.geometry import box

    import amurgeo
    from amurgeo.errors import DataWarning

    frame = _detections()
    path = tmp_path / "cams.csv"
    frame.to_csv(path, index=False)
    blocks = gpd.GeoDataFrame(
        {"block_id": ["B1", "B2"]},
        geometry=[box(131.0, 43.0, 131.3, 43.3), box(131.2, 43.2, 131.6, 43.5)],
        crs="EPSG:4326",
    )
    blocks_path = tmp_path / "blocks.gpkg"
    blocks.to_file(blocks_path)
    with pytest.warns(DataWarning, match=r"dropped 31 of 3,000 rows whose time"):
        table = amurgeo.count_observations(
            path,
            areas=str(blocks_path),
            per_feature=True,
            by="month",
            since="2021-06",
            countries=None,
        )
    # independent: parse with pandas, join with geopandas, group
    times = pd.to_datetime(frame["DateTime"], format="%Y:%m:%d %H:%M:%S", errors="coerce")
    points = gpd.GeoDataFrame(
        frame.assign(month=times.dt.strftime("%Y-%m")),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )
    points = points[times.notna() & (times >= "2021-06-01")]
    joined = gpd.sjoin(points, blocks, predicate="intersects")
    expected = joined.groupby(["block_id", "month"]).size()
    got = table[table["kind"] == "area"].set_index(["area", "period"])["count"]
    got = got[got > 0]
    assert got.to_dict() == expected.to_dict()
    leopards = joined[joined["Species"] == "Amur leopard"].groupby(["block_id", "month"]).size()
    got_leopards = table.set_index(["area", "period"])["count_amur_leopard"]
    assert all(got_leopards[k] == v for k, v in leopards.items())
    inside = table[table["area"] == "(inside any area)"]["count"].sum()
    outside = table[table["area"] == "(outside the areas)"]["count"].sum()
    assert inside + outside == len(points)


def test_read_observations_keeps_every_column() -> None:
    import amurgeo

    frame = _detections(20)
    gdf = amurgeo.read_observations(frame)
    assert {"CameraID", "DateTime", "Species", "species", "time", "lon", "lat"} <= set(gdf.columns)
    assert gdf["Species"].iloc[0] in ("Amur leopard", "Amur tiger")
    assert gdf["species"].iloc[0] in ("amur_leopard", "amur_tiger")
    assert gdf["CameraID"].tolist() == frame["CameraID"].tolist()
    assert pd.isna(gdf["time"].iloc[0])  # row 0 is "broken"
    later = amurgeo.read_observations(frame, since="2022")
    assert (later["time"] >= pd.Timestamp("2022-01-01", tz="UTC")).all() and len(later) < 20


def test_firms_csv_counts_per_year(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import amurgeo

    firms = pd.DataFrame(
        {
            "latitude": [43.1, 43.1, 43.2, 44.9],
            "longitude": [131.2, 131.25, 131.3, 133.9],
            "brightness": [330.1, 320.5, 310.2, 305.0],
            "acq_date": ["2021-04-01", "2022-04-03", "2022-10-12", "2022-04-03"],
            "acq_time": [514, 1730, 245, 1730],
            "satellite": ["N", "N", "1", "N"],
            "confidence": ["n", "h", "l", "n"],
        }
    )
    path = tmp_path / "fire_nrt_SV-C2.csv"
    firms.to_csv(path, index=False)
    table = amurgeo.count_observations(path, by="year", countries=None).set_index(
        ["area", "period"]
    )
    assert table.loc[("land-of-the-leopard", "2021"), "count"] == 1
    assert table.loc[("land-of-the-leopard", "2022"), "count"] == 2
    assert table.loc[("(outside protection)", "2022"), "count"] == 1
