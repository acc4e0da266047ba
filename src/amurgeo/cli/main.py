"""The ``amurgeo`` group: one-line errors, amurgeo's exit codes and the commands it holds."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Iterator, Sequence
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
from amurgeo.errors import AmurgeoError, OutputError


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"amurgeo: error: {one_line(message)}", err=True)
    sys.exit(code)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    click.echo(f"amurgeo: warning: {one_line(str(message))}", err=True)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: unwind (temporary files go), then exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` (click would turn Ctrl-C into Abort)."""
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            previous[signum] = signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (``| head``): exit 141 as if killed by SIGPIPE, with no message."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit finds no pipe
    sys.exit(128 + signal.SIGPIPE)


class _ClosedStdout(io.TextIOBase):
    """Stands for a closed standard output (``>&-``): writing to it is an error, not a no-op."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")


_WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EBADF)


def _stdout_failed(exc: OSError) -> bool:
    """True for an error of writing standard output (full, closed, I/O error).

    Files are written by :mod:`amurgeo.output`, which reports their errors as OutputError:
    a bare write error left over comes from printing a result.
    """
    if isinstance(sys.stdout, _ClosedStdout):
        return True
    frame, tb = None, exc.__traceback__
    while tb is not None:
        frame, tb = tb.tb_frame, tb.tb_next
    where = frame.f_code.co_name if frame is not None else ""
    return exc.errno in _WRITE_ERRORS and where in ("echo", "_flush_stdout", "write", "flush")


def _flush_stdout() -> None:
    """Flush standard output now, so that a full or closed stdout is an error, not a warning."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write standard output: {exc.strerror or exc}") from exc


class _PipeClosed(BaseException):
    """The reader of standard output went away; carried past click, which would exit 1."""


class AmurgeoGroup(click.Group):
    """A click group whose errors are one line on stderr with amurgeo's exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _PipeClosed from exc

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        extra.pop("standalone_mode", None)
        if sys.stdout is None:
            sys.stdout = _ClosedStdout()
        try:
            with warnings.catch_warnings(), _signals_raise():
                warnings.showwarning = _show_warning
                result = super().main(argv, prog_name or "amurgeo", standalone_mode=False, **extra)
                _flush_stdout()
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            _fail("interrupted", 130)
        except Interrupted as exc:
            if sys.stderr is not None and sys.stderr.isatty():
                click.echo("", err=True)  # end the terminal's ^C line
            name = "interrupted" if exc.signum == signal.SIGINT else "terminated"
            _fail(name, 128 + exc.signum)
        except click.UsageError as exc:
            if debug:
                traceback.print_exc()
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _fail(exc.format_message() + hint, exc.exit_code)
        except click.ClickException as exc:
            if debug:
                traceback.print_exc()
            _fail(exc.format_message(), exc.exit_code)
        except (BrokenPipeError, _PipeClosed):
            _quiet_broken_pipe()
        except AmurgeoError as exc:
            if debug:
                traceback.print_exc()
            _fail(str(exc), exc.exit_code)
        except OSError as exc:
            if debug or not _stdout_failed(exc):
                raise
            with contextlib.suppress(OSError, ValueError):  # Python's flush at exit: nothing left
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            _fail(f"cannot write standard output: {exc.strerror or exc}", 1)
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


def _exit_now(signum: int, _frame: Any) -> None:
    os._exit(128 + signum)  # the work is done and reported: no unwinding left to do


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``amurgeo`` command line (entry point of the console script).

    SIGINT and SIGTERM raise :class:`Interrupted` from here on, so that a signal between two
    steps of the command line is reported like one during the command; one that comes after
    (while Python shuts down) ends the process at once with 128 + its number.
    """
    signals = (signal.SIGINT, signal.SIGTERM)
    with contextlib.suppress(ValueError, OSError):  # not the main thread: leave them be
        for signum in signals:
            signal.signal(signum, _raise_interrupted)
    try:
        cli.main(args=argv, prog_name="amurgeo")
    except Interrupted as exc:
        name = "interrupted" if exc.signum == signal.SIGINT else "terminated"
        _fail(name, 128 + exc.signum)
    finally:
        with contextlib.suppress(ValueError, OSError):
            held = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
            for signum in signals:
                signal.signal(signum, _exit_now)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


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
