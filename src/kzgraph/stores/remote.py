"""``--store sparql:URL``: a remote SPARQL 1.1 store, read by query and filled by the Graph Store
Protocol or SPARQL Update.

The spec is ``sparql:URL[;update=URL][;store=URL][#GRAPH]``. ``URL`` is the store's base URL
(Oxigraph ``http://host:7878``: ``/query``, ``/update`` and ``/store`` are appended) or one of its
endpoints: a URL ending in ``/query`` is the query endpoint with Oxigraph's neighbours; one ending in
``/sparql`` (Virtuoso, Fuseki, ``kzgraph serve``) takes queries and updates at that one URL and offers
no Graph Store endpoint unless ``;store=`` names one (Virtuoso's is ``/sparql-graph-crud-auth``).
Credentials come from ``user:password@`` in a URL or from ``$KZGRAPH_SPARQL_USER`` and
``$KZGRAPH_SPARQL_PASSWORD`` (HTTP Basic or Digest, whichever the server asks for).

Queries read the named graph :data:`~kzgraph.prefixes.GRAPH_IRI`, sent as the protocol's
``default-graph-uri``, so other graphs never leak in; ``#IRI`` picks another graph and ``#default``
the endpoint's own default graph. Each query is one request, its Accept header asking for results
(SELECT, ASK) or RDF (CONSTRUCT, DESCRIBE); answers are parsed by Oxigraph.
"""
from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import (HTTPBasicAuthHandler, HTTPDigestAuthHandler, HTTPPasswordMgrWithDefaultRealm,
                            Request, build_opener)

import pyoxigraph as ox

from ..errors import KzError
from ..prefixes import GRAPH_IRI
from .answer import Answer
from .base import LOAD, PERSISTENT, UPDATE, Loaded, Progress, Store

#: seconds to wait for a remote answer
TIMEOUT = 60.0
#: triples per request when loading
BATCH = 50_000
#: triples per INSERT DATA: a SPARQL parser holds a whole update in memory (Virtuoso's gives up between 500 and 2,000)
UPDATE_BATCH = 500
_NOT_OFFERED = (404, 405, 415, 501)  # statuses of a Graph Store endpoint that is not there
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}
_RDF = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # some servers label N-Triples so
}
ACCEPT = {
    "results": "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8",
    "rdf": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8",
}


