"""``kzgraph release``: a versioned, checksummed copy of the data, its description and a changelog.

A release lives in ``DIR/{version}/``: the graph in every RDF format (``kzgraph-{version}.ttl`` …),
``void.ttl``, ``SHA256SUMS`` and ``CHANGELOG.md`` (statements added, removed and changed per class
since the previous release, the highest version in ``DIR`` below this one). Published IRIs are
stable: :func:`lost_iris` names every thing of a release that a later graph drops without retiring
it (``owl:deprecated true`` and a ``dcterms:isReplacedBy`` that the later graph describes).
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from .atomic import write_atomic
from .dataset import BASE, describe
from .errors import KzError
from .exporting import serialize
from .namespaces import bind_prefixes
from .sparql import query
from .prefixes import prefixes_of
from .results import cell
from .version import DATA_VERSION

#: the release's dumps: kzgraph.export format → suffix
DUMPS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "xml": "rdf", "trig": "trig"}
_VERSION = re.compile(r"\d+(?:\.\d+)*")


@dataclass
class Change:
    """Statements added, removed and changed (same subject and property, another value) of one class."""

    added: int = 0
    removed: int = 0
    changed: int = 0


def versions(directory: Path) -> list[str]:
    """The releases in ``directory`` (folders named by version, each with its N-Triples dump), oldest first."""
    found = [p.name for p in directory.iterdir() if _VERSION.fullmatch(p.name) and dump_path(p).is_file()] \
        if directory.is_dir() else []
    return sorted(found, key=_order)


def _order(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def dump_path(release_dir: Path) -> Path:
    """The N-Triples dump of the release in ``release_dir``."""
    return release_dir / f"kzgraph-{release_dir.name}.nt"


def read_release(release_dir: Path) -> Graph:
    """The graph of the release in ``release_dir``."""
    path = dump_path(release_dir)
    if not path.is_file():
        raise KzError(f"{release_dir}: not a kzgraph release (no {path.name})")
    return bind_prefixes(Graph()).parse(path, format="nt")


def _things(graph: Graph) -> set[URIRef]:
    return {row["thing"] for row in query(graph, name="things").bindings}


def lost_iris(previous: Graph, current: Graph) -> list[str]:
    """One line for each thing of ``previous`` that ``current`` no longer describes and has not retired
    (``owl:deprecated true`` with a ``dcterms:isReplacedBy`` that ``current`` describes); [] when none."""
    now = _things(current)
    replacements: dict[URIRef, list[URIRef]] = {}
    for row in query(current, name="deprecated").bindings:
        replacements.setdefault(row["thing"], [])
        if row.get("replacement") is not None:
            replacements[row["thing"]].append(row["replacement"])
    names = prefixes_of(previous)
    lost = []
    for thing in sorted(_things(previous)):
        if thing in replacements:
            if not replacements[thing]:
                lost.append(f"{cell(thing, names)}: deprecated without dcterms:isReplacedBy")
            elif not any(r in now for r in replacements[thing]):
                targets = ", ".join(cell(r, names) for r in replacements[thing])
                lost.append(f"{cell(thing, names)}: replaced by {targets}, which the graph does not describe")
        elif thing not in now:
            lost.append(f"{cell(thing, names)}: gone without owl:deprecated and dcterms:isReplacedBy")
    return lost


def _kinds(graph: Graph) -> dict[URIRef, str]:
    """Each subject → its kz: classes as prefixed names ("kz:Person"), or "ontology" / "other"."""
    classes: dict[URIRef, set[str]] = {}
    for row in query(graph, name="subject-classes").bindings:
        found = classes.setdefault(row["subject"], set())
        if row.get("class") is not None:
            found.add(cell(row["class"], prefixes_of(graph)))
    return {subject: ", ".join(sorted(found)) or ("ontology" if str(subject).startswith(BASE + "ontology") else "other")
            for subject, found in classes.items()}


def changes(previous: Graph, current: Graph) -> dict[str, Change]:
    """Statement changes per class of their subject (its kz: classes, in the current graph if it has any)."""
    kinds = _kinds(previous) | _kinds(current)
    added, removed = set(current) - set(previous), set(previous) - set(current)
    pairs = {(s, p) for s, p, _ in added} & {(s, p) for s, p, _ in removed}
    counts = {
        "added": Counter(kinds.get(s, "other") for s, p, _ in added if (s, p) not in pairs),
        "removed": Counter(kinds.get(s, "other") for s, p, _ in removed if (s, p) not in pairs),
        "changed": Counter(kinds.get(s, "other") for s, _ in pairs),
    }
    classes = sorted(set().union(*counts.values()))
    return {kind: Change(*(counts[field][kind] for field in ("added", "removed", "changed"))) for kind in classes}


def changelog(version: str, previous_version: str | None, previous: Graph | None, current: Graph) -> str:
    """The text of ``CHANGELOG.md`` for ``version`` against ``previous`` (None: the first release)."""
    lines = [f"# kzgraph data {version}", "", f"{len(current):,} triples."]
    if previous is None:
        return "\n".join([*lines, "", "The first release.", ""])
    names = prefixes_of(current)
    table = changes(previous, current)
    lines += ["", f"Changes since {previous_version} ({len(previous):,} triples): statements added, removed, and "
              "changed (the same subject and property with another value), by the class of their subject.", ""]
    if table:
        lines += ["| class | added | removed | changed |", "|---|---:|---:|---:|"]
        lines += [f"| {kind} | {c.added} | {c.removed} | {c.changed} |" for kind, c in table.items()]
        total = Change(*(sum(getattr(c, f) for c in table.values()) for f in ("added", "removed", "changed")))
        lines.append(f"| **all** | {total.added} | {total.removed} | {total.changed} |")
    else:
        lines.append("No statement changed.")
    before, after = _things(previous), _things(current)
    for title, things in (("New things", after - before), ("Things no longer described", before - after)):
        if things:
            lines += ["", f"{title}:", "", *(f"- {cell(t, names)}" for t in sorted(things))]
    retired = [row for row in query(current, name="deprecated").bindings if row["thing"] in before]
    if retired:
        lines += ["", "Retired IRIs (owl:deprecated), with what replaces them:", ""]
        lines += [f"- {cell(r['thing'], names)} → {cell(r.get('replacement'), names) or '(nothing named)'}"
                  for r in retired]
    return "\n".join(lines) + "\n"


def release(graph: Graph, out_dir: str | os.PathLike, *, version: str = DATA_VERSION,
            previous: str | os.PathLike | None = None) -> tuple[Path, list[Path]]:
    """Write the release ``version`` of ``graph`` into ``out_dir/version``; return that folder and the files.

    ``previous`` is the release to compare with (default: the highest version in ``out_dir`` below
    ``version``). A release folder is never changed: writing it again with other data raises
    :class:`KzError` (bump :data:`kzgraph.version.DATA_VERSION`), with the same data it is left as it is.
    """
    if not _VERSION.fullmatch(version):
        raise KzError(f"release version {version!r}: expected numbers and dots, e.g. 0.2.0")
    root = Path(out_dir)
    target = root / version
    if previous is None:
        earlier = [v for v in versions(root) if _order(v) < _order(version)]
        previous_dir = root / earlier[-1] if earlier else None
    else:
        previous_dir = Path(previous)
    old = read_release(previous_dir) if previous_dir is not None else None
    if old is not None and (lost := lost_iris(old, graph)):
        more = f" (and {len(lost) - 3} more)" if len(lost) > 3 else ""
        raise KzError(f"IRIs of release {previous_dir.name} would disappear: {'; '.join(lost[:3])}{more}")

    base = f"{BASE}releases/{version}/"
    files = {f"kzgraph-{version}.{suffix}": serialize(graph, fmt) for fmt, suffix in DUMPS.items()}
    dumps = {fmt: (f"kzgraph-{version}.{suffix}", files[f"kzgraph-{version}.{suffix}"]) for fmt, suffix in DUMPS.items()}
    files["void.ttl"] = serialize(describe(graph, dumps, base=base, version=version), "turtle")
    files["CHANGELOG.md"] = changelog(version, previous_dir.name if previous_dir else None, old, graph).encode("utf-8")
    files["SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                  for name, data in sorted(files.items())).encode("utf-8")
    if target.exists():
        differ = [name for name, data in files.items()
                  if not (target / name).is_file() or (target / name).read_bytes() != data]
        if differ:
            raise KzError(f"{target} is already released with other data ({', '.join(differ)} differ): "
                          "bump DATA_VERSION in kzgraph/version.py for a new release")
        return target, []
    return target, [write_atomic(target / name, data) for name, data in files.items()]
