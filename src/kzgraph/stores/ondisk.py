"""``--store oxigraph:PATH``: an on-disk Oxigraph store, loaded once, then read by every command.

PATH holds one directory per load (``load-…``: the Oxigraph database ``db/`` and ``manifest.json``
listing the files loaded with their SHA-256 and the triple count) and a ``CURRENT`` file naming the
live one. A load fills a fresh directory and then replaces ``CURRENT`` atomically, so a reader or a
crash midway sees the old store or the new one, never a mix (a reader that loses the race with the
removal of the old one reads ``CURRENT`` again), and loading the same files twice gives the same store
(it is not even rebuilt unless forced). One load at a time holds the lock file ``kzgraph.lock``; a
second one stops with one line.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..atomic import write_atomic
from ..errors import KzError
from ..guard import too_long, vet
from ..utf8 import skip_bom
from .answer import Answer
from .base import LOAD, LOCAL, PERSISTENT, Loaded, Progress, Store
from .memory import file_digest
from .oxengine import execute

CURRENT = "CURRENT"
LOCK = "kzgraph.lock"
_ATTEMPTS = 3  # readers racing a load: how often to re-read CURRENT
MANIFEST = "manifest.json"
_BUFFER = "buffer maximal size"  # Oxigraph's message for a term over guard.MAX_TERM


def fingerprint(files: list[Path]) -> list[dict]:
    """The files as a manifest records them: resolved path and SHA-256, in load order."""
    return [{"path": str(Path(f).resolve()), "sha256": file_digest(f)} for f in files]


def manifest(path: str | os.PathLike) -> dict | None:
    """The manifest of the live load in the store at ``path`` (``None``: never loaded).

    A manifest that cannot be read or is not what a load writes raises :class:`KzError`.
    """
    root = Path(path)
    try:
        live = root / (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise damaged(root, f"{CURRENT}: {exc}") from None
    try:
        record = json.loads((live / MANIFEST).read_text(encoding="utf-8"))
        if not (isinstance(record, dict) and isinstance(record.get("triples"), int)
                and isinstance(record.get("files"), list)
                and all(isinstance(f, dict) and {"path", "sha256"} <= f.keys() for f in record["files"])):
            raise ValueError("not a kzgraph manifest")
    except (OSError, ValueError) as exc:
        raise damaged(root, f"{live.name}/{MANIFEST}: {exc}") from None
    return record | {"dir": str(live)}


def damaged(root: Path, why: str) -> KzError:
    """The error for a store whose files are damaged: say what, and how to rebuild it."""
    return KzError(f"oxigraph:{root}: the store is damaged ({' '.join(why.split())});"
                   f" rebuild it with `kzgraph load --store oxigraph:{root} --force`")


def _open(root: Path, live: dict) -> ox.Store:
    """The live database of the store at ``root``, read-only; a damaged one raises :class:`KzError`."""
    try:
        return ox.Store.read_only(str(Path(live["dir"]) / "db"))
    except (OSError, RuntimeError) as exc:  # RocksDB's "Corruption: …" is a RuntimeError
        raise damaged(root, str(exc)) from None


@contextmanager
def _only_writer(root: Path):
    """Hold the store's lock file for one load: a second load at the same time stops with one line."""
    import fcntl

    with open(root / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KzError(f"oxigraph:{root}: another `kzgraph load` is filling this store;"
                          " run this one when it is done") from None
        yield


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
    root.mkdir(parents=True, exist_ok=True)
    with _only_writer(root):
        try:
            live = manifest(root)
            if live and live["files"] == wanted and not force:
                _open(root, live)
                return Loaded(f"oxigraph:{root}", live["triples"], False, time.perf_counter() - started, "bulk load")
        except KzError:  # damaged: rebuild it
            pass
        return _fill(root, files, wanted, progress, started)


def _fill(root: Path, files: list[Path], wanted: list[dict], progress, started: float) -> Loaded:
    """Load ``files`` into a fresh directory, publish it in ``CURRENT``, remove every other load."""
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
    return Loaded(f"oxigraph:{root}", triples, True, time.perf_counter() - started, "bulk load")


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
            skip_bom(handle)  # as rdflib does
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
    why = text.split(": ", 1)[1] if text.startswith("Parser error ") and ": " in text else text
    return " ".join(why.split())  # it may quote the offending text, newlines and all


def open_live(root: Path, files: Sequence[Path] | None = None) -> ox.Store:
    """The live database of the store at ``root``, read-only.

    ``files``, when given, must be what the store was loaded from (else the user forgot a ``load``).
    """
    for attempt in range(_ATTEMPTS):
        before = _current(root)
        try:
            live = manifest(root)
            if live is None:
                raise KzError(f"oxigraph:{root}: no kzgraph store here;"
                              f" fill it with `kzgraph load --store oxigraph:{root}`")
            if files is not None and [f["path"] for f in live["files"]] != [str(Path(f).resolve()) for f in files]:
                raise KzError(f"oxigraph:{root} was loaded from other files; "
                              f"run `kzgraph load --store oxigraph:{root} --data …` with the data you want")
            return _open(root, live)
        except KzError:
            # a load switched CURRENT and removed the load it named while we read it: read the new one
            if attempt == _ATTEMPTS - 1 or _current(root) == before:
                raise
    raise AssertionError("unreachable")


class OnDiskStore(Store):
    """An on-disk Oxigraph store (RocksDB), opened read-only; SPARQL runs natively in Oxigraph."""

    kind = "oxigraph"
    usage = "oxigraph:PATH  an on-disk Oxigraph store in PATH, filled once by `kzgraph load`"
    capabilities = frozenset({LOAD, LOCAL, PERSISTENT})

    def __init__(self, root: Path, inner: ox.Store | None):
        super().__init__()
        self.root, self.inner = root, inner

    @classmethod
    def open(cls, where: str, files: Sequence[Path] | None = None) -> OnDiskStore:
        if not where:
            raise KzError("--store oxigraph: give the store's directory, e.g. oxigraph:kz.store")
        return cls(Path(where), open_live(Path(where), files))

    @classmethod
    def at(cls, where: str) -> OnDiskStore:
        """The store at ``where`` to be filled by :meth:`load` (it need not hold anything yet)."""
        return cls(Path(where), None)

    @property
    def spec(self) -> str:
        return f"oxigraph:{self.root}"

    def _live(self) -> ox.Store:
        if self.inner is None:
            self.inner = open_live(self.root)
        return self.inner

    def execute(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
                base_iri: str | None = None, form: str | None = None) -> Answer:
        try:
            return execute(self._live(), sparql, bindings, prefixes=self.prefixes, base_iri=base_iri, form=form)
        except RuntimeError as exc:  # RocksDB's "Corruption: …"
            if str(exc).startswith("Corruption"):
                raise damaged(self.root, str(exc)) from None
            raise

    def load(self, files: Sequence[Path], *, force: bool = False, progress: Progress | None = None) -> Loaded:
        self.inner = None  # closes the old database before a load may remove it
        loaded = load_store(self.root, list(files), force=force, progress=progress)
        self.changed()
        return loaded

    def graph(self):
        from ..namespaces import bind_prefixes
        from ..oxrdf import oxigraph_graph

        graph = oxigraph_graph(self._live())
        graph.store.on_damage = lambda why: damaged(self.root, why)
        return bind_prefixes(graph)

    def __len__(self) -> int:
        return len(self._live())


def _current(root: Path) -> str | None:
    try:
        return (root / CURRENT).read_text(encoding="utf-8")
    except OSError:
        return None
