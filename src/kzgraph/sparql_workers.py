"""Answering SPARQL Protocol requests in worker processes that can be killed when a query runs too long.

Neither engine can stop a running query: rdflib's evaluator cannot be interrupted from another thread,
and pyoxigraph 0.5's ``Store.query`` has no timeout or cancellation parameter (see its docstring). So a
query that outlives its time limit has its worker process killed and replaced, and the other workers go
on serving. Each worker holds its own pyoxigraph in-memory copy of the graph (10–100× faster than
rdflib's engine, see PITFALLS), loaded from an N-Triples snapshot into the named graph
:data:`~kzgraph.namespaces.GRAPH_IRI`, which is every query's default graph unless the request names
another dataset. Queries are first parsed with rdflib (:func:`kzgraph.query.check`) so that errors name
the position, updates are told apart, and SERVICE (which could reach files or the network) is refused.
"""
from __future__ import annotations

import multiprocessing
import queue
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, Variable
from rdflib.query import Result

from .errors import KzError
from .stores.ondisk import manifest
from .namespaces import GRAPH_IRI, PREFIXES
from .oxrdf import from_ox
from .sparql import calls_service, check
from .results import to_csv, to_json, to_tsv

#: media type → results format, for SELECT and ASK (the first is the default)
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: media type → RDF format, for CONSTRUCT and DESCRIBE (the first is the default)
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: response header set when a result was cut at the row limit
TRUNCATED_HEADER = "kzgraph-truncated-at-rows"
#: on every response chosen by the Accept header, so that caches keep one copy per format
VARY = {"Vary": "Accept"}
_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_STARTUP_SECONDS = 120


@dataclass(frozen=True)
class Request:
    """One query as the SPARQL Protocol delivers it."""

    query: str
    accept: tuple[str, ...] = ("*/*",)  # media ranges, most preferred first
    default_graphs: tuple[str, ...] = ()  # default-graph-uri
    named_graphs: tuple[str, ...] = ()  # named-graph-uri
    base: str | None = None  # the IRI relative IRIs resolve against, unless the query has its own BASE