class HttpError(KzError):
    """The endpoint answered with an HTTP error ``status``."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def is_iri(text: str) -> bool:
    """Whether ``text`` looks like an absolute IRI (a scheme, then no spaces or ``<>"{}|^`\\``)."""
    return re.fullmatch(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]+', text) is not None


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL 1.1 store answers: queries, updates and the Graph Store Protocol (``None``: not offered)."""

    query: str
    update: str
    store: str | None


def endpoints(url: str) -> Endpoints:
    """The endpoints of the store at ``url`` (``URL[;update=URL][;store=URL]``), as the module says."""
    first, *options = url.split(";")
    given = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or key not in ("update", "store", "query"):
            raise KzError(f"{url}: unknown option {option!r} (use ;update=URL or ;store=URL)")
        given[key] = _http(value)
    base = _http(first).split("?")[0].rstrip("/")
    head, _, last = base.rpartition("/")
    if last in ("query", "update", "store") and head.count("/") >= 2:
        found = {"query": f"{head}/query", "update": f"{head}/update", "store": f"{head}/store"}
    elif last == "sparql" and head.count("/") >= 2:
        found = {"query": base, "update": base, "store": None}
    else:
        found = {"query": f"{base}/query", "update": f"{base}/update", "store": f"{base}/store"}
    return Endpoints(**{**found, **given})


def _http(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KzError(f"{url}: not an http(s) URL of a SPARQL endpoint")
    return url


class Client:
    """HTTP to one store: a timeout, credentials where given, errors said in one line; counts requests."""

    def __init__(self, timeout: float = TIMEOUT):
        self.timeout = timeout
        self.requests = 0
        self.passwords = HTTPPasswordMgrWithDefaultRealm()
        self.opener = build_opener(HTTPBasicAuthHandler(self.passwords), HTTPDigestAuthHandler(self.passwords))

    def url(self, url: str) -> str:
        """``url`` without its ``user:password@``, which is remembered for its host."""
        parts = urlsplit(url)
        user, password = parts.username, parts.password
        if user is None and os.environ.get("KZGRAPH_SPARQL_USER"):
            user, password = os.environ["KZGRAPH_SPARQL_USER"], os.environ.get("KZGRAPH_SPARQL_PASSWORD", "")
        netloc = parts.netloc.rpartition("@")[2]
        clean = urlunsplit(parts._replace(netloc=netloc))
        if user is not None:
            self.passwords.add_password(None, clean, user, password or "")
        return clean

    def send(self, request: Request, where: str) -> tuple[bytes, str]:
        """The body and media type of the answer to ``request``, or :class:`KzError` naming ``where``."""
        self.requests += 1
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        except HTTPError as exc:
            # a plain-text body says what was wrong (Oxigraph's do); an HTML error page only repeats the status
            html = "html" in (exc.headers.get("Content-Type") or "") if exc.headers else False
            detail = "" if html else " ".join(exc.read(300).decode("utf-8", "replace").split())
            raise HttpError(f"{where}: the endpoint answered {exc.code} {exc.reason}"
                            f"{': ' + detail if detail else ''}", exc.code) from None
        except (URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise KzError(f"{where}: cannot reach the endpoint ({reason})") from None


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


def canonical(term):
    """``term`` with a boolean in its canonical form: some engines (Virtuoso) write true as ``1``."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN and term.value in _CANONICAL_BOOLEAN:
        return ox.Literal(_CANONICAL_BOOLEAN[term.value], datatype=term.datatype)
    return term


class RemoteStore(Store):
    """A graph in a remote SPARQL 1.1 store."""

    kind = "sparql"
    usage = ("sparql:URL  a remote SPARQL 1.1 store: its base URL or query endpoint "
             "[;update=URL][;store=URL][#GRAPH]")
    capabilities = frozenset({LOAD, UPDATE, PERSISTENT})

    def __init__(self, where: str, timeout: float = TIMEOUT):
        super().__init__()
        self.where = where
        url, _, fragment = where.partition("#")
        if fragment and fragment != "default" and not is_iri(fragment):
            raise KzError(f"sparql:{where}: the graph after '#' must be an IRI or 'default'")
        self.graph_iri = None if fragment == "default" else (fragment or GRAPH_IRI)
        self.client = Client(timeout)
        found = endpoints(url)
        self.endpoints = Endpoints(self.client.url(found.query), self.client.url(found.update),
                                   self.client.url(found.store) if found.store else None)

    @classmethod
    def open(cls, where: str, files: Sequence[Path] | None = None) -> RemoteStore:
        if files is not None:
            raise KzError(f"--store sparql:{where}: --data cannot be read into a remote store;"
                          " load it there first (`kzgraph load --store sparql:…`)")
        store = cls(where)
        store.check()
        return store

    @classmethod
    def at(cls, where: str) -> RemoteStore:
        """The store at ``where`` to be filled by :meth:`load`."""
        return cls(where)

    @property
    def spec(self) -> str:
        return f"sparql:{self.where}"

    def check(self) -> None:
        """Ask the endpoint an empty ASK, so that a wrong URL fails here with one clear line."""
        if self.execute("ASK {}").form != "ASK":
            raise KzError(f"sparql:{self.where}: {self.endpoints.query} did not answer like a SPARQL endpoint")

    def execute(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
                base_iri: str | None = None, form: str | None = None) -> Answer:
        from ..sparql import query_form, with_values

        form = form or query_form(sparql)
        if bindings:
            sparql = with_values(sparql, bindings)
        # the project's prefixes, as the local engines know them; the query's own declarations come after
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())
        if base_iri and not re.match(r"\s*BASE\b", sparql, re.I):
            prologue = f"BASE <{base_iri}>\n{prologue}"
        sparql = prologue + sparql
        params = {"query": sparql}
        if self.graph_iri is not None:
            params["default-graph-uri"] = self.graph_iri
        graphs = form in ("CONSTRUCT", "DESCRIBE")
        request = Request(self.endpoints.query, data=urlencode(params).encode("utf-8"), headers={
            "Accept": ACCEPT["rdf" if graphs else "results"],
            "Content-Type": "application/x-www-form-urlencoded",
        })
        body, media = self.client.send(request, self.endpoints.query)
        where = self.endpoints.query
        try:
            if graphs:
                if media not in _RDF:
                    raise KzError(f"{where}: answered a {form} with {media or 'no media type'}, not RDF")
                return Answer(form, triples=[ox.Triple(t.subject, t.predicate, canonical(t.object))
                                             for t in ox.parse(body, format=_RDF[media])])
            if media not in _RESULTS:
                raise KzError(f"{where}: answered with {media or 'no media type'}, not SPARQL results")
            result = ox.parse_query_results(body, format=_RESULTS[media])
            if isinstance(result, ox.QueryBoolean):
                return Answer("ASK", boolean=bool(result))
            variables = [v.value for v in result.variables]
            return Answer("SELECT", variables=variables, rows=[tuple(canonical(t) for t in s) for s in result])
        except SyntaxError as exc:
            raise KzError(f"{where}: the answer does not parse as {media}: {exc}") from None

    # -- writing ------------------------------------------------------------------------------------
    def update(self, text: str) -> None:
        """Send a SPARQL Update to the update endpoint."""
        request = Request(self.endpoints.update, data=urlencode({"update": text}).encode("utf-8"), method="POST",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.client.send(request, self.endpoints.update)
        self.changed()

    def load(self, files: Sequence[Path], *, force: bool = False, progress: Progress | None = None,
             batch: int = BATCH) -> Loaded:
        """Replace the named graph by the triples of ``files`` (parsed by Oxigraph), in batches."""
        from .memory import MemoryStore

        local = MemoryStore()
        local.load(files)
        return self.replace_with(local.inner, progress=progress, batch=batch)

    def replace_with(self, source: ox.Store, *, replace: bool = True, progress: Progress | None = None,
                     batch: int = BATCH) -> Loaded:
        """Send the triples of ``source``'s default graph into the named graph (emptied first if ``replace``)."""
        started = time.perf_counter()
        if self.graph_iri is None:
            raise KzError(f"sparql:{self.where}: load into a named graph (#IRI), not the endpoint's default graph")
        writer = _Writer(self)
        total, sent = len(source), 0
        try:
            self.check()
            if replace:
                writer.clear()
            for part in batches(source, batch):
                writer.add(part, replace)
                sent += len(part)
                if progress:
                    progress(len(part))
        except KzError as exc:
            if sent:
                state = f"{sent} of {total} triples were already loaded into <{self.graph_iri}>"
            elif writer.cleared:
                state = f"<{self.graph_iri}> was emptied and nothing was loaded"
            else:
                state = "nothing was loaded"
            raise KzError(f"{exc} ({state})") from None
        self.changed()
        return Loaded(f"<{self.graph_iri}> at {writer.target}", len(self), True,
                      time.perf_counter() - started, writer.protocol)


def batches(source: ox.Store, size: int = BATCH):
    """The triples of ``source`` in lists of up to ``size``; every triple with a blank node in the first.

    A store reads each request's blank-node labels afresh, so a blank node split over two requests
    would become two nodes; the dataset has few of them (OWL lists in the ontology).
    """
    with_bnodes = [q.triple for q in source.quads_for_pattern(None, None, None, ox.DefaultGraph())
                   if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]
    if with_bnodes:
        yield with_bnodes
    chunk = []
    for quad in source.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            continue
        chunk.append(quad.triple)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Writer:
    """Writes N-Triples into one named graph, by the Graph Store Protocol or, where it is not offered,
    by SPARQL Update."""

    def __init__(self, store: RemoteStore):
        self.store, self.iri = store, store.graph_iri
        self.protocol = "graph store protocol" if store.endpoints.store else "sparql update"
        self.cleared = False

    @property
    def target(self) -> str:
        return self.store.endpoints.store if self.protocol == "graph store protocol" else self.store.endpoints.update

    def _gsp(self, method: str, body: bytes | None = None) -> None:
        where = self.store.endpoints.store
        # `graph` is the protocol's parameter; Virtuoso reads `graph-uri`
        params = {"graph": self.iri, "graph-uri": self.iri} if "sparql-graph-crud" in where else {"graph": self.iri}
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        self.store.client.send(Request(f"{where}?{urlencode(params)}", data=body, method=method, headers=headers),
                               where)

    def _fall_back(self, exc: HttpError) -> bool:
        if self.protocol == "graph store protocol" and exc.status in _NOT_OFFERED:
            self.protocol = "sparql update"
            return True
        return False

    def clear(self) -> None:
        """Empty the named graph (a graph that does not exist is already empty)."""
        if self.protocol == "graph store protocol":
            try:
                self._gsp("DELETE")
                self.cleared = True
                return
            except HttpError as exc:
                if exc.status == 404:  # GSP: 404 is "no such graph"
                    self.cleared = True
                    return
                if not self._fall_back(exc):
                    raise
        self.store.update(f"DROP SILENT GRAPH <{self.iri}>")
        self.cleared = True

    def add(self, triples: list, replace: bool) -> None:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        if self.protocol == "graph store protocol":
            try:
                return self._gsp("POST", body)
            except HttpError as exc:
                if not self._fall_back(exc):
                    raise
                if replace:  # the GSP DELETE may have hit nothing
                    self.clear()
        for start in range(0, len(triples), UPDATE_BATCH):
            # blank nodes stay together: the first batch holds them all, and is sent whole
            part = triples if start == 0 and _with_bnodes(triples) else triples[start:start + UPDATE_BATCH]
            text = ox.serialize(part, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            self.store.update(f"INSERT DATA {{ GRAPH <{self.iri}> {{\n{text}\n}} }}")
            if part is triples:
                break


def _with_bnodes(triples: list) -> bool:
    return any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
