"""Add layers to a GeoPackage and keep its other layers: a consistent copy moved into place."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from amurgeo.errors import UsageError
from amurgeo.output.check import Destination, Output
from amurgeo.output.write import (
    as_output,
    folder_lock,
    is_write_error,
    replace_file,
    write_error,
)

__all__ = [
    "check_layer_free",
    "updating_geopackage",
]


def _existing_layers(path: Path) -> list[str]:
    import pyogrio

    if not path.exists():
        return []
    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:
        raise UsageError(f"output {str(path)!r} exists but is not a GeoPackage ({exc})") from exc


def check_layer_free(out: Output, default: str) -> None:
    """Refuse, before any work, a GeoPackage layer that exists (without overwrite) or is an input.

    Parameters
    ----------
    out
        From :func:`check_output`; nothing is checked unless it is a GeoPackage.
    default
        The layer name the command writes when ``::NAME`` is not given.
    """
    if out.is_geopackage:
        existing = _existing_layers(out.path) if out.path is not None else []
        _check_layers(out, [out.layer or default], existing)


def _check_layers(out: Output, layers: Iterable[str], existing: list[str]) -> None:
    present = {name.lower(): name for name in existing}
    for layer in layers:
        if layer.lower() in out.input_layers:
            raise UsageError(
                f"output {out.spec!r}: layer {layer!r} is an input; write another layer"
            )
        if layer.lower() in present and not out.overwrite:
            raise UsageError(
                f"output {out.spec!r} already has a layer {present[layer.lower()]!r}; "
                "give --overwrite to replace it, or name another layer "
                "with FILE.gpkg::NAME"
            )


def _snapshot(source: Path, copy: Path) -> None:
    """A consistent copy of the SQLite file `source` (what a reader sees, WAL included)."""
    import sqlite3

    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


@contextlib.contextmanager
def updating_geopackage(destination: Destination, layers: Iterable[str]) -> Iterator[Path]:
    """Yield a copy of the GeoPackage to add `layers` to; it replaces the file on success.

    Under a lock on the folder: the layers are checked against the file's (an existing one
    needs ``overwrite``; an input layer is never replaced), the file is copied, the caller
    writes its layers into the copy (pyogrio adds or replaces a layer by name), and the copy
    is moved into place. Every other layer is kept as it was.

    Raises
    ------
    UsageError
        If a layer exists (without overwrite) or is an input, or the file is open in another
        program (a ``-wal`` or ``-journal`` file beside it).
    OutputError
        If writing fails.
    """
    out = as_output(destination)
    if out.kind == "stdout" or out.path is None:
        raise UsageError("a GeoPackage cannot be written to standard output ('-'); give a file")
    target = out.path
    wanted = list(layers)
    with folder_lock(target.parent):
        for side in ("-wal", "-journal"):
            if Path(f"{target}{side}").exists():
                raise UsageError(
                    f"output {out.spec!r} is being written by another program "
                    f"({target.name}{side} exists); close it and try again"
                )
        _check_layers(out, wanted, _existing_layers(target))
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            copy = work / target.name  # GDAL wants the .gpkg suffix
            try:
                if target.exists():
                    _snapshot(target, copy)
                yield copy
                replace_file(copy, target)
            except Exception as exc:
                if is_write_error(exc):
                    raise write_error(out, exc) from exc
                raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
