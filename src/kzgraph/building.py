"""The main job: load, validate, and write the merged graph and its network view."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import describe
from .errors import KzError
from .exporting import export
from .stores import open_store
from .stores.memory import MemoryStore
from .sparql import query
from .validation import validate_graph


@dataclass
class BuildResult:
    """What :func:`build` wrote and found."""

    triples: int
    class_counts: list[tuple[str, int]]
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def class_counts(graph) -> list[tuple[str, int]]:
    """(prefixed class name, number of things) for each kz: class, most numerous first."""
    names = graph.namespace_manager
    return [(names.normalizeUri(row["class"]), int(row["count"])) for row in query(graph, name="class-counts")]


def require_valid(data: Iterable[str | os.PathLike] = (), store: MemoryStore | None = None) -> MemoryStore:
    """Load the bundled dataset and ``data`` (or take ``store``, loaded from them) and validate that graph;
    faults raise :class:`KzError` listing the first three. Returns the store, for the caller to write from."""
    store = open_store("memory", list(data)) if store is None else store
    report = validate_graph(store.graph(), store.files)
    if not report.conforms:
        shown = "; ".join(str(v) for v in report.violations[:3])
        more = f" (and {len(report.violations) - 3} more; run `kzgraph validate`)" if len(report.violations) > 3 else ""
        raise KzError(f"the data does not validate, nothing written: {shown}{more}")
    return store


def build(out_dir: str | os.PathLike = "build", data: Iterable[str | os.PathLike] = ()) -> BuildResult:
    """Load the ontology and data, validate them, and write ``kzgraph.ttl``, its VoID/DCAT description
    ``void.ttl`` and ``network.html`` into ``out_dir``.

    Nothing is written when the data does not validate: a :class:`KzError` lists the first faults.
    """
    # each file is read once (or not at all, from the start-up cache): the graph validated is the one written
    graph = require_valid(data).graph()
    out = Path(out_dir)
    result = BuildResult(triples=len(graph), class_counts=class_counts(graph))
    dump = export(graph, "turtle", out / "kzgraph.ttl")
    result.written.append(out / "kzgraph.ttl")
    export(describe(graph, {"turtle": ("kzgraph.ttl", dump)}), "turtle", out / "void.ttl")
    result.written.append(out / "void.ttl")
    try:
        from .view import write_view
    except ImportError:
        result.notes.append("network.html not written: this version has no HTML view yet")
    else:
        result.written.append(write_view(graph, out / "network.html"))
    return result
