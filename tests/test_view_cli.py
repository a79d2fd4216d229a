"""The network projection, its narrowing, `kzgraph view` and the page's HTML (no browser needed)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kzgraph
from kzgraph.network import project
from kzgraph.view import render, write_view

SMALL = Path(__file__).parent / "view_data" / "small.ttl"
NEWER = Path(__file__).parent / "view_data" / "claims.ttl"
KZR = "https://w3id.org/kzgraph/id/"
HOSTILE = "<img src=x onerror=window.__pwned=1;alert(1)>"
#: A page loads a resource through src=, href=, CSS url() or @import; the page must use none over the web.
WEB_RESOURCE = re.compile(r"""(?:\bsrc|\bhref|\baction)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                          re.IGNORECASE)


@pytest.fixture(scope="module")
def small():
    return kzgraph.load([SMALL])


@pytest.fixture(scope="module")
def net(small):
    return project(small)


def edge(net, source, target):
    found = net.get_edge_data(KZR + source, KZR + target)
    assert found, (source, target)
    return list(found.values())


def labels(net):
    return {attrs["label"] for _, attrs in net.nodes(data=True)}


def test_statements_become_labelled_edges(net):
    tenures = sorted(edge(net, "view-person", "view-president"), key=lambda e: e["start"])
    assert [e["label"] for e in tenures] == ["holds (1995 – 1999-06)", "holds (2019-03-20 –)"]
    assert tenures[1]["class"] == "Tenure" and tenures[1]["alt_labels"] == []
    assert tenures[1]["evidence"] == [{"quote": "Test Person became president.", "document": "Test commentary",
                                       "document_iri": KZR + "view-doc", "url": "https://example.org/test-commentary"}]
    [result] = edge(net, "view-ak-zhol", "view-election")
    assert (result["label"], result["class"], result["date"]) == ("10.95% · 12 seats", "ElectionResult", "2021-01-10")
    [role] = edge(net, "view-person", "view-reform")  # actor → event, named for the role
    assert (role["label"], role["class"], role["date"]) == ("initiated", "LegalReform", "2022-06")
    assert edge(net, "view-founding", "view-court")[0]["label"] == "founded"
    assert edge(net, "view-reform", "view-founding")[0]["label"] == "led to"


def test_memberships_and_claims_are_not_nodes():
    net = project(kzgraph.load([SMALL, NEWER]))
    assert not {a["class"] for _, a in net.nodes(data=True)} & {"Membership", "Claim"}
    [membership] = edge(net, "view-person", "view-ak-zhol")
    assert (membership["label"], membership["class"]) == ("member of (2001-05 – 2019-03-19)", "Membership")
    dates = net.nodes[KZR + "view-reform"]["claims"]
    assert [(c["property"], c["value"], c["rank"]) for c in dates] == [("date", "2022-06", "preferred"),
                                                                        ("date", "2022-07", "deprecated")]
    assert dates[1]["reason"] == "A misread month in one report." and dates[1]["evidence"][0]["url"]
    [result] = edge(net, "view-ak-zhol", "view-election")
    assert [(c["value"], c["rank"]) for c in result["claims"]] == [("792828", "preferred"), ("790000", "normal")]
    assert (result["vote_share"], result["votes"], result["seats"]) == (10.95, 792828, 12)


def test_only_things_are_nodes(net):
    kinds = {attrs["class"] for _, attrs in net.nodes(data=True)}
    assert not kinds & {"Tenure", "ElectionResult", "Evidence", "Document", "Stance"}
    party = net.nodes[KZR + "view-ak-zhol"]
    assert party["alt_labels"] == ["Aq Zhol", "Ақ жол"]
    assert party["facts"] == []  # a stance is a dated judgement, listed with the assessments
    assert [a["statement"] for a in party["assessments"]] == ["The test source calls the party pro-government."]
    assert {"Organization", "PoliticalParty"} <= set(party["kinds"]) and "Event" not in party["kinds"]
    assert party["evidence"][0]["document"] == "Test commentary"


