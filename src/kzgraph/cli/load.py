"""``kzgraph load``: fill a store (an on-disk Oxigraph store, a remote one, or the memory store's cache)."""
from __future__ import annotations

import sys

import click

from . import StoreOption, pass_session


@click.command()
@click.option("--store", metavar="STORE", cls=StoreOption,
              help="The store to fill (default: the global --store): memory, oxigraph:PATH or sparql:URL.")
@click.option("--data", "data", multiple=True, type=click.Path(), metavar="DIR",
              help="Also load this dataset directory or RDF file (repeatable; default: the global --data).")
@click.option("--force", is_flag=True, help="Rebuild even if the files have not changed.")
@pass_session
def load(session, store, data, force):
    """Load the ontology, bundled data and --data into a store, replacing what it held.

    \\b
    kzgraph load --store oxigraph:kz.store --data my-data/
    kzgraph --store oxigraph:kz.store query --name class-counts
    kzgraph load --store sparql:http://localhost:7878     # Graph Store Protocol, else SPARQL Update

    Loading the same files again into an on-disk store leaves it as it is; a failed load leaves the
    old store. With the memory store, this parses the files into the start-up cache.
    """
    from ..resources import dataset_files
    from ..stores import fill

    files = dataset_files(data or session.data)
    target = store or session.spec
    if not sys.stderr.isatty():  # a bar only where someone watches it
        loaded = fill(target, files, force=force)
    else:
        with click.progressbar(length=sum(f.stat().st_size for f in files), label=f"loading {len(files)} files",
                               file=sys.stderr, show_eta=True, show_percent=True) as bar:
            loaded = fill(target, files, force=force, progress=bar.update)
    if target == "memory":
        click.echo(f"cached {loaded.triples:,} triples from {len(files)} files", err=True)
    elif loaded.rebuilt:
        click.echo(f"loaded {loaded.triples:,} triples into {loaded.where} in {loaded.seconds:.1f} s"
                   f" ({loaded.how})", err=True)
    else:
        click.echo(f"{loaded.where} is up to date ({loaded.triples:,} triples; --force rebuilds it)", err=True)
