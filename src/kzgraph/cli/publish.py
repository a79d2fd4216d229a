"""``kzgraph publish``."""
from __future__ import annotations

import click

from . import pass_session


@click.command()
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory to write the site into (created if needed).")
@click.option("--base-url", default="https://w3id.org/kzgraph/", show_default=True, metavar="URL",
              help="Where the site will be served from: the download URLs in void.ttl.")
@pass_session
def publish(session, out_dir, base_url):
    """Write the linked-data site: a page per thing and class, the ontology, search, network view, dumps, void.ttl.

    \b
    kzgraph publish -o site && python -m http.server -d site    # or open site/index.html
    """
    from ..publish import publish as run

    written = run(session.graph, out_dir, base=base_url)
    size = sum(path.stat().st_size for path in written)
    click.echo(f"wrote {len(written):,} files ({size / 1e6:.1f} MB) into {out_dir}; open {out_dir}/index.html")
