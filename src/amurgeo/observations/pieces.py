"""Observations too many for memory: Parquet read in pieces, worked on in many processes.

A *partitioned source* is a folder of (Geo)Parquet files (as dask, Spark or
``to_parquet(partition_cols=...)`` write them: hive ``key=value`` folders become columns)
or one Parquet file big enough to hold several row groups, on a local disk or behind an
fsspec URL (``s3://``, ``gs://``, ``abfs://``, ``https://``, ``file://`` ...). It is cut into
*pieces* (a file, or some row groups of one file); each piece is read in batches of
:data:`BATCH_ROWS` rows, so a worker holds one batch at a time, never the whole table.

:func:`run` applies a task to every batch and folds the small results together:

* ``workers=1``: in this process, one piece after another;
* ``workers=N`` (default: every core): in N local processes, each with its own copy of the
  shared data (prepared GEOS geometries are not thread-safe, so they are never shared);
* ``scheduler=`` a ``dask.distributed.Client`` or a scheduler address: on that cluster. The
  shared data is sent once to every worker; only the per-piece results come back.

The task is a picklable callable ``task(frame, shared)`` (a module-level function or a
``functools.partial`` of one), so keyword options pass through unchanged to every worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from amurgeo.errors import DataError, UsageError

__all__ = [
    "BATCH_ROWS",
    "PARQUET_SUFFIXES",
    "Piece",
    "PieceSource",
    "default_workers",
    "is_url",
    "open_source",
    "run",
]

T = TypeVar("T")

#: File name endings read as Parquet.
PARQUET_SUFFIXES = (".parquet", ".pq", ".geoparquet")
#: Rows read at a time from one piece: what one worker holds in memory.
BATCH_ROWS = 1 << 20
#: Below this many rows (local sources), the default is to work in this process: starting
#: worker processes would take longer than the work.
PARALLEL_MIN_ROWS = 2_000_000
#: Seconds to wait for a dask scheduler to answer.
CONNECT_TIMEOUT_S = 10.0
#: Environment variable naming a dask scheduler (as dask itself reads it).
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"

# fsspec protocol -> (package that implements it, amurgeo extra that installs it)
_BACKENDS = {
    "s3": ("s3fs", "s3"),
    "s3a": ("s3fs", "s3"),
    "gs": ("gcsfs", "gcs"),
    "gcs": ("gcsfs", "gcs"),
    "abfs": ("adlfs", "azure"),
    "abfss": ("adlfs", "azure"),
    "az": ("adlfs", "azure"),
    "http": ("aiohttp", "http"),
    "https": ("aiohttp", "http"),
}
_DASK_EXTRA = "pip install 'amurgeo[dask]'"


def is_url(source: object) -> bool:
    """Whether `source` is an fsspec URL (``protocol://...``), not a local path.

    Examples
    --------
    >>> is_url("s3://bucket/obs/"), is_url("/data/obs"), is_url("C:\\\\obs")
    (True, False, False)
    """
    if not isinstance(source, str) or "://" not in source:
        return False
    protocol = source.split("://", 1)[0]
    return protocol.replace("+", "").replace("-", "").isalnum() and len(protocol) > 1


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------------------------
# Where the data is
# ---------------------------------------------------------------------------------------------


def _filesystem(url: str, storage_options: Mapping[str, Any]) -> tuple[Any, str]:
    """The fsspec filesystem and path of `url`; a missing backend names its extra."""
    protocol = url.split("://", 1)[0].lower()
    package, extra = _BACKENDS.get(protocol, (None, None))
    install = f"pip install 'amurgeo[{extra}]'" if extra else "pip install fsspec"
    try:
        import fsspec
    except ImportError:
        raise UsageError(f"{url}: reading {protocol}:// URLs needs fsspec ({install})") from None
    try:
        return fsspec.core.url_to_fs(url, **dict(storage_options))
    except ImportError as exc:
        wanted = package or "the fsspec backend for it"
        raise UsageError(
            f"{url}: reading {protocol}:// needs {wanted}, which is not installed ({install})"
        ) from exc
    except ValueError as exc:
        raise UsageError(f"{url}: not a URL fsspec knows ({exc})") from None


_FS_CACHE: dict[str, Any] = {}


@dataclass(frozen=True)
class Piece:
    """One unit of work: a file, or some of its row groups, and its hive partition values."""

    path: str
    row_groups: tuple[int, ...] | None = None
    partition: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class PieceSource:
    """A partitioned source: where it is, its columns, and its pieces.

    Attributes
    ----------
    where
        The path or URL as given (for messages).
    name
        A short name (the folder's or file's stem).
    url
        The fsspec URL, or None for a local path.
    storage_options
        Options of the fsspec filesystem (credentials, endpoint ...), as dask takes them.
    columns
        Every column: the files' and the hive partition keys.
    geometry
        The primary geometry column of GeoParquet (WKB), or None.
    geometry_crs
        The CRS of that column as GeoParquet states it (PROJJSON), ``"OGC:CRS84"`` when
        GeoParquet leaves it out, or None when it says the CRS is unknown.
    files
        The files, with their hive partition values.
    rows
        How many rows the files hold (from their footers; None for URLs, not read).
    """

    where: str
    name: str
    url: str | None
    storage_options: Mapping[str, Any]
    columns: tuple[str, ...]
    geometry: str | None
    geometry_crs: Any
    files: tuple[Piece, ...] = field(default=())
    rows: int | None = None

    def filesystem(self) -> Any:
        """The fsspec filesystem (one per process), or None for the local disk."""
        if self.url is None:
            return None
        key = json.dumps([self.url.split("://", 1)[0], dict(self.storage_options)], default=str)
        if key not in _FS_CACHE:
            _FS_CACHE[key] = _filesystem(self.url, self.storage_options)[0]
        return _FS_CACHE[key]

    def pieces(self, split_below: int = 0) -> list[Piece]:
        """The pieces: one per file; files split by row group while fewer than `split_below`."""
        if len(self.files) >= split_below:
            return list(self.files)
        pieces = []
        for file in self.files:
            with _Opened(self.filesystem(), file.path) as parquet:
                groups = parquet.metadata.num_row_groups
            if groups <= 1:
                pieces.append(file)
            else:
                pieces += [Piece(file.path, (g,), file.partition) for g in range(groups)]
        return pieces


class _Opened:
    """A :class:`pyarrow.parquet.ParquetFile` of a local path or an fsspec file, closed after."""

    def __init__(self, fs: Any, path: str) -> None:
        self.fs, self.path, self.handle = fs, path, None

    def __enter__(self) -> Any:
        import pyarrow.parquet as pq

        try:
            if self.fs is None:
                return pq.ParquetFile(self.path, buffer_size=1 << 20)
            self.handle = self.fs.open(self.path, "rb")
            return pq.ParquetFile(self.handle, buffer_size=1 << 20)
        except FileNotFoundError:
            raise DataError(f"{self.path}: file does not exist") from None
        except Exception as exc:
            text = " ".join(str(exc).split())
            raise DataError(f"{self.path}: cannot read as Parquet ({text})") from exc

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def _geo_metadata(schema: Any) -> tuple[str | None, Any]:
    geo = (schema.metadata or {}).get(b"geo")
    if not geo:
        return None, None
    try:
        meta = json.loads(geo)
    except ValueError:
        return "geometry", "OGC:CRS84"
    column = str(meta.get("primary_column") or "geometry")
    about = (meta.get("columns") or {}).get(column) or {}
    encoding = str(about.get("encoding") or "WKB")
    if encoding.upper() != "WKB":
        raise DataError(
            f"GeoParquet column {column!r} is encoded as {encoding!r}; amurgeo reads WKB "
            "(what geopandas, dask-geopandas, GDAL and DuckDB write by default)"
        )
    return column, about.get("crs", "OGC:CRS84")


def _parquet_files(fs: Any, root: str) -> list[str]:
    """The Parquet files under `root`, sorted; hidden and ``_`` files (Spark's) left out."""
    if fs is None:
        found = []
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "_")))
            found += [os.path.join(folder, n) for n in names if not n.startswith((".", "_"))]
    else:
        found = [str(p) for p in fs.find(root)]
    parts = (p.replace("\\", "/").split("/") for p in found)
    return sorted(
        "/".join(p)
        for p in parts
        if p[-1].lower().endswith(PARQUET_SUFFIXES)
        and not any(s.startswith((".", "_")) for s in p[-1:])
    )


