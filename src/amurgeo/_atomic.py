"""Write output files all at once: to a temporary file beside the target, then moved in place.

A failure half-way leaves no partial output behind, and an existing file is only replaced by a
complete new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from amurgeo.errors import UsageError


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Return `path` as a Path, or raise UsageError if its folder is missing or unwritable."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UsageError(f"output {str(target)!r} is a directory; expected a file path")
    if not folder.is_dir():
        raise UsageError(f"output folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"output folder {str(folder)!r} is not writable")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; move it onto `path` on success.

    Parameters
    ----------
    path
        Final location of the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = check_output_path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # read-only file system, no permission (even for root), quota
        folder = str(target.parent) if str(target.parent) else "."
        raise UsageError(
            f"output folder {folder!r} is not writable ({exc.strerror or exc})"
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
