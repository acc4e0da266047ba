"""Progress of long work on stderr, shown only to a person at a terminal.

:class:`Progress` writes one line that it rewrites in place (``amurgeo: export 3/8
hunchun``) when the stream is interactive (``isatty()``); in a pipe, a log file, a notebook
or a test it writes nothing at all, so that output stays clean and diffable.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """A one-line progress display on stderr for interactive terminals; silent otherwise.

    Parameters
    ----------
    label
        What is being done (``"export"``); shown after ``amurgeo:``.
    total
        Number of steps, if known (shown as ``3/8``).
    stream
        Where to write (default: ``sys.stderr`` at the time of each write).
    enabled
        Force the display on or off; default: on only if the stream is a terminal.

    Examples
    --------
    >>> import io
    >>> pipe = io.StringIO()  # not a terminal: nothing is written
    >>> with Progress("export", total=2, stream=pipe) as progress:
    ...     progress.step("hunchun")
    ...     progress.step("kedrovaya-pad")
    >>> pipe.getvalue()
    ''
    >>> shown = io.StringIO()
    >>> with Progress("export", total=2, stream=shown, enabled=True) as progress:
    ...     progress.step("hunchun")
    >>> shown.getvalue().split("\\r")[1]
    'amurgeo: export 1/2 hunchun'
    """

    def __init__(
        self,
        label: str,
        *,
        total: int | None = None,
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.count = 0
        self._stream = stream
        self._enabled = enabled
        self._width = 0
        self._start = time.perf_counter()

    @property
    def stream(self) -> TextIO:
        """The stream written to."""
        return self._stream if self._stream is not None else sys.stderr

    @property
    def enabled(self) -> bool:
        """True when progress is shown: forced on, or the stream is an interactive terminal."""
        if self._enabled is not None:
            return self._enabled
        isatty = getattr(self.stream, "isatty", None)
        try:
            return bool(isatty()) if isatty is not None else False
        except (ValueError, OSError):  # a closed stream
            return False

    def _write(self, text: str) -> None:
        if not self.enabled:
            return
        line = " ".join(text.split())
        pad = max(0, self._width - len(line))
        self._width = len(line)
        try:
            self.stream.write("\r" + line + " " * pad)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken terminal must not stop the work
            self._enabled = False

    def step(self, detail: str = "") -> None:
        """Count one step done (or begun) and show it, with `detail` (a layer name ...)."""
        self.count += 1
        of = f"/{self.total}" if self.total else ""
        self._write(f"amurgeo: {self.label} {self.count}{of} {detail}")

    def note(self, detail: str) -> None:
        """Show what is happening now without counting a step."""
        self._write(f"amurgeo: {self.label}: {detail}")

    def close(self) -> None:
        """Clear the progress line (the caller prints its own summary afterwards)."""
        if self.enabled and self._width:
            try:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
        self._width = 0

    @property
    def elapsed(self) -> float:
        """Seconds since the display was created."""
        return time.perf_counter() - self._start

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
