"""The W3C SPARQL 1.1 Protocol tests (tests/fixtures/w3c-protocol/manifest.ttl) against a live `kzgraph serve`.

Each test is read from the manifest and its requests sent as written, with the manifest's ``/sparql/``
replaced by this endpoint's ``/sparql`` (as the manifest asks). The endpoint is read-only, so an update
the manifest expects to succeed must be refused with 403 instead, and the queries that then check the
update's effect must find nothing written. The manifest's graph data is loaded with ``--data``.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from servers import kzgraph_server

pytestmark = pytest.mark.server

HERE = Path(__file__).parent / "fixtures" / "w3c-protocol"
MANIFEST = HERE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SRX = "{http://www.w3.org/2005/sparql-results#}"
#: the manifest's expectedFormat → the media types that satisfy it
FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml"),
}
#: tests whose graph data the manifest names as graphs of the store (ut:graphData): kzgraph serve holds
#: one graph, so --data adds their triples to it and the graphs named data1.rdf … are not in the store
NAMED_GRAPHS_NEEDED = ("kzgraph serve has one graph (--data files join it), not the manifest's named graphs "
                       "http://kasei.us/2009/09/sparql/data/data1.rdf …: the dataset it names is empty")


def _tests() -> list:
    manifest = Graph().parse(MANIFEST, format="turtle")
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    cases = []
    for test in Collection(manifest, manifest.value(root, MF.entries)):
        action = manifest.value(test, MF.action)
        requests = []
        for request in Collection(manifest, manifest.value(action, HT.requests)):
            body = manifest.value(request, HT.body)
            headers_list = manifest.value(request, HT.headers)
            headers = {str(manifest.value(h, HT.fieldName)): str(manifest.value(h, HT.fieldValue))
                       for h in (Collection(manifest, headers_list) if headers_list else ())}
            response = manifest.value(request, HT.resp)
            boolean = manifest.value(response, MF.expectedBoolean)
            fmt = manifest.value(response, MF.expectedFormat)
            requests.append({
                "method": str(manifest.value(request, HT.methodName)),
                "path": str(manifest.value(request, HT.absolutePath)),
                "headers": headers,
                "body": (str(manifest.value(body, CNT.chars)).encode(str(manifest.value(body, CNT.characterEncoding)))
                         if body is not None else None),
                "status": {int(str(s)[len(HTS) + len("StatusCode")]) for s in manifest.objects(response, MF.expectedStatus)},
                "boolean": None if boolean is None else boolean.toPython(),
                "format": None if fmt is None else str(fmt),
            })
        name = str(test).rpartition("#")[2]
        graphs = {str(manifest.value(g, RDFS.label)) for g in manifest.objects(test, UT.graphData)}
        cases.append(pytest.param(name, requests, graphs, id=name))
    return cases


TESTS = _tests()
DATA = sorted(HERE.glob("data*.nt"))


@pytest.fixture(scope="module")
def http():
    with kzgraph_server("--workers", "1", data=tuple(DATA)) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def boolean_of(response) -> bool:
    """The answer of an ASK result in JSON or XML."""
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    root = ET.fromstring(response.content)
    return {"true": True, "false": False}[root.find(f"{SRX}boolean").text.strip()]


def check_format(response, fmt: str) -> None:
    """The response is in one of the manifest's formats, and parses as one."""
    media = response.headers["content-type"].split(";")[0].strip()
    assert media in FORMATS[fmt], media
    if fmt == "boolean":
        assert isinstance(boolean_of(response), bool)
    elif fmt == "RDF":
        Graph().parse(data=response.content, format={"application/rdf+xml": "xml", "text/turtle": "turtle",
                                                     "application/n-triples": "nt"}[media])
    elif media.endswith("json"):
        assert "bindings" in response.json()["results"]
    elif media.endswith("xml"):
        assert ET.fromstring(response.content).find(f"{SRX}results") is not None
    else:
        assert response.text.splitlines()[0].lstrip("?") == "value"


def test_the_manifest_was_read():
    assert len(TESTS) == 34
    assert {"query_get", "query_post_form", "bad_query_syntax", "update_base_uri"} <= {t.id for t in TESTS}


@pytest.mark.parametrize("name, requests, graphs", TESTS)
def test_w3c_protocol(http, name, requests, graphs):
    assert {f"http://kasei.us/2009/09/sparql/data/{p.stem}.rdf" for p in DATA} >= graphs  # all loaded
    refused_update = False
    for request in requests:
        assert request["path"].startswith("/sparql/")
        url = "/sparql" + request["path"][len("/sparql/"):]
        response = http.request(request["method"], url, content=request["body"], headers=request["headers"])
        is_update = request["headers"].get("content-type", "").startswith("application/sparql-update") or (
            b"update=" in (request["body"] or b"") or "?update=" in url)
        if is_update and 2 in request["status"]:
            # read-only: the update the test makes is refused, and what follows must see nothing written
            assert response.status_code == 403, response.text
            assert "read-only" in response.text
            refused_update = True
            continue
        assert response.status_code // 100 in request["status"], (response.status_code, response.text)
        if request["format"]:
            check_format(response, request["format"])
        if request["boolean"] is not None:
            if refused_update:
                assert boolean_of(response) is False, "a refused update left something written"
            elif graphs and boolean_of(response) != request["boolean"]:
                pytest.xfail(NAMED_GRAPHS_NEEDED)
            else:
                assert boolean_of(response) is request["boolean"]


def test_the_manifests_data_is_in_the_served_graph(http):
    """What the dataset tests' xfail says: --data put data1–3 into the one graph the endpoint serves."""
    ask = ("ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?t . "
           "<http://kasei.us/2009/09/sparql/data/data3.rdf> a ?t }")
    assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True
    named = "ASK { GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { ?s ?p ?o } }"
    assert http.get("/sparql", params={"query": named}).json()["boolean"] is False
