"""Exceptions raised by amurgeo.

Every error carries a one-line message that names the file, layer, feature or argument at
fault and says what was expected; the CLI prints that line and exits with
:attr:`AmurgeoError.exit_code`.
"""

from __future__ import annotations

__all__ = [
    "AmurgeoError",
    "DataError",
    "DataWarning",
    "LayerNotFoundError",
    "OutputError",
    "UsageError",
]


class AmurgeoError(Exception):
    """Base class of every error amurgeo raises on purpose."""

    exit_code: int = 1


class DataError(AmurgeoError, ValueError):
    """Input data cannot be used: unreadable file, bad geometry, missing or unknown CRS."""

    exit_code = 1


class OutputError(AmurgeoError):
    """An output could not be written: disk full, quota, I/O error, closed standard output.

    The message names the output and the reason; nothing was left half-written.
    """

    exit_code = 1


class UsageError(AmurgeoError, ValueError):
    """An argument is wrong: unknown option value, missing output folder, bad combination."""

    exit_code = 2


class LayerNotFoundError(UsageError, KeyError):
    """A layer id (or alias) that is not in the bundled catalog."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class DataWarning(UserWarning):
    """Some input rows could not be used and were left out (the message says how many).

    A subclass of UserWarning, so that ``warnings.filterwarnings("ignore", category=DataWarning)``
    silences these and nothing else.
    """
