"""The ``amurgeo`` group: one-line errors, amurgeo's exit codes and the commands it holds."""

from __future__ import annotations

import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from amurgeo import __version__
from amurgeo._output import one_line
from amurgeo.cli.analysis import areas_command, coverage_command, gap_command, overlap_command
from amurgeo.cli.effort import effort_command, patrols_command
from amurgeo.cli.figures import figure_command
from amurgeo.cli.layers import export_command, layers_command
from amurgeo.cli.maps import map_command
from amurgeo.cli.observations import observations_command
from amurgeo.errors import AmurgeoError


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"amurgeo: error: {one_line(message)}", err=True)
    sys.exit(code)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    click.echo(f"amurgeo: warning: {one_line(str(message))}", err=True)


class AmurgeoGroup(click.Group):
    """A click group whose errors are one line on stderr with amurgeo's exit codes."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        extra.pop("standalone_mode", None)
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                result = super().main(argv, prog_name or "amurgeo", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            _fail("aborted", 130)
        except click.UsageError as exc:
            if debug:
                traceback.print_exc()
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _fail(exc.format_message() + hint, exc.exit_code)
        except click.ClickException as exc:
            if debug:
                traceback.print_exc()
            _fail(exc.format_message(), exc.exit_code)
        except AmurgeoError as exc:
            if debug:
                traceback.print_exc()
            _fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:
            if debug:
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)", 1)
        if isinstance(result, int) and result:
            sys.exit(result)
        sys.exit(0)


@click.group(cls=AmurgeoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="amurgeo")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
def cli(debug: bool) -> None:
    """Where the Amur leopard and Amur tiger are protected: layers, areas, overlaps, maps.

    \b
    Example:
      amurgeo layers --format table
    """


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``amurgeo`` command line (entry point of the console script)."""
    cli.main(args=argv, prog_name="amurgeo")


for _command in (
    layers_command,
    areas_command,
    overlap_command,
    coverage_command,
    gap_command,
    observations_command,
    effort_command,
    patrols_command,
    map_command,
    figure_command,
    export_command,
):
    cli.add_command(_command)
