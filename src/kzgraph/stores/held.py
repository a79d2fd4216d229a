"""A graph a notebook user already holds, used as a store as it is: an rdflib ``Graph`` or a pyoxigraph ``Store``.

An rdflib ``Graph`` whose store is kzgraph's Oxigraph adapter (what :func:`kzgraph.load` returns) is
answered by Oxigraph; any other rdflib ``Graph`` by rdflib's own engine; a pyoxigraph ``Store`` by
Oxigraph. Nothing is copied, so edits the user makes show in the next answer.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import KzError
from .answer import Answer
from .base import LOCAL, UPDATE, Store
from .oxengine import OxigraphBacked


def held(thing) -> Store:
    """``thing`` (an rdflib Graph or a pyoxigraph Store) as a :class:`~kzgraph.stores.Store`."""
    if isinstance(thing, ox.Store):
        return HeldOxigraph(thing)
    try:
        from rdflib import Graph
    except ImportError:  # pragma: no cover (rdflib is a dependency)
        Graph = ()
    if isinstance(thing, Graph):
        from ..oxrdf import OxigraphStore

        # one Store per Graph, kept on it: its generation then follows the user's edits across calls
        made = vars(thing).get("_kzgraph_store")
        if made is None:
            made = HeldOxigraph(thing.store.inner, thing) if isinstance(thing.store, OxigraphStore) else HeldGraph(thing)
            thing._kzgraph_store = made
        return made
    raise KzError(f"{type(thing).__name__} is not a store: give a --store spec, an rdflib Graph or a pyoxigraph Store")


class HeldOxigraph(OxigraphBacked, Store):
    """A pyoxigraph ``Store`` (or an rdflib Graph over one) the caller holds; Oxigraph answers."""

    kind = "oxigraph-held"
    usage = "a pyoxigraph Store held in Python"
    capabilities = frozenset({LOCAL, UPDATE})

    def __init__(self, inner: ox.Store, graph=None):
        super().__init__()
        self.inner, self._graph = inner, graph
        if graph is not None:
            self.prefixes.update({str(p): str(ns) for p, ns in graph.namespaces()})
            adapter = graph.store
            previous = adapter.on_change
            # the user edits through the rdflib Graph: each edit is a new generation of this store
            adapter.on_change = (lambda: (previous(), self.changed())) if previous else self.changed

    @classmethod
    def open(cls, where: str, files: Sequence[Path] | None = None) -> Store:
        raise KzError("a held store is made from a Python object, not a --store spec")

    @property
    def spec(self) -> str:
        return "(a pyoxigraph Store)"

    @property
    def tracks_changes(self) -> bool:
        """Whether every edit changes :attr:`generation` (not so for edits made on the bare pyoxigraph Store)."""
        return self._graph is not None

    def graph(self):
        return self._graph if self._graph is not None else super().graph()


class HeldGraph(Store):
    """An rdflib ``Graph`` the caller holds; rdflib's engine answers, its change events mark generations."""

    kind = "rdflib-held"
    usage = "an rdflib Graph held in Python"
    capabilities = frozenset({LOCAL, UPDATE})

    def __init__(self, graph):
        from rdflib.store import TripleAddedEvent, TripleRemovedEvent

        super().__init__()
        self._graph = graph
        self.prefixes.update({str(p): str(ns) for p, ns in graph.namespaces()})
        dispatcher = getattr(graph.store, "dispatcher", None)
        self.tracks_changes = dispatcher is not None
        if dispatcher is not None:  # rdflib's memory store announces additions (not removals: see generation)
            for event in (TripleAddedEvent, TripleRemovedEvent):
                dispatcher.subscribe(event, lambda _event: self.changed())

    @classmethod
    def open(cls, where: str, files: Sequence[Path] | None = None) -> Store:
        raise KzError("a held store is made from a Python object, not a --store spec")

    @property
    def generation(self):
        # rdflib's memory store announces no removals; a removal always changes the size
        return self._generation, len(self._graph)

    @generation.setter
    def generation(self, value) -> None:
        self._generation = value

    @property
    def spec(self) -> str:
        return "(an rdflib Graph)"

    def execute(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
                base_iri: str | None = None, form: str | None = None) -> Answer:
        from ..oxrdf import from_ox, to_ox

        result = self._graph.query(sparql, initNs=self.prefixes, base=base_iri,
                                   initBindings={k: from_ox(v) for k, v in (bindings or {}).items()})
        if result.type == "ASK":
            return Answer("ASK", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            names = [str(v) for v in result.vars]
            return Answer("SELECT", variables=names,
                          rows=[tuple(to_ox(row.get(v)) for v in result.vars) for row in result.bindings])
        return Answer(form or result.type, triples=[ox.Triple(*map(to_ox, t)) for t in result.graph])

    def update(self, sparql: str) -> None:
        self._graph.update(sparql, initNs=self.prefixes)
        self.changed()

    def graph(self):
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)
