"""Shared fixtures for the amurgeo test suite."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from amurgeo.cli import cli


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that open Chromium ``browser`` and the notebook runs ``notebook``.

    Done here, from the fixtures a test uses and the module it lives in, so that a new browser
    test is marked without anyone remembering to: ``pytest -m "not browser and not notebook"``
    is the quick loop.
    """
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.path.name == "test_notebooks.py":
            item.add_marker(pytest.mark.notebook)


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run the ``amurgeo`` command line in-process and return click's Result."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


_LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


def _is_local(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, (str, bytes)) and (
        str(host).startswith(_LOOPBACK_PREFIXES) or str(host).startswith("/")
    )


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Block outgoing connections beyond loopback: no test may touch the internet."""

    def guarded(original: Callable[..., object]) -> Callable[..., object]:
        def connect(self: socket.socket, address: object) -> object:
            if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
                raise ConnectionRefusedError(f"network access blocked in tests: {address!r}")
            return original(self, address)

        return connect

    monkeypatch.setattr(socket.socket, "connect", guarded(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(socket.socket.connect_ex))
