"""Query speed at scale: rdflib in memory vs kzgraph's oxigraph: store vs raw pyoxigraph.

    python benchmarks/queries.py [--sizes 10000 100000 1000000] [--runs 3] [--budget 60] [-o benchmarks/results.md]

For each size, a synthetic graph (benchmarks/synthetic.py, seed 0) plus the ontology and bundled
data is loaded by each engine in its own process, then every named query (src/kzgraph/queries, run
without parameters) and every heavier query of benchmarks/queries/ is run ``--runs`` times; the
median counts. rdflib's engine can take hours at a million triples, so each rdflib query runs in a
forked process that is killed after ``--budget`` seconds (reported as "> N s"; suite totals then
are lower bounds). Prints a table and writes it, with the machine's description, to results.md.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402
from rdflib import URIRef  # noqa: E402

import synthetic  # noqa: E402
from kzgraph.parsing import dataset_files  # noqa: E402
from kzgraph.namespaces import PREFIXES  # noqa: E402
from kzgraph.sparql import named_queries  # noqa: E402

ENGINES = ("rdflib", "kzgraph", "pyoxigraph")
SLOW = 5.0
_FORK = multiprocessing.get_context("fork")


@dataclass
class Run:
    """One engine on one size: load time, median seconds per query (None: over budget), rows, memory."""

    engine: str
    load: float = 0.0
    seconds: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    peak_mb: float = 0.0


def suite() -> dict[str, str]:
    """Query name → SPARQL text: the named queries, then the heavier ones kept beside this script."""
    queries = {q.name: q.text for q in named_queries()}
    queries.update({f"bench:{p.stem}": p.read_text(encoding="utf-8") for p in sorted((HERE / "queries").glob("*.rq"))})
    return queries


def peak_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


# -- the engines, each in its own process -------------------------------------------------------------
def _timed(run_query, runs: int) -> tuple[float, int]:
    """Median seconds of ``runs`` runs and the row count; a query slower than SLOW s runs once."""
    times, rows = [], 0
    while len(times) < runs and sum(times) < SLOW:
        started = time.perf_counter()
        rows = run_query()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def _engine(engine: str, files: list[Path], queries: dict, hub: str, runs: int, budget: float, workdir: Path,
            out) -> None:
    run = Run(engine)
    started = time.perf_counter()
    if engine == "rdflib":
        from rdflib import Graph

        graph = Graph()
        for file in files:
            graph.parse(file)
    elif engine == "kzgraph":
        import kzgraph
        from kzgraph.oxistore import load_store

        load_store(workdir / "kzgraph-store", files)
        graph = kzgraph.load(store=f"oxigraph:{workdir / 'kzgraph-store'}")
    else:
        store = ox.Store(str(workdir / "raw-store"))
        for file in files:
            store.bulk_load(path=str(file), format=ox.RdfFormat.from_extension(file.suffix[1:]))
        store.flush()
    run.load = time.perf_counter() - started
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for name, text in queries.items():
        params = _params(text, hub)
        if engine == "pyoxigraph":
            bound = {ox.Variable(k): ox.NamedNode(v) for k, v in params.items()}
            run.seconds[name], run.rows[name] = _timed(
                lambda: len(list(store.query(text, prefixes=prefixes, substitutions=bound))), runs)
        elif engine == "kzgraph":
            run.seconds[name], run.rows[name] = _timed(
                lambda: len(kzgraph.query(graph, text, params=params).bindings), runs)
        else:
            run.seconds[name], run.rows[name] = _budgeted(graph, text, params, runs, budget)
    run.peak_mb = peak_mb()
    out.send(run)


def _budgeted(graph, text: str, params: dict, runs: int, budget: float) -> tuple[float | None, int | None]:
    """rdflib's time for ``text`` in a forked child killed after ``budget`` s: (None, None) if it was."""
    import kzgraph

    receive, send = _FORK.Pipe(duplex=False)
    child = _FORK.Process(target=lambda: send.send(
        _timed(lambda: len(kzgraph.query(graph, text, params=params).bindings), runs)))
    child.start()
    answer = receive.recv() if receive.poll(budget + SLOW) else (None, None)
    child.kill()
    child.join()
    return answer


