"""The vocabulary IRIs of the design contract, and binding them as prefixes."""
from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

KZ = Namespace("https://w3id.org/kzgraph/ontology#")
KZR = Namespace("https://w3id.org/kzgraph/id/")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")

#: The named graph kzgraph uses in quad formats and triple stores.
GRAPH_IRI = "https://w3id.org/kzgraph/graph"

PREFIXES = {
    "kz": KZ,
    "kzr": KZR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "org": ORG,
    "schema": SCHEMA,
    "prov": PROV,
    "sem": SEM,
    "wd": WD,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def prefixed(iri: str) -> str:
    """``kzr:slug``, ``wd:Q…``: ``iri`` as the prefixed name a researcher types (else the IRI itself)."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return str(iri)
