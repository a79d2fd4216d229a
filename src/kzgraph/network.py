"""The RDF graph projected into a networkx graph a person can read, and ways to narrow it.

Nodes are things (persons, organizations, offices, elections and other events, places); literals,
evidence, documents and the ontology's own values (a stance, a reform status) are not: those
become node attributes. N-ary nodes collapse into labelled edges: a Tenure becomes
``person —holds (start – end)→ office``, a Membership ``person —member of (start – end)→ party``, an ElectionResult ``party —71.09% · 76 seats→ election``,
an event's participants ``actor —role→ event``, a Founding ``event —founded→ institution``.
Every other relation between two things becomes an edge named by its property's label.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .errors import KzError
from .labels import english_label
from .namespaces import KZ, SCHEMA
from .prefixes import local_name

#: Classes whose instances are statements or provenance, not things drawn as nodes.
NOT_NODES = {KZ.Tenure, KZ.Membership, KZ.ElectionResult, KZ.Evidence, KZ.Document, KZ.Assessment, KZ.Claim}
#: Claim ranks in the order a reader weighs them.
RANKS = ("preferred", "normal", "deprecated")
#: Properties that describe a node rather than link two things.
NOT_EDGES = {RDF.type, KZ.evidence, KZ.about, OWL.sameAs}
#: How an actor's part in an event reads on the edge actor → event (other roles: the property label).
ROLES = {KZ.participant: "took part in", KZ.initiatedBy: "initiated", KZ.affected: "affected by",
         KZ.predecessor: "handed over", KZ.successor: "took over"}
#: Open ends of a date interval, so that every dated item compares as ISO text.
EARLIEST, LATEST = "0001-01-01", "9999-12-31"


_local = local_name


def _text(term) -> str | None:
    return None if term is None else str(term)


class _Reader:
    """Looks things up in the RDF graph, caching class and property facts."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.superclasses: dict = defaultdict(set)
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            self.superclasses[sub].add(sup)
        self.labels: dict = {}

    def label(self, thing) -> str:
        if thing not in self.labels:
            self.labels[thing] = english_label(self.graph.objects(thing, RDFS.label), thing)
        return self.labels[thing]

    def ancestors(self, cls) -> set:
        """``cls`` and every class above it."""
        todo, seen = [cls], set()
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.superclasses.get(current, ()))
        return seen

    def kz_types(self, thing) -> list:
        return sorted(t for t in self.graph.objects(thing, RDF.type) if str(t).startswith(str(KZ)))

    def main_class(self, thing) -> URIRef | None:
        """The most specific kz: class of ``thing`` (ties broken by name)."""
        types = self.kz_types(thing)
        specific = [t for t in types if not any(o != t and t in self.ancestors(o) for o in types)]
        return specific[0] if specific else None

    def kinds(self, thing) -> list[str]:
        """Local names of every kz: class ``thing`` belongs to, its superclasses included."""
        found = set().union(set(), *(self.ancestors(t) for t in self.kz_types(thing)))
        return sorted(_local(c) for c in found if str(c).startswith(str(KZ)))

    def is_node(self, thing) -> bool:
        if str(thing).startswith(str(KZ)):  # the ontology's own terms and values
            return False
        cls = self.main_class(thing)
        return cls is not None and not self.ancestors(cls) & NOT_NODES

    def value(self, thing, prop):
        return self.graph.value(thing, prop)

    def names(self, thing) -> list[str]:
        return sorted({str(o) for o in self.graph.objects(thing, SKOS.altLabel)})

    def evidence(self, statement) -> list[dict]:
        out = []
        for ev in sorted(self.graph.objects(statement, KZ.evidence)):
            doc = self.graph.value(ev, KZ.document)
            out.append({
                "quote": _text(self.graph.value(ev, KZ.quote)) or "",
                "document": self.label(doc) if doc is not None else "",
                "document_iri": _text(doc) or "",
                "url": (_text(self.graph.value(doc, SCHEMA.url)) if doc is not None else None) or "",
            })
        return out

    def claims(self) -> dict:
        """Each thing or statement → the ranked claims about it: ``{property, value, rank, reason, evidence}``."""
        out: dict = defaultdict(list)
        for claim in sorted(self.graph.subjects(RDF.type, KZ.Claim)):
            value, rank = self.value(claim, KZ.claimValue), self.value(claim, KZ.rank)
            out[self.value(claim, KZ.claimSubject)].append({
                "property": self.label(self.value(claim, KZ.claimProperty)),
                "value": self.label(value) if isinstance(value, URIRef) else _text(value) or "",
                "rank": _local(rank).removesuffix("Rank").lower() if rank is not None else "",
                "reason": _text(self.value(claim, KZ.rankReason)) or "",
                "evidence": self.evidence(claim),
            })
        for found in out.values():
            found.sort(key=lambda c: (c["property"], RANKS.index(c["rank"]) if c["rank"] in RANKS else len(RANKS), c["value"]))
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


