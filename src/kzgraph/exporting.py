"""Writing the graph in RDF and graph-tool formats, deterministically and atomically."""
from __future__ import annotations

import csv
import io
import json
import os
import re

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL

from .atomic import write_atomic
from .errors import KzError
from .namespaces import GRAPH_IRI, PREFIXES, bind_prefixes

#: kzgraph format name → rdflib serializer name.
RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml", "trig": "trig"}
#: Formats of the projected network, for Gephi, Cytoscape and friends.
NETWORK_FORMATS = ("graphml", "gexf")
FORMATS = (*RDF_FORMATS, *NETWORK_FORMATS, "csv")
SUFFIXES = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "xml": "rdf", "trig": "trig",
            "graphml": "graphml", "gexf": "gexf", "csv": "csv"}


def format_for(path: str | os.PathLike) -> str | None:
    """The format a file name asks for by its suffix (``g.nt`` → ``nt``), or None."""
    suffix = os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
    by_suffix = {ext: fmt for fmt, ext in SUFFIXES.items()} | {"xml": "xml", "owl": "xml"}
    return by_suffix.get(suffix)


def _key(triple) -> tuple:
    return tuple(term.n3() for term in triple)


def ordered(graph: Graph) -> Graph:
    """A copy of ``graph`` with canonical blank-node labels, its triples added in sorted order.

    rdflib's ``SimpleMemory`` store keeps insertion order (nested dicts), so serializers that walk
    it give the same bytes on every run; the default ``Memory`` store walks a set, whose order
    changes with each process's hash seed.
    """
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        graph = to_canonical_graph(graph)
    out = bind_prefixes(Graph(store="SimpleMemory"))
    for triple in sorted(graph, key=_key):
        out.add(triple)
    return out


def infer(graph: Graph) -> Graph:
    """A copy of ``graph`` with its RDFS and OWL 2 RL entailments added (owlrl)."""
    import owlrl

    closed = bind_prefixes(Graph())
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    # OWL RL makes every resource sameAs itself and may put literals in subject position: noise for users
    for s, p, o in list(closed):
        if isinstance(s, Literal) or (p == OWL.sameAs and s == o):
            closed.remove((s, p, o))
    return closed


def serialize(graph: Graph, fmt: str = "turtle", *, infer_entailments: bool = False) -> bytes:
    """The bytes of ``graph`` in ``fmt`` (one of :data:`FORMATS`); the same bytes on every run."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if infer_entailments:
        graph = infer(graph)
    if fmt in NETWORK_FORMATS:
        return _network_bytes(graph, fmt)
    graph = ordered(graph)
    if fmt == "csv":
        return _csv(graph).encode("utf-8")
    if fmt == "nt":  # split at "\n" only: str.splitlines() also splits inside literals, at U+2028 and kin
        lines = sorted(set(graph.serialize(format="nt").split("\n")))
        return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")
    if fmt == "trig":
        ds = Dataset()
        named = ds.graph(URIRef(GRAPH_IRI))
        for triple in graph:
            named.add(triple)
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, override=True, replace=True)
        return ds.serialize(format="trig").encode("utf-8")
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        text = graph.serialize(format="json-ld", context=context, auto_compact=True)
        # rdflib's JSON-LD writer gathers nodes in a set: put them (and every unordered array) in order
        return (json.dumps(_sorted_json(json.loads(text)), ensure_ascii=False, indent=2, sort_keys=True)
                + "\n").encode("utf-8")
    if fmt == "xml":
        _xml_can_carry(graph)
    return graph.serialize(format=RDF_FORMATS[fmt]).encode("utf-8")


#: characters that XML 1.0 cannot carry, not even as character references
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_can_carry(graph: Graph) -> None:
    """Refuse a graph that RDF/XML cannot hold: dropping or changing the character would change the data."""
    for triple in graph:
        for term in triple:
            if found := NOT_XML.search(term):
                raise KzError(f"{term.n3()[:60]}: holds U+{ord(found.group()):04X}, which XML cannot carry;"
                              " export it as turtle, nt, jsonld or trig")


def _sorted_json(value, key: str = ""):
    """JSON-LD with every array sorted except ``@list`` ones (the only arrays whose order means something)."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _csv(graph: Graph) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["subject", "predicate", "object", "object_kind", "datatype", "language"])
    for s, p, o in graph:  # already sorted by ordered()
        kind = "iri" if isinstance(o, URIRef) else "bnode" if isinstance(o, BNode) else "literal"
        datatype = str(o.datatype) if isinstance(o, Literal) and o.datatype else ""
        language = o.language if isinstance(o, Literal) and o.language else ""
        writer.writerow([_csv_term(s), str(p), _csv_term(o), kind, datatype, language])
    return buf.getvalue()


def _csv_term(term) -> str:
    """A term as a CSV cell; text a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1+1``,
    ``@SUM``) gets a leading ``'``, the usual mark for "this is text"."""
    text = f"_:{term}" if isinstance(term, BNode) else str(term)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _network_bytes(graph: Graph, fmt: str) -> bytes:
    from . import graphfiles
    from .network import project

    return getattr(graphfiles, fmt)(project(graph))


def export(graph: Graph, fmt: str = "turtle", path: str | os.PathLike | None = None, *, infer: bool = False) -> bytes:
    """Serialize ``graph`` as ``fmt``; with ``path``, also write it there atomically."""
    data = serialize(graph, fmt, infer_entailments=infer)
    if path is not None:
        write_atomic(path, data)
    return data
