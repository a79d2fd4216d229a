"""The start-up cache of the default (``memory``) store.

The first load parses the files with rdflib (the reference parser, with its file:line errors) and
writes the graph as sorted N-Triples under the user cache directory, keyed by the files' paths and
SHA-256. Later loads read that file into a :class:`CachedStore`: SPARQL is answered by an in-memory
Oxigraph copy (importing rdflib's SPARQL engine alone takes longer than importing rdflib, so this is
what keeps ``kzgraph query`` quick), everything else by rdflib's memory store, so that exports keep
every literal as written (Oxigraph stores "9.10"^^xsd:decimal as 9.1, xsd:nonNegativeInteger as
xsd:integer). Each is made from the cached text the first time it is needed.
A changed file changes the key; a corrupt cache file fails its checksum and is rebuilt.
"""
from __future__ import annotations

import hashlib
import os
import sys
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .atomic import write_atomic
from .guard import MAX_TERM, too_long
from .namespaces import bind_prefixes
from .oxistore import file_digest
from .oxrdf import OxigraphStore, from_ox

_FORMAT = b"kzgraph-cache 2"
KEEP = 8  # cached graphs kept (one per distinct --data combination)


def cache_dir() -> Path:
    """``$KZGRAPH_CACHE_DIR``, else the user cache directory of kzgraph."""
    if override := os.environ.get("KZGRAPH_CACHE_DIR"):
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kzgraph"))


def cache_file(files: list[Path]) -> Path:
    """Where the graph of ``files`` is cached: named by a hash of their paths and contents."""
    key = hashlib.sha256(_FORMAT + ox.__version__.encode())
    for file in files:
        key.update(f"\0{Path(file).resolve()}\0{file_digest(file)}".encode())
    return cache_dir() / f"graph-{key.hexdigest()[:32]}.nt"


def memory_graph(files: list[Path]) -> Graph:
    """The graph of ``files``, from the cache when it is there and sound, else parsed and cached.

    A cache that cannot be used (its path is a file, a directory, unwritable) is said once on
    stderr, and the graph is parsed without it.
    """
    from .load import parse_file

    path = cache_file(files)
    usable = True
    try:
        return read(path)
    except FileNotFoundError:
        pass
    except ValueError:  # corrupt: rebuild
        path.unlink(missing_ok=True)
    except OSError as exc:
        usable = _unusable(path, exc)
    graph = bind_prefixes(Graph())
    for file in files:
        parse_file(file, graph)
    if not usable:
        return graph
    try:
        write(path, graph)
        return read(path)
    except (OSError, ValueError) as exc:
        _unusable(path, exc)
        return graph


def _unusable(path: Path, exc: Exception) -> bool:
    print(f"kzgraph: cannot use the cache {path} ({getattr(exc, 'strerror', None) or exc}); working without it",
          file=sys.stderr)
    return False


def write(path: Path, graph: Graph) -> None:
    """Write ``graph`` as N-Triples after a header: the format, a SHA-256 of what follows, the prefixes."""
    rest = b"".join(f"# prefix {prefix} {ns}\n".encode() for prefix, ns in graph.namespaces())
    # sorted: Oxigraph's in-memory answers (GROUP_CONCAT, ties) follow insertion order; keep it stable
    lines = sorted(graph.serialize(format="nt", encoding="utf-8").split(b"\n"))
    for line in lines:
        if len(line) > MAX_TERM:  # Oxigraph could not read it back
            raise too_long(line.split(b" ", 1)[0].decode())
    rest += b"".join(line + b"\n" for line in lines if line)
    write_atomic(path, b"# %s\n# sha256 %s\n" % (_FORMAT, hashlib.sha256(rest).hexdigest().encode()) + rest)
    for stale in sorted(path.parent.glob("graph-*.nt"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
        stale.unlink(missing_ok=True)


def read(path: Path) -> Graph:
    """The cached graph at ``path`` in an in-memory Oxigraph store; ``ValueError`` if it is not sound."""
    data = path.read_bytes()
    first, digest, rest = data.split(b"\n", 2) if data.count(b"\n") >= 2 else (b"", b"", b"")
    if first != b"# " + _FORMAT or digest != b"# sha256 " + hashlib.sha256(rest).hexdigest().encode():
        raise ValueError(f"{path}: not a sound kzgraph cache file")
    prefixes, body = [], 0
    while rest.startswith(b"# prefix ", body):
        end = rest.index(b"\n", body)
        prefixes.append(rest[body + 9:end].decode().split(" ", 1))
        body = end + 1
    graph = Graph(store=CachedStore(rest[body:]))
    for prefix, ns in prefixes:
        graph.bind(prefix, URIRef(ns), override=True, replace=True)
    return bind_prefixes(graph)


class CachedStore(OxigraphStore):
    """A graph read from the cache: rdflib's memory store for its triples, Oxigraph for SPARQL.

    Once the graph is changed, SPARQL goes to rdflib's engine (the Oxigraph copy would be stale).
    """

    def __init__(self, ntriples: bytes):
        super().__init__()
        self.ntriples = ntriples
        self.changed = False

    def make_inner(self) -> ox.Store:
        store = ox.Store()
        store.load(self.ntriples, ox.RdfFormat.N_TRIPLES)  # in line order: answers follow insertion order
        return store

    @cached_property
    def memory(self) -> Graph:
        graph = Graph()
        try:  # Oxigraph's parser is linear in line length; rdflib's is quadratic (a 4 MB literal: a minute)
            graph.addN((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), graph)
                       for q in ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError:  # a term rdflib wrote that Oxigraph refuses
            graph = Graph()
            graph.parse(data=self.ntriples.decode("utf-8"), format="nt")
        return graph

    def add(self, triple, context=None, quoted=False):
        self.memory.add(triple)
        self.changed = True

    def addN(self, quads):  # noqa: N802 (rdflib's name)
        self.memory.addN((s, p, o, self.memory) for s, p, o, _ in quads)
        self.changed = True

    def remove(self, pattern, context=None):
        self.memory.remove(pattern)
        self.changed = True

    def triples(self, pattern, context=None):
        for triple in self.memory.triples(pattern):
            yield triple, iter((None,))

    def __len__(self, context=None) -> int:
        return len(self.memory) if self.changed else self.ntriples.count(b"\n")

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 (rdflib's names)
        if self.changed:
            raise NotImplementedError
        try:
            self.inner
        except SyntaxError:  # a term rdflib wrote that Oxigraph refuses: rdflib's engine answers
            self.changed = True
            raise NotImplementedError from None
        return super().query(query, initNs, initBindings, queryGraph, **kwargs)
