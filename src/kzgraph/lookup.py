"""Finding the thing a researcher means: by IRI, prefixed name, or any of its names."""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict

import pyoxigraph as ox
from rdflib import URIRef

from .errors import KzError
from .prefixes import PREFIXES, short
from .sparql import parse_value, query
from .stores import open_store

#: statement and provenance nodes: found by their full name only, never by some of its words
#: ("Tokayev" is the person, not a news page whose headline names him)
STATEMENTS = {PREFIXES["kz"] + name for name in
              ("Tenure", "ElectionResult", "Evidence", "Assessment", "Claim", "Membership", "Document")}


def normalise(text: str) -> str:
    """``text`` without case, accents or punctuation: "Nur-Otan", "nur otan", "NÚR OTAN" agree."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def label_index(store) -> dict[URIRef, tuple[set[str], set[str]]]:
    """Each labelled thing → (its names, its classes' IRIs), from the named query ``label-index``."""
    index: dict = defaultdict(lambda: (set(), set()))
    for thing, name, kind in query(store, name="label-index").rows:
        names, classes = index[URIRef(thing.value)]
        names.add(name.value)
        if kind is not None:
            classes.add(kind.value)
    return dict(index)


#: (id of the store, its generation) → (the store, its label index, each thing's normalised names).
#: Keyed by generation, so that an edit (a renamed label keeps the size) reads the index again; one
#: entry per store, replaced when its generation moves on.
_INDEXES: dict[int, tuple] = {}
_KEEP = 8


def _cached_index(store) -> tuple[dict, dict[URIRef, set[str]]]:
    store = open_store(store)
    cached = _INDEXES.get(id(store))
    if cached is not None and cached[0] is store and cached[1] == store.generation:
        return cached[2], cached[3]
    index = label_index(store)
    known = {t: {normalise(n) for n in names} for t, (names, _) in index.items()}
    if getattr(store, "tracks_changes", True):  # a bare pyoxigraph Store cannot say it changed
        _INDEXES[id(store)] = (store, store.generation, index, known)
        while len(_INDEXES) > _KEEP:
            del _INDEXES[next(iter(_INDEXES))]
    return index, known


def exists(store, iri) -> bool:
    """Whether the store says anything about ``iri`` (named query ``exists``)."""
    return bool(query(store, name="exists", params={"thing": iri}).boolean)


def resolve(store, thing: str) -> URIRef:
    """The IRI that ``thing`` names: ``<IRI>``, ``http…``, ``kzr:slug``, or a label/other name.

    Names match case-, accent- and punctuation-insensitively, first in full, then by words
    (every word of ``thing`` in one name, the names with the fewest other words winning).
    Several matches or none raise :class:`KzError`
    listing the candidates or the closest names.
    """
    store = open_store(store)
    text = str(thing).strip()
    iri = thing if isinstance(thing, URIRef) else _as_iri(text)
    if iri is not None:
        if exists(store, iri):
            return iri
        raise KzError(f"{text}: no such thing in the graph")
    if _OTHER_IRI.fullmatch(text):  # any other absolute IRI (urn:…, did:…) names a thing when the graph has it
        other = URIRef(text)
        if exists(store, other):
            return other
    index, known = _cached_index(store)
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
        listed = "; ".join(f"{short(t, store.prefixes)} ({_label(index[t][0])})" for t in found[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        raise KzError(f"{text!r} is ambiguous: it could be {listed}{more}")
    raise KzError(f"unknown thing {text!r}{_suggest(wanted, index)}")


def _as_iri(text: str) -> URIRef | None:
    try:
        value = parse_value(text)  # the same reading of IRIs and prefixed names as --param
    except KzError:
        return None
    return URIRef(value.value) if isinstance(value, ox.NamedNode) else None


_OTHER_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


def _label(names: set[str]) -> str:
    return min(names, key=lambda n: (len(n), n))


def closest(store, text: str, n: int = 3) -> list[URIRef]:
    """The things whose names are closest to ``text`` (a misspelt name, a guessed slug), closest first."""
    index, _ = _cached_index(store)
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
