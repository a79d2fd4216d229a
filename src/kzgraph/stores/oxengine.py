"""Answering SPARQL with a pyoxigraph ``Store``: the engine of the memory, on-disk and held Oxigraph stores."""
from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from .answer import Answer


def execute(inner: ox.Store, sparql: str, bindings: Mapping[str, object] | None, *,
            prefixes: Mapping[str, str], base_iri: str | None = None, form: str | None = None) -> Answer:
    """Evaluate ``sparql`` on ``inner``'s default graph with ``bindings`` (name → pyoxigraph term).

    Oxigraph substitutes only variables of the SELECT projection; any other binding is written as a
    VALUES block opening each WHERE group (:func:`kzgraph.sparql.with_values`), on the same engine.
    """
    substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    try:
        result = inner.query(sparql, base_iri=base_iri, prefixes=dict(prefixes), substitutions=substitutions)
    except RuntimeError as exc:
        if "SELECT projection" not in str(exc):
            raise
        from ..sparql import with_values

        result = inner.query(with_values(sparql, bindings), base_iri=base_iri, prefixes=dict(prefixes))
    return Answer.from_oxigraph(result, form)


class OxigraphBacked:
    """What every store over one pyoxigraph ``Store`` (``self.inner``, its default graph) answers alike."""

    def execute(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
                base_iri: str | None = None, form: str | None = None) -> Answer:
        return execute(self.inner, sparql, bindings, prefixes=self.prefixes, base_iri=base_iri, form=form)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update on the store."""
        self.inner.update(sparql, prefixes=dict(self.prefixes))
        self.changed()

    def graph(self):
        """An rdflib Graph over the same pyoxigraph Store (no copy); edits through it are new generations."""
        from ..namespaces import bind_prefixes
        from ..oxrdf import oxigraph_graph

        graph = oxigraph_graph(self.inner, on_change=self.changed)
        for prefix, namespace in self.prefixes.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        return bind_prefixes(graph)

    def __len__(self) -> int:
        return len(self.inner)