def open_source(
    source: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
) -> PieceSource:
    """List the files and columns of a folder of Parquet partitions or of one Parquet file.

    Parameters
    ----------
    source
        A local folder or file, or an fsspec URL of one.
    storage_options
        Options for the fsspec filesystem of a URL (credentials, ``anon``, endpoint ...).

    Returns
    -------
    PieceSource

    Raises
    ------
    UsageError
        For a URL whose fsspec backend is not installed (the message names the extra).
    DataError
        For a folder without Parquet files or a file that is not Parquet.
    """
    import pyarrow.dataset as ds

    text = os.fspath(source)
    options = dict(storage_options or {})
    url = text if is_url(text) else None
    if url is None and options:
        raise UsageError(f"{text}: storage options are only for URLs (s3://, gs:// ...)")
    fs, root = _filesystem(url, options) if url is not None else (None, text)
    if fs is None and not os.path.exists(root):
        raise UsageError(f"{text}: file does not exist")
    try:
        folder = fs.isdir(root) if fs is not None else os.path.isdir(root)
    except Exception as exc:
        raise DataError(f"{text}: cannot open ({' '.join(str(exc).split())})") from exc
    stem = os.path.basename(str(root).rstrip("/\\")) or "observations"
    name = stem.split(".")[0] or stem
    try:
        if folder:
            paths = _parquet_files(fs, root)
            if not paths:
                raise DataError(f"{text}: holds no Parquet files (*.parquet)")
            dataset = ds.dataset(
                paths,
                filesystem=fs,
                format="parquet",
                partitioning=ds.partitioning(flavor="hive"),
                partition_base_dir=str(root),
            )
            files = tuple(
                Piece(
                    f.path,
                    None,
                    tuple(sorted(ds.get_partition_keys(f.partition_expression).items())),
                )
                for f in dataset.get_fragments()
            )
            schema = dataset.schema
            rows = dataset.count_rows() if fs is None else None
        else:
            with _Opened(fs, root) as parquet:
                schema = parquet.schema_arrow
                rows = parquet.metadata.num_rows
            files = (Piece(root),)
    except (DataError, UsageError):
        raise
    except FileNotFoundError:
        raise UsageError(f"{text}: file does not exist") from None
    except Exception as exc:
        raise DataError(f"{text}: cannot read as Parquet ({' '.join(str(exc).split())})") from exc
    geometry, crs = _geo_metadata(schema)
    return PieceSource(
        where=text,
        name=name,
        url=url,
        storage_options=options,
        columns=tuple(schema.names),
        geometry=geometry,
        geometry_crs=crs,
        files=files,
        rows=rows,
    )


