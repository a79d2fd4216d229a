"""The network page in a real browser: Debian's chromium, headless, with every request but the file blocked."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import kzgraph
import kzgraph.view
from kzgraph.network import project
from kzgraph.resources import ONTOLOGY_FILE
from kzgraph.view import write_view

CHROMIUM = "/usr/bin/chromium"
SMALL = Path(__file__).parent / "view_data" / "small.ttl"
CLAIMS = Path(__file__).parent / "view_data" / "claims.ttl"
HOSTILE = "<img src=x onerror=window.__pwned=1;alert(1)>"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Debian chromium at {CHROMIUM} (apt-get install chromium)")


class Page:
    """A page of the view opened offline, with what it logged, requested and tried to show as dialogs."""

    def __init__(self, browser, path: Path, width: int = 1400, height: int = 900):
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors, self.requests, self.dialogs = [], [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._only_the_file)
        self.page.goto(self.url)
        self.page.wait_for_function("window.kzgraph && window.kzgraph.ready")  # drawn, first view set

    def _only_the_file(self, route):
        self.requests.append(route.request.url)
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def js(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def node_id(self, label):
        return self.js("l => kzgraph.items.find(n => n.name === l).id", label)

    def click_node(self, label):
        """Click where the node is drawn, as a person would."""
        node = self.node_id(label)
        self.js("id => kzgraph.network.focus(id, {scale: 1.5})", node)
        point = self.js("id => kzgraph.network.canvasToDOM(kzgraph.network.getPosition(id))", node)
        box = self.page.locator("#network").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def click_edge(self, index):
        """Click the middle of the straight edge ``index``, the whole network in view."""
        self.js("kzgraph.network.fit()")
        middle = self.js("""i => {
            const e = kzgraph.links[i], a = kzgraph.network.getPosition(e.from), b = kzgraph.network.getPosition(e.to);
            return kzgraph.network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}); }""", index)
        box = self.page.locator("#network").bounding_box()
        self.page.mouse.click(box["x"] + middle["x"], box["y"] + middle["y"])

    def labels(self):
        """The labels drawn now, as boxes on screen: ``{id: [left, top, right, bottom, font px]}``."""
        return self.js("""() => {
            const net = kzgraph.network, out = {};
            kzgraph.items.forEach(n => {
                const label = net.body.nodes[n.id].labelModule;
                if (kzgraph.nodes.get(n.id).hidden || !label.visible()) return;
                const s = label.size, a = net.canvasToDOM({x: s.left, y: s.top});
                const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
                out[n.id] = [a.x, a.y, b.x, b.y, label.fontOptions.size * net.getScale()];
            });
            return out; }""")

    def panel(self):
        return self.page.locator("#details").inner_text()


@pytest.fixture(scope="module")
def small_page(browser, tmp_path_factory):
    small = kzgraph.load([ONTOLOGY_FILE, SMALL, CLAIMS], bundled=False)  # the ontology and the fixtures only
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
    labels = bundled_page.js("kzgraph.nodes.get().map(n => n.name)")
    assert sorted(labels) == sorted(attrs["label"] for _, attrs in net.nodes(data=True))
    assert bundled_page.errors == []
    assert bundled_page.requests == [bundled_page.url]  # nothing fetched beyond the file itself


def overlapping(boxes: dict) -> list:
    items = sorted(boxes.items())
    return [(a, b) for i, (a, p) in enumerate(items) for b, q in items[i + 1:]
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def test_first_view_reads_the_30_best_connected_labels(bundled_page, graph):
    """At 1400×900 the whole network is in view, and the labels drawn are those of the 30 best-connected
    things: every one inside the view, large enough to read, none over another."""
    net = project(graph)
    degree = dict(net.degree())
    top = set(sorted(net, key=lambda n: (-degree[n], net.nodes[n]["label"], n))[:30])
    labels = bundled_page.labels()
    assert {bundled_page.js("id => kzgraph.node[id].name", i) for i in labels} == {net.nodes[n]["label"] for n in top}
    width, height = bundled_page.js("[kzgraph.network.canvas.frame.clientWidth, kzgraph.network.canvas.frame.clientHeight]")
    for node, (left, top_, right, bottom, px) in labels.items():
        assert px >= 11.5, (node, px)
        assert 0 <= left and right <= width and 0 <= top_ and bottom <= height, node
    assert overlapping(labels) == []
    drawn = bundled_page.js("kzgraph.links.filter(e => kzgraph.network.body.edges[e.id].labelModule.visible()).length")
    assert drawn == 0  # relation labels come with zooming in
    assert bundled_page.js("kzgraph.network.body.nodes[Object.keys(kzgraph.node)[0]].labelModule.visible()") is False


def test_phone_width(browser, graph, tmp_path):
    page = Page(browser, write_view(graph, tmp_path / "phone.html"), width=390, height=844)
    try:
        assert not page.page.is_visible("#filters")
        page.page.click("#toggle-filters")
        assert page.page.is_visible("#legend")
        page.page.click("#toggle-filters")
        labels = page.labels()
        width, height = page.js("[kzgraph.network.canvas.frame.clientWidth, kzgraph.network.canvas.frame.clientHeight]")
        shown = {n: b for n, b in labels.items() if b[0] < width and b[2] > 0 and b[1] < height and b[3] > 0}
        assert len(shown) >= 8 and min(b[4] for b in shown.values()) >= 11.5
        assert overlapping(shown) == []
        page.click_node("Kassym-Jomart Tokayev")
        panel = page.page.locator("#panel").bounding_box()
        assert panel["width"] == 390 and panel["y"] > 844 / 3  # a sheet over the lower part
        assert page.errors == [] and page.requests == [page.url]
    finally:
        page.page.close()


def test_bundled_search_finds_ak_zhol_as_aq_zhol(bundled_page):
    bundled_page.page.fill("#search", "Aq Zhol")
    bundled_page.page.press("#search", "Enter")
    [selected] = bundled_page.js("kzgraph.network.getSelectedNodes()")
    assert bundled_page.js("id => kzgraph.node[id].id", selected) == "kzr:ak-zhol"


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
    assert labels[1].startswith(small_page.js("id => kzgraph.node[id].label", selected))


def test_clicking_a_node_shows_its_evidence(small_page):
    small_page.click_node("Ak Zhol Test Party")
    assert small_page.js("kzgraph.network.getSelectedNodes()") == [small_page.node_id("Ak Zhol Test Party")]
    panel = small_page.panel()
    assert "Ak Zhol took second place in the test." in panel
    assert "Test commentary" in panel
    assert "Aq Zhol" in panel and "The test source calls the party pro-government." in panel


def test_panel_shows_contested_values_and_links_to_the_source(small_page):
    small_page.click_node("Test reform")
    panel = small_page.panel()
    assert "CONTESTED VALUES" in panel  # (inner_text applies the CSS uppercase)
    assert "date: 2022-06preferred" in panel and "The month of the decree." in panel
    assert "date: 2022-07deprecated" in panel and "A misread month in one report." in panel
    assert panel.index("2022-06preferred") < panel.index("2022-07deprecated")
    source = small_page.page.locator("#details cite a").first
    assert source.inner_text() == "Test commentary"
    assert source.get_attribute("href") == "https://example.org/test-commentary"
    assert source.get_attribute("target") == "_blank" and "noopener" in source.get_attribute("rel")
    # claims about a statement (an election result's votes) are shown with the relation
    small_page.page.click("#close")
    small_page.click_edge(small_page.js("kzgraph.links.findIndex(e => e.rel === 'result')"))
    panel = small_page.panel()
    assert "votes: 792828preferred" in panel and "votes: 790000normal" in panel


def test_clicking_an_edge_shows_the_statement(small_page):
    # the straight one of the two parallel tenures (the other bends away)
    edge = small_page.js("kzgraph.links.findIndex(e => e.label === 'holds (1995 – 1999-06)')")
    assert small_page.js("i => kzgraph.links[i].smooth.enabled", edge) is False
    small_page.click_edge(edge)
    panel = small_page.panel()
    assert "Test Person —holds (1995 – 1999-06)→ Test President" in panel
    assert "Tenure · holds · 1995 – 1999-06" in panel and "kzr:tenure-view-old" in panel
    assert "Test Person became president." in panel and "Test commentary" in panel


def test_class_filter_hides_nodes(small_page):
    page = small_page.page
    persons = small_page.js("kzgraph.items.filter(n => n.cls === 'Person').map(n => n.id)")
    assert persons
    page.uncheck("#legend input[data-value=Person]")
    hidden = small_page.js("kzgraph.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert sorted(hidden) == sorted(persons)
    touching = small_page.js("ids => kzgraph.links.filter(e => ids.includes(e.from) || ids.includes(e.to)).map(e => e.id)", persons)
    assert touching and all(small_page.js("i => kzgraph.edges.get(i).hidden", i) for i in touching)
    assert "shown" in page.locator("#counts").inner_text()
    page.check("#legend input[data-value=Person]")
    assert small_page.js("kzgraph.nodes.get({filter: n => n.hidden}).length") == 0


def test_date_shows_the_network_as_it_stood(small_page):
    page = small_page.page
    old = small_page.js("kzgraph.links.findIndex(e => e.label === 'holds (1995 – 1999-06)')")
    new = small_page.js("kzgraph.links.findIndex(e => e.label === 'holds (2019-03-20 –)')")
    hidden = lambda kind, i: small_page.js(f"i => kzgraph.{kind}.get(i).hidden", i)  # noqa: E731
    page.fill("#on-date", "1997-05-01")
    page.dispatch_event("#on-date", "change")
    assert page.is_checked("#use-date") and "on 1997-05-01" in page.locator("#counts").inner_text()
    assert not hidden("edges", old) and hidden("edges", new)  # the tenure of 1997, not the one of 2019
    assert not hidden("nodes", small_page.node_id("Test President"))
    assert hidden("nodes", small_page.node_id("Test election 2021")) and hidden("nodes", small_page.node_id("Test reform"))
    assert hidden("nodes", small_page.node_id("Test Majilis"))  # undated, but its only relation is not yet there
    assert not hidden("nodes", small_page.node_id(HOSTILE))  # undated with an undated relation: stays
    # the slider moves the date: its last day is the last date in the data
    page.locator("#date-slider").focus()
    page.keyboard.press("End")
    assert page.input_value("#on-date") == "2023-12-31"
    assert hidden("edges", old) and not hidden("edges", new) and not hidden("nodes", small_page.node_id("Test Court"))
    page.click("#reset")
    assert small_page.js("kzgraph.nodes.get({filter: n => n.hidden || n.opacity < 1}).length") == 0
    assert not page.is_checked("#use-date")


def test_relation_filter_hides_relations_of_a_type(small_page):
    page = small_page.page
    tenures = small_page.js("kzgraph.links.filter(e => e.rel === 'holds').map(e => e.id)")
    assert len(tenures) == 2
    page.uncheck("#relations input[data-value='holds office']")
    assert small_page.js("kzgraph.edges.get({filter: e => e.hidden}).map(e => e.id)") == tenures
    page.check("#relations input[data-value='holds office']")
    assert small_page.js("kzgraph.edges.get({filter: e => e.hidden}).length") == 0


def test_clicking_a_node_highlights_its_neighbourhood(small_page):
    small_page.click_node("Test Person")
    person = small_page.node_id("Test Person")
    near = set(small_page.js("id => kzgraph.network.getConnectedNodes(id)", person)) | {person}
    faded = {n["id"] for n in small_page.js("kzgraph.nodes.get({filter: n => n.opacity < 1})")}
    assert faded and not faded & near and faded | near == set(small_page.js("kzgraph.nodes.getIds()"))
    lit = small_page.js("kzgraph.edges.get({filter: e => e.color.opacity === 1}).map(e => e.id)")
    assert sorted(lit) == sorted(small_page.js("id => kzgraph.network.getConnectedEdges(id)", person))
    small_page.page.click("#close")
    assert small_page.js("kzgraph.nodes.get({filter: n => n.opacity < 1}).length") == 0


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


NOTEBOOK_CELL = """\
import kzgraph
import kzgraph.view
from kzgraph.view import network
net = network(kzgraph.load(), focus="Tokayev", depth=1)
net.toggle_physics(False)   # the pyvis way; the layout is already computed
net.show("tokayev.html", notebook=True)
"""


def test_notebook_shows_the_view_offline(browser, tmp_path):
    """A notebook run headless (nbclient, ipykernel): pyvis' show() output renders in chromium, offline."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CELL)])
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = notebook.cells[0].outputs
    assert not [o for o in outputs if o["output_type"] == "error"], outputs
    [shown] = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert 'src="tokayev.html"' in shown and (tmp_path / "tokayev.html").exists()
    (tmp_path / "cell-output.html").write_text(f"<!DOCTYPE html><html><body>{shown}</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    requests, errors = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: (requests.append(route.request.url),
                                      route.continue_() if route.request.url.startswith(tmp_path.as_uri())
                                      else route.abort()))
    page.goto((tmp_path / "cell-output.html").as_uri())
    frame = page.locator("iframe").element_handle().content_frame()
    frame.wait_for_function("window.kzgraph !== undefined")
    drawn = frame.evaluate("Object.keys(kzgraph.network.getPositions()).length")
    expected = kzgraph.view.network(kzgraph.load(), focus="Tokayev", depth=1).num_nodes()
    assert drawn == expected > 1
    assert frame.evaluate("kzgraph.network.physics.physicsEnabled") is False
    assert errors == []
    assert sorted(requests) == sorted([(tmp_path / "cell-output.html").as_uri(), (tmp_path / "tokayev.html").as_uri()])
    page.close()
