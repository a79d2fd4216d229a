"""``kzgraph path A B [--max N]``."""
from __future__ import annotations

import click

from . import echo_result, format_option, pass_session
from ..errors import KzError


@click.command()
@click.argument("start", metavar="A")
@click.argument("end", metavar="B")
@click.option("--max", "max_steps", type=click.IntRange(1), metavar="N", help="At most N relations long.")
@format_option
@pass_session
def path(session, start, end, max_steps, fmt):
    """The shortest chain of relations between A and B on the network.

    Printed as A —relation→ X ←relation— B: the search ignores direction, the arrows show it.
    """
    from ..analyse import format_path, shortest_path
    from ..network import project
    from ..results import from_rows

    graph = session.graph
    net = project(graph)
    steps = shortest_path(graph, start, end, max_steps, net=net)
    if steps is None:
        within = f" within {max_steps} step{'s' if max_steps != 1 else ''}" if max_steps else ""
        raise KzError(f"no path between {start!r} and {end!r}{within}")
    if fmt == "table":
        click.echo(format_path(net, steps))
        return
    from rdflib import URIRef

    rows = [[i, URIRef(s.source), net.nodes[s.source]["label"], s.relation, "→" if s.forward else "←",
             URIRef(s.target), net.nodes[s.target]["label"]] for i, s in enumerate(steps, 1)]
    names = ["step", "from", "fromLabel", "relation", "direction", "to", "toLabel"]
    echo_result(from_rows(names, rows), fmt, graph.namespace_manager)
