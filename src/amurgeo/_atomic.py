"""Write output files all at once (kept for the modules that import it; see amurgeo.output).

:mod:`amurgeo.output` holds the mechanism and its rules: an output is written to a temporary
file and moved in place (a link's target replaced, a device or pipe written into, ``-`` sent
to standard output), so a failure leaves no partial output and an existing file is only
replaced by a complete new one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from amurgeo.output import Destination, check_output, writing


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Return `path` as a Path, or raise UsageError if it cannot be written (see check_output)."""
    check_output(path, bundled=False)
    return Path(path)


@contextmanager
def atomic_path(path: Destination) -> Iterator[Path]:
    """Yield a temporary path whose content becomes `path` on success (:func:`writing`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    with writing(path) as tmp:
        yield tmp
