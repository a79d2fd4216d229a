"""Load and fault tests of `kzgraph serve` on 127.0.0.1: bounded, they stop by themselves."""
from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest

from kzgraph.sparql import named_queries, query, query_form
from kzgraph.results import to_json
from oxigraph_terms import held_by_oxigraph, result_rows
from servers import kzgraph_server

TIMEOUT = 2.0
MAX_BYTES = 50_000
# six copies of every triple joined with each other: more rows than any machine can count in TIMEOUT
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"


@pytest.fixture(scope="module")
def server():
    """A server with the default 10 s time limit: ample for every named query, even on a busy machine."""
    # every named query, unbound, answers in full (show about everything is ~20k rows)
    with kzgraph_server("--max-request-size", str(MAX_BYTES), "--workers", "2", "--max-rows", "1000000") as url:
        yield url


@pytest.fixture(scope="module")
def impatient_server():
    """A server that stops queries after TIMEOUT seconds."""
    with kzgraph_server("--timeout", str(TIMEOUT), "--workers", "2") as url:
        yield url


@pytest.mark.slow
def test_200_concurrent_named_queries_all_answer_like_local(server, graph):
    mix = [q for q in named_queries() if query_form(q.text) in ("SELECT", "ASK")]  # answers in results JSON
    assert mix
    as_held = held_by_oxigraph(graph)  # the workers evaluate on pyoxigraph
    expected = {q.name: result_rows(to_json(query(as_held, name=q.name))) for q in mix}

    def ask(i):
        named = mix[i % len(mix)]
        response = httpx.post(f"{server}/sparql", data={"query": named.text},
                              headers={"Accept": "application/sparql-results+json"}, timeout=60)
        return named.name, response.status_code, response.text

    alone = {name: text for name, _, text in map(ask, range(len(mix)))}
    with ThreadPoolExecutor(max_workers=25) as pool:
        answers = list(pool.map(ask, range(200)))
    assert [(name, status, body) for name, status, body in answers if status != 200] == []
    for name, _, body in answers:
        assert body == alone[name], f"{name}: another answer under load than alone"
    for name, body in alone.items():
        assert result_rows(body) == expected[name], name


def test_a_runaway_query_times_out_while_others_are_served(impatient_server):
    with httpx.Client(base_url=impatient_server, timeout=60) as client:
        slow = {}

        def run_slow():
            started = time.monotonic()
            slow["response"] = client.get("/sparql", params={"query": SLOW})
            slow["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(0.2)  # let the slow query take its worker
        served = []
        while thread.is_alive() and len(served) < 200:
            response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            served.append(response.status_code)
        thread.join()
        assert served and set(served) == {200}, served
        response = slow["response"]
        assert response.status_code == 503 and "limit" in response.text
        assert TIMEOUT <= slow["seconds"] < TIMEOUT + 10
        # the killed worker is replaced: both workers can take a runaway query again
        with ThreadPoolExecutor(2) as pool:
            again = list(pool.map(lambda _: client.get("/sparql", params={"query": SLOW}).status_code, range(2)))
        assert again == [503, 503]
        deadline = time.monotonic() + 30
        while client.get("/sparql", params={"query": "ASK {}"}).status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover"


def raw(server: str, request: bytes) -> int:
    """Send raw bytes (no client-side URL cleaning) and return the HTTP status."""
    parts = urlsplit(server)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request)
        head = sock.recv(64).decode("latin-1")
    return int(head.split()[1])


def test_30_hostile_requests_get_the_right_4xx_and_the_server_stays_up(server):
    sparql = f"{server}/sparql"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    query = {"Content-Type": "application/sparql-query"}
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (MAX_BYTES + 1)
    cases = [
        ("GET", {"query": "SELECT * WHERE { ?s ?p "}, {}, None, 400),
        ("GET", {"query": "SELEKT ?s WHERE { ?s ?p ?o }"}, {}, None, 400),
        ("GET", {"query": "SELECT * WHERE { ?s nope:p ?o }"}, {}, None, 400),
        ("GET", {"query": ""}, {}, None, 400),
        ("GET", {"query": "SELECT * WHERE " + "{" * 3000 + "}" * 3000}, {}, None, 400),
        ("GET", {"foo": "bar"}, {}, None, 400),
        ("GET", [("query", "ASK {}"), ("query", "ASK {}")], {}, None, 400),
        ("GET", {"query": "ASK {}", "default-graph-uri": "not an iri"}, {}, None, 400),
        ("GET", {"update": "DROP ALL"}, {}, None, 403),
        ("GET", {"query": "LOAD <file:///etc/passwd>"}, {}, None, 403),
        ("GET", {"query": "CLEAR ALL"}, {}, None, 403),
        ("POST", None, form, "update=INSERT%20DATA%20%7B%3Ca%3A1%3E%20%3Ca%3A2%3E%20%3Ca%3A3%3E%7D", 403),
        ("POST", None, {"Content-Type": "application/sparql-update"}, "DELETE WHERE { ?s ?p ?o }", 403),
        ("GET", {"query": "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"}, {}, None, 403),
        ("GET", {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, {}, None, 403),
        ("POST", None, query, huge, 413),
        ("POST", None, form, "query=" + huge, 413),
        ("POST", None, {"Content-Type": "text/plain"}, "ASK {}", 415),
        ("POST", None, {"Content-Type": "application/json"}, '{"query": "ASK {}"}', 415),
        ("POST", None, {"Content-Type": "multipart/form-data; boundary=x"}, "--x--", 415),
        ("POST", None, query, b"ASK { ?s ?p \xff\xfe }", 400),
        ("GET", {"query": "ASK {}"}, {"Accept": "image/png"}, None, 406),
        ("PUT", None, query, "ASK {}", 405),
        ("DELETE", None, {}, None, 405),
    ]
    statuses = []
    with httpx.Client(timeout=60) as client:
        for method, params, headers, body, want in cases:
            response = client.request(method, sparql, params=params, headers=headers, content=body)
            statuses.append((method, str(params)[:60], want, response.status_code))
    raws = [
        (b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
        (b"GET /sparql/../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
        (b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
        (b"GET /view/..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
        (b"GET /sparql?query=" + b"A" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
         b"Content-Length: 999999999\r\n\r\nASK {}", 413),
    ]
    for request, want in raws:
        statuses.append(("raw", request[:40].decode(), want, raw(server, request)))
    assert len(statuses) >= 30
    wrong = [s for s in statuses if s[2] != s[3]]
    assert wrong == []
    ok = httpx.get(sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert ok.status_code == 200 and ok.json()["boolean"] is True
