"""Query speed at scale: kzgraph's memory and oxigraph: stores against raw pyoxigraph (and rdflib).

    python benchmarks/queries.py [--sizes 10000 100000 1000000] [--runs 5] [--rdflib-max 100000] [--budget 30]

For each size, a synthetic graph (kzgraph.synthetic, seed 0) plus the ontology and bundled data is
loaded by each engine in a process of its own, all alive at once:

- kzgraph memory: ``kzgraph.stores.open_store("memory", data)`` after ``kzgraph --data F load`` filled the start-up cache;
- kzgraph disk: ``kzgraph load --store oxigraph:PATH``, then ``kzgraph.stores.open_store("oxigraph:PATH")``;
- raw memory / raw disk: pyoxigraph's ``Store().bulk_load`` / ``Store(PATH).bulk_load`` of the same files;
- rdflib (only up to ``--rdflib-max`` triples): the files parsed by rdflib, each query in a forked child
  killed after ``--budget`` seconds.

Every query (the named ones through ``kzgraph.sparql.query(graph, name=…)``, the heavier ones of
benchmarks/queries/ by text; raw pyoxigraph with the same text and substitutions) is then run ``--runs``
times, the engines interleaved (each query on every engine back to back, in an order that rotates),
and the medians compared as ratios kzgraph / raw. A query answered in under 50 ms is timed per call over
repeated calls filling about 50 ms, as timeit does. The section "Query suite" of results.md is rewritten.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402
from rdflib import URIRef  # noqa: E402

from common import fail, kzgraph, machine, median, seconds, synthetic_file, timed, write_section  # noqa: E402
from kzgraph.namespaces import PREFIXES  # noqa: E402
from kzgraph.sparql import named_queries  # noqa: E402

try:
    from kzgraph.resources import dataset_files
except ImportError:  # pragma: no cover - the stores refactor may move it
    fail("kzgraph.resources.dataset_files is gone: say here where the files of a dataset now come from")

ENGINES = ("kzgraph memory", "raw memory", "kzgraph disk", "raw disk", "rdflib")
PAIRS = (("kzgraph memory", "raw memory"), ("kzgraph disk", "raw disk"))
TARGET_TOTAL, TARGET_EACH = 1.1, 1.5
_FORK = multiprocessing.get_context("fork")
PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


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


# -- the engines: each a process that loads once, then answers "run query NAME" -------------------------
def _opened(engine: str, files: list[Path], data: Path, workdir: Path):
    """The engine's graph or store, and a function running one query on it → row count."""
    if engine.startswith("kzgraph"):
        from kzgraph.sparql import query
        from kzgraph.stores import open_store

        store = open_store("memory", [data]) if engine == "kzgraph memory" else open_store(
            f"oxigraph:{workdir / 'kzgraph-store'}")
        query(store, "ASK {}")

        def run(name, text, params):
            named = {"name": name} if not name.startswith("bench:") else {"sparql": text}
            answer = query(store, params=params, **named)
            return {"SELECT": lambda: len(answer.rows), "ASK": lambda: 1}.get(answer.form, lambda: len(answer.triples))()
        return run
    if engine.startswith("raw"):
        store = _bulk_loaded(ox.Store() if engine == "raw memory" else ox.Store(str(workdir / "raw-store")), files)
        if engine == "raw disk":  # closed and opened read-only, as `kzgraph load` leaves a store and commands open it
            store.flush()
            del store
            store = ox.Store.read_only(str(workdir / "raw-store"))

        def run(name, text, params):
            bound = {ox.Variable(k): ox.NamedNode(v) for k, v in params.items()}
            answer = store.query(text, prefixes=PREFIX_MAP, substitutions=bound)
            return 1 if isinstance(answer, ox.QueryBoolean) else len(list(answer))  # rows or triples
        return run
    from rdflib import Graph

    from kzgraph.sparql import query

    graph = Graph()
    for file in files:
        graph.parse(file)
    return lambda name, text, params: (lambda a: len(a.rows) if a.form == "SELECT" else 1)(
        query(graph, text, params=params))


def _engine(engine: str, files: list[Path], data: Path, queries: dict, hub: str, budget: float, workdir: Path,
            conn) -> None:
    started = time.perf_counter()
    run = _opened(engine, files, data, workdir)
    conn.send(time.perf_counter() - started)
    while (name := conn.recv()) is not None:
        text = queries[name]
        params = _params(text, hub)
        if engine == "rdflib":
            conn.send(_budgeted(lambda: run(name, text, params), budget))
        else:
            rows = []
            conn.send((per_call(lambda: rows.append(run(name, text, params))), rows[0]))
    conn.send(peak_mb())


#: a query faster than this is timed over repeated calls (timeit's way): one sub-millisecond call is mostly noise
REPEAT_UNDER = 0.05


