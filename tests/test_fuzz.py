"""Property-based fuzzing (hypothesis) of SPARQL text and data files, under the corpus's invariant.

Each generated input goes to one long-lived worker process (so that a crash is seen, not suffered)
that runs it through kzgraph and says ``ok`` or ``user error``; anything else — another exception,
a dead worker, an answer later than :data:`PER_CASE` seconds, a request to the local listener — fails.
The number of examples keeps the whole file within about a minute.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_hostile import ENV, Listener, listener  # noqa: F401 (the corpus's listener fixture)

PER_CASE = 20  # seconds
WORKER = r"""
import json, sys, traceback
from pathlib import Path
import kzgraph
from kzgraph import deadline
from kzgraph.errors import KzError
from kzgraph.parsing import parse_file
from kzgraph.sparql import query
deadline.LIMIT = 5
graph = kzgraph.load()
print("ready", flush=True)
for line in sys.stdin:
    job = json.loads(line)
    try:
        if job["kind"] == "query":
            query(graph, job["text"])
        else:
            path = Path(job["dir"]) / job["name"]
            path.write_text(job["text"], encoding="utf-8")
            parse_file(path)
        print(json.dumps(["ok", ""]), flush=True)
    except KzError as exc:
        lines = str(exc).splitlines()
        print(json.dumps(["user error" if len(lines) == 1 else "many lines", str(exc)]), flush=True)
    except BaseException as exc:
        print(json.dumps(["bug", "".join(traceback.format_exception(exc))]), flush=True)
"""


class Worker:
    def __init__(self, env):
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, env=env)
        assert self.proc.stdout.readline().strip() == "ready"

    def run(self, job: dict) -> tuple[str, str]:
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        reply: list = []
        reader = threading.Thread(target=lambda: reply.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(PER_CASE)
        assert reply, f"no answer within {PER_CASE} s: {job!r:.300}"
        assert reply[0], f"the worker died (exit {self.proc.wait()}) on {job!r:.300}"
        return tuple(json.loads(reply[0]))


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    env = dict(ENV, KZGRAPH_CACHE_DIR=str(tmp_path_factory.mktemp("fuzz-cache")))
    made = Worker(env)
    yield made
    made.proc.kill()


def check(worker: Worker, listener: Listener, job: dict) -> None:
    seen = len(listener.seen)
    outcome, detail = worker.run(job)
    assert outcome in ("ok", "user error"), detail
    assert listener.seen[seen:] == [], f"fetched: {listener.seen[seen:]}"


FRAGMENTS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o",
             "kzr:nur-otan", "rdfs:label", "a", "kz:Person", ".", ";", ",", "FILTER", "UNION", "OPTIONAL", "MINUS",
             "BIND", "AS", "VALUES", "||", "&&", "!", "=", "<", "+", "/", "|", "^", "*", "?", '"x"', '"""y"""', "'z'",
             "@en", "^^xsd:date", '"2019-02-30"^^xsd:date', "1.5", "-3", "GRAPH", "SERVICE", "<LISTENER/s>",
             "FROM", "<file:///etc/passwd>", "COUNT(*)", "GROUP BY", "ORDER BY", "LIMIT 5", "REGEX(?o, \"(a+)+$\")",
             "STRLEN", "CONCAT", "#", "\n", "\u2028", "\x1b[2J", "\x00", "LOAD <LISTENER/x>", "INSERT DATA",
             "DELETE WHERE", "PREFIX ex: <http://e/>", "BASE <LISTENER/>", "$v", "<>", "_:b", "EXISTS", "NOT"]


def sparql_text():
    tokens = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=60).map(" ".join)
    repeated = st.tuples(st.sampled_from(["(", "{ ", "!", "?o || ", "{ ?s ?p ?o } UNION ", "FILTER(?o) "]),
                         st.integers(0, 12_000)).map(lambda t: "SELECT * WHERE { ?s ?p ?o " + t[0] * t[1] + "}")
    return tokens | repeated


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=sparql_text())
@pytest.mark.slow
def test_sparql_text(worker, listener, text):
    check(worker, listener, {"kind": "query", "text": text.replace("LISTENER", listener.url)})


DATA = {
    "ttl": ["@prefix kzr: <https://w3id.org/kzgraph/id/> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            "kzr:a", "rdfs:label", '"x"@en', '"""long\nlabel"""', '"2019-02-30"^^<http://www.w3.org/2001/XMLSchema#date>',
            "<http://e/with space>", "<LISTENER/x>", ".", ";", ",", "[", "]", "(", ")", "@base <LISTENER/> .",
            "\ufeff", "\u2028", "\x1b]8;;javascript:x\x07", "_:b", '"\\u0000"', "<file:///etc/passwd>"],
    "nt": ["<https://w3id.org/kzgraph/id/a>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"x"', '"y"@en', ".",
           "\n", '"\\u2028"', '"z"^^<http://www.w3.org/2001/XMLSchema#date>', "_:b", "<a b>", "\ufeff", '"\\x"'],
    "jsonld": ['{"@context": "LISTENER/c"', '{"@context": {"@import": "LISTENER/i"}}', '"@id": "https://w3id.org/kzgraph/id/a"',
               '"http://www.w3.org/2000/01/rdf-schema#label": "x"', "{", "}", "[", "]", ",", ":",
               '"@context": ["file:///etc/passwd"]', '"@graph": [', '"@base": "LISTENER/"', '"@id": "relative"'],
    "rdf": ['<?xml version="1.0"?>', '<!DOCTYPE r [<!ENTITY a "aaaa">]>', '<!DOCTYPE r SYSTEM "LISTENER/d">',
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', '</rdf:RDF>',
            '<rdf:Description rdf:about="https://w3id.org/kzgraph/id/a">', "</rdf:Description>", "&a;",
            '<rdf:value>x</rdf:value>', '<!ENTITY e SYSTEM "file:///etc/passwd">', "xml:base='LISTENER/'"],
}


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(suffix=st.sampled_from(sorted(DATA)), data=st.data())
def test_data_files(worker, listener, tmp_path_factory, suffix, data):
    parts = data.draw(st.lists(st.sampled_from(DATA[suffix]) | st.text(max_size=4), max_size=40))
    text = " ".join(parts).replace("LISTENER", listener.url)
    check(worker, listener, {"kind": "data", "dir": str(tmp_path_factory.getbasetemp()), "name": f"fuzz.{suffix}",
                             "text": text})
