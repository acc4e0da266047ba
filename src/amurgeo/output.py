"""Write outputs without losing data: inputs, other layers, links, devices and pipes respected.

Every file amurgeo writes goes through this module. The rules (the README's "Files and
safety" lists them for users):

* **An input is never written over.** An output that is the same file as an input (through
  links, relative paths, hard links or ``file.gpkg::layer``), that lies inside an input folder
  or inside the bundled data, is refused with a :class:`~amurgeo.errors.UsageError` before
  any work is done. A GeoPackage is the one exception, as GDAL's ``ogr2ogr -update`` allows:
  a *different* layer may be added to the GeoPackage an input layer comes from, because
  the inputs are read in full before the file is touched and the file is replaced
  atomically; the input layer itself is never replaced, not even with ``overwrite``.
* **A GeoPackage is a container.** Writing adds layers and keeps every other layer; a layer
  of the same name (SQLite compares names without case) is replaced only with
  ``overwrite=True``. The update works on a consistent copy (SQLite's backup API) that is
  moved into place, under a lock on the folder, so a failure leaves the old file whole and
  two runs adding layers at once both keep theirs.
* **``-`` is standard output** for files that can stream (GeoJSON, HTML, SVG, PNG, PDF).
  A GeoPackage or a folder cannot; binary output to a terminal is refused with a hint.
* **Links, devices, pipes.** A symbolic link is followed: its target is replaced atomically in
  the target's folder and the link is kept. A character device or a FIFO is opened and
  written directly, never renamed over. Only regular files are replaced by rename; a
  folder, block device or socket is refused, and so is a read-only file.
* **Errors are reported.** A failed write (disk full, quota, file size limit, I/O error, a
  closed or full standard output) raises :class:`~amurgeo.errors.OutputError` naming the
  path and the reason; the temporary file is removed and an existing output stays as it was.
  An interrupt (``KeyboardInterrupt`` or the CLI's SIGTERM handler) cleans up the same way:
  renames run with SIGINT and SIGTERM held, so they are never cut half-way.

The API other writers use
-------------------------
``check_output(spec, inputs=..., binary=..., stream=..., overwrite=...)``
    Validate an output before the work and return an :class:`Output`. The CLI calls it first
    thing, with every input of the command (bundled layer ids are fine: only paths count).
``writing(destination)``
    A context manager yielding a temporary :class:`~pathlib.Path` to write the whole file to;
    on success it becomes the output (renamed over a regular file, copied to a device, FIFO
    or standard output). ``destination`` is an :class:`Output` or a path (checked then).
``write_bytes(destination, data)``
    The same for content held in memory.
``updating_geopackage(destination, layers)``
    A context manager yielding a temporary copy of the GeoPackage (or a new empty path) that
    the caller adds `layers` to with pyogrio; moved into place on success.
``writing_folder(destination)``
    A context manager yielding a new temporary folder that replaces the destination folder
    (for the GeoJSON-folder export; the caller decides whether the old folder may go).

A writer added later needs two lines: ``out = check_output(path, inputs=sources, ...)``
before its work, and ``with writing(out) as tmp: ...`` (or ``write_bytes``) to write.
:class:`Output` is :class:`os.PathLike`, so library functions that take a path take it too.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> out = check_output(folder / "notes.txt", inputs=["LotL"])
>>> out.kind
'new'
>>> write_bytes(out, b"done")
>>> (folder / "notes.txt").read_bytes()
b'done'
>>> check_output(folder / "notes.txt", inputs=[str(folder / "notes.txt")])
Traceback (most recent call last):
...
amurgeo.errors.UsageError: output ...notes.txt' is also an input; write to another file
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import select
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

from amurgeo.errors import OutputError, UsageError

__all__ = [
    "STDOUT",
    "Destination",
    "Output",
    "check_layer_free",
    "check_output",
    "updating_geopackage",
    "write_bytes",
    "writing",
    "writing_folder",
]

#: The output name that means standard output.
STDOUT = "-"

#: Kinds of output: standard output, a file to create, a regular file to replace, a
#: character device or FIFO to write into, a folder (GeoJSON export).
Kind: TypeAlias = Literal["stdout", "new", "file", "device", "fifo", "folder"]

_LAYER_SEPARATOR = "::"  # as amurgeo.io.LAYER_SEPARATOR
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd")


@dataclass(frozen=True)
class Output:
    """A checked output: where it goes, what it is, and what must not be written over.

    Attributes
    ----------
    spec
        The output as given (``"-"``, ``"out.html"``, ``"survey.gpkg::gap"``).
    kind
        ``stdout``, ``new``, ``file``, ``device``, ``fifo`` or ``folder``.
    path
        The file written: links resolved, absolute (None for standard output).
    layer
        For a GeoPackage, the layer named with ``::name`` (None when not given).
    overwrite
        Whether an existing GeoPackage layer of the same name may be replaced.
    input_layers
        Layers of this same GeoPackage that are inputs (lower case): never replaced.
    """

    spec: str
    kind: Kind
    path: Path | None
    layer: str | None = None
    overwrite: bool = False
    input_layers: frozenset[str] = field(default_factory=frozenset)

    @property
    def display(self) -> str:
        """The output as messages name it: the path as given, or "standard output"."""
        return "standard output" if self.kind == "stdout" else self.spec

    @property
    def is_geopackage(self) -> bool:
        """True for a ``.gpkg`` output."""
        return self.path is not None and self.path.suffix.lower() == ".gpkg"

    def __fspath__(self) -> str:
        return STDOUT if self.path is None else str(self.path)


#: What the writers take: an :class:`Output`, a path, or ``"-"``.
Destination: TypeAlias = "Output | str | os.PathLike[str]"


# --- checking ------------------------------------------------------------------------------


def _split_layer(text: str) -> tuple[str, str | None]:
    if _LAYER_SEPARATOR in text and not os.path.lexists(text):
        path, _, layer = text.rpartition(_LAYER_SEPARATOR)
        if path and layer:
            return path, layer
    return text, None


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


@dataclass
class _Inputs:
    """The files and folders a command reads, and the GeoPackage layers among them."""

    files: dict[tuple[int, int], str] = field(default_factory=dict)
    folders: list[tuple[Path, str]] = field(default_factory=list)
    layers: dict[tuple[int, int], set[str]] = field(default_factory=dict)

    def add(self, source: object) -> None:
        text = _source_text(source)
        if text is None:
            return
        path_text, layer = _split_layer(text)
        if os.path.isdir(path_text):
            self.folders.append((Path(os.path.realpath(path_text)), text))
            return
        key = _identity(path_text)
        if key is None:
            return  # a bundled layer id, or a file that does not exist (reading will say)
        self.files[key] = text
        if path_text.lower().endswith(".gpkg"):
            self.layers.setdefault(key, set()).add((layer or _first_layer(path_text)).lower())
        if path_text.lower().endswith(".shp"):
            for suffix in _SHAPEFILE_PARTS:
                part = _identity(str(Path(path_text).with_suffix(suffix)))
                if part is not None:
                    self.files.setdefault(part, text)


def _source_text(source: object) -> str | None:
    """The path text of an input (None for a GeoDataFrame read from nowhere)."""
    if source is None:
        return None
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    attrs = getattr(source, "attrs", None)
    origin = attrs.get("source") if isinstance(attrs, dict) else None
    return None if origin in (None, "catalog", "GeoDataFrame") else str(origin)


def _first_layer(path_text: str) -> str:
    """The layer amurgeo reads from a file given without ``::layer`` (its first)."""
    try:
        import pyogrio

        return str(pyogrio.list_layers(path_text)[0, 0])
    except Exception:  # unreadable: reading it will fail with its own message
        return ""


def _protected_folders() -> list[tuple[Path, str]]:
    from amurgeo._paths import geodata_dir

    with contextlib.suppress(Exception):
        return [(geodata_dir().resolve(), "the bundled data")]
    return []


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _refuse_inputs(out: Output, spec: str, inputs: _Inputs, *, bundled: bool) -> frozenset[str]:
    """Raise UsageError if `out` is, or is inside, an input; return input layers of it."""
    assert out.path is not None
    key = _identity(str(out.path))
    if key is not None and key in inputs.files:
        layers = inputs.layers.get(key)
        if layers is None or not out.is_geopackage:
            raise UsageError(f"output {spec!r} is also an input; write to another file")
        return frozenset(layers)
    protected = _protected_folders() if bundled else []
    for folder, name in [*inputs.folders, *protected]:
        if _inside(out.path, folder):
            raise UsageError(f"output {spec!r} is inside {name!r}, an input; write elsewhere")
        if out.kind == "folder" and _inside(folder, out.path):
            raise UsageError(f"output folder {spec!r} holds the input {name!r}; write elsewhere")
    if out.kind == "folder":
        for input_key, name in inputs.files.items():
            if any(_identity(str(p)) == input_key for p in out.path.rglob("*")):
                raise UsageError(f"output folder {spec!r} holds the input {name!r}")
    return frozenset()


def _stdout_output(inputs: _Inputs, *, binary: bool, stream: bool, what: str) -> Output:
    if not stream:
        raise UsageError(
            f"{what} cannot be written to standard output ('-'): it is not a stream; "
            "give a file name"
        )
    stdout = sys.stdout
    if binary and stdout is not None and stdout.isatty():
        raise UsageError(
            f"{what} is binary and standard output is a terminal; redirect it "
            "(-o - > file) or pipe it (-o - | ...), or give a file name"
        )
    with contextlib.suppress(AttributeError, OSError, ValueError):
        fd_key = _identity(f"/dev/fd/{stdout.fileno()}") if stdout is not None else None
        if fd_key is not None and fd_key in inputs.files:
            raise UsageError("standard output is also an input; write to another file")
    return Output(STDOUT, "stdout", None)


def _kind_of(path: Path, spec: str, *, folder: bool) -> Kind:
    """What the existing (resolved) `path` is, or ``new``; UsageError for what is never written."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "folder" if folder else "new"
    except OSError as exc:
        raise UsageError(f"output {spec!r}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        if folder:
            return "folder"
        raise UsageError(f"output {spec!r} is a directory; expected a file path")
    if folder:
        raise UsageError(f"output {spec!r} is a file; expected a folder")
    if stat.S_ISCHR(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if not stat.S_ISREG(mode):
        what = "block device" if stat.S_ISBLK(mode) else "socket"
        raise UsageError(f"output {spec!r} is a {what}; amurgeo writes files, devices and pipes")
    if not mode & 0o222:
        raise UsageError(f"output {spec!r} is read-only; amurgeo does not replace it")
    return "file"


def check_output(
    spec: str | os.PathLike[str],
    *,
    inputs: Iterable[object] = (),
    binary: bool = False,
    stream: bool = True,
    overwrite: bool = False,
    folder: bool = False,
    what: str | None = None,
    bundled: bool = True,
    geopackage: bool | None = None,
) -> Output:
    """Check an output before any work; return where and how it will be written.

    Parameters
    ----------
    spec
        The output: a path, ``-`` for standard output, or ``file.gpkg::layer``.
    inputs
        Everything the command reads: layer ids (ignored), paths (``file::layer`` too),
        GeoDataFrames read from files.
    binary
        The content is binary (PNG, PDF, GeoPackage): refused on a terminal.
    stream
        The content can go to standard output (not a GeoPackage or a folder).
    overwrite
        An existing GeoPackage layer of the same name may be replaced.
    folder
        The output is a folder (the GeoJSON-folder export).
    what
        What is written, for messages (default: from the suffix).
    bundled
        Count the bundled data folder as an input (refuse to write inside it).
    geopackage
        Whether the writer writes a GeoPackage (default: a ``.gpkg`` suffix). A writer of
        something else (a map, a figure) passes False: a ``.gpkg`` output is then refused,
        so that no GeoPackage is replaced by a file of another kind.

    Raises
    ------
    UsageError
        For an output that is an input, a missing or unwritable folder, a directory, block
        device, socket or read-only file, ``::layer`` on a file that is not a GeoPackage,
        ``-`` for what cannot stream, or binary output to a terminal.
    """
    text = os.fspath(spec)
    found = _Inputs()
    for source in inputs:
        found.add(source)
    path_text, layer = _split_layer(text)
    suffix = Path(path_text).suffix.lower()
    is_gpkg = suffix == ".gpkg"
    if is_gpkg and geopackage is False:
        label = what or "this output"
        raise UsageError(f"output {text!r}: {label} is not a GeoPackage; give another suffix")
    if layer is not None and not is_gpkg:
        raise UsageError(f"output {text!r}: '::{layer}' names a layer, which needs a .gpkg file")
    if text == STDOUT:
        label = what or ("this output" if not suffix else suffix[1:].upper())
        return _stdout_output(found, binary=binary, stream=stream, what=label)
    resolved = Path(os.path.realpath(path_text))
    parent = resolved.parent
    if not parent.is_dir():
        raise UsageError(f"output folder {str(Path(path_text).parent)!r} does not exist")
    kind = _kind_of(resolved, text, folder=folder)
    if kind in ("new", "file", "folder") and not os.access(parent, os.W_OK):
        raise UsageError(f"output folder {str(Path(path_text).parent)!r} is not writable")
    if kind in ("device", "fifo") and (is_gpkg or folder):
        raise UsageError(f"output {text!r} is a device or pipe; a GeoPackage needs a file")
    out = Output(path_text, kind, resolved, layer, overwrite)
    layers = _refuse_inputs(out, text, found, bundled=bundled)
    return Output(path_text, kind, resolved, layer, overwrite, layers)


def _as_output(destination: Destination) -> Output:
    if isinstance(destination, Output):
        return destination
    return check_output(destination, bundled=False)


# --- writing -------------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return exc.strerror or os.strerror(exc.errno)
    return " ".join(str(exc).split()) or type(exc).__name__


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for a few system calls that must not be cut in two."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # not on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _umask() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _new_file_mode() -> int:
    return 0o666 & ~_umask()


def _keep_metadata(tmp: Path, target: Path) -> None:
    """Give `tmp` the mode (and, where allowed, owner) of `target`, or the umask's mode."""
    try:
        old = target.stat()
    except FileNotFoundError:
        os.chmod(tmp, _new_file_mode())
        return
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    with contextlib.suppress(OSError):
        os.chown(tmp, old.st_uid, old.st_gid)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(tmp: Path, target: Path) -> None:
    """Move the complete `tmp` onto the regular file (or nothing) at `target`."""
    _fsync(tmp)
    _keep_metadata(tmp, target)
    with _signals_held():
        os.replace(tmp, target)
    _fsync_folder(target.parent)


def _copy_into(tmp: Path, out: Output) -> None:
    """Write the bytes of `tmp` into a device, a FIFO or standard output."""
    with tmp.open("rb") as source, _direct_sink(out) as sink:
        while chunk := source.read(1 << 20):
            _write_all(sink, chunk)
        sink.flush()


def _write_all(sink: Any, data: bytes) -> None:
    """Write every byte of `data`: a pipe may take part of it, and the next write then fails.

    (A buffered writer returns the count of a partial write and drops the error.)
    """
    view = memoryview(data)
    while view:
        count = sink.write(view)
        if count is None:  # a non-blocking sink that is full: wait for it
            select.select([], [sink], [])
            continue
        view = view[count:]


def _write_error(out: Output, exc: BaseException) -> OutputError:
    return OutputError(f"cannot write {out.display}: {_reason(exc)}")


@contextlib.contextmanager
def writing(destination: Destination) -> Iterator[Path]:
    """Yield a temporary path; on success its content becomes the output.

    A regular file (or a new one) is replaced by rename in its folder (a link's target's
    folder); a device, FIFO or standard output gets the bytes written into it. On any
    failure or interrupt the temporary file is removed and the output left as it was.

    Raises
    ------
    OutputError
        If writing fails (disk full, quota, I/O error, closed standard output ...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with writing(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    out = _as_output(destination)
    direct = out.kind in ("stdout", "device", "fifo")
    folder = Path(tempfile.gettempdir()) if direct or out.path is None else out.path.parent
    name = "amurgeo-output" if out.path is None else out.path.name
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # a read-only file system or no permission (root passes os.access)
        if direct:
            raise OutputError(f"cannot write {out.display}: {_reason(exc)} ({folder})") from exc
        raise UsageError(f"output folder {str(folder)!r} is not writable ({_reason(exc)})") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if direct:
            _copy_into(tmp, out)
        else:
            assert out.path is not None
            _replace(tmp, out.path)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _write_error(out, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes(destination: Destination, data: bytes) -> None:
    """Write `data` as the whole output (see :func:`writing`).

    Raises
    ------
    OutputError
        If writing fails.
    """
    out = _as_output(destination)
    if out.kind in ("stdout", "device", "fifo"):
        try:
            with _direct_sink(out) as sink:
                _write_all(sink, data)
                sink.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _write_error(out, exc) from exc
        return
    with writing(out) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def _direct_sink(out: Output) -> Iterator[Any]:
    if out.kind == "stdout":
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # fd 1 closed (the CLI puts a stand-in there)
            raise OSError(errno.EBADF, "it is closed")
        sys.stdout.flush()
        yield buffer
        return
    assert out.path is not None
    with out.path.open("wb", buffering=0) as sink:
        yield sink


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (other amurgeo runs that update files in it wait)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise OutputError(f"cannot lock the folder {str(folder)!r}: {_reason(exc)}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _is_write_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, (OSError, sqlite3.Error)):
        return True
    return type(exc).__module__.startswith("pyogrio")


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
                "give --overwrite (overwrite=True) to replace it, or name another layer "
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
    out = _as_output(destination)
    if out.kind == "stdout" or out.path is None:
        raise UsageError("a GeoPackage cannot be written to standard output ('-'); give a file")
    target = out.path
    wanted = list(layers)
    with _folder_lock(target.parent):
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
                _replace(copy, target)
            except Exception as exc:
                if _is_write_error(exc):
                    raise _write_error(out, exc) from exc
                raise
        finally:
            shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def writing_folder(destination: Destination) -> Iterator[Path]:
    """Yield a new temporary folder that replaces the output folder on success.

    The caller has decided that the old folder may go (an earlier export). The swap runs
    under a lock on the parent folder with SIGINT and SIGTERM held; the old folder is put
    back if the new one cannot be moved in.
    """
    out = _as_output(destination)
    if out.path is None:
        raise UsageError("a folder cannot be written to standard output ('-'); give a folder")
    target = out.path
    parent = target.parent
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        try:
            yield work
            os.chmod(work, 0o777 & ~_umask())
            with _folder_lock(parent), _signals_held():
                if target.exists():
                    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
                    os.replace(target, old / target.name)
                    try:
                        os.replace(work, target)
                    except BaseException:
                        os.replace(old / target.name, target)
                        raise
                    finally:
                        shutil.rmtree(old, ignore_errors=True)
                else:
                    os.replace(work, target)
            _fsync_folder(parent)
        except OSError as exc:
            raise _write_error(out, exc) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
