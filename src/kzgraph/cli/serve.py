"""``kzgraph serve``."""
from __future__ import annotations

import click

from . import pass_session


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.01),
              help="Stop a query after SECONDS (the client gets 503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Cut results at N rows (or triples); the response then says so in a header.")
@click.option("--max-request-size", "max_bytes", default=1_000_000, show_default=True,
              type=click.IntRange(min=1), metavar="BYTES", help="Refuse larger requests (413).")
@click.option("--body-timeout", "body_seconds", default=30.0, show_default=True, type=click.FloatRange(min=0.01),
              metavar="SECONDS", help="Drop a request whose body takes longer to arrive (408).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes (queries run in parallel, one per worker).")
@pass_session
def serve(session, host, port, timeout, max_rows, max_bytes, body_seconds, workers):
    """Serve the graph: a read-only SPARQL 1.1 endpoint at /sparql, a query page at /, every IRI at /id/….

    Things and the ontology answer by content negotiation (HTML, Turtle, JSON-LD, N-Triples, RDF/XML);
    /void describes the dataset, /index.html and /search.html browse it.

    \b
    kzgraph serve --port 7000
    curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' localhost:7000/sparql
    """
    from ..server import serve as run

    run(session.store, host=host, port=port, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes,
        body_seconds=body_seconds, workers=workers, echo=click.echo)
