"""``kzgraph push``: load the graph into a SPARQL 1.1 store, in batches, into one named graph.

The Graph Store HTTP Protocol (``POST store?graph=IRI`` with N-Triples) is used where the store offers
it; where its GSP endpoint is missing (404, 405, 415 or 501 on the first write) the same batches go as
SPARQL Update ``INSERT DATA``. Where the endpoints are comes from :func:`kzgraph.remote.endpoints`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urlencode
from urllib.request import Request

from rdflib import BNode, Graph, URIRef

from .errors import KzError
from .namespaces import GRAPH_IRI
from .remote import Endpoints, HttpError, endpoints, http, is_iri, open_remote

BATCH = 50_000
_NOT_OFFERED = (404, 405, 415, 501)  # statuses of a GSP endpoint that is not there


@dataclass(frozen=True)
class PushReport:
    """What a push did: triples sent, triples the store then holds in the graph, and how."""

    sent: int
    held: int
    graph: str
    endpoints: Endpoints
    protocol: str  # "graph store protocol" or "sparql update"


def batches(graph: Graph, size: int = BATCH) -> Iterator[Graph]:
    """``graph`` in batches of ``size`` triples; all triples with a blank node go in the first batch.

    A store reads each request's blank-node labels afresh, so a blank node split over two requests
    would become two nodes; the dataset has few of them (OWL lists in the ontology).
    """
    with_bnodes = Graph()
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            with_bnodes.add(triple)
    if len(with_bnodes):
        yield with_bnodes
    rest = (t for t in graph if not (isinstance(t[0], BNode) or isinstance(t[2], BNode)))
    while chunk := list(islice(rest, size)):
        batch = Graph()
        for triple in chunk:
            batch.add(triple)
        yield batch


class _Writer:
    """Writes N-Triples into one named graph, by GSP or, where that is not offered, by SPARQL Update."""

    def __init__(self, where: Endpoints, graph_iri: str):
        self.where, self.iri = where, URIRef(graph_iri)
        self.protocol = "graph store protocol"
        self.cleared = False

    def _gsp(self, method: str, body: bytes | None = None) -> None:
        url = f"{self.where.store}?{urlencode({'graph': str(self.iri)})}"
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        http(Request(url, data=body, method=method, headers=headers), self.where.store)

    def _update(self, text: str) -> None:
        request = Request(self.where.update, data=text.encode("utf-8"), method="POST",
                          headers={"Content-Type": "application/sparql-update"})
        http(request, self.where.update)

    def _fall_back(self, exc: HttpError) -> bool:
        if self.protocol == "graph store protocol" and exc.status in _NOT_OFFERED:
            self.protocol = "sparql update"
            return True
        return False

    def clear(self) -> None:
        """Empty the named graph (a graph that does not exist is already empty)."""
        if self.protocol == "sparql update":
            self._update(f"DROP SILENT GRAPH {self.iri.n3()}")
        else:
            try:
                self._gsp("DELETE")
            except HttpError as exc:
                if exc.status != 404:  # GSP: 404 is "no such graph"
                    raise
        self.cleared = True

    def add(self, batch: Graph, replace: bool) -> None:
        body = batch.serialize(format="nt", encoding="utf-8")
        if self.protocol == "graph store protocol":
            try:
                return self._gsp("POST", body)
            except HttpError as exc:
                if not self._fall_back(exc):
                    raise
                if replace:  # the GSP DELETE may have hit nothing
                    self.clear()
        self._update(f"INSERT DATA {{ GRAPH {self.iri.n3()} {{\n{body.decode('utf-8')}\n}} }}")


def push(graph: Graph, url: str, *, graph_iri: str = GRAPH_IRI, replace: bool = False, batch: int = BATCH,
         progress: Callable[[int], None] | None = None) -> PushReport:
    """Load ``graph`` into the store at ``url`` (base URL or an endpoint) in the named graph ``graph_iri``.

    ``replace`` empties that graph first. ``progress(n)`` is called after each batch of ``n`` triples.
    A store that cannot be reached or refuses raises :class:`KzError` saying how much was already loaded.
    """
    where = endpoints(url)
    if not is_iri(graph_iri):
        raise KzError(f"--graph {graph_iri}: not an absolute IRI")
    writer = _Writer(where, graph_iri)
    total, sent = len(graph), 0
    try:
        remote = open_remote(f"{where.query}#{graph_iri}")  # fails early if the store is unreachable
        if replace:
            writer.clear()
        for part in batches(graph, batch):
            writer.add(part, replace)
            sent += len(part)
            if progress:
                progress(len(part))
    except KzError as exc:
        if sent:
            state = f"{sent} of {total} triples were already loaded into <{graph_iri}>"
        elif writer.cleared:
            state = f"<{graph_iri}> was emptied and nothing was loaded"
        else:
            state = "nothing was loaded"
        raise KzError(f"{exc} ({state})") from None
    return PushReport(sent, len(remote), graph_iri, where, writer.protocol)
