"""SHACL validation of the dataset against ``ontology/shapes.ttl``, reported in plain words."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from .errors import KzError
from .parsing import parse_file
from .resources import dataset_files
from .namespaces import bind_prefixes
from .resources import ONTOLOGY_FILE, SHAPES_FILE, data_files


@dataclass(frozen=True)
class Violation:
    """One fault: the file it is in, the thing at fault (prefixed name) and what is wrong."""

    file: str
    focus: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.focus, self.message) if part)


@dataclass
class Report:
    """The outcome of :func:`validate`."""

    files: list[Path]
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations


def validate(
    paths: Iterable[str | os.PathLike] | None = None,
    *,
    data: Iterable[str | os.PathLike] = (),
    shapes: str | os.PathLike = SHAPES_FILE,
) -> Report:
    """Parse and SHACL-check ``paths`` (files or directories; default: the bundled dataset plus ``data``).

    The ontology is always used for the class hierarchy. A file that does not parse is reported
    as a violation naming its line; the other files are still checked.
    """
    paths = list(paths or ())
    files = dataset_files(paths, bundled=False) if paths else dataset_files(data)
    report = Report(files=files)
    data_graph = bind_prefixes(Graph())
    for path in files:
        try:
            parse_file(path, data_graph)
        except KzError as exc:
            report.violations.append(Violation("", "", str(exc)))
    if report.violations:
        return report
    ontology = None if ONTOLOGY_FILE in files else parse_file(ONTOLOGY_FILE)  # for the class hierarchy
    report.violations.extend(_shacl(data_graph, shapes, lambda: _origins(files), ontology))
    return report


def validate_graph(graph: Graph, files: list[Path], *, shapes: str | os.PathLike = SHAPES_FILE) -> Report:
    """SHACL-check a graph already loaded from ``files`` (ontology included), without reading them again;
    the files are read only to say which one a fault is in."""
    report = Report(files=list(files))
    plain = bind_prefixes(Graph())  # pyshacl wraps its data graph in a Dataset: rdflib's own store
    plain += graph
    report.violations.extend(_shacl(plain, shapes, lambda: _origins(files)))
    return report


def _origins(files: list[Path]) -> dict:
    """Which files state each subject, and each subject with each predicate (read when there are faults)."""
    origin: dict = {}
    for path in files:
        for subject, predicate in parse_file(path).subject_predicates():
            origin.setdefault(subject, []).append(str(path))
            origin.setdefault((subject, predicate), []).append(str(path))
    return origin


def _shacl(data_graph: Graph, shapes_file, origins, ontology: Graph | None = None) -> list[Violation]:
    """The faults SHACL finds in ``data_graph`` (RDFS inference reads the class hierarchy there, or in
    ``ontology``); ``origins()`` says which files state what, asked only when there are faults."""
    import pyshacl

    shapes_graph = parse_file(shapes_file)
    _, results, text = pyshacl.validate(
        data_graph, shacl_graph=shapes_graph, ont_graph=ontology, inference="rdfs",
        advanced=True, allow_warnings=True,
    )
    if not isinstance(results, Graph):  # pyshacl reports a broken shape instead of validating
        raise KzError(f"{shapes_file}: the shapes could not be run: {' '.join(str(text).split())}")
    found = set()
    focused = list(results.subjects(SH.focusNode, None))
    origin = origins() if focused else {}
    for result in focused:
        focus = results.value(result, SH.focusNode)
        message = " ".join(str(results.value(result, SH.resultMessage) or "violates a shape").split())
        value = results.value(result, SH.value)
        if isinstance(value, URIRef):  # a {?value} in the message: named as everywhere else
            message = message.replace(str(value), _name(data_graph, value))
        path = results.value(result, SH.resultPath)
        if isinstance(path, URIRef) and _name(data_graph, path) not in message:
            message = f"{_name(data_graph, path)}: {message}"
        found.add(Violation(_blame(origin, focus, path), _name(data_graph, focus), message))
    return sorted(found, key=lambda v: (v.file, v.focus, v.message))


def _blame(origin: dict, focus, path) -> str:
    """The file a violation is in: of those stating ``focus`` ``path`` (else ``focus`` at all), the
    user's own over the bundled ones (a user's file restating an ontology term is at fault, not the
    ontology), else the first."""
    files = list(dict.fromkeys(origin.get((focus, path)) or origin.get(focus) or [""]))
    bundled = {str(f) for f in (ONTOLOGY_FILE, *data_files())}
    return next((f for f in files if f not in bundled), files[0])


def _name(graph: Graph, term) -> str:
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    return str(term)
