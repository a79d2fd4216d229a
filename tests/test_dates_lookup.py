"""kzgraph.dates (partial dates as intervals) and kzgraph.lookup (names → IRIs)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kzgraph.dates import from_literal, parse_date
from kzgraph.errors import KzError
from kzgraph.lookup import normalise, resolve
from kzgraph.namespaces import GRAPH_IRI, KZ, KZR, bind_prefixes
from kzgraph.sparql import named_query

days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


@given(days)
def test_every_day_round_trips_at_every_precision(day):
    for text, precision in ((day.isoformat(), "day"), (day.isoformat()[:7], "month"), (day.isoformat()[:4], "year")):
        parsed = parse_date(text)
        assert str(parsed) == text and parsed.precision == precision
        assert parsed.start <= day <= parsed.end
        assert from_literal(parsed.literal) == parsed


@given(days)
def test_a_year_covers_its_months_which_cover_their_days(day):
    year, month, one = (parse_date(day.isoformat()[:n]) for n in (4, 7, 10))
    assert year.start <= month.start <= one.start <= one.end <= month.end <= year.end
    assert year.overlaps(one) and one.overlaps(month)
    assert sorted([year, month, one]) == [one, month, year]  # listed once each is over
    if day.month < 12:
        assert month < parse_date(f"{day.year}-{day.month + 1:02d}") < year < parse_date(str(day.year + 1))
    assert (month.end - month.start).days + 1 in (28, 29, 30, 31)


@given(days, days)
def test_order_of_days_is_calendar_order_and_overlap_is_symmetric(a, b):
    pa, pb = parse_date(a.isoformat()), parse_date(b.isoformat())
    assert (pa < pb) == (a < b)
    assert pa.overlaps(pb) == pb.overlaps(pa) == (a == b)


def test_leap_years_and_month_ends():
    assert parse_date("2020-02").end == date(2020, 2, 29)
    assert parse_date("2019-02").end == date(2019, 2, 28)
    assert parse_date("2019").end == date(2019, 12, 31)
    assert parse_date(" 2019-03-20 ").start == date(2019, 3, 20)
    later = parse_date("2019-03-21")
    assert not parse_date("2019-03-20").overlaps(later)
    assert later.start - parse_date("2019-03-20").end == timedelta(days=1)


@pytest.mark.parametrize("bad", ["", "19", "2019-3", "2019-13", "2019-02-30", "20-03-2019", "March 2019",
                                 "2019/03/20", "0000", "2019-03-20T10:00"])
def test_bad_dates_name_the_value_and_the_accepted_forms(bad):
    with pytest.raises(KzError) as caught:
        parse_date(bad)
    message = str(caught.value)
    assert repr(bad) in message and "YYYY-MM-DD" in message and "\n" not in message


def test_literals_of_each_date_type():
    assert from_literal(Literal("2019", datatype=XSD.gYear)) == parse_date("2019")
    assert from_literal(Literal("2020-09", datatype=XSD.gYearMonth)) == parse_date("2020-09")
    assert from_literal(Literal("2021-01-10", datatype=XSD.date)) == parse_date("2021-01-10")
    assert from_literal(Literal("2021-01-10Z", datatype=XSD.date)) == parse_date("2021-01-10")
    assert parse_date("2020-09").literal == Literal("2020-09", datatype=XSD.gYearMonth)
    for bad in (Literal("2019"), Literal("2019", datatype=XSD.date), Literal("x", datatype=XSD.gYear)):
        with pytest.raises(KzError):
            from_literal(bad)


@pytest.fixture(scope="module")
def names():
    g = bind_prefixes(Graph())
    person, party, tenure = KZR["kassym-jomart-tokayev"], KZR["nur-otan"], KZR["tenure-tokayev-president"]
    g.add((person, RDFS.label, Literal("Kassym-Jomart Tokayev", lang="en")))
    g.add((person, SKOS.altLabel, Literal("Токаев", lang="ru")))
    g.add((person, SKOS.altLabel, Literal("Тоқаев", lang="kk")))
    g.add((tenure, RDFS.label, Literal("Tokayev as President", lang="en")))
    g.add((tenure, KZ.holder, person))
    g.add((tenure, RDF.type, KZ.Tenure))
    g.add((party, RDFS.label, Literal("Nur Otan", lang="en")))
    g.add((party, SKOS.altLabel, Literal("Нұр Отан", lang="kk")))
    g.add((KZR["nur-otan-faction"], RDFS.label, Literal("Nur Otan", lang="en")))
    return g


def test_normalise_ignores_case_accents_and_punctuation():
    assert normalise("Nur-Otan") == normalise("  nur   OTAN ") == "nur otan"
    assert normalise("Tokáyev") == "tokayev"
    assert normalise("ТОКАЕВ") == normalise("Токаев")


@pytest.mark.parametrize("name", ["Kassym-Jomart Tokayev", "kassym jomart tokayev", "Токаев", "токаев", "ТОҚАЕВ",
                                  "Tokayev", "TOKAYEV", "kzr:kassym-jomart-tokayev",
                                  "<https://w3id.org/kzgraph/id/kassym-jomart-tokayev>",
                                  "https://w3id.org/kzgraph/id/kassym-jomart-tokayev"])
def test_every_way_of_naming_a_thing_finds_it(names, name):
    assert resolve(names, name) == KZR["kassym-jomart-tokayev"]


def test_a_statement_node_is_found_by_its_full_label(names):
    assert resolve(names, "tokayev as president") == KZR["tenure-tokayev-president"]


def test_an_ambiguous_name_lists_the_candidates(names):
    with pytest.raises(KzError, match="ambiguous") as caught:
        resolve(names, "nur otan")
    assert "kzr:nur-otan " in str(caught.value) and "kzr:nur-otan-faction" in str(caught.value)


def test_an_unknown_name_suggests_the_closest(names):
    with pytest.raises(KzError, match="unknown thing 'Tokaev'; did you mean 'Kassym-Jomart Tokayev'"):
        resolve(names, "Tokaev")
    with pytest.raises(KzError, match="unknown thing 'Nur Otn'.*'Nur Otan'"):
        resolve(names, "Nur Otn")
    with pytest.raises(KzError, match="no such thing"):
        resolve(names, "kzr:nobody")


def test_a_name_that_injects_sparql_is_only_an_unknown_name(names, monkeypatch):
    names = bind_prefixes(Graph()) + names  # a graph of its own: its label index is not read yet
    before, original, ran = set(names), Graph.query, []
    monkeypatch.setattr(Graph, "query", lambda self, q, *a, **k: ran.append(q) or original(self, q, *a, **k))
    monkeypatch.setattr(Graph, "update", lambda self, *a, **k: pytest.fail("an update ran"))
    for attack in ('x" } DROP ALL #', "x' } ; DELETE WHERE { ?s ?p ?o } #", "kzr:x> } DROP ALL #"):
        with pytest.raises(KzError, match="unknown thing"):
            resolve(names, attack)
    assert set(names) == before
    assert ran == [named_query("label-index").text]  # read once, then kept for this graph


def test_the_label_index_is_read_once_per_graph_until_it_changes(names, monkeypatch):
    def copy():  # loaded graphs share one identifier, so rdflib takes them for equal
        graph = bind_prefixes(Graph(identifier=GRAPH_IRI))
        graph += names
        return graph

    graph = copy()
    original, ran = Graph.query, []
    monkeypatch.setattr(Graph, "query", lambda self, q, *a, **k: ran.append(self) or original(self, q, *a, **k))
    for _ in range(3):
        assert resolve(graph, "Токаев") == KZR["kassym-jomart-tokayev"]
    assert ran == [graph]
    other = copy()
    assert other == graph  # yet it has an index of its own
    other.remove((KZR["kassym-jomart-tokayev"], SKOS.altLabel, Literal("Токаев", lang="ru")))
    other.add((KZR["nur-otan"], SKOS.altLabel, Literal("Нур Отан", lang="ru")))  # the same size, too
    with pytest.raises(KzError, match="unknown thing"):
        resolve(other, "Токаев")
    graph.add((KZR["akorda"], RDFS.label, Literal("Akorda", lang="en")))  # a new name is found at once
    assert resolve(graph, "akorda") == KZR["akorda"]
    assert ran == [graph, other, graph]
