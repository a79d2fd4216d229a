"""The ``kzgraph`` command line: a thin layer over the Python API.

Commands live in their own modules and are imported only when run, so that ``kzgraph query``
does not pay for pyvis, networkx or pyshacl.
"""
from __future__ import annotations

import importlib
import sys
from functools import cached_property
from pathlib import Path

import click

from ..errors import KzError
from ..results import FORMATS
from ..version import DATA_VERSION

#: command name → "module:function" below kzgraph.cli
COMMANDS = {
    "build": "build:build",
    "query": "query:query",
    "queries": "query:queries",
    "export": "export:export",
    "validate": "validate:validate",
    "check-evidence": "check_evidence:check_evidence",
    "load": "load:load",
    "view": "view:view",
    "serve": "serve:serve",
    "push": "push:push",
    "publish": "publish:publish",
    "release": "release:release",
    "show": "show:show",
    "who-held": "who_held:who_held",
    "timeline": "timeline:timeline",
    "stats": "stats:stats",
    "path": "path:path",
}


class Session:
    """What the global options chose: the data and the store; the store is opened once, on demand."""

    def __init__(self, data: tuple[str, ...], spec: str):
        self.data = data
        self.spec = spec

    def files_only(self, command: str) -> None:
        """Refuse a --store for a command that reads the dataset files themselves (it would be ignored)."""
        if self.spec != "memory":
            raise KzError(f"--store {self.spec}: `kzgraph {command}` reads the dataset files, not a store;"
                          " leave out --store (or export the store and give that file)")

    @cached_property
    def store(self):
        from ..stores import open_store

        return open_store(self.spec, self.data)

    @cached_property
    def graph(self):
        """The store's graph as an rdflib Graph, for the commands that write RDF files."""
        return self.store.graph()


class StoreOption(click.Option):
    """``--store``: its help lists every registered kind of store, read only when help is shown."""

    def get_help_record(self, ctx):
        from ..stores.registry import kind, kinds

        forms = []
        for name in kinds():
            spec, _, means = kind(name).usage.partition("  ")
            forms.append(f"{spec} ({means})" if means else spec)
        self.help = f"{self.help.split(':')[0]}: " + "; ".join(forms) + "."
        return super().get_help_record(ctx)


class UsageLine(click.UsageError):
    """A usage error said in one line (click's own takes three), pointing to the command's help."""

    def __init__(self, error: click.UsageError):
        super().__init__(error.message, error.ctx)
        self.error = error

    def format_message(self) -> str:
        return self.error.format_message()

    def show(self, file=None) -> None:
        message = self.format_message().rstrip(".") + "."
        hint = f" Try '{self.ctx.command_path} --help'." if self.ctx else ""
        click.echo(f"Error: {message}{hint}", file=file, err=True)


def one_line(error: click.UsageError) -> click.UsageError:
    """``error`` as a :class:`UsageLine`; the bare ``kzgraph`` (which shows the help) stays as it is."""
    if isinstance(error, (UsageLine, getattr(click.exceptions, "NoArgsIsHelpError", ()))):
        return error
    return UsageLine(error)


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, _, attr = COMMANDS[name].partition(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise one_line(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise one_line(exc) from None
        except KzError as exc:
            from ..results import printable

            raise click.ClickException(printable(str(exc))) from None
        except BrokenPipeError:  # `kzgraph … | head`: the reader left; that is fine
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None


@click.group(name="kzgraph", cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", multiple=True, type=click.Path(), metavar="DIR",
              help="Also load this dataset directory or RDF file (repeatable).")
@click.option("--store", default="memory", show_default=True, metavar="STORE", cls=StoreOption,
              help="Where the graph lives: memory, oxigraph:PATH or sparql:URL.")
@click.option("--timeout", default=600.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="Stop a query that runs longer (Ctrl-C stops one at any time).")
@click.version_option(package_name="kzgraph", message=f"%(prog)s %(version)s (code), data {DATA_VERSION}")
@click.pass_context
def main(ctx, data, store, timeout):
    """kzgraph: a sourced knowledge graph of Kazakhstan's politics.

    Query it with SPARQL, browse it as a network, validate and export it.
    """
    import logging

    from .. import deadline

    # rdflib logs a traceback for every ill-typed literal ("2019-02-30"^^xsd:date): kzgraph says it in one
    # line where it matters (load.TermWarnings), and prints none
    logging.getLogger("rdflib.term").addHandler(logging.NullHandler())
    logging.getLogger("rdflib.term").propagate = False
    deadline.LIMIT = timeout
    ctx.obj = Session(tuple(data), store)


pass_session = click.make_pass_decorator(Session)


def output_file(ctx, param, value):
    """Check an ``-o FILE`` before any work: its directory must exist (a typo should not create one).

    ``-o -`` means standard output (``None``).
    """
    if value == "-":
        return None
    if value is not None:
        folder = Path(value).parent
        if not folder.is_dir():
            why = "is not a directory" if folder.exists() else "does not exist"
            raise KzError(f"-o {value}: the directory {folder} {why}")
    return value


#: ``--format`` of every command that prints answers (query, show, who-held, timeline, stats, path)
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="An aligned table, or a SPARQL 1.1 results format (CSV, TSV, JSON); CONSTRUCT and DESCRIBE print Turtle.")


#: A table on a terminal cuts longer cells (quotes, long labels), so that one long text does not
#: stretch every row past the screen; to a pipe or a file it keeps them whole (grep, less -S),
#: and csv/json are never cut.
TERMINAL_CELL = 48


def to_terminal() -> bool:
    """Whether standard output is a terminal."""
    return sys.stdout.isatty()


def echo_result(result, fmt: str, prefixes=None, hide: tuple[str, ...] = ()) -> None:
    """Print a SELECT/ASK result in ``fmt`` without the ``hide`` columns; a table gets a bold header
    (and, on a terminal, cells cut at :data:`TERMINAL_CELL` characters).

    Commands hide the columns that only echo their parameters: a named query must project every
    variable it binds (Oxigraph requires it), but the answer need not repeat the question.
    """
    from ..results import format_result

    if fmt == "table" and getattr(result, "empty", None) and not result.bindings:
        click.echo(result.empty)  # "nothing found" is an answer: a sentence the API words, on stdout
        return
    if hide:
        result.vars = [v for v in result.vars if str(v) not in hide]
    text = format_result(result, fmt, prefixes, max_cell=TERMINAL_CELL if to_terminal() else None)
    if fmt == "table":
        header, _, rest = text.partition("\n")
        click.echo(click.style(header, bold=True))
        click.echo(rest, nl=False)
    else:
        click.echo(text, nl=False)
