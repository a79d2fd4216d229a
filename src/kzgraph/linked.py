"""Dereferenceable IRIs for ``kzgraph serve``: the routes of the linked-data site (:mod:`kzgraph.site`).

``/id/{slug}``, ``/ontology`` and ``/void`` answer by content negotiation as DBpedia does: the IRI of a
thing answers 303 See Other to the document that describes it, ``/id/{slug}.html`` for a browser and
``.ttl``, ``.jsonld``, ``.nt`` or ``.rdf`` for the Accept header's RDF format; the suffixed documents
answer directly. An unknown thing is a 404 page that names the closest things.
"""
from __future__ import annotations

import threading

from rdflib import Graph
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .exporting import serialize
from .site import FORMATS, MEDIA, SLUG, Site
from .sparql_workers import negotiate, parse_accept

#: media type → the suffix of the document in it
OFFERS = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
          "application/ld+json": "jsonld", "application/json": "jsonld", "application/n-triples": "nt",
          "application/rdf+xml": "rdf"}
RDF_OFFERS = {media: suffix for media, suffix in OFFERS.items() if suffix != "html"}


def routes(graph: Graph) -> list[Route]:
    """The linked-data routes over ``graph``; mount them after the endpoint's own."""
    site = Site(graph)
    lock = threading.Lock()  # one page made at a time: the graph is shared with the view
    # (base URL the client used, suffix) → description; the Host header is the client's, so the
    # cache is bounded
    voids: dict[tuple[str, str], bytes] = {}

    def get(path: str):
        with lock:
            return site.get(path)

    def has(slug: str) -> bool:
        with lock:
            return site.has(slug)

    def void_of(base: str, suffix: str) -> bytes:
        with lock:
            if (base, suffix) not in voids:
                if len(voids) >= 16:
                    voids.clear()
                description = site.void(base=base, endpoint=base + "sparql")
                voids[base, suffix] = serialize(description, FORMATS[suffix][0])
            return voids[base, suffix]

    def choose(request: Request, offers: dict[str, str]) -> str | None:
        media = negotiate(parse_accept(request.headers.get("accept")), offers)
        return offers[media] if media else None

    def see_other(request: Request, document: str) -> Response:
        suffix = choose(request, OFFERS)
        if suffix is None:
            return _unacceptable(OFFERS)
        return RedirectResponse(f"{document}.{suffix}", status_code=303, headers={"Vary": "Accept"})

    async def thing(request: Request) -> Response:
        slug = request.path_params["slug"]
        if slug.rpartition(".")[2] in MEDIA:  # /id/{slug}.ttl: the document itself
            return await serve(request, f"id/{slug}")
        if not SLUG.fullmatch(slug) or not await run_in_threadpool(has, slug):
            response = await missing(slug, html=choose(request, OFFERS) in (None, "html"))
            response.headers["Vary"] = "Accept"  # page or line, as the Accept header chose
            return response
        return see_other(request, f"/id/{slug}")

    def missing_page(slug: str) -> bytes:
        with lock:
            return site.missing(slug)

    async def missing(slug: str, html: bool) -> Response:
        """404 for an unknown thing: a page naming the closest things, or one line for a program."""
        if html:
            return HTMLResponse(await run_in_threadpool(missing_page, slug), status_code=404)
        return PlainTextResponse(f"no thing kzr:{slug} in this graph\n", status_code=404)

    async def ontology(request: Request) -> Response:
        return see_other(request, "/ontology")

    async def void(request: Request) -> Response:
        suffix = choose(request, RDF_OFFERS)
        if suffix is None:
            return _unacceptable(RDF_OFFERS)
        body = await run_in_threadpool(void_of, str(request.base_url), suffix)
        return Response(body, media_type=FORMATS[suffix][1],
                        headers={"Vary": "Accept", "Content-Location": f"/void.{suffix}"})

    async def document(request: Request) -> Response:
        return await serve(request, request.path_params["path"])

    async def serve(request: Request, path: str) -> Response:
        name, _, suffix = path.rpartition(".")
        if name == "void" and suffix in RDF_OFFERS.values():
            return Response(await run_in_threadpool(void_of, str(request.base_url), suffix),
                            media_type=FORMATS[suffix][1])
        found = await run_in_threadpool(get, path)
        if found is None:
            folder, _, slug = name.partition("/")
            if folder == "id" and "/" not in slug:
                return await missing(slug, html=suffix == "html")
            return PlainTextResponse(f"no {path} on this site\n", status_code=404)
        body, media = found
        return Response(body, media_type=media)

    return [
        Route("/id/{slug}", thing),
        Route("/ontology", ontology),
        Route("/void", void),
        Route("/{path:path}", document),
    ]


def _unacceptable(offers: dict[str, str]) -> Response:
    return PlainTextResponse(f"not available in the Accept header's formats; this document comes as "
                             f"{', '.join(offers)}\n", status_code=406, headers={"Vary": "Accept"})
