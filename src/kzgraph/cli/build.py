"""``kzgraph build``."""
from __future__ import annotations

import click

from . import pass_session


@click.command()
@click.option("-o", "--output", "out_dir", default="build", show_default=True, type=click.Path(file_okay=False),
              help="Directory to write kzgraph.ttl, void.ttl and network.html into.")
@pass_session
def build(session, out_dir):
    """The main job: load and validate the graph, write the merged Turtle and the network view."""
    from ..building import build as run

    session.files_only("build")
    result = run(out_dir, data=session.data)
    click.echo(f"{result.triples:,} triples, validated against the shapes")
    for path in result.written:
        click.echo(f"wrote {path}")
    for note in result.notes:
        click.echo(note)
    width = max((len(name) for name, _ in result.class_counts), default=5)
    click.echo(click.style(f"{'class'.ljust(width)}  count", bold=True))
    for name, count in result.class_counts:
        click.echo(f"{name.ljust(width)}  {count:>5}")
