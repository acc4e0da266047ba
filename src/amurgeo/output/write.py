"""Write a whole file, bytes or a folder atomically: a temporary file renamed, copied or sent."""

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from amurgeo.errors import OutputError, UsageError
from amurgeo.output.check import Destination, Output, check_output

__all__ = [
    "as_output",
    "folder_lock",
    "is_write_error",
    "replace_file",
    "write_bytes",
    "write_error",
    "writing",
    "writing_folder",
]


def as_output(destination: Destination) -> Output:
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


def replace_file(tmp: Path, target: Path) -> None:
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


def write_error(out: Output, exc: BaseException) -> OutputError:
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
    out = as_output(destination)
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
            replace_file(tmp, out.path)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise write_error(out, exc) from exc
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
    out = as_output(destination)
    if out.kind in ("stdout", "device", "fifo"):
        try:
            with _direct_sink(out) as sink:
                _write_all(sink, data)
                sink.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise write_error(out, exc) from exc
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
def folder_lock(folder: Path) -> Iterator[None]:
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


def is_write_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, (OSError, sqlite3.Error)):
        return True
    return type(exc).__module__.startswith("pyogrio")


@contextlib.contextmanager
def writing_folder(destination: Destination) -> Iterator[Path]:
    """Yield a new temporary folder that replaces the output folder on success.

    The caller has decided that the old folder may go (an earlier export). The swap runs
    under a lock on the parent folder with SIGINT and SIGTERM held; the old folder is put
    back if the new one cannot be moved in.
    """
    out = as_output(destination)
    if out.path is None:
        raise UsageError("a folder cannot be written to standard output ('-'); give a folder")
    target = out.path
    parent = target.parent
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        try:
            yield work
            os.chmod(work, 0o777 & ~_umask())
            with folder_lock(parent), _signals_held():
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
            raise write_error(out, exc) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
