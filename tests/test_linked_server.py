"""Dereferenceable IRIs on `kzgraph serve`: content negotiation by Accept and by suffix, 303s, 404s with
suggestions, /ontology and /void; and cross-origin SPARQL queries still work beside them."""
from __future__ import annotations

import os

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, VOID

from kzgraph.namespaces import KZ, KZR
from servers import kzgraph_server, varies_on_accept

CHROMIUM = "/usr/bin/chromium"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RDF = {"text/turtle": ("ttl", "turtle"), "application/ld+json": ("jsonld", "json-ld"),
       "application/n-triples": ("nt", "nt"), "application/rdf+xml": ("rdf", "xml")}


@pytest.fixture(scope="module")
def server():
    with kzgraph_server() as url:
        yield url


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


@pytest.mark.parametrize("accept, suffix", [(BROWSER, "html"), (None, "html"), ("*/*", "html"),
                                            *((media, s) for media, (s, _) in RDF.items()),
                                            ("application/json", "jsonld"),
                                            ("text/turtle;q=0.5, application/rdf+xml", "rdf")])
def test_a_things_iri_is_303_to_the_document_the_accept_header_asks_for(http, accept, suffix):
    response = http.get("/id/ak-zhol", headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["location"] == f"/id/ak-zhol.{suffix}"
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("media", RDF)
def test_each_suffix_is_its_format_about_the_thing(http, media):
    suffix, fmt = RDF[media]
    response = http.get(f"/id/ak-zhol.{suffix}")
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    described = Graph().parse(data=response.content, format=fmt)
    assert (KZR["ak-zhol"], RDFS.label, None) in described
    assert (None, KZ.contestant, KZR["ak-zhol"]) in described


def test_following_the_iri_gives_the_page(http):
    page = http.get("/id/kassym-jomart-tokayev", headers={"Accept": BROWSER}, follow_redirects=True)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Kassym-Jomart Tokayev</h1>" in page.text and 'href="../ontology.html#Person"' in page.text
    turtle = http.get("/id/kassym-jomart-tokayev", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert (KZR["kassym-jomart-tokayev"], None, None) in Graph().parse(data=turtle.text, format="turtle")


def test_unacceptable_format_is_406(http):
    for path in ("/id/ak-zhol", "/ontology", "/void"):
        response = http.get(path, headers={"Accept": "image/png"})
        assert response.status_code == 406 and varies_on_accept(response), path
        assert "text/turtle" in response.text


def test_negotiated_answers_vary_on_accept_and_fixed_documents_do_not(http):
    for path, accept in (("/id/ak-zhol", "text/turtle"), ("/ontology", BROWSER), ("/void", "application/ld+json"),
                         ("/id/nur-otn", BROWSER), ("/id/nur-otn", "text/turtle")):
        assert varies_on_accept(http.get(path, headers={"Accept": accept})), (path, accept)
    assert not varies_on_accept(http.get("/id/ak-zhol.ttl", headers={"Accept": "text/html"}))


@pytest.mark.parametrize("path", ["/id/ak-zhol", "/id/ak-zhol.ttl", "/id/nur-otn", "/ontology", "/void",
                                  "/index.html"])
def test_head_answers_as_get_without_a_body(http, path):
    get, head = http.get(path), http.head(path)
    assert head.status_code == get.status_code and head.content == b""
    for name in ("content-type", "content-length", "location", "vary"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_an_unknown_thing_is_a_404_page_naming_the_closest(http):
    for path in ("/id/nur-otn", "/id/nur-otn.html"):
        response = http.get(path, headers={"Accept": BROWSER})
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
        assert '<a href="../id/nur-otan.html">Nur Otan</a>' in response.text
    assert http.get("/id/nur-otn", headers={"Accept": "text/turtle"}).status_code == 404
    assert http.get("/id/..%2f..%2fetc%2fpasswd").status_code == 404
    assert http.get("/no/such/page.html").status_code == 404


def test_the_ontology_negotiates_too(http):
    response = http.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["location"] == "/ontology.ttl"
    ontology = Graph().parse(data=http.get("/ontology.ttl").text, format="turtle")
    assert (KZ.Person, RDFS.label, None) in ontology
    html = http.get("/ontology", headers={"Accept": BROWSER}, follow_redirects=True)
    assert 'id="Person"' in html.text and 'id="holder"' in html.text  # each term as /ontology#Term


@pytest.mark.parametrize("media", RDF)
def test_void_describes_this_server(http, server, media):
    suffix, fmt = RDF[media]
    response = http.get("/void", headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-location"] == f"/void.{suffix}"
    void = Graph().parse(data=response.content, format=fmt)
    dataset = URIRef("https://w3id.org/kzgraph/dataset")
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{server}/sparql")
    dumps = set(void.objects(dataset, VOID.dataDump))
    assert URIRef(f"{server}/kzgraph.ttl") in dumps
    assert http.get("/kzgraph.ttl").status_code == 200


def test_the_sites_pages_are_served(http):
    for path in ("/index.html", "/search.html", "/search.js", "/search-index.js", "/class/Person.html",
                 "/network/ak-zhol.html", "/kzgraph.nt", "/void.ttl"):
        assert http.get(path).status_code == 200, path
    assert http.get("/").status_code == 200 and "<textarea" in http.get("/").text  # the query page stays


def test_cross_origin_sparql_queries_still_work(http):
    origin = {"Origin": "https://yasgui.example"}
    preflight = http.options("/sparql", headers={**origin, "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type, accept"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")
    response = http.post("/sparql", data={"query": "ASK { ?s ?p ?o }"},
                         headers={**origin, "Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert response.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")
    thing = http.get("/id/ak-zhol.ttl", headers=origin)
    assert thing.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Debian chromium at {CHROMIUM}")
def test_a_page_on_another_origin_queries_the_endpoint_in_a_browser(server):
    """As YASGUI does: a page served from localhost fetches 127.0.0.1's endpoint."""
    playwright = pytest.importorskip("playwright.sync_api")
    other = server.replace("127.0.0.1", "localhost")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith((server, other))
                   else route.abort())
        page.goto(f"{other}/id/ak-zhol.html")
        answer = page.evaluate("""async url => {
            const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json"}, body: "query=" + encodeURIComponent(
                "SELECT ?l WHERE { <https://w3id.org/kzgraph/id/ak-zhol> rdfs:label ?l }")});
            return (await r.json()).results.bindings.map(b => b.l.value);
        }""", f"{server}/sparql")
        browser.close()
    assert answer == ["Ak Zhol Democratic Party"] and errors == []


def test_an_unknown_things_rdf_document_is_a_plain_404(http):
    response = http.get("/id/nur-otn.ttl")
    assert response.status_code == 404 and response.text == "no thing kzr:nur-otn in this graph\n"
