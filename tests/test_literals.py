"""The bundled data's literals are written so that every engine keeps them as written.

Oxigraph stores numbers by value (``"9.10"^^xsd:decimal`` comes back as ``9.1``, an
xsd:nonNegativeInteger as an xsd:integer), so a literal in another lexical form or datatype would
make the same query answer differently on different stores.
"""
from __future__ import annotations

import pyoxigraph
from rdflib import Literal

from kzgraph.stores import load


def _written(literal: Literal) -> tuple:
    return str(literal), str(literal.datatype or ""), literal.language or ""


def _kept(literal: pyoxigraph.Literal) -> tuple:
    datatype = "" if literal.language else literal.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = ""  # rdflib leaves a plain literal's datatype unset
    return literal.value, datatype, literal.language or ""


def test_every_bundled_literal_comes_back_from_oxigraph_as_written():
    graph = load(bundled=True)
    written = {_written(o) for o in graph.objects() if isinstance(o, Literal)}
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    kept = {_kept(q.object) for q in store.quads_for_pattern(None, None, None)
            if isinstance(q.object, pyoxigraph.Literal)}
    changed = sorted(written - kept)
    assert len(written) > 1000
    assert not changed, f"{len(changed)} literals Oxigraph does not keep as written, e.g. {changed[:10]}"
