"""The HTML of the linked-data pages: a thing, a class, the ontology, the index, the search, a 404.

Pages are plain HTML with their style inline and no script (the search page loads two scripts of the
site): they work offline, from ``file://`` and on any static host. Every piece of data text goes
through :func:`html.escape`; links are relative, so that the same pages serve ``kzgraph serve`` and
a published site. A page ``depth`` folders below the site's root reaches the root as ``../`` × depth.
"""
from __future__ import annotations

import unicodedata
from html import escape as e
from urllib.parse import quote

from rdflib import URIRef
from rdflib.namespace import NamespaceManager

from .namespaces import KZ, KZR, WD
from .results import cell

#: The RDF documents of each page, by suffix, as the formats' names say them.
RDF_SUFFIXES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}
STYLE = """
body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fff}
main,nav,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
nav{padding:.6rem 1rem;border-bottom:1px solid #ddd}nav a{margin-right:1rem}
h1{font-size:1.6rem;margin:.8rem 0 .2rem}h2{font-size:1.2rem;margin:1.4rem 0 .4rem;border-bottom:1px solid #eee}
a{color:#1a5fb4}code,.iri{font-family:ui-monospace,monospace;font-size:.9em}
*{overflow-wrap:anywhere}ul{padding-left:1.2rem}li{margin:.25rem 0}
.ev{color:#444;font-size:.92em;margin:.15rem 0 .15rem .6rem;list-style:none;padding:0}
.ev q{font-style:italic}.hedge,.muted{color:#777}.rank-DeprecatedRank{text-decoration:line-through}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
@media (max-width:40rem){dl{grid-template-columns:1fr}dd{margin-left:.6rem}}
iframe{width:100%;height:28rem;border:1px solid #ddd}footer{color:#777;font-size:.85em;padding:2rem 1rem}
input[type=search]{font-size:1.1rem;width:100%;max-width:30rem;padding:.3rem}
"""


class Links:
    """Relative links from a page ``depth`` folders below the root, and prefixed names."""

    def __init__(self, namespaces: NamespaceManager, depth: int):
        self.namespaces, self.root = namespaces, "../" * depth

    def name(self, iri) -> str:
        return cell(iri, self.namespaces)

    def href(self, iri) -> str | None:
        """The site's page for ``iri`` (a thing, an ontology term), or ``iri`` itself if it is a web address."""
        text = str(iri)
        if text.startswith(str(KZR)) and len(text) > len(KZR):
            return f"{self.root}id/{quote(text[len(KZR):])}.html"
        if text.startswith(str(KZ)):
            return f"{self.root}ontology.html#{quote(text[len(KZ):])}"
        if text.startswith(str(WD)):
            return f"https://www.wikidata.org/wiki/{quote(text[len(WD):])}"
        return text if text.startswith(("http://", "https://")) else None

    def a(self, iri, text: str | None = None) -> str:
        """A link to ``iri`` showing ``text`` (else its prefixed name); plain text when it has no page."""
        shown = e(text if text else self.name(iri))
        href = self.href(iri)
        return f'<a href="{e(href)}">{shown}</a>' if href else shown

    def value(self, value, label=None) -> str:
        """A value as a page shows it: a thing as a link, a literal as text."""
        if isinstance(value, URIRef):
            return self.a(value, str(label) if label else None)
        return e(cell(value))


def page(title: str, body: str, depth: int, *, lang: str = "en") -> str:
    """A whole page: ``body`` (HTML) under a heading bar linking the site's main pages."""
    root = "../" * depth
    nav = " ".join(f'<a href="{root}{href}">{text}</a>' for href, text in (
        ("index.html", "kzgraph"), ("search.html", "search"), ("ontology.html", "ontology"),
        ("network.html", "network"), ("void.ttl", "dataset (VoID)")))
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)} · kzgraph</title><style>{STYLE}</style></head>\n"
            f"<body><nav>{nav}</nav><main>\n{body}\n</main>"
            '<footer>Data: CC BY 4.0, kzgraph contributors. Every statement cites its source.</footer>'
            "</body></html>\n")


