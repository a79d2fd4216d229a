"""The vocabulary IRIs of the design contract, and binding them as prefixes."""
from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD  # noqa: F401 (re-exported)

from .prefixes import GRAPH_IRI  # noqa: F401 (re-exported)
from .prefixes import PREFIXES as _PREFIXES
from .prefixes import short

KZ = Namespace(_PREFIXES["kz"])
KZR = Namespace(_PREFIXES["kzr"])
SCHEMA = Namespace(_PREFIXES["schema"])
SEM = Namespace(_PREFIXES["sem"])
WD = Namespace(_PREFIXES["wd"])

#: the project's prefixes (:data:`kzgraph.prefixes.PREFIXES`) as rdflib namespaces
PREFIXES = {prefix: Namespace(iri) for prefix, iri in _PREFIXES.items()}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def prefixed(iri: str) -> str:
    """``kzr:slug``, ``wd:Q…``: ``iri`` as the prefixed name a researcher types (else the IRI itself)."""
    return short(str(iri))
