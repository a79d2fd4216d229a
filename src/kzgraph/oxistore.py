"""``--store oxigraph:PATH``: an on-disk Oxigraph store, loaded once, then read by every command.

PATH holds one directory per load (``load-…``: the Oxigraph database ``db/`` and ``manifest.json``
listing the files loaded with their SHA-256 and the triple count) and a ``CURRENT`` file naming the
live one. A load fills a fresh directory and then replaces ``CURRENT`` atomically, so a reader, a
second load or a crash midway sees the old store or the new one, never a mix, and loading the same
files twice gives the same store (it is not even rebuilt unless forced).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .atomic import write_atomic
from .errors import KzError
from .guard import too_long, vet
from .namespaces import bind_prefixes
from .oxrdf import oxigraph_graph

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
_CHUNK = 1 << 20
_BUFFER = "buffer maximal size"  # Oxigraph's message for a term over guard.MAX_TERM


@dataclass(frozen=True)
class Loaded:
    """What a load did: the store directory, the triple count, and whether it was rebuilt."""

    path: Path
    triples: int
    rebuilt: bool
    seconds: float


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(files: list[Path]) -> list[dict]:
    """The files as a manifest records them: resolved path and SHA-256, in load order."""
    return [{"path": str(Path(f).resolve()), "sha256": file_digest(f)} for f in files]


def manifest(path: str | os.PathLike) -> dict | None:
    """The manifest of the live load in the store at ``path`` (``None``: never loaded)."""
    root = Path(path)
    try:
        live = root / (root / CURRENT).read_text(encoding="utf-8").strip()
        return json.loads((live / MANIFEST).read_text(encoding="utf-8")) | {"dir": str(live)}
    except (OSError, ValueError):
        return None


def load_store(
    path: str | os.PathLike,
    files: list[Path],
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Loaded:
    """Fill the store at ``path`` with ``files`` (replacing what it held); ``progress(n)`` gets bytes read.

    Unchanged files (same paths, same SHA-256 as the live load) leave the store as it is unless ``force``.
    """
    started = time.perf_counter()
    root = Path(path)
    if root.exists() and not root.is_dir():
        raise KzError(f"oxigraph:{root}: not a directory")
    wanted = fingerprint(files)
    live = manifest(root)
    if live and live["files"] == wanted and not force:
        return Loaded(root, live["triples"], False, time.perf_counter() - started)
    root.mkdir(parents=True, exist_ok=True)
    fresh = root / f"load-{time.time_ns()}-{os.getpid()}"
    db = None
    try:
        fresh.mkdir()
        db = ox.Store(str(fresh / "db"))
        for file in files:
            _bulk_load(db, Path(file), progress)
        db.flush()
        triples = len(db)
        db = None  # closes the database before it is published
        record = {"files": wanted, "triples": triples, "pyoxigraph": ox.__version__}
        write_atomic(fresh / MANIFEST, json.dumps(record, indent=2) + "\n")
        write_atomic(root / CURRENT, fresh.name + "\n")
    except BaseException as exc:
        # close the database first (also the references the traceback's frames hold), or RocksDB
        # goes on writing into the directory being removed
        db = None
        traceback.clear_frames(exc.__traceback__)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    for old in root.glob("load-*"):
        if old != fresh:
            shutil.rmtree(old, ignore_errors=True)
    return Loaded(root, triples, True, time.perf_counter() - started)


class _Counting:
    """A binary file whose reads are reported to ``progress`` (pyoxigraph reads through ``read``)."""

    def __init__(self, handle, progress: Callable[[int], None]):
        self.handle, self.progress = handle, progress

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.progress(len(data))
        return data


def _bulk_load(db: ox.Store, file: Path, progress: Callable[[int], None] | None) -> None:
    fmt = ox.RdfFormat.from_extension(file.suffix.lstrip(".")) if file.suffix else None
    if fmt is None:
        raise KzError(f"{file}: unknown RDF format (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)")
    try:
        vet(file, fmt.name)
        with open(file, "rb") as handle:
            source = _Counting(handle, progress) if progress else handle
            db.bulk_load(source, fmt, base_iri=file.resolve().as_uri(), to_graph=ox.DefaultGraph())
    except FileNotFoundError:
        raise KzError(f"{file}: no such file") from None
    except PermissionError:
        raise KzError(f"{file}: permission denied (cannot read the file)") from None
    except (SyntaxError, MemoryError) as exc:
        raise syntax_error(file, fmt.name, exc) from None


def syntax_error(file: Path, fmt: str, exc: SyntaxError | MemoryError) -> KzError:
    """Oxigraph's parse error as ``FILE:LINE:COLUMN: FORMAT syntax error: why``.

    A ``MemoryError`` other than Oxigraph's word for a term over its buffer is raised again.
    """
    if _BUFFER in str(exc):
        return too_long(file)
    if isinstance(exc, MemoryError):
        raise exc
    return KzError(f"{file}:{_position(exc)} {fmt} syntax error: {_why(exc)}")


def _position(exc: SyntaxError) -> str:
    # pyoxigraph: "Parser error at line 4 column 6: … (line 4)"
    words = str(exc).split()
    try:
        return f"{int(words[words.index('line') + 1])}:{int(words[words.index('column') + 1].rstrip(':'))}:"
    except (ValueError, IndexError):
        return ""


def _why(exc: SyntaxError) -> str:
    # "Parser error between line 2 column 27 and line 3 column 1: Unexpected end of file (bad.nt, line 2)"
    text = re.sub(r" \((?:[^()]*, )?line \d+\)$", "", str(exc))
    return text.split(": ", 1)[1] if text.startswith("Parser error ") and ": " in text else text


def open_graph(path: str | os.PathLike, files: list[Path] | None = None) -> Graph:
    """The graph of the store at ``path``, read-only; SPARQL runs natively in Oxigraph.

    ``files``, when given, must be what the store was loaded from (else the user forgot a ``load``).
    """
    root = Path(path)
    live = manifest(root)
    if live is None:
        raise KzError(f"oxigraph:{root}: no kzgraph store here; fill it with `kzgraph load --store oxigraph:{root}`")
    if files is not None and [f["path"] for f in live["files"]] != [str(Path(f).resolve()) for f in files]:
        raise KzError(f"oxigraph:{root} was loaded from other files; "
                      f"run `kzgraph load --store oxigraph:{root} --data …` with the data you want")
    try:
        db = ox.Store.read_only(str(Path(live["dir"]) / "db"))
    except OSError as exc:
        raise KzError(f"oxigraph:{root}: cannot open the store: {exc}") from None
    return bind_prefixes(oxigraph_graph(db))