def script_of(text: str) -> str:
    """The writing system of ``text``'s first letter ("Latin", "Cyrillic", …), as Unicode names it."""
    for char in str(text):
        if char.isalpha():
            return unicodedata.name(char, "unknown").split()[0].title()
    return "other"


def evidence_list(items: list[dict], links: Links) -> str:
    """Quotes, each with its hedge and its document: the document's page and the web page it came from."""
    if not items:
        return ""
    out = []
    for item in items:
        parts = [f"<q>{e(cell(item['quote']))}</q>"] if item.get("quote") else []
        if item.get("hedge"):
            parts.append(f'<span class="hedge">({e(str(item["hedge"]))})</span>')
        doc = item.get("document")
        if doc is not None:
            parts.append("— " + links.a(doc, str(item.get("title") or item.get("documentLabel") or "") or None))
            if item.get("url"):
                parts.append(f'(<a href="{e(str(item["url"]))}" rel="external">source page</a>)')
        out.append(f"<li>{' '.join(parts)}</li>")
    return f'<ul class="ev">{"".join(out)}</ul>'


def entity(iri: URIRef, title: str, sections: dict[str, list[dict]], disputed: list[dict], links: Links,
           *, network: bool, replaced_by: list[URIRef] | None = None) -> str:
    """The page of one thing: ``sections`` are the ``show`` query's statements by section, each a dict
    with ``relation``, ``value``, ``valueLabel``, ``when``, ``detail`` and its ``evidence`` (dicts of
    quote, hedge, document, title, url); ``disputed`` the rows of the ``disputed`` query; ``replaced_by``,
    for a retired IRI (owl:deprecated), the things that replace it."""
    slug = str(iri)[len(KZR):]
    body = [f"<h1>{e(title)}</h1>", f'<p class="iri">{e(str(iri))}</p>']
    if replaced_by is not None:
        instead = ", ".join(links.a(r) for r in replaced_by) or "nothing named"
        body.append(f'<p class="retired"><b>Retired IRI</b> (owl:deprecated): replaced by {instead}.</p>')
    body.append("<dl>")
    classes = [links.a(s["value"], str(s["valueLabel"]) if s.get("valueLabel") else None)
               for s in sections.get("class", [])]
    if classes:
        body.append(f"<dt>Class</dt><dd>{', '.join(classes)}</dd>")
    for same in sections.get("same as", []):
        label = "Wikidata" if str(same["value"]).startswith(str(WD)) else "Same as"
        body.append(f"<dt>{label}</dt><dd>{links.a(same['value'])}</dd>")
    data = " · ".join(f'<a href="{e(quote(slug))}.{suffix}">{name}</a>' for suffix, name in RDF_SUFFIXES.items())
    body.append(f"<dt>Data</dt><dd>{data}</dd></dl>")

    names = sections.get("name", [])
    if names:
        groups: dict[tuple[str, str], list[str]] = {}
        for row in sorted(names, key=lambda r: str(r["relation"]) != "label"):  # the label first
            key = (str(row.get("detail") or "—"), script_of(row["value"]))
            groups.setdefault(key, []).append(e(str(row["value"])))
        items = "".join(f"<li><b>{e(lang)}</b> <span class=\"muted\">({e(script)})</span>: {'; '.join(vals)}</li>"
                        for (lang, script), vals in sorted(groups.items()))
        body.append(f"<h2>Names</h2><ul>{items}</ul>")
    for section, heading in SECTIONS.items():
        rows = sections.get(section)
        if rows:
            items = "".join(f"<li>{_statement(section, row, links)}{evidence_list(row['evidence'], links)}</li>"
                            for row in rows)
            body.append(f'<h2 id="{e(section.replace(" ", "-").replace("←", "from"))}">{heading}</h2><ul>{items}</ul>')
    if disputed:
        body.append(f'<h2 id="contested">Contested values</h2><ul>{_contested(disputed, links)}</ul>')
    if sections.get("evidence"):
        quotes = [item for row in sections["evidence"] for item in row["evidence"]]
        body.append(f"<h2>Evidence</h2>{evidence_list(quotes, links)}")
    if network:
        src = f"{links.root}network/{quote(slug)}.html"
        body.append(f'<h2>Neighbourhood</h2><iframe src="{e(src)}" title="network around {e(title)}" '
                    f'loading="lazy"></iframe><p><a href="{e(src)}">open the network full-page</a></p>')
    return page(title, "\n".join(body), 1)


