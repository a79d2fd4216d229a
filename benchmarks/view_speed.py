"""How soon the network page is drawn and stable in headless Chromium: kzgraph's page vs pyvis' defaults.

One run builds a random graph with a few hubs (networkx's Barabási–Albert generator), writes
kzgraph's page and a page made by pyvis with its default options (``Network().from_nx``) for the
same graph, opens each in Debian's chromium (every request other than the file aborted) and times,
from navigation start, the moment the network is both drawn (``afterDrawing``) and stable
(vis-network's ``stabilized`` event; with physics off, as kzgraph's page has since it computes the
layout up front, a drawn network is stable). The bundled graph's page is timed the same way.

    python benchmarks/view_speed.py [--nodes 5000] [--cap 180] [--seed 1]

Measured 2026-11-25 on the 2-core development machine, shared with other jobs (load average ~5):

    nodes   kzgraph page   pyvis defaults                                      ratio
    5,000   1.45 s         > 180 s (cap; its 1,000 stabilization iterations    > 124×
                           were not even done)
    1,000   0.50 s         > 180 s (cap; stabilization iterations done 101 s)  > 363×
      100   0.31 s         2.98 s                                              9.6×
    bundled graph (53 things, 74 relations): 0.22 s
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
import kzgraph  # noqa: E402
from kzgraph.network import project  # noqa: E402
from kzgraph.view import draw  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CLASSES = ["Person", "PoliticalParty", "StateInstitution", "Office", "LegislativeElection", "Protest"]

#: Wraps vis-network's event emitter before any network exists, so that no event is missed.
PROBE = """<script>
(function () {
  var proto = vis.Network.prototype, emit = proto.emit;
  var state = window.__bench = {drawn: false, stable: false, iterationsDone: null, done: null};
  proto.emit = function (name) {
    var now = performance.now();
    if (name === "stabilizationIterationsDone" && state.iterationsDone === null) state.iterationsDone = now;
    if (name === "stabilized") {
      state.stable = true;
      if (state.drawn && state.done === null) state.done = now;  // already on screen: stable is the last step
    }
    if (name === "afterDrawing") {
      state.drawn = true;
      if (state.done === null && (state.stable || !this.physics.physicsEnabled)) state.done = now;
    }
    return emit.apply(this, arguments);
  };
})();
</script>"""


def random_network(nodes: int, seed: int) -> nx.MultiDiGraph:
    """A graph shaped like :func:`kzgraph.network.project`'s output: preferential attachment, so a few hubs."""
    rng = random.Random(seed)
    shape = nx.barabasi_albert_graph(nodes, 2, seed=seed)
    net = nx.MultiDiGraph()
    for n in shape:
        cls = rng.choice(CLASSES)
        net.add_node(f"n{n}", iri=f"https://w3id.org/kzgraph/id/thing-{n}", label=f"{cls} {n}", kinds=[cls],
                     alt_labels=[], wikidata=[], evidence=[], facts=[], assessments=[], claims=[], **{"class": cls})
    for u, v in shape.edges():
        net.add_edge(f"n{u}", f"n{v}", relation="relatedTo", label="related to", statement="", alt_labels=[],
                     evidence=[], claims=[], **{"class": ""})
    return net


def pyvis_page(net: nx.MultiDiGraph) -> str:
    """pyvis' page for the same graph, all options at their defaults (vis-network inlined)."""
    from pyvis.network import Network

    simple = nx.Graph()
    simple.add_nodes_from((n, {"label": a["label"]}) for n, a in net.nodes(data=True))
    simple.add_edges_from(net.edges())
    vis = Network(cdn_resources="in_line")
    vis.from_nx(simple)
    return vis.generate_html()


def time_page(browser, html: str, directory: Path, name: str, cap: float) -> dict:
    """Open ``html`` (with the probe) and wait until it is drawn and stable, at most ``cap`` seconds."""
    path = directory / f"{name}.html"
    path.write_text(html.replace("<body>", "<body>" + PROBE, 1), encoding="utf-8")
    url = path.resolve().as_uri()
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    tab.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    tab.goto(url, wait_until="commit")
    try:
        tab.wait_for_function("window.__bench && window.__bench.done !== null", timeout=cap * 1000, polling=100)
        capped = False
    except Exception as exc:  # playwright's TimeoutError
        if "Timeout" not in type(exc).__name__:
            raise
        capped = True
    state = tab.evaluate("window.__bench")
    tab.close()
    return {"capped": capped, **state}


def seconds(state: dict, cap: float) -> str:
    return f"> {cap:.0f} s (cap)" if state["capped"] else f"{state['done'] / 1000:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--cap", type=float, default=180.0, help="longest wait for pyvis' page, in seconds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    net = random_network(args.nodes, args.seed)
    started = time.perf_counter()
    ours = draw(net, f"random graph, {args.nodes} nodes").generate_html()
    rendered = time.perf_counter() - started
    started = time.perf_counter()
    theirs = pyvis_page(net)
    pyvis_rendered = time.perf_counter() - started
    bundled = draw(project(kzgraph.load())).generate_html()
    print(f"graph: {net.number_of_nodes():,} nodes, {net.number_of_edges():,} edges "
          f"(Barabási–Albert m=2, seed {args.seed})")
    print(f"writing the page in Python: kzgraph {rendered:.2f} s (layout included), pyvis {pyvis_rendered:.2f} s")

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        small = time_page(browser, bundled, Path(tmp), "bundled", args.cap)
        fast = time_page(browser, ours, Path(tmp), "kzgraph", args.cap)
        slow = time_page(browser, theirs, Path(tmp), "pyvis", args.cap)
        browser.close()

    print(f"bundled graph, kzgraph page: drawn and stable {seconds(small, args.cap)}")
    print(f"{args.nodes:,} nodes, kzgraph page: drawn and stable {seconds(fast, args.cap)}")
    first = f"{slow['iterationsDone'] / 1000:.2f} s" if slow["iterationsDone"] else "not yet"
    print(f"{args.nodes:,} nodes, pyvis defaults: drawn and stable {seconds(slow, args.cap)} "
          f"(stabilization iterations done: {first})")
    if fast["capped"]:
        print("ratio: kzgraph's page did not finish within the cap")
    else:
        bound = args.cap * 1000 if slow["capped"] else slow["done"]
        print(f"ratio pyvis / kzgraph: {'>' if slow['capped'] else ''} {bound / fast['done']:.1f}×")


if __name__ == "__main__":
    main()
