"""The network page in a real browser: Debian's chromium, headless, with every request but the file blocked."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import kzgraph
from kzgraph.network import project
from kzgraph.resources import ONTOLOGY_FILE
from kzgraph.view import write_view

CHROMIUM = "/usr/bin/chromium"
SMALL = Path(__file__).parent / "view_data" / "small.ttl"
HOSTILE = "<img src=x onerror=window.__pwned=1;alert(1)>"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Debian chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="module")  # not session: a live sync Playwright stops other modules starting their own
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


class Page:
    """A page of the view opened offline, with what it logged, requested and tried to show as dialogs."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors, self.requests, self.dialogs = [], [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._only_the_file)
        self.page.goto(self.url)
        self.page.wait_for_function("window.kzgraph !== undefined")

    def _only_the_file(self, route):
        self.requests.append(route.request.url)
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def js(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def node_id(self, label):
        return self.js("l => kzgraph.data.nodes.find(n => n.label === l).id", label)

    def click_node(self, label):
        """Click where the node is drawn, as a person would."""
        node = self.node_id(label)
        self.js("id => kzgraph.network.focus(id, {scale: 1.5})", node)
        point = self.js("id => kzgraph.network.canvasToDOM(kzgraph.network.getPosition(id))", node)
        box = self.page.locator("#network").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def panel(self):
        return self.page.locator("#details").inner_text()


@pytest.fixture(scope="module")
def small_page(browser, tmp_path_factory):
    small = kzgraph.load([ONTOLOGY_FILE, SMALL], bundled=False)  # the ontology and the fixture only
    path = write_view(small, tmp_path_factory.mktemp("view") / "small.html")
    page = Page(browser, path)
    yield page
    page.page.close()


@pytest.fixture(scope="module")
def bundled_page(browser, graph, tmp_path_factory):
    path = write_view(graph, tmp_path_factory.mktemp("view") / "network.html")
    page = Page(browser, path)
    yield page
    page.page.close()


def test_bundled_graph_draws_every_node_and_edge(bundled_page, graph):
    net = project(graph)
    assert bundled_page.js("[kzgraph.nodes.length, kzgraph.edges.length]") == [net.number_of_nodes(), net.number_of_edges()]
    drawn = bundled_page.js("Object.keys(kzgraph.network.getPositions()).length")
    assert drawn == net.number_of_nodes()
    labels = bundled_page.js("kzgraph.nodes.get().map(n => n.label)")
    assert sorted(labels) == sorted(attrs["label"] for _, attrs in net.nodes(data=True))
    assert bundled_page.errors == []
    assert bundled_page.requests == [bundled_page.url]  # nothing fetched beyond the file itself


def test_bundled_search_finds_ak_zhol_as_aq_zhol(bundled_page):
    bundled_page.page.fill("#search", "Aq Zhol")
    bundled_page.page.press("#search", "Enter")
    [selected] = bundled_page.js("kzgraph.network.getSelectedNodes()")
    assert bundled_page.js("id => kzgraph.data.nodes[id].iri", selected) == "kzr:ak-zhol"


def test_page_works_offline_with_no_errors(small_page):
    assert small_page.errors == [] and small_page.requests == [small_page.url]
    assert small_page.page.locator("#counts").inner_text().startswith(f"{small_page.js('kzgraph.nodes.length')} things")


@pytest.mark.parametrize("typed", ["Aq Zhol", "aq zhol", "AQ ZHÓL", "ақ жол"])
def test_search_finds_a_node_by_another_name(small_page, typed):
    page = small_page.page
    page.fill("#search", "")
    page.fill("#search", typed)
    first = page.locator("#matches li").first
    assert first.inner_text().startswith("Ak Zhol Test Party")
    page.press("#search", "Enter")
    party = small_page.node_id("Ak Zhol Test Party")
    assert small_page.js("kzgraph.network.getSelectedNodes()") == [party]
    assert small_page.panel().startswith("Ak Zhol Test Party")


def test_search_keys_choose_among_matches(small_page):
    page = small_page.page
    page.fill("#search", "test")
    labels = page.locator("#matches li").all_inner_texts()
    assert len(labels) > 2
    page.press("#search", "ArrowDown")
    page.press("#search", "Enter")
    [selected] = small_page.js("kzgraph.network.getSelectedNodes()")
    assert labels[1].startswith(small_page.js("id => kzgraph.data.nodes[id].label", selected))


def test_clicking_a_node_shows_its_evidence(small_page):
    small_page.click_node("Ak Zhol Test Party")
    assert small_page.js("kzgraph.network.getSelectedNodes()") == [small_page.node_id("Ak Zhol Test Party")]
    panel = small_page.panel()
    assert "Ak Zhol took second place in the test." in panel
    assert "Test commentary" in panel
    assert "Aq Zhol" in panel and "stance: pro-government" in panel


def test_clicking_an_edge_shows_the_statement(small_page):
    # the straight one of the two parallel tenures (the other bends away)
    edge = small_page.js("kzgraph.data.edges.findIndex(e => e.label === 'holds (1995 – 1999-06)')")
    assert small_page.js("i => kzgraph.data.edges[i].bend", edge) == 0
    small_page.js("id => kzgraph.network.fit()")
    middle = small_page.js("""id => {
        const e = kzgraph.data.edges[id], a = kzgraph.network.getPosition(e.from), b = kzgraph.network.getPosition(e.to);
        return kzgraph.network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}); }""", edge)
    box = small_page.page.locator("#network").bounding_box()
    small_page.page.mouse.click(box["x"] + middle["x"], box["y"] + middle["y"])
    panel = small_page.panel()
    assert "Test Person —holds (1995 – 1999-06)→ Test President" in panel
    assert "Tenure · holds · 1995 – 1999-06" in panel and "kzr:tenure-view-old" in panel
    assert "Test Person became president." in panel and "Test commentary" in panel


def test_class_filter_hides_nodes(small_page):
    page = small_page.page
    persons = small_page.js("kzgraph.data.nodes.filter(n => n.cls === 'Person').map(n => n.id)")
    assert persons
    page.uncheck("#legend input[data-cls=Person]")
    hidden = small_page.js("kzgraph.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert sorted(hidden) == sorted(persons)
    touching = small_page.js("ids => kzgraph.data.edges.map((e, i) => [e, i]).filter(([e]) => ids.includes(e.from) || ids.includes(e.to)).map(([, i]) => i)", persons)
    assert touching and all(small_page.js("i => kzgraph.edges.get(i).hidden", i) for i in touching)
    assert "shown" in page.locator("#counts").inner_text()
    page.check("#legend input[data-cls=Person]")
    assert small_page.js("kzgraph.nodes.get({filter: n => n.hidden}).length") == 0


def test_date_filter_fades_or_hides_what_lies_outside(small_page):
    page = small_page.page
    old = small_page.js("kzgraph.data.edges.findIndex(e => e.label === 'holds (1995 – 1999-06)')")
    reform = small_page.node_id("Test reform")
    page.fill("#from-year", "2019")
    page.fill("#to-year", "2021")
    page.dispatch_event("#to-year", "change")
    assert small_page.js("i => kzgraph.edges.get(i).color.opacity", old) < 1
    assert small_page.js("i => kzgraph.nodes.get(i).opacity", reform) < 1
    assert small_page.js("i => kzgraph.nodes.get(i).hidden", reform) is False
    page.check("#hide-outside")
    assert small_page.js("i => kzgraph.nodes.get(i).hidden", reform) is True
    assert small_page.js("i => kzgraph.edges.get(i).hidden", old) is True
    assert small_page.js("i => kzgraph.nodes.get(i).hidden", small_page.node_id("Test election 2021")) is False
    page.click("#reset")
    assert small_page.js("kzgraph.nodes.get({filter: n => n.hidden || n.opacity < 1}).length") == 0


def test_hostile_label_shows_as_text_and_runs_nothing(small_page):
    page = small_page.page
    small_page.click_node(HOSTILE)
    assert page.locator("#details h2").inner_text() == HOSTILE
    assert "</script><script>window.__pwned=2</script>" in small_page.panel()
    page.fill("#search", "pwned")
    assert page.locator("#matches li").first.inner_text().startswith(HOSTILE)
    # the tooltip vis-network shows on hover is text too
    point = small_page.js("id => kzgraph.network.canvasToDOM(kzgraph.network.getPosition(id))", small_page.node_id(HOSTILE))
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1)
    page.locator("div.vis-tooltip").wait_for(state="visible")
    assert page.locator("div.vis-tooltip").inner_text().startswith(HOSTILE)
    assert small_page.js("window.__pwned") is None
    assert small_page.dialogs == []
    assert small_page.js("document.querySelectorAll('img, script[src]').length") == 0
    assert small_page.errors == []
    assert small_page.requests == [small_page.url]  # not even the image x was asked for
