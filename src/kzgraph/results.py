"""Writing answers in the SPARQL 1.1 results formats, or as an aligned table.

An answer straight from Oxigraph is written by Oxigraph (:meth:`kzgraph.stores.answer.Answer.write`);
the tables kzgraph builds itself (a command's folded rows) are written here in the same bytes, so that
every command prints one style. Terms may be pyoxigraph's or rdflib's; neither import is needed to
tell them apart (:func:`term_parts`).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping

import pyoxigraph as ox

from .prefixes import PREFIXES, short

FORMATS = ("table", "csv", "tsv", "json")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PLAIN = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def term_parts(term) -> tuple[str, str, str | None, str | None]:
    """``(kind, value, datatype, language)`` of a pyoxigraph or rdflib term; kind is uri, bnode or literal.

    A simple literal has neither datatype nor language.
    """
    if isinstance(term, ox.NamedNode):
        return "uri", term.value, None, None
    if isinstance(term, ox.BlankNode):
        return "bnode", term.value, None, None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return "literal", term.value, None if datatype in _PLAIN else datatype, term.language
    from rdflib import BNode, Literal, URIRef  # the term is rdflib's: it is imported already

    if isinstance(term, URIRef):
        return "uri", str(term), None, None
    if isinstance(term, BNode):
        return "bnode", str(term), None, None
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype and not term.language else None
        return "literal", str(term), None if datatype in _PLAIN else datatype, term.language
    return "literal", str(term), None, None  # a plain Python value a command computed


def table(result) -> tuple[list[str], list[list]]:
    """The variable names and rows (``None`` for unbound) of a SELECT answer or rdflib result."""
    if "vars" not in vars(result) and "bindings" not in vars(result) and hasattr(result, "rows"):
        return list(result.variables), [list(row) for row in result.rows]
    names = [str(v) for v in result.vars]
    return names, [[row.get(v) for v in result.vars] for row in result.bindings]


def _boolean(result) -> bool:
    return bool(getattr(result, "boolean", None) if hasattr(result, "form") else result.askAnswer)


def to_json(result) -> str:
    """SPARQL 1.1 Query Results JSON Format, written as Oxigraph writes it."""
    if result.type == "ASK":
        doc = {"head": {}, "boolean": _boolean(result)}
    else:
        names, rows = table(result)
        doc = {"head": {"vars": names},
               "results": {"bindings": [{n: _json_term(t) for n, t in zip(names, row) if t is not None}
                                        for row in rows]}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _json_term(term) -> dict:
    kind, value, datatype, language = term_parts(term)
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype:
        out["datatype"] = datatype
    return out


def to_csv(result) -> str:
    """SPARQL 1.1 Query Results CSV Format (RFC 4180, CRLF line ends, plain values)."""
    if result.type == "ASK":
        return str(_boolean(result)).lower()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    names, rows = table(result)
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if t is None else _csv_term(t) for t in row])
    return buf.getvalue()


def _csv_term(term) -> str:
    kind, value, _, _ = term_parts(term)
    return f"_:{value}" if kind == "bnode" else value


def to_tsv(result) -> str:
    """SPARQL 1.1 Query Results TSV Format (terms in Turtle syntax, numbers and booleans bare)."""
    if result.type == "ASK":
        return str(_boolean(result)).lower()
    names, rows = table(result)
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else turtle_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_BARE = {_XSD + "integer": re.compile(r"[+-]?\d+"), _XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
         _XSD + "boolean": re.compile(r"true|false")}


def turtle_term(term) -> str:
    """``term`` in Turtle (and SPARQL) syntax: ``<iri>``, ``_:b``, ``"text"@en``, ``"1"^^<…>``, ``42``."""
    kind, value, datatype, language = term_parts(term)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if datatype in _BARE and _BARE[datatype].fullmatch(value):
        return value
    text = f'"{value.translate(_ESCAPES)}"'
    if language:
        return f"{text}@{language}"
    return f"{text}^^<{datatype}>" if datatype else text


def write_rows(result, fmt: str) -> bytes:
    """A SELECT/ASK answer in ``fmt`` (json, csv or tsv), as bytes."""
    writers = {"json": to_json, "csv": to_csv, "tsv": to_tsv}
    if fmt not in writers:
        raise ValueError(f"kzgraph writes its own tables as {', '.join(writers)}, not {fmt}")
    return writers[fmt](result).encode("utf-8")


def to_table(result, prefixes: Mapping[str, str] | None = None, max_cell: int | None = None) -> list[str]:
    """Aligned plain-text lines: a header, a rule, one line per row; IRIs as prefixed names.

    With ``max_cell``, longer cells are cut to that many characters, ending in "…", and a last
    line says so.
    """
    if result.type == "ASK":
        return ["ask", "---", str(_boolean(result)).lower()]
    names, rows = table(result)
    cells = [[cell(t, prefixes) for t in row] for row in rows]
    cut = max_cell is not None and any(len(c) > max_cell for r in cells for c in r)
    if cut:
        cells = [[c if len(c) <= max_cell else c[: max_cell - 1] + "…" for c in r] for r in cells]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]

    def line(values):
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    if cut:
        out.append(f"(text cut at {max_cell} characters; --format csv or json gives it in full)")
    return out


def cell(term, prefixes: Mapping[str, str] | None = PREFIXES) -> str:
    """``term`` as a table shows it: IRIs as prefixed names, literals on one line, unbound as "",
    control characters escaped (:func:`printable`)."""
    if term is None:
        return ""
    kind, value, _, _ = term_parts(term)
    if kind == "uri":
        return printable(short(value, prefixes if prefixes is not None else PREFIXES))
    if kind == "literal":
        return printable(" ".join(value.split()))
    return printable(value)


#: what a terminal would act on rather than show: C0 and C1 controls but the newline, DEL,
#: line and paragraph separators, and the bidirectional overrides that reorder what follows
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with each control character written ``\\uXXXX`` (as Turtle, SPARQL and JSON read it), so
    that data cannot clear the screen, retitle the window or plant a link in the terminal."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_result(result, fmt: str, prefixes: Mapping[str, str] | None = None, max_cell: int | None = None) -> str:
    """Text of a SELECT/ASK ``result`` in ``fmt`` (one of :data:`FORMATS`); ``max_cell``: see :func:`to_table`."""
    if fmt == "table":
        return "\n".join(to_table(result, prefixes, max_cell)) + "\n"
    return write_rows(result, fmt).decode("utf-8")


def from_rows(names: list[str], rows: list[list]):
    """A SELECT answer made in Python (``None`` = unbound; numbers, strings and dates become literals)."""
    from .stores.answer import Answer

    return Answer("SELECT", variables=names, rows=[tuple(as_term(v) for v in row) for row in rows])


def as_term(value):
    """``value`` as a pyoxigraph term: terms (either library's) as they are, Python values as literals."""
    if value is None or isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    if isinstance(value, str) and type(value) is str:
        return ox.Literal(value)
    from .oxrdf import to_ox

    return to_ox(value)
