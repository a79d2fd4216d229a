"""``--store memory`` (the default): the files parsed once, then read from a start-up cache.

The first load parses the files with rdflib (the reference parsers, with their file:line errors) and
writes the graph as sorted N-Triples under the user cache directory, keyed by the files' paths and
SHA-256; every later load reads that one file into an in-memory pyoxigraph ``Store``, which answers
all queries (rdflib is not imported). A changed file changes the key; a corrupt cache file fails its
checksum and is rebuilt; a cache that cannot be written is said once on stderr and done without.
"""
from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..atomic import write_atomic
from ..errors import KzError
from ..guard import MAX_TERM, too_long
from ..prefixes import PREFIXES
from ..resources import dataset_files
from .base import LOAD, LOCAL, UPDATE, Loaded, Progress, Store
from .oxengine import OxigraphBacked

_FORMAT = b"kzgraph-cache 3"
KEEP = 8  # cached graphs kept (one per distinct --data combination)


def cache_dir() -> Path:
    """``$KZGRAPH_CACHE_DIR``, else the user cache directory of kzgraph."""
    if override := os.environ.get("KZGRAPH_CACHE_DIR"):
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kzgraph"))


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def cache_file(files: Sequence[Path]) -> Path:
    """Where the graph of ``files`` is cached: named by a hash of their paths and contents."""
    key = hashlib.sha256(_FORMAT + ox.__version__.encode())
    for file in files:
        key.update(f"\0{Path(file).resolve()}\0{file_digest(file)}".encode())
    return cache_dir() / f"graph-{key.hexdigest()[:32]}.nt"


class MemoryStore(OxigraphBacked, Store):
    """The graph of some files in an in-memory pyoxigraph ``Store`` (updates leave the files and cache as they are)."""

    kind = "memory"
    usage = "memory  the bundled data and --data files in memory, from a start-up cache (the default)"
    capabilities = frozenset({LOAD, UPDATE, LOCAL})

    def __init__(self, files: Sequence[Path] = ()):
        super().__init__()
        self.files = list(files)
        self.inner = ox.Store()
        self.cache: Path | None = None

    @classmethod
    def open(cls, where: str, files: Sequence[Path] | None = None) -> MemoryStore:
        store = cls.at(where)
        store.load(dataset_files() if files is None else files)
        return store

    @classmethod
    def at(cls, where: str) -> MemoryStore:
        if where:
            raise KzError(f"--store memory:{where}: the memory store takes no location (write just memory)")
        return cls()

    @property
    def spec(self) -> str:
        return "memory"

    def load(self, files: Sequence[Path], *, force: bool = False, progress: Progress | None = None) -> Loaded:
        """Read ``files`` (from the cache when it is sound, else parsed and cached)."""
        started = time.perf_counter()
        self.files = list(files)
        cached = read_cached(self.files, force=force)
        self.inner = ox.Store()
        self.inner.load(cached.body, ox.RdfFormat.N_TRIPLES)  # in line order: answers follow insertion order
        self.prefixes = {**PREFIXES, **{p: ns for p, ns in cached.prefixes.items() if p not in PREFIXES}}
        self.cache = cached.path
        self.changed()
        if progress:
            progress(sum(Path(f).stat().st_size for f in self.files))
        return Loaded("memory", len(self.inner), cached.rebuilt, time.perf_counter() - started, "start-up cache")


@dataclass(frozen=True)
class Cached:
    """The graph of some files as sorted N-Triples, the prefixes they declare, whether they were parsed
    now (not read from the cache), and the cache file (``None`` where the cache cannot be used)."""

    body: bytes
    prefixes: dict[str, str]
    rebuilt: bool
    path: Path | None


def read_cached(files: Sequence[Path], *, force: bool = False) -> Cached:
    """The graph of ``files``, from the cache when it is sound, else parsed (and cached where it can be)."""
    path = cache_file(files)
    usable = True
    try:
        body, prefixes = _read(path) if not force else (None, None)
    except FileNotFoundError:
        body = None
    except ValueError:  # corrupt: rebuild
        path.unlink(missing_ok=True)
        body = None
    except OSError as exc:
        body, usable = None, _unusable(path, exc)
    if body is not None:
        return Cached(body, prefixes, False, path)
    body, prefixes = _parse(files)
    if usable:
        try:
            _write(path, body, prefixes)
        except OSError as exc:
            usable = _unusable(path, exc)
    return Cached(body, prefixes, True, path if usable else None)


def _parse(files: Sequence[Path]) -> tuple[bytes, dict[str, str]]:
    """The files parsed by rdflib, as sorted N-Triples, and the prefixes they declare."""
    from rdflib import Graph

    from ..parsing import parse_file

    graph = Graph(bind_namespaces="none")  # only what the files declare: every prefix costs each query a parse
    for file in files:
        parse_file(file, graph)
    # sorted: Oxigraph's in-memory answers (GROUP_CONCAT, ties) follow insertion order; keep it stable
    lines = sorted(graph.serialize(format="nt", encoding="utf-8").split(b"\n"))
    for line in lines:
        if len(line) > MAX_TERM:  # Oxigraph could not read it back
            raise too_long(line.split(b" ", 1)[0].decode())
    prefixes = {str(p): str(ns) for p, ns in graph.namespaces()}
    return b"".join(line + b"\n" for line in lines if line), prefixes


def _write(path: Path, body: bytes, prefixes: dict[str, str]) -> None:
    """Write the cache: the format, a SHA-256 of what follows, the prefixes, then the N-Triples."""
    rest = b"".join(f"# prefix {p} {ns}\n".encode() for p, ns in prefixes.items()) + body
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, b"# %s\n# sha256 %s\n" % (_FORMAT, hashlib.sha256(rest).hexdigest().encode()) + rest)
    for stale in sorted(path.parent.glob("graph-*.nt"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
        stale.unlink(missing_ok=True)


def _read(path: Path) -> tuple[bytes, dict[str, str]]:
    """The N-Triples and prefixes cached at ``path``; ``ValueError`` if the file is not sound."""
    # read by lines up to the N-Triples, which are read whole into the bytes returned: a cache holds
    # hundreds of MB, and each copy of it (split, slice) costs a tenth of a second
    with open(path, "rb") as handle:
        first, digest = handle.readline(), handle.readline()
        check, prefixes = hashlib.sha256(), {}
        while (line := handle.readline()).startswith(b"# prefix "):
            check.update(line)
            prefix, namespace = line[9:].rstrip(b"\n").decode().split(" ", 1)
            prefixes[prefix] = namespace
        handle.seek(-len(line), io.SEEK_CUR)
        body = handle.read()
    check.update(body)
    if first != b"# %s\n" % _FORMAT or digest != b"# sha256 %s\n" % check.hexdigest().encode():
        raise ValueError(f"{path}: not a sound kzgraph cache file")
    return body, prefixes


def _unusable(path: Path, exc: Exception) -> bool:
    print(f"kzgraph: cannot use the cache {path} ({getattr(exc, 'strerror', None) or exc}); working without it",
          file=sys.stderr)
    return False
