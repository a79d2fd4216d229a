"""Throughput and latency of `kzgraph serve` under the named-query mix.

Starts `kzgraph serve` on 127.0.0.1 (a free port), then CLIENTS threads each send the named queries
(round robin, each client starting elsewhere in the list) as SPARQL Protocol POSTs asking for JSON,
for SECONDS seconds; prints queries per second and latency percentiles, overall and per query.
Bounded in time; stops the server after. Usage:

    python benchmarks/server_load.py [--clients 16] [--seconds 20] [--workers 2] [--data DIR]
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from kzgraph.sparql import named_queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def start(workers: int, data: list[str]) -> tuple[subprocess.Popen, str]:
    src = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    extra = [arg for d in data for arg in ("--data", d)]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from kzgraph.cli import main; main()", *extra,
         "serve", "--port", "0", "--workers", str(workers)],
        stdout=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    if "serving" not in line:
        proc.kill()
        sys.exit(f"kzgraph serve did not start: {line}")
    print(line.strip())
    return proc, line.split(" at ")[1].split("/ ")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", action="append", default=[], help="extra dataset directory (repeatable)")
    args = parser.parse_args()

    mix = named_queries()
    proc, url = start(args.workers, args.data)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            i = offset
            while time.monotonic() < deadline:
                named = mix[i % len(mix)]
                i += 1
                started = time.perf_counter()
                response = http.post("/sparql", data={"query": named.text},
                                     headers={"Accept": "application/sparql-results+json"})
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code == 200:
                        latencies[named.name].append(elapsed)
                    else:
                        errors[f"{named.name} {response.status_code}"] += 1

    try:
        began = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - began
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)

    every = [t for times in latencies.values() for t in times]
    print(f"{args.clients} clients, {args.workers} workers, {wall:.1f} s, {os.cpu_count()} CPUs; "
          f"mix of {len(mix)} named queries: {', '.join(q.name for q in mix)}")
    print(f"{len(every)} answers, {sum(errors.values())} errors {dict(errors) or ''}")
    if not every:
        return
    print(f"throughput: {len(every) / wall:.1f} queries/s")
    print("latency ms: p50 {:.1f}  p90 {:.1f}  p99 {:.1f}  max {:.1f}".format(
        *(1000 * percentile(every, p) for p in (50, 90, 99)), 1000 * max(every)))
    width = max(len(name) for name in latencies)
    for name, times in sorted(latencies.items()):
        print(f"  {name.ljust(width)}  n={len(times):5d}  p50 {1000 * statistics.median(times):7.1f} ms"
              f"  p99 {1000 * percentile(times, 99):7.1f} ms")


if __name__ == "__main__":
    main()