def row_groups(source: PieceSource) -> int:
    """How many row groups the files of `source` hold in all (reads their footers)."""
    total = 0
    for file in source.files:
        with _Opened(source.filesystem(), file.path) as parquet:
            total += parquet.metadata.num_row_groups
    return total


# ---------------------------------------------------------------------------------------------
# Reading one piece
# ---------------------------------------------------------------------------------------------


def read_batches(
    source: PieceSource, piece: Piece, columns: Sequence[str], batch_rows: int = BATCH_ROWS
) -> Iterator[pd.DataFrame]:
    """The rows of one piece, `batch_rows` at a time, as (Geo)DataFrames of `columns`.

    Hive partition values become constant columns; a GeoParquet geometry column becomes
    the GeoDataFrame's geometry, in the CRS the file states.
    """
    partition = dict(piece.partition)
    in_file = [c for c in columns if c not in partition]
    with _Opened(source.filesystem(), piece.path) as parquet:
        missing = [c for c in in_file if c not in parquet.schema_arrow.names]
        if missing:
            raise DataError(f"{piece.path}: has no column {missing[0]!r} (the other files do)")
        try:
            for batch in parquet.iter_batches(
                batch_size=batch_rows,
                row_groups=piece.row_groups,
                columns=in_file,
                use_threads=False,
            ):
                yield _frame(batch.to_pandas(), partition, columns, source)
        except (DataError, UsageError):
            raise
        except Exception as exc:
            text = " ".join(str(exc).split())
            raise DataError(f"{piece.path}: cannot read as Parquet ({text})") from exc


