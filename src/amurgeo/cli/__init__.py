"""The ``amurgeo`` command line: a thin layer over the public Python API.

Results go to stdout, messages to stderr. Exit status: 0 success, 1 bad data, 2 bad usage.
Errors are one line; ``--debug`` shows the traceback.
"""

from __future__ import annotations

from amurgeo.cli.main import cli, main

__all__ = ["cli", "main"]