@dataclass(frozen=True)
class Answer:
    """An HTTP response: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict = field(default_factory=dict)


def text_answer(status: int, message: str) -> Answer:
    """A plain-text answer, for errors."""
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def parse_accept(header: str | None) -> tuple[str, ...]:
    """The media ranges of an Accept header, most preferred first (q=0 dropped, ties keep their order)."""
    ranges = []
    for position, item in enumerate((header or "*/*").split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, position, media.lower()))
    return tuple(media for _, _, media in sorted(ranges)) or ("*/*",)


def negotiate(accept: tuple[str, ...], offers) -> str | None:
    """The first of ``offers`` (media types) that the ``accept`` ranges allow, in preference order."""
    offers = list(offers)
    for media in accept:
        if media in offers:
            return media
        major, _, minor = media.partition("/")
        if minor == "*":
            for offer in offers:
                if major == "*" or offer.startswith(major + "/"):
                    return offer
    return None


#: queries up to this long are remembered by :func:`vet` (512 of them: at most 8 MB per worker)
CACHED_QUERY = 16_384


def vet(text: str) -> tuple[str, bool, Answer | None]:
    """The query form of ``text`` (``SelectQuery``, …), whether it has FROM clauses, and an answer
    refusing it (400 or 403) or None.

    Short queries are cached: clients repeat them, and rdflib's parser takes tens of milliseconds.
    """
    return _vet_cached(text) if len(text) <= CACHED_QUERY else _vet(text)


@lru_cache(maxsize=512)
def _vet_cached(text: str) -> tuple[str, bool, Answer | None]:
    return _vet(text)


def _vet(text: str) -> tuple[str, bool, Answer | None]:
    if not text.strip():
        return "", False, text_answer(400, "query: empty; give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    try:
        prepared = check(text, "query")
    except KzError as exc:
        if _is_update(text):
            return "", False, text_answer(403, "this endpoint is read-only: SPARQL UPDATE is refused")
        return "", False, text_answer(400, str(exc))
    if calls_service(text):
        refusal = "SERVICE is refused: this endpoint does not call other services or read files"
        return "", False, text_answer(403, refusal)
    return prepared.algebra.name, bool(prepared.algebra.get("datasetClause")), None


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _term(term):
    """A pyoxigraph term as an rdflib term (an unbound variable as None)."""
    if term is None:
        return None
    if isinstance(term, ox.Triple):
        return Literal(str(term))  # an RDF-star triple term: shown as text
    return from_ox(term)


def answer(store: ox.Store, request: Request, max_rows: int, home=None) -> Answer:
    """Evaluate ``request`` on ``store`` and serialize the result as the client asked.

    ``home`` is the graph of ``store`` that holds the data (the named graph :data:`GRAPH_IRI` by
    default): every query's default graph, also when a client names :data:`GRAPH_IRI`.
    """
    home = ox.NamedNode(GRAPH_IRI) if home is None else home
    form, has_from, refusal = vet(request.query)
    if refusal is not None:
        return refusal
    graph_form = form in ("ConstructQuery", "DescribeQuery")
    offers = GRAPH_TYPES if graph_form else RESULT_TYPES
    media = negotiate(request.accept, offers)
    if media is None:
        refusal = text_answer(406, f"cannot answer in {', '.join(request.accept)}; available: {', '.join(offers)}")
        return Answer(refusal.status, refusal.media_type, refusal.body, dict(VARY))
    try:  # the protocol's dataset overrides FROM clauses, which name graphs of the store (no file is read)
        if request.default_graphs or request.named_graphs:
            dataset = {
                "default_graph": [home if g == GRAPH_IRI else ox.NamedNode(g) for g in request.default_graphs]
                or home,
                "named_graphs": [home if g == GRAPH_IRI else ox.NamedNode(g) for g in request.named_graphs] or None,
            }
        else:
            dataset = {} if has_from else {"default_graph": home}
    except ValueError as exc:
        return text_answer(400, f"default-graph-uri/named-graph-uri: {exc}")
    fmt, text_media = offers[media], media + ("; charset=utf-8" if media.startswith("text/") else "")

    def run():
        return store.query(request.query, base_iri=request.base, prefixes=_PREFIXES, **dataset)

    try:
        result = run()
        if form == "AskQuery":  # written by Oxigraph, as every answer it can write whole
            return Answer(200, text_media, result.serialize(format=fmt), dict(VARY))
        items = list(islice(result, max_rows + 1))
        truncated = len(items) > max_rows
        if graph_form:
            body = ox.serialize(items[:max_rows], format=fmt, prefixes=_PREFIXES)
        elif not truncated:
            # pyoxigraph writes results 10-20x faster than rdflib terms and json.dumps, but only from a
            # fresh iterator: evaluating twice costs less than converting
            body = run().serialize(format=fmt)
        else:
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in result.variables]
            names = [v.value for v in result.variables]
            out.bindings = [{Variable(n): _term(row[n]) for n in names if row[n] is not None}
                            for row in items[:max_rows]]
            body = _serialize(out, fmt)
    except (SyntaxError, OSError, ValueError) as exc:
        return text_answer(400, f"query failed: {' '.join(str(exc).split())}")
    return Answer(200, text_media, body, {**VARY, TRUNCATED_HEADER: str(max_rows)} if truncated else dict(VARY))


def _serialize(result: Result, fmt: ox.QueryResultsFormat) -> bytes:
    if fmt == ox.QueryResultsFormat.XML:
        return result.serialize(format="xml", encoding="utf-8")
    writer = {ox.QueryResultsFormat.JSON: to_json, ox.QueryResultsFormat.CSV: to_csv, ox.QueryResultsFormat.TSV: to_tsv}
    return writer[fmt](result).encode("utf-8")


def forward(store, request: Request) -> Answer:
    """Pass ``request`` to a remote store's query endpoint (after the same vetting) and hand back its answer."""
    from urllib.parse import urlencode
    from urllib.request import Request as HttpRequest

    from .stores.remote import HttpError

    _, _, refusal = vet(request.query)
    if refusal is not None:
        return refusal
    params = [("query", request.query)]
    graphs = [g for g in request.default_graphs] or ([store.graph_iri] if store.graph_iri else [])
    params += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in request.named_graphs]
    http = HttpRequest(store.endpoints.query, data=urlencode(params).encode("utf-8"),
                       headers={"Accept": ", ".join(request.accept),
                                "Content-Type": "application/x-www-form-urlencoded"})
    try:
        body, media = store.client.send(http, store.endpoints.query)
    except HttpError as exc:
        return text_answer(exc.status if exc.status in (400, 406) else 502, str(exc))
    except KzError as exc:
        return text_answer(502, str(exc))
    return Answer(200, media or "application/octet-stream", body, dict(VARY))


