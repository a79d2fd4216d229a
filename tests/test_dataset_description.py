"""The VoID + DCAT description: complete, true to the graph and its dumps, and in DCAT 3's own terms."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, VOID, XSD

from kzgraph.dataset import DATASET, DCAT, METADATA, SPDX, describe
from kzgraph.exporting import serialize
from kzgraph.namespaces import KZ
from kzgraph.version import DATA_VERSION

ROOT = Path(__file__).resolve().parents[1]
DCAT3 = ROOT.parent / "shared" / "vocab" / "dcat3.ttl"


@pytest.fixture(scope="module")
def dumps(graph):
    return {fmt: (f"kzgraph.{ext}", serialize(graph, fmt)) for fmt, ext in (("turtle", "ttl"), ("nt", "nt"))}


@pytest.fixture(scope="module")
def void(graph, dumps):
    return describe(graph, dumps, endpoint="http://127.0.0.1:7000/sparql")


def test_the_dataset_says_what_who_which_licence_version_and_when(void):
    one = lambda p: void.value(DATASET, p)  # noqa: E731
    assert {VOID.Dataset, DCAT.Dataset} <= set(void.objects(DATASET, RDF.type))
    assert str(one(DCTERMS.title)) == METADATA["title"] and one(DCTERMS.description)
    assert one(DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert void.value(one(DCTERMS.publisher), RDF.type) is not None
    assert str(one(DCAT.version)) == DATA_VERSION
    assert one(DCTERMS.issued).datatype == XSD.date and one(DCTERMS.modified).datatype == XSD.date
    assert one(VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7000/sparql")
    service = void.value(None, DCAT.servesDataset, DATASET)
    assert void.value(service, DCAT.endpointURL) == one(VOID.sparqlEndpoint)
    assert set(void.objects(DATASET, VOID.exampleResource))


def test_figures_and_partitions_match_the_graph(graph, void):
    assert int(void.value(DATASET, VOID.triples)) == len(graph)
    persons = [p for p in void.objects(DATASET, VOID.classPartition) if void.value(p, VOID["class"]) == KZ.Person]
    assert int(void.value(persons[0], VOID.entities)) == len(set(graph.subjects(RDF.type, KZ.Person)))
    by_property = {void.value(p, VOID.property): int(void.value(p, VOID.triples))
                   for p in void.objects(DATASET, VOID.propertyPartition)}
    assert by_property == {p: len(list(graph.triples((None, p, None)))) for p in set(graph.predicates())}
    assert set(void.objects(DATASET, DCTERMS.source)) == set(graph.subjects(RDF.type, KZ.Document))


def test_each_dump_is_a_distribution_with_media_type_size_and_checksum(void, dumps):
    import hashlib

    found = {}
    for dist in void.objects(DATASET, DCAT.distribution):
        url = str(void.value(dist, DCAT.downloadURL))
        checksum = void.value(dist, SPDX.checksum)
        found[url.rsplit("/", 1)[-1]] = (str(void.value(dist, DCAT.mediaType)), int(void.value(dist, DCAT.byteSize)),
                                         str(void.value(checksum, SPDX.checksumValue)))
        assert URIRef(url) in set(void.objects(DATASET, VOID.dataDump))
    assert found == {
        "kzgraph.ttl": ("http://www.iana.org/assignments/media-types/text/turtle", len(dumps["turtle"][1]),
                        hashlib.sha256(dumps["turtle"][1]).hexdigest()),
        "kzgraph.nt": ("http://www.iana.org/assignments/media-types/application/n-triples", len(dumps["nt"][1]),
                       hashlib.sha256(dumps["nt"][1]).hexdigest()),
    }


@pytest.mark.skipif(not DCAT3.exists(), reason=f"no DCAT 3 vocabulary at {DCAT3}")
def test_only_dcat3_terms_used_as_dcat3_defines_them(void):
    """Every dcat: term is one DCAT 3 declares; every subject of a dcat: property is of its domain,
    and every datatyped value of its range."""
    vocab = Graph().parse(DCAT3)
    declared = set(vocab.subjects(RDF.type, None))
    used = {t for triple in void for t in triple if isinstance(t, URIRef) and str(t).startswith(str(DCAT))}
    assert used and used <= declared, used - declared

    def types(node):
        direct = set(void.objects(node, RDF.type))
        return direct | {sup for t in direct for sup in vocab.transitive_objects(t, RDFS.subClassOf)}

    for s, p, o in void:
        if not str(p).startswith(str(DCAT)):
            continue
        for domain in vocab.objects(p, RDFS.domain):
            assert domain in types(s), (s, p, domain)
        for range_ in vocab.objects(p, RDFS.range):
            if str(range_).startswith(str(XSD)):
                assert isinstance(o, Literal) and o.datatype == range_, (s, p, o, range_)
            elif range_ == RDFS.Literal:
                assert isinstance(o, Literal), (s, p, o)
            else:
                assert isinstance(o, URIRef), (s, p, o)


def test_citation_cff_and_version_agree(cli):
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(DATA_VERSION)}"$', text, re.M)
    assert "license: CC-BY-4.0" in text and "cff-version: 1.2.0" in text
    result = cli("--version")
    assert result.exit_code == 0
    assert re.fullmatch(rf"kzgraph \d+\.\d+\.\d+\S* \(code\), data {re.escape(DATA_VERSION)}\n", result.output)


def test_ontology_licence_is_the_data_licence(graph):
    ontology = URIRef("https://w3id.org/kzgraph/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert graph.value(ontology, DCTERMS.license) == URIRef(METADATA["licence"])
