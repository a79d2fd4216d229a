"""`kzgraph release`: versioned dumps with checksums, the changelog against a planted change, and stable IRIs."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, XSD
from rdflib.namespace import RDF as RDFNS

from kzgraph.errors import KzError
from kzgraph.namespaces import KZ, KZR, bind_prefixes
from kzgraph.release import Change, changes, lost_iris, read_release, release, versions

RELEASES = Path(__file__).resolve().parents[1] / "releases"
TENURES = ("tenure-nazarbayev-president", "tenure-tokayev-president")


def copy(graph) -> Graph:
    out = bind_prefixes(Graph())
    for triple in graph:
        out.add(triple)
    return out


@pytest.fixture(scope="module")
def first(graph, tmp_path_factory):
    """A release 1.0.0 of the bundled graph."""
    root = tmp_path_factory.mktemp("releases")
    release(graph, root, version="1.0.0")
    return root


def planted(graph) -> Graph:
    """The bundled graph with one statement changed, one added, one removed and one thing retired for another."""
    g = copy(graph)
    nur_otan = KZR["nur-otan"]
    g.set((nur_otan, RDFS.label, Literal("Amanat", lang="en")))  # changed: kz:PoliticalParty
    g.add((KZR["kassym-jomart-tokayev"], KZ.birthPlace, Literal("Almaty", lang="en")))  # added: kz:Person
    g.remove((KZR["ak-zhol"], OWL.sameAs, None))  # removed: kz:PoliticalParty
    old, new = KZR["tenure-oljas-bektenov-prime-minister"], KZR["tenure-oljas-bektenov-prime-minister-2024"]
    for p, o in list(g.predicate_objects(old)):  # the per-mandate tenure takes the statements over
        g.add((new, p, o))
    g.add((old, OWL.deprecated, Literal(True)))
    g.add((old, DCTERMS.isReplacedBy, new))
    return g


def test_a_release_holds_every_dump_its_description_and_checksums(first, graph):
    folder = first / "1.0.0"
    names = {p.name for p in folder.iterdir()}
    assert names == {"kzgraph-1.0.0.ttl", "kzgraph-1.0.0.nt", "kzgraph-1.0.0.jsonld", "kzgraph-1.0.0.rdf",
                     "kzgraph-1.0.0.trig", "void.ttl", "CHANGELOG.md", "SHA256SUMS"}
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert len(read_release(folder)) == len(graph)
    void = Graph().parse(folder / "void.ttl")
    dataset = URIRef("https://w3id.org/kzgraph/dataset")
    assert str(void.value(dataset, URIRef("http://www.w3.org/ns/dcat#version"))) == "1.0.0"
    assert URIRef("https://w3id.org/kzgraph/releases/1.0.0/kzgraph-1.0.0.nt") in set(
        void.objects(dataset, URIRef("http://rdfs.org/ns/void#dataDump")))
    assert "The first release." in (folder / "CHANGELOG.md").read_text()


def test_the_same_data_again_changes_nothing_and_other_data_is_refused(first, graph):
    assert release(graph, first, version="1.0.0") == (first / "1.0.0", [])
    with pytest.raises(KzError, match=r"1\.0\.0 is already released with other data .* bump DATA_VERSION"):
        release(planted(graph), first, version="1.0.0")


@pytest.mark.slow
def test_the_changelog_counts_a_planted_change_per_class(first, graph, tmp_path):
    root = tmp_path / "releases"
    (root).mkdir()
    (root / "1.0.0").symlink_to(first / "1.0.0")
    folder, _ = release(planted(graph), root, version="1.1.0")
    log = (folder / "CHANGELOG.md").read_text()
    assert "Changes since 1.0.0" in log
    assert "| kz:PoliticalParty | 0 | 1 | 1 |" in log
    assert "| kz:Person | 1 | 0 | 0 |" in log
    tenure = len(list(graph.predicate_objects(KZR["tenure-oljas-bektenov-prime-minister"])))
    assert f"| kz:Tenure | {tenure + 2} | 0 | 0 |" in log  # the new tenure, and the old one's retirement
    assert "- kzr:tenure-oljas-bektenov-prime-minister-2024" in log.split("New things:")[1]
    assert "- kzr:tenure-oljas-bektenov-prime-minister → kzr:tenure-oljas-bektenov-prime-minister-2024" in log
    assert versions(root) == ["1.0.0", "1.1.0"]


def test_changes_are_counted_by_value_not_by_order(graph):
    assert changes(graph, copy(graph)) == {}
    g = copy(graph)
    g.set((KZR["election-2021-majilis"], KZ.partyCount, Literal(6, datatype=XSD.integer)))
    assert changes(graph, g) == {"kz:LegislativeElection": Change(changed=1)}


def test_an_iri_that_disappears_is_refused(first, graph, tmp_path):
    g = copy(graph)
    g.remove((KZR["ak-zhol"], None, None))
    assert lost_iris(graph, g) == ["kzr:ak-zhol: gone without owl:deprecated and dcterms:isReplacedBy"]
    with pytest.raises(KzError, match="kzr:ak-zhol: gone without owl:deprecated"):
        release(g, first, version="2.0.0")
    assert not (first / "2.0.0").exists()


def test_retiring_needs_a_replacement_the_graph_describes(graph):
    g = copy(graph)
    old = KZR["tenure-karim-massimov-prime-minister-1"]
    g.add((old, OWL.deprecated, Literal(True)))
    assert lost_iris(graph, g) == ["kzr:tenure-karim-massimov-prime-minister-1: deprecated without dcterms:isReplacedBy"]
    g.add((old, DCTERMS.isReplacedBy, KZR["tenure-karim-massimov-prime-minister-2007"]))
    assert lost_iris(graph, g) == ["kzr:tenure-karim-massimov-prime-minister-1: replaced by "
                                   "kzr:tenure-karim-massimov-prime-minister-2007, which the graph does not describe"]
    g.add((KZR["tenure-karim-massimov-prime-minister-2007"], RDFNS.type, KZ.Tenure))
    assert lost_iris(graph, g) == []


def test_the_lead_s_retirement_of_the_two_presidential_tenures_passes(graph):
    """As planned: both tenures keep only owl:deprecated and dcterms:isReplacedBy, per-mandate tenures take over."""
    g = copy(graph)
    for slug in TENURES:
        old = KZR[slug]
        for mandate in ("1", "2"):
            new = KZR[f"{slug}-{mandate}"]
            for p, o in g.predicate_objects(old):
                g.add((new, p, o))
            g.add((old, DCTERMS.isReplacedBy, new))
        for p, o in list(g.predicate_objects(old)):
            if p != DCTERMS.isReplacedBy:
                g.remove((old, p, o))
        g.add((old, OWL.deprecated, Literal(True)))
    assert lost_iris(graph, g) == []


@pytest.mark.skipif(not versions(RELEASES), reason=f"no release in {RELEASES}")
def test_no_iri_of_the_latest_release_disappears(graph):
    """The guard on the bundled data: every thing of the latest release in releases/ is still described,
    or retired with owl:deprecated true and a dcterms:isReplacedBy the data describes."""
    latest = RELEASES / versions(RELEASES)[-1]
    assert lost_iris(read_release(latest), graph) == []


@pytest.mark.slow
def test_release_command_validates_first(cli, tmp_path, user_error):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kz: <https://w3id.org/kzgraph/ontology#> .\n"
                   "<https://w3id.org/kzgraph/id/x> a kz:Person .\n", encoding="utf-8")
    user_error(cli("--data", str(bad), "release", "-o", str(tmp_path / "r")), "does not validate")
    assert not (tmp_path / "r").exists()
