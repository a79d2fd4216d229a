"""Comparing Oxigraph's answers with rdflib's: Oxigraph keeps numbers by value.

Oxigraph 0.5 stores xsd:decimal and the xsd:integer family as values: ``"9.10"^^xsd:decimal`` comes
back as ``"9.1"``, ``"76"^^xsd:nonNegativeInteger`` as ``"76"^^xsd:integer``, and so do strings made
from them (``STR(?share)``). So its answers are compared with rdflib's answers on the graph as
Oxigraph holds it. And the engines differ where SPARQL leaves GROUP_CONCAT loose: its order (so
values joined with the named queries' separator "; " are compared as sorted parts) and its language
tag (Oxigraph keeps one that all the parts share, rdflib drops it; so language tags are not compared).
"""
from __future__ import annotations

import json
from collections import Counter

import pyoxigraph
from rdflib import Graph

from kzgraph.namespaces import bind_prefixes


def held_by_oxigraph(graph: Graph) -> Graph:
    """``graph`` as an Oxigraph store holds it (a round trip through pyoxigraph)."""
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    data = pyoxigraph.serialize(store.quads_for_pattern(None, None, None), format=pyoxigraph.RdfFormat.N_QUADS)
    return bind_prefixes(Graph().parse(data=data, format="nt"))


def _term(term: dict) -> tuple:
    loose = {key: value for key, value in term.items() if key != "xml:lang"}
    return tuple(sorted({**loose, "value": tuple(sorted(term["value"].split("; ")))}.items()))


def result_rows(doc: str | dict) -> Counter:
    """The rows of a SPARQL JSON result (text or parsed) as a multiset."""
    doc = json.loads(doc) if isinstance(doc, str) else doc
    if "boolean" in doc:
        return Counter([doc["boolean"]])
    return Counter(frozenset((k, _term(v)) for k, v in b.items()) for b in doc["results"]["bindings"])
