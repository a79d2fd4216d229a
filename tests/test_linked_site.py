"""The linked-data site (`kzgraph publish`): every page, every internal link, and the pages in a real browser.

The browser is Debian's chromium, headless, with every request outside the published directory aborted.
"""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import kzgraph
from kzgraph.namespaces import KZ, KZR
from kzgraph.publish import publish
from kzgraph.resources import ONTOLOGY_FILE

HERE = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
HOSTILE = "<img src=x onerror=window.__pwned=1;alert(1)>"
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Debian chromium at {CHROMIUM}")


@pytest.fixture(scope="module")
def small():
    """The view's small graph (with its hostile label) plus a contested value, reported evidence and names in three scripts."""
    return kzgraph.load([ONTOLOGY_FILE, HERE / "view_data" / "small.ttl", HERE / "linked_data" / "claims.ttl"],
                        bundled=False)


@pytest.fixture(scope="module")
def small_site(small, tmp_path_factory):
    out = tmp_path_factory.mktemp("small-site")
    publish(small, out)
    return out


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory):
    """The bundled graph published by the command: the folder and what the command printed."""
    from click.testing import CliRunner

    from kzgraph.cli import main

    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(main, ["publish", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out, result.output


class Links(HTMLParser):
    """The href and src values of a page, and its element ids."""

    def __init__(self):
        super().__init__()
        self.targets, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.targets.append(attrs[key])


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def broken_links(site: Path) -> list[str]:
    """Every internal link of every page that does not resolve to a file of the site (and anchor)."""
    parsed, broken = {}, []
    for page in sorted(site.rglob("*.html")):
        for target in parse(page).targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                continue  # an outside page (a source, Wikidata, the licence)
            file = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if site.resolve() not in file.parents or not file.is_file():
                broken.append(f"{page.relative_to(site)}: {target}")
            elif parts.fragment and file.suffix == ".html":
                ids = parsed.setdefault(file, parse(file).ids)
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {target} (no such anchor)")
    return broken


@pytest.mark.slow
def test_every_internal_link_of_the_published_site_resolves(bundled_site):
    site, _ = bundled_site
    assert broken_links(site) == []


def test_one_page_per_thing_and_class_and_the_data_in_every_format(bundled_site, graph):
    site, _ = bundled_site
    described = {*graph.subjects(RDF.type, None), *graph.subjects(OWL.deprecated, None)}  # retired IRIs keep a page
    things = {s for s in described if str(s).startswith(str(KZR))}
    assert {p.stem for p in (site / "id").glob("*.html")} == {str(t)[len(KZR):] for t in things}
    classes = {str(c)[len(KZ):] for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(KZ))}
    assert {p.stem for p in (site / "class").glob("*.html")} == classes
    for name in ("index.html", "search.html", "ontology.html", "network.html", "void.ttl", "kzgraph.ttl",
                 "kzgraph.nt", "kzgraph.jsonld", "kzgraph.rdf", "kzgraph.trig"):
        assert (site / name).stat().st_size > 0, name
    whole = Graph().parse(site / "kzgraph.nt", format="nt")
    assert len(whole) == len(graph)
    for suffix, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")):
        one = Graph().parse(site / "id" / f"ak-zhol.{suffix}", format=fmt)
        assert (KZR["ak-zhol"], RDFS.label, None) in one
        assert (None, KZ.contestant, KZR["ak-zhol"]) in one  # what points at it, too


def test_the_published_description_names_the_sites_dumps(small, tmp_path):
    publish(small, tmp_path, base="https://example.org/kz")
    void = Graph().parse(tmp_path / "void.ttl")
    dumps = {str(o) for o in void.objects(None, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert dumps == {f"https://example.org/kz/kzgraph.{s}" for s in ("ttl", "nt", "jsonld", "rdf", "trig")}
    for url in dumps:
        size = void.value(void.value(None, URIRef("http://www.w3.org/ns/dcat#downloadURL"), URIRef(url)),
                          URIRef("http://www.w3.org/ns/dcat#byteSize"))
        assert int(size) == (tmp_path / url.rsplit("/", 1)[1]).stat().st_size


def test_publish_command_says_what_it_wrote(bundled_site):
    site, output = bundled_site
    files = sum(1 for p in site.rglob("*") if p.is_file())
    assert re.fullmatch(rf"wrote {files:,} files \([\d.]+ MB\) into {re.escape(str(site))}; open .*index.html\n", output)


def test_the_entity_page_says_everything_with_its_evidence(small_site):
    text = (small_site / "id" / "view-founding.html").read_text(encoding="utf-8")
    # contested values with their ranks and reasons, escaped; the reported one hedged
    assert "kz:date</a>: 2023</span>" in text and '<a href="../ontology.html#PreferredRank">preferred</a>' in text
    assert '<span class="rank-DeprecatedRank">' in text and "a &lt;script&gt;misread&lt;/script&gt; year" in text
    assert "(reported by some &lt;i&gt;news&lt;/i&gt; portals)" in text
    # the document's own title, its page here and the web page it came from
    assert ('<a href="../id/view-web-doc.html">Test news: the court opened &lt;b&gt;today&lt;/b&gt;</a> '
            '(<a href="https://example.org/news/court" rel="external">source page</a>)') in text
    assert '<iframe src="../network/view-founding.html"' in text
    court = (small_site / "id" / "view-court.html").read_text(encoding="utf-8")
    assert '<a href="https://www.wikidata.org/wiki/Q1">wd:Q1</a>' in court
    for line in ("<b>en</b> <span class=\"muted\">(Latin)</span>: Test Court", "<b>ru</b> <span class=\"muted\">(Cyrillic)</span>",
                 "<b>zh</b> <span class=\"muted\">(Cjk)</span>: 试验法院"):
        assert line in court
    person = (small_site / "id" / "view-person.html").read_text(encoding="utf-8")
    assert 'holds: <a href="../id/view-president.html">Test President</a> <span class="muted">2019-03-20 – </span>' in person
    assert "<q>Test Person became president.</q>" in person


def test_the_ontology_page_lists_every_class_and_property(small_site):
    text = (small_site / "ontology.html").read_text(encoding="utf-8")
    ids = parse(small_site / "ontology.html").ids
    ontology = Graph().parse(ONTOLOGY_FILE)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if str(term).startswith(str(KZ)):
                assert str(term)[len(KZ):] in ids, term
    holder = text[text.index('id="holder"'):][:1500]
    assert '<dt>rdfs:domain</dt><dd><a href="ontology.html#Tenure">kz:Tenure</a></dd>' in holder
    assert "<dt>rdfs:range</dt>" in holder and "rdfs:subPropertyOf" in text
    assert 'foaf:Person' in text[text.index('id="Person"'):][:1500]  # the alignment


# ---------------------------------------------------------------- in a browser


class Visit:
    """A page of the published site in chromium, phone-wide or not, with nothing outside the site allowed."""

    def __init__(self, browser, site: Path, path: str, width: int = 1200):
        self.site = site.resolve().as_uri() + "/"
        self.page = browser.new_page(viewport={"width": width, "height": 800})
        self.errors, self.outside, self.dialogs = [], [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._inside_only)
        self.page.goto(self.site + path)
        self.page.wait_for_load_state("load")

    def _inside_only(self, route):
        if route.request.url.startswith(self.site):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def js(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def close(self):
        self.page.close()


@needs_chromium
@pytest.mark.parametrize("path", ["id/view-hostile.html", "id/view-founding.html", "id/view-court.html",
                                  "ontology.html", "index.html", "class/Person.html", "search.html"])
def test_pages_work_offline_with_no_errors_and_fit_a_phone(browser, small_site, path):
    visit = Visit(browser, small_site, path, width=360)
    try:
        assert visit.errors == [] and visit.outside == [] and visit.dialogs == []
        assert visit.js("document.documentElement.scrollWidth") <= 360
        hrefs = visit.js("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        for href in hrefs:
            if href.startswith("file:"):
                assert href.startswith(visit.site), href
                assert Path(unquote(urlsplit(href).path)).is_file(), href
    finally:
        visit.close()


@needs_chromium
def test_a_hostile_label_stays_text(browser, small_site):
    visit = Visit(browser, small_site, "id/view-hostile.html")
    try:
        visit.page.wait_for_timeout(300)  # the network frame loads lazily; give it a moment
        assert visit.page.locator("h1").inner_text() == HOSTILE
        assert visit.page.title() == f"{HOSTILE} · kzgraph"
        assert "</script><script>window.__pwned=2</script>" in visit.page.locator("main").inner_text()
        assert visit.js("document.querySelectorAll('main img, main script').length") == 0
        assert visit.js("window.__pwned") is None and visit.dialogs == [] and visit.errors == []
        assert visit.outside == []
    finally:
        visit.close()


@needs_chromium
@pytest.mark.parametrize("typed, found", [("Ақ жол", "Ak Zhol Test Party"), ("aq zhol", "Ak Zhol Test Party"),
                                          ("тестовый", "Test Court"), ("pwned", HOSTILE)])
def test_search_finds_every_name_in_every_script_from_a_file_url(browser, small_site, typed, found):
    visit = Visit(browser, small_site, "search.html")
    try:
        visit.page.fill("#q", typed)
        first = visit.page.locator("#hits li a").first
        assert first.inner_text() == found
        first.click()
        visit.page.wait_for_load_state("load")
        assert visit.page.locator("h1").inner_text() == found
        assert visit.js("window.__pwned") is None and visit.dialogs == [] and visit.errors == []
        assert visit.outside == []
    finally:
        visit.close()


@needs_chromium
def test_the_neighbourhood_network_is_drawn_in_the_page(browser, small_site):
    visit = Visit(browser, small_site, "id/view-person.html")
    try:
        frame_element = visit.page.locator("iframe")
        frame_element.scroll_into_view_if_needed()
        frame = frame_element.element_handle().content_frame()
        frame.wait_for_function("window.kzgraph !== undefined && kzgraph.nodes.length > 0")
        labels = frame.evaluate("kzgraph.nodes.get().map(n => n.name)")
        assert "Test Person" in labels and "Test President" in labels
        assert visit.errors == [] and visit.outside == []
    finally:
        visit.close()


def test_a_retired_iri_keeps_a_page_that_points_to_its_replacement(tmp_path):
    retired = tmp_path / "retired.ttl"
    retired.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
                       "<https://w3id.org/kzgraph/id/tenure-view-older> owl:deprecated true ;\n"
                       "    dcterms:isReplacedBy <https://w3id.org/kzgraph/id/tenure-view-person> .\n", encoding="utf-8")
    g = kzgraph.load([ONTOLOGY_FILE, HERE / "view_data" / "small.ttl", retired], bundled=False)
    publish(g, tmp_path / "site")
    text = (tmp_path / "site" / "id" / "tenure-view-older.html").read_text(encoding="utf-8")
    assert ('<b>Retired IRI</b> (owl:deprecated): replaced by '
            '<a href="../id/tenure-view-person.html">kzr:tenure-view-person</a>') in text
    assert broken_links(tmp_path / "site") == []
