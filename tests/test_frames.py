"""`kzgraph.to_dataframe`: query and research results as typed pandas DataFrames."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import kzgraph
from kzgraph import research
from kzgraph.analyse import stats

pd = pytest.importorskip("pandas")
PARTIAL_DATES = Path(__file__).parent / "fixtures" / "partial-dates.ttl"


def test_research_result_is_typed_with_prefixed_names_and_na(graph):
    result = research.who_held(graph, "President of Kazakhstan")
    frame = kzgraph.to_dataframe(result)
    names = [str(v) for v in result.vars]
    assert [c for c in frame.columns if not c.endswith("_precision")] == names
    assert list(frame.columns).index("start_precision") == list(frame.columns).index("start") + 1
    assert frame["holder"].iloc[0] == "kzr:nursultan-nazarbayev"
    assert str(frame["holder"].dtype) == "string" and str(frame["start"].dtype).startswith("datetime64")
    [current] = frame.index[frame["end"].isna()]  # still in office: unbound end
    assert frame["holder"][current] == "kzr:kassym-jomart-tokayev" and pd.isna(frame["end_precision"][current])
    assert frame["start"][current] >= pd.Timestamp("2019-03-20") and frame["start_precision"][current] == "day"


def test_numbers_and_booleans(graph):
    frame = kzgraph.to_dataframe(kzgraph.query(graph, name="election-results"))
    assert str(frame["votes"].dtype) == "Int64" and str(frame["seats"].dtype) == "Int64"
    assert frame["voteShare"].dtype == "float64" and str(frame["wonSeats"].dtype) == "boolean"
    row = frame[frame["contestant"] == "kzr:ak-zhol"].iloc[0]
    assert (row["voteShare"], row["votes"], row["seats"], bool(row["wonSeats"])) == (10.95, 792828, 12, True)
    assert frame["seats"].isna().any() and (frame["seats"] == 0).any()  # a presidential result has no seats (NA), not 0


def test_partial_dates_get_a_precision_column():
    small = kzgraph.load([PARTIAL_DATES])
    frame = kzgraph.to_dataframe(kzgraph.query(
        small, "SELECT ?event ?date WHERE { ?event kz:date ?date FILTER(STRSTARTS(STR(?event), STR(kzr:test-event))) } ORDER BY ?event"))
    by_event = dict(zip(frame["event"], zip(frame["date"], frame["date_precision"])))
    assert by_event["kzr:test-event-year"] == (pd.Timestamp("1995-01-01"), "year")
    assert by_event["kzr:test-event-month"] == (pd.Timestamp("1995-03-01"), "month")
    assert by_event["kzr:test-event-day"] == (pd.Timestamp("1995-03-01"), "day")


def test_ask_construct_and_table_results(graph):
    assert kzgraph.to_dataframe(kzgraph.query(graph, "ASK { ?x a kz:Person }"))["ask"].tolist() == [True]
    triples = kzgraph.to_dataframe(kzgraph.query(graph, "CONSTRUCT { kzr:nur-otan rdfs:label ?l } WHERE { kzr:nur-otan rdfs:label ?l }"))
    assert triples[["subject", "predicate"]].values.tolist() == [["kzr:nur-otan", "rdfs:label"]]
    table = kzgraph.to_dataframe(stats(graph))
    assert list(table.columns) == ["section", "item", "label", "value"] and table["value"].dtype == "float64"
    empty = kzgraph.to_dataframe(kzgraph.query(graph, "SELECT ?x ?y WHERE { ?x a kz:Nothing }"))
    assert list(empty.columns) == ["x", "y"] and len(empty) == 0


def test_without_pandas_it_says_which_extra_to_install(graph, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas then raises ImportError
    with pytest.raises(kzgraph.KzError, match=r"pip install 'kzgraph\[pandas\]'"):
        kzgraph.to_dataframe(research.who_held(graph, "President of Kazakhstan"))
