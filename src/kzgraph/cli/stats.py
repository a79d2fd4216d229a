"""``kzgraph stats``."""
from __future__ import annotations

import click

from . import echo_result, format_option, pass_session


@click.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many central actors.")
@format_option
@pass_session
def stats(session, top, fmt):
    """Triples, things per class, evidence, and the most central actors of the network."""
    from ..analyse import MEASURES, stats as run
    from ..results import from_rows

    store = session.store
    names, rows = run(store, top)
    echo_result(from_rows(names, rows), fmt, store.prefixes)
    if fmt == "table":
        click.echo("Centrality on the network of `kzgraph view`, links taken as undirected:")
        for measure, meaning in MEASURES.items():
            click.echo(f"  {measure}: {meaning}")
