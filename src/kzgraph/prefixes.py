"""The project's prefixes as plain strings, and the one rule for writing an IRI as a prefixed name.

Kept free of rdflib so that ``kzgraph query`` prints its table without importing it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

PREFIXES: dict[str, str] = {
    "kz": "https://w3id.org/kzgraph/ontology#",
    "kzr": "https://w3id.org/kzgraph/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "wd": "http://www.wikidata.org/entity/",
}

#: a local name that reads back as the same IRI in Turtle and SPARQL (PN_LOCAL without escapes)
_LOCAL = re.compile(r"[\w-](?:[\w.-]*[\w-])?|")


def prefixed(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str | None:
    """``iri`` as ``prefix:local`` with the longest matching namespace of ``prefixes``, or ``None``."""
    best = None
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(prefixes[best])):
            if _LOCAL.fullmatch(iri[len(namespace):]) and not iri[len(namespace):].startswith("-"):
                best = prefix
    return None if best is None else f"{best}:{iri[len(prefixes[best]):]}"


def short(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``iri`` as a prefixed name where one fits, else the IRI itself."""
    return prefixed(iri, prefixes) or iri


def prefixes_of(graph) -> dict[str, str]:
    """The prefixes bound on an rdflib ``graph``, the project's own first."""
    return {**PREFIXES, **{str(p): str(ns) for p, ns in graph.namespaces() if str(p) not in PREFIXES}}


def local_name(iri: str) -> str:
    """The last segment of ``iri``, after its ``#`` or last ``/``."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]

#: the named graph kzgraph uses in quad formats and triple stores
GRAPH_IRI = "https://w3id.org/kzgraph/graph"