def measure(engine: str, files: list[Path], queries: dict, hub: str, runs: int, budget: float) -> Run:
    """Run one engine in a fresh forked process (so that its load and memory are its own)."""
    with tempfile.TemporaryDirectory(prefix=f"kzbench-{engine}-") as workdir:
        receive, send = _FORK.Pipe(duplex=False)
        child = _FORK.Process(target=_engine, args=(engine, files, queries, hub, runs, budget, Path(workdir), send))
        child.start()
        while not receive.poll(1):
            if not child.is_alive():
                raise RuntimeError(f"the {engine} process failed (exit code {child.exitcode})")
        run = receive.recv()
        child.join()
    return run


# -- reporting -------------------------------------------------------------------------------------------
def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    ram = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return [f"- CPU: {cpu}, {os.cpu_count()} cores (shared with other jobs during the run)",
            f"- RAM: {ram:.1f} GB; {platform.platform()}",
            f"- Python {platform.python_version()}; rdflib {version('rdflib')}, pyoxigraph {version('pyoxigraph')}",
            f"- run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]


def _s(seconds: float | None, budget: float) -> str:
    return f"> {budget:.0f} s" if seconds is None else f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(slow: float | None, fast: float | None, budget: float, floor: bool = False) -> str:
    if fast is None:
        return "–"
    if slow is None:
        return f"> {budget / max(fast, 1e-6):.0f}×"
    return f"{slow / max(fast, 1e-6):.{2 if floor else 0}f}×"


def table(size: int, triples: int, runs: dict[str, Run], budget: float) -> list[str]:
    rdflib, kz, raw = (runs[e] for e in ENGINES)
    lines = [f"### {size:,} triples (synthetic) + ontology and bundled data = {triples:,} triples", "",
             "| query | rows | rdflib | kzgraph oxigraph: | raw pyoxigraph | rdflib / kzgraph | kzgraph / raw |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    for name in kz.seconds:
        mismatch = {e: runs[e].rows[name] for e in ENGINES if runs[e].rows[name] not in (None, kz.rows[name])}
        rows = f"{kz.rows[name]:,}" + (f" (≠ {mismatch})" if mismatch else "")
        lines.append(f"| {name} | {rows} | {_s(rdflib.seconds[name], budget)} | {_s(kz.seconds[name], budget)} | "
                     f"{_s(raw.seconds[name], budget)} | {_ratio(rdflib.seconds[name], kz.seconds[name], budget)} | "
                     f"{_ratio(kz.seconds[name], raw.seconds[name], budget, floor=True)} |")
    over = sum(v is None for v in rdflib.seconds.values())
    total = {e: sum(budget if v is None else v for v in runs[e].seconds.values()) for e in ENGINES}
    at_least = "≥ " if over else ""
    lines.append(f"| **suite total** | | **{at_least}{_s(total['rdflib'], budget)}** | **{_s(total['kzgraph'], budget)}** "
                 f"| **{_s(total['pyoxigraph'], budget)}** | **{at_least}{total['rdflib'] / total['kzgraph']:.0f}×** "
                 f"| **{total['kzgraph'] / total['pyoxigraph']:.2f}×** |")
    lines += ["", "| engine | load | peak memory (RSS) |", "|---|--:|--:|"]
    lines += [f"| {e} | {runs[e].load:.1f} s | {runs[e].peak_mb:,.0f} MB |" for e in ENGINES]
    if over:
        lines += ["", f"{over} rdflib queries were stopped at the {budget:.0f} s budget; its total counts them as "
                      f"{budget:.0f} s each, so it and its ratio are lower bounds."]
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per query; the median counts")
    parser.add_argument("--budget", type=float, default=30, help="seconds allowed per rdflib query")
    parser.add_argument("--skip", action="append", default=[], metavar="NAME", help="leave this query out")
    parser.add_argument("-o", "--output", default=str(HERE / "results.md"))
    args = parser.parse_args()
    queries = {name: text for name, text in suite().items() if name not in args.skip}
    report = ["# Query benchmarks: rdflib vs kzgraph's oxigraph: store vs raw pyoxigraph", "",
              *machine(), "",
              f"Command: `python benchmarks/queries.py --sizes {' '.join(map(str, args.sizes))} --runs {args.runs} "
              f"--budget {args.budget:.0f}{''.join(f' --skip {n}' for n in args.skip)}`. {len(queries)} queries: the named queries of src/kzgraph/queries "
              "(no parameters, except ?thing = the most central actor wherever a query projects ?thing) and the "
              "heavier ones in benchmarks/queries/ (`bench:`). Median of "
              f"{args.runs} runs per query (one run when a run takes over {SLOW:.0f} s); each rdflib query runs "
              f"in a forked process killed after {args.budget:.0f} s. Load: rdflib parses the files; kzgraph runs `kzgraph load` "
              "(oxistore.load_store, which also hashes the files); raw pyoxigraph bulk-loads them. Peak memory is "
              "the engine process's maximum RSS (the Oxigraph stores live on disk, in RocksDB). "
              "The machine's 2 cores were shared with other jobs, so single figures are noisy.", ""]
    with tempfile.TemporaryDirectory(prefix="kzbench-") as tmp:
        for size in args.sizes:
            data = Path(tmp) / f"synthetic-{size}.nt"
            started = time.perf_counter()
            synthetic.write(data, size, seed=0)
            print(f"generated {data.name} in {time.perf_counter() - started:.1f} s", flush=True)
            files = dataset_files([data])
            hub, triples = _inspect(files)
            runs = {}
            for engine in ENGINES:
                runs[engine] = measure(engine, files, queries, hub, args.runs, args.budget)
                print(f"  {engine}: loaded in {runs[engine].load:.1f} s, queries took "
                      f"{sum(v or args.budget for v in runs[engine].seconds.values()):.1f} s", flush=True)
            section = table(size, triples, runs, args.budget)
            print("\n".join(section), flush=True)
            report += section
    Path(args.output).write_text("\n".join(report), encoding="utf-8")
    print(f"wrote {args.output}")


def _store(files: list[Path]) -> ox.Store:
    store = ox.Store()
    for file in files:
        store.bulk_load(path=str(file), format=ox.RdfFormat.from_extension(file.suffix[1:]))
    return store


def _params(text: str, hub: str) -> dict:
    """?thing = ``hub`` for a query about one thing (if it projects ?thing, as Oxigraph needs), else none."""
    try:
        ox.Store().query(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()},
                         substitutions={ox.Variable("thing"): ox.NamedNode(hub)})
    except RuntimeError:  # no ?thing in its projection
        return {}
    return {"thing": URIRef(hub)} if "?thing" in text else {}


def _inspect(files: list[Path]) -> tuple[str, int]:
    """The most central actor (?thing for queries about one thing) and the triple count.

    Worked out in a forked process, so that the engines' processes, forked from this one later,
    do not inherit (and count in their peak memory) a graph loaded here.
    """
    text = "SELECT ?hub WHERE { ?s kz:participant|kz:holder|kz:contestant ?hub } GROUP BY ?hub ORDER BY DESC(COUNT(?s)) ?hub LIMIT 1"

    def work(out):
        store = _store(files)
        out.send((next(iter(store.query(text, prefixes={"kz": str(PREFIXES["kz"])})))["hub"].value, len(store)))

    receive, send = _FORK.Pipe(duplex=False)
    child = _FORK.Process(target=work, args=(send,))
    child.start()
    answer = receive.recv()
    child.join()
    return answer


if __name__ == "__main__":
    main()
