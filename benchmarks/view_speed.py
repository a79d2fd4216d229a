"""How soon the network page is drawn in headless Chromium, and how smoothly it pans.

For the bundled graph and for a synthetic one (kzgraph.synthetic, grown until its network
has ``--things`` things), the page is written as `kzgraph view` writes it, opened in Debian's
chromium (every request other than the file aborted) and timed from navigation start to the first
view drawn (the page's first view is set once vis-network has drawn, and drawn again). Then the
mouse drags the network across the window in 60 steps and the page records, while it pans, the
interval between animation frames and the time vis-network takes to draw each frame.

    python benchmarks/view_speed.py [--things 1000] [--seed 1] [--runs 3] [--checkout PATH]

``--checkout`` also times the ontology and data of another checkout of kzgraph (its ontology/kzgraph.ttl
and data/*.ttl), such as a branch where the national record has grown.

Results: benchmarks/results.md ("The network view in headless Chromium").
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
import kzgraph  # noqa: E402
from kzgraph import synthetic  # noqa: E402
from kzgraph.network import project  # noqa: E402
from kzgraph.resources import ONTOLOGY_FILE  # noqa: E402
from kzgraph.view import draw  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
#: Wraps vis-network's event emitter before the page makes its network, so that no event is missed.
PROBE = """<script>
(function () {
  var proto = vis.Network.prototype, emit = proto.emit;
  var state = window.__bench = {drawn: null, frames: [], draws: [], panning: false, started: null};
  proto.emit = function (name) {
    var now = performance.now();
    if (name === "beforeDrawing") state.started = now;
    if (name === "afterDrawing") {
      if (state.drawn === null && window.kzgraph && window.kzgraph.ready) state.drawn = now;
      if (state.panning && state.started !== null) state.draws.push(now - state.started);
    }
    return emit.apply(this, arguments);
  };
  function tick(now) { if (state.panning) state.frames.push(now); requestAnimationFrame(tick); }
  requestAnimationFrame(tick);
})();
</script>"""


def synthetic_graph(things: int, seed: int):
    """A synthetic graph (with the ontology) whose network has at least ``things`` things."""
    triples = things * 17
    while True:
        graph = synthetic.generate(triples, seed)
        for triple in kzgraph.load([ONTOLOGY_FILE], bundled=False):
            graph.add(triple)
        found = project(graph).number_of_nodes()
        if found >= things:
            return graph, triples
        triples = int(triples * things / found) + 100


def measure(browser, html: str, directory: Path, name: str) -> dict:
    """Open ``html`` (with the probe), wait for the first view, pan; the timings in milliseconds."""
    path = directory / f"{name}.html"
    path.write_text(html.replace("<body>", "<body>" + PROBE, 1), encoding="utf-8")
    url = path.resolve().as_uri()
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    tab.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    tab.goto(url, wait_until="commit")
    tab.wait_for_function("() => window.__bench && window.__bench.drawn !== null", timeout=60_000)
    box = tab.locator("#network").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.mouse.move(x, y)
    tab.mouse.down()
    tab.evaluate("window.__bench.panning = true")
    for step in range(60):
        tab.mouse.move(x - 5 * step, y - 3 * step)
        tab.wait_for_timeout(16)
    tab.evaluate("window.__bench.panning = false")
    tab.mouse.up()
    state = tab.evaluate("window.__bench")
    nodes = tab.evaluate("kzgraph.nodes.length")
    tab.close()
    frames = [b - a for a, b in zip(state["frames"], state["frames"][1:])]
    return {"drawn": state["drawn"], "nodes": nodes, "frame_median": statistics.median(frames),
            "frame_p95": sorted(frames)[int(0.95 * (len(frames) - 1))], "frame_max": max(frames),
            "draw_median": statistics.median(state["draws"]) if state["draws"] else float("nan"),
            "draw_max": max(state["draws"]) if state["draws"] else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--things", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkout", type=Path, help="also the ontology and data of this kzgraph checkout")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    graphs = {"bundled": (kzgraph.load(), None)}
    if args.checkout:
        files = [args.checkout / "ontology" / "kzgraph.ttl", *sorted((args.checkout / "data").glob("*.ttl"))]
        graphs[f"checkout {args.checkout}"] = (kzgraph.load(files, bundled=False), None)
    graph, triples = synthetic_graph(args.things, args.seed)
    graphs[f"synthetic ({triples:,} triples, seed {args.seed})"] = (graph, triples)
    pages = {}
    for name, (graph, _) in graphs.items():
        started = time.perf_counter()
        net = project(graph)
        html = draw(net).generate_html()
        pages[name] = (html, time.perf_counter() - started, net.number_of_nodes(), net.number_of_edges())

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        for name, (html, python, nodes, edges) in pages.items():
            runs = [measure(browser, html, Path(tmp), f"page{k}") for k in range(args.runs)]
            median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            print(f"{name}: {nodes:,} things, {edges:,} relations, page {len(html) / 1e6:.1f} MB, "
                  f"written in {python:.2f} s (projection, layout, labels)")
            each = ", ".join(f"{r['drawn'] / 1000:.2f}" for r in runs)
            print(f"  drawn at first view: {median['drawn'] / 1000:.2f} s after navigation start "
                  f"(median of {args.runs}; runs {each})")
            print(f"  panning: frame interval median {median['frame_median']:.1f} ms, p95 {median['frame_p95']:.1f} ms, "
                  f"max {median['frame_max']:.1f} ms; drawing a frame median {median['draw_median']:.1f} ms, "
                  f"max {median['draw_max']:.1f} ms")
        browser.close()


if __name__ == "__main__":
    main()