#: The sections of an entity page after its names, in order, with their headings.
SECTIONS = {
    "fact": "Facts", "membership": "Member of", "member": "Members", "tenure": "Offices held",
    "holder": "Holders", "event": "Events", "result": "Election results", "contestant": "Contestants",
    "assessment": "Assessments about it", "← fact": "Linked from",
}


def _statement(section: str, row: dict, links: Links) -> str:
    value = links.value(row["value"], row.get("valueLabel"))
    when = f' <span class="muted">{e(str(row["when"]))}</span>' if row.get("when") else ""
    detail = f" · {e(str(row['detail']))}" if row.get("detail") else ""
    if section == "assessment":
        return f"{value}{when}"
    return f"{e(str(row['relation']))}: {value}{when}{detail}"


def _contested(rows: list[dict], links: Links) -> str:
    out, seen = [], {}
    for row in rows:
        key = (row["property"], row["value"], row["claim"])
        if key not in seen:
            rank = str(row["rank"]).rsplit("#", 1)[-1]
            reason = f" — {e(str(row['reason']))}" if row.get("reason") else ""
            text = (f'<span class="rank-{e(rank)}">{links.a(row["property"])}: {links.value(row["value"])}</span> '
                    f"({links.a(row['rank'], rank.removesuffix('Rank').lower())}){reason}")
            seen[key] = (text, [])
            out.append(key)
        if row.get("quote"):
            seen[key][1].append({"quote": row["quote"], "hedge": row.get("hedge"), "document": row.get("document"),
                                 "title": row.get("title") or row.get("documentLabel"), "url": row.get("url")})
    return "".join(f"<li>{seen[k][0]}{evidence_list(seen[k][1], links)}</li>" for k in out)


def ontology(title: str, comment: str, terms: list[dict], links: Links) -> str:
    """The ontology page: each term (dicts of term, kinds, label, comment and relation → values) with an anchor."""
    groups = {"Classes": [], "Properties": [], "Values": []}
    for term in terms:
        kinds = [str(k) for k in term["kinds"]]
        group = ("Classes" if any(k.endswith("#Class") for k in kinds)
                 else "Properties" if any("Property" in k for k in kinds) else "Values")
        groups[group].append(term)
    body = [f"<h1>{e(title)}</h1>", f"<p>{e(comment)}</p>",
            '<p>Data: <a href="ontology.ttl">Turtle</a> · <a href="ontology.jsonld">JSON-LD</a> · '
            '<a href="ontology.nt">N-Triples</a> · <a href="ontology.rdf">RDF/XML</a></p>']
    for group, items in groups.items():
        if not items:
            continue
        body.append(f"<h2>{group}</h2>")
        for term in items:
            local = str(term["term"])[len(KZ):]
            rows = [f"<dt>IRI</dt><dd class=\"iri\">{e(str(term['term']))}</dd>",
                    f"<dt>Type</dt><dd>{', '.join(links.a(k) for k in term['kinds'])}</dd>"]
            if term.get("comment"):
                rows.append(f"<dt>Comment</dt><dd>{e(str(term['comment']))}</dd>")
            for relation, values in term["related"].items():
                shown = ", ".join(links.a(v) if isinstance(v, URIRef) else e(str(v)) for v in values)
                rows.append(f"<dt>{e(relation)}</dt><dd>{shown}</dd>")
            if group == "Classes":
                rows.append(f'<dt>Things</dt><dd><a href="class/{e(quote(local))}.html">every {e(local)}</a></dd>')
            body.append(f'<h3 id="{e(local)}">{e(str(term.get("label") or local))} '
                        f'<code>kz:{e(local)}</code></h3><dl>{"".join(rows)}</dl>')
    return page(title, "\n".join(body), 0)


