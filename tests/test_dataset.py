"""The bundled dataset: provenance on every statement, quotes that are short and verbatim, names and IRIs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kzgraph.lookup import resolve
from kzgraph.namespaces import KZ, KZR, WD
from kzgraph.resources import DATA_DIR

#: The source texts live beside the repository (../shared/sources), never inside it.
SOURCES = Path(__file__).resolve().parents[1].parent / "shared" / "sources"
STATEMENTS = (KZ.Tenure, KZ.ElectionResult, KZ.Event, KZ.Assessment)
#: owl:sameAs links, exactly the Wikidata items verified in the reference notes.
WIKIDATA = {
    "kazakhstan": "Q232", "kassym-jomart-tokayev": "Q200881", "nur-otan": "Q1195092", "ak-zhol": "Q1186246",
    "parliament-of-kazakhstan": "Q2995409", "president-of-kazakhstan": "Q5256775",
    "commonwealth-of-independent-states": "Q7779", "election-2012-majilis": "Q2053480",
    "election-2016-majilis": "Q23014128",
}


def instances(graph, cls):
    """Things typed with ``cls`` or any subclass of it (the dataset states the most specific class)."""
    return {s for c in graph.transitive_subjects(RDFS.subClassOf, cls) for s in graph.subjects(RDF.type, c)}


def normalised(text: str) -> str:
    return " ".join(text.split())


def test_every_statement_has_evidence_with_document_and_quote(graph):
    statements = set().union(*(instances(graph, cls) for cls in STATEMENTS))
    assert len(statements) > 50
    for statement in statements:
        evidence = list(graph.objects(statement, KZ.evidence))
        assert evidence, f"{statement} has no evidence"
        for ev in evidence:
            assert (graph.value(ev, KZ.document), RDF.type, KZ.Document) in graph, ev
            assert isinstance(graph.value(ev, KZ.quote), Literal), ev


def test_quotes_are_short(graph):
    article = KZR["document-majilis-2021-commentary"]
    for ev, quote in graph.subject_objects(KZ.quote):
        assert len(str(quote).split()) <= 25, ev
        # never a run of 20 words of the source article (as ../shared/hooks counts words)
        if graph.value(ev, KZ.document) == article:
            assert len(re.findall(r"[\w%]+", str(quote))) < 20, ev


def test_quotes_of_a_source_in_shared_are_verbatim(graph):
    if not SOURCES.is_dir():
        pytest.skip(f"the source texts are not here ({SOURCES}); they are kept outside the repository")
    checked = 0
    for document in graph.subjects(RDF.type, KZ.Document):
        source = SOURCES / (str(document).removeprefix(str(KZR["document-"])) + ".txt")
        if not source.is_file():
            continue
        text = normalised(source.read_text(encoding="utf-8"))
        for ev in graph.subjects(KZ.document, document):
            quote = normalised(str(graph.value(ev, KZ.quote)))
            assert quote in text, f"{ev}: not a verbatim quote of {source.name}: {quote!r}"
            checked += 1
    assert checked >= 50  # the article the dataset starts from is among them


def test_the_article_is_described_in_our_own_words(graph):
    article = KZR["document-majilis-2021-commentary"]
    assert str(graph.value(article, DCTERMS.date)) == "2021-01"
    assert graph.value(article, DCTERMS.title) is not None
    description = graph.value(article, DCTERMS.description)
    assert description is not None and len(str(description).split()) > 30


def test_exactly_one_english_label_on_every_thing(graph):
    things = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(KZR))}
    things -= set(graph.subjects(RDF.type, KZ.Evidence))
    assert len(things) > 90
    for thing in things:
        english = [o for o in graph.objects(thing, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        assert len(english) == 1, (thing, english)


def test_iris_are_readable_slugs_and_there_are_no_blank_nodes(graph):
    for path in sorted(DATA_DIR.glob("*.ttl")):
        part = Graph().parse(path)
        for term in {t for triple in part for t in triple}:
            assert not isinstance(term, BNode), path
            if isinstance(term, URIRef) and term.startswith(str(KZR)):
                assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.removeprefix(str(KZR))), term
    for cls, kind in ((KZ.Tenure, "tenure-"), (KZ.ElectionResult, "result-"), (KZ.Evidence, "evidence-"),
                      (KZ.Document, "document-")):
        for node in graph.subjects(RDF.type, cls):
            assert node.startswith(str(KZR[kind])), node


@pytest.mark.parametrize("name,slug", [
    ("Nur Otan", "nur-otan"), ("Nur-Otan", "nur-otan"), ("Нұр Отан", "nur-otan"), ("Нур Отан", "nur-otan"),
    ("Amanat", "nur-otan"), ("Aq Zhol", "ak-zhol"), ("Ak Zhol", "ak-zhol"), ("Ақ жол", "ak-zhol"),
    ("Peoples Party", "peoples-party-of-kazakhstan"), ("People's Party", "peoples-party-of-kazakhstan"),
    ("People's Party of Kazakhstan", "peoples-party-of-kazakhstan"), ("Elbasy", "nursultan-nazarbayev"),
    ("Council of Public Trust", "national-council-of-public-trust"),
    ("Supreme Council for Reform", "supreme-council-for-reforms"), ("Mazhilis", "majilis"),
])
def test_spellings_in_the_source_and_usual_transliterations(graph, name, slug):
    assert resolve(graph, name) == KZR[slug]


def test_persons_and_parties_have_kazakh_and_russian_names(graph):
    """The article's actors and parties have both; of the national record's holders, those a page names in
    Cyrillic (most of them): no name is added that no page gives."""
    parties_2021 = {graph.value(r, KZ.contestant) for r in graph.subjects(KZ.election, KZR["election-2021-majilis"])}
    for thing in parties_2021 | {KZR["nursultan-nazarbayev"], KZR["kassym-jomart-tokayev"]}:
        languages = {o.language for o in graph.objects(thing, SKOS.altLabel)}
        assert {"kk", "ru"} <= languages, thing
    persons = instances(graph, KZ.Person)
    cyrillic = {p for p in persons if {o.language for o in graph.objects(p, SKOS.altLabel)} & {"kk", "ru"}}
    assert len(cyrillic) >= 0.7 * len(persons)


def test_wikidata_links_only_where_verified(graph):
    links = {(s.removeprefix(str(KZR)), o.removeprefix(str(WD))) for s, o in graph.subject_objects(OWL.sameAs)}
    assert links == set(WIKIDATA.items())


def test_nazarbayev_bears_the_elbasy_title_with_evidence(graph):
    nazarbayev = KZR["nursultan-nazarbayev"]
    assert "Elbasy (Leader of the Nation)" in {str(t) for t in graph.objects(nazarbayev, KZ.honorificTitle)}
    quotes = [str(graph.value(ev, KZ.quote)) for ev in graph.objects(nazarbayev, KZ.evidence)]
    assert any("elbasy" in q.lower() for q in quotes)


def test_parties_of_2021_and_their_stance(graph):
    """The article's judgement of each party, as of the election: a dated assessment, never a fact on the party."""
    contestants = {graph.value(r, KZ.contestant) for r in graph.subjects(KZ.election, KZR["election-2021-majilis"])}
    article_stances = {}
    for assessment in graph.subjects(KZ.stance, None):
        if str(graph.value(assessment, KZ.date)) != "2021-01":
            continue
        for party in graph.objects(assessment, KZ.about):
            article_stances[party] = graph.value(assessment, KZ.stance)
    assert set(article_stances) >= contestants
    assert {article_stances[p] for p in contestants} == {KZ.Ruling, KZ.ProGovernment}
    assert article_stances[KZR["nur-otan"]] == KZ.Ruling
    assert not [s for p in contestants for s in graph.objects(p, KZ.stance)]
    assert len(contestants) == int(graph.value(KZR["election-2021-majilis"], KZ.partyCount)) == 5