def project(store) -> nx.MultiDiGraph:
    """Project the graph of ``store`` into a :class:`networkx.MultiDiGraph` of things and relations.

    ``store`` is a :class:`~kzgraph.stores.Store`, a ``--store`` spec or a graph the caller holds;
    it is asked one CONSTRUCT (named query ``network``), and the projection reads that answer.

    Node ids are IRIs (strings). Node attributes: ``label``, ``class`` (local name of the most
    specific kz: class), ``kinds`` (it and its kz: superclasses), ``iri``, ``alt_labels``,
    ``wikidata``, dates (``date``/``start``/``end``), ``evidence`` (a list of ``{quote, document,
    document_iri, url}``, the url being the document's schema:url), ``facts`` (``[property, value]``
    pairs naming ontology values such as a stance), ``assessments`` (``{statement, evidence}`` that
    sources make about it) and ``claims`` (contested values: ``{property, value, rank, reason,
    evidence}``). Edge attributes: ``relation`` (the property's local name), ``label`` (what a person
    reads), ``class`` (the statement's class: Tenure, ElectionResult, or the event's for a role),
    ``statement`` (its IRI), ``alt_labels``, dates, ``evidence``, ``claims`` (about a tenure or
    result) and, on election results, ``vote_share`` (float), ``votes`` and ``seats`` (int).
    """
    from .sparql import query

    graph = query(store, name="network").graph
    read = _Reader(graph)
    claims = read.claims()
    net = nx.MultiDiGraph()
    # the English names of the classes, for the commands that print them beside the network
    net.graph["labels"] = {str(c): read.label(c) for c in set(graph.objects(None, RDF.type)) if isinstance(c, URIRef)}
    things = {s for s in graph.subjects(RDF.type) if isinstance(s, URIRef) and read.is_node(s)}
    for thing in sorted(things):
        facts = sorted(
            [read.label(p), read.label(o)] for p, o in graph.predicate_objects(thing)
            if isinstance(o, URIRef) and p not in NOT_EDGES and str(o).startswith(str(KZ))
        )
        assessments = [
            {"statement": _text(read.value(a, KZ.statement)) or read.label(a), "evidence": read.evidence(a)}
            for a in sorted(graph.subjects(KZ.about, thing))
        ]
        net.add_node(
            str(thing),
            iri=str(thing),
            label=read.label(thing),
            **{"class": _local(read.main_class(thing))},
            kinds=read.kinds(thing),
            alt_labels=read.names(thing),
            wikidata=sorted(str(o) for o in graph.objects(thing, OWL.sameAs) if "wikidata.org" in str(o)),
            evidence=read.evidence(thing),
            facts=facts,
            assessments=assessments,
            claims=claims.get(thing, []),
            **read.dates(thing),
        )

    def link(source, target, relation, label, statement=None, cls="", **extra):
        if source in things and target in things:
            net.add_edge(
                str(source), str(target), key=relation + (f"|{statement}" if statement else ""),
                relation=relation, label=label, statement=_text(statement) or "", **{"class": cls},
                alt_labels=read.names(statement) if statement is not None else [],
                evidence=read.evidence(statement) if statement is not None else [],
                claims=claims.get(statement, []) if statement not in things else [], **extra,
            )

    for tenure in sorted(graph.subjects(RDF.type, KZ.Tenure)):
        dates = read.dates(tenure)
        label = f"holds ({_span(dates)})" if dates else "holds"
        link(read.value(tenure, KZ.holder), read.value(tenure, KZ.office), "holds", label, tenure, "Tenure",
             **dates)

    for membership in sorted(graph.subjects(RDF.type, KZ.Membership)):
        dates = read.dates(membership)
        label = f"member of ({_span(dates)})" if dates else "member of"
        link(read.value(membership, KZ.member), read.value(membership, KZ.organization), "membership", label,
             membership, "Membership", **dates)

    for result in sorted(graph.subjects(RDF.type, KZ.ElectionResult)):
        share, seats = read.value(result, KZ.voteShare), read.value(result, KZ.seats)
        parts = [f"{float(share):g}%" if share is not None else None,
                 f"{seats} seat{'s' if str(seats) != '1' else ''}" if seats is not None else None]
        label = " · ".join(p for p in parts if p) or "contested"
        election = read.value(result, KZ.election)
        votes = read.value(result, KZ.votes)
        numbers = {"vote_share": float(share) if share is not None else None,
                   "votes": int(votes) if votes is not None else None, "seats": int(seats) if seats is not None else None}
        link(read.value(result, KZ.contestant), election, "result", label, result, "ElectionResult",
             **read.dates(election), **{k: v for k, v in numbers.items() if v is not None})

    roles = {KZ.participant} | set(graph.transitive_subjects(RDFS.subPropertyOf, KZ.participant))
    links = sorted((s, p, o) for s, p, o in graph if p not in NOT_EDGES and s in things and o in things)
    for subject, prop, obj in links:
        if prop in roles:  # an actor's part in an event reads actor → event
            link(obj, subject, _local(prop), ROLES.get(prop) or read.label(prop), subject,
                 _local(read.main_class(subject)), **read.dates(subject))
        else:
            link(subject, obj, _local(prop), read.label(prop))
    return net