def class_page(cls: URIRef, label: str, comment: str, things: list[tuple[URIRef, str]], links: Links) -> str:
    """The page of a class: what it is, and every thing typed with it."""
    items = "".join(f"<li>{links.a(thing, name)}</li>" for thing, name in things)
    body = (f"<h1>{e(label)}</h1><p><code>{e(links.name(cls))}</code> · {links.a(cls, 'in the ontology')}</p>"
            f"<p>{e(comment)}</p><h2>{len(things)} thing{'s' if len(things) != 1 else ''}</h2><ul>{items}</ul>")
    return page(label, body, 1)


def index(meta: dict, version: str, classes: list[tuple[URIRef, str, int]], dumps: list[tuple[str, str]],
          links: Links) -> str:
    """The home page: what the dataset is, its classes with counts, the dumps and the other pages."""
    items = "".join(f'<li><a href="class/{e(quote(str(c)[len(KZ):]))}.html">{e(label)}</a> '
                    f'<span class="muted">({count})</span></li>' for c, label, count in classes)
    files = " · ".join(f'<a href="{e(name)}">{e(fmt)}</a>' for name, fmt in dumps)
    body = (f"<h1>{e(meta['title'])}</h1><p>{e(meta['description'])}</p>"
            f"<p>Version {e(version)} · licence <a href=\"{e(meta['licence'])}\">CC BY 4.0</a> · "
            '<a href="void.ttl">dataset description (VoID, DCAT)</a></p>'
            '<p><a href="search.html">Search every name</a> · <a href="ontology.html">the ontology</a> · '
            f'<a href="network.html">the whole network</a></p><h2>Things by class</h2><ul>{items}</ul>'
            f"<h2>Download the data</h2><p>{files}</p>")
    return page(meta["title"], body, 0)


def search() -> str:
    """The search page: its index and code come as two scripts of the site (they work from ``file://``)."""
    body = ('<h1>Search every name</h1><p><label for="q">Any name, in any language or script '
            '(Tokayev, Токаев, Aq Zhol):</label></p><input id="q" type="search" autocomplete="off" autofocus>'
            '<p id="count" class="muted"></p><ul id="hits"></ul>'
            '<noscript><p>The search needs JavaScript; <a href="index.html">the index</a> lists every class.</p></noscript>'
            '<script src="search-index.js"></script><script src="search.js"></script>')
    return page("Search", body, 0)


#: The search page's code: every name normalised as kzgraph.lookup.normalise does, hits built as text.
SEARCH_JS = r"""(function () {
  "use strict";
  var index = window.KZGRAPH_INDEX || [];
  function normalise(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  var input = document.getElementById("q"), hits = document.getElementById("hits"),
      count = document.getElementById("count");
  function run() {
    var wanted = normalise(input.value);
    hits.textContent = "";
    if (!wanted) { count.textContent = index.length + " things"; return; }
    var found = index.filter(function (e) { return e.k.some(function (k) { return k.indexOf(wanted) >= 0; }); });
    count.textContent = found.length + (found.length === 1 ? " match" : " matches");
    found.slice(0, 200).forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e.h; a.textContent = e.l; li.appendChild(a);
      var other = e.n.filter(function (n) { return n !== e.l; });
      var rest = document.createElement("span");
      rest.className = "muted";
      rest.textContent = " " + e.c + (other.length ? " · " + other.join("; ") : "");
      li.appendChild(rest); hits.appendChild(li);
    });
  }
  input.addEventListener("input", run);
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; }
  run();
})();
"""


def not_found(slug: str, suggestions: list[tuple[URIRef, str]], links: Links) -> str:
    """The 404 page of an unknown thing, with the closest names."""
    items = "".join(f"<li>{links.a(iri, name)}</li>" for iri, name in suggestions)
    hint = f"<p>Did you mean:</p><ul>{items}</ul>" if items else ""
    body = (f"<h1>No such thing</h1><p>kzgraph has no thing <code>kzr:{e(slug)}</code>.</p>{hint}"
            f'<p><a href="{links.root}search.html">Search every name</a></p>')
    return page("Not found", body, 1)

