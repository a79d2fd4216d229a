"""Parsing RDF files into an rdflib graph with rdflib's reference parsers, faults said in one line."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from rdflib import Graph

from .errors import KzError
from .guard import vet
from .namespaces import bind_prefixes
from .resources import rdf_format
from .utf8 import not_utf8, skip_bom

PathLike = str | os.PathLike


def parse_file(path: PathLike, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph`` (a new one by default); syntax errors become :class:`KzError`."""
    path = Path(path)
    graph = bind_prefixes(Graph()) if graph is None else graph
    fmt = rdf_format(path.name) or "turtle"
    try:
        vet(path, fmt)
        with TermWarnings() as warned:
            _parse(path, fmt, graph)
    except FileNotFoundError:
        raise KzError(f"{path}: no such file or directory") from None
    except PermissionError:
        raise KzError(f"{path}: permission denied (cannot read the file)") from None
    except KzError:
        raise
    except UnicodeDecodeError:  # its position is in rdflib's buffer, not the file: look again
        raise KzError(not_utf8(path)) from None
    except Exception as exc:  # rdflib's parsers raise many types; all mean "bad file"
        raise KzError(f"{path}:{_error_line(exc, path)} {fmt} syntax error: {_why(exc)}") from None
    for message in warned.messages:
        if message.endswith(_BAD_IRI):  # rdflib keeps it, and every writer and Oxigraph then fail on it
            raise KzError(f"{path}: <{message[:-len(_BAD_IRI)]}> is not a valid IRI")
    if warned.messages:  # rdflib keeps "2019-02-30"^^xsd:date as if it were a date
        term = next(t for _, _, t in graph if getattr(t, "ill_typed", False))
        raise KzError(f"{path}: {term.n3(graph.namespace_manager)} is not a valid"
                      f" {graph.namespace_manager.normalizeUri(term.datatype)}")
    return graph


_BAD_IRI = " does not look like a valid URI, trying to serialize this will break."


def _parse(path: Path, fmt: str, graph: Graph) -> None:
    if fmt == "nt":
        _parse_ntriples(path, graph)
    else:
        graph.parse(path, format=fmt)


class TermWarnings(logging.Handler):
    """Within ``with``: collects rdflib's warnings about the terms it makes (an ill-typed literal, with a
    traceback; an IRI that is not one) in ``messages``, instead of printing them."""

    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        self.logger = logging.getLogger("rdflib.term")
        self.propagate, self.logger.propagate = self.logger.propagate, False
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.propagate = self.propagate


def _parse_ntriples(path: Path, graph: Graph) -> None:
    """N-Triples through Oxigraph's parser: rdflib's is quadratic in line length (a 4 MB literal: minutes)."""
    import pyoxigraph as ox

    from .stores.ondisk import syntax_error
    from .oxrdf import from_ox

    try:
        with open(path, "rb") as handle:
            graph.addN((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), graph)
                       for q in ox.parse(skip_bom(handle), format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, MemoryError) as exc:
        raise syntax_error(path, "nt", exc) from None


def _error_line(exc: Exception, path: Path) -> str:
    line = getattr(exc, "lines", None)  # notation3.BadSyntax counts newlines before the fault
    if isinstance(line, int):
        return f"{line + 1}:"
    if hasattr(exc, "getLineNumber"):  # RDF/XML: xml.sax.SAXParseException
        return f"{exc.getLineNumber()}:{exc.getColumnNumber()}:"
    line = getattr(exc, "lineno", None) or getattr(exc, "line", None)
    if isinstance(line, int):
        return f"{line}:"
    # N-Triples says only "Invalid line: <the rest of it>": find that line
    rest = str(exc).partition("Invalid line: ")[2].strip()
    if rest:
        with open(path, encoding="utf-8") as lines:
            for number, text in enumerate(lines, 1):
                if text.strip().endswith(rest):
                    return f"{number}:"
    return ""


def _why(exc: Exception) -> str:
    sax = getattr(exc, "getMessage", None)  # its str() repeats the file and position
    why = getattr(exc, "_why", None) or (sax and sax()) or str(exc) or type(exc).__name__
    return " ".join(str(why).split())
