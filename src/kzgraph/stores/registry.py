"""The kinds of store, found under the ``kzgraph.stores`` entry-point group, and the one ``--store`` parser.

A package adds a kind by declaring, in its own ``pyproject.toml``::

    [project.entry-points."kzgraph.stores"]
    mykind = "mypackage.module:MyStore"     # a subclass of kzgraph.stores.Store

and ``--store mykind:…`` then opens it, with no change to kzgraph.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from ..errors import KzError
from .base import Store

GROUP = "kzgraph.stores"
#: the kinds kzgraph ships, in the order the help lists them (also declared as entry points)
BUILT_IN = {
    "memory": "kzgraph.stores.memory:MemoryStore",
    "oxigraph": "kzgraph.stores.ondisk:OnDiskStore",
    "sparql": "kzgraph.stores.remote:RemoteStore",
}


@lru_cache(maxsize=1)
def _declared() -> dict[str, str]:
    """Kind → ``module:Class``: the built-in kinds, then every installed entry point of :data:`GROUP`."""
    from importlib.metadata import entry_points

    found = dict(BUILT_IN)
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point.value)
    return found


def kinds() -> list[str]:
    """The names of every kind of store that can be opened."""
    return list(_declared())


def kind(name: str) -> type[Store]:
    """The Store class of the kind ``name``."""
    from importlib import import_module

    # a built-in kind needs no look at the installed entry points (reading them costs ~25 ms)
    declared = BUILT_IN if name in BUILT_IN else _declared()
    if name not in declared:
        raise KzError(f"unknown kind of store {name!r} (known: {', '.join(declared)})")
    module, _, attr = declared[name].partition(":")
    try:
        cls = getattr(import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise KzError(f"the store kind {name!r} ({declared[name]}) cannot be loaded: {exc}") from None
    if not (isinstance(cls, type) and issubclass(cls, Store)):
        raise KzError(f"the store kind {name!r} ({declared[name]}) is not a kzgraph.stores.Store")
    return cls


def parse_spec(spec: str) -> tuple[str, str]:
    """``KIND:WHERE`` (or a bare ``KIND``) as ``(kind, where)``; an unknown kind raises :class:`KzError`."""
    name, _, where = str(spec).partition(":")
    if name not in BUILT_IN and name not in _declared():
        raise KzError(f"--store {spec}: unknown store (use {usage_line()})")
    return name, where


def usage_line() -> str:
    """The spec forms of every kind: ``memory, oxigraph:PATH or sparql:URL``."""
    forms = [kind(name).usage.split()[0] if name in BUILT_IN else f"{name}:…" for name in kinds()]
    return ", ".join(forms[:-1]) + f" or {forms[-1]}" if len(forms) > 1 else forms[0]


def open_store(spec: str | Store | object = "memory", data: Iterable = (), *, bundled: bool = True) -> Store:
    """The store ``spec`` names, holding the ontology and bundled data plus ``data`` files or directories.

    ``spec`` is a ``--store`` spec (``memory``, ``oxigraph:PATH``, ``sparql:URL``, or an installed
    kind), a :class:`Store`, or a graph a notebook user already holds (an rdflib ``Graph`` or a
    pyoxigraph ``Store``), which is used as it is.
    """
    if isinstance(spec, Store):
        return spec
    if not isinstance(spec, str):
        from .held import held

        return held(spec)
    from ..resources import dataset_files

    name, where = parse_spec(spec)
    data = list(data)
    files: Sequence[Path] | None = dataset_files(data, bundled) if (data or name == "memory" or not bundled) else None
    return kind(name).open(where, files)
