"""Writing SELECT/ASK results in the SPARQL 1.1 results formats, or as an aligned table."""
from __future__ import annotations

import csv
import io
import json
import re

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.query import Result

FORMATS = ("table", "csv", "tsv", "json")


def rows(result: Result) -> tuple[list[str], list[list]]:
    """The variable names and the rows (``None`` for unbound) of a SELECT result."""
    names = [str(v) for v in result.vars]
    return names, [[row.get(v) for v in result.vars] for row in result.bindings]


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if result.type == "ASK":
        doc = {"head": {}, "boolean": bool(result.askAnswer)}
    else:
        names, table = rows(result)
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in table]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def to_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV Format (RFC 4180, CRLF line ends, plain values)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.type == "ASK":
        writer.writerows([["_askResult"], [str(bool(result.askAnswer)).lower()]])
        return buf.getvalue()
    names, table = rows(result)
    writer.writerow(names)
    for row in table:
        writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row])
    return buf.getvalue()


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV Format (terms in Turtle syntax)."""
    if result.type == "ASK":
        return f"?_askResult\n{str(bool(result.askAnswer)).lower()}\n"
    names, table = rows(result)
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else _turtle_term(t) for t in row) for row in table]
    return "\n".join(lines) + "\n"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _turtle_term(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = f'"{str(term).translate(_ESCAPES)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^<{term.datatype}>"
    return text


def to_table(result: Result, namespaces: NamespaceManager | None = None, max_cell: int | None = None) -> list[str]:
    """Aligned plain-text lines: a header, a rule, one line per row; IRIs as prefixed names.

    With ``max_cell``, longer cells are cut to that many characters, ending in "…", and a last
    line says so.
    """
    if result.type == "ASK":
        return ["ask", "---", str(bool(result.askAnswer)).lower()]
    names, table = rows(result)
    cells = [[cell(t, namespaces) for t in row] for row in table]
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


def cell(term, namespaces: NamespaceManager | None = None) -> str:
    """``term`` as a table shows it: IRIs as prefixed names, literals on one line, unbound as "",
    control characters escaped (:func:`printable`)."""
    if term is None:
        return ""
    if isinstance(term, URIRef) and namespaces is not None:
        try:
            return printable(namespaces.normalizeUri(term).strip("<>"))
        except Exception:
            return printable(str(term))
    if isinstance(term, Literal):
        return printable(" ".join(str(term).split()))
    return printable(str(term))


#: what a terminal would act on rather than show: C0 and C1 controls but the newline, DEL,
#: line and paragraph separators, and the bidirectional overrides that reorder what follows
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with each control character written ``\\uXXXX`` (as Turtle, SPARQL and JSON read it), so
    that data cannot clear the screen, retitle the window or plant a link in the terminal."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_result(result: Result, fmt: str, namespaces: NamespaceManager | None = None,
                  max_cell: int | None = None) -> str:
    """Text of a SELECT/ASK ``result`` in ``fmt`` (one of :data:`FORMATS`); ``max_cell``: see :func:`to_table`."""
    if fmt == "table":
        return "\n".join(to_table(result, namespaces, max_cell)) + "\n"
    return {"csv": to_csv, "tsv": to_tsv, "json": to_json}[fmt](result)


def from_rows(names: list[str], table: list[list]) -> Result:
    """A SELECT result made in Python (``None`` = unbound; other values become literals), to format like any."""
    from rdflib import Variable

    result = Result("SELECT")
    result.vars = [Variable(n) for n in names]
    result.bindings = [
        {Variable(n): v if isinstance(v, (URIRef, Literal, BNode)) else Literal(v)
         for n, v in zip(names, row) if v is not None}
        for row in table
    ]
    return result
