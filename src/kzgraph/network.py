"""The RDF graph projected into a networkx graph a person can read.

Nodes are things (persons, organizations, offices, events, places); literals, evidence and
documents are not. N-ary nodes collapse into labelled edges: a Tenure becomes
``person —holds→ office``, an ElectionResult ``contestant —71% · 76 seats→ election``.
Every other relation between two things becomes an edge named by its property's label.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .namespaces import KZ

#: Classes whose instances are statements or provenance, not things drawn as nodes.
NOT_NODES = {KZ.Tenure, KZ.ElectionResult, KZ.Evidence, KZ.Document, KZ.Assessment}
#: Properties that describe a node or a statement rather than link two things.
NOT_EDGES = {RDF.type, KZ.evidence, KZ.about, OWL.sameAs, KZ.holder, KZ.office, KZ.election, KZ.contestant}


def _local(iri) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(term) -> str | None:
    return None if term is None else str(term)


class _Reader:
    """Looks things up in the RDF graph, caching class and property facts."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.subclasses: dict = defaultdict(set)
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            self.subclasses[sup].add(sub)
        self.labels: dict = {}

    def label(self, thing) -> str:
        if thing not in self.labels:
            found = [o for o in self.graph.objects(thing, RDFS.label) if isinstance(o, Literal)]
            english = [o for o in found if o.language == "en"] or found
            self.labels[thing] = str(min(english)) if english else _local(thing)
        return self.labels[thing]

    def is_a(self, cls, ancestor) -> bool:
        todo, seen = [ancestor], set()
        while todo:
            current = todo.pop()
            if current == cls:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(self.subclasses.get(current, ()))
        return False

    def main_class(self, thing) -> URIRef | None:
        """The most specific kz: class of ``thing`` (ties broken by name)."""
        types = sorted(t for t in self.graph.objects(thing, RDF.type) if str(t).startswith(str(KZ)))
        specific = [t for t in types if not any(o != t and self.is_a(o, t) for o in types)]
        return specific[0] if specific else (types[0] if types else None)

    def is_node(self, thing) -> bool:
        cls = self.main_class(thing)
        return cls is not None and not any(self.is_a(cls, n) for n in NOT_NODES) and not self.is_class(thing)

    def is_class(self, thing) -> bool:
        return (thing, RDF.type, OWL.Class) in self.graph or (thing, RDF.type, RDFS.Class) in self.graph

    def value(self, thing, prop):
        return self.graph.value(thing, prop)

    def evidence(self, statement) -> list[dict]:
        out = []
        for ev in sorted(self.graph.objects(statement, KZ.evidence)):
            doc = self.graph.value(ev, KZ.document)
            out.append({
                "quote": _text(self.graph.value(ev, KZ.quote)) or "",
                "document": self.label(doc) if doc is not None else "",
                "document_iri": _text(doc) or "",
            })
        return out

    def dates(self, thing) -> dict:
        dates = {}
        for key, prop in (("date", KZ.date), ("start", KZ.startDate), ("end", KZ.endDate)):
            value = self.graph.value(thing, prop)
            if value is not None:
                dates[key] = str(value)
        return dates


def _span(dates: dict) -> str:
    if "date" in dates:
        return dates["date"]
    if "start" in dates or "end" in dates:
        return f"{dates.get('start', '?')} – {dates.get('end', '')}".rstrip()
    return ""


def project(graph: Graph) -> nx.MultiDiGraph:
    """Project the RDF ``graph`` into a :class:`networkx.MultiDiGraph` of things and relations.

    Node ids are IRIs (strings). Node attributes: ``label``, ``class`` (local name of the most
    specific kz: class), ``iri``, ``alt_labels``, ``wikidata``, dates (``date``/``start``/``end``) and
    ``evidence`` (a list of ``{quote, document, document_iri}``). Edge attributes: ``relation``
    (the property's local name), ``label`` (what a person reads), dates and ``evidence``.
    """
    read = _Reader(graph)
    net = nx.MultiDiGraph()
    things = {s for s in graph.subjects(RDF.type) if isinstance(s, URIRef) and read.is_node(s)}
    for thing in sorted(things):
        cls = read.main_class(thing)
        net.add_node(
            str(thing),
            iri=str(thing),
            label=read.label(thing),
            **{"class": _local(cls)},
            alt_labels=sorted({str(o) for o in graph.objects(thing, SKOS.altLabel)}),
            wikidata=sorted(str(o) for o in graph.objects(thing, OWL.sameAs) if "wikidata.org" in str(o)),
            evidence=read.evidence(thing),
            **read.dates(thing),
        )

    def link(source, target, relation, label, statement=None, **extra):
        if source in things and target in things:
            net.add_edge(
                str(source), str(target), key=relation + (f"|{statement}" if statement else ""),
                relation=relation, label=label, statement=_text(statement) or "",
                evidence=read.evidence(statement) if statement is not None else [], **extra,
            )

    for tenure in sorted(graph.subjects(RDF.type, KZ.Tenure)):
        dates = read.dates(tenure)
        label = f"holds ({_span(dates)})" if dates else "holds"
        link(read.value(tenure, KZ.holder), read.value(tenure, KZ.office), "holds", label, tenure, **dates)

    for result in sorted(graph.subjects(RDF.type, KZ.ElectionResult)):
        share, seats = read.value(result, KZ.voteShare), read.value(result, KZ.seats)
        parts = [f"{float(share):g}%" if share is not None else None,
                 f"{seats} seat{'s' if str(seats) != '1' else ''}" if seats is not None else None]
        label = " · ".join(p for p in parts if p) or "contested"
        link(read.value(result, KZ.contestant), read.value(result, KZ.election), "result", label, result)

    for subject, prop, obj in graph:
        if prop in NOT_EDGES or subject not in things or obj not in things:
            continue
        relation = _local(prop)
        is_role = (prop, RDFS.subPropertyOf, KZ.participant) in graph or prop == KZ.participant
        if is_role:  # an actor's role in an event reads actor → event
            link(obj, subject, relation, read.label(prop), subject)
        else:
            link(subject, obj, relation, read.label(prop))
    return net
