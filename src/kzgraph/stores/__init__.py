"""Where the graph lives: one :class:`Store` interface over every engine, and the registry of kinds.

::

    from kzgraph.stores import open_store
    store = open_store("memory")                       # or "oxigraph:kz.store", "sparql:http://…/query"
    store.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    kzgraph.query(store, name="class-counts")          # checked, parameters bound, read in full
"""
from __future__ import annotations

from .answer import Answer
from .base import LOAD, LOCAL, PERSISTENT, UPDATE, Loaded, Store
from .registry import GROUP, kind, kinds, open_store, parse_spec, usage_line

__all__ = ["GROUP", "LOAD", "LOCAL", "PERSISTENT", "UPDATE", "Answer", "Loaded", "Store", "fill", "kind", "kinds", "load",
           "open_store", "parse_spec", "usage_line"]


def load(data=(), bundled: bool = True, store="memory"):
    """The kzgraph graph as an rdflib ``Graph``: ontology and bundled data, plus any ``data`` files or
    directories, in the store ``store`` names (see :func:`open_store`); SPARQL on it runs in that store."""
    return open_store(store, data, bundled=bundled).graph()


def fill(spec: str, files, *, force: bool = False, progress=None) -> Loaded:
    """Load ``files`` into the store ``spec`` names, replacing what it held (``kzgraph load``)."""
    name, where = parse_spec(spec)
    cls = kind(name)
    if LOAD not in cls.capabilities:
        from ..errors import KzError

        raise KzError(f"--store {spec}: a {name} store cannot be loaded")
    target = cls.at(where)
    return target.load(list(files), force=force, progress=progress)
