"""``kzgraph push``."""
from __future__ import annotations

import sys

import click

from . import pass_session
from ..namespaces import GRAPH_IRI


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store: its base URL (Oxigraph: http://localhost:7878) or one of its endpoints "
                   "(…/query, …/sparql, …/update, …/store, …/data).")
@click.option("--graph", "graph_iri", default=GRAPH_IRI, show_default=True, metavar="IRI",
              help="The named graph to load into.")
@click.option("--replace", is_flag=True, help="Empty that named graph first.")
@click.option("--batch-size", default=50_000, show_default=True, type=click.IntRange(min=1),
              help="Triples per request.")
@pass_session
def push(session, endpoint, graph_iri, replace, batch_size):
    """Load the graph into a SPARQL 1.1 store (Graph Store Protocol, or SPARQL Update where only that is offered).

    \b
    oxigraph serve --location store/ &
    kzgraph push --endpoint http://localhost:7878 --replace
    kzgraph --store sparql:http://localhost:7878/query who-held kzr:president-of-kazakhstan
    """
    from ..push import push as run

    graph = session.graph
    total = len(graph)
    if total > batch_size:  # a long load: show a bar (click draws it only when stderr is a terminal)
        with click.progressbar(length=total, label="pushing", file=sys.stderr) as bar:
            report = run(graph, endpoint, graph_iri=graph_iri, replace=replace, batch=batch_size,
                         progress=bar.update)
    else:
        report = run(graph, endpoint, graph_iri=graph_iri, replace=replace, batch=batch_size)
    target = report.endpoints.store if report.protocol == "graph store protocol" else report.endpoints.update
    click.echo(f"sent {report.sent} triples to <{report.graph}> at {target} ({report.protocol}); "
               f"the store now holds {report.held} triples in that graph")
