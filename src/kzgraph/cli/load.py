"""``kzgraph load``: fill an on-disk Oxigraph store once (or warm the memory store's cache)."""
from __future__ import annotations

import sys

import click

from . import pass_session
from ..errors import KzError


@click.command()
@click.option("--store", metavar="STORE", help="oxigraph:PATH to fill (default: the global --store).")
@click.option("--data", "data", multiple=True, type=click.Path(), metavar="DIR",
              help="Also load this dataset directory or RDF file (repeatable; default: the global --data).")
@click.option("--force", is_flag=True, help="Rebuild even if the files have not changed.")
@pass_session
def load(session, store, data, force):
    """Load the ontology, bundled data and --data into a store, replacing what it held.

    \b
    kzgraph load --store oxigraph:kz.store --data my-data/
    kzgraph --store oxigraph:kz.store query --name class-counts

    Loading the same files again leaves the store as it is; a failed load leaves the old store.
    With the memory store, this parses the files into the start-up cache.
    """
    from ..load import dataset_files

    store = store or session.store
    files = dataset_files(data or session.data)
    kind, _, where = store.partition(":")
    if kind == "memory" and not where:
        from ..cache import memory_graph

        click.echo(f"cached {len(memory_graph(files)):,} triples from {len(files)} files", err=True)
        return
    if kind != "oxigraph" or not where:
        raise KzError(f"--store {store}: kzgraph load fills memory or oxigraph:PATH stores")
    from ..oxistore import load_store

    err = sys.stderr
    if not err.isatty():  # a bar only where someone watches it
        loaded = load_store(where, files, force=force)
    else:
        with click.progressbar(length=sum(f.stat().st_size for f in files), label=f"loading {len(files)} files",
                               file=err, show_eta=True, show_percent=True) as bar:
            loaded = load_store(where, files, force=force, progress=bar.update)
    if loaded.rebuilt:
        click.echo(f"loaded {loaded.triples:,} triples into oxigraph:{where} in {loaded.seconds:.1f} s", err=True)
    else:
        click.echo(f"oxigraph:{where} is up to date ({loaded.triples:,} triples; --force rebuilds it)", err=True)
