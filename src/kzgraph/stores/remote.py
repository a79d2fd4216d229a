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
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import (HTTPBasicAuthHandler, HTTPDigestAuthHandler, HTTPPasswordMgrWithDefaultRealm,
                            Request, build_opener, parse_http_list, parse_keqv_list)

import pyoxigraph as ox

from ..errors import KzError
from ..prefixes import GRAPH_IRI
from .answer import Answer
from .base import LOAD, PERSISTENT, UPDATE, Loaded, Progress, Store

#: seconds to wait for a remote answer
TIMEOUT = 60.0
#: seconds to wait for a store to take a batch of a load (Virtuoso has taken over a minute for a million triples)
WRITE_TIMEOUT = 600.0
#: triples per request when loading. Bigger requests are a little faster, but Virtuoso 7 deadlocks
#: inside one request of 400,000 triples or more now and then (a 500 with SQLSTATE 40001, or no answer
#: at all); 100,000 loaded as fast as 250,000 there, with no deadlock in 30 requests (benchmarks/results.md)
BATCH = 100_000
#: requests of a load in flight at once by the Graph Store Protocol: the store takes one while the next
#: arrives (Virtuoso: 1M triples in 100,000-triple requests 12.1 s one at a time, 7.3–8.1 s two at a time)
PARALLEL = 2
#: times a write that the store rolled back is sent again: as deadlocked (SQLSTATE 40001), or (Virtuoso,
#: two requests adding the same new language tag at once) for a duplicate key in its dictionaries
RETRIES = 3
_CHUNK = 1 << 20  # bytes written between two progress reports
_BLANK = b"_:"  # what every N-Triples line with a blank node holds (a literal may hold it too: harmless)
#: triples per INSERT DATA: a SPARQL parser holds a whole update in memory (Virtuoso's gives up between 500 and 2,000)
UPDATE_BATCH = 500
#: what a store's answer names when it rolled a write back for a clash with another (see HttpError.rolled_back)
_CLASH = re.compile(rb"\b(40001|SR197)\b")
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
    """The endpoint answered with an HTTP error ``status``; ``body`` is the start of its answer."""

    def __init__(self, message: str, status: int, body: bytes = b""):
        super().__init__(message)
        self.status, self.body = status, body

    @property
    def rolled_back(self) -> bool:
        """Whether the store rolled the write back for a clash with another one at the same time:
        deadlocked (SQLSTATE 40001, which asks for the request again), or Virtuoso's SR197, two requests
        adding the same new entry to its dictionaries (a language tag, a datatype) at once."""
        return self.status >= 500 and _CLASH.search(self.body) is not None


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


class _DigestAhead(HTTPDigestAuthHandler):
    """Digest authentication that answers a server's last challenge up front (RFC 7616's nonce count).

    urllib's own handler waits for a 401 on every request, so each batch of a load would be sent
    twice, once only to be refused; a server that no longer takes the nonce challenges again.
    """

    def __init__(self, passwords):
        super().__init__(passwords)
        self.challenges: dict[str, dict] = {}  # by scheme://host/path
        self._counting = threading.Lock()  # a load's requests go out from several threads; each takes its own nonce count

    @staticmethod
    def _space(request: Request) -> str:
        parts = urlsplit(request.full_url)
        return f"{parts.scheme}://{parts.netloc}{parts.path}"

    def retry_http_digest_auth(self, req, auth):
        scheme, _, challenge = auth.partition(" ")
        if scheme.lower() == "digest":
            self.challenges[self._space(req)] = parse_keqv_list(filter(None, parse_http_list(challenge)))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req):
        challenge = self.challenges.get(self._space(req))
        if challenge is not None and not req.has_header(self.auth_header):
            with self._counting:
                answer = self.get_authorization(req, challenge)
            if answer:
                req.add_unredirected_header(self.auth_header, f"Digest {answer}")
        return req

    https_request = http_request


