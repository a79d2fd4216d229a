"""Competency questions 3, 4, 5, 6, 8, 9 and 10 (../shared/competency-questions.md), answered by the
named queries on the bundled dataset, in rdflib's store and in Oxigraph's."""
from __future__ import annotations

import csv
import io

import pytest
from rdflib import Variable
from rdflib.namespace import RDF, RDFS

from kzgraph.namespaces import KZ
from kzgraph.sparql import named_query, query


def rows(result, *names):
    """The result as tuples of strings (Oxigraph and rdflib type plain literals differently)."""
    return [tuple(None if row.get(Variable(n)) is None else str(row.get(Variable(n))) for n in names)
            for row in result.bindings]


def test_every_query_states_its_question():
    for name in ("election-results", "party-counts", "institutions-founded-between", "reforms",
                 "evidence-for", "led-to", "assessments"):
        question = named_query(name).question
        assert question.endswith("?") and len(question.split()) > 5, (name, question)


def test_q3_results_of_the_2021_majilis_election(store):
    result = query(store, name="election-results", params={"election": "kzr:election-2021-majilis"})
    found = rows(result, "contestantLabel", "voteShare", "seats", "wonSeats")
    assert [(label, round(float(share)), seats, won) for label, share, seats, won in found] == [
        ("Nur Otan", 71, "76", "true"),
        ("Ak Zhol Democratic Party", 11, "12", "true"),
        ("People's Party of Kazakhstan", 9, "10", "true"),
        ("Auyl People's Democratic Patriotic Party", 5, "0", "false"),
        ("Adal", 4, "0", "false"),
    ]
    assert sum(float(share) for _, share, _, _ in found) == pytest.approx(100.0)


def test_q3_without_a_parameter_lists_every_election(store):
    elections = {e for e, in rows(query(store, name="election-results"), "election")}
    assert {e.rsplit("/", 1)[1] for e in elections} == {"election-2019-presidential", "election-2021-majilis",
                                                       "election-2023-majilis"}


def test_q4_parties_on_the_ballot(store):
    found = rows(query(store, name="party-counts"), "date", "partyCount")
    assert [(date[:4], count) for date, count in found] == [("2012", "7"), ("2016", "6"), ("2021", "5"), ("2023", "7")]


def test_q4_through_the_cli(cli):
    result = cli("query", "--name", "party-counts", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["date"], r["partyCount"]) for r in table] == [
        ("2012-01-15", "7"), ("2016-03-20", "6"), ("2021-01-10", "5"), ("2023-03-19", "7")]


def test_q5_institutions_founded_between_handover_and_election(store):
    found = rows(query(store, name="institutions-founded-between"), "institutionLabel", "date")
    # the Council was created on inauguration day (its 17 July date is a ranked, normal claim)
    assert found == [("National Council of Public Trust", "2019-06-12"), ("Supreme Council for Reforms", "2020-09")]


@pytest.mark.parametrize("start,end,expected", [
    ("2020", "2020-12", ["Supreme Council for Reforms"]),      # a month-precise founding inside a year
    ("2020-09-30", "2021", ["Supreme Council for Reforms"]),   # "2020-09" overlaps its last day
    ("2020-10", "2021-01-10", []),
    ("1990", "2019-06-11", ["Security Council of Kazakhstan", "Assembly of the People of Kazakhstan",
                            "Presidential Administration of Kazakhstan"]),
])
def test_q5_period_can_be_set(store, start, end, expected):
    result = query(store, name="institutions-founded-between", params={"from": start, "to": end})
    assert [label for label, in rows(result, "institutionLabel")] == expected


def test_q6_reforms_announced_and_enacted(store):
    result = query(store, name="reforms", params={"initiator": "kzr:kassym-jomart-tokayev"})
    found = rows(result, "reformLabel", "statusLabel", "date")
    announced = [label for label, status, _ in found if status == "announced"]
    assert len(announced) == 3
    assert any("law on political parties" in label for label in announced)
    assert any("assemble and demonstrate" in label for label in announced)
    assert any("30% quota" in label for label in announced)
    assert [(label, date) for label, status, date in found if status == "enacted"] == [
        ("Abolition of the death penalty", "2021-01-02")]


def test_q8_passages_supporting_nur_otans_71_percent(store):
    found = rows(query(store, name="evidence-for"), "about", "quote", "document")
    assert {about.rsplit("/", 1)[1] for about, _, _ in found} == {"result-2021-majilis-nur-otan"}
    article = [quote for _, quote, doc in found if doc.endswith("/document-majilis-2021-commentary")]
    assert len(article) == 2 and all("71% of the votes" in quote for quote in article)
    assert any(doc.endswith("/document-astanatimes-majilis-final-results-2021-01-12") and "71.09 percent" in quote
               for _, quote, doc in found)


def test_q8_evidence_for_any_statement(store):
    result = query(store, name="evidence-for", params={"thing": "kzr:abolition-of-the-death-penalty"})
    assert "On 2 January 2021, death penalty was abolished." in [q for q, in rows(result, "quote")]


def test_q9_what_followed_from_the_handover(store):
    found = {c.rsplit("/", 1)[1] for c, in rows(query(store, name="led-to"), "consequence")}
    assert found == {"election-2019-presidential", "opposition-mobilisation-2019", "reform-political-parties-law",
                     "reform-right-of-assembly", "reform-party-list-quota"}


def test_q9_chains_go_on(store):
    result = query(store, name="led-to", params={"event": "kzr:opposition-mobilisation-2019"})
    assert [c.rsplit("/", 1)[1] for c, in rows(result, "consequence")] == ["mass-arrests-2019"]


def test_q10_judgements_not_facts(store):
    found = rows(query(store, name="assessments"), "assessment", "statement", "about")
    judged = {a.rsplit("/", 1)[1] for a, _, _ in found}
    assert {"assessment-no-opposition-2021", "assessment-reforms-more-words-than-reality",
            "assessment-legal-political-field-contracted", "assessment-continuity-of-nazarbayev-order"} <= judged
    about_2021 = query(store, name="assessments", params={"about": "kzr:election-2021-majilis"})
    assert "assessment-no-opposition-2021" in {a.rsplit("/", 1)[1] for a, in rows(about_2021, "assessment")}


def test_q10_judgements_are_kept_apart_from_facts(graph):
    facts = {c for root in (KZ.Event, KZ.Tenure, KZ.ElectionResult)
             for c in graph.transitive_subjects(RDFS.subClassOf, root)}
    assessments = set(graph.subjects(RDF.type, KZ.Assessment))
    assert len(assessments) >= 4
    for assessment in assessments:
        assert not facts & set(graph.objects(assessment, RDF.type)), assessment
    assert set(graph.subjects(KZ.statement, None)) == assessments
