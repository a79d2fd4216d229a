"""``kzgraph serve``: a read-only SPARQL 1.1 Protocol endpoint, the network view and a query page.

Built on starlette + uvicorn: both are maintained, widely deployed ASGI projects; uvicorn's h11
parser bounds request lines and headers for us, and the async loop holds hundreds of waiting clients
cheaply while the queries themselves run in killable worker processes (:mod:`kzgraph.sparql_workers`).
The standard library's http.server would need our own threading, limits and body parsing.

A query's relative IRIs (``<rel>``) resolve against the endpoint's own URL as this server listens on
it (``http://127.0.0.1:7000/sparql``, the ``sd:endpoint`` of its service description: the base the
SPARQL 1.1 Protocol says "MAY be the service endpoint"); a query with a BASE of its own keeps it. HEAD answers as GET does, without the
body; every answer chosen by the Accept header says ``Vary: Accept``.
"""
from __future__ import annotations

import asyncio
import json
import signal
import socket
import threading
from contextlib import asynccontextmanager
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qsl

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from .errors import KzError
from .namespaces import GRAPH_IRI
from .sparql import named_queries
from .sparql_workers import TRUNCATED_HEADER, VARY, Request as Query
from .sparql_workers import WorkerPool, negotiate, parse_accept

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_SD_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
_SD_SERIALIZERS = {"text/turtle": "turtle", "application/n-triples": "nt",
                   "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
PAGE = Path(__file__).with_name("query_page.html")
_HEADROOM = 65_536  # bytes of request line and headers besides the query


class _TooLarge(Exception):
    pass


def _plain(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status)


def create_app(graph: Graph, pool: WorkerPool, *, max_bytes: int = 1_000_000, body_seconds: float = 30.0,
               on_start=None) -> Starlette:
    """The ASGI application serving ``graph`` through ``pool``; requests over ``max_bytes`` get 413,
    request bodies not received within ``body_seconds`` 408.

    ``on_start()`` is called once the server runs (and handles Ctrl-C).
    """
    view_html: list[str] = []

    async def sparql(request: Request) -> Response:
        try:
            params = _form(request.scope["query_string"].decode("latin-1"))
        except UnicodeDecodeError as exc:
            return _plain(400, f"query string is not UTF-8 once %-decoded (byte {exc.start})")
        if request.method == "POST":
            if int(request.headers.get("content-length") or 0) > max_bytes:
                return _plain(413, f"request body larger than this endpoint's limit of {max_bytes} bytes")
            try:
                body = await asyncio.wait_for(_read(request, max_bytes), body_seconds)
            except _TooLarge:
                return _plain(413, f"request body larger than this endpoint's limit of {max_bytes} bytes")
            except asyncio.TimeoutError:
                return _plain(408, f"request body not received within {body_seconds:g} s")
            except ClientDisconnect:  # nobody is left to read an answer; nothing to log either
                return _plain(400, "the client left before sending its request body")
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _plain(400, f"request body is not UTF-8 (byte {exc.start})")
            if ctype == "application/x-www-form-urlencoded":
                try:
                    params += _form(text)
                except UnicodeDecodeError as exc:
                    return _plain(400, f"request body is not UTF-8 once %-decoded (byte {exc.start})")
            elif ctype == "application/sparql-query":
                params.append(("query", text))
            elif ctype == "application/sparql-update":
                return _plain(403, "this endpoint is read-only: SPARQL UPDATE is refused")
            else:
                return _plain(415, f"unsupported content type {ctype or '(none)'!r}: send "
                                   "application/sparql-query or application/x-www-form-urlencoded")
        names = [name for name, _ in params]
        if "update" in names:
            return _plain(403, "this endpoint is read-only: SPARQL UPDATE is refused")
        if "query" not in names:
            if request.method in ("GET", "HEAD") and not params:
                return _description(request, len(graph))
            return _plain(400, "no query: give the SPARQL text in a 'query' parameter")
        if names.count("query") > 1:
            return _plain(400, "more than one 'query' parameter")
        text = dict(params)["query"]
        if len(text.encode("utf-8")) > max_bytes:  # only a GET can get here: POST bodies were checked
            return _plain(414, f"query longer than this endpoint's limit of {max_bytes} bytes; POST it")
        query = Query(
            text,
            parse_accept(request.headers.get("accept")),
            tuple(v for k, v in params if k == "default-graph-uri"),
            tuple(v for k, v in params if k == "named-graph-uri"),
            _endpoint(request),
        )
        answer = await run_in_threadpool(pool.answer, query)
        return Response(answer.body, answer.status, headers=answer.headers, media_type=answer.media_type)

    async def page(request: Request) -> Response:
        return HTMLResponse(_page(_has_view()))

    async def view(request: Request) -> Response:
        if not _has_view():
            return _plain(404, "the network view is not available in this kzgraph version")
        if not view_html:
            view_html.append(await run_in_threadpool(import_module("kzgraph.view").render, graph))
        return HTMLResponse(view_html[0])

    routes = [
        Route("/", page),
        Route("/view", view),
        Route("/sparql", sparql, methods=["GET", "POST"]),
    ]
    # Linked data (kzgraph.linked): /id/{slug}, /ontology, /void and the site's pages; last, as it ends
    # in a catch-all route
    from .linked import routes as linked_routes

    routes += linked_routes(graph)
    # Researchers query from browser tools on other origins (YASGUI); the endpoint is read-only.
    cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                      allow_headers=["Accept", "Content-Type"], expose_headers=[TRUNCATED_HEADER])

    @asynccontextmanager
    async def lifespan(app):
        if on_start:
            on_start()
        yield

    return Starlette(routes=routes, middleware=[cors], lifespan=lifespan)