def interval(attrs: dict) -> tuple[str, str] | None:
    """The ISO days ``(first, last)`` a node or edge covers, from its partial dates; None if undated.

    A tenure or event with no end date is still going on; one with no start began at some unknown time.
    """
    from .dates import parse_date

    try:
        if "date" in attrs:
            day = parse_date(attrs["date"])
            return day.start.isoformat(), day.end.isoformat()
        if "start" not in attrs and "end" not in attrs:
            return None
        first = parse_date(attrs["start"]).start.isoformat() if "start" in attrs else EARLIEST
        last = parse_date(attrs["end"]).end.isoformat() if "end" in attrs else LATEST
    except KzError as exc:
        raise KzError(f"{attrs.get('statement') or attrs.get('iri')}: {exc}") from None
    return first, last


def induced(net: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """A copy of ``net`` with only ``nodes`` and the relations among them, in ``net``'s order.

    (``net.subgraph(nodes).copy()`` would order them by a set, which differs from run to run.)
    """
    keep = set(nodes)
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, dict(attrs)) for n, attrs in net.nodes(data=True) if n in keep)
    out.add_edges_from((u, v, k, dict(attrs)) for u, v, k, attrs in net.edges(keys=True, data=True)
                       if u in keep and v in keep)
    return out


def ego(net: nx.MultiDiGraph, centre: str, depth: int) -> nx.MultiDiGraph:
    """The things at most ``depth`` relations (either direction) from ``centre``, and their relations."""
    near = nx.single_source_shortest_path_length(net.to_undirected(as_view=True), centre, cutoff=depth)
    return induced(net, near)


def of_kinds(net: nx.MultiDiGraph, kinds: Iterable[str], keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    """Only the things of one of the classes ``kinds`` (local names; subclasses count), plus ``keep``."""
    wanted = set(kinds)
    chosen = [n for n, attrs in net.nodes(data=True) if wanted & set(attrs["kinds"])]
    return induced(net, [*chosen, *keep])


def within(net: nx.MultiDiGraph, first: str, last: str, keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    """Only what the ISO days ``first``–``last`` touch: dated things and relations outside go, and so do
    undated things left with no relation by that (``keep`` stays whatever)."""
    def inside(attrs):
        span = interval(attrs)
        return span is None or (span[0] <= last and first <= span[1])

    out = induced(net, [n for n, attrs in net.nodes(data=True) if inside(attrs)])
    out.remove_edges_from([(u, v, k) for u, v, k, attrs in out.edges(keys=True, data=True) if not inside(attrs)])
    kept = set(keep)
    out.remove_nodes_from([n for n in list(out) if n not in kept and out.degree(n) == 0 and net.degree(n) > 0])
    return out


def kinds_named(store, types: Iterable[str]) -> list[str]:
    """The local names of the kz: classes that ``types`` name (``Person``, ``kz:Event``, ``political party``).

    Case, spaces and punctuation do not matter; an unknown name raises :class:`KzError` with suggestions.
    """
    squash = lambda text: re.sub(r"[\W_]+", "", str(text)).casefold()  # noqa: E731
    from .sparql import query

    known = {}
    for cls, label in query(store, name="ontology-classes").rows:
        local = cls.value[len(str(KZ)):]
        known[squash(local)] = local
        if label is not None:
            known.setdefault(squash(label.value), local)
    out = []
    for name in types:
        local = known.get(squash(str(name).removeprefix("kz:")))
        if local is None:
            close = difflib.get_close_matches(squash(name), list(known), n=3)
            hint = f"; did you mean {', '.join(sorted({known[c] for c in close}))}?" if close else ""
            raise KzError(f"--type {name}: unknown class{hint} (classes: {', '.join(sorted(set(known.values())))})")
        out.append(local)
    return out
