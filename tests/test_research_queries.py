"""The researcher's named queries: partial dates compared correctly, the same answers on rdflib and Oxigraph."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Variable
from rdflib.namespace import XSD

import kzgraph
from kzgraph.dates import parse_date
from kzgraph.sparql import query

FIXTURE = Path(__file__).parent / "fixtures" / "partial-dates.ttl"


def on_oxigraph(graph: Graph) -> Graph:
    pytest.importorskip("oxrdflib")
    store = Graph(store="Oxigraph")
    for triple in graph:
        store.add(triple)
    return store


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def dated(request):
    """Bundled data plus made-up tenures and events dated to the year, month or day, in either store."""
    graph = kzgraph.load([FIXTURE])
    return graph if request.param == "rdflib" else on_oxigraph(graph)


def column(result, name):
    return [str(row.get(Variable(name))) for row in result.bindings]


@pytest.mark.parametrize("on,holders", [
    # A tenure counts when it was certainly held on some day of the date asked: a start known to the
    # year or month may be its last day, an end its first, and the end day itself is the successor's.
    ("1984", []),
    ("1985", ["Year"]),                          # 1985–1989 was certainly held on 1985-12-31
    ("1989", ["Month"]),                         # "until 1989" may mean 1 January; June 1989 – was held by 30 June
    ("1989-05", []),
    ("1989-06-15", []),                          # "from 1989-06" may be the 30th
    ("1990-03", []),                             # "until 1990-02" ends with February
    ("1990-04", ["Day"]),
    ("1990-04-23", []),
    ("2000-02-29", []),                          # the end day: held by the successor, who began "in 2000-03"
    ("2000-03-01", []),
    ("2100", ["Open"]),                          # no end date: held to this day and on
])
def test_holder_on_a_date_of_any_precision(dated, on, holders):
    result = query(dated, name="office-holder-on-date",
                   params={"office": "kzr:test-office", "date": parse_date(on).literal})
    assert column(result, "holderLabel") == [f"Test Person {h}" for h in holders]


def test_a_plain_date_parameter_works_as_from_the_query_command(dated):
    result = query(dated, name="office-holder-on-date", params={"office": "kzr:test-office", "date": "1989-06"})
    assert column(result, "holderLabel") == ["Test Person Month"]


def test_holders_in_order_of_their_first_day(dated):
    result = query(dated, name="holders-of-office", params={"office": "kzr:test-office"})
    assert column(result, "holderLabel") == [f"Test Person {h}" for h in ("Year", "Month", "Day", "Open")]
    assert column(result, "end")[-1] == "None"


def test_offices_held_on_a_date(dated):
    result = query(dated, name="offices-held-on-date",
                   params={"holder": "kzr:test-person-open", "date": parse_date("2000").literal})
    assert column(result, "officeLabel") == ["Test Office"]
    result = query(dated, name="offices-held-on-date",
                   params={"holder": "kzr:test-person-open", "date": parse_date("2000-02").literal})
    assert column(result, "officeLabel") == []


def made_up_events(result):
    return [(d, p) for d, p, e in zip(column(result, "date"), column(result, "precision"), column(result, "event"))
            if "/test-event" in e]


@pytest.mark.parametrize("start,end,expected", [
    # partial dates sort at their last day, in the same order as kzgraph.dates.PartialDate
    (None, None, [("1994-12-30", "day"), ("1995-03-01", "day"), ("1995-03", "month"), ("1995", "year")]),
    ("1995-01-02", "1995-01-02", [("1994-12-30", "day"), ("1995", "year")]),   # the span reaches into 1995
    ("1995-01-03", "1995-02", [("1995", "year")]),
    ("1995-03-02", None, [("1995-03", "month"), ("1995", "year")]),
    (None, "1994", [("1994-12-30", "day")]),
])
def test_timeline_orders_and_filters_partial_dates(dated, start, end, expected):
    params = {k: parse_date(v).literal for k, v in (("from", start), ("to", end)) if v}
    assert made_up_events(query(dated, name="timeline", params=params)) == expected
    assert sorted(expected, key=lambda e: parse_date(e[0])) == expected


def test_timeline_lists_participants_and_the_most_specific_class(dated):
    in_1995 = parse_date("1995").literal
    result = query(dated, name="timeline", params={"from": in_1995, "to": in_1995})
    year = [row for row in result.bindings if str(row[Variable("event")]).endswith("test-event-year")]
    assert [str(row[Variable("participant")]) for row in year] == ["Test Person Day"]
    assert str(year[0][Variable("class")]).endswith("#Event")


RUNS = [
    ("label-index", {}),
    ("holders-of-office", {"office": "kzr:president-of-kazakhstan"}),
    *[("office-holder-on-date", {"office": "kzr:president-of-kazakhstan", "date": parse_date(d).literal})
      for d in ("2019", "2019-03", "2019-03-19", "2019-03-21", "2020-01-01", "1985")],
    ("offices-held-on-date", {"holder": "kzr:nursultan-nazarbayev", "date": "2021-01-10"}),
    ("timeline", {}),
    ("timeline", {"from": parse_date("2019-03-19").literal, "to": parse_date("2021-01").literal}),
    ("timeline", {"type": "kz:Election"}),
    ("show", {"thing": "kzr:kassym-jomart-tokayev"}),
    ("show", {"thing": "kzr:president-of-kazakhstan"}),
    ("show", {"thing": "kzr:nur-otan"}),
]


@pytest.fixture(scope="module")
def oxigraph(graph):
    return on_oxigraph(graph)


def answers(graph, name, params):
    result = query(graph, name=name, params=params)
    return [str(v) for v in result.vars], [tuple(_plain(row.get(v)) for v in result.vars) for row in result.bindings]


def _plain(term):
    """Terms as they compare across stores.

    RDF 1.1: a simple literal is an xsd:string; Oxigraph says so, rdflib leaves the type off.
    """
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


@pytest.mark.parametrize("name,params", RUNS, ids=[f"{n}-{'-'.join(map(str, p.values()))}" for n, p in RUNS])
def test_bundled_data_same_answers_on_rdflib_and_oxigraph(graph, oxigraph, name, params):
    names, rows = answers(graph, name, params)
    ox_names, ox_rows = answers(oxigraph, name, params)
    assert ox_names == names
    assert ox_rows == rows
