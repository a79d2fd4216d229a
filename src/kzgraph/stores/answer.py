"""A query's answer as its engine gave it, in pyoxigraph terms, written by Oxigraph's own serializers.

An :class:`Answer` also reads like an rdflib ``Result`` (``type``, ``vars``, ``bindings``, ``askAnswer``,
``graph``, iteration), converting to rdflib terms only when one of those is first asked for, so that
``kzgraph query`` can print an answer without importing rdflib.
"""
from __future__ import annotations

from functools import cached_property

import pyoxigraph as ox

#: results format name → Oxigraph's format (SELECT and ASK)
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: RDF format name → Oxigraph's format (CONSTRUCT and DESCRIBE)
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


class Answer:
    """A SELECT table, an ASK boolean, or the triples of a CONSTRUCT/DESCRIBE.

    ``form`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; ``variables`` the SELECT's names.
    An answer built from an unread :class:`pyoxigraph.QuerySolutions` is written by Oxigraph straight
    from it (``write``); once its rows are read, :mod:`kzgraph.results` writes them the same way.
    """

    def __init__(self, form: str, *, variables: list[str] | None = None, solutions=None,
                 rows: list[tuple] | None = None, boolean: bool | None = None, triples=None):
        self.form = form
        self.variables = list(variables or ())
        self._solutions = solutions  # an unread pyoxigraph QuerySolutions, or None
        self._rows = rows
        self.boolean = boolean
        self._triples = triples
        #: what to say when there are no rows ("Nobody held …"), where the asker words it
        self.empty: str | None = None

    @classmethod
    def from_oxigraph(cls, result, form: str | None = None) -> Answer:
        """The answer of a pyoxigraph query (``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``)."""
        if isinstance(result, ox.QueryBoolean):
            return cls("ASK", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            return cls("SELECT", variables=[v.value for v in result.variables], solutions=result)
        return cls(form or "CONSTRUCT", triples=result)

    # -- the engine's terms ------------------------------------------------------------------------
    @property
    def rows(self) -> list[tuple]:
        """The SELECT rows: one tuple per solution, a pyoxigraph term or ``None`` per variable."""
        if self._rows is None:
            solutions, self._solutions = self._solutions, None
            self._rows = [tuple(s) for s in solutions] if solutions is not None else []
        return self._rows

    @property
    def triples(self) -> list:
        """The CONSTRUCT/DESCRIBE triples (pyoxigraph ``Triple``s)."""
        if not isinstance(self._triples, list):
            self._triples = list(self._triples or ())
        return self._triples

    def read(self) -> Answer:
        """Read the whole answer now (so that evaluation errors surface here); returns itself."""
        if self.form == "SELECT":
            self.rows
        elif self.form in ("CONSTRUCT", "DESCRIBE"):
            self.triples
        return self

    def write(self, fmt: str) -> bytes:
        """The answer in ``fmt``: json, xml, csv or tsv for SELECT/ASK; turtle, nt, jsonld or xml for graphs."""
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            from ..prefixes import PREFIXES

            # in term order: engines hand out triples in their own order, and the text should not depend on it
            triples = sorted(self.triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            return ox.serialize(triples, format=GRAPH_FORMATS[fmt],
                                prefixes=PREFIXES if fmt == "turtle" else None) or b""
        if self._solutions is not None:
            solutions, self._solutions = self._solutions, None
            return solutions.serialize(format=RESULT_FORMATS[fmt])
        from ..results import write_rows

        return write_rows(self, fmt)

    # -- rdflib's Result API -------------------------------------------------------------------------
    @property
    def type(self) -> str:
        return self.form

    @cached_property
    def vars(self) -> list:
        from rdflib import Variable

        return [Variable(v) for v in self.variables]

    @cached_property
    def bindings(self) -> list[dict]:
        from rdflib import Variable

        from ..oxrdf import Solution, from_ox

        names = [Variable(v) for v in self.variables]
        return [Solution((n, from_ox(t)) for n, t in zip(names, row) if t is not None) for row in self.rows]

    @property
    def askAnswer(self) -> bool | None:  # noqa: N802 (rdflib's name)
        return self.boolean

    @cached_property
    def graph(self):
        from rdflib import Graph

        from ..oxrdf import from_ox

        graph = Graph()
        for t in self.triples:
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return graph

    def __iter__(self):
        if self.form == "ASK":
            yield bool(self.boolean)
        elif self.form == "SELECT":
            from rdflib.query import ResultRow

            for binding in self.bindings:
                yield ResultRow(binding, self.vars)
        else:
            yield from self.graph

    def __len__(self) -> int:
        if self.form == "ASK":
            return 1
        return len(self.bindings) if self.form == "SELECT" else len(self.triples)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ASK" else len(self) > 0
