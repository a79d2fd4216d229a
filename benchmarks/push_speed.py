"""Loading a real SPARQL server: ``kzgraph push`` (and ``kzgraph load --store sparql:``) against curl.

    python benchmarks/push_speed.py [--triples 1000000] [--runs 3] [--virtuoso]

Starts a server of its own, Oxigraph (``oxigraph serve``, from PyPI) or with ``--virtuoso`` Debian's
virtuoso-t, in a temporary directory, and loads into the named graph GRAPH_IRI, alternating:

- ``kzgraph --data F push --endpoint URL --replace`` (the synthetic file F plus the ontology and bundled data);
- ``kzgraph --data F load --store sparql:URL``, if this kzgraph's ``load`` takes a sparql: store;
- a plain Graph Store Protocol upload of F with curl (``PUT …?graph=IRI``).

The graph is dropped (untimed) before each load and counted after it; the figure is kzgraph's
throughput (triples held / seconds) over curl's (target ≥ 0.8×). kzgraph's start-up cache is filled
first, so its runs read the cache as a second run would. Rewrites a section of results.md.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (KZGRAPH, arguments, fail, interleaved, kzgraph, machine, median, offers, seconds, synthetic_file,  # noqa: E402
                    which, write_section)
from kzgraph.namespaces import GRAPH_IRI  # noqa: E402
from servers import start_oxigraph, stop, virtuoso_server  # noqa: E402

TARGET = 0.8
CURL = "curl PUT (Graph Store Protocol)"
#: seconds curl waits for an answer: Virtuoso has deadlocked inside one 1M-triple PUT and never answered
CURL_TIMEOUT = 600


@dataclass
class Server:
    """A running store: where kzgraph and curl send the graph, and how to count and drop it."""

    name: str
    endpoint: str  # for kzgraph push / sparql:
    query: str  # SPARQL query endpoint
    gsp: str  # the Graph Store Protocol URL of GRAPH_IRI
    curl_auth: tuple[str, ...]

    def curl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["curl", "-sS", "--fail-with-body", "--max-time", str(CURL_TIMEOUT), *self.curl_auth, *args],
                              capture_output=True, text=True)

    def drop(self) -> None:
        self.curl("-X", "DELETE", self.gsp)  # 404 when there is no such graph yet: fine

    def count(self) -> int:
        answer = httpx.get(self.query, params={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH_IRI}> {{ ?s ?p ?o }} }}"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=600)
        answer.raise_for_status()
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@contextmanager
def oxigraph(tmp: Path):
    which("oxigraph", "pip install oxigraph")
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        proc, url = start_oxigraph(tmp / "oxigraph")
    except AssertionError as exc:
        fail(str(exc).splitlines()[0])
    try:
        yield Server("Oxigraph", url, f"{url}/query", f"{url}/store?graph={GRAPH_IRI}", ())
    finally:
        stop(proc)


@contextmanager
def virtuoso(tmp: Path):
    """Virtuoso as the tests start it (tests/servers.py), loaded by the Graph Store Protocol with digest."""
    try:
        with virtuoso_server(tmp) as (url, _sql_port):
            host = url.removeprefix("http://")
            yield Server("Virtuoso", f"http://dba:dba@{host}/sparql;store=http://dba:dba@{host}/sparql-graph-crud-auth",
                         f"{url}/sparql", f"{url}/sparql-graph-crud-auth?graph-uri={GRAPH_IRI}",
                         ("--digest", "-u", "dba:dba"))
    except AssertionError as exc:
        fail(str(exc).splitlines()[0])


def main() -> None:
    parser = arguments(__doc__, triples=1_000_000)
    parser.add_argument("--virtuoso", action="store_true", help="Virtuoso instead of Oxigraph")
    args = parser.parse_args()
    which("curl", "apt-get install curl")
    if not offers("push", "--replace"):
        fail("this kzgraph has no `kzgraph push --replace`")
    with tempfile.TemporaryDirectory(prefix="kzbench-push-") as tmp:
        tmp = Path(tmp)
        os.environ["KZGRAPH_CACHE_DIR"] = str(tmp / "cache")
        data = synthetic_file(tmp, args.triples)
        kzgraph("--data", str(data), "load")  # fill the start-up cache, untimed
        with (virtuoso if args.virtuoso else oxigraph)(tmp / "server") as server:
            rows = measure(server, data, args)
    curl = rows.pop(CURL)
    out = [f"{CURL:<44}{seconds(curl[0]):>9}  {curl[1]:>10,} triples  {curl[1] / curl[0]:>9,.0f} triples/s"]
    ratios = []
    for name, row in rows.items():
        if isinstance(row, str):
            out.append(f"{name:<44}failed: {row}")
            continue
        ratio = (row[1] / row[0]) / (curl[1] / curl[0])
        rounds = ", ".join(f"{(row[1] / mine) / (curl[1] / theirs):.2f}×" for mine, theirs in zip(row[2], curl[2]))
        ratios.append(f"{name}: **{ratio:.2f}×** (round by round {rounds})")
        out.append(f"{name:<44}{seconds(row[0]):>9}  {row[1]:>10,} triples  {row[1] / row[0]:>9,.0f} triples/s  "
                   f"{ratio:.2f}× curl's throughput")
    print("\n".join(out))
    if not args.no_write:
        option = " --virtuoso" if args.virtuoso else ""
        write_section(f"Loading a real {server.name} server (after the stores refactor)", [
            *machine("oxigraph"), "",
            f"`python benchmarks/push_speed.py --triples {args.triples} --runs {args.runs}{option}`: the server "
            f"started by the script; medians of {args.runs} loads each, alternating, the named graph dropped "
            "(untimed) before each and counted after. Throughput is the triples the graph then holds over the "
            f"seconds of the whole command; kzgraph's start-up cache was filled first. Ratios (target ≥ {TARGET}×): "
            + ("; ".join(ratios) or "none") + ".", "", "```", *out, "```"])


def measure(server: Server, data: Path, args) -> dict[str, tuple[float, int, list[float]] | str]:
    """Median seconds, triples held and each round's seconds for each way of loading, or why one failed."""
    ways = {"kzgraph push --replace": [*KZGRAPH, "--data", str(data), "push", "--endpoint", server.endpoint, "--replace"]}
    if offers("load", "sparql:"):
        ways["kzgraph load --store sparql:URL"] = [*KZGRAPH, "--data", str(data), "load", "--store",
                                                   f"sparql:{server.endpoint}"]
    else:
        print("(this kzgraph's `load` takes no sparql: store: left out)")
    ways[CURL] = ["curl", "-sS", "--fail-with-body", "--max-time", str(CURL_TIMEOUT), *server.curl_auth, "-X", "PUT",
                  "-H", "Content-Type: application/n-triples", "--data-binary", f"@{data}", server.gsp]

    def run(argv):
        def command():
            done = subprocess.run(argv, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(" ".join((done.stderr or done.stdout).split())[-300:])
        return command
    held: dict[str, int] = {}
    failed: dict[str, str] = {}
    times = interleaved({name: run(argv) for name, argv in ways.items()}, args.runs, failed=failed,
                        before=lambda _name: server.drop(), after=lambda name: held.update({name: server.count()}))
    if CURL in failed:
        fail(f"the plain upload failed, so there is nothing to compare with: {failed[CURL]}")
    return {name: failed.get(name) or (median(times[name]), held[name], times[name]) for name in ways}


if __name__ == "__main__":
    main()
