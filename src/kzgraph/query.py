"""SPARQL queries over the graph: named queries, safe parameter binding, clear errors."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Node
from rdflib.namespace import XSD
from rdflib.query import Result

from . import deadline
from .errors import KzError
from .namespaces import PREFIXES
from .resources import QUERIES_DIR


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped as ``queries/NAME.rq``; its header comment says what it answers."""

    name: str
    path: Path

    @cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @cached_property
    def header(self) -> list[str]:
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
        return lines

    @property
    def question(self) -> str:
        return self.header[0] if self.header else ""


def named_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [NamedQuery(p.stem, p) for p in sorted(directory.glob("*.rq"))]


def named_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """The named query ``name``; an unknown name raises :class:`KzError` with the closest names."""
    path = directory / f"{name}.rq"
    if re.fullmatch(r"[A-Za-z0-9_-]+", name) and path.is_file():
        return NamedQuery(name, path)
    known = [q.name for q in named_queries(directory)]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kzgraph queries` lists them"
    raise KzError(f"no named query {name!r}{hint}")


_DATE_PATTERNS = (
    (re.compile(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}"), XSD.date),
    (re.compile(r"-?[0-9]{4}-[0-9]{2}"), XSD.gYearMonth),
)
_TYPED = re.compile(r'"(?P<lex>.*)"\^\^(?P<dt>\S+)', re.S)
_QUOTED = re.compile(r'"(?P<lex>[^"]*)"')
_PREFIXED = re.compile(r"(?P<prefix>[A-Za-z][\w-]*):[\w.-]+")
_LANG = re.compile(r'"(?P<lex>.*)"@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)', re.S)


def parse_value(text: str) -> URIRef | Literal:
    """Read a parameter value: an IRI, a prefixed name, a date, a number or a string.

    ``<http://…>`` and ``http(s)://…`` are IRIs; ``kzr:foo`` (a known prefix) is an IRI;
    ``2019-03-20`` an xsd:date, ``2019-03`` an xsd:gYearMonth; ``42`` an integer, ``70.5`` a decimal;
    ``"…"``, ``"…"@en`` and ``"…"^^xsd:gYear`` are literals as in Turtle; anything else is a plain string.
    A date that does not exist (``2019-02-30``) raises :class:`KzError`.
    """
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if re.match(r"https?://\S+$", text):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and re.fullmatch(r"[\w.-]*", local):
        return URIRef(PREFIXES[prefix] + local)
    for pattern, datatype in _DATE_PATTERNS:
        if pattern.fullmatch(text):
            _check_date(text)
            return Literal(text, datatype=datatype)
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return Literal(text, datatype=XSD.integer)
    if re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", text):
        return Literal(text, datatype=XSD.decimal)
    if re.fullmatch(r"[+-]?[\d.-]+", text):  # digits, but not all 0-9: "٢٠١٩" would pass as text
        raise KzError(f"{text!r}: write numbers and dates with the digits 0-9")
    if match := _TYPED.fullmatch(text):
        datatype = parse_value(match["dt"])
        if not isinstance(datatype, URIRef):
            raise KzError(f"{text}: the datatype {match['dt']} is not an IRI or known prefixed name")
        from .load import TermWarnings

        with TermWarnings() as warned:
            value = Literal(match["lex"], datatype=datatype)
        if warned.messages:
            raise KzError(f"{text}: {match['lex']!r} is not a valid {match['dt']}")
        return value
    if match := _LANG.fullmatch(text):
        return Literal(match["lex"], lang=match["lang"])
    if match := _QUOTED.fullmatch(text):
        return Literal(match["lex"])
    return Literal(text)


def _check_date(text: str) -> None:
    """Refuse a date that does not exist (rdflib would keep it and log a traceback)."""
    import datetime

    year, month, *day = text.lstrip("-").split("-")
    try:
        datetime.date(int(year) or 1, int(month), int(day[0]) if day else 1)
    except ValueError as exc:
        raise KzError(f"bad date {text!r}: {exc}") from None


def parse_param(spec: str) -> tuple[str, URIRef | Literal]:
    """Split ``NAME=VALUE`` (``?NAME`` works too) into a variable name and a typed value."""
    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"\w+", name):
        raise KzError(f"--param {spec!r}: expected NAME=VALUE, e.g. date=2019-03-20")
    prefixed = _PREFIXED.fullmatch(value)
    if prefixed and prefixed["prefix"] not in PREFIXES:  # a typo'd prefix would silently become a string
        raise KzError(f"--param {spec}: unknown prefix {prefixed['prefix']}: (known: {', '.join(sorted(PREFIXES))});"
                      f" write <…> for a full IRI or \"{value}\" for a string")
    try:
        return name, parse_value(value)
    except KzError as exc:
        raise KzError(f"--param {spec}: {exc}") from None


#: bounds on a query's shape: both engines recurse over it, and Oxigraph's native stack overflows
#: (a crash, not an error) near 10,000 UNIONs, filters, `||` terms, path steps or triple patterns,
#: or 5,000 nested brackets
MAX_DEPTH = 200
MAX_PARTS = 2_000
_TOKEN = re.compile(r"""
    (?P<skip>"{3}(?:[^"\\]|\\.|"(?!""))*"{3} | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
      | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'          # strings
      | <[^<>"{}|^`\\\x00-\x20]*> | \#[^\n]* | [?$]\w+        # IRIs, comments, variables
      | [A-Za-z_][\w.-]*:(?:[\w.:%-]|\\.)* | :(?:[\w.:%-]|\\.)*  # prefixed names
      | \d+(?:\.\d*)?(?:[eE][+-]?\d+)?)                              # numbers
    | (?P<word>[A-Za-z_]\w*) | (?P<open>[({\[]) | (?P<close>[)}\]])
    | (?P<part>\|\||&&|[-!=<>+*/|^.;])""", re.X)
_CLAUSES = {"UNION", "OPTIONAL", "FILTER", "MINUS", "BIND", "GRAPH", "SERVICE", "EXISTS"}


def bound(sparql: str, where: str = "query") -> None:
    """Refuse a query nested deeper than :data:`MAX_DEPTH` or made of more than :data:`MAX_PARTS`
    clauses, operators and patterns, before any engine sees it."""
    depth = deepest = parts = 0
    for token in _TOKEN.finditer(sparql):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
        elif kind == "part" or (kind == "word" and token.group().upper() in _CLAUSES):
            parts += 1
    if deepest > MAX_DEPTH:
        raise KzError(f"{where}: brackets nested {deepest} deep; kzgraph takes queries nested up to {MAX_DEPTH}")
    if parts > MAX_PARTS:
        raise KzError(f"{where}: {parts:,} clauses, operators and patterns; kzgraph takes queries of up to"
                      f" {MAX_PARTS:,} (split it, or use VALUES for long lists)")


def calls_service(sparql: str) -> bool:
    """Whether ``sparql`` has a SERVICE clause, which would make the engine call another endpoint."""
    return any(t.lastgroup == "word" and t.group().upper() == "SERVICE" for t in _TOKEN.finditer(sparql))


def check(sparql: str, where: str = "query"):
    """Parse ``sparql``; a syntax error, an update or a query past :func:`bound` raises :class:`KzError`
    naming the position."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseUpdate

    bound(sparql, where)
    try:
        return prepareQuery(sparql, initNs=PREFIXES)
    except ParseException as exc:
        try:
            parseUpdate(sparql)
        except Exception:
            raise KzError(f"{where}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}") from None
        raise KzError(f"{where}: this is a SPARQL UPDATE; kzgraph only runs read queries") from None
    except Exception as exc:  # rdflib raises e.g. on an undeclared prefix
        raise KzError(f"{where}: invalid SPARQL: {' '.join(str(exc).split())}") from None