def _frame(
    frame: pd.DataFrame, partition: dict[str, Any], columns: Sequence[str], source: PieceSource
) -> pd.DataFrame:
    for key in columns:
        if key in partition:
            frame[key] = partition[key]
    if source.geometry is None or source.geometry not in frame.columns:
        return frame
    import geopandas as gpd

    crs = source.geometry_crs
    geometry = gpd.GeoSeries.from_wkb(frame[source.geometry].to_numpy(), crs=crs)
    frame = frame.drop(columns=source.geometry)
    return gpd.GeoDataFrame(frame, geometry=geometry.rename(source.geometry).values, crs=crs)


# ---------------------------------------------------------------------------------------------
# Running a task on every piece
# ---------------------------------------------------------------------------------------------

_SHARED_BLOBS: dict[str, bytes] = {}
_LOCAL = threading.local()


def _remember(key: str, blob: bytes) -> None:
    """Process-pool initializer: keep the shared data's bytes in this worker process."""
    _SHARED_BLOBS[key] = blob


def _shared(key: str, blob: bytes | None) -> Any:
    """This thread's own copy of the shared data (unpickled once per thread)."""
    cache = getattr(_LOCAL, "shared", None)
    if cache is None:
        cache = _LOCAL.shared = {}
    if key not in cache:
        data = blob if blob is not None else _SHARED_BLOBS[key]
        cache.clear()  # one job's shared data at a time
        cache[key] = pickle.loads(data)
    return cache[key]


def _fold(acc: T | None, item: T, combine: Callable[[T, T], T]) -> T:
    return item if acc is None else combine(acc, item)


def run_piece(
    piece: Piece,
    source: PieceSource,
    columns: Sequence[str],
    task: Callable[[pd.DataFrame, Any], T],
    combine: Callable[[T, T], T],
    token: str,
    blob: bytes | None = None,
    batch_rows: int = BATCH_ROWS,
) -> T | None:
    """Apply `task` to every batch of one piece and fold the results (runs on a worker)."""
    shared = _shared(token, blob)
    acc: T | None = None
    for frame in read_batches(source, piece, columns, batch_rows):
        acc = _fold(acc, task(frame, shared), combine)
    return acc


def _client(scheduler: Any) -> tuple[Any, bool]:
    """The dask.distributed Client for `scheduler` and whether amurgeo opened it."""
    try:
        import distributed
    except ImportError:
        raise UsageError(
            f"a dask scheduler ({scheduler!r}) needs dask.distributed, which is not installed "
            f"({_DASK_EXTRA})"
        ) from None
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise UsageError(
            f"scheduler {scheduler!r}: expected a dask scheduler address "
            "(tcp://host:8786) or a dask.distributed.Client"
        )
    try:
        client = distributed.Client(
            scheduler.strip(), set_as_default=False, timeout=CONNECT_TIMEOUT_S
        )
    except (OSError, TimeoutError) as exc:
        raise UsageError(
            f"scheduler {scheduler!r}: cannot connect ({' '.join(str(exc).split())})"
        ) from None
    return client, True


