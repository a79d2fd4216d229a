"""``kzgraph view``."""
from __future__ import annotations

import click

from . import output_file, pass_session


@click.command()
@click.option("-o", "--output", default="network.html", show_default=True, type=click.Path(dir_okay=False), callback=output_file,
              help="The HTML file to write (atomically); - for stdout.")
@click.option("--focus", metavar="THING", help="Only what lies around this thing (a name, other name or IRI).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(min=0),
              help="With --focus: how many relations away from it to go.")
@click.option("--type", "types", multiple=True, metavar="CLASS",
              help="Only things of this class, subclasses included (repeatable, or comma-separated), e.g. Person,Event.")
@click.option("--from", "start", metavar="DATE", help="Leave out dated things and relations before DATE (YYYY[-MM[-DD]]).")
@click.option("--to", "end", metavar="DATE", help="Leave out dated things and relations after DATE.")
@pass_session
def view(session, output, focus, depth, types, start, end):
    """Write the interactive network view: one HTML file that works offline."""
    from ..atomic import write_atomic
    from ..view import network

    types = [name.strip() for value in types for name in value.split(",") if name.strip()]
    net = network(session.store, focus=focus, depth=depth, types=types, start=start, end=end)
    html = net.generate_html()
    if output is None:
        click.echo(html, nl=False)
        return
    write_atomic(output, html)
    nodes, edges = net.num_nodes(), net.num_edges()
    click.echo(f"wrote {output} ({nodes:,} thing{'s' * (nodes != 1)}, {edges:,} relation{'s' * (edges != 1)})", err=True)
