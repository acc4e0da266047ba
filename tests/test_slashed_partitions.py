"""Slashed dates in a folder of Parquet partitions are judged day/month once, for the whole source.

The in-memory path judges ``03/05/2021`` by the whole column (a first number above 12 means
day first, a second above 12 month first). A folder read batch by batch must come to the same
reading: not fail on a batch whose values are all at most 12, and not read one batch day first
and another month first.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from amurgeo.errors import DataError
from amurgeo.observations import count_observations, pieces


def stations(count: int, seed: int) -> pd.DataFrame:
    """`count` detections in Primorye (no missing coordinates)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "lon": rng.uniform(130.0, 132.0, count),
            "lat": rng.uniform(42.6, 44.2, count),
            "species": rng.choice(["Amur leopard", "Amur tiger"], count),
        }
    )


def ambiguous_dates(count: int, seed: int) -> list[str]:
    """Slashed dates whose two first numbers are both at most 12, some with a clock."""
    rng = np.random.default_rng(seed)
    first, second = rng.integers(1, 13, count), rng.integers(1, 13, count)
    year = rng.choice([2020, 2021], count)
    return [
        f"{a:02d}/{b:02d}/{y}" + (" 14:22" if i % 3 == 0 else "")
        for i, (a, b, y) in enumerate(zip(first, second, year, strict=True))
    ]


def write_parts(folder: Path, parts: list[pd.DataFrame]) -> Path:
    folder.mkdir()
    for index, part in enumerate(parts):
        part.to_parquet(folder / f"part-{index:03d}.parquet", index=False)
    return folder


def parts_with_dates(dates: list[list[str]]) -> list[pd.DataFrame]:
    return [stations(len(values), seed).assign(date=values) for seed, values in enumerate(dates)]


def as_one_csv(parts: list[pd.DataFrame], path: Path) -> Path:
    pd.concat(parts, ignore_index=True).to_csv(path, index=False)
    return path


@pytest.fixture
def one_decisive(tmp_path: Path) -> tuple[list[pd.DataFrame], Path]:
    """Three partitions; only the last has a day-first value (25/03/2021)."""
    dates = [
        ambiguous_dates(60, 1),
        ambiguous_dates(45, 2),
        [*ambiguous_dates(30, 3), "25/03/2021"],
    ]
    parts = parts_with_dates(dates)
    return parts, write_parts(tmp_path / "obs", parts)


@pytest.mark.parametrize("workers", [1, 2])
def test_one_decisive_partition_sets_the_order_for_all(
    one_decisive: tuple[list[pd.DataFrame], Path], workers: int
) -> None:
    parts, folder = one_decisive
    frame = pd.concat(parts, ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every date read: no row dropped
        expected = count_observations(frame, by="month")
        table = count_observations(folder, by="month", workers=workers)
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs == expected.attrs
    day_first = pd.to_datetime(frame["date"].str[:10], format="%d/%m/%Y").dt.strftime("%Y-%m")
    assert set(table["period"]) == set(day_first)


def test_cli_folder_equals_one_csv_in_memory(
    one_decisive: tuple[list[pd.DataFrame], Path], run_cli: Any, tmp_path: Path
) -> None:
    parts, folder = one_decisive
    csv = as_one_csv(parts, tmp_path / "all.csv")
    in_memory = run_cli("observations", str(csv), "--by", "month", "--format", "csv")
    partitioned = run_cli("observations", str(folder), "--by", "month", "--format", "csv")
    assert in_memory.exit_code == partitioned.exit_code == 0, partitioned.stderr
    assert partitioned.stdout == in_memory.stdout and partitioned.stdout.count("\n") > 12


@pytest.mark.parametrize("workers", [1, 2])
def test_partitions_that_disagree_stay_unreadable_as_in_memory(
    tmp_path: Path, workers: int
) -> None:
    iso = [f"2021-0{m}-1{m}" for m in range(1, 10)]
    dates = [[*ambiguous_dates(20, 4), "25/03/2021", *iso], [*ambiguous_dates(20, 5), "03/25/2021"]]
    parts = parts_with_dates(dates)
    folder = write_parts(tmp_path / "obs", parts)
    frame = pd.concat(parts, ignore_index=True)
    with pytest.warns(UserWarning, match=r"dropped 42 of 51 rows whose time in column 'date'"):
        expected = count_observations(frame, by="month")
    with pytest.warns(UserWarning, match=r"dropped 42 of 51 rows whose time in column 'date'"):
        table = count_observations(folder, by="month", workers=workers)
    pd.testing.assert_frame_equal(table, expected)
    assert set(table["period"]) == {f"2021-0{m}" for m in range(1, 10)}  # the ISO dates alone


def test_no_decisive_value_anywhere_is_one_error(tmp_path: Path, run_cli: Any) -> None:
    parts = parts_with_dates([ambiguous_dates(30, 6), ambiguous_dates(30, 7)])
    folder = write_parts(tmp_path / "obs", parts)
    with pytest.raises(DataError, match="could be day/month or month/day"):
        count_observations(pd.concat(parts, ignore_index=True), by="month")
    with pytest.raises(
        DataError, match=r"obs: dates such as '\d\d/\d\d/20\d\d.*' in column 'date'"
    ):
        count_observations(folder, by="month", workers=1)
    result = run_cli("observations", str(folder), "--by", "month", "--format", "csv")
    assert result.exit_code != 0 and result.stderr.count("\n") == 1
    assert "--time-format" in result.stderr and "Traceback" not in result.stderr


def test_given_time_format_reads_without_a_pre_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = parts_with_dates([ambiguous_dates(30, 8), ambiguous_dates(30, 9)])
    folder = write_parts(tmp_path / "obs", parts)
    calls: list[Any] = []
    real_run = pieces.run

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["columns"])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pieces, "run", counted)
    frame = pd.concat(parts, ignore_index=True)
    options = {"by": "month", "time_format": "%m/%d/%Y %H:%M"}
    with pytest.warns(UserWarning, match="missing or unreadable"):  # those without a clock
        expected = count_observations(frame, **options)
    with pytest.warns(UserWarning, match="missing or unreadable"):
        table = count_observations(folder, workers=1, **options)
    pd.testing.assert_frame_equal(table, expected)
    assert len(calls) == 1  # the count itself; no pass to judge the order
    calls.clear()
    count_observations(
        write_parts(tmp_path / "decisive", parts_with_dates([["25/03/2021"]])),
        by="month",
        workers=1,
    )
    assert calls[0] == ["date"] and len(calls) == 2  # the order pass reads the date alone
