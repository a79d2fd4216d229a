"""`kzgraph serve` as a client sees it: a real server on 127.0.0.1, every protocol form and results format."""
from __future__ import annotations

import csv
import io
import json
import re
import signal
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, VOID

from kzgraph.namespaces import KZ

from kzgraph.namespaces import GRAPH_IRI
from kzgraph.sparql import named_queries
from kzgraph.server import SD
from servers import counting_proxy, kzgraph_server, start_kzgraph, varies_on_accept

LABELS = "SELECT ?thing ?label WHERE { ?thing a kz:Person ; rdfs:label ?label }"
SRX = "{http://www.w3.org/2005/sparql-results#}"
TIMEOUT = 2.0
MAX_BYTES = 100_000
MAX_ROWS = 500


@pytest.fixture(scope="module")
def server():
    with kzgraph_server("--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS),
                        "--max-request-size", str(MAX_BYTES), "--workers", "2") as url:
        yield url


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


def local_labels(graph) -> set[tuple[str, str]]:
    return {(str(s), str(graph.value(s, RDFS.label))) for s in graph.subjects(RDF.type, KZ.Person)}


def test_get_json(http, graph):
    response = http.get("/sparql", params={"query": LABELS}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    doc = response.json()
    assert doc["head"]["vars"] == ["thing", "label"]
    got = {(b["thing"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]}
    assert got == local_labels(graph) and got
    assert all(b["thing"]["type"] == "uri" and b["label"]["type"] == "literal" for b in doc["results"]["bindings"])


def test_post_form_xml(http, graph):
    response = http.post("/sparql", data={"query": LABELS}, headers={"Accept": "application/sparql-results+xml"})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    names = [v.get("name") for v in root.iter(f"{SRX}variable")]
    assert names == ["thing", "label"]
    got = set()
    for result in root.iter(f"{SRX}result"):
        values = {b.get("name"): b[0] for b in result.iter(f"{SRX}binding")}
        assert values["thing"].tag == f"{SRX}uri"
        got.add((values["thing"].text, values["label"].text))
    assert got == local_labels(graph)


def test_post_sparql_query_csv_and_tsv(http, graph):
    headers = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    response = http.post("/sparql", content=LABELS.encode(), headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["thing", "label"]
    assert {tuple(r) for r in rows[1:]} == local_labels(graph)
    headers["Accept"] = "text/tab-separated-values"
    response = http.post("/sparql", content=LABELS.encode(), headers=headers)
    lines = response.text.rstrip("\n").split("\n")
    assert lines[0] == "?thing\t?label"
    assert all(line.startswith("<https://") for line in lines[1:])
    assert len(lines) - 1 == len(local_labels(graph))


def test_ask(http):
    ask = "ASK { ?s a ?class }"
    assert http.get("/sparql", params={"query": ask}).json() == {"head": {}, "boolean": True}
    response = http.get("/sparql", params={"query": "ASK { kzr:nobody-at-all ?p ?o }"}, headers={"Accept": "text/csv"})
    assert response.text.split() == ["false"]  # as Oxigraph writes a boolean in CSV (the format leaves it open)


@pytest.mark.parametrize("media, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_in_each_rdf_format(http, graph, media, fmt):
    construct = "CONSTRUCT { ?s rdfs:label ?o } WHERE { ?s a kz:Person ; rdfs:label ?o }"
    response = http.get("/sparql", params={"query": construct}, headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    got = Graph().parse(data=response.content, format=fmt)
    assert isomorphic(got, graph.query(construct).graph)


def test_describe(http, graph):
    thing = next(graph.subjects(RDFS.label))
    response = http.get("/sparql", params={"query": f"DESCRIBE <{thing}>"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    got = Graph().parse(data=response.content, format="turtle")
    assert set(got.predicate_objects(thing)) == set(graph.predicate_objects(thing))


def test_unacceptable_format_is_406(http):
    response = http.get("/sparql", params={"query": LABELS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_update_is_403_in_every_form(http):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    for response in (
        http.get("/sparql", params={"update": update}),
        http.get("/sparql", params={"query": update}),
        http.post("/sparql", data={"update": update}),
        http.post("/sparql", data={"query": "DROP ALL"}),
        http.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
    ):
        assert response.status_code == 403, response.text
        assert "read-only" in response.text
    assert http.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"] is False


def test_syntax_error_is_400_with_position(http):
    response = http.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p "})
    assert response.status_code == 400
    assert response.text.startswith("query:2:")
    assert "syntax error" in response.text


def test_service_is_refused(http):
    for target in ("file:///etc/passwd", "http://127.0.0.1:1/sparql"):
        response = http.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"})
        assert response.status_code == 403 and "SERVICE" in response.text


def count(http, sparql: str, **params) -> int:
    """The number a ``SELECT (COUNT(*) AS ?n)`` query answers."""
    response = http.get("/sparql", params={"query": sparql, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_from_names_a_graph_and_reads_no_file(http, graph):
    assert count(http, "SELECT (COUNT(*) AS ?n) FROM <file:///etc/passwd> WHERE { ?s ?p ?o }") == 0
    assert count(http, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_IRI}> WHERE {{ ?s ?p ?o }}") == len(graph)


def test_rows_are_cut_at_the_limit_and_marked(http, graph):
    many = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r }"
    response = http.get("/sparql", params={"query": many})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS < len(graph) ** 2
    assert response.headers["kzgraph-truncated-at-rows"] == str(MAX_ROWS)
    assert "kzgraph-truncated-at-rows" not in http.get("/sparql", params={"query": LABELS}).headers


def test_dataset_is_the_kzgraph_graph(http, graph):
    every = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count(http, every) == len(graph) == count(http, every, **{"default-graph-uri": GRAPH_IRI})
    assert count(http, every, **{"default-graph-uri": "https://example.org/other"}) == 0
    named = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_IRI}> {{ ?s ?p ?o }} }}"
    assert count(http, named) == len(graph)


def test_service_description(http, server, graph):
    response = http.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    sd = Graph().parse(data=response.text, format="turtle")
    service = URIRef(f"{server}/sparql")
    assert (service, SD.endpoint, service) in sd
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
    assert len(set(sd.objects(service, SD.resultFormat))) == 8
    assert set(sd.objects(None, VOID.triples)) == {Literal(len(graph))}
    assert (None, SD.name, URIRef(GRAPH_IRI)) in sd
    as_jsonld = http.get("/sparql", headers={"Accept": "application/ld+json"})
    assert isomorphic(Graph().parse(data=as_jsonld.text, format="json-ld"), sd)


def test_query_page_is_self_contained(http):
    response = http.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<textarea" in page
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link[^>]*\shref=|@import|url\(", page)
    for named in named_queries():
        assert json.dumps(named.name) in page


def test_query_page_runs_queries_offline(server, graph):
    """The page in a real browser with every request outside the server blocked."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed")
    outside = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        try:
            page = browser.new_page()

            def guard(route):
                if route.request.url.startswith(server):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            errors = []
            page.on("pageerror", lambda exc: errors.append(exc))
            page.goto(server + "/")
            page.fill("#query", LABELS)
            page.click("button[type=submit]")
            page.wait_for_selector("#results table tbody tr")
            cells = page.eval_on_selector_all("#results td", "tds => tds.map(td => td.textContent)")
            labels = [graph.value(s, RDFS.label) for s in graph.subjects(RDF.type, KZ.Person)]
            shown = {f"{o} @{o.language}" if o.language else str(o) for o in labels}
            assert set(cells[1::2]) == shown
            assert "rows" in page.text_content("#status")
            page.fill("#query", "SELECT * WHERE {")
            page.click("button[type=submit]")
            page.wait_for_selector("#status.error")
            assert "400" in page.text_content("#status")
        finally:
            browser.close()
    assert outside == [] and errors == []


def test_network_view_when_available(http):
    view = pytest.importorskip("kzgraph.view")
    if not hasattr(view, "render"):
        pytest.skip("kzgraph.view.render is not there yet")
    response = http.get("/view")
    assert response.status_code == 200 and "<html" in response.text.lower()
    assert 'href="/view"' in http.get("/").text


def test_sigterm_stops_cleanly_too():
    proc, url = start_kzgraph("--workers", "1")
    assert httpx.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 200
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and out.strip().endswith("kzgraph: stopped") and "Traceback" not in err


def test_a_port_in_use_is_one_line(cli, user_error, server):
    port = server.rsplit(":", 1)[1]
    user_error(cli("serve", "--port", port), "cannot listen on 127.0.0.1:" + port)


def test_kzgraph_reads_its_own_endpoint(cli, server, graph):
    """`--store sparql:` pointed at `kzgraph serve`: the named graph it asks for is the served graph."""
    from oxigraph_terms import held_by_oxigraph, result_rows
    from kzgraph.sparql import query
    from kzgraph.results import to_json

    as_held = held_by_oxigraph(graph)
    for name in ("class-counts", "election-results"):
        remote = cli("--store", f"sparql:{server}/sparql", "query", "--name", name, "--format", "json")
        assert remote.exit_code == 0, remote.output
        assert result_rows(remote.stdout) == result_rows(to_json(query(as_held, name=name)))


RELATIVE = "SELECT ?x WHERE { BIND(<rel> AS ?x) }"


def bound_x(response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"][0]["x"]["value"]


def test_relative_iris_resolve_against_the_endpoint_on_every_path(http, server):
    """The base is the endpoint's URL (its sd:endpoint); ``<rel>`` is a sibling of /sparql."""
    form = {"Accept": "application/sparql-results+json"}
    direct = {**form, "Content-Type": "application/sparql-query"}
    for response in (http.get("/sparql", params={"query": RELATIVE}, headers=form),
                     http.post("/sparql", data={"query": RELATIVE}, headers=form),
                     http.post("/sparql", content=RELATIVE.encode(), headers=direct)):
        assert bound_x(response) == f"{server}/rel"
    fragment = http.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<#f> AS ?x) }"})
    assert bound_x(fragment) == f"{server}/sparql#f"


def test_a_query_with_its_own_base_keeps_it(http):
    response = http.get("/sparql", params={"query": "BASE <https://example.org/a/> " + RELATIVE})
    assert bound_x(response) == "https://example.org/a/rel"


def test_construct_with_relative_iris_gives_absolute_ones(http, server):
    response = http.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                        headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.text.strip() == (f'<{server}/s> <{server}/p> '
                                     '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .')


@pytest.mark.parametrize("params, accept", [({}, None), ({}, "application/ld+json"),
                                            ({"query": "ASK {}"}, None), ({"query": LABELS}, "text/csv"),
                                            ({"query": "DESCRIBE <urn:x>"}, None),
                                            ({"query": LABELS}, "image/png"), ({"query": "ASK {"}, None)])
def test_head_answers_as_get_without_a_body(http, params, accept):
    headers = {"Accept": accept} if accept else {}
    get = http.get("/sparql", params=params, headers=headers)
    head = http.head("/sparql", params=params, headers=headers)
    assert head.status_code == get.status_code
    assert head.content == b""
    for name in ("content-type", "content-length", "vary"):
        assert head.headers.get(name) == get.headers.get(name)


@pytest.mark.parametrize("path", ["/", "/view"])
def test_head_on_the_pages(http, path):
    get, head = http.get(path), http.head(path)
    assert head.status_code == get.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize("query, accept, status", [
    (LABELS, None, 200), (LABELS, "text/tab-separated-values", 200), ("ASK {}", "application/sparql-results+xml", 200),
    ("CONSTRUCT { ?s a ?o } WHERE { ?s a ?o } LIMIT 1", None, 200), ("DESCRIBE <urn:x>", "application/rdf+xml", 200),
    (LABELS, "text/turtle", 406), ("DESCRIBE <urn:x>", "text/csv", 406),
    (None, None, 200), (None, "application/n-triples", 200), (None, "text/csv", 406)])
def test_every_negotiated_answer_varies_on_accept(http, query, accept, status):
    response = http.get("/sparql", params={"query": query} if query else {},
                        headers={"Accept": accept} if accept else {})
    assert response.status_code == status, response.text
    assert varies_on_accept(response)


def test_construct_asked_for_results_or_rdf_gets_rdf(http):
    construct = "CONSTRUCT { ?s a ?o } WHERE { ?s a ?o } LIMIT 3"
    both = "application/sparql-results+json, application/sparql-results+xml;q=0.9, application/rdf+xml;q=0.5"
    response = http.get("/sparql", params={"query": construct}, headers={"Accept": both})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=response.content, format="xml")) == 3
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = http.get("/sparql", params={"query": construct}, headers={"Accept": browser})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")


def test_describe_is_rdf_and_a_406_names_the_offered_types(http):
    describe = "DESCRIBE kzr:ak-zhol"
    response = http.get("/sparql", params={"query": describe}, headers={"Accept": "*/*"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.content, format="turtle")) > 0
    refused = http.get("/sparql", params={"query": describe}, headers={"Accept": "application/sparql-results+json"})
    assert refused.status_code == 406
    assert all(media in refused.text for media in ("text/turtle", "application/n-triples", "application/ld+json",
                                                   "application/rdf+xml"))
    assert "text/csv" not in refused.text.partition("available:")[2]
    refused = http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text and "text/csv" in refused.text


def _count(url: str) -> int:
    answer = httpx.post(f"{url}/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.server
def test_serve_answers_from_an_on_disk_store_in_place(cli, graph, tmp_path):
    store = f"oxigraph:{tmp_path / 'kz'}"
    assert cli("load", "--store", store).exit_code == 0
    with kzgraph_server(store=store) as url:
        assert _count(url) == len(graph)


@pytest.mark.server
def test_serve_forwards_to_a_remote_store(cli, graph, oxigraph):
    assert cli("load", "--store", f"sparql:{oxigraph}").exit_code == 0
    with counting_proxy(oxigraph) as (remote, count):
        with kzgraph_server(store=f"sparql:{remote}") as url:
            before = count()
            assert _count(url) == len(graph)
            assert count() == before + 1  # one query, forwarded as it came
