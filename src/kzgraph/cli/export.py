"""``kzgraph export``."""
from __future__ import annotations

import click

from . import output_file, pass_session
from ..exporting import FORMATS


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Default: the one -o's suffix names (.ttl, .nt, .jsonld, .rdf, .trig, .graphml, .gexf, .csv), else turtle.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), callback=output_file, help="Write to FILE (atomically); - or none: stdout.")
@click.option("--infer", is_flag=True, help="Add the RDFS / OWL 2 RL entailments (owlrl).")
@pass_session
def export(session, fmt, output, infer):
    """Write the graph as Turtle, N-Triples, JSON-LD, RDF/XML, TriG, GraphML, GEXF or CSV."""
    from ..exporting import export as run
    from ..exporting import format_for

    fmt = fmt or (output and format_for(output)) or "turtle"
    data = run(session.graph, fmt, output, infer=infer)
    if output is None:
        click.echo(data, nl=False)
    else:
        click.echo(f"wrote {output} ({fmt}, {len(data):,} bytes)", err=True)
