"""Start-up cost of ``kzgraph query --name NAME`` as a whole process, against ``python -c "import rdflib"``.

    python benchmarks/startup.py [--runs 21] [--name class-counts]

Both commands run ``--runs`` times, interleaved (after one warm-up run each, which also fills the
start-up cache); prints the medians and their ratio (target: ≤ 1.0), lists any heavy module
(networkx, pyvis, pyshacl, owlrl, oxrdflib, rdflib's SPARQL engine) that the query imported, and
rewrites the section "Start-up" of results.md.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import KZGRAPH, interleaved, machine, median, require, write_section  # noqa: E402

HEAVY = ("networkx", "pyvis", "pyshacl", "owlrl", "oxrdflib", "rdflib.plugins.sparql")
TARGET = 1.0


def heavy_imports(argv: list[str], env: dict) -> list[str]:
    trace = subprocess.run([sys.executable, "-X", "importtime", *argv], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in trace.splitlines() if line.startswith("import time:")}
    return sorted(m for m in modules if m.startswith(HEAVY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--name", default="class-counts", help="the named query to run")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    args = parser.parse_args()
    require("query", "--name")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, KZGRAPH_CACHE_DIR=cache)
        commands = {"python -c 'import rdflib'": [sys.executable, "-c", "import rdflib"],
                    f"kzgraph query --name {args.name}": [*KZGRAPH, "query", "--name", args.name]}

        def run(argv):
            return lambda: subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        for argv in commands.values():
            run(argv)()  # warm-up (and cache fill)
        times = interleaved({label: run(argv) for label, argv in commands.items()}, args.runs)
        heavy = heavy_imports(commands[f"kzgraph query --name {args.name}"], env)
    baseline, measured = (median(times[label]) for label in commands)
    ratio = measured / baseline
    out = [f"{label:<34}{median(times[label]) * 1000:7.1f} ms (median of {args.runs})" for label in commands]
    out += [f"{'ratio':<34}{ratio:7.2f}  (target ≤ {TARGET})", f"heavy modules imported: {', '.join(heavy) or 'none'}"]
    print("\n".join(out))
    if not args.no_write:
        write_section("Start-up of `kzgraph query` (memory store, bundled data; after the stores refactor)", [
            *machine(), "",
            f"`python benchmarks/startup.py --runs {args.runs} --name {args.name}`: whole processes "
            f"(the installed `kzgraph` script), the two commands alternating, median of {args.runs} each, after a warm-up "
            f"run that fills the start-up cache. **Ratio {ratio:.2f}** (target ≤ {TARGET}: "
            f"{'met' if ratio <= TARGET else 'not met'}).", "", "```", *out, "```"])


if __name__ == "__main__":
    main()
