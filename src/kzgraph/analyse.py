"""Measures on the projected network (:func:`kzgraph.network.project`): size, central actors, paths.

Centrality and paths treat links as undirected: that Tokayev succeeded Nazarbayev ties them
together whichever way the property points. Paths are still printed with each relation's
real direction.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import URIRef

from .errors import KzError
from .lookup import resolve
from .namespaces import KZ
from .network import project
from .prefixes import local_name
from .research import subclasses
from .sparql import query
from .stores import open_store

#: above this many nodes betweenness is estimated from this many sampled sources (exact it is
#: O(nodes × links): 50 s at 3,000 nodes)
BETWEENNESS_SAMPLE = 500

#: the measures :func:`central_actors` computes, with what each one means
MEASURES = {
    "degree centrality": "the share of all other nodes an actor is directly linked to",
    "betweenness centrality": "the share of shortest paths between other nodes that pass through an actor"
                              f" (estimated from {BETWEENNESS_SAMPLE} sampled nodes, seed 0, on larger networks)",
}


def actor_classes(store) -> set[str]:
    """Local names of kz:Agent and its subclasses (the node ``class`` of an actor)."""
    return {local_name(c) for c in subclasses(store, KZ.Agent)}


def central_actors(store, net: nx.MultiDiGraph | None = None, top: int = 10) -> dict[str, list[tuple]]:
    """For each of :data:`MEASURES`, the ``top`` actors as ``(iri, label, score)``, highest first."""
    store = open_store(store)
    net = project(store) if net is None else net
    links = nx.Graph(net.to_undirected(as_view=True))  # one link per pair of neighbours
    kinds = actor_classes(store)
    actors = {n for n, cls in net.nodes(data="class") if cls in kinds}
    scores = {
        "degree centrality": nx.degree_centrality(links),
        "betweenness centrality": nx.betweenness_centrality(
            links, k=BETWEENNESS_SAMPLE if len(links) > BETWEENNESS_SAMPLE else None, seed=0),
    }
    return {
        measure: [(n, net.nodes[n]["label"], score[n])
                  for n in sorted(actors, key=lambda n: (-score[n], net.nodes[n]["label"], n))[:top]]
        for measure, score in scores.items()
    }


def stats(store, top: int = 10) -> tuple[list[str], list[list]]:
    """What the graph holds, as rows ``(section, item, label, value)``.

    Sections: size (triples, network nodes and links), class (things per kz: class, as in the
    named query ``class-counts``), provenance (evidence, documents, statements with evidence),
    then the ``top`` actors by each of :data:`MEASURES`.
    """
    store = open_store(store)
    net = project(store)
    triples, evidenced = (int(t.value) for t in query(store, name="with-evidence").rows[0])
    rows = [["size", "triples", "RDF triples", triples],
            ["size", "nodes", "things in the network", net.number_of_nodes()],
            ["size", "links", "relations in the network", net.number_of_edges()]]
    counts = {}
    for cls, count in query(store, name="class-counts").rows:
        counts[cls.value] = int(count.value)
        # the class names come with the network's CONSTRUCT: no query per class
        rows.append(["class", URIRef(cls.value), net.graph["labels"].get(cls.value) or local_name(cls.value),
                     int(count.value)])
    rows += [["provenance", KZ.Evidence, "evidence passages", counts.get(str(KZ.Evidence), 0)],
             ["provenance", KZ.Document, "source documents", counts.get(str(KZ.Document), 0)],
             ["provenance", KZ.evidence, "statements with evidence", evidenced]]
    for measure, ranked in central_actors(store, net, top).items():
        rows += [[measure, URIRef(iri), name, round(score, 4)] for iri, name, score in ranked]
    return ["section", "item", "label", "value"], rows


@dataclass(frozen=True)
class Step:
    """One link of a path: ``source`` to ``target`` (in path order) by ``relation``.

    ``forward`` says whether the relation points from source to target in the data.
    """

    source: str
    target: str
    relation: str
    forward: bool


def shortest_path(store, start: str, end: str, max_steps: int | None = None,
                  net: nx.MultiDiGraph | None = None) -> list[Step] | None:
    """The shortest chain of relations from ``start`` to ``end`` (any names), or ``None`` within ``max_steps``."""
    store = open_store(store)
    net = project(store) if net is None else net
    ends = []
    for name in (start, end):
        iri = str(resolve(store, name))
        if iri not in net:
            raise KzError(f"{name!r} is not a node of the network (tenures, results, evidence and "
                          f"documents are drawn as links or not at all)")
        ends.append(iri)
    if ends[0] == ends[1]:
        raise KzError(f"{start!r} and {end!r} are the same thing: {net.nodes[ends[0]]['label']}")
    try:
        nodes = nx.shortest_path(_sorted_undirected(net), *ends)
    except nx.NetworkXNoPath:
        return None
    if max_steps is not None and len(nodes) - 1 > max_steps:
        return None
    return [_step(net, a, b) for a, b in zip(nodes, nodes[1:])]


def _sorted_undirected(net: nx.MultiDiGraph) -> nx.Graph:
    # the projection's order follows rdflib's hashed store, so ties between equally short paths
    # would be broken differently on each run; a graph built in sorted order breaks them the same way
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(net))
    undirected.add_edges_from(sorted(tuple(sorted((a, b))) for a, b in net.edges()))
    return undirected


def _step(net: nx.MultiDiGraph, a: str, b: str) -> Step:
    # a relation that points along the path reads best; among several, the first by name
    for source, target, forward in ((a, b, True), (b, a, False)):
        links = net.get_edge_data(source, target) or {}
        if links:
            key = min(links)
            return Step(a, b, links[key]["label"], forward)
    raise AssertionError(f"no link between {a} and {b}")


def format_path(net: nx.MultiDiGraph, steps: list[Step]) -> str:
    """``A —relation→ X ←relation— B``: each relation in its real direction."""
    parts = [net.nodes[steps[0].source]["label"]]
    for step in steps:
        arrow = f"—{step.relation}→" if step.forward else f"←{step.relation}—"
        parts += [arrow, net.nodes[step.target]["label"]]
    return " ".join(parts)

