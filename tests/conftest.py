"""Shared fixtures for the amurgeo test suite."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from amurgeo.cli import cli


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run the ``amurgeo`` command line in-process and return click's Result."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke
