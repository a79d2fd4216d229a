"""Refusing data files that would make a parser reach past them or blow up.

A data file may only be read, never followed: a JSON-LD ``@context`` or ``@import`` given by IRI
(``http://…`` is fetched, ``file://…`` opened) and an XML DOCTYPE that declares entities or names an
external DTD (entity expansion turns a 1 KB file into gigabytes) are refused before any parser sees
the file, with one line naming the file. Terms are bounded too: :data:`MAX_TERM`.
"""
from __future__ import annotations

import json
from pathlib import Path

from .errors import KzError

#: rdflib's and Oxigraph's names of the formats that need a look first
JSON_LD = {"json-ld", "JSON-LD"}
XML = {"xml", "trix", "RDF/XML"}
#: the longest literal or IRI, in bytes: Oxigraph's parsers buffer one term in at most this much
MAX_TERM = 16 << 20


def too_long(where) -> KzError:
    """The error for a term over :data:`MAX_TERM` in ``where`` (a file, or the thing it describes)."""
    return KzError(f"{where}: a literal or IRI over {MAX_TERM >> 20} MiB; kzgraph takes terms up to that size")


def vet(path: Path, fmt: str) -> None:
    """Raise :class:`KzError` if ``path`` (in format ``fmt``) would reach past itself; else return."""
    if fmt in JSON_LD:
        _vet_json_ld(path)
    elif fmt in XML:
        _vet_xml(path)


def _vet_json_ld(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            doc = json.load(handle)
    except (ValueError, RecursionError):
        return  # not JSON: the parser says where
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    for ref in value if isinstance(value, list) else [value]:
                        if isinstance(ref, str):
                            raise KzError(f"{path}: JSON-LD {key} {ref!r} would be fetched or read; kzgraph reads"
                                          " no contexts from the network or other files (write it inline)")
                stack.append(value)


class _Root(Exception):
    """The first element: the DOCTYPE, if any, is behind us."""


def _vet_xml(path: Path) -> None:
    from xml.parsers import expat

    def doctype(name, system_id, public_id, has_internal_subset):
        if system_id or public_id:
            raise KzError(f"{path}: XML DOCTYPE names an external DTD ({system_id or public_id});"
                          " kzgraph reads no other files")

    def entity(name, *_):
        raise KzError(f"{path}: XML entity declaration <!ENTITY {name} …> refused"
                      " (entities can expand a small file without bound); write the text out")

    def root(*_):
        raise _Root

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        with open(path, "rb") as handle:
            parser.ParseFile(handle)
    except (_Root, expat.ExpatError):
        return  # past the prologue, or malformed: the parser says where
