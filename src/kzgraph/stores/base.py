"""The interface every kind of store implements, whatever engine answers behind it."""
from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import KzError
from ..prefixes import PREFIXES
from .answer import Answer

#: what a kind of store can do, as :attr:`Store.capabilities` lists it
LOAD = "load"  # :meth:`Store.load` fills it
UPDATE = "update"  # it takes SPARQL Update
LOCAL = "local"  # it answers in this process (no request leaves the machine)
PERSISTENT = "persistent"  # what is loaded outlives the process

_generations = itertools.count(1)


@dataclass(frozen=True)
class Loaded:
    """What a load did: where, the triples the store then holds, whether anything was (re)written, how."""

    where: str
    triples: int
    rebuilt: bool
    seconds: float
    how: str = ""


Progress = Callable[[int], None]


class Store(ABC):
    """Where the graph lives, and the one engine that answers its SPARQL.

    Subclasses set :attr:`kind` (the word before ``:`` in a ``--store`` spec), :attr:`usage` and
    :attr:`capabilities`, and implement :meth:`open`, :meth:`execute` and, where they can be filled,
    :meth:`load`. Everything kzgraph reads goes through :meth:`execute` (see :mod:`kzgraph.sparql`, which
    checks a query and binds its parameters first).
    """

    kind: ClassVar[str]
    #: the spec a user writes, and what it means (for ``--store``'s help)
    usage: ClassVar[str]
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        self.generation = next(_generations)
        self.prefixes: dict[str, str] = dict(PREFIXES)

    @classmethod
    @abstractmethod
    def open(cls, where: str, files: Sequence[Path] | None = None) -> Store:
        """The store that ``kind:where`` names; ``files``: what it must hold (None: whatever it holds)."""

    @classmethod
    def at(cls, where: str) -> Store:
        """The store ``where`` names, to be filled by :meth:`load` (it need not hold anything yet)."""
        raise KzError(f"--store {cls.kind}:{where}: a {cls.kind} store cannot be loaded")

    @property
    @abstractmethod
    def spec(self) -> str:
        """The ``--store`` spec that opens this store again."""

    @abstractmethod
    def execute(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
                base_iri: str | None = None) -> Answer:
        """Evaluate ``sparql`` with ``bindings`` (variable name → pyoxigraph term) on this store's engine."""

    def load(self, files: Sequence[Path], *, force: bool = False, progress: Progress | None = None) -> Loaded:
        """Replace what the store holds by the triples of ``files``; ``progress(n)`` gets bytes or triples sent."""
        raise KzError(f"--store {self.spec}: a {self.kind} store cannot be loaded")

    def changed(self) -> None:
        """Note that the store's content changed (name indexes and other caches keyed by it go stale)."""
        self.generation = next(_generations)

    def read_only(self) -> Store:
        """A handle the server's workers share: this store, unless a kind needs its own."""
        return self

    def graph(self):
        """The whole graph as an rdflib ``Graph``, for exports, validation and inference."""
        answer = self.execute("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        graph = answer.graph
        from ..namespaces import bind_prefixes

        bind_prefixes(graph)
        for prefix, namespace in self.prefixes.items():
            graph.bind(prefix, namespace, override=False)
        return graph

    def __len__(self) -> int:
        answer = self.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(answer.rows[0][0].value)

    def __repr__(self) -> str:
        return f"<kzgraph store {self.spec}>"
