"""Start-up cost of ``kzgraph query --name NAME`` as a whole process, against ``python -c "import rdflib"``.

    python benchmarks/startup.py [--runs 15] [--name class-counts]

Runs each command ``--runs`` times (after one warm-up run that also fills the start-up cache),
prints the medians and their ratio (target: ≤ 1.5), and lists any heavy module (networkx, pyvis,
pyshacl, owlrl, oxrdflib, rdflib's SPARQL engine) that the query imported.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("networkx", "pyvis", "pyshacl", "owlrl", "oxrdflib", "rdflib.plugins.sparql")
KZGRAPH = "import sys; from kzgraph.cli import main; sys.argv[0] = 'kzgraph'; main()"


def median_seconds(argv: list[str], runs: int, env: dict) -> float:
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)  # warm-up (and cache fill)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def heavy_imports(argv: list[str], env: dict) -> list[str]:
    trace = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in trace.splitlines() if line.startswith("import time:")}
    return sorted(m for m in modules if m.startswith(HEAVY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--name", default="class-counts", help="the named query to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, PYTHONPATH=str(SRC), KZGRAPH_CACHE_DIR=cache)
        query = [sys.executable, "-c", KZGRAPH, "query", "--name", args.name]
        baseline = median_seconds([sys.executable, "-c", "import rdflib"], args.runs, env)
        measured = median_seconds(query, args.runs, env)
        heavy = heavy_imports(query, env)
    print(f"python -c 'import rdflib'        {baseline * 1000:7.1f} ms (median of {args.runs})")
    print(f"kzgraph query --name {args.name:<12}{measured * 1000:7.1f} ms (median of {args.runs})")
    print(f"ratio                            {measured / baseline:7.2f}  (target ≤ 1.5)")
    print(f"heavy modules imported: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
