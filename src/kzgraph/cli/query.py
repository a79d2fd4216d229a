"""``kzgraph query`` and ``kzgraph queries``."""
from __future__ import annotations

import sys

import click

from . import echo_result, format_option, pass_session
from ..errors import KzError


@click.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False), help="Read the query from FILE (- for standard input).")
@click.option("-n", "--name", help="Run the named query NAME (see `kzgraph queries`).")
@click.option("-p", "--param", "params", multiple=True, metavar="K=V",
              help="Bind ?K to V: an IRI, prefixed name, date, number or string (repeatable).")
@format_option
@pass_session
def query(session, sparql, file, name, params, fmt):
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query.

    \b
    kzgraph query 'SELECT ?p WHERE { ?p a kz:Person }'
    kzgraph query --name office-holder-on-date --param office=kzr:president-of-kazakhstan --param date=2020-01-01
    """
    from ..sparql import parse_param, write
    from ..sparql import query as run

    given = [x for x in (sparql, file, name) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: a SPARQL query, -f FILE, --name NAME")
    where = "query"
    if file:
        from ..utf8 import read_text

        sparql, where = (sys.stdin.read(), "stdin") if file == "-" else (read_text(file), file)
    bindings = {}
    for spec in params:
        var, value = parse_param(spec)
        if var in bindings:  # the last one would silently win
            raise KzError(f"--param {spec}: ?{var} is already bound to {bindings[var]}")
        bindings[var] = value
    store = session.store
    if fmt != "table":  # written by the store's engine where it has serializers (Oxigraph)
        form, body = write(store, fmt, sparql, name=name, params=bindings, where=where)
        text = body.decode("utf-8")
        click.echo(_rdf(text) if form in ("CONSTRUCT", "DESCRIBE") else text, nl=False)
        return
    result = run(store, sparql, name=name, params=bindings, where=where)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        click.echo(_rdf(result.write("turtle").decode("utf-8")), nl=False)
        return
    echo_result(result, fmt, store.prefixes)


def _rdf(turtle: str) -> str:
    """Turtle for the terminal: control characters escaped, except the tabs Oxigraph indents with (a tab
    inside a literal is written \\t already)."""
    from ..results import printable

    return printable(turtle.expandtabs(4))


@click.command()
def queries():
    """List the named queries and the question each answers."""
    from ..sparql import named_queries

    found = named_queries()
    width = max((len(q.name) for q in found), default=0)
    for named in found:
        click.echo(f"{click.style(named.name.ljust(width), bold=True)}  {named.question}")
