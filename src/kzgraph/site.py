"""The linked-data site of a graph: every path it has, and the bytes at each.

One layout serves ``kzgraph serve`` and ``kzgraph publish``::

    index.html  search.html  search.js  search-index.js  ontology.html  ontology.{ttl,jsonld,nt,rdf}
    network.html  void.ttl  kzgraph.{ttl,nt,jsonld,rdf,trig}
    id/{slug}.html  id/{slug}.{ttl,jsonld,nt,rdf}  class/{Class}.html  network/{slug}.html

Pages ask the graph with named queries; a page is made when first asked for, then kept.
"""
from __future__ import annotations

import json
import re
from functools import cached_property

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL

from . import pages
from .dataset import BASE, METADATA, ONTOLOGY, describe
from .exporting import serialize
from .lookup import closest, normalise
from .namespaces import KZ, KZR
from .prefixes import prefixes_of
from .sparql import query
from .research import label
from .version import DATA_VERSION

#: suffix → (kzgraph.export format, media type)
FORMATS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("jsonld", "application/ld+json"),
           "nt": ("nt", "application/n-triples"), "rdf": ("xml", "application/rdf+xml"),
           "trig": ("trig", "application/trig")}
MEDIA = {"html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
         **{suffix: media for suffix, (_, media) in FORMATS.items()}}
#: the slugs a page can be made for: a file name on every host, never a path
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_PATH = re.compile(r"(?:(?P<dir>id|class|network)/)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*?)\.(?P<suffix>[a-z]+)")


def _rows(result) -> list[dict]:
    return [{str(k): v for k, v in row.items()} for row in result.bindings]


