"""kzgraph: a sourced knowledge graph of Kazakhstan's political actors and events.

The Python API that the ``kzgraph`` command is built on::

    import kzgraph
    graph = kzgraph.load()                                   # rdflib.Graph
    rows = kzgraph.query(graph, name="office-holder-on-date",
                         params={"office": "kzr:president-of-kazakhstan", "date": "2020-01-01"})
    kzgraph.export(graph, "turtle", "kzgraph.ttl")
    report = kzgraph.validate()                              # report.conforms, report.violations
    frame = kzgraph.to_dataframe(rows)                       # pandas, with kzgraph[pandas]
"""
from .build import build
from .errors import KzError
from .export import export
from .frames import to_dataframe
from .load import load
from .query import query
from .validate import validate

__all__ = ["KzError", "build", "export", "load", "query", "to_dataframe", "validate"]
