"""The rows of the ``show`` query laid out for a terminal: a heading, then one section per kind.

Each line of a section is one statement, followed by its evidence (quote — document), indented;
long text is wrapped, never cut. The order is the query's (or by date, for events): the same
graph gives the same text.
"""
from __future__ import annotations

import textwrap

from rdflib import URIRef
from rdflib.namespace import NamespaceManager
from rdflib.query import Result

from .namespaces import WD
from .results import cell

#: the sections under the heading, in print order, with their titles
SECTIONS = {
    "name": "Names",
    "fact": "Facts",
    "membership": "Member of",
    "member": "Members",
    "tenure": "Offices held",
    "holder": "Holders",
    "event": "Events",
    "result": "Election results",
    "contestant": "Contestants",
    "assessment": "Assessments about it",
    "disputed": "Contested values",
    "← fact": "Linked from",
    "evidence": "Evidence",
}
INDENT, EVIDENCE_INDENT = "  ", "      "


def fact_sheet(iri: URIRef, title: str, result: Result, namespaces: NamespaceManager | None = None,
               width: int = 100) -> list[str]:
    """The lines of ``kzgraph show``'s table format for ``result`` (the ``show`` query about ``iri``)."""
    def short(term) -> str:
        return cell(term, namespaces)

    # one statement per (section, relation, value, when, detail), its evidence gathered in order
    statements: dict[tuple, list[str]] = {}
    for row in result.bindings:
        row = {str(k): v for k, v in row.items()}
        key = tuple(row.get(k) for k in ("section", "relation", "value", "valueLabel", "when", "detail"))
        evidence = statements.setdefault(key, [])
        quote = f"“{cell(row['quote'])}”" if row.get("quote") else ""
        source = cell(row.get("documentLabel")) or short(row.get("document"))
        if row.get("hedge"):
            source = f"{source} ({cell(row['hedge'])})"
        line = " — ".join(part for part in (quote, source) if part)
        if line and line not in evidence:
            evidence.append(line)
    sections: dict[str, list[tuple]] = {}
    for (section, *rest), evidence in statements.items():
        sections.setdefault(str(section), []).append((*rest, evidence))

    out = [title, f"{INDENT}IRI:      {iri}" + (f"  ({short(iri)})" if short(iri) != str(iri) else "")]
    classes = [f"{label} ({short(value)})" if label else short(value) for _, value, label, *_ in sections.get("class", [])]
    if classes:
        out.append(f"{INDENT}Class:    {', '.join(classes)}")
    for _, value, *_ in sections.get("same as", []):
        if str(value).startswith(str(WD)):
            out.append(f"{INDENT}Wikidata: {short(value)}  https://www.wikidata.org/wiki/{str(value)[len(str(WD)):]}")
        else:
            out.append(f"{INDENT}Same as:  {short(value)}")
    for section, heading in SECTIONS.items():
        if section in sections:
            out += ["", heading]
            for text, evidence in _lines(section, sections[section], short):
                out += _wrap(text, INDENT, width) if text else []
                for line in evidence:
                    out += _wrap(line, INDENT if not text else EVIDENCE_INDENT, width)
    return out


def _lines(section: str, entries: list[tuple], short) -> list[tuple[str, list[str]]]:
    """(statement text, its evidence lines) for each statement of ``section``."""
    def name(value, label) -> str:
        return cell(label) if label else short(value)

    if section == "evidence":  # evidence for the thing itself: the quotes are the statements
        return [("", evidence) for *_, evidence in entries]
    if section == "name":
        languages: dict[str, list[str]] = {}
        for relation, value, _, _, lang, _ in entries:
            names = languages.setdefault(str(lang or "-"), [])
            names.insert(0, str(value)) if str(relation) == "label" else names.append(str(value))
        return [(f"{lang}: " + "; ".join(names), []) for lang, names in sorted(languages.items())]
    if section in ("fact", "← fact"):
        relations: dict[str, list[str]] = {}
        for relation, value, label, *_ in entries:
            relations.setdefault(str(relation), []).append(name(value, label))
        return [(f"{relation}: " + "; ".join(values), []) for relation, values in relations.items()]
    if section == "disputed":  # every value given, with its rank and why
        return [(f"{relation}: {name(value, label)} ({detail})", evidence)
                for relation, value, label, _, detail, evidence in entries]
    if section == "event":  # in date order, whatever the role
        entries = sorted(entries, key=lambda e: (str(e[3] or ""), name(e[1], e[2]), str(e[0])))
        return [(f"{str(when or '(no date)'):<10}  {name(value, label)}  ({relation})", evidence)
                for relation, value, label, when, _, evidence in entries]
    lines = []
    for _, value, label, when, detail, evidence in entries:
        parts = [name(value, label)]
        if when:
            start, _, end = str(when).partition(" – ")
            parts.append(f"{start} – {end or 'now'}")
        if detail:
            parts.append(str(detail))
        lines.append((", ".join(parts), evidence))
    return lines


def _wrap(text: str, indent: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False, break_long_words=False)