def _default_client() -> Any:
    """The dask.distributed Client this process made the default, if any (dask's convention)."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return distributed.default_client()
    except ValueError:
        return None


def _check_workers(workers: int | None) -> int:
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UsageError(f"workers is {workers!r}; expected a whole number >= 1")
    return workers


def run(
    source: PieceSource,
    task: Callable[[pd.DataFrame, Any], T],
    combine: Callable[[T, T], T],
    *,
    columns: Sequence[str],
    shared: Any = None,
    workers: int | None = None,
    scheduler: Any = None,
    batch_rows: int = BATCH_ROWS,
) -> T | None:
    """Apply ``task(frame, shared)`` to every batch of `source` and fold the results.

    Parameters
    ----------
    source
        From :func:`open_source`.
    task
        A picklable callable: a batch of rows (the `columns` of `source`) and the shared
        data in, a small result out.
    combine
        Folds two results into one (associative and commutative: pieces finish in any order).
    columns
        The columns to read.
    shared
        Data every task needs (area polygons, hexagon sizes ...): pickled once, sent once to
        every worker process, unpickled once per worker thread.
    workers
        Local processes (default: every core, or this process alone for fewer than
        :data:`PARALLEL_MIN_ROWS` rows; 1: in this process). Ignored with a scheduler.
    scheduler
        A ``dask.distributed.Client`` or a scheduler address: run on that cluster. Default:
        the Client this process made the default, if there is one, else local processes.
    batch_rows
        Rows read at a time.

    Returns
    -------
    The folded result, or None when `source` holds no rows.
    """
    blob = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)
    key = hashlib.sha1(blob).hexdigest()
    if scheduler is None:
        scheduler = _default_client()
    if scheduler is not None:
        return _run_on_cluster(source, task, combine, columns, key, blob, scheduler, batch_rows)
    count = _check_workers(workers)
    if workers is None and source.rows is not None and source.rows < PARALLEL_MIN_ROWS:
        count = 1
    pieces = source.pieces(split_below=2 * count if count > 1 else 0)
    count = min(count, len(pieces))
    acc: T | None = None
    if count <= 1:
        for piece in pieces:
            result = run_piece(piece, source, columns, task, combine, key, blob, batch_rows)
            acc = acc if result is None else _fold(acc, result, combine)
        return acc
    with ProcessPoolExecutor(
        count, mp_context=_context(task), initializer=_remember, initargs=(key, blob)
    ) as pool:
        futures = {
            pool.submit(run_piece, p, source, columns, task, combine, key, None, batch_rows)
            for p in pieces
        }
        while futures:
            done, futures = wait(futures, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is not None:
                    for other in futures:
                        other.cancel()
                    raise future.exception()  # type: ignore[misc]
                result = future.result()
                acc = acc if result is None else _fold(acc, result, combine)
    return acc


def _context(task: Callable[..., Any]) -> Any:
    """Worker processes started fresh (no fork of a threaded process), imports done once.

    With ``forkserver`` the server imports amurgeo and the task's module once; every worker
    is a fork of it, so none pays the import again.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    module = getattr(getattr(task, "func", task), "__module__", None)
    preload = ["amurgeo.observations.pieces"] + (
        [module] if module and module.startswith("amurgeo") else []
    )
    context.set_forkserver_preload(preload)
    return context


def _run_on_cluster(
    source: PieceSource,
    task: Callable[[pd.DataFrame, Any], T],
    combine: Callable[[T, T], T],
    columns: Sequence[str],
    key: str,
    blob: bytes,
    scheduler: Any,
    batch_rows: int,
) -> T | None:
    client, opened = _client(scheduler)
    from distributed import as_completed

    try:
        threads = sum(client.nthreads().values()) or 1
        pieces = source.pieces(split_below=2 * threads)
        shared = client.scatter(blob, broadcast=True, hash=False)
        futures = client.map(
            run_piece,
            pieces,
            source=source,
            columns=list(columns),
            task=task,
            combine=combine,
            token=key,
            blob=shared,
            batch_rows=batch_rows,
            pure=False,
        )
        acc: T | None = None
        try:
            for _, result in as_completed(futures, with_results=True, loop=client.loop):
                acc = acc if result is None else _fold(acc, result, combine)
        except BaseException:
            client.cancel(futures)
            raise
        return acc
    finally:
        if opened:
            client.close()
