"""The same answers on every engine: each named query on rdflib's engine, pyoxigraph in memory,
an Oxigraph server and Virtuoso, over the bundled graph.

Rows are compared as multisets of variable → (kind, lexical form, datatype, language); where the
query has ORDER BY, the sequence of the projected variables it sorts by is compared too.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD

from kzgraph.stores import load, open_store
from kzgraph.sparql import named_queries, query

pytestmark = pytest.mark.server

#: every named query with the parameters the commands and tests use; several sets for some
CASES = {
    "assessments": [{}, {"about": "kzr:election-2021-majilis"}],
    "career": [{"holder": "kzr:kassym-jomart-tokayev"}, {"holder": "kzr:nursultan-nazarbayev"}],
    "class-counts": [{}],
    "concurrent-holders": [{}],
    "deprecated": [{}, {"thing": "kzr:tenure-tokayev-president"}],
    "describe": [{"thing": "kzr:kassym-jomart-tokayev"}, {"thing": "kzr:result-2021-majilis-nur-otan"}],
    "disputed": [{}, {"subject": "kzr:observation-2021-majilis-cis"}],
    "documents": [{}],
    "election-results": [{}, {"election": "kzr:election-2021-majilis"}],
    "evidence-for": [{}, {"thing": "kzr:abolition-of-the-death-penalty"},
                     {"thing": "kzr:tenure-kassym-jomart-tokayev-president-1"}],
    "evidence-quotes": [{}],
    "holders-of-office": [{"office": "kzr:president-of-kazakhstan"}, {"office": "kzr:prime-minister-of-kazakhstan"}],
    "institutions-founded-between": [{}, {"from": "2019", "to": "2020-06"}],
    "label-index": [{}],
    "led-to": [{}, {"event": "kzr:opposition-mobilisation-2019"}],
    "longest-serving": [{}],
    "multi-office-holders": [{}],
    "office-holder-on-date": [{"office": "kzr:president-of-kazakhstan", "date": date}
                              for date in ("2019-03-20", "2019-03", "2019", "1985")]
                             + [{"office": "kzr:prime-minister-of-kazakhstan", "date": Literal("2019", datatype=XSD.gYear)}],
    "offices-before": [{}],
    "offices-held-on-date": [{"holder": "kzr:nursultan-nazarbayev", "date": "2021-01-10"},
                             {"holder": "kzr:kassym-jomart-tokayev", "date": "2003"}],
    "ontology-terms": [{}],
    "party-counts": [{}],
    "reforms": [{}, {"initiator": "kzr:kassym-jomart-tokayev"}],
    "show": [{"thing": "kzr:kassym-jomart-tokayev"}, {"thing": "kzr:president-of-kazakhstan"},
             {"thing": "kzr:nur-otan"}, {"thing": "kzr:election-2021-majilis"}],
    "subject-classes": [{}],
    "things": [{}],
    "timeline": [{}, {"from": "2019-03-19", "to": "2021-01"}, {"type": "kz:Election"}],
    "void-classes": [{}],
    "void-properties": [{}],
    "void-summary": [{}],
    "exists": [{"thing": "kzr:nur-otan"}],
    "labels-of": [{"thing": "kzr:nur-otan"}],
    "ontology-classes": [{}],
    "subclasses": [{"top": "kz:Event"}],
    "types-of": [{"thing": "kzr:president-of-kazakhstan"}],
    "with-evidence": [{}],
}


@pytest.fixture(scope="module")
def engines(oxigraph_server, virtuoso):
    """The bundled graph on each engine, by name; the servers get it by Graph Store Protocol PUT."""
    bundled = load()  # the memory store: an in-memory pyoxigraph Store answers
    plain = Graph()  # rdflib's memory store: rdflib's own SPARQL engine
    for triple in bundled:
        plain.add(triple)
    ntriples = plain.serialize(format="nt", encoding="utf-8")
    found = {"rdflib": plain, "pyoxigraph": open_store("memory")}
    for server in (oxigraph_server, virtuoso):
        server.put(ntriples)
        found[server.kind] = open_store(server.store())  # every query goes to the server
    return found


def term(value) -> tuple | None:
    """A term as (kind, lexical form, datatype, language); a simple literal is an xsd:string (RDF 1.1)."""
    if value is None:
        return None
    if isinstance(value, URIRef):
        return ("iri", str(value), "", "")
    if isinstance(value, BNode):
        return ("bnode", "", "", "")  # labels are local to an answer
    assert isinstance(value, Literal), value
    datatype = str(value.datatype or (XSD.string if not value.language else ""))
    return ("literal", str(value), datatype, (value.language or "").lower())


def answer(graph: Graph, name: str, params: dict) -> tuple[list[str], list[dict]]:
    result = query(graph, name=name, params=params)
    names = [str(v) for v in result.vars]
    return names, [{v: term(row.get(Variable(v))) for v in names} for row in result.bindings]


def sort_variables(name: str, projected: list[str]) -> list[str]:
    """The projected variables the query's final ORDER BY mentions, in order of mention."""
    text = "\n".join(line.split("#", 1)[0] for line in named_queries_by_name()[name].text.splitlines())
    _, found, order = text.rpartition("ORDER BY")
    if not found or "}" in order:  # an ORDER BY inside a sub-query only
        return []
    mentioned = dict.fromkeys(re.findall(r"[?$](\w+)", order))
    return [v for v in mentioned if v in projected]


