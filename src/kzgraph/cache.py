"""The start-up cache of the default (``memory``) store.

The first load parses the files with rdflib (the reference parser, with its file:line errors) and
writes the graph as N-Triples under the user cache directory, keyed by the files' paths and SHA-256;
later loads read that file with Oxigraph's parser into an in-memory Oxigraph store, which also
answers SPARQL natively (see :mod:`kzgraph.oxrdf`). rdflib's SPARQL module alone takes longer to
import than Python takes to import rdflib, so this is what keeps ``kzgraph query`` quick.
A changed file changes the key; a corrupt cache file fails its checksum and is rebuilt.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .atomic import write_atomic
from .namespaces import bind_prefixes
from .oxistore import file_digest
from .oxrdf import oxigraph_graph

_FORMAT = b"kzgraph-cache 1"
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
    """The graph of ``files``, from the cache when it is there and sound, else parsed and cached."""
    from .load import parse_file

    path = cache_file(files)
    try:
        return read(path)
    except (OSError, ValueError, SyntaxError):
        path.unlink(missing_ok=True)  # absent or corrupt: rebuild
    graph = bind_prefixes(Graph())
    for file in files:
        parse_file(file, graph)
    try:
        write(path, graph)
        return read(path)
    except (OSError, ValueError, SyntaxError):  # unwritable cache, or terms Oxigraph refuses: stay in rdflib
        return graph


def write(path: Path, graph: Graph) -> None:
    """Write ``graph`` as N-Triples after a header: the format, a SHA-256 of what follows, the prefixes."""
    rest = b"".join(f"# prefix {prefix} {ns}\n".encode() for prefix, ns in graph.namespaces())
    # sorted: Oxigraph's in-memory answers (GROUP_CONCAT, ties) follow insertion order; keep it stable
    rest += b"".join(sorted(graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)))
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
    store = ox.Store()
    store.bulk_load(rest[body:], ox.RdfFormat.N_TRIPLES)
    graph = oxigraph_graph(store)
    for prefix, ns in prefixes:
        graph.bind(prefix, URIRef(ns), override=True, replace=True)
    return bind_prefixes(graph)
