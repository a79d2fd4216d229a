"""The national record of the top offices (competency questions 11–14): every chain sourced, one
holder at a time, and the named queries that answer the researchers' questions, on every store."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import RDF, XSD

from kzgraph.stores import load
from kzgraph.namespaces import KZ, KZR
from kzgraph.sparql import query

SCHEMA_URL = URIRef("https://schema.org/url")
PLANTED = Path(__file__).resolve().parent / "evidence_data" / "planted.ttl"


def slugs(result, name: str) -> list[str]:
    return [str(row.get(Variable(name))).rsplit("/", 1)[1] for row in result.bindings]


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


# ---------------------------------------------------------------- size and sourcing

def test_the_record_meets_its_targets(graph):
    tenures = set(graph.subjects(RDF.type, KZ.Tenure))
    offices = {graph.value(t, KZ.office) for t in tenures}
    holders = {graph.value(t, KZ.holder) for t in tenures}
    assert len(tenures) >= 120 and len(offices) >= 14 and len(holders) >= 70
    assert len(set(graph.subjects(RDF.type, KZ.Person))) >= 70


def test_every_tenure_cites_an_outside_page(graph):
    for tenure in graph.subjects(RDF.type, KZ.Tenure):
        pages = [graph.value(graph.value(ev, KZ.document), SCHEMA_URL) for ev in graph.objects(tenure, KZ.evidence)]
        assert any(pages), f"{tenure} cites no page with a URL"


def test_acting_holders_are_marked(graph):
    acting = {str(graph.value(t, KZ.holder)).rsplit("/", 1)[1] for t in graph.subjects(KZ.acting, Literal(True))}
    assert {"alikhan-smailov", "roman-sklyar", "kassym-jomart-tokayev"} <= acting


def test_retired_iris_say_what_replaced_them(graph):
    from rdflib.namespace import DCTERMS, OWL
    for old in ("tenure-nazarbayev-president", "tenure-tokayev-president"):
        assert (KZR[old], OWL.deprecated, Literal(True)) in graph
        replacements = set(graph.objects(KZR[old], DCTERMS.isReplacedBy))
        assert replacements and all((r, RDF.type, KZ.Tenure) in graph for r in replacements)
        assert (KZR[old], RDF.type, KZ.Tenure) not in graph


# ---------------------------------------------------------------- question 11: who held it on a date

@pytest.mark.parametrize("office, date, holder", [
    ("prime-minister-of-kazakhstan", "2015-06-01", "karim-massimov"),
    ("prime-minister-of-kazakhstan", "2020-01-01", "askar-mamin"),
    ("prime-minister-of-kazakhstan", "2022-01-05", "alikhan-smailov"),     # the handover day: the successor
    ("prime-minister-of-kazakhstan", "2022-01-04", "askar-mamin"),
    ("chair-of-the-senate-of-kazakhstan", "2019-06-01", "dariga-nazarbayeva"),
    ("chair-of-the-senate-of-kazakhstan", "2019-03-19", "kassym-jomart-tokayev"),
    ("chair-of-the-majilis", "2019-06-01", "nurlan-nigmatulin"),
    ("president-of-kazakhstan", "2019-03-20", "kassym-jomart-tokayev"),
    ("president-of-kazakhstan", "2019-03-19", "nursultan-nazarbayev"),
    ("minister-of-foreign-affairs-of-kazakhstan", "2005-01-01", "kassym-jomart-tokayev"),
])
def test_q11_one_holder_on_a_date(store, office, date, holder):
    result = query(store, name="office-holder-on-date", params={"office": KZR[office], "date": day(date)})
    assert slugs(result, "holder") == [holder]


def test_q11_a_year_names_everyone_who_held_it_then(store):
    result = query(store, name="office-holder-on-date",
                   params={"office": KZR["prime-minister-of-kazakhstan"], "date": Literal("2019", datatype=XSD.gYear)})
    assert slugs(result, "holder") == ["bakhytjan-sagintayev", "askar-mamin", "askar-mamin"]


def test_every_office_has_at_most_one_holder_on_every_start_day(graph):
    """On each day a tenure starts, its office has exactly one holder: no overlaps, no double counts."""
    for tenure, start in graph.subject_objects(KZ.startDate):
        if (tenure, RDF.type, KZ.Tenure) not in graph or start.datatype != XSD.date:
            continue
        office = graph.value(tenure, KZ.office)
        result = query(graph, name="office-holder-on-date", params={"office": office, "date": start})
        assert slugs(result, "tenure") == [str(tenure).rsplit("/", 1)[1]], (office, start)


# ---------------------------------------------------------------- questions 12 and 13: careers

def test_q12_a_career_in_order_with_how_each_began_and_ended(store):
    result = query(store, name="career", params={"holder": KZR["kassym-jomart-tokayev"]})
    offices = slugs(result, "office")
    assert offices[0] == "minister-of-foreign-affairs-of-kazakhstan"
    assert offices.index("president-of-kazakhstan") > offices.index("chair-of-the-senate-of-kazakhstan")
    starts = [str(row.get(Variable("start"))) for row in result.bindings if row.get(Variable("start"))]
    assert starts == sorted(starts)
    senate = [row for row in result.bindings if str(row.get(Variable("office"))).endswith("chair-of-the-senate-of-kazakhstan")]
    assert str(senate[-1].get(Variable("endCause"))).endswith("Reassignment")
    assert str(senate[-1].get(Variable("replacedBy"))).endswith("dariga-nazarbayeva")


def test_q13_offices_tokayev_held_before_becoming_president(store):
    result = query(store, name="offices-before")  # the default binding: Tokayev and the presidency
    assert set(slugs(result, "earlierOffice")) == {
        "minister-of-foreign-affairs-of-kazakhstan", "prime-minister-of-kazakhstan",
        "state-secretary-of-kazakhstan", "chair-of-the-senate-of-kazakhstan"}
    assert "president-of-kazakhstan" not in slugs(result, "earlierOffice")


# ---------------------------------------------------------------- question 14: longest, and most offices

def test_q14_longest_serving_holder_of_each_office(store):
    result = query(store, name="longest-serving")
    first: dict[str, str] = {}
    for office, holder in zip(slugs(result, "office"), slugs(result, "holder")):
        first.setdefault(office, holder)
    assert first["president-of-kazakhstan"] == "nursultan-nazarbayev"
    assert first["prime-minister-of-kazakhstan"] == "karim-massimov"   # two spells, over seven years
    months = {h: int(row.get(Variable("months"))) for h, row in zip(slugs(result, "holder"), result.bindings)
              if str(row.get(Variable("office"))).endswith("president-of-kazakhstan")}
    assert months["nursultan-nazarbayev"] == (2019 * 12 + 3) - (1990 * 12 + 4)


def test_q14_people_who_held_three_or_more_offices(store):
    result = query(store, name="multi-office-holders")
    counts = dict(zip(slugs(result, "holder"), (int(r.get(Variable("offices"))) for r in result.bindings)))
    assert counts["kassym-jomart-tokayev"] >= 6
    assert counts["karim-massimov"] >= 3
    assert all(count >= 3 for count in counts.values())


# ---------------------------------------------------------------- two holders on one day

def test_no_office_has_two_holders_on_one_day(store):
    assert list(query(store, name="concurrent-holders")) == []


def test_concurrent_holders_are_shown_with_why():
    planted = load([PLANTED])
    result = query(planted, name="concurrent-holders")
    assert {(a, b) for a, b in zip(slugs(result, "tenure"), slugs(result, "otherTenure"))} == {("tenure-a-again", "tenure-b")}
