"""Partitioned observations: pieces, local processes, a real dask.distributed cluster, URLs.

The cluster tests start a scheduler and two single-threaded worker processes on loopback
(``LocalCluster``, no dashboard) once per module and stop them at the end: a few seconds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from amurgeo.errors import DataError, UsageError
from amurgeo.observations import pieces

# the in-memory results compared with warn about the same dropped rows; the partitioned
# path's own warnings are checked with pytest.warns
pytestmark = pytest.mark.filterwarnings("ignore::amurgeo.errors.DataWarning")


def _rows(frame: pd.DataFrame, shared: Any) -> dict[str, float]:
    return {"rows": len(frame), "lon": float(frame["lon"].sum()) * shared}


def _add(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: a[k] + b[k] for k in a}


def observations(count: int, seed: int) -> pd.DataFrame:
    """Detections around camera stations in Primorye and Jilin, 3 species, some bad rows."""
    rng = np.random.default_rng(seed)
    stations = rng.integers(0, 60, count)
    slon = rng.uniform(129.8, 132.2, 60)
    slat = rng.uniform(42.4, 44.4, 60)
    frame = pd.DataFrame(
        {
            "lon": slon[stations] + rng.normal(0, 0.02, count),
            "lat": slat[stations] + rng.normal(0, 0.02, count),
            "species": rng.choice(["Amur leopard", "Amur tiger", "Sika deer"], count),
        }
    )
    frame.loc[::97, "lon"] = np.nan  # a missing fix now and then
    return frame


def write_partitions(folder: Path, frame: pd.DataFrame, parts: int) -> Path:
    """`frame` as hive folders ``year=...`` of `parts` Parquet files."""
    for index, rows in enumerate(np.array_split(np.arange(len(frame)), parts)):
        chunk = frame.iloc[rows]
        year = folder / f"year={2019 + index % 3}"
        year.mkdir(parents=True, exist_ok=True)
        chunk.to_parquet(year / f"part-{index:03d}.parquet", index=False)
    (folder / "_SUCCESS").write_text("")  # as Spark leaves it
    return folder


# --- the piece runner ------------------------------------------------------------------------


def test_folder_pieces_carry_hive_columns(tmp_path: Path) -> None:
    folder = write_partitions(tmp_path / "obs", observations(3_000, 1), 6)
    source = pieces.open_source(folder)
    assert len(source.files) == 6 and source.rows == 3_000
    assert "year" in source.columns and source.geometry is None
    years = {dict(p.partition)["year"] for p in source.files}
    assert years == {2019, 2020, 2021}
    frame = next(pieces.read_batches(source, source.files[0], ["lon", "year"]))
    assert list(frame.columns) == ["lon", "year"] and set(frame["year"]) == {2019}


def test_one_file_is_split_into_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "big.parquet"
    observations(5_000, 2).to_parquet(path, index=False, row_group_size=1_000)
    source = pieces.open_source(path)
    assert len(source.pieces()) == 1
    assert [p.row_groups for p in source.pieces(split_below=4)] == [(g,) for g in range(5)]
    result = pieces.run(source, _rows, _add, columns=["lon"], shared=1.0, workers=1)
    assert result is not None and result["rows"] == 5_000


def test_batches_bound_what_is_read_at_once(tmp_path: Path) -> None:
    folder = write_partitions(tmp_path / "obs", observations(4_000, 3), 2)
    source = pieces.open_source(folder)
    sizes = [len(b) for p in source.files for b in pieces.read_batches(source, p, ["lon"], 500)]
    assert max(sizes) == 500 and sum(sizes) == 4_000


def test_memory_url_and_storage_options(tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    frame = observations(2_000, 4)
    for index, rows in enumerate(np.array_split(np.arange(len(frame)), 4)):
        chunk = frame.iloc[rows]
        with memory.open(f"/amurgeo-test/obs/site=x/part-{index}.parquet", "wb") as handle:
            chunk.to_parquet(handle, index=False)
    try:
        source = pieces.open_source("memory://amurgeo-test/obs", storage_options={})
        assert len(source.files) == 4 and "site" in source.columns
        result = pieces.run(source, _rows, _add, columns=["lon"], shared=2.0, workers=1)
        assert result == {"rows": 2_000, "lon": pytest.approx(2 * frame["lon"].sum())}
    finally:
        memory.rm("/amurgeo-test", recursive=True)


def test_missing_backend_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fsspec")
    monkeypatch.setitem(sys.modules, "s3fs", None)  # as if not installed
    with pytest.raises(UsageError, match=r"s3fs.*amurgeo\[s3\]"):
        pieces.open_source("s3://some-bucket/observations/")


def test_storage_options_need_a_url(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="storage options are only for URLs"):
        pieces.open_source(tmp_path, storage_options={"anon": True})


def test_folder_without_parquet_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no data here")
    with pytest.raises(DataError, match="holds no Parquet files"):
        pieces.open_source(tmp_path)


@pytest.mark.parametrize("workers", [0, -2, 1.5, True])
def test_bad_worker_counts_are_usage_errors(tmp_path: Path, workers: Any) -> None:
    folder = write_partitions(tmp_path / "obs", observations(100, 5), 2)
    source = pieces.open_source(folder)
    with pytest.raises(UsageError, match="workers"):
        pieces.run(source, _rows, _add, columns=["lon"], shared=1.0, workers=workers)


def test_scheduler_that_is_not_there_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(pieces, "CONNECT_TIMEOUT_S", 1.0)
    folder = write_partitions(tmp_path / "obs", observations(100, 6), 2)
    source = pieces.open_source(folder)
    with pytest.raises(UsageError, match="cannot connect"):
        pieces.run(source, _rows, _add, columns=["lon"], scheduler="tcp://127.0.0.1:9", shared=1.0)


# --- a real dask.distributed cluster on loopback ---------------------------------------------


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """The address of a scheduler with two single-threaded worker processes on 127.0.0.1."""
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed not installed: amurgeo[dask]"
    )
    import dask

    # a worker process imports amurgeo's stack before it connects: on a loaded 2-core machine
    # that took longer than distributed's 30 s default once, and the cluster never started
    slow_start = {"distributed.comm.timeouts.connect": "180s"}
    with (
        dask.config.set(slow_start),
        distributed.LocalCluster(
            host="127.0.0.1",
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            worker_dashboard_address=None,
            silence_logs=50,
            death_timeout=180,
        ) as cluster,
    ):
        yield str(cluster.scheduler_address)


def test_cluster_fixture_has_two_workers(dask_scheduler: str) -> None:
    import distributed

    with distributed.Client(dask_scheduler, set_as_default=False) as client:
        assert len(client.nthreads()) == 2
        assert all(a.startswith("tcp://127.0.0.1:") for a in client.nthreads())
        pids = client.run(os.getpid)
        assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()


# --- counting and binning through the piece runner ----------------------------------------------


def dated(count: int, seed: int) -> pd.DataFrame:
    """:func:`observations` with a date column over three years, a few dates unreadable."""
    frame = observations(count, seed)
    rng = np.random.default_rng(seed + 100)
    days = rng.integers(0, 3 * 365, count)
    frame["date"] = (np.datetime64("2019-01-01") + days.astype("timedelta64[D]")).astype(str)
    frame.loc[::211, "date"] = "not a date"
    return frame


def _density(source: Any, **kwargs: Any) -> pd.DataFrame:
    from amurgeo.observations import observation_density

    hexes = observation_density(source, size_km=5.0, **kwargs)
    return pd.DataFrame(hexes.drop(columns="geometry")).assign(wkt=hexes.geometry.to_wkt())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, Path]:
    frame = dated(30_000, 11)
    return frame, write_partitions(tmp_path_factory.mktemp("parts") / "obs", frame, 6)


@pytest.mark.parametrize("workers", [1, 2])
def test_folder_counts_equal_the_in_memory_path(
    folder: tuple[pd.DataFrame, Path], workers: int
) -> None:
    from amurgeo.observations import count_observations

    frame, path = folder
    expected = count_observations(frame)
    with pytest.warns(UserWarning, match=r"dropped \d+ of 30,000 observations"):
        table = count_observations(path, workers=workers)
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs == expected.attrs and table.attrs["dropped"] > 0


@pytest.mark.parametrize(
    "options",
    [{"by": "month"}, {"since": "2020-03", "until": "2021"}, {"by": "year", "since": "2020"}],
    ids=["by-month", "since-until", "by-year-since"],
)
def test_time_options_on_a_folder_equal_the_in_memory_path(
    folder: tuple[pd.DataFrame, Path], options: dict[str, str]
) -> None:
    from amurgeo.observations import count_observations

    frame, path = folder
    expected = count_observations(frame, **options)
    with pytest.warns(UserWarning, match="whose time in column 'date' is missing or unreadable"):
        table = count_observations(path, workers=2, **options)
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs == expected.attrs
    kept = table.set_index("area").loc["(outside protection)", "count"]
    assert 0 < int(np.sum(kept)) < 30_000


def test_folder_density_equals_the_in_memory_path(folder: tuple[pd.DataFrame, Path]) -> None:
    frame, path = folder
    expected = _density(frame)
    for workers in (1, 2):
        pd.testing.assert_frame_equal(_density(path, workers=workers), expected)
    timed = _density(path, workers=1, since="2021")
    assert 0 < timed["count"].sum() < expected["count"].sum()
    pd.testing.assert_frame_equal(timed, _density(frame, since="2021"))


def test_one_parquet_file_of_row_groups_counts_the_same(
    folder: tuple[pd.DataFrame, Path], tmp_path: Path
) -> None:
    from amurgeo.observations import count_observations

    frame, _ = folder
    path = tmp_path / "all.parquet"
    frame.to_parquet(path, index=False, row_group_size=4_000)
    expected = count_observations(frame, by="year")
    pd.testing.assert_frame_equal(count_observations(path, workers=2, by="year"), expected)


def test_url_counts_equal_the_in_memory_path(folder: tuple[pd.DataFrame, Path]) -> None:
    fsspec = pytest.importorskip("fsspec")
    from amurgeo.observations import count_observations

    frame, _ = folder
    memory = fsspec.filesystem("memory")
    for index, rows in enumerate(np.array_split(np.arange(len(frame)), 3)):
        with memory.open(f"/amurgeo-count/obs/part-{index}.parquet", "wb") as handle:
            frame.iloc[rows].to_parquet(handle, index=False)
    try:
        table = count_observations("memory://amurgeo-count/obs", workers=1, storage_options={})
        pd.testing.assert_frame_equal(table, count_observations(frame))
    finally:
        memory.rm("/amurgeo-count", recursive=True)


def test_cluster_options_on_an_in_memory_source_are_usage_errors(tmp_path: Path) -> None:
    from amurgeo.observations import count_observations

    path = tmp_path / "cams.csv"
    observations(50, 3).to_csv(path, index=False)
    with pytest.raises(UsageError, match=r"cams\.csv: workers, scheduler"):
        count_observations(path, workers=2)


@pytest.mark.parametrize("address", ["nonsense", "tcp://10.0.0.5", "host:99999", "ftp://a:1"])
def test_cli_bad_scheduler_address_is_one_line(
    run_cli: Any, folder: tuple[pd.DataFrame, Path], address: str
) -> None:
    result = run_cli("observations", str(folder[1]), "--scheduler", address)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert repr(address) in result.stderr and "expected [tcp://]HOST:PORT" in result.stderr


def test_cli_unreachable_scheduler_is_one_line(
    run_cli: Any, folder: tuple[pd.DataFrame, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(pieces, "CONNECT_TIMEOUT_S", 1.0)
    result = run_cli("observations", str(folder[1]), "--scheduler", "127.0.0.1:9")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "'tcp://127.0.0.1:9': cannot connect" in result.stderr and "after 1 s" in result.stderr


def test_cli_workers_and_scheduler_together_are_refused(
    run_cli: Any, folder: tuple[pd.DataFrame, Path]
) -> None:
    result = run_cli("observations", str(folder[1]), "--workers", "2", "--scheduler", "h:1")
    assert result.exit_code == 2 and "not both" in result.stderr


def test_cli_workers_2_equals_workers_1(run_cli: Any, folder: tuple[pd.DataFrame, Path]) -> None:
    one = run_cli(
        "observations", str(folder[1]), "--workers", "1", "--by", "year", "--format", "csv"
    )
    two = run_cli(
        "observations", str(folder[1]), "--workers", "2", "--by", "year", "--format", "csv"
    )
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and one.stdout.count("\n") > 10


def test_cluster_counts_equal_the_in_memory_path(
    dask_scheduler: str, folder: tuple[pd.DataFrame, Path], run_cli: Any, tmp_path: Path
) -> None:
    from amurgeo.observations import count_observations

    frame, path = folder
    expected = count_observations(frame, by="year", since="2019-06")
    table = count_observations(path, scheduler=dask_scheduler, by="year", since="2019-06")
    pd.testing.assert_frame_equal(table, expected)
    csv = tmp_path / "all.csv"
    frame.to_csv(csv, index=False)
    in_memory = run_cli("observations", str(csv), "--by", "month", "--format", "json")
    on_cluster = run_cli(
        "observations",
        str(path),
        "--scheduler",
        dask_scheduler,
        "--by",
        "month",
        "--format",
        "json",
    )
    assert on_cluster.exit_code == in_memory.exit_code == 0
    assert on_cluster.stdout == in_memory.stdout


def test_cluster_density_and_environment_address(
    dask_scheduler: str, folder: tuple[pd.DataFrame, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame, path = folder
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", dask_scheduler)
    pd.testing.assert_frame_equal(_density(path), _density(frame))
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "not an address")
    with pytest.raises(UsageError, match="DASK_SCHEDULER_ADDRESS 'not an address'"):
        _density(path)
    assert len(_density(path, workers=1)) == len(_density(frame))  # workers: env not read


def test_cli_missing_parquet_and_missing_backend_are_one_line(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_cli("observations", str(tmp_path / "none.parquet"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "none.parquet: file does not exist" in result.stderr
    pytest.importorskip("fsspec")
    monkeypatch.setitem(sys.modules, "s3fs", None)  # as if not installed
    result = run_cli("observations", "s3://bucket/collars/")
    assert result.exit_code == 2 and "pip install 'amurgeo[s3]'" in result.stderr


def test_cluster_client_passed_in_is_used_and_left_open(
    dask_scheduler: str, folder: tuple[pd.DataFrame, Path]
) -> None:
    import distributed

    from amurgeo.observations import count_observations

    frame, path = folder
    with distributed.Client(dask_scheduler, set_as_default=False) as client:
        table = count_observations(path, scheduler=client, by="year")
        pd.testing.assert_frame_equal(table, count_observations(frame, by="year"))
        assert client.status == "running"  # amurgeo closes only the clients it opened


# --- maps of a folder, binned where it is read ------------------------------------------------


def _map_page(source: Any, **kwargs: Any) -> str:
    from amurgeo.maps import build_map, map_html

    return map_html(
        build_map(["land-of-the-leopard"], observations=source, minimap=False, **kwargs)
    )


def _hexagon_counts(page: str) -> list[tuple[float, list[int]]]:
    """Size and counts of every level of the page's density layer."""
    import json

    start = page.index("amurgeo.hexLayer(")
    spec = json.JSONDecoder().raw_decode(page[page.index(", ", start) + 2 :])[0]
    counts = []
    for level in spec["levels"]:
        cells = np.asarray(level["cells"]).reshape(-1, level["stride"])
        counts.append((level["sizeM"], cells[:, 14].tolist()))  # lon, lat, 12 offsets, count
    return counts