def open_source(source: tuple[str, str]):
    """What a worker answers from: ``("nt", file)`` loaded into memory, ``("oxigraph", database)`` opened
    read-only, ``("sparql", spec)`` forwarded. Returns ``(store, home graph, triples)``."""
    kind, where = source
    if kind == "oxigraph":
        store = ox.Store.read_only(where)
        return store, ox.DefaultGraph(), len(store)
    if kind == "sparql":
        from .stores import open_store

        remote = open_store(f"sparql:{where}")
        return remote, None, len(remote)
    store = ox.Store()
    store.bulk_load(path=where, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH_IRI))
    return store, ox.NamedNode(GRAPH_IRI), len(store)


def _work(conn, source: tuple[str, str], max_rows: int) -> None:
    """A worker's life: open its source, say how many triples, then answer requests until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    store, home, triples = open_source(source)
    conn.send(triples)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = forward(store, request) if source[0] == "sparql" else answer(store, request, max_rows, home)
        except Exception as exc:  # never let one bad query take the worker down
            reply = text_answer(500, f"query failed: {type(exc).__name__}: {' '.join(str(exc).split())}")
        conn.send(reply)


class _Worker:
    def __init__(self, context, source: tuple[str, str], max_rows: int):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_work, args=(child, source, max_rows), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self) -> int:
        if not self.conn.poll(_STARTUP_SECONDS):
            raise KzError("a query worker did not start")
        try:
            return self.conn.recv()
        except EOFError:
            raise KzError("a query worker failed to load the graph") from None

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class WorkerPool:
    """``workers`` processes answering :class:`Request` objects, each within ``timeout`` seconds.

    :meth:`answer` is blocking and thread-safe: call it from as many threads as you like; a request
    waits at most ``wait`` seconds for a free worker (a queue, not an error, under load), then at most
    ``timeout`` seconds for its answer.
    """

    def __init__(self, store, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 wait: float = 30.0):
        self.timeout, self.max_rows, self.wait = timeout, max_rows, wait
        self._dir = tempfile.TemporaryDirectory(prefix="kzgraph-serve-")
        self.source = self._source(store)
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._all = [_Worker(self._context, self.source, max_rows) for _ in range(max(1, workers))]
        try:
            self.triples = min(worker.wait_ready() for worker in self._all)
        except KzError:
            self.close()
            raise
        for worker in self._all:
            self._idle.put(worker)

    def _source(self, store) -> tuple[str, str]:
        """How workers reach ``store``'s graph: an on-disk store read-only in place, a remote one by
        forwarding, the memory store's start-up cache (or, for any other graph, an N-Triples snapshot)."""
        from .stores import open_store
        from .stores.memory import MemoryStore
        from .stores.ondisk import OnDiskStore
        from .stores.remote import RemoteStore

        store = open_store(store)
        if isinstance(store, OnDiskStore):
            return "oxigraph", str(Path(manifest(store.root)["dir"]) / "db")
        if isinstance(store, RemoteStore):
            return "sparql", store.where
        if isinstance(store, MemoryStore) and store.cache is not None and store.cache.is_file():
            return "nt", str(store.cache)  # its header lines are N-Triples comments
        snapshot = Path(self._dir.name) / "graph.nt"
        snapshot.write_bytes(store.execute("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").write("nt"))
        return "nt", str(snapshot)

    def answer(self, request: Request) -> Answer:
        """Answer one request; 503 when no worker is free in time or the query runs past the limit."""
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            return text_answer(503, f"all {len(self._all)} query workers are busy; try again later")
        try:
            worker.conn.send(request)
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
            message = f"the query ran longer than this endpoint's limit of {self.timeout:g} s and was stopped"
            status = 503
        except (EOFError, OSError):
            worker.process.join(1)
            message = (f"the query worker crashed (exit {worker.process.exitcode}) on this query; it was dropped"
                       " and the worker replaced")
            status = 500
        self._replace(worker)
        return text_answer(status, message)

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        threading.Thread(target=self._start_one, args=(worker,), daemon=True).start()

    def _start_one(self, old: _Worker) -> None:
        with self._lock:
            if self._closed:
                return
            new = _Worker(self._context, self.source, self.max_rows)
            self._all[self._all.index(old)] = new
        try:
            new.wait_ready()
        except KzError as exc:
            print(f"kzgraph serve: {exc}", file=sys.stderr)
            return
        self._idle.put(new)

    def close(self) -> None:
        """Stop every worker and delete the snapshot."""
        with self._lock:
            self._closed = True
            for worker in self._all:
                worker.stop()
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