class Site:
    """The site of ``graph``; ``base`` is where it is served (download URLs in ``void.ttl``),
    ``endpoint`` its SPARQL endpoint."""

    def __init__(self, graph: Graph, *, base: str = BASE, endpoint: str | None = None):
        self.graph, self.base, self.endpoint = graph, base, endpoint
        self._made: dict[str, bytes] = {}

    # ------------------------------------------------------------------ what there is

    @cached_property
    def things(self) -> dict[URIRef, tuple[str, list[URIRef]]]:
        """Each thing with a page (retired IRIs too): its English label and classes."""
        found: dict = {}
        for row in _rows(query(self.graph, name="things")):
            slug = str(row["thing"])[len(KZR):]
            if SLUG.fullmatch(slug):
                _, classes = found.setdefault(row["thing"], (str(row.get("label") or slug), []))
                if row.get("class") is not None:
                    classes.append(row["class"])
        return found

    @cached_property
    def terms(self) -> list[dict]:
        """The ontology's terms: term, kinds, label, comment, related (relation's prefixed name → values)."""
        out: dict = {}
        names = pages.Links(prefixes_of(self.graph), 0)
        for row in _rows(query(self.graph, name="ontology-terms")):
            term = out.setdefault(row["term"], {**row, "kinds": [], "related": {}})
            if row["kind"] not in term["kinds"]:
                term["kinds"].append(row["kind"])
            if row.get("relation") is not None:
                values = term["related"].setdefault(names.name(row["relation"]), [])
                if row["value"] not in values:
                    values.append(row["value"])
        return list(out.values())

    @cached_property
    def classes(self) -> dict[str, dict]:
        """Each kz: class by local name (its term dict)."""
        return {str(t["term"])[len(KZ):]: t for t in self.terms
                if OWL.Class in t["kinds"] and SLUG.fullmatch(str(t["term"])[len(KZ):])}

    @cached_property
    def network_nodes(self) -> set[str]:
        from .network import project

        return {node for node in project(self.graph) if str(node).startswith(str(KZR))}

    @cached_property
    def documents(self) -> dict[URIRef, dict]:
        return {row["document"]: row for row in _rows(query(self.graph, name="documents"))}

    @cached_property
    def dumps(self) -> dict[str, tuple[str, bytes]]:
        """format → (file name, bytes) of every dump of the whole graph."""
        return {fmt: (f"kzgraph.{suffix}", serialize(self.graph, fmt)) for suffix, (fmt, _) in FORMATS.items()}

    def has(self, slug: str) -> bool:
        """Whether the thing ``kzr:{slug}`` has a page."""
        return KZR[slug] in self.things

    def paths(self) -> list[str]:
        """Every path of the site."""
        fixed = ["index.html", "search.html", "search.js", "search-index.js", "ontology.html", "network.html",
                 "void.ttl", *(f"ontology.{s}" for s in pages.RDF_SUFFIXES), *(f"kzgraph.{s}" for s in FORMATS)]
        slugs = [str(t)[len(KZR):] for t in self.things]
        return [*fixed, *(f"id/{slug}.{s}" for slug in slugs for s in ("html", *pages.RDF_SUFFIXES)),
                *(f"class/{name}.html" for name in self.classes),
                *(f"network/{str(t)[len(KZR):]}.html" for t in self.things if str(t) in self.network_nodes)]

    # ------------------------------------------------------------------ making pages

    def get(self, path: str) -> tuple[bytes, str] | None:
        """The bytes at ``path`` and their media type, or None when the site has no such path."""
        match = _PATH.fullmatch(path)
        if match is None or match["suffix"] not in MEDIA:
            return None
        if path not in self._made:
            body = self._make(match["dir"], match["name"], match["suffix"])
            if body is None:
                return None
            self._made[path] = body.encode("utf-8") if isinstance(body, str) else body
        return self._made[path], MEDIA[match["suffix"]]

    def _make(self, folder: str | None, name: str, suffix: str) -> str | bytes | None:
        if folder == "id":
            iri = KZR[name]
            if iri not in self.things:
                return None
            if suffix == "html":
                return self.entity(iri)
            if suffix in pages.RDF_SUFFIXES:
                return serialize(self.describe(iri), FORMATS[suffix][0])
            return None
        if folder == "class":
            return self.class_page(name) if suffix == "html" and name in self.classes else None
        if folder == "network":
            if suffix == "html" and str(KZR[name]) in self.network_nodes and KZR[name] in self.things:
                from .view import render

                return render(self.graph, focus=str(KZR[name]), depth=1)
            return None
        return self._top(name, suffix)

    def _top(self, name: str, suffix: str) -> str | bytes | None:
        links = pages.Links(prefixes_of(self.graph), 0)
        if (name, suffix) == ("index", "html"):
            counts = [(row["class"], label(self.graph, row["class"]), int(row["count"]))
                      for row in _rows(query(self.graph, name="class-counts"))
                      if str(row["class"])[len(KZ):] in self.classes]
            dumps = [(file, file.rsplit(".", 1)[1]) for file, _ in self.dumps.values()]
            return pages.index(METADATA, DATA_VERSION, counts, dumps, links)
        if (name, suffix) == ("search", "html"):
            return pages.search()
        if (name, suffix) == ("search", "js"):
            return pages.SEARCH_JS
        if (name, suffix) == ("search-index", "js"):
            return f"window.KZGRAPH_INDEX = {json.dumps(self.search_index(), ensure_ascii=False)};\n"
        if name == "ontology" and suffix == "html":
            return pages.ontology(label(self.graph, ONTOLOGY), str(self.graph.value(ONTOLOGY, DCTERMS.description) or ""),
                                  self.terms, links)
        if name == "ontology" and suffix in pages.RDF_SUFFIXES:
            from .resources import ONTOLOGY_FILE

            return serialize(Graph().parse(ONTOLOGY_FILE), FORMATS[suffix][0])
        if (name, suffix) == ("network", "html"):
            from .view import render

            return render(self.graph)
        if (name, suffix) == ("void", "ttl"):
            return serialize(self.void(), "turtle")
        if name == "kzgraph" and suffix in FORMATS:
            return self.dumps[FORMATS[suffix][0]][1]
        return None

    def void(self, base: str | None = None, endpoint: str | None = None) -> Graph:
        """The VoID/DCAT description of the graph and this site's dumps, served from ``base``
        (default: the site's)."""
        return describe(self.graph, self.dumps, base=base or self.base, endpoint=endpoint or self.endpoint)

    def entity(self, iri: URIRef) -> str:
        """The page of the thing ``iri``."""
        statements: dict[tuple, dict] = {}
        for row in _rows(query(self.graph, name="show", params={"thing": iri})):
            key = tuple(row.get(k) for k in ("section", "relation", "value", "valueLabel", "when", "detail"))
            statement = statements.setdefault(key, {**row, "evidence": []})
            if row.get("quote") is not None or row.get("document") is not None:
                doc = self.documents.get(row.get("document"), {})
                item = {"quote": row.get("quote"), "hedge": row.get("hedge"), "document": row.get("document"),
                        "title": doc.get("title") or row.get("documentLabel"), "url": doc.get("url")}
                if item not in statement["evidence"]:
                    statement["evidence"].append(item)
        sections: dict[str, list[dict]] = {}
        for statement in statements.values():
            sections.setdefault(str(statement["section"]), []).append(statement)
        disputed = [{**row, "title": self.documents.get(row.get("document"), {}).get("title")}
                    for row in _rows(query(self.graph, name="disputed", params={"subject": iri}))]
        retired = _rows(query(self.graph, name="deprecated", params={"thing": iri}))
        links = pages.Links(prefixes_of(self.graph), 1)
        return pages.entity(iri, label(self.graph, iri), sections, disputed, links,
                            network=str(iri) in self.network_nodes,
                            replaced_by=[r["replacement"] for r in retired if r.get("replacement")] if retired else None)

    def describe(self, iri: URIRef) -> Graph:
        """The triples about ``iri``, pointing at it, and the labels of the things it links (query ``describe``)."""
        out = Graph()
        for row in _rows(query(self.graph, name="describe", params={"thing": iri})):
            out.add((row["s"], row["p"], row["o"]))
        return out

    def class_page(self, name: str) -> str:
        term = self.classes[name]
        things = sorted(((t, lab) for t, (lab, classes) in self.things.items() if term["term"] in classes),
                        key=lambda item: (item[1].casefold(), str(item[0])))
        return pages.class_page(term["term"], str(term.get("label") or name), str(term.get("comment") or ""),
                                things, pages.Links(prefixes_of(self.graph), 1))

    def search_index(self) -> list[dict]:
        """One entry per thing or ontology term: its page, label, every name, normalised names and class."""
        names: dict[URIRef, set[str]] = {}
        for row in _rows(query(self.graph, name="label-index")):
            names.setdefault(row["thing"], set()).add(str(row["label"]))
        links = pages.Links(prefixes_of(self.graph), 0)
        out = []
        for thing, found in sorted(names.items()):
            if thing in self.things:
                kind = ", ".join(sorted(label(self.graph, c) for c in self.things[thing][1]))
            elif str(thing).startswith(str(KZ)):
                kind = "ontology term"
            else:
                continue
            everything = sorted(found)
            out.append({"h": links.href(thing), "l": label(self.graph, thing), "n": everything,
                        "k": sorted({normalise(n) for n in everything}), "c": kind})
        return out

    def missing(self, slug: str) -> bytes:
        """The 404 page for the unknown thing ``slug``, naming the closest things."""
        near = closest(self.graph, slug.replace("-", " "), 5) if len(slug) <= 200 else []
        links = pages.Links(prefixes_of(self.graph), 1)
        found = [(t, label(self.graph, t)) for t in near if t in self.things or str(t).startswith(str(KZ))]
        return pages.not_found(slug, found, links).encode("utf-8")
