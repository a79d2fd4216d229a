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
