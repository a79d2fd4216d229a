"""``kzgraph release``."""
from __future__ import annotations

import click

from . import pass_session


@click.command()
@click.option("-o", "--output", "out_dir", default="releases", show_default=True, type=click.Path(file_okay=False),
              help="Directory of releases: the release goes into DIR/VERSION.")
@click.option("--previous", type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="The release to compare with (default: the highest version in the output directory).")
@pass_session
def release(session, out_dir, previous):
    """Validate, then write a release: versioned dumps, void.ttl, SHA256SUMS and a changelog since the previous one.

    Refuses when an IRI of the previous release would disappear without owl:deprecated and dcterms:isReplacedBy.
    """
    from ..building import require_valid
    from ..release import release as run

    session.files_only("release")
    require_valid(session.data)
    target, written = run(session.graph, out_dir, previous=previous)
    if not written:
        click.echo(f"{target} is up to date")
    for path in written:
        click.echo(f"wrote {path}")
