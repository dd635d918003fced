"""The typer application, its global options and the one place errors become exit codes.

Command modules (``maintain``, ``queries``, ``linked``) register their commands on :data:`app`.
They parse options, call one library function, render, and nothing more.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from policykb.controls import escaping, visible
from policykb.errors import ExitCode, InvalidDataError, PolicykbError, UsageError
from policykb.signals import TerminatedError

if TYPE_CHECKING:
    from rich.console import Console

    from policykb.datafiles.datadir import DataDir
    from policykb.model import KnowledgeBase

# Messages go to stderr; data goes to stdout. rich is imported when a table or a message with
# markup first needs it (25-30 ms): a command that prints only plain lines, such as export,
# never loads it.


def _plain() -> bool:
    # NO_COLOR (https://no-color.org) is honoured strictly: no escape codes at all, bold included
    return bool(os.environ.get("NO_COLOR"))


def say(message: str) -> None:
    """A plain line on stderr, written as it stands (no markup, no rich; control characters
    shown as escapes, :func:`policykb.controls.visible`)."""
    sys.stderr.write(f"{visible(message)}\n")
    sys.stderr.flush()


@cache
def _stderr_console() -> Console:
    from rich.console import Console

    console = Console(
        stderr=True,
        highlight=False,
        emoji=False,  # ':100:' in a message or a file name stays as it is (issue #16.14)
        soft_wrap=True,
        color_system=None if _plain() else "auto",
    )
    return escaping(console)


class _Err:
    """The stderr console, made on first use: ``err.print`` takes rich markup (escape data with
    :func:`escape`), never emoji codes; control characters print as escapes."""

    def print(self, *objects: Any, **options: Any) -> None:
        _stderr_console().print(*objects, **options)


err = _Err()


def out() -> Console:
    """A console on stdout: plain (no escape codes) when not a terminal or NO_COLOR is set.

    It prints data: a string as it stands, without markup (``[bold]``) or emoji codes
    (``:100:``; issue #16.14), and control characters as escapes (``\\x1b``; issue #16.10).
    """
    from rich.console import Console

    console = Console(
        highlight=False, markup=False, emoji=False, color_system=None if _plain() else "auto"
    )
    return escaping(console)


def escape(text: str) -> str:
    """``text`` with rich markup escaped, to print as it stands inside markup."""
    from rich.markup import escape as escape_markup

    return escape_markup(text)


def report_error(exc: PolicykbError) -> None:
    """Print a stopping error the way every command does."""
    if isinstance(exc, InvalidDataError):
        shown = [i for i in exc.issues if i.severity == "error"]
        for issue in shown[:10]:
            err.print(escape(str(issue)))
        if len(shown) > 10:
            err.print(f"… and {len(shown) - 10} more")
    err.print(
        f"[bold red]policykb: error:[/] {escape(exc.message)}"
        + (f" ({escape(exc.hint)})" if exc.hint else "")
    )


def os_error_message(exc: OSError) -> str:
    """What an OSError that reached the CLI says: its reason and file, or that output failed."""
    reason = exc.strerror or str(exc)
    if exc.filename is not None:
        name = os.fsdecode(exc.filename)
        shown = name if len(name) <= 120 else f"{name[:60]}…{name[-40:]} ({len(name):,} characters)"
        return f"{reason}: '{shown}'"
    return f"cannot write the output: {reason}"


def drop_stdout() -> None:
    """After stdout failed, send what is still buffered to /dev/null.

    Python flushes stdout at exit; should that fail too, the exit status would become 120.
    """
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)


class _ClosedStdout(io.RawIOBase):
    """Standing in for a stdout that was closed (``>&-``): every write fails (EBADF)."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def guard_closed_stdout() -> None:
    """When the process started with stdout closed, make writing output fail rather than vanish.

    Python then sets ``sys.stdout`` to None, and click's ``echo`` writes nothing, silently: a
    command would exit 0 with its output lost.
    """
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(_ClosedStdout(), encoding="utf-8", write_through=True)


class PolicykbGroup(TyperGroup):
    """Turns library errors into messages and exit codes, so no traceback reaches a user."""

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                if sys.stdout is not None:
                    sys.stdout.flush()  # a full disk or closed stdout fails here, not at exit
        except PolicykbError as exc:
            report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(130) from None
        except TerminatedError as exc:  # SIGTERM or SIGHUP mid-write, unwound: exit 128 + N
            say(f"terminated by {signal.Signals(exc.signum).name}")
            raise
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
            raise typer.Exit(0) from None
        except OSError as exc:  # the system refused: a full disk, a closed stdout, a long path
            report_error(UsageError(os_error_message(exc)))
            drop_stdout()
            raise typer.Exit(int(ExitCode.USAGE)) from None
        except Exception as exc:
            # typer's Exit/Abort and click's usage errors carry their own exit code
            if (
                isinstance(exc, typer.Exit | typer.Abort)
                or hasattr(exc, "exit_code")
                or os.environ.get("POLICYKB_DEBUG")
            ):
                raise
            err.print(
                f"[bold red]policykb: internal error:[/] {escape(type(exc).__name__)}: "
                f"{escape(str(exc))} (set POLICYKB_DEBUG=1 for a traceback, and please "
                "report it)"
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


app = typer.Typer(
    cls=PolicykbGroup,
    name="policykb",
    help="Query, validate and export policykb: policy frameworks and the recommendations "
    "reports make to countries.\n\nExamples:\n\n  policykb recs --country Chile --pillar trust\n\n"
    "  policykb validate\n\n  policykb export --format turtle --output kb.ttl",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass(slots=True)
class State:
    """Options given before the command."""

    data: Path | None = None
    cache: bool = True
    told: bool = False  # the data directory's note and warning were printed


def _version(value: bool) -> None:
    if value:
        from policykb import __version__

        typer.echo(f"policykb {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: str | None = typer.Option(  # a str: an empty one must not quietly become '.'
        None,
        "--data",
        "-d",
        metavar="DIR",
        help="Data directory (default: $POLICYKB_DATA, else ./data when it "
        "holds frameworks/ and reports/, else the data shipped with policykb).",
        show_default=False,
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Read the data files afresh, bypassing the load cache."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Query, validate and export policykb."""
    if data is not None and not data.strip():  # Path('') is '.': the current directory
        raise UsageError("--data is empty", "name a data directory, or leave --data out")
    ctx.obj = State(data=None if data is None else Path(data), cache=not no_cache)


def lazy_module(name: str) -> Any:
    """``name`` imported on first attribute access (importlib's LazyLoader).

    Command modules refer to the library through these, so ``policykb --help`` and commands
    that do not need a module do not pay for importing it.
    """
    import importlib.util

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def state(ctx: typer.Context) -> State:
    """The global options of this invocation."""
    found = ctx.find_object(State)
    return found if found is not None else State()


def located_data_dir(ctx: typer.Context, *, warn_empty: bool = True) -> DataDir:
    """The data directory this invocation works on, and how it was found.

    Says on stderr which directory it is when that is not the obvious one (``--data``, the
    current directory or its ``data/``), and warns when it holds no data files at all.
    """
    from policykb.datafiles.datadir import empty_warning, locate_data_dir

    current = state(ctx)
    found = locate_data_dir(current.data)
    if not current.told:
        current.told = True
        if found.note:
            say(f"policykb: {found.note}")
        warning = empty_warning(found.root) if warn_empty else None
        if warning:
            say(f"policykb: warning: {warning}")
    return found


def data_dir(ctx: typer.Context, *, warn_empty: bool = True) -> Path:
    """The data directory this invocation works on (see :func:`located_data_dir`)."""
    return located_data_dir(ctx, warn_empty=warn_empty).root


def knowledge_base(ctx: typer.Context) -> KnowledgeBase:
    """The knowledge base of this invocation's data directory (raises on invalid data)."""
    from policykb.cache import load_cached

    current = state(ctx)
    try:
        return load_cached(data_dir(ctx), use_cache=current.cache)
    except InvalidDataError as exc:
        if current.data is not None:  # the hint's command must check the same directory
            import shlex

            given = shlex.quote(str(current.data))
            exc.hint = f"run 'policykb --data {given} validate' to see them all"
        raise
