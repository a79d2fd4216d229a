"""An rdflib ``Graph`` whose triples live in a pyoxigraph ``Store`` and whose SPARQL runs in Oxigraph.

Why not oxrdflib: importing it imports rdflib's SPARQL parser (about 80 ms, more than a whole
``kzgraph query`` may cost); this thin layer does not. Everything rdflib does with a graph (``triples``,
``value``, ``serialize``, ``add``) works through the rdflib ``Store`` API; ``graph.query(text)`` goes
to Oxigraph natively (:mod:`kzgraph.stores.oxengine`), never to rdflib's engine. Only the default
graph is used.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.store import Store

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_ox(term):
    """An rdflib term as a pyoxigraph term (``None`` stays ``None``: a wildcard)."""
    if term is None or isinstance(term, Variable):
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """A pyoxigraph term as an rdflib term; xsd:string literals become plain literals, as rdflib parses them."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype in (_XSD_STRING, _RDF_LANGSTRING) else URIRef(datatype))
    raise TypeError(f"unsupported Oxigraph term: {term!r}")


class Solution(dict):
    """One SELECT row, keyed by Variable; like rdflib's own rows it also answers to plain names."""

    def __missing__(self, key):
        if isinstance(key, str) and not isinstance(key, Variable):
            return self[Variable(key)]
        raise KeyError(key)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, Variable(key) if isinstance(key, str) else key)


class OxigraphStore(Store):
    """The rdflib ``Store`` API over one pyoxigraph ``Store`` (its default graph)."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False
    native_sparql = True  # kzgraph.query checks this to leave parsing to Oxigraph

    #: for an on-disk store: turns RocksDB's ``Corruption: …`` (a RuntimeError) into the user's error
    on_damage: Callable[[str], Exception] | None = None

    def __init__(self, store: ox.Store | None = None, on_change: Callable[[], None] | None = None):
        super().__init__()
        self._inner = store
        self.on_change = on_change
        self._ns: dict[str, URIRef] = {}
        self._prefix: dict[URIRef, str] = {}

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store (made on first use)."""
        if self._inner is None:
            self._inner = self.make_inner()
        return self._inner

    def make_inner(self) -> ox.Store:
        return ox.Store()

    # -- triples --------------------------------------------------------------------------------------
    def add(self, triple, context=None, quoted=False):
        self.inner.add(ox.Quad(*map(to_ox, triple)))
        self._changed()

    def addN(self, quads):  # noqa: N802 (rdflib's name)
        self.inner.extend([ox.Quad(*map(to_ox, quad[:3])) for quad in quads])
        self._changed()

    def remove(self, pattern, context=None):
        for quad in list(self.inner.quads_for_pattern(*map(to_ox, pattern), ox.DefaultGraph())):
            self.inner.remove(quad)
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def triples(self, pattern, context=None) -> Iterator:
        try:
            found = self.inner.quads_for_pattern(*map(to_ox, pattern), ox.DefaultGraph())
        except (TypeError, ValueError):  # e.g. a literal as subject: matches nothing
            return
        with self._damage():
            for quad in found:
                yield (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)), iter((None,))

    def __len__(self, context=None) -> int:
        with self._damage():
            return len(self.inner)

    @contextmanager
    def _damage(self):
        try:
            yield
        except RuntimeError as exc:
            if self.on_damage is None or not str(exc).startswith("Corruption"):
                raise
            raise self.on_damage(str(exc)) from None

    # -- SPARQL ---------------------------------------------------------------------------------------
    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 (rdflib's names)
        if not isinstance(query, str) or kwargs:
            raise TypeError("an Oxigraph-backed graph takes SPARQL as text; use kzgraph.sparql.query")
        from .stores.oxengine import execute

        with self._damage():
            return execute(self.inner, query, {str(k): to_ox(v) for k, v in (initBindings or {}).items()},
                           prefixes={prefix: str(ns) for prefix, ns in {**self._ns, **(initNs or {})}.items()})

    def update(self, update, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803
        raise NotImplementedError

    # -- prefixes -------------------------------------------------------------------------------------
    def bind(self, prefix, namespace, override=True):
        namespace = URIRef(namespace)
        if not override and (prefix in self._ns or namespace in self._prefix):
            return
        old = self._ns.pop(prefix, None)
        self._prefix.pop(old, None)
        self._ns.pop(self._prefix.pop(namespace, None), None)
        self._ns[prefix], self._prefix[namespace] = namespace, prefix

    def namespace(self, prefix):
        return self._ns.get(prefix)

    def prefix(self, namespace):
        return self._prefix.get(URIRef(namespace))

    def namespaces(self):
        yield from list(self._ns.items())


def oxigraph_graph(store: ox.Store | None = None, on_change: Callable[[], None] | None = None) -> Graph:
    """An rdflib Graph over ``store`` (a new in-memory Oxigraph store by default); ``on_change()`` is
    called after every edit made through it."""
    return Graph(store=OxigraphStore(store, on_change))
