"""SPARQL queries over a store: named queries, safe parameter binding, clear errors.

Nothing here imports rdflib on the way to an answer: parameters become pyoxigraph terms, the store's
own engine answers (:mod:`kzgraph.stores`), and rdflib's parser is only asked to explain a query
the engine refused.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import deadline
from .errors import KzError
from .prefixes import PREFIXES
from .resources import QUERIES_DIR

_XSD = PREFIXES["xsd"]


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


@lru_cache(maxsize=None)
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
    (re.compile(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}"), _XSD + "date"),
    (re.compile(r"-?[0-9]{4}-[0-9]{2}"), _XSD + "gYearMonth"),
)
_TYPED = re.compile(r'"(?P<lex>.*)"\^\^(?P<dt>\S+)', re.S)
_QUOTED = re.compile(r'"(?P<lex>[^"]*)"')
_PREFIXED = re.compile(r"(?P<prefix>[A-Za-z][\w-]*):[\w.-]+")
_LANG = re.compile(r'"(?P<lex>.*)"@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)', re.S)


def parse_value(text: str) -> ox.NamedNode | ox.Literal:
    """Read a parameter value: an IRI, a prefixed name, a date, a number or a string.

    ``<http://…>`` and ``http(s)://…`` are IRIs; ``kzr:foo`` (a known prefix) is an IRI;
    ``2019-03-20`` an xsd:date, ``2019-03`` an xsd:gYearMonth; ``42`` an integer, ``70.5`` a decimal;
    ``"…"``, ``"…"@en`` and ``"…"^^xsd:gYear`` are literals as in Turtle; anything else is a plain string.
    A date that does not exist (``2019-02-30``) or an IRI that is not one raises :class:`KzError`.
    """
    try:
        return _parse_value(text)
    except ValueError as exc:
        raise KzError(f"{text}: {exc}") from None


def _parse_value(text: str) -> ox.NamedNode | ox.Literal:
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    if re.match(r"https?://\S+$", text):
        return ox.NamedNode(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and re.fullmatch(r"[\w.-]*", local):
        return ox.NamedNode(PREFIXES[prefix] + local)
    for pattern, datatype in _DATE_PATTERNS:
        if pattern.fullmatch(text):
            _check_date(text)
            return ox.Literal(text, datatype=ox.NamedNode(datatype))
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return ox.Literal(text, datatype=ox.NamedNode(_XSD + "integer"))
    if re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", text):
        return ox.Literal(text, datatype=ox.NamedNode(_XSD + "decimal"))
    if re.fullmatch(r"[+-]?[\d.-]+", text):  # digits, but not all 0-9: "٢٠١٩" would pass as text
        raise KzError(f"{text!r}: write numbers and dates with the digits 0-9")
    if match := _TYPED.fullmatch(text):
        datatype = parse_value(match["dt"])
        if not isinstance(datatype, ox.NamedNode):
            raise KzError(f"{text}: the datatype {match['dt']} is not an IRI or known prefixed name")
        _check_lexical(text, match["lex"], datatype.value)
        return ox.Literal(match["lex"], datatype=datatype)
    if match := _LANG.fullmatch(text):
        return ox.Literal(match["lex"], language=match["lang"])
    if match := _QUOTED.fullmatch(text):
        return ox.Literal(match["lex"])
    return ox.Literal(text)


def _check_lexical(text: str, lexical: str, datatype: str) -> None:
    """Refuse a typed literal whose text is not of its datatype (rdflib knows the XSD datatypes)."""
    from rdflib import Literal, URIRef

    from .parsing import TermWarnings

    with TermWarnings() as warned:
        Literal(lexical, datatype=URIRef(datatype))
    if warned.messages:
        raise KzError(f"{text}: {lexical!r} is not a valid {text.rpartition('^^')[2]}")


def _check_date(text: str) -> None:
    """Refuse a date that does not exist (rdflib would keep it and log a traceback)."""
    import datetime

    year, month, *day = text.lstrip("-").split("-")
    try:
        datetime.date(int(year) or 1, int(month), int(day[0]) if day else 1)
    except ValueError as exc:
        raise KzError(f"bad date {text!r}: {exc}") from None


def parse_param(spec: str) -> tuple[str, ox.NamedNode | ox.Literal]:
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


@dataclass(frozen=True)
class Shape:
    """What one pass over a query's tokens finds: how deep and big it is, whether it calls SERVICE, its form,
    its first relative IRI (when it has no BASE) and the names of its variables."""

    deepest: int
    parts: int
    service: bool
    form: str
    relative: str | None
    variables: frozenset[str]


_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:")


def shape(sparql: str) -> Shape:
    """The :class:`Shape` of ``sparql``; short texts are remembered (commands ask the same queries again)."""
    return _shape_cached(sparql) if len(sparql) <= 16_384 else _shape(sparql)


@lru_cache(maxsize=256)
def _shape_cached(sparql: str) -> Shape:
    return _shape(sparql)


def _shape(sparql: str) -> Shape:
    depth = deepest = parts = 0
    service, form, relative, based, names = False, None, None, False, set()
    for token in _TOKEN.finditer(sparql):
        kind, text = token.lastgroup, token.group()
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
        elif kind == "part":
            parts += 1
        elif kind == "word":
            word = text.upper()
            parts += word in _CLAUSES
            service |= word == "SERVICE"
            based |= word == "BASE"
            if form is None and word in _FORMS:
                form = word
        elif text[0] in "?$":
            names.add(text[1:])
        elif relative is None and text[0] == "<" and text[-1] == ">" and not _ABSOLUTE.match(text):
            relative = text
    return Shape(deepest, parts, service, form or "SELECT", None if based else relative, frozenset(names))


def bound(sparql: str, where: str = "query") -> None:
    """Refuse a query nested deeper than :data:`MAX_DEPTH` or made of more than :data:`MAX_PARTS`
    clauses, operators and patterns, before any engine sees it."""
    found = shape(sparql)
    if found.deepest > MAX_DEPTH:
        raise KzError(f"{where}: brackets nested {found.deepest} deep; kzgraph takes queries nested up to {MAX_DEPTH}")
    if found.parts > MAX_PARTS:
        raise KzError(f"{where}: {found.parts:,} clauses, operators and patterns; kzgraph takes queries of up to"
                      f" {MAX_PARTS:,} (split it, or use VALUES for long lists)")


def calls_service(sparql: str) -> bool:
    """Whether ``sparql`` has a SERVICE clause, which would make the engine call another endpoint."""
    return shape(sparql).service


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


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the form of ``sparql`` (its first such keyword)."""
    return shape(sparql).form


