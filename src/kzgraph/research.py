"""The questions researchers ask every day, as functions over the graph.

Each runs a named query (``queries/*.rq``) with its variables bound safely; things are named as
:func:`kzgraph.lookup.resolve` reads them, dates as :func:`kzgraph.dates.parse_date` reads them::

    who_held(store, "President of Kazakhstan", on="2019")      # an Answer (reads like an rdflib Result)
    timeline(store, start="2019-03-19", end="2021-01-10")

``store`` is a :class:`~kzgraph.stores.Store`, a ``--store`` spec, or a graph the caller holds.
"""
from __future__ import annotations

from itertools import groupby

from rdflib import URIRef, Variable

from .dates import parse_date
from .errors import KzError
from .lookup import resolve
from .labels import english_label
from .namespaces import KZ
from .prefixes import local_name, short
from .results import from_rows
from .sparql import query
from .stores import Answer, open_store


def label(store, thing) -> str:
    """The name ``thing`` is shown by (:func:`kzgraph.labels.english_label`), asked of the store."""
    rows = query(store, name="labels-of", params={"thing": thing}).rows
    return english_label((r[1] for r in rows), thing)


def show(store, thing: str) -> Answer:
    """Everything the graph says about ``thing`` (named query ``show``)."""
    return query(store, name="show", params={"thing": resolve(store, thing)})


def instance_of(store, iri, cls, what: str, name: str) -> None:
    """Raise :class:`KzError` unless ``iri`` is a ``cls`` (or of a subclass), saying what it is instead."""
    kinds = {row[1].value for row in query(store, name="types-of", params={"thing": iri}).rows}
    if not kinds & subclasses(store, cls):
        listed = ", ".join(sorted(short(k, store.prefixes) for k in kinds))
        raise KzError(f"{name!r} is {label(store, iri)} ({listed or 'untyped'}), not {what}")


def office(store, name: str) -> URIRef:
    """The kz:Office that ``name`` names; anything else raises :class:`KzError`."""
    store = open_store(store)
    iri = resolve(store, name)
    instance_of(store, iri, KZ.Office, "a kz:Office", name)
    return iri


def who_held(store, name: str, on: str | None = None) -> Answer:
    """Every holder of the office ``name`` in order, or (``on`` = YYYY[-MM[-DD]]) the holders on that date."""
    store = open_store(store)
    iri = office(store, name)
    if on is None:
        answer = query(store, name="holders-of-office", params={"office": iri})
    else:
        answer = query(store, name="office-holder-on-date", params={"office": iri, "date": parse_date(on).literal})
    if not answer.rows:  # the office's name is asked for only when it has to be said
        when = f" {parse_date(on).phrase}" if on else ""
        answer.empty = f"Nobody held {label(store, iri)}{when}, as far as the data says."
    return answer


def offices_held(store, holder: str, on: str) -> Answer:
    """The offices ``holder`` held on ``on`` (YYYY, YYYY-MM or YYYY-MM-DD)."""
    store = open_store(store)
    return query(store, name="offices-held-on-date",
                 params={"holder": resolve(store, holder), "date": parse_date(on).literal})


def subclasses(store, top) -> set[str]:
    """The IRIs of ``top`` and every class below it (named query ``subclasses``)."""
    return {row[1].value for row in query(store, name="subclasses", params={"top": top}).rows}


def event_class(store, name: str) -> URIRef:
    """kz:Event or the subclass of it that ``name`` names (``kz:Election``, ``Election``, ``election``)."""
    from .network import kinds_named  # classes are named as `kzgraph view --type` names them

    cls = KZ[kinds_named(store, [name])[0]]
    events = subclasses(store, KZ.Event)
    if str(cls) not in events:
        known = ", ".join(sorted(local_name(c) for c in events))
        raise KzError(f"--type {name}: not a kind of event; known: {known}")
    return cls


def timeline(store, start: str | None = None, end: str | None = None, type: str | None = None) -> Answer:
    """Events in date order, one row each, participants joined (sorted) with "; "."""
    params = {}
    first, last = (parse_date(day) if day else None for day in (start, end))
    if first and last and first.start > last.end:
        raise KzError(f"--from {start} is after --to {end}")
    if first:
        params["from"] = first.literal
    if last:
        params["to"] = last.literal
    store = open_store(store)
    if type:
        params["type"] = event_class(store, type)
    result = query(store, name="timeline", params=params)
    names = [str(v) if str(v) != "participant" else "participants" for v in result.vars]
    rows = []
    # the query gives one row per participant, in order: fold each event's rows into one
    for _, group in groupby(result.bindings, key=lambda row: row.get(Variable("event"))):
        group = list(group)
        first = dict(group[0])
        people = sorted({str(row[Variable("participant")]) for row in group if row.get(Variable("participant"))})
        first[Variable("participant")] = "; ".join(people) or None
        rows.append([first.get(v) for v in result.vars])
    answer = from_rows(names, rows)
    span = "".join(f" {word} {date}" for word, date in (("from", start), ("to", end)) if date)
    answer.empty = f"No events{f' of kind {type}' if type else ''}{span}, as far as the data says."
    return answer
