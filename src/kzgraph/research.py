"""The questions researchers ask every day, as functions over the graph.

Each runs a named query (``queries/*.rq``) with its variables bound safely; things are named as
:func:`kzgraph.lookup.resolve` reads them, dates as :func:`kzgraph.dates.parse_date` reads them::

    who_held(graph, "President of Kazakhstan", on="2019")      # rdflib SELECT result
    timeline(graph, start="2019-03-19", end="2021-01-10")
"""
from __future__ import annotations

from itertools import groupby

from rdflib import Graph, URIRef, Variable
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result

from .dates import parse_date
from .errors import KzError
from .lookup import resolve
from .namespaces import KZ
from .query import query
from .results import from_rows


def label(graph: Graph, thing) -> str:
    """The English label of ``thing`` (any label, else its IRI)."""
    labels = list(graph.objects(thing, RDFS.label))
    english = [lab for lab in labels if getattr(lab, "language", None) == "en"] or labels
    return str(min(english)) if english else str(thing)


def show(graph: Graph, thing: str) -> Result:
    """Everything the graph says about ``thing`` (named query ``show``)."""
    return query(graph, name="show", params={"thing": resolve(graph, thing)})


def office(graph: Graph, name: str) -> URIRef:
    """The kz:Office that ``name`` names; anything else raises :class:`KzError`."""
    iri = resolve(graph, name)
    if (iri, RDF.type, KZ.Office) not in graph:
        kinds = ", ".join(sorted(graph.namespace_manager.normalizeUri(t) for t in graph.objects(iri, RDF.type)))
        raise KzError(f"{name!r} is {label(graph, iri)} ({kinds or 'untyped'}), not a kz:Office")
    return iri


def who_held(graph: Graph, name: str, on: str | None = None) -> Result:
    """Every holder of the office ``name`` in order, or (``on`` = YYYY[-MM[-DD]]) the holders on that date."""
    iri = office(graph, name)
    if on is None:
        return query(graph, name="holders-of-office", params={"office": iri})
    return query(graph, name="office-holder-on-date", params={"office": iri, "date": parse_date(on).literal})


def offices_held(graph: Graph, holder: str, on: str) -> Result:
    """The offices ``holder`` held on ``on`` (YYYY, YYYY-MM or YYYY-MM-DD)."""
    return query(graph, name="offices-held-on-date",
                 params={"holder": resolve(graph, holder), "date": parse_date(on).literal})


def event_class(graph: Graph, name: str) -> URIRef:
    """kz:Event or the subclass of it that ``name`` names (``kz:Election``, ``Election``, ``election``)."""
    from .network import kinds_named  # classes are named as `kzgraph view --type` names them

    cls = KZ[kinds_named(graph, [name])[0]]
    events = set(graph.transitive_subjects(RDFS.subClassOf, KZ.Event))
    if cls not in events:
        known = ", ".join(sorted(str(c).rsplit("#", 1)[-1] for c in events))
        raise KzError(f"--type {name}: not a kind of event; known: {known}")
    return cls


def timeline(graph: Graph, start: str | None = None, end: str | None = None, type: str | None = None) -> Result:
    """Events in date order, one row each, participants joined (sorted) with "; "."""
    params = {}
    first, last = (parse_date(day) if day else None for day in (start, end))
    if first and last and first.start > last.end:
        raise KzError(f"--from {start} is after --to {end}")
    if first:
        params["from"] = first.literal
    if last:
        params["to"] = last.literal
    if type:
        params["type"] = event_class(graph, type)
    result = query(graph, name="timeline", params=params)
    names = [str(v) if str(v) != "participant" else "participants" for v in result.vars]
    rows = []
    # the query gives one row per participant, in order: fold each event's rows into one
    for _, group in groupby(result.bindings, key=lambda row: row.get(Variable("event"))):
        group = list(group)
        first = dict(group[0])
        people = sorted({str(row[Variable("participant")]) for row in group if row.get(Variable("participant"))})
        first[Variable("participant")] = "; ".join(people) or None
        rows.append([first.get(v) for v in result.vars])
    return from_rows(names, rows)
