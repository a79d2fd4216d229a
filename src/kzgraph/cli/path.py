"""``kzgraph path A B [--max N]``."""
from __future__ import annotations

import click

from . import echo_result, format_option, pass_session


@click.command()
@click.argument("start", metavar="A")
@click.argument("end", metavar="B")
@click.option("--max", "max_steps", type=click.IntRange(1), metavar="N", help="At most N relations long.")
@format_option
@pass_session
def path(session, start, end, max_steps, fmt):
    """The shortest chain of relations between A and B on the network.

    Printed as A —relation→ X ←relation— B: the search ignores direction, the arrows show it.
    No path is an answer too (exit 0): a sentence, or no rows in csv/json.
    """
    from ..analyse import format_path, shortest_path
    from ..network import project
    from ..results import from_rows, printable

    store = session.store
    net = project(store)
    steps = shortest_path(store, start, end, max_steps, net=net) or []
    if fmt == "table":
        # no path is an answer, not an error: said on stdout like the other commands' empty answers
        within = f" within {max_steps} step{'s' if max_steps != 1 else ''}" if max_steps else ""
        click.echo(printable(format_path(net, steps)) if steps else
                   f"No path between {start!r} and {end!r}{within}, as far as the data says.")
        return
    from rdflib import URIRef

    rows = [[i, URIRef(s.source), net.nodes[s.source]["label"], s.relation, "→" if s.forward else "←",
             URIRef(s.target), net.nodes[s.target]["label"]] for i, s in enumerate(steps, 1)]
    names = ["step", "from", "fromLabel", "relation", "direction", "to", "toLabel"]
    echo_result(from_rows(names, rows), fmt, store.prefixes)
