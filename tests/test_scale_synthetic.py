"""The synthetic graph generator (kzgraph.synthetic): deterministic, sized, well-shaped."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kzgraph import synthetic
from kzgraph.namespaces import KZ

EVENT_CLASSES = {KZ[k] for k in synthetic.EVENT_KINDS} | {KZ.LegislativeElection, KZ.PresidentialElection}


@pytest.fixture(scope="module")
def small():
    return synthetic.generate(5000, seed=7)


def test_same_seed_same_bytes_other_seed_other_graph(tmp_path):
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    for path, seed in ((a, 3), (b, 3), (c, 4)):
        subprocess.run([sys.executable, "-m", "kzgraph.synthetic", "--triples", "2000", "--seed", str(seed), "-o", str(path)],
                       check=True, capture_output=True)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


@pytest.mark.parametrize("target", [500, 10_000])
def test_size_is_close_to_the_target_and_triples_are_distinct(target):
    made = list(synthetic.triples(target, seed=1))
    assert target <= len(made) <= target * 1.03
    assert len(set(made)) == len(made)


def test_turtle_and_ntriples_hold_the_same_graph(tmp_path):
    nt, ttl = tmp_path / "g.nt", tmp_path / "g.ttl"
    assert synthetic.write(nt, 1500, seed=2) == synthetic.write(ttl, 1500, seed=2)
    assert isomorphic(Graph().parse(nt), Graph().parse(ttl, format="turtle"))


def test_every_thing_has_one_english_label(small):
    for subject in set(small.subjects(RDF.type)):
        labels = list(small.objects(subject, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "en", subject


def test_tenures_are_complete_and_never_overlap_on_one_office(small):
    by_office = {}
    for tenure in small.subjects(RDF.type, KZ.Tenure):
        holder, office, start = (small.value(tenure, p) for p in (KZ.holder, KZ.office, KZ.startDate))
        assert (small.value(holder, RDF.type), small.value(office, RDF.type)) == (KZ.Person, KZ.Office)
        assert small.value(office, KZ.officeOf, any=False) is not None
        end = small.value(tenure, KZ.endDate)
        assert end is None or end.toPython() > start.toPython()
        by_office.setdefault(office, []).append((start.toPython(), end and end.toPython()))
    assert len(by_office) > 5
    for spans in by_office.values():
        spans.sort(key=lambda s: s[0])
        for (_, end), (next_start, _) in zip(spans, spans[1:]):
            assert end is not None and end <= next_start
    assert any(spans[-1][1] is None for spans in by_office.values())  # someone still holds an office


def test_election_results_add_up(small):
    shares = Counter()
    for result in small.subjects(RDF.type, KZ.ElectionResult):
        election = small.value(result, KZ.election)
        assert small.value(election, RDF.type) in (KZ.LegislativeElection, KZ.PresidentialElection)
        assert small.value(result, KZ.contestant) is not None
        shares[election] += small.value(result, KZ.voteShare).toPython()
    assert shares
    for total in shares.values():
        assert abs(total - Decimal(100)) <= Decimal("0.1")


def test_statements_carry_evidence_quoting_a_document(small):
    statements = [s for s, cls in small.subject_objects(RDF.type)
                  if cls in EVENT_CLASSES | {KZ.Tenure, KZ.ElectionResult}]
    assert len(statements) > 100
    for statement in statements:
        evidence = small.value(statement, KZ.evidence)
        assert small.value(evidence, KZ.quote) is not None, statement
        assert small.value(small.value(evidence, KZ.document), RDF.type) == KZ.Document
        if small.value(statement, RDF.type) in EVENT_CLASSES:
            assert small.value(statement, KZ.date) is not None, statement


def test_a_few_actors_are_far_more_central_than_most(small):
    degree = Counter(o for p in (KZ.holder, KZ.participant, KZ.contestant) for o in small.objects(None, p))
    counts = sorted(degree.values(), reverse=True)
    median = counts[len(counts) // 2]
    assert median <= 2 and counts[0] >= 8 * median