def per_call(run) -> float:
    """Seconds of one ``run()``: the first call's, or if that took under :data:`REPEAT_UNDER`, the mean of
    as many further calls as fill about :data:`REPEAT_UNDER` seconds."""
    first = timed(run)
    if first >= REPEAT_UNDER:
        return first
    calls = max(1, min(10_000, int(REPEAT_UNDER / max(first, 1e-6))))
    return timed(lambda: [run() for _ in range(calls)]) / calls


def _budgeted(work, budget: float) -> tuple[float | None, int | None]:
    """``work``'s seconds and rows, run in a forked child killed after ``budget`` s: (None, None) if it was."""
    receive, send = _FORK.Pipe(duplex=False)

    def child_work():
        rows = []
        send.send((timed(lambda: rows.append(work())), rows[0]))

    child = _FORK.Process(target=child_work)
    child.start()
    answer = receive.recv() if receive.poll(budget) else (None, None)
    child.kill()
    child.join()
    return answer


class Engine:
    """A running engine process."""

    def __init__(self, name: str, *args):
        self.name = name
        self.conn, theirs = _FORK.Pipe()
        self.process = _FORK.Process(target=_engine, args=(name, *args, theirs))
        self.process.start()
        self.load = self._answer()

    def _answer(self):
        while not self.conn.poll(1):
            if not self.process.is_alive():
                fail(f"the {self.name} process failed (exit code {self.process.exitcode})")
        return self.conn.recv()

    def ask(self, name: str):
        self.conn.send(name)
        return self._answer()

    def close(self) -> float:
        self.conn.send(None)
        peak = self._answer()
        self.process.join()
        return peak


def _bulk_loaded(store: ox.Store, files: list[Path]) -> ox.Store:
    for file in files:
        store.bulk_load(path=str(file), format=ox.RdfFormat.from_extension(file.suffix[1:]))
    return store


def _params(text: str, hub: str) -> dict:
    """?thing = ``hub`` for a query about one thing (if it projects ?thing, as Oxigraph needs), else none."""
    try:
        ox.Store().query(text, prefixes=PREFIX_MAP, substitutions={ox.Variable("thing"): ox.NamedNode(hub)})
    except RuntimeError:  # no ?thing in its projection
        return {}
    return {"thing": URIRef(hub)} if "?thing" in text else {}


def _inspect(files: list[Path]) -> tuple[str, int]:
    """The most central actor (?thing for queries about one thing) and the triple count.

    Worked out in a forked process, so that the engines, forked from this one later, do not inherit
    (and count in their peak memory) a graph loaded here.
    """
    text = "SELECT ?hub WHERE { ?s kz:participant|kz:holder|kz:contestant ?hub } GROUP BY ?hub ORDER BY DESC(COUNT(?s)) ?hub LIMIT 1"

    def work(out):
        store = _bulk_loaded(ox.Store(), files)
        out.send((next(iter(store.query(text, prefixes=PREFIX_MAP)))["hub"].value, len(store)))

    receive, send = _FORK.Pipe(duplex=False)
    child = _FORK.Process(target=work, args=(send,))
    child.start()
    answer = receive.recv()
    child.join()
    return answer


# -- one size --------------------------------------------------------------------------------------------
def measure(size: int, tmp: Path, queries: dict, args) -> list[str]:
    data = synthetic_file(tmp, size)
    files = dataset_files([data])
    hub, triples = _inspect(files)
    workdir = tmp / f"stores-{size}"
    workdir.mkdir()
    loads = {"kzgraph memory": timed(lambda: kzgraph("--data", str(data), "load")),
             "kzgraph disk": timed(lambda: kzgraph("--data", str(data), "load", "--store",
                                                   f"oxigraph:{workdir / 'kzgraph-store'}"))}
    names = [e for e in ENGINES if e != "rdflib" or size <= args.rdflib_max]
    engines = {}
    for name in names:
        engines[name] = Engine(name, files, data, queries, hub, args.budget, workdir)
        print(f"  {name}: ready in {engines[name].load:.1f} s", flush=True)
    times = {e: {q: [] for q in queries} for e in names}
    rows = {e: {} for e in names}
    for r in range(args.runs):
        for i, query in enumerate(queries):
            shift = (r + i) % len(names)
            for name in names[shift:] + names[:shift]:
                if name == "rdflib" and times[name][query] and times[name][query][-1] is None:
                    continue  # over budget once: not again
                took, rows[name][query] = engines[name].ask(query)
                times[name][query].append(took)
        print(f"  round {r + 1} of {args.runs} done", flush=True)
    peaks = {name: engine.close() for name, engine in engines.items()}
    med = {e: {q: (None if None in ts else median(ts)) for q, ts in times[e].items()} for e in names}
    return table(size, triples, names, med, rows, loads, {e: engines[e].load for e in names}, peaks, args)


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a / max(b, 1e-7)


