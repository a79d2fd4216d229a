"""Checking every quote against the text of its document (``kzgraph check-evidence``).

The texts are not part of kzgraph (it holds short quotes only): a user gathers the pages that
were read into one directory, one file per document named after the document IRI's last
segment, with or without its ``document-`` prefix (``document-….txt`` or ``.html``). A quote, and its oa:prefix and oa:suffix, must
occur in that text with only whitespace and typographic quote marks normalised; a quote that
does not is an orphan, reported with the closest passage as a hint and never re-anchored.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import KzError
from .namespaces import KZR
from .sparql import query
from .utf8 import read_text

#: the suffixes a document's text may have; HTML is reduced to its text
SUFFIXES = (".txt", ".html", ".htm")
_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                              "‘": "'", "’": "'", "‚": "'", "‛": "'"})


def normalise(text: str) -> str:
    """``text`` with runs of whitespace as one space and typographic quote marks as ASCII ones."""
    return " ".join(text.translate(_QUOTE_MARKS).split())


class _TextOfHtml(HTMLParser):
    """The visible text of an HTML page: no scripts, styles or markup; blocks separated by newlines."""

    SKIP = {"script", "style", "noscript", "template", "head"}
    BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "article", "header", "footer", "table", "ul", "ol", "blockquote", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text a reader sees in ``html``."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


@dataclass(frozen=True)
class Orphan:
    """A quote (or its prefix or suffix) that its document's text does not contain."""

    document: URIRef
    evidence: URIRef | None  # None for the document's own title
    part: str  # "quote", "prefix", "suffix" or "title"
    text: str
    closest: str

    def line(self, short=str) -> str:
        hint = f" (closest passage: “{self.closest}”)" if self.closest else ""
        where = f"{short(self.document)}: {short(self.evidence)}" if self.evidence else short(self.document)
        return f"{where}: {self.part} not found{hint}"


@dataclass
class EvidenceReport:
    """What ``check_evidence`` found: the documents with a text, the quotes found and orphaned."""

    checked: list[URIRef] = field(default_factory=list)
    found: int = 0
    orphans: list[Orphan] = field(default_factory=list)
    without_text: list[URIRef] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.orphans

    def summary(self) -> str:
        n = len(self.checked)
        return (f"{n} document{'s' if n != 1 else ''} checked: {self.found} quote{'s' if self.found != 1 else ''} found,"
                f" {len(self.orphans)} orphaned; {len(self.without_text)} quoted document"
                f"{'s' if len(self.without_text) != 1 else ''} without a text")


def read_texts(directory: str | Path, documents: set[URIRef]) -> dict[URIRef, str]:
    """The normalised text of each document that has a file in ``directory``; any stray file is an error."""
    root = Path(directory)
    if not root.exists():
        raise KzError(f"{directory}: no such directory")
    if not root.is_dir():
        raise KzError(f"{directory}: not a directory (give the directory that holds the documents' texts)")
    texts: dict[URIRef, str] = {}
    try:
        paths = sorted(p for p in root.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        raise KzError(f"{directory}: cannot read the directory ({exc.strerror})") from None
    for path in paths:
        if path.suffix.lower() not in SUFFIXES or not path.is_file():
            raise KzError(f"{path}: not a document text (expected document-….txt or .html files only)")
        iri = KZR[path.stem] if KZR[path.stem] in documents else KZR[f"document-{path.stem}"]
        if iri not in documents:
            raise KzError(f"{path}: no document kzr:{path.stem} in the graph (name each file after its document)")
        if iri in texts:
            raise KzError(f"{path}: a second text for {iri.removeprefix(KZR)}")
        try:
            raw = read_text(path)
        except PermissionError:
            raise KzError(f"{path}: permission denied") from None
        texts[iri] = normalise(html_text(raw) if path.suffix.lower() != ".txt" else raw)
    if not texts:
        raise KzError(f"{directory}: no document texts in it (document-….txt or .html)")
    return texts


def _occurs(text: str, quote: str, prefix: str | None, suffix: str | None) -> str | None:
    """Which part is missing from ``text`` ("quote", "prefix", "suffix"), or None if all are there."""
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not starts:
        return "quote"
    if prefix and not any(text[:i].rstrip().endswith(prefix) for i in starts):
        return "prefix"
    if suffix and not any(text[i + len(quote):].lstrip().startswith(suffix) for i in starts):
        return "suffix"
    return None


def _supplied(title: str) -> bool:
    """Whether ``title`` is one a cataloguer supplied, in square brackets, for an untitled work."""
    return title.startswith("[") and title.endswith("]")


def closest_passage(text: str, wanted: str) -> str:
    """The run of words in ``text`` most like ``wanted`` (as long as it), for a hint."""
    words = text.split()
    size = max(1, len(wanted.split()))
    best, best_ratio = "", 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for i in range(max(1, len(words) - size + 1)):
        window = " ".join(words[i:i + size])
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = window, ratio
    return best if best_ratio >= 0.5 else ""


def check_evidence(graph: Graph, texts_dir: str | Path) -> EvidenceReport:
    """Check every quote of every document that has a text in ``texts_dir``."""
    rows = list(query(graph, name="evidence-quotes"))
    documents = {row.document for row in rows}
    texts = read_texts(texts_dir, documents)
    report = EvidenceReport(checked=sorted(texts))
    quoted = set()
    for document, title in sorted({(row.document, row.title) for row in rows if row.title is not None}):
        if document in texts and not _supplied(title):
            if normalise(title) in texts[document]:
                report.found += 1
            else:
                report.orphans.append(Orphan(document, None, "title", normalise(title),
                                             closest_passage(texts[document], normalise(title))))
    for row in rows:
        if row.evidence is None:
            continue
        quoted.add(row.document)
        text = texts.get(row.document)
        if text is None:
            continue
        parts = {"quote": normalise(row.quote), "prefix": normalise(row.prefix or ""),
                 "suffix": normalise(row.suffix or "")}
        missing = _occurs(text, parts["quote"], parts["prefix"], parts["suffix"])
        if missing is None:
            report.found += 1
        else:
            report.orphans.append(Orphan(row.document, row.evidence, missing, parts[missing],
                                         closest_passage(text, parts[missing])))
    report.without_text = sorted(quoted - set(texts))
    return report