def variables(prepared) -> set[str]:
    """The names of all variables a prepared query mentions."""
    found: set[str] = set()
    stack = [prepared.algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, Variable):
            found.add(str(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
    return found


def query(
    graph: Graph,
    sparql: str | None = None,
    *,
    name: str | None = None,
    params: dict | None = None,
    where: str = "query",
) -> Result:
    """Run a SPARQL query (text, or the named query ``name``) with ``params`` bound safely.

    ``params`` maps variable names to rdflib terms or to strings read by :func:`parse_value`;
    they are passed as ``initBindings``, never pasted into the query text.
    """
    if (sparql is None) == (name is None):
        raise KzError("give either a SPARQL query or a named query, not both or neither")
    if name is not None:
        named = named_query(name)
        sparql, where = named.text, str(named.path)
    # a store with its own SPARQL engine parses the query itself: rdflib's parser (slow to import)
    # is then only used to explain a syntax error
    if calls_service(sparql):
        raise KzError(f"{where}: SERVICE is refused: kzgraph does not call other endpoints")
    native = getattr(graph.store, "native_sparql", False)
    if native:
        bound(sparql, where)
    else:
        prepared = check(sparql, where)
    bindings = {}
    if params:
        known = set(re.findall(r"[?$](\w+)", sparql)) if native else variables(prepared)
        for var, value in params.items():
            var = str(var).lstrip("?$")
            if var not in known:
                have = ", ".join(f"?{v}" for v in sorted(known)) or "none"
                raise KzError(f"{name or where}: --param {var}: the query has no variable ?{var} (it has {have})")
            # rdflib terms are str too: only plain strings are read, terms are bound as they are
            bindings[Variable(var)] = value if isinstance(value, Node) else parse_value(value)
    # plain strings: oxrdflib rejects rdflib's DefinedNamespace objects (RDF, RDFS, …)
    namespaces = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

    def evaluate() -> Result:
        result = graph.query(sparql, initNs=namespaces, initBindings=bindings)
        if result.type == "SELECT":
            # materialise so that evaluation errors surface here, not in a formatter
            result.bindings = list(result.bindings)
        return result

    try:
        return deadline.run(evaluate, name or where)
    except KzError:
        raise
    except SyntaxError as exc:  # from Oxigraph: say it as check() does, if rdflib agrees it is wrong
        check(sparql, where)
        raise KzError(f"{where}: SPARQL syntax error: {exc}") from None
    except Exception as exc:
        raise KzError(f"{where}: query failed: {' '.join(str(exc).split())}") from None