def relative_iri(sparql: str) -> str | None:
    """The first relative IRI of ``sparql`` when it has no BASE (an engine would resolve it against nothing)."""
    return shape(sparql).relative


def with_values(sparql: str, bindings) -> str:
    """``sparql`` with a ``VALUES`` block for ``bindings`` (name → term) opening the WHERE group of each
    (sub-)query, so that a variable is bound before FILTERs and sub-queries run, as rdflib's initBindings do.

    Comments, strings and IRIs are skipped when looking for the groups; the values are terms written
    in SPARQL syntax by pyoxigraph, never text from the user.
    """
    terms = []
    for name, term in bindings.items():
        term = _as_ox(term)
        if isinstance(term, ox.BlankNode):
            raise KzError(f"?{name}: a blank node cannot be bound in a query sent to an engine")
        terms.append(str(term))
    block = f" VALUES ({' '.join(f'?{name}' for name in bindings)}) {{ ({' '.join(terms)}) }} "
    out, last, form = [], 0, None
    for token in _TOKEN.finditer(sparql):
        word = token.group().upper() if token.lastgroup == "word" else ""
        opens = token.group() == "{"
        if word in ("SELECT", "ASK", "DESCRIBE"):
            form = "query"
        elif word == "CONSTRUCT":
            form = "construct"  # its first group is the template; the WHERE group follows
        elif word == "WHERE" and form in ("construct", "template"):
            form = "query" if form == "template" else None  # CONSTRUCT WHERE: the group is the template
        elif opens and form == "construct":
            form = "template"
        elif opens and form == "query":
            out += [sparql[last:token.end()], block]
            last, form = token.end(), None
    return "".join(out) + sparql[last:]


