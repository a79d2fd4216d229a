"""Speed and size of the linked-data site: `kzgraph publish`, and `kzgraph serve`'s IRIs and pages.

Publishes the bundled graph (or --data DIR besides it) into a temporary folder and prints the time,
the number of files and their size; then starts `kzgraph serve` on a free port and prints the mean
latency of a 303, a thing's page (first and cached), its Turtle, a 404 with suggestions and /void.
Usage:

    python benchmarks/linked_speed.py [--data DIR] [--repeat 100]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    data = [x for d in args.data for x in ("--data", d)]
    kzgraph = [sys.executable, "-m", "kzgraph", *data]

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([*kzgraph, "publish", "-o", out], check=True, stdout=subprocess.DEVNULL)
        files = [p for p in Path(out).rglob("*") if p.is_file()]
        print(f"publish: {time.perf_counter() - start:.1f} s, {len(files):,} files, "
              f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB")

    server = subprocess.Popen([*kzgraph, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().split(" at ")[1].split("/ ")[0]
        with httpx.Client(base_url=base, timeout=60) as client:
            def mean_ms(path: str, n: int, **headers) -> str:
                start = time.perf_counter()
                for _ in range(n):
                    status = client.get(path, headers=headers).status_code
                return f"{(time.perf_counter() - start) / n * 1000:.1f} ms ({status})"

            print("serve: 303 /id/ak-zhol, first   ", mean_ms("/id/ak-zhol", 1, accept="text/turtle"))
            print(f"serve: 303 /id/ak-zhol, mean of {args.repeat}", mean_ms("/id/ak-zhol", args.repeat, accept="text/turtle"))
            print("serve: /id/ak-zhol.html, first  ", mean_ms("/id/ak-zhol.html", 1))
            print(f"serve: /id/ak-zhol.html, mean of {args.repeat}", mean_ms("/id/ak-zhol.html", args.repeat))
            print("serve: /id/kassym-jomart-tokayev.ttl, first", mean_ms("/id/kassym-jomart-tokayev.ttl", 1))
            print("serve: 404 /id/tokaev, mean of 20", mean_ms("/id/tokaev", 20))
            print("serve: /void, first             ", mean_ms("/void", 1, accept="text/turtle"))
            print("serve: /void, mean of 10        ", mean_ms("/void", 10, accept="text/turtle"))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
