"""Check an output before the work: what it is, and that no input is written over."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

from amurgeo.errors import UsageError

__all__ = [
    "STDOUT",
    "Destination",
    "Kind",
    "Output",
    "check_output",
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
    # as amurgeo.io's, but an output path may be a dangling link (lexists, not exists), and
    # this layer sits below amurgeo.io, so it cannot import it
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