@pytest.fixture(scope="module")
def in_memory_page(folder: tuple[pd.DataFrame, Path]) -> tuple[str, Path]:
    """The map of the folder's points read from one CSV (the in-memory path), and the CSV."""
    import html

    frame, path = folder
    csv = path.parent / "csv" / "obs.csv"
    csv.parent.mkdir()
    frame.to_csv(csv, index=False)
    page = _map_page(csv)
    # the source is named on the page (in the sources box): the one difference allowed
    return page.replace(html.escape(str(csv)), html.escape(str(path))), csv


@pytest.fixture
def no_points_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading every point of a partitioned source into this process fails."""
    from amurgeo.observations import partitions, read

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("every point of the folder read into the driver")

    monkeypatch.setattr(partitions, "read_partitioned", refuse)
    monkeypatch.setattr(read, "read_partitioned", refuse)


@pytest.mark.parametrize("workers", [1, 2])
def test_folder_map_equals_the_in_memory_page(
    folder: tuple[pd.DataFrame, Path],
    in_memory_page: tuple[str, Path],
    workers: int,
    no_points_in_memory: None,
) -> None:
    _, path = folder
    page = _map_page(path, workers=workers)
    assert page == in_memory_page[0]
    counts = _hexagon_counts(page)
    assert len(counts) >= 2 and all(sum(c) == sum(counts[0][1]) for _, c in counts)


def test_folder_map_bins_each_batch(
    folder: tuple[pd.DataFrame, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The binning sees one file (a batch) at a time, never the folder's 30,000 rows."""
    from amurgeo.observations import hexbin

    seen: list[int] = []
    bin_levels = hexbin.bin_levels

    def spy(points: Any, ladder: Any) -> Any:
        seen.append(len(points))
        return bin_levels(points, ladder)

    monkeypatch.setattr(hexbin, "bin_levels", spy)
    frame, path = folder
    from amurgeo.maps.hexagons import ladder_for
    from amurgeo.region import OPENING_FRAME

    west, south, east, north = OPENING_FRAME
    tally = hexbin.density_levels_of(path, ladder_for([[south, west], [north, east]]), workers=1)
    assert tally.value is not None and tally.kept == sum(seen)
    assert len(seen) == 6 and max(seen) <= len(frame) / 6  # 6 files of 5,000 rows


