"""HTTP requests and time of kzgraph's commands on a remote store (``--store sparql:URL``).

    python benchmarks/remote_requests.py [--triples 100000] [--runs 3]

Starts an Oxigraph server (``oxigraph serve``), pushes the synthetic triples (kzgraph.synthetic, seed 0)
plus the ontology and bundled data into it with ``kzgraph push``, and puts a counting reverse proxy
(a thread of this script) in front of it. Then ``kzgraph --store sparql:PROXY view -o x.html`` and
``kzgraph --store sparql:PROXY stats`` run ``--runs`` times each, interleaved with the same commands
on the memory store (``--data F``) for a ratio; prints the requests and bytes each remote run made,
and rewrites a section of results.md.
"""
from __future__ import annotations

import http.client
import os
import sys
import tempfile
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import arguments, kzgraph, interleaved, machine, median, require, seconds, synthetic_file, write_section  # noqa: E402
from push_speed import oxigraph  # noqa: E402
from servers import stop  # noqa: E402

HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class Proxy(ThreadingHTTPServer):
    """Forwards every request to ``upstream`` and counts them (method and path) and their bytes."""

    daemon_threads = True

    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream).netloc
        self.requests: Counter = Counter()
        self.bytes = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Forward)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def reset(self) -> tuple[Counter, int]:
        with self.lock:
            seen, self.requests, sent, self.bytes = self.requests, Counter(), self.bytes, 0
        return seen, sent


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the counts are the report
        pass

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP and k.lower() != "host"}
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=600)
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        payload = answer.read()
        upstream.close()
        with self.server.lock:
            self.server.requests[f"{self.command} {self.path.split('?')[0]}"] += 1
            self.server.bytes += len(payload)
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


def main() -> None:
    parser = arguments(__doc__, triples=100_000)
    args = parser.parse_args()
    for command, needle in (("view", "--output"), ("stats", ""), ("push", "--endpoint")):
        require(command, needle)
    with tempfile.TemporaryDirectory(prefix="kzbench-remote-") as tmp:
        tmp = Path(tmp)
        os.environ["KZGRAPH_CACHE_DIR"] = str(tmp / "cache")
        data = synthetic_file(tmp, args.triples)
        server = oxigraph(tmp / "server")
        try:
            kzgraph("--data", str(data), "push", "--endpoint", server.endpoint, "--replace")
            held = server.count()
            print(f"the server holds {held:,} triples", flush=True)
            proxy = Proxy(server.endpoint)
            remote, memory = ["--store", f"sparql:{proxy.url}"], ["--data", str(data)]
            commands = {"view": ["view", "-o", str(tmp / "x.html")], "stats": ["stats"]}
            kzgraph(*memory, "load")  # the memory store's start-up cache, untimed
            seen: dict[str, list[tuple[Counter, int]]] = {name: [] for name in commands}

            def count(name):
                if name.endswith("remote"):
                    seen[name.split()[0]].append(proxy.reset())
            contenders = {}
            for name, argv in commands.items():
                contenders[f"{name} remote"] = lambda argv=argv: kzgraph(*remote, *argv)
                contenders[f"{name} memory"] = lambda argv=argv: kzgraph(*memory, *argv)
            times = interleaved(contenders, args.runs, before=lambda _name: proxy.reset(), after=count)
            proxy.shutdown()
        finally:
            stop(server.process)
    rows = ["| command | HTTP requests (per run) | by kind | bytes received | remote | memory store | remote / memory |",
            "|---|--:|---|--:|--:|--:|--:|"]
    for name in commands:
        counts = sorted({sum(c.values()) for c, _ in seen[name]})
        kinds = ", ".join(f"{k} × {n}" for k, n in seen[name][-1][0].most_common())
        remote_s, memory_s = median(times[f"{name} remote"]), median(times[f"{name} memory"])
        rows.append(f"| `kzgraph --store sparql:URL {' '.join(commands[name]).replace(str(tmp), '…')}` | "
                    f"{' / '.join(f'{c:,}' for c in counts)} | {kinds} | {seen[name][-1][1]:,} | {seconds(remote_s)} | "
                    f"{seconds(memory_s)} | {remote_s / memory_s:.2f}× |")
    print("\n".join(rows))
    if not args.no_write:
        write_section("Commands on a remote store: requests and time (after the stores refactor)", [
            *machine("oxigraph"), "",
            f"`python benchmarks/remote_requests.py --triples {args.triples} --runs {args.runs}`: an Oxigraph server "
            f"holding {held:,} triples ({args.triples:,} synthetic plus the ontology and bundled data, put there by "
            "`kzgraph push`), reached through a counting reverse proxy. Each command is a whole process, run "
            f"{args.runs} times alternating with the same command on the memory store (`--data F`, its cache filled "
            "first); medians. Requests are counted per run (all runs shown if they differ).", "", *rows])


if __name__ == "__main__":
    main()