class Client:
    """HTTP to one store: a timeout, credentials where given, errors said in one line; counts requests."""

    def __init__(self, timeout: float = TIMEOUT):
        self.timeout = timeout
        self.requests = 0
        self._counting = threading.Lock()
        self.passwords = HTTPPasswordMgrWithDefaultRealm()
        self.opener = build_opener(HTTPBasicAuthHandler(self.passwords), _DigestAhead(self.passwords))

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

    def send(self, request: Request, where: str, timeout: float | None = None) -> tuple[bytes, str]:
        """The body and media type of the answer to ``request``, or :class:`KzError` naming ``where``."""
        with self._counting:
            self.requests += 1
        try:
            with self.opener.open(request, timeout=timeout or self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        except HTTPError as exc:
            # a plain-text body says what was wrong (Oxigraph's do); an HTML error page only repeats the status
            html = "html" in (exc.headers.get("Content-Type") or "") if exc.headers else False
            body = exc.read(2000)
            detail = "" if html else " ".join(body[:300].decode("utf-8", "replace").split())
            raise HttpError(f"{where}: the endpoint answered {exc.code} {exc.reason}"
                            f"{': ' + detail if detail else ''}", exc.code, body) from None
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
        self.client.send(request, self.endpoints.update, WRITE_TIMEOUT)
        self.changed()

    def load(self, files: Sequence[Path], *, force: bool = False, progress: Progress | None = None,
             batch: int = BATCH, parallel: int = PARALLEL) -> Loaded:
        """Replace the named graph by the triples of ``files``, sent as the start-up cache holds them
        (parsed and cached first if need be): no local store is built to be read out again."""
        from .memory import read_cached

        body = read_cached(files, force=force).body
        if progress is None:
            return self.send(body, batch=batch, parallel=parallel)
        # the caller counts the files' bytes: say each triple sent as its share of them
        size, triples, done = sum(Path(f).stat().st_size for f in files), max(1, body.count(b"\n")), [0, 0]

        def sent(n: int) -> None:
            done[0] += n
            now = size * done[0] // triples
            progress(now - done[1])
            done[1] = now

        return self.send(body, batch=batch, progress=sent, parallel=parallel)

    def replace_with(self, source: ox.Store, *, replace: bool = True, progress: Progress | None = None,
                     batch: int = BATCH, parallel: int = PARALLEL) -> Loaded:
        """Send the triples of ``source``'s default graph into the named graph (emptied first if ``replace``)."""
        return self.send(ntriples(source), replace=replace, progress=progress, batch=batch, parallel=parallel)

    def send(self, body: bytes, *, replace: bool = True, progress: Progress | None = None,
             batch: int = BATCH, parallel: int = PARALLEL) -> Loaded:
        """Send N-Triples into the named graph (emptied first if ``replace``) in requests of up to ``batch``
        triples, up to ``parallel`` of them at once; ``progress(n)`` hears of each ``n`` triples sent."""
        started = time.perf_counter()
        if self.graph_iri is None:
            raise KzError(f"sparql:{self.where}: load into a named graph (#IRI), not the endpoint's default graph")
        writer = _Writer(self, progress)
        try:
            self.check()
            writer.open(replace)
            writer.add_all(batches(body, batch), parallel)
        except KzError as exc:
            if writer.sent:
                total = body.count(b"\n")  # counted only here: a million lines cost a tenth of a second
                state = f"{writer.sent} of {total} triples were already loaded into <{self.graph_iri}>"
            elif writer.cleared:
                state = f"<{self.graph_iri}> was emptied and nothing was loaded"
            else:
                state = "nothing was loaded"
            raise KzError(f"{exc} ({state})") from None
        self.changed()
        return Loaded(f"<{self.graph_iri}> at {writer.target}", len(self), True,
                      time.perf_counter() - started, writer.protocol)


def ntriples(source: ox.Store) -> bytes:
    """The default graph of ``source`` as N-Triples, written by Oxigraph."""
    return source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def batches(ntriples: bytes, size: int = BATCH):
    """N-Triples in parts of up to ``size`` triples (lines), every line with a blank node in the first.

    A store reads each request's blank-node labels afresh, so a blank node split over two requests
    would become two nodes; a line that only mentions ``_:`` in a literal goes first too, which is harmless.
    The bytes are cut where the lines end, not split into lines: a million of them cost a second.
    """
    if ntriples and not ntriples.endswith(b"\n"):
        ntriples += b"\n"
    lines = ntriples.count(b"\n")
    if lines <= size:
        if ntriples:
            yield ntriples
        return
    blank, plain = _lines_with(ntriples, _BLANK)
    if blank:
        yield blank
        lines -= blank.count(b"\n")
    start = 0
    while lines > 0:
        end = _after_lines(plain, start, min(size, lines), lines)
        yield plain[start:end]
        start, lines = end, lines - size


def _lines_with(data: bytes, needle: bytes) -> tuple[bytes, bytes]:
    """The lines of ``data`` that hold ``needle``, and the others, each in their order."""
    taken, kept, last = [], [], 0
    at = data.find(needle)
    while at != -1:
        begin, end = data.rfind(b"\n", 0, at) + 1, data.index(b"\n", at) + 1
        kept.append(data[last:begin])
        taken.append(data[begin:end])
        last = end
        at = data.find(needle, end)
    if not taken:
        return b"", data
    kept.append(data[last:])
    return b"".join(taken), b"".join(kept)


def _after_lines(data: bytes, start: int, n: int, lines: int) -> int:
    """Where the ``n``-th line after ``start`` ends, ``data`` holding ``lines`` lines from ``start`` on,
    every one ending in a newline."""
    if lines <= n:
        return len(data)
    # guesses from the mean line length, counting only the bytes between two guesses, then line by line
    mean = (len(data) - start) / lines
    at, have = start, 0
    for _ in range(32):  # each guess lands closer; a guess that stays put ends them
        if abs(n - have) <= 64:
            break
        to = data.rfind(b"\n", start, max(start, min(len(data), at + int((n - have) * mean)))) + 1 or start
        if to == at:
            break
        have += data.count(b"\n", at, to) if to > at else -data.count(b"\n", to, at)
        at = to
    while have < n:
        at, have = data.index(b"\n", at) + 1, have + 1
    while have > n:
        at, have = data.rindex(b"\n", start, at - 1) + 1, have - 1
    return at


class _Body:
    """A request body written in chunks, telling ``progress`` of the triples in each as it goes out."""

    def __init__(self, data: bytes, progress: Progress | None):
        self.data, self.progress = data, progress

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self):
        view = memoryview(self.data)
        for start in range(0, len(view), _CHUNK):
            chunk = view[start:start + _CHUNK]
            yield chunk
            if self.progress:
                self.progress(self.data.count(b"\n", start, start + len(chunk)))
        self.progress = None  # a request sent again (a new challenge) is not progress