def named_queries_by_name() -> dict:
    return {q.name: q for q in named_queries()}


def show(row: dict) -> str:
    return "{" + ", ".join(f"{k}={v[1]!r}" + (f"^^{v[2].rsplit('#', 1)[-1]}" if v[2] else "")
                           + (f"@{v[3]}" if v[3] else "") for k, v in sorted(row.items()) if v) + "}"


def differences(name: str, params: dict, engines: dict) -> list[str]:
    """What each engine answers unlike rdflib's engine, as readable lines."""
    reference, problems = None, []
    for engine, graph in engines.items():
        try:
            names, rows = answer(graph, name, params)
        except Exception as exc:  # an engine that fails is a difference to report, not a crash of the test
            problems.append(f"  {engine}: {type(exc).__name__}: {' '.join(str(exc).split())[:400]}")
            continue
        keys = sort_variables(name, names)
        order = [tuple(row[k] for k in keys) for row in rows]
        bag = Counter(frozenset(row.items()) for row in rows)
        if reference is None:
            reference = (engine, names, bag, order)
            continue
        first, ref_names, ref_bag, ref_order = reference
        if names != ref_names:
            problems.append(f"  {engine}: variables {names} != {first}'s {ref_names}")
        missing, extra = ref_bag - bag, bag - ref_bag
        if missing or extra:
            problems.append(f"  {engine}: {sum(bag.values())} rows, {first} {sum(ref_bag.values())}")
            problems += [f"    only {first}: {show(dict(r))}" for r in list(missing.elements())[:5]]
            problems += [f"    only {engine}: {show(dict(r))}" for r in list(extra.elements())[:5]]
        elif order != ref_order:
            at = next(i for i, (a, b) in enumerate(zip(order, ref_order)) if a != b)
            problems.append(f"  {engine}: ORDER BY {keys} differs at row {at}:"
                            f" {[v and v[1] for v in order[at]]} where {first} has {[v and v[1] for v in ref_order[at]]}")
    return problems


#: queries Virtuoso 7.2 still evaluates wrongly (none since show, describe and timeline were rewritten portably;
#: issue 13); strict, so a portable rewrite that works shows as a pass
VIRTUOSO_OPEN: set[str] = set()


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(
    strict=True, reason="Virtuoso evaluates it wrongly; portable rewrite pending")) if n in VIRTUOSO_OPEN else n
    for n in sorted(CASES)])
def test_every_engine_answers_alike(name, engines):
    problems = []
    for params in CASES[name]:
        found = differences(name, params, engines)
        if found:
            problems += [f"{name} {params}:", *found]
    assert not problems, "engines disagree:\n" + "\n".join(problems)


def test_every_named_query_is_compared():
    # network is a CONSTRUCT: tests/test_push.py compares its graphs on the Oxigraph server
    assert sorted(CASES) == sorted(q.name for q in named_queries() if q.name != "network")