def _as_ox(value):
    """A binding as a pyoxigraph term: pyoxigraph's as they are, rdflib's converted, text read by parse_value."""
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if type(value) is str:
        return parse_value(value)
    from .oxrdf import to_ox  # an rdflib term: rdflib is imported already

    return to_ox(value)


def query(store, sparql: str | None = None, *, name: str | None = None, params: dict | None = None,
          where: str = "query", base_iri: str | None = None):
    """Answer a SPARQL query (text, or the named query ``name``) with ``params`` bound safely.

    ``store`` is a :class:`~kzgraph.stores.Store`, a ``--store`` spec, or a graph the caller holds
    (an rdflib Graph or pyoxigraph Store). ``params`` maps variable names to terms (pyoxigraph's or
    rdflib's) or to strings read by :func:`parse_value`; they are bound as terms, never pasted into the
    text. The :class:`~kzgraph.stores.answer.Answer` is read in full (errors surface here) and reads
    like an rdflib ``Result``.
    """
    return deadline.run(lambda: _run(store, sparql, name, params, where, base_iri, None), name or where,
                        _same_work(store, sparql, name, params, base_iri, None))


def write(store, fmt: str, sparql: str | None = None, *, name: str | None = None, params: dict | None = None,
          where: str = "query", base_iri: str | None = None) -> tuple[str, bytes]:
    """Answer a query as :func:`query` does and write it in ``fmt`` (results formats for SELECT/ASK, Turtle
    for CONSTRUCT/DESCRIBE); an Oxigraph answer is written by Oxigraph straight from the engine.

    Returns the query form and the bytes.
    """
    return deadline.run(lambda: _run(store, sparql, name, params, where, base_iri, fmt), name or where,
                        _same_work(store, sparql, name, params, base_iri, fmt))


def _same_work(store, sparql, name, params, base_iri, fmt):
    """What a query on ``store`` computes, for :func:`kzgraph.deadline.run`: the same key only for the same
    question to the same local store unchanged (a remote store can change behind kzgraph's back)."""
    from .stores import LOCAL, Store

    if not isinstance(store, Store) or LOCAL not in store.capabilities:
        return None
    key = (store.generation, sparql, name, tuple((params or {}).items()), base_iri, fmt)
    try:
        hash(key)
    except TypeError:  # a binding that is not a term
        return None
    return key


def _run(store, sparql, name, params, where, base_iri, fmt):
    from .stores import LOCAL, open_store

    if (sparql is None) == (name is None):
        raise KzError("give either a SPARQL query or a named query, not both or neither")
    if name is not None:
        named = named_query(name)
        sparql, where = named.text, str(named.path)
    if calls_service(sparql):
        raise KzError(f"{where}: SERVICE is refused: kzgraph does not call other endpoints")
    bound(sparql, where)
    found = shape(sparql)
    store = open_store(store)
    if LOCAL not in store.capabilities:
        check(sparql, where)  # say a syntax error here, with its position, not as the server words it
    if base_iri is None and (relative := found.relative):
        raise KzError(f"{where}: {relative} is a relative IRI and the query has no BASE;"
                      " write the full IRI or start the query with BASE <…>")
    bindings = {}
    known = found.variables
    for var, value in (params or {}).items():
        var = str(var).lstrip("?$")
        if var not in known:
            have = ", ".join(f"?{v}" for v in sorted(known)) or "none"
            raise KzError(f"{name or where}: --param {var}: the query has no variable ?{var} (it has {have})")
        bindings[var] = _as_ox(value)
    form = found.form
    try:
        answer = store.execute(sparql, bindings, base_iri=base_iri, form=form)
        if fmt is None:
            return answer.read()
        if answer.form in ("CONSTRUCT", "DESCRIBE"):
            return answer.form, answer.write("turtle")
        return answer.form, answer.write(fmt)
    except KzError:
        raise
    except SyntaxError as exc:  # from Oxigraph: say it as check() does, if rdflib agrees it is wrong
        check(sparql, where)
        raise KzError(f"{where}: SPARQL syntax error: {' '.join(str(exc).split())}") from None
    except Exception as exc:
        check(sparql, where)  # rdflib's engine (a held Graph) fails on bad syntax too: say where
        raise KzError(f"{where}: query failed: {' '.join(str(exc).split())}") from None