def test_bundled_graph_projects(graph):
    net = project(graph)
    assert net.number_of_nodes() > 0
    for _, attrs in net.nodes(data=True):
        assert attrs["label"] and attrs["class"] and attrs["class"] in attrs["kinds"]


def test_page_is_self_contained_and_escapes_data(small):
    page = render(small)
    assert not WEB_RESOURCE.search(page)
    assert HOSTILE not in page and "</script><script>window" not in page
    # vis-network, nodes, edges, options, the page's own script: nothing closed early
    assert page.count("</script") == 5
    assert "Ak Zhol Test Party" in page and "kzr:view-ak-zhol" in page


def test_view_writes_the_page(cli, tmp_path):
    out = tmp_path / "net.html"
    result = cli("--data", str(SMALL), "view", "-o", str(out))
    assert result.exit_code == 0, result.output
    expected = project(kzgraph.load([SMALL]))
    assert f"{expected.number_of_nodes()} things, {expected.number_of_edges()} relations" in result.stderr
    assert "Test Court" in out.read_text(encoding="utf-8")


def test_view_says_one_thing_in_the_singular(cli, tmp_path):
    result = cli("--data", str(SMALL), "view", "-o", str(tmp_path / "one.html"), "--focus", "Test reform", "--depth", "0")
    assert "(1 thing, 0 relations)" in result.stderr


