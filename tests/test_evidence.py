"""The evidence model: documents that were read, verbatim quotes checked against their texts,
hedged passages, ranked values, one holder at a time, and an ontology consistent with PROV-O and ORG."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kzgraph.evidence_check import check_evidence, closest_passage, html_text, normalise
from kzgraph.stores import load
from kzgraph.namespaces import KZ, KZR
from kzgraph.sparql import query
from kzgraph.resources import ONTOLOGY_FILE
from kzgraph.validation import validate

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
ARTICLE = SHARED / "sources" / "majilis-2021-commentary.txt"
PLANTED = HERE / "evidence_data" / "planted.ttl"
ARTICLE_DOC = "document-majilis-2021-commentary"


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here; it is kept outside the repository")
    return path


@pytest.fixture
def article_texts(tmp_path) -> Path:
    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copy(needs(ARTICLE), texts / f"{ARTICLE_DOC}.txt")
    return texts


# ---------------------------------------------------------------- check-evidence

def test_every_quote_of_the_article_is_found(graph, article_texts):
    report = check_evidence(graph, article_texts)
    assert report.ok, [o.line() for o in report.orphans]
    assert report.checked == [KZR[ARTICLE_DOC]]
    assert report.found >= 55
    assert KZR[ARTICLE_DOC] not in report.without_text


def test_a_planted_orphan_is_reported_with_the_closest_passage(article_texts, cli):
    graph = load()
    evidence = next(iter(graph.subjects(KZ.quote, Literal("however these applications were denied."))))
    graph.set((evidence, KZ.quote, Literal("however these applications were granted.")))
    report = check_evidence(graph, article_texts)
    assert [(o.evidence, o.part) for o in report.orphans] == [(evidence, "quote")]
    assert report.orphans[0].closest == "however these applications were denied."
    line = report.orphans[0].line(graph.namespace_manager.normalizeUri)
    assert line.startswith(f"kzr:{ARTICLE_DOC}: kzr:evidence-applications-denied: quote not found (closest passage:")


def test_a_wrong_prefix_is_an_orphan(article_texts):
    graph = load()
    evidence = KZR["evidence-observers-denied-access"]
    assert check_evidence(graph, article_texts).ok
    graph.set((evidence, URIRef("http://www.w3.org/ns/oa#prefix"), Literal("It was never reported that,")))
    orphans = check_evidence(graph, article_texts).orphans
    assert [(o.evidence, o.part) for o in orphans] == [(evidence, "prefix")]


def test_the_command_exits_1_on_an_orphan_and_prints_a_summary(cli, tmp_path, article_texts):
    data = tmp_path / "more"
    data.mkdir()
    (data / "extra.ttl").write_text(
        "@prefix kz: <https://w3id.org/kzgraph/ontology#> . @prefix kzr: <https://w3id.org/kzgraph/id/> .\n"
        f"kzr:evidence-planted a kz:Evidence ; kz:document kzr:{ARTICLE_DOC} ; kz:quote \"Kazakhs never went to the polls\" .\n",
        encoding="utf-8")
    result = cli("--data", str(data), "check-evidence", "--texts", str(article_texts))
    assert result.exit_code == 1
    assert result.stdout.strip().startswith(f"kzr:{ARTICLE_DOC}: kzr:evidence-planted: quote not found")
    assert "1 document checked" in result.stderr and "1 orphaned" in result.stderr
    ok = cli("check-evidence", "--texts", str(article_texts))
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == "" and "0 orphaned" in ok.stderr


def test_html_is_reduced_to_its_visible_text(tmp_path):
    html = ("<html><head><title>t</title><script>var q = 'Five parties competed';</script></head>"
            "<body><p>Five&nbsp;parties <b>competed</b>\n in the</p><p>elections.</p></body></html>")
    text = normalise(html_text(html))
    assert "Five parties competed in the elections." in text
    assert "var q" not in text


def test_only_whitespace_and_quote_marks_are_normalised():
    assert normalise("“Nur  Otan”\n won ‘big’") == "\"Nur Otan\" won 'big'"
    assert normalise("Nur-Otan") != normalise("Nur Otan")
    assert closest_passage("a b c d e f", "zzz qqq") == ""


@pytest.mark.parametrize("setup, needle", [
    (lambda d: d / "missing", "no such directory"),
    (lambda d: d, "no document texts in it"),
    (lambda d: (d / "document-nobody-knows.txt").write_text("x") and d, "no document kzr:document-nobody-knows in the graph"),
    (lambda d: (d / f"{ARTICLE_DOC}.txt").write_bytes(b"caf\xe9") and d, "not UTF-8 text"),
    (lambda d: (d / "notes.pdf").write_text("x") and d, "not a document text"),
    (lambda d: (d / "plain-file").write_text("x") and d / "plain-file", "not a directory"),
])
def test_bad_texts_give_one_line_and_write_nothing(cli, tmp_path, setup, needle):
    texts = tmp_path / "texts"
    texts.mkdir()
    target = setup(texts)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = cli("check-evidence", "--texts", str(target))
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("Error: ") and needle in message and "\n" not in message
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


# ---------------------------------------------------------------- documents and quotes in the dataset

def test_every_document_is_a_page_that_was_read(graph):
    from rdflib.namespace import DCTERMS
    schema_url = URIRef("https://schema.org/url")
    documents = set(graph.subjects(RDF.type, KZ.Document))
    assert documents
    for document in documents:
        url = graph.value(document, schema_url)
        assert url is not None or graph.value(document, DCTERMS.bibliographicCitation) is not None, document
        assert graph.value(document, KZ.accessed) is not None, document
        assert len(list(graph.objects(document, DCTERMS.title))) <= 1, document   # none where the page shows none
        text = " ".join(str(o) for o in graph.objects(document))
        for placeholder in ("news reports of", "official record", "reference notes", "transcribed"):
            assert placeholder not in text.lower(), (document, placeholder)


def test_the_articles_hedges_are_kept(graph):
    rows = query(graph, name="show", params={"thing": KZR["party-registrations-denied"]})
    hedges = {str(r.hedge) for r in rows if r.hedge}
    assert hedges == {"reported by some news portals and the Forbes magazine"}
    reported = set(graph.subjects(KZ.mode, KZ.Reported))
    assert {KZR["evidence-observers-denied-access"], KZR["evidence-boycott-demonstrations"]} <= reported


def test_stances_are_dated_assessments_not_facts(graph):
    assert not set(graph.subjects(KZ.stance, None)) - set(graph.subjects(RDF.type, KZ.Assessment))
    for assessment in graph.subjects(KZ.stance, None):
        assert graph.value(assessment, KZ.date) or graph.value(assessment, KZ.startDate), assessment
        assert graph.value(assessment, KZ.evidence) is not None


# ---------------------------------------------------------------- shapes: each planted fault caught

@pytest.fixture(scope="module")
def planted_report():
    return validate([PLANTED])


@pytest.mark.parametrize("thing, words", [
    ("kzr:document-planted-nowhere", "needs the schema:url of the page that was read"),
    ("kzr:evidence-planted-attributed", "add kz:mode kz:Reported"),
    ("kzr:tenure-a-again", "overlaps kzr:tenure-b"),
    ("kzr:tenure-b", "overlaps kzr:tenure-a-again"),
    ("kzr:claim-date-1", "is preferred, and so is kzr:claim-date-3"),
    ("kzr:claim-date-3", "does not state 2019-08-01 directly"),
    ("kzr:claim-date-3", "also states 2019-06-12 directly"),
    ("kzr:claim-toll-1", "no claim of kz:deathToll for this thing is preferred"),
    ("kzr:planted-party", "kz:stance is a judgement"),
])
def test_shapes_catch_each_planted_fault(planted_report, thing, words):
    assert any(v.focus == thing and words in v.message for v in planted_report.violations), \
        "\n".join(map(str, planted_report.violations))


def test_shapes_raise_no_false_alarm_on_the_planted_graph(planted_report):
    faulty = {"kzr:document-planted-nowhere", "kzr:evidence-planted-attributed", "kzr:tenure-a-again",
              "kzr:tenure-b", "kzr:claim-date-1", "kzr:claim-date-2", "kzr:claim-date-3", "kzr:claim-toll-1",
              "kzr:planted-party"}
    assert {v.focus for v in planted_report.violations} <= faulty
    assert not any(v.focus in ("kzr:tenure-a", "kzr:tenure-c") for v in planted_report.violations)


# ---------------------------------------------------------------- one holder at a time

@pytest.fixture(scope="module")
def planted_graph():
    return load([PLANTED])


def holders(graph, office, date) -> list[str]:
    rows = query(graph, name="office-holder-on-date", params={"office": office, "date": date})
    return sorted(str(r.holder).rsplit("/", 1)[1] for r in rows)


@pytest.mark.parametrize("date, expected", [
    (Literal("2019-03-19", datatype=XSD.date), ["person-a"]),
    (Literal("2019-03-20", datatype=XSD.date), ["person-b"]),          # the handover day: the successor
    (Literal("1995-01-01", datatype=XSD.date), []),                     # "in 1995" is not 1 January
    (Literal("1995-06", datatype=XSD.gYearMonth), []),
    (Literal("1995", datatype=XSD.gYear), ["person-a"]),
    (Literal("2020-06-01", datatype=XSD.date), []),                     # B ended and C began in 2020
    (Literal("2021-01-01", datatype=XSD.date), ["person-c"]),
])
def test_partial_dates_are_intervals_and_end_dates_exclusive(planted_graph, date, expected):
    office = KZR["planted-office"]
    assert holders(planted_graph, office, date) == expected


def test_every_handover_day_in_the_data_has_one_holder(graph):
    """For each tenure that ends on a day another tenure of its office starts, who-held names one holder."""
    checked = 0
    for tenure, end in graph.subject_objects(KZ.endDate):
        if end.datatype != XSD.date or (tenure, RDF.type, KZ.Tenure) not in graph:
            continue
        office = graph.value(tenure, KZ.office)
        successors = [t for t in graph.subjects(KZ.office, office) if graph.value(t, KZ.startDate) == end]
        if not successors:
            continue
        names = holders(graph, office, end)
        assert names == sorted({str(graph.value(t, KZ.holder)).rsplit("/", 1)[1] for t in successors}), (office, end)
        assert len(names) == 1, (office, end, names)
        checked += 1
    assert checked >= 3


# ---------------------------------------------------------------- the ontology

@pytest.mark.slow
def test_owl_rl_closure_with_prov_and_org_is_consistent():
    import owlrl
    from owlrl.Namespaces import ERRNS

    vocab = needs(SHARED / "vocab")
    graph = Graph()  # rdflib's memory store: the closure holds generalised triples (literal subjects)
    graph += load()
    for name in ("prov-o.ttl", "org.ttl"):
        graph.parse(vocab / name)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = sorted(str(o) for o in graph.objects(None, ERRNS.error))
    assert errors == [], errors[:5]


@pytest.mark.slow
def test_a_planted_misalignment_is_caught():
    """The consistency test can fail: aligning kz:evidence with prov:wasDerivedFrom again breaks it."""
    import owlrl
    from owlrl.Namespaces import ERRNS

    vocab = needs(SHARED / "vocab")
    graph = Graph()
    graph += load()
    graph.parse(vocab / "prov-o.ttl")
    graph.add((KZ.evidence, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert any("Disjoint classes" in str(o) for o in graph.objects(None, ERRNS.error))


def test_terms_have_distinct_labels_and_comments():
    ontology = Graph().parse(ONTOLOGY_FILE)
    terms = {s for s in ontology.subjects(RDFS.label) if str(s).startswith(str(KZ))}
    labels: dict[str, URIRef] = {}
    for term in sorted(terms):
        label = str(ontology.value(term, RDFS.label)).lower()
        assert label not in labels, f"{term} and {labels[label]} share the label {label!r}"
        labels[label] = term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_ontology_metadata_for_fair_checkers():
    from rdflib.namespace import DCTERMS, OWL
    ontology = Graph().parse(ONTOLOGY_FILE)
    iri = URIRef("https://w3id.org/kzgraph/ontology")
    vann = "http://purl.org/vocab/vann/"
    for prop in (URIRef(vann + "preferredNamespacePrefix"), URIRef(vann + "preferredNamespaceUri"),
                 DCTERMS.created, DCTERMS.modified, DCTERMS.creator, DCTERMS.publisher, DCTERMS.license,
                 DCTERMS.bibliographicCitation, OWL.versionInfo, OWL.versionIRI, OWL.priorVersion):
        assert ontology.value(iri, prop) is not None, prop
    assert str(ontology.value(iri, OWL.versionInfo)) in str(ontology.value(iri, OWL.versionIRI))
