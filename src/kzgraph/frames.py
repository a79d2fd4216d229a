"""Query and research results as pandas DataFrames (``pip install 'kzgraph[pandas]'``)."""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import KzError

INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
            XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
            XSD.unsignedByte}
DECIMALS = {XSD.decimal, XSD.double, XSD.float}
DATES = {XSD.date, XSD.gYearMonth, XSD.gYear}


def to_dataframe(result):
    """``result`` as a :class:`pandas.DataFrame`, one column per projected variable, one row per row.

    ``result``: what :func:`kzgraph.query` or a :mod:`kzgraph.research` function returns (a SELECT;
    an ASK gives one column ``ask``; a CONSTRUCT or DESCRIBE graph gives ``subject``, ``predicate``,
    ``object``), or a ``(names, rows)`` pair such as :func:`kzgraph.analyse.stats` returns.
    Integers become ``Int64``, decimals and doubles ``float64``, booleans ``boolean``; dates
    (xsd:date, gYearMonth, gYear) become ``datetime64`` at the first day they stand for, with a
    column ``<name>_precision`` (``year``, ``month``, ``day``) beside; IRIs become prefixed names
    (``kzr:nur-otan``) and other text ``string``; unbound cells are NA.
    """
    try:
        import pandas as pd
    except ImportError:
        raise KzError("kzgraph.to_dataframe needs pandas: pip install 'kzgraph[pandas]'") from None
    from .prefixes import PREFIXES
    from .results import from_rows

    if isinstance(result, tuple):
        result = from_rows(*result)
    if isinstance(result, Graph) or getattr(result, "type", None) in ("CONSTRUCT", "DESCRIBE"):
        graph = result if isinstance(result, Graph) else result.graph
        names, table = ["subject", "predicate", "object"], sorted(graph, key=lambda t: tuple(x.n3() for x in t))
    elif result.type == "ASK":
        return pd.DataFrame({"ask": pd.array([bool(result.askAnswer)], dtype="boolean")})
    else:
        names = [str(v) for v in result.vars]
        table = [[row.get(v) for v in result.vars] for row in result.bindings]
    namespaces = PREFIXES
    columns = {}
    for i, name in enumerate(names):
        columns.update(_column(name, [row[i] for row in table], namespaces, pd))
    return pd.DataFrame(columns, index=pd.RangeIndex(len(table)))


def _column(name: str, cells: list, namespaces, pd) -> dict:
    """The column (or, for dates, the two columns) that ``cells`` make."""
    from .dates import from_literal
    from .results import cell

    bound = [c for c in cells if c is not None]
    kinds = {c.datatype if isinstance(c, Literal) else type(c) for c in bound}
    if bound and kinds <= INTEGERS:
        return {name: pd.array([None if c is None else int(c) for c in cells], dtype="Int64")}
    if bound and kinds <= INTEGERS | DECIMALS:
        return {name: pd.array([float("nan") if c is None else float(c) for c in cells], dtype="float64")}
    if bound and kinds == {XSD.boolean}:
        return {name: pd.array([None if c is None else bool(c.toPython()) for c in cells], dtype="boolean")}
    if bound and kinds <= DATES:
        days = [None if c is None else from_literal(c) for c in cells]
        return {name: pd.to_datetime(pd.Series([None if d is None else d.start for d in days], dtype="object")),
                f"{name}_precision": pd.array([None if d is None else d.precision for d in days], dtype="string")}
    text = [None if c is None else f"_:{c}" if isinstance(c, BNode) else cell(c, namespaces) if isinstance(c, URIRef)
            else str(c) for c in cells]
    return {name: pd.array(text, dtype="string")}