def narrowed(cli, tmp_path, *options, everything=False):
    """The labels of the things from small.ttl (or of all things) on the page `kzgraph view OPTIONS` writes."""
    out = tmp_path / "narrow.html"
    result = cli("--data", str(SMALL), "view", "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    data = re.search(r'<script id="kzgraph-nodes" type="application/json">(.*?)</script>', out.read_text("utf-8"), re.S)
    return {n["name"] for n in json.loads(data[1]) if everything or n["id"].startswith("kzr:view-")}


def test_focus_and_depth(cli, tmp_path, net):
    centre = KZR + "view-reform"
    for depth in (1, 2):
        expected = {net.nodes[n]["label"] for n in nx.ego_graph(net.to_undirected(), centre, radius=depth)}
        assert narrowed(cli, tmp_path, "--focus", "Test reform", "--depth", str(depth)) == expected
    assert narrowed(cli, tmp_path, "--focus", "AK ZHOL test party", "--depth", "0") == {"Ak Zhol Test Party"}


def test_type_keeps_the_class_and_its_subclasses(cli, tmp_path, graph):
    everything = project(graph)
    persons = {a["label"] for _, a in everything.nodes(data=True) if a["class"] == "Person"}
    assert narrowed(cli, tmp_path, "--type", "Person", everything=True) == persons | {"Test Person", HOSTILE}
    assert narrowed(cli, tmp_path, "--type", "Event") == {"Test election 2021", "Test reform", "Founding of the Test Court"}
    assert narrowed(cli, tmp_path, "--type", "kz:PoliticalParty", "--type", "legislative election") == {
        "Ak Zhol Test Party", "Test election 2021"}
    assert narrowed(cli, tmp_path, "--type", "PoliticalParty, Office") == {"Ak Zhol Test Party", "Test President"}
    # the focus stays, whatever its class
    assert narrowed(cli, tmp_path, "--focus", "Test Person", "--type", "Event") == {"Test Person", "Test reform"}


def test_dates_leave_out_what_lies_outside(cli, tmp_path, net):
    during = narrowed(cli, tmp_path, "--from", "2021", "--to", "2021-12")
    assert {"Test election 2021", "Ak Zhol Test Party", "Test Person", "Test President"} <= during
    assert not during & {"Test reform", "Founding of the Test Court", "Test Court"}
    early = narrowed(cli, tmp_path, "--to", "1996")
    assert "Test President" in early and "Test election 2021" not in early
    assert "Test Majilis" not in early  # undated, but its only relation went
    assert HOSTILE in early  # undated with an undated relation: stays


def test_render_api_takes_the_same_options(small):
    page = render(small, focus="Test Person", depth=1, types=["Office"], start="2019")
    assert "Test President" in page and "Test Court" not in page


@pytest.mark.parametrize("options, needles", [
    (["--type", "Partie"], ["--type Partie", "unknown class"]),
    (["--from", "2019-13"], ["--from 2019-13", "bad date"]),
    (["--to", "yesterday"], ["--to yesterday", "bad date"]),
    (["--from", "2022", "--to", "2021"], ["--from 2022 is after --to 2021"]),
    (["--focus", "Nobody Atall"], ["Nobody Atall"]),
    (["--focus", "kzr:tenure-view-person"], ["--focus kzr:tenure-view-person", "not a thing in the network"]),
])
def test_bad_options_are_one_line_errors(cli, tmp_path, user_error, options, needles):
    out = tmp_path / "kept.html"
    out.write_text("old", encoding="utf-8")
    user_error(cli("--data", str(SMALL), "view", "-o", str(out), *options), *needles)
    assert out.read_text(encoding="utf-8") == "old"  # nothing half-written


def test_bad_date_in_the_data_names_the_thing(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(SMALL.read_text(encoding="utf-8").replace('"2022-06"^^xsd:gYearMonth', '"June 2022"'), encoding="utf-8")
    with pytest.raises(kzgraph.KzError, match=r"https://w3id.org/kzgraph/id/view-reform: bad date 'June 2022'"):
        render(kzgraph.load([bad]))


def test_the_page_is_the_same_on_every_run(tmp_path):
    """Layouts follow the order of nodes; that order must not come from Python's per-run set hashing."""
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}.html"
        subprocess.run([sys.executable, "-c", "from kzgraph.cli import main; main()", "--data", str(SMALL), "view",
                        "-o", str(out), "--focus", "Test Person", "--depth", "3"],
                       env={**os.environ, "PYTHONHASHSEED": seed}, check=True, capture_output=True)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_write_view_returns_the_path(small, tmp_path):
    path = write_view(small, tmp_path / "sub" / "v.html", types=["Person"])
    assert path == tmp_path / "sub" / "v.html" and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.slow
def test_build_writes_the_view(cli, tmp_path):
    result = cli("--data", str(SMALL), "build", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'network.html'}" in result.output
    assert "Ak Zhol Test Party" in (tmp_path / "network.html").read_text(encoding="utf-8")


def test_view_is_a_pyvis_network_with_every_relation(small, net):
    from pyvis.network import Network

    from kzgraph.view import network

    view = network(small)
    assert isinstance(view, Network) and view.directed
    assert (view.num_nodes(), view.num_edges()) == (net.number_of_nodes(), net.number_of_edges())  # parallel tenures kept
    tenures = [e for e in view.get_edges() if e["from"] == "kzr:view-person" and e["to"] == "kzr:view-president"]
    assert len(tenures) == 2
    person = view.get_node("kzr:view-person")
    assert isinstance(person["x"], float) and isinstance(person["y"], float) and person["label"] == "Test Person"
    assert json.loads(view.options.to_json())["physics"]["enabled"] is False
    view.toggle_physics(True)  # the pyvis way
    assert '"enabled": true' in view.generate_html().split('id="kzgraph-options"')[1].split("</script>")[0]


def test_page_inlines_pyvis_vis_network_as_shipped(small):
    from importlib.resources import files

    page = render(small)
    shipped = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    for name in ("vis-network.min.js", "vis-network.css"):
        text = (shipped / name).read_text(encoding="utf-8")
        assert text in page  # Jinja's include took it unchanged
        assert "</script" not in text.lower() and "</style" not in text.lower()
    assert not WEB_RESOURCE.search(page) and "bootstrap" not in page.lower()