def _form(encoded: str) -> list[tuple[str, str]]:
    """The parameters of a query string or form body, strictly: starlette's own reading replaces
    bytes that are not UTF-8 (``%FF``) without a word."""
    return parse_qsl(encoded, keep_blank_values=True, encoding="utf-8", errors="strict")


async def _read(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def _has_view() -> bool:
    try:
        return callable(getattr(import_module("kzgraph.view"), "render", None))
    except ImportError:
        return False


def service_description(endpoint: str, triples: int) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``."""
    sd = Graph()
    sd.bind("sd", SD)
    sd.bind("void", VOID)
    service, dataset, graph, named = URIRef(endpoint), BNode(), BNode(), BNode()
    sd.add((service, RDF.type, SD.Service))
    sd.add((service, SD.endpoint, service))
    sd.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in _SD_FORMATS:
        sd.add((service, SD.resultFormat, FORMATS[name]))
    sd.add((service, SD.defaultDataset, dataset))
    sd.add((dataset, RDF.type, SD.Dataset))
    sd.add((dataset, SD.defaultGraph, graph))
    sd.add((dataset, SD.namedGraph, named))
    sd.add((named, RDF.type, SD.NamedGraph))
    sd.add((named, SD.name, URIRef(GRAPH_IRI)))
    sd.add((named, SD.graph, graph))
    sd.add((graph, RDF.type, SD.Graph))
    sd.add((graph, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return sd


def _description(request: Request, triples: int) -> Response:
    media = negotiate(parse_accept(request.headers.get("accept")), _SD_SERIALIZERS)
    if media is None:
        refusal = _plain(406, f"the service description is available as {', '.join(_SD_SERIALIZERS)}")
        refusal.headers.update(VARY)
        return refusal
    body = service_description(_endpoint(request), triples).serialize(format=_SD_SERIALIZERS[media],
                                                                       encoding="utf-8")
    return Response(body, media_type=media, headers=VARY)


def _endpoint(request: Request) -> str:
    """The endpoint's URL at the address this server listens on, not the client's Host header (which
    anyone can write): the service description's ``sd:endpoint`` and the base IRI of queries."""
    host, port = request.scope["server"]
    return f"{request.url.scheme}://{f'[{host}]' if ':' in host else host}:{port}{request.url.path}"


def _page(with_view: bool) -> str:
    examples = [{"name": q.name, "question": q.question, "text": q.text} for q in named_queries()]
    # inside <script>, "</" could end the element: JSON allows escaping "<" as \u003c
    data = json.dumps(examples, ensure_ascii=False).replace("<", "\\u003c")
    link = '<a href="/view">network view</a> · ' if with_view else ""
    return (PAGE.read_text(encoding="utf-8")
            .replace("<!--VIEW-LINK-->", link)
            .replace("/*EXAMPLES*/[]", data))


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(store, *, host: str = "127.0.0.1", port: int = 7000, timeout: float = 10.0,
          max_rows: int = 10_000, max_bytes: int = 1_000_000, body_seconds: float = 30.0, workers: int = 2,
          echo=print) -> None:
    """Serve ``store`` (a Store, ``--store`` spec or held graph) until Ctrl-C; ``port`` 0 picks a free port.

    The SPARQL endpoint's workers answer from the store itself (:class:`~kzgraph.sparql_workers.WorkerPool`);
    the pages read its graph. ``echo`` receives the start/stop lines.
    """
    from .stores import open_store

    store = open_store(store)
    graph = store.graph()
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on sockets that say so, and without it
    # Nagle's algorithm and delayed ACKs add 40 ms to every response
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise KzError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)  # clients that come before uvicorn accepts wait in the backlog
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # so that `kill` cleans up as Ctrl-C does
    with sock, WorkerPool(store, workers=workers, timeout=timeout, max_rows=max_rows) as pool:
        base = f"http://{'[%s]' % host if family == socket.AF_INET6 else host}:{sock.getsockname()[1]}"

        def announce():
            echo(f"kzgraph: serving {pool.triples} triples at {base}/ (SPARQL endpoint {base}/sparql); "
                 "Ctrl-C stops")
            if host not in ("127.0.0.1", "localhost", "::1"):
                echo(f"kzgraph: warning: listening on {host}, reachable from other machines")

        app = create_app(graph, pool, max_bytes=max_bytes, body_seconds=body_seconds, on_start=announce)
        # h11 refuses a request line over its buffer with a bare 400: make room for a GET of max_bytes
        # (and its headers), so that the endpoint itself answers 414
        config = uvicorn.Config(app, http="h11", loop="asyncio", log_level="warning", access_log=False,
                                timeout_graceful_shutdown=5, h11_max_incomplete_event_size=3 * max_bytes + _HEADROOM)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C (or SIGTERM) it shut down on
            pass
    echo("kzgraph: stopped")
