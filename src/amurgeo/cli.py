"""The ``amurgeo`` command line: a thin layer over the public Python API.

Results go to stdout, messages to stderr. Exit status: 0 success, 1 bad data, 2 bad usage.
Errors are one line; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from amurgeo import __version__
from amurgeo._output import render
from amurgeo.errors import AmurgeoError

FORMAT_CHOICE = click.Choice(["table", "csv", "json", "markdown"], case_sensitive=False)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"amurgeo: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    click.echo(f"amurgeo: warning: {' '.join(str(message).split())}", err=True)


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


@cli.command("layers")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
def layers_command(fmt: str) -> None:
    """List the bundled layers.

    \b
    Example:
      amurgeo layers --format json
    """
    from amurgeo.catalog import list_layers

    table = list_layers()
    columns = ["id", "title", "kind", "geometry_type", "feature_count"]
    if fmt == "table":
        columns.append("license")
    else:
        columns += ["source", "license", "attribution", "aliases", "file"]
    records = table[columns].to_dict(orient="records")
    click.echo(render(records, fmt.lower()), nl=False)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``amurgeo`` command line (entry point of the console script)."""
    cli.main(args=argv, prog_name="amurgeo")