CONTRACT_CLASSES = """Agent Person Organization PoliticalParty StateInstitution Office Tenure Event Election
    PresidentialElection LegislativeElection ElectionResult TransferOfPower Founding LegalReform Abolition
    Restriction Protest Detention Assessment Document Evidence""".split()
CONTRACT_PROPERTIES = """holder office startDate endDate officeOf memberOf date participant initiatedBy affected
    predecessor successor founded electedBody electedOffice partyCount election contestant voteShare seats status
    ledTo about statement evidence document quote""".split()
#: standard vocabularies every kz: class reaches through rdfs:subClassOf (directly or via a kz: superclass)
ALIGNED = ("http://www.w3.org/ns/org#", "http://xmlns.com/foaf/0.1/", "https://schema.org/",
           "http://www.w3.org/ns/prov#", "http://semanticweb.cs.vu.nl/2009/11/sem/")


def test_ontology_declares_the_contract_with_labels_comments_and_alignment(graph):
    for name in CONTRACT_CLASSES + CONTRACT_PROPERTIES + ["Announced", "Enacted"]:
        term = KZ[name]
        assert (term, RDFS.label, None) in graph and (term, RDFS.comment, None) in graph, name
        assert all(o.language == "en" for o in graph.objects(term, RDFS.comment)), name
    for name in CONTRACT_CLASSES:
        supers = set(graph.transitive_objects(KZ[name], RDFS.subClassOf))
        assert any(str(s).startswith(ALIGNED) for s in supers), name
    for name in CONTRACT_PROPERTIES:
        term = KZ[name]
        described = {p for p in (RDFS.domain, RDFS.range, RDFS.subPropertyOf) if (term, p, None) in graph}
        assert described, name


def test_data_uses_only_declared_terms(graph):
    declared = {s for s in graph.subjects(RDFS.label, None) if str(s).startswith(str(KZ))}
    used = {p for p in graph.predicates() if str(p).startswith(str(KZ))}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(str(KZ))}
    assert used <= declared, used - declared


def test_other_names_do_not_repeat_the_label(graph):
    """SKOS: a name is either the label or another name of a thing, not both."""
    assert [(s, o) for s, o in graph.subject_objects(SKOS.altLabel) if (s, RDFS.label, o) in graph] == []
