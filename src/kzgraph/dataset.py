"""The dataset description: VoID and DCAT 3 metadata of the graph, its dumps and its SPARQL endpoint.

The fixed facts (title, licence, version, …) are :data:`METADATA`; the figures (triples, class and
property partitions, sources, the day the data last changed) are asked of the graph by named queries.
"""
from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, VOID, XSD

from .namespaces import KZ, KZR, bind_prefixes
from .sparql import query
from .version import DATA_VERSION

#: Where kzgraph's IRIs live (https://w3id.org/kzgraph/…); dumps, pages and the endpoint hang below it.
BASE = "https://w3id.org/kzgraph/"
DATASET = URIRef(BASE + "dataset")
ONTOLOGY = URIRef(BASE + "ontology")
METADATA = {
    "title": "kzgraph: a sourced knowledge graph of Kazakhstan's politics",
    "description": ("Persons, parties, state institutions and offices of Kazakhstan, who held which office "
                    "when, elections and their results, transfers of power, reforms, restrictions, protests "
                    "and detentions, and the judgements sources make; every statement cites a short quotation "
                    "of the document it comes from."),
    "publisher": "the kzgraph project",
    "licence": "https://creativecommons.org/licenses/by/4.0/",
    "issued": "2026-12-01",
    "keywords": ("Kazakhstan", "politics", "elections", "knowledge graph", "provenance"),
    #: things a newcomer can look at first (void:exampleResource)
    "examples": ("kassym-jomart-tokayev", "nur-otan", "election-2021-majilis", "president-of-kazakhstan"),
}
#: DCAT 3 (rdflib's closed DCAT namespace is version 2 and lacks dcat:version)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
#: dump format (kzgraph.export name) → (media type, W3C format IRI)
MEDIA = {
    "turtle": ("text/turtle", "http://www.w3.org/ns/formats/Turtle"),
    "nt": ("application/n-triples", "http://www.w3.org/ns/formats/N-Triples"),
    "jsonld": ("application/ld+json", "http://www.w3.org/ns/formats/JSON-LD"),
    "xml": ("application/rdf+xml", "http://www.w3.org/ns/formats/RDF_XML"),
    "trig": ("application/trig", "http://www.w3.org/ns/formats/TriG"),
}


def _count(value) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def describe(graph: Graph, dumps: dict[str, tuple[str, bytes]] | None = None, *, base: str = BASE,
             endpoint: str | None = None, version: str = DATA_VERSION) -> Graph:
    """The VoID + DCAT description of ``graph``.

    ``dumps`` maps a format of :data:`MEDIA` to (file name, bytes): each becomes a dcat:Distribution
    whose download URL is the file name below ``base``, with its media type, byte size and SHA-256;
    ``endpoint`` is the SPARQL endpoint (default: ``base`` + ``sparql``).
    """
    out = bind_prefixes(Graph())
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("iana", IANA), ("spdx", SPDX)):
        out.bind(prefix, ns)
    ds, meta = DATASET, METADATA
    add = out.add
    for cls in (VOID.Dataset, DCAT.Dataset):
        add((ds, RDF.type, cls))
    add((ds, DCTERMS.title, Literal(meta["title"], lang="en")))
    add((ds, DCTERMS.description, Literal(meta["description"], lang="en")))
    publisher = URIRef(BASE + "dataset#publisher")
    add((ds, DCTERMS.publisher, publisher))
    add((publisher, RDF.type, FOAF.Organization))
    add((publisher, FOAF.name, Literal(meta["publisher"], lang="en")))
    add((ds, DCTERMS.license, URIRef(meta["licence"])))
    add((ds, DCAT.version, Literal(version)))
    add((ds, OWL.versionInfo, Literal(version)))
    add((ds, DCTERMS.issued, Literal(meta["issued"], datatype=XSD.date)))
    for word in meta["keywords"]:
        add((ds, DCAT.keyword, Literal(word, lang="en")))
    add((ds, VOID.uriSpace, Literal(str(KZR))))
    add((ds, VOID.vocabulary, URIRef(str(KZ))))
    add((ds, DCTERMS.conformsTo, ONTOLOGY))
    add((ds, FOAF.homepage, URIRef(base)))
    add((ds, DCAT.landingPage, URIRef(base + "index.html")))

    summary = query(graph, name="void-summary").bindings[0]
    for key, prop in (("triples", VOID.triples), ("entities", VOID.entities), ("classes", VOID.classes),
                      ("properties", VOID.properties), ("subjects", VOID.distinctSubjects),
                      ("objects", VOID.distinctObjects)):
        add((ds, prop, _count(summary[key])))
    if summary.get("modified") is not None:
        add((ds, DCTERMS.modified, summary["modified"]))
    for row in query(graph, name="void-classes").bindings:
        part = URIRef(f"{BASE}dataset#class-{_key(row['class'])}")
        add((ds, VOID.classPartition, part))
        add((part, VOID["class"], row["class"]))
        add((part, VOID.entities, _count(row["entities"])))
    for row in query(graph, name="void-properties").bindings:
        part = URIRef(f"{BASE}dataset#property-{_key(row['property'])}")
        add((ds, VOID.propertyPartition, part))
        add((part, VOID.property, row["property"]))
        add((part, VOID.triples, _count(row["triples"])))
        add((part, VOID.distinctSubjects, _count(row["subjects"])))
        add((part, VOID.distinctObjects, _count(row["objects"])))
    for row in query(graph, name="documents").bindings:
        add((ds, DCTERMS.source, row["document"]))
    for slug in meta["examples"]:
        if (KZR[slug], None, None) in graph:
            add((ds, VOID.exampleResource, KZR[slug]))

    sparql = URIRef(endpoint or base + "sparql")
    service = URIRef(BASE + "dataset#sparql")
    add((ds, VOID.sparqlEndpoint, sparql))
    add((service, RDF.type, DCAT.DataService))
    add((service, DCAT.endpointURL, sparql))
    add((service, DCAT.servesDataset, ds))
    add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((service, DCTERMS.title, Literal("kzgraph SPARQL 1.1 endpoint (kzgraph serve)", lang="en")))
    for fmt, (name, data) in sorted((dumps or {}).items()):
        media, standard = MEDIA[fmt]
        dist, url = URIRef(f"{BASE}dataset#dump-{fmt}"), URIRef(base + name)
        add((ds, DCAT.distribution, dist))
        add((ds, VOID.dataDump, url))
        add((dist, RDF.type, DCAT.Distribution))
        add((dist, DCTERMS.title, Literal(f"{name}: the whole graph as {fmt}", lang="en")))
        add((dist, DCAT.downloadURL, url))
        add((dist, DCAT.accessURL, url))
        add((dist, DCAT.mediaType, IANA[media]))
        add((dist, DCTERMS["format"], URIRef(standard)))
        add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        add((dist, DCTERMS.license, URIRef(meta["licence"])))
        checksum = URIRef(f"{BASE}dataset#dump-{fmt}-sha256")
        add((dist, SPDX.checksum, checksum))
        add((checksum, RDF.type, SPDX.Checksum))
        add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    return out


def _key(iri) -> str:
    """A fragment naming a partition: the term's prefixed name with ":" as "-" (``kz-Person``)."""
    text = str(iri)
    for prefix, ns in _prefixes():
        if text.startswith(ns):
            return f"{prefix}-{text[len(ns):]}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _prefixes() -> list[tuple[str, str]]:
    from .namespaces import PREFIXES

    return sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda p: -len(p[1]))
