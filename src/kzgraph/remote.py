"""The ``sparql:URL`` store: the graph read from a remote SPARQL 1.1 endpoint through rdflib's SPARQLStore.

``URL`` is the endpoint's query URL (Oxigraph ``http://host:7878/query``, Fuseki ``…/ds/query``,
``kzgraph serve`` ``…/sparql``) or a store's base URL (``http://host:7878``; ``/query`` is appended).
Queries read the named graph :data:`~kzgraph.namespaces.GRAPH_IRI`, where ``kzgraph push`` puts the
graph, sent as the protocol's ``default-graph-uri`` so that other graphs in the store never leak in.
A fragment picks another graph: ``sparql:URL#IRI`` reads the graph IRI, ``sparql:URL#default`` the
endpoint's own default graph (which on some stores is the union of all graphs). Queries run on the
endpoint in one request, except those with bound parameters (see :meth:`RemoteStore.query`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from rdflib import Graph, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from .errors import KzError
from .namespaces import GRAPH_IRI, bind_prefixes

#: seconds to wait for a remote answer
TIMEOUT = 60.0
_SERVICE_PATHS = ("query", "sparql", "update", "store", "data")


class HttpError(KzError):
    """The endpoint answered with an HTTP error ``status``."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def is_iri(text: str) -> bool:
    """Whether ``text`` looks like an absolute IRI (a scheme, then no spaces or ``<>"{}|^`\\``)."""
    return re.fullmatch(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]+', text) is not None


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL 1.1 store answers: queries, updates and the Graph Store Protocol."""

    query: str
    update: str
    store: str


def endpoints(url: str) -> Endpoints:
    """The endpoints of the store at ``url``: its base URL or any of its endpoints.

    A URL ending in ``/query`` or ``/sparql`` is the query endpoint, ``/update`` the update endpoint,
    ``/store`` or ``/data`` the Graph Store Protocol endpoint; the others sit beside it with Oxigraph's
    names (``/query``, ``/update``, ``/store``). Any other URL is a base URL and gets all three appended.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KzError(f"{url}: not an http(s) URL of a SPARQL endpoint")
    base = url.split("?")[0].rstrip("/")
    given = {}
    head, _, last = base.rpartition("/")
    if last in _SERVICE_PATHS and head.count("/") >= 2:
        given = {"sparql": "query", "data": "store"}.get(last, last)
        given, base = {given: url}, head
    return Endpoints(**{kind: given.get(kind, f"{base}/{kind}") for kind in ("query", "update", "store")})


class RemoteStore(SPARQLStore):
    """rdflib's read-only SPARQLStore, with a timeout and errors that say what the endpoint answered."""

    def __init__(self, endpoint: str, timeout: float = TIMEOUT):
        super().__init__(endpoint, returnFormat="json", method="POST_FORM")
        self.timeout = timeout

    def query(self, query, initNs=None, initBindings=None, queryGraph=None, DEBUG=False):  # noqa: N803
        # SPARQLStore appends bindings as a trailing VALUES clause, which joins after FILTERs and
        # sub-queries have run: wrong for the named queries' optional parameters (who-held --on,
        # timeline --from). A VALUES block at the start of every WHERE group binds them as rdflib does.
        if initBindings:
            query = bind_values(query, initBindings)
        return super().query(query, initNs, None, queryGraph, DEBUG)

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        self._queries += 1
        params = {"query": query}
        if default_graph is not None:
            params["default-graph-uri"] = str(default_graph)
        request = Request(self.query_endpoint, data=urlencode(params).encode("utf-8"), headers={
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8",
            "Content-Type": "application/x-www-form-urlencoded",
        })
        body, ctype = http(request, self.query_endpoint, self.timeout)
        result = Result.parse(BytesIO(body), content_type=ctype)
        if result.type == "SELECT":
            result.bindings = [_Solution(row) for row in result.bindings]
        return result


class _Solution(dict):
    """A solution that, like those of rdflib's own engine, takes a variable's name as well as a Variable."""

    def __getitem__(self, key):
        return super().__getitem__(Variable(key))

    def get(self, key, default=None):
        return super().get(Variable(key), default)

    def __contains__(self, key):
        return super().__contains__(Variable(key))


_TOKENS = re.compile(r"""
    (?P<skip>\#[^\n]*|'\'\'.*?\'\'\'|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"
            |<[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<word>[A-Za-z]+)|(?P<open>\{)""", re.X | re.S)


def bind_values(query: str, bindings: dict) -> str:
    """``query`` with a ``VALUES`` block for ``bindings`` opening the WHERE group of each (sub-)query.

    Comments, strings and IRIs are skipped when looking for the groups; the values are rdflib terms
    written in SPARQL syntax, never text from the user.
    """
    for term in bindings.values():
        if isinstance(term, URIRef) and not is_iri(term):
            raise KzError(f"{term}: not an IRI that can be sent to an endpoint")
    names = " ".join(f"?{Variable(name)}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    block = f" VALUES ({names}) {{ ({terms}) }} "
    out, last, form = [], 0, None
    for token in _TOKENS.finditer(query):
        word = (token["word"] or "").upper()
        if word in ("SELECT", "ASK", "DESCRIBE"):
            form = "query"
        elif word == "CONSTRUCT":
            form = "construct"  # its first group is the template; the WHERE group follows
        elif word == "WHERE" and form in ("construct", "template"):
            form = "query" if form == "template" else None  # CONSTRUCT WHERE: the group is the template
        elif token["open"] and form == "construct":
            form = "template"
        elif token["open"] and form == "query":
            out += [query[last:token.end()], block]
            last, form = token.end(), None
    return "".join(out) + query[last:]


def http(request: Request, where: str, timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """Send ``request``; the body and media type, or :class:`KzError` naming ``where`` and the failure."""
    try:
        with urlopen(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Content-Type", "").split(";")[0].strip()
    except HTTPError as exc:
        # a plain-text body says what was wrong (Oxigraph's do); an HTML error page only repeats the status
        html = "html" in (exc.headers.get("Content-Type") or "") if exc.headers else False
        detail = "" if html else " ".join(exc.read(300).decode("utf-8", "replace").split())
        raise HttpError(f"{where}: the endpoint answered {exc.code} {exc.reason}"
                        f"{': ' + detail if detail else ''}", exc.code) from None
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KzError(f"{where}: cannot reach the endpoint ({reason})") from None


def open_remote(spec: str, timeout: float = TIMEOUT) -> Graph:
    """A read-only graph over the endpoint in ``spec`` (``URL``, ``URL#IRI`` or ``URL#default``).

    Checks that the endpoint answers a query, so a wrong URL fails here with one clear line.
    """
    url, _, fragment = spec.partition("#")
    if fragment == "default":
        identifier = DATASET_DEFAULT_GRAPH_ID
    elif fragment:
        if not is_iri(fragment):
            raise KzError(f"sparql:{spec}: the graph after '#' must be an IRI or 'default'")
        identifier = URIRef(fragment)
    else:
        identifier = URIRef(GRAPH_IRI)
    store = RemoteStore(endpoints(url).query, timeout)
    graph = bind_prefixes(Graph(store=store, identifier=identifier))
    answer = store._query("ASK {}")
    if answer.type != "ASK":
        raise KzError(f"sparql:{spec}: {store.query_endpoint} did not answer like a SPARQL endpoint")
    return graph
