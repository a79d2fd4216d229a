"""kzgraph: a sourced knowledge graph of Kazakhstan's political actors and events.

The Python API that the ``kzgraph`` command is built on::

    import kzgraph
    store = kzgraph.open_store()                             # memory; "oxigraph:PATH", "sparql:URL"
    rows = kzgraph.query(store, name="office-holder-on-date",
                         params={"office": "kzr:president-of-kazakhstan", "date": "2020-01-01"})
    graph = kzgraph.load()                                   # the same graph as an rdflib.Graph
    kzgraph.export(graph, "turtle", "kzgraph.ttl")
    report = kzgraph.validate()                              # report.conforms, report.violations
    frame = kzgraph.to_dataframe(rows)                       # pandas, with kzgraph[pandas]

Names are imported on first use, so that ``import kzgraph`` costs nothing it does not need.
"""
from importlib import import_module

from .errors import KzError

#: public name → the module that defines it
_API = {
    "build": "building", "export": "exporting", "to_dataframe": "frames", "load": "stores",
    "open_store": "stores", "query": "sparql", "validate": "validation",
}

__all__ = ["KzError", *sorted(_API)]


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'kzgraph' has no attribute {name!r}")
