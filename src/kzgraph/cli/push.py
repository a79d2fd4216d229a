"""``kzgraph push``: the short form of ``kzgraph load --store sparql:URL``."""
from __future__ import annotations

import sys

import click

from . import pass_session
from ..prefixes import GRAPH_IRI
from ..stores.remote import BATCH, PARALLEL


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store: its base URL (Oxigraph: http://localhost:7878) or one of its endpoints "
                   "(…/query, …/sparql), with ;update=URL and ;store=URL where they are elsewhere.")
@click.option("--graph", "graph_iri", default=GRAPH_IRI, show_default=True, metavar="IRI",
              help="The named graph to load into.")
@click.option("--replace", is_flag=True, help="Empty that named graph first.")
@click.option("--batch-size", default=BATCH, show_default=True, type=click.IntRange(min=1),
              help="Triples per request (Virtuoso deadlocks now and then inside much bigger ones).")
@click.option("--parallel", default=PARALLEL, show_default=True, type=click.IntRange(min=1),
              help="Requests in flight at once (Graph Store Protocol; SPARQL Update sends one at a time).")
@pass_session
def push(session, endpoint, graph_iri, replace, batch_size, parallel):
    """Load the graph into a SPARQL 1.1 store (Graph Store Protocol, or SPARQL Update where only that is offered).

    \\b
    oxigraph serve --location store/ &
    kzgraph push --endpoint http://localhost:7878 --replace
    kzgraph --store sparql:http://localhost:7878/query who-held kzr:president-of-kazakhstan
    """
    from ..errors import KzError
    from ..stores.remote import RemoteStore, is_iri, ntriples

    if not is_iri(graph_iri):
        raise KzError(f"--graph {graph_iri}: not an absolute IRI")
    target = RemoteStore.at(f"{endpoint}#{graph_iri}")
    if session.spec == "memory":  # the N-Triples the start-up cache holds: no store is built to be read out
        from ..resources import dataset_files
        from ..stores.memory import read_cached

        body = read_cached(dataset_files(session.data)).body
    else:
        inner = getattr(session.store, "inner", None)
        if inner is None:
            raise KzError(f"--store {session.spec}: push sends a local store; use `kzgraph load --store sparql:…`")
        body = ntriples(inner)
    total = body.count(b"\n")
    if sys.stderr.isatty():  # a bar only where someone watches it
        with click.progressbar(length=total, label="pushing", file=sys.stderr) as bar:
            loaded = target.send(body, replace=replace, batch=batch_size, parallel=parallel, progress=bar.update)
    else:
        loaded = target.send(body, replace=replace, batch=batch_size, parallel=parallel)
    click.echo(f"sent {total} triples to {loaded.where} ({loaded.how}); "
               f"the store now holds {loaded.triples} triples in that graph")