class _Writer:
    """Writes N-Triples into one named graph, by the Graph Store Protocol or, where it is not offered,
    by SPARQL Update."""

    def __init__(self, store: RemoteStore, progress: Progress | None = None):
        self.store, self.iri = store, store.graph_iri
        self.protocol = "graph store protocol" if store.endpoints.store else "sparql update"
        self.cleared = False
        self.sent = 0  # triples the store has taken
        self._counting = threading.Lock()
        self.progress = None if progress is None else self._told(progress)

    def _told(self, progress: Progress) -> Progress:
        def told(n: int) -> None:  # heard from each request's thread in turn
            with self._counting:
                progress(n)
        return told

    @property
    def target(self) -> str:
        return self.store.endpoints.store if self.protocol == "graph store protocol" else self.store.endpoints.update

    def _gsp(self, method: str, body: _Body | None = None) -> None:
        where = self.store.endpoints.store
        # `graph` is the protocol's parameter; Virtuoso reads `graph-uri`
        params = {"graph": self.iri, "graph-uri": self.iri} if "sparql-graph-crud" in where else {"graph": self.iri}
        headers = {"Content-Type": "application/n-triples", "Content-Length": str(len(body))} if body is not None else {}
        self.store.client.send(Request(f"{where}?{urlencode(params)}", data=body, method=method, headers=headers),
                               where, WRITE_TIMEOUT)

    @staticmethod
    def _again(write) -> None:
        """``write()``, sent again while the store answers that it rolled it back (:attr:`HttpError.rolled_back`)."""
        for attempt in range(RETRIES + 1):
            try:
                return write()
            except HttpError as exc:
                if not exc.rolled_back:
                    raise
                if attempt == RETRIES:
                    raise KzError(f"{exc} (rolled back {RETRIES + 1} times for a clash inside the store;"
                                  " a smaller --batch-size or --parallel 1 may help)") from None

    def _fall_back(self, exc: HttpError) -> bool:
        if self.protocol == "graph store protocol" and exc.status in _NOT_OFFERED:
            self.protocol = "sparql update"
            return True
        return False

    def open(self, replace: bool) -> None:
        """Ask the Graph Store endpoint to add nothing, then empty the graph if ``replace``: a store that
        does not offer the protocol, or that wants credentials, says so before any triples are sent."""
        if self.protocol == "graph store protocol":
            try:
                self._gsp("POST", _Body(b"", None))
            except HttpError as exc:
                if not self._fall_back(exc):
                    raise
        if replace:
            self.clear()

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

    def add_all(self, parts, parallel: int = 1) -> None:
        """:meth:`add` each part, up to ``parallel`` requests at once by the Graph Store Protocol (one after
        another by SPARQL Update, whose blank nodes must stay in one update); the first failure stops the
        rest, once the requests under way have their answers."""
        if parallel <= 1 or self.protocol != "graph store protocol":
            for part in parts:
                self.add(part)
            return
        with ThreadPoolExecutor(parallel, thread_name_prefix="kzgraph load") as pool:
            running: set = set()
            for part in parts:
                if len(running) >= parallel:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
                running.add(pool.submit(self.add, part))
            for future in running:
                future.result()

    def add(self, ntriples: bytes) -> None:
        if self.protocol == "graph store protocol":
            body = _Body(ntriples, self.progress)  # one body however often it is sent: progress is told once
            self._again(partial(self._gsp, "POST", body))
            with self._counting:
                self.sent += ntriples.count(b"\n")
            return
        blank, plain = _lines_with(ntriples, _BLANK)
        lines = plain.split(b"\n")[:-1]
        # the blank nodes stay together, in one update; the rest in updates a parser takes whole
        for part in ([blank.split(b"\n")[:-1]] if blank else []) + [lines[i:i + UPDATE_BATCH]
                                                                     for i in range(0, len(lines), UPDATE_BATCH)]:
            text = b"\n".join(part).decode("utf-8")
            self._again(partial(self.store.update, f"INSERT DATA {{ GRAPH <{self.iri}> {{\n{text}\n}} }}"))
            self.sent += len(part)
            if self.progress:
                self.progress(len(part))