def table(size, triples, names, med, rows, loads, ready, peaks, args) -> list[str]:
    rdflib = "rdflib" in names
    head = "| query | rows | kzgraph memory | raw memory | ratio | kzgraph disk | raw disk | ratio |"
    lines = [f"### {size:,} synthetic triples + ontology and bundled data = {triples:,} triples", "",
             head + (" rdflib | rdflib / kzgraph memory |" if rdflib else ""),
             "|---|--:|--:|--:|--:|--:|--:|--:|" + ("--:|--:|" if rdflib else "")]
    over = {pair: [] for pair in PAIRS}
    for q in med["kzgraph memory"]:
        differ = {e: rows[e][q] for e in names if rows[e].get(q) not in (None, rows["kzgraph memory"][q])}
        cells = [q, f"{rows['kzgraph memory'][q]:,}" + (f" (≠ {differ})" if differ else "")]
        for pair in PAIRS:
            ratio = _ratio(med[pair[0]][q], med[pair[1]][q])
            if ratio > TARGET_EACH:
                over[pair].append(q)
            cells += [seconds(med[pair[0]][q]), seconds(med[pair[1]][q]),
                      f"**{ratio:.2f}×**" if ratio > TARGET_EACH else f"{ratio:.2f}×"]
        if rdflib:
            r = med["rdflib"][q]
            cells += [f"> {args.budget:.0f} s" if r is None else seconds(r),
                      f"> {args.budget / med['kzgraph memory'][q]:.0f}×" if r is None
                      else f"{r / med['kzgraph memory'][q]:.0f}×"]
        lines.append("| " + " | ".join(cells) + " |")
    total = {e: sum(args.budget if v is None else v for v in med[e].values()) for e in names}
    cells = ["**suite total**", ""]
    for a, b in PAIRS:
        cells += [f"**{seconds(total[a])}**", f"**{seconds(total[b])}**", f"**{total[a] / total[b]:.2f}×**"]
    if rdflib:
        at_least = "≥ " if None in med["rdflib"].values() else ""
        cells += [f"**{at_least}{seconds(total['rdflib'])}**", f"**{at_least}{total['rdflib'] / total['kzgraph memory']:.0f}×**"]
    lines += ["| " + " | ".join(cells) + " |", ""]
    for a, b in PAIRS:
        verdict = "met" if total[a] / total[b] <= TARGET_TOTAL and not over[(a, b)] else "not met"
        lines.append(f"- {a} / {b}: {total[a] / total[b]:.2f}× on the total (target ≤ {TARGET_TOTAL}×), "
                     f"{len(over[(a, b)])} queries over {TARGET_EACH}× ({', '.join(over[(a, b)]) or 'none'}): {verdict}")
    lines += ["", "| engine | load (`kzgraph load`, timed from outside) | start-up of the engine process | peak RSS |",
              "|---|--:|--:|--:|"]
    lines += [f"| {e} | {seconds(loads[e]) if e in loads else '–'} | {seconds(ready[e])} | {peaks[e]:,.0f} MB |"
              for e in names]
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5, help="runs per query and engine; the median counts")
    parser.add_argument("--rdflib-max", type=int, default=100_000,
                        help="leave rdflib's engine out above this many synthetic triples (hours at 1M)")
    parser.add_argument("--budget", type=float, default=30, help="seconds allowed per rdflib query")
    parser.add_argument("--skip", action="append", default=[], metavar="NAME", help="leave this query out")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    args = parser.parse_args()
    queries = {name: text for name, text in suite().items() if name not in args.skip}
    command = (f"python benchmarks/queries.py --sizes {' '.join(map(str, args.sizes))} --runs {args.runs} "
               f"--rdflib-max {args.rdflib_max} --budget {args.budget:g}" + "".join(f" --skip {n}" for n in args.skip))
    sections = []
    with tempfile.TemporaryDirectory(prefix="kzbench-") as tmp:
        os.environ["KZGRAPH_CACHE_DIR"] = str(Path(tmp) / "cache")  # the engines and `kzgraph load` share it
        for size in args.sizes:
            section = measure(size, Path(tmp), queries, args)
            print("\n".join(section), flush=True)
            sections += section
    if not args.no_write:
        write_section("Query suite: kzgraph's stores against raw pyoxigraph (after the stores refactor)", [
            *machine(), "", f"`{command}`", "",
            f"{len(queries)} queries: the named queries (no parameters, except ?thing = the most central actor "
            "where a query projects ?thing) and the heavier ones of benchmarks/queries/ (`bench:`). All engines "
            f"are loaded at once, in processes of their own; each query runs on every engine back to back ({args.runs} "
            "rounds, the order rotating), and each cell is the median. Ratios are kzgraph / raw pyoxigraph with "
            f"the same text and substitutions (targets: ≤ {TARGET_TOTAL}× on the total, ≤ {TARGET_EACH}× on every "
            "query; bold: over). A query answered in under 50 ms is timed per call, over repeated calls filling "
            "about 50 ms (as timeit does): one call of a sub-millisecond query is mostly noise. Start-up is the engine process opening its graph and answering "
            "`ASK {}` (the memory store reads its cache, made by `kzgraph load`, and makes its Oxigraph copy); "
            "raw pyoxigraph's is its whole bulk load.", "", *sections])


if __name__ == "__main__":
    main()
