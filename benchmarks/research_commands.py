"""How long the researcher commands take (API level, graph already loaded) as the graph grows.

    PYTHONPATH=src python benchmarks/research_commands.py --sizes 2000 20000 50000

Each size is the bundled data plus synthetic triples (kzgraph.synthetic); prints one line
per operation: seconds (best of --repeat) and the size of the projected network.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import kzgraph  # noqa: E402
from kzgraph import analyse, research  # noqa: E402
from kzgraph.lookup import resolve  # noqa: E402
from kzgraph.network import project  # noqa: E402
from kzgraph.synthetic import generate  # noqa: E402


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for size in args.sizes:
        graph = kzgraph.load()
        for triple in generate(size):
            graph.add(triple)
        net = project(graph)
        print(f"{len(graph):,} triples, network {net.number_of_nodes():,} nodes / {net.number_of_edges():,} links")
        # the first look-up reads the label index, the others reuse it (kzgraph.lookup keeps it per graph)
        print(f"  {'resolve, first (reads the label index)':38} {best(1, lambda: resolve(graph, 'Токаев')):8.3f} s")
        runs = {
            "resolve 'Токаев' (index kept)": lambda: resolve(graph, "Токаев"),
            "who-held President --on 2019": lambda: research.who_held(graph, "kzr:president-of-kazakhstan", "2019"),
            "timeline 2019-03-19..2021-01-10": lambda: research.timeline(graph, "2019-03-19", "2021-01-10"),
            "show Tokayev": lambda: research.show(graph, "kzr:kassym-jomart-tokayev"),
            "project (network)": lambda: project(graph),
            "central actors (degree, betweenness)": lambda: analyse.central_actors(graph, net),
            "path Tokayev - Nur Otan": lambda: analyse.shortest_path(graph, "kzr:kassym-jomart-tokayev",
                                                                     "kzr:nur-otan", net=net),
        }
        for name, run in runs.items():
            print(f"  {name:38} {best(args.repeat, run):8.3f} s")


if __name__ == "__main__":
    main()