def test_cluster_map_equals_the_in_memory_page(
    dask_scheduler: str,
    folder: tuple[pd.DataFrame, Path],
    in_memory_page: tuple[str, Path],
    run_cli: Any,
    tmp_path: Path,
    no_points_in_memory: None,
) -> None:
    _, path = folder
    out = tmp_path / "cluster.html"
    result = run_cli(
        "map",
        "land-of-the-leopard",
        "--observations",
        str(path),
        "--scheduler",
        dask_scheduler,
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    local = tmp_path / "local.html"
    result = run_cli(
        "map",
        "land-of-the-leopard",
        "--observations",
        str(path),
        "--workers",
        "2",
        "-o",
        str(local),
    )
    assert result.exit_code == 0, result.stderr
    from amurgeo.maps import build_map, map_html

    csv = in_memory_page[1]
    expected = map_html(build_map(["land-of-the-leopard"], observations=csv))
    expected = expected.replace(str(csv), str(path))
    page = out.read_text(encoding="utf-8")
    assert page == local.read_text(encoding="utf-8") == expected
    assert _hexagon_counts(page) == _hexagon_counts(expected)


def test_cli_map_cluster_options_need_parquet(
    run_cli: Any, in_memory_page: tuple[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "m.html"
    csv = str(in_memory_page[1])
    result = run_cli("map", "LotL", "--observations", csv, "--workers", "2", "-o", str(out))
    assert result.exit_code == 2 and "are for Parquet observations" in result.stderr
    result = run_cli("map", "LotL", "--workers", "2", "-o", str(out))
    assert result.exit_code == 2 and "need --observations" in result.stderr
    assert not out.exists()


def _period_points(source: Any, **kwargs: Any) -> dict[str, Any]:
    """Name and sorted points of every period layer of the map of `source`, by period."""
    from amurgeo.maps import build_map

    built = build_map(["land-of-the-leopard"], observations=source, minimap=False, **kwargs)
    specs = [c.spec for c in built._children.values() if "period" in getattr(c, "spec", {})]
    return {
        s["period"]: (
            s["nameHtml"],
            sorted(f["geometry"]["coordinates"] for f in s["data"]["features"]),
        )
        for s in specs
    }


def test_folder_period_layers_draw_the_in_memory_sample(
    folder: tuple[pd.DataFrame, Path],
    monkeypatch: pytest.MonkeyPatch,
    no_points_in_memory: None,
    dask_scheduler: str,
) -> None:
    from amurgeo.observations import sample

    monkeypatch.setattr(sample, "PERIOD_POINT_CAP", 1_500)  # what each piece keeps
    monkeypatch.setattr(sample, "PERIOD_POINTS_IN_ALL", 3_000)  # 3 periods: 1,000 drawn each
    frame, path = folder
    expected = _period_points(frame, observations_by="year")
    assert sorted(expected) == ["2019", "2020", "2021"]
    assert all(len(points) == 1_000 for _, points in expected.values())
    assert "observations: 2019 (1,000 of 9," in expected["2019"][0]  # a DataFrame's name
    for where in ({"workers": 2}, {"scheduler": dask_scheduler}):
        found = _period_points(path, observations_by="year", **where)
        assert {k: v[1] for k, v in found.items()} == {k: v[1] for k, v in expected.items()}
        assert found["2019"][0] == expected["2019"][0].replace("observations:", "obs:")
