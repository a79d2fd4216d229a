"""Finding the thing a researcher means: by IRI, prefixed name, or any of its names."""
from __future__ import annotations

import difflib
import re
import unicodedata
import weakref
from collections import defaultdict

from rdflib import Graph, URIRef, Variable

from .errors import KzError
from .namespaces import KZ
from .query import parse_value, query

#: Statement and provenance nodes: their labels only count when given in full, so that
#: "Tokayev" means the person, not "Tokayev as President".
#: statement and provenance nodes: found by their full name only, never by some of its words
#: ("Tokayev" is the person, not a news page whose headline names him)
STATEMENTS = {KZ.Tenure, KZ.ElectionResult, KZ.Evidence, KZ.Assessment, KZ.Claim, KZ.Membership, KZ.Document}


def normalise(text: str) -> str:
    """``text`` without case, accents or punctuation: "Nur-Otan", "nur otan", "NÚR OTAN" agree."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def label_index(graph: Graph) -> dict[URIRef, tuple[set[str], set[URIRef]]]:
    """Each labelled thing → (its names, its classes), from the named query ``label-index``."""
    index: dict = defaultdict(lambda: (set(), set()))
    thing, name, kind = Variable("thing"), Variable("label"), Variable("class")
    for row in query(graph, name="label-index").bindings:
        names, classes = index[row[thing]]
        names.add(str(row[name]))
        if row.get(kind) is not None:
            classes.add(row[kind])
    return dict(index)


#: id(graph) → (len(graph) when read, its label index, each thing's normalised names). Keyed by
#: id, not by the graph: rdflib graphs compare equal by identifier, and every loaded graph has the
#: same one. An entry goes when its graph is collected, and is read again when the size changes.
_INDEXES: dict[int, tuple[int, dict, dict[URIRef, set[str]]]] = {}


def _cached_index(graph: Graph) -> tuple[dict, dict[URIRef, set[str]]]:
    key, size = id(graph), len(graph)
    cached = _INDEXES.get(key)
    if cached is None:
        weakref.finalize(graph, _INDEXES.pop, key, None)
    elif cached[0] == size:
        return cached[1], cached[2]
    index = label_index(graph)
    known = {t: {normalise(n) for n in names} for t, (names, _) in index.items()}
    _INDEXES[key] = (size, index, known)
    return index, known


def resolve(graph: Graph, thing: str) -> URIRef:
    """The IRI that ``thing`` names: ``<IRI>``, ``http…``, ``kzr:slug``, or a label/other name.

    Names match case-, accent- and punctuation-insensitively, first in full, then by words
    (every word of ``thing`` in one name, the names with the fewest other words winning).
    Several matches or none raise :class:`KzError`
    listing the candidates or the closest names.
    """
    text = str(thing).strip()
    iri = thing if isinstance(thing, URIRef) else _as_iri(text)
    if iri is not None:
        if (iri, None, None) in graph or (None, None, iri) in graph:
            return iri
        raise KzError(f"{text}: no such thing in the graph")
    if _OTHER_IRI.fullmatch(text):  # any other absolute IRI (urn:…, did:…) names a thing when the graph has it
        other = URIRef(text)
        if (other, None, None) in graph or (None, None, other) in graph:
            return other
    index, known = _cached_index(graph)
    wanted = normalise(text)
    found = sorted(t for t, names in known.items() if wanted in names)
    if not found and wanted:
        words = set(wanted.split())
        extra = {t: min(len(n.split()) - len(words) for n in names if words <= set(n.split()))
                 for t, names in known.items()
                 if not index[t][1] & STATEMENTS and any(words <= set(n.split()) for n in names)}
        # the closest names win: "president" is the President, not the Vice President
        found = sorted(t for t, n in extra.items() if n == min(extra.values()))
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{_short(graph, t)} ({_label(index[t][0])})" for t in found[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        raise KzError(f"{text!r} is ambiguous: it could be {listed}{more}")
    raise KzError(f"unknown thing {text!r}{_suggest(wanted, index)}")


def _as_iri(text: str) -> URIRef | None:
    try:
        value = parse_value(text)  # the same reading of IRIs and prefixed names as --param
    except KzError:
        return None
    return value if isinstance(value, URIRef) else None


_OTHER_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


def _short(graph: Graph, iri: URIRef) -> str:
    try:
        return graph.namespace_manager.normalizeUri(iri)
    except Exception:
        return f"<{iri}>"


def _label(names: set[str]) -> str:
    return min(names, key=lambda n: (len(n), n))


def closest(graph: Graph, text: str, n: int = 3) -> list[URIRef]:
    """The things whose names are closest to ``text`` (a misspelt name, a guessed slug), closest first."""
    index, _ = _cached_index(graph)
    return list(dict.fromkeys(thing for thing, _ in _closest(normalise(text), index, n + 2)))[:n]


def _closest(wanted: str, index: dict, n: int) -> list[tuple[URIRef, str]]:
    # a misspelt surname should still find the full name, so single words count as keys too
    keys: dict[str, tuple[URIRef, str]] = {}
    for thing, (labels, _) in sorted(index.items()):
        for name in sorted(labels):
            keys.setdefault(normalise(name), (thing, name))
            for word in normalise(name).split():
                keys.setdefault(word, (thing, name))
    close = difflib.get_close_matches(wanted, list(keys), n=n + 2, cutoff=0.6)
    return list(dict.fromkeys(keys[c] for c in close))[:n]


def _suggest(wanted: str, index: dict) -> str:
    names = list(dict.fromkeys(name for _, name in _closest(wanted, index, 3)))
    if not names:
        return "; `kzgraph query` can search the labels"
    return "; did you mean " + ", ".join(repr(n) for n in names) + "?"
