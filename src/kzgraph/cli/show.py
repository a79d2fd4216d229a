"""``kzgraph show THING``."""
from __future__ import annotations

import click

from . import echo_result, format_option, pass_session


@click.command()
@click.argument("thing")
@format_option
@pass_session
def show(session, thing, fmt):
    """Everything the graph says about THING, with the evidence for each statement.

    THING is an IRI, a prefixed name (kzr:kassym-jomart-tokayev) or any of its names, in any
    language, case and accents aside (Tokayev, Токаев, "tokayev").
    """
    from ..lookup import resolve
    from ..research import label, show as run

    graph = session.graph
    iri = resolve(graph, thing)
    result = run(graph, iri)
    if fmt == "table":
        click.echo(f"{label(graph, iri)}  <{iri}>")
    echo_result(result, fmt, graph.namespace_manager, hide=("thing",))
