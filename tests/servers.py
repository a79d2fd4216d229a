"""Starting and stopping real servers for tests: `kzgraph serve` and the Oxigraph server from PyPI."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

import kzgraph


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_kzgraph(*args: str, data: tuple = (), store: str | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``kzgraph [--data D…] [--store S] serve --port 0 ARGS`` in a subprocess; return it and its base URL."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(kzgraph.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from kzgraph.cli import main; main()",
         *(arg for path in data for arg in ("--data", str(path))), *(("--store", store) if store else ()),
         "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    first = proc.stdout.readline()
    if "serving" not in first:
        proc.kill()
        raise AssertionError(f"kzgraph serve did not start: {first}{proc.stderr.read()}")
    return proc, first.split(" at ")[1].split("/ ")[0]


def stop_kzgraph(proc: subprocess.Popen) -> None:
    """Ctrl-C the server and assert that it stopped cleanly."""
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    assert out.strip().endswith("kzgraph: stopped")


@contextmanager
def kzgraph_server(*args: str, data: tuple = (), store: str | None = None):
    """``kzgraph [--data D…] [--store S] serve ARGS`` for the duration of the block: yields its base URL,
    then stops it cleanly."""
    proc, url = start_kzgraph(*args, data=data, store=store)
    try:
        yield url
    finally:
        stop_kzgraph(proc)


def varies_on_accept(response) -> bool:
    """Whether ``response`` says caches must keep one copy per Accept header."""
    return "accept" in {v.strip().lower() for v in response.headers.get("vary", "").split(",")}


def start_oxigraph(location: Path, read_only: bool = False) -> tuple[subprocess.Popen, str]:
    """Start ``oxigraph serve`` (or ``serve-read-only``) on a free port; return it and its base URL."""
    exe = shutil.which("oxigraph")
    if exe is None:
        import pytest

        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    proc = subprocess.Popen([exe, command, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"oxigraph did not start: {proc.stderr.read().decode()}")
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("oxigraph did not answer within 30 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def counting_proxy(target: str, refuse=None):
    """A reverse proxy on 127.0.0.1 to ``target`` (a base URL) that counts the requests it forwards.

    Yields ``(its base URL, a function returning the count so far)``; the function's ``log`` holds a
    :class:`Forwarded` for each request, and its ``most`` the most requests it held at once.
    ``refuse(method, path, body)``, where given, may answer a request itself with ``(status, body)``
    instead of forwarding it (``None``: forward).
    """
    import threading
    import urllib.request
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.error import HTTPError

    log: list[Forwarded] = []

    def count() -> int:
        return len(log)

    count.log = log
    count.most = 0
    holding = [0]
    counting = threading.Lock()

    class Forward(BaseHTTPRequestHandler):
        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            request = urllib.request.Request(target + self.path, data=body, method=self.command, headers=headers)
            with counting:
                holding[0] += 1
                count.most = max(count.most, holding[0])
            try:
                refused = refuse(self.command, self.path, body or b"") if refuse else None
                if refused is not None:
                    status, reply, data = refused[0], {"Content-Type": "text/html"}, refused[1]
                else:
                    try:
                        with urllib.request.urlopen(request, timeout=60) as answer:
                            status, reply, data = answer.status, answer.headers, answer.read()
                    except HTTPError as exc:
                        status, reply, data = exc.code, exc.headers, exc.read()
            finally:
                with counting:
                    holding[0] -= 1
            log.append(Forwarded(self.command, self.path, len(body or b""), status))
            self.send_response(status)
            for key, value in reply.items():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", count
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Forwarded:
    """One request the counting proxy forwarded: its method, path, body size and the answer's status."""

    method: str
    path: str
    sent: int
    status: int


#: the named graph the servers hold the bundled graph in (kzgraph's GRAPH_IRI, where `kzgraph push` puts it)
GRAPH = "https://w3id.org/kzgraph/graph"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def virtuoso_ini(template: str, directory: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with every file under ``directory`` and both ports on 127.0.0.1."""
    ports = iter([f"127.0.0.1:{sql_port}", f"127.0.0.1:{http_port}"])  # [Parameters], then [HTTPServer]
    lines = []
    for line in template.splitlines():
        key, sep, _ = line.partition("=")
        key = key.strip()
        if sep and key == "ServerPort":
            line = f"ServerPort = {next(ports)}"
        elif sep and key == "DefaultHost":
            line = f"DefaultHost = 127.0.0.1:{http_port}"
        elif sep and key == "ResultSetMaxRows":  # the default, 10,000, silently cuts long answers
            line = "ResultSetMaxRows = 1000000"
        line = line.replace("/var/lib/virtuoso-opensource-7", str(directory))
        lines.append(line)
    return "\n".join(lines) + "\n"


@contextmanager
def virtuoso_server(directory: Path):
    """Virtuoso (Debian's virtuoso-t) of its own in ``directory``, SPARQL updates granted: yields
    ``(http_url, sql_port)``, then shuts it down. Fails, not skips, when Virtuoso is not installed."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if exe is None or isql is None or not VIRTUOSO_INI.is_file():
        raise AssertionError("Virtuoso is not installed: apt-get install virtuoso-opensource"
                             " (virtuoso-t, isql-vt and /etc/virtuoso-opensource-7/virtuoso.ini)")
    for sub in ("db", "vsp"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(virtuoso_ini(VIRTUOSO_INI.read_text(), directory, sql_port, http_port))
    log = (directory / "stdout.log").open("wb")
    proc = subprocess.Popen([exe, "-f", "-c", str(ini)], cwd=directory / "db",
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"virtuoso-t did not start:\n{(directory / 'stdout.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("virtuoso-t did not answer within 60 s")
            time.sleep(0.2)
        isql_exec(isql, sql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";')
        yield url, sql_port
    finally:
        if proc.poll() is None:
            try:  # a clean shutdown (checkpoint, then exit); SIGTERM only if that fails
                isql_exec(isql, sql_port, "shutdown;", check=False)
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                stop(proc)
        log.close()


def isql_exec(isql: str, sql_port: int, statement: str, check: bool = True) -> None:
    """Run one SQL statement as dba through isql-vt."""
    done = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statement}"],
                          capture_output=True, text=True, timeout=60)
    if check and (done.returncode != 0 or "*** Error" in done.stdout + done.stderr):
        raise AssertionError(f"isql-vt {statement!r} failed: {done.stdout}{done.stderr}")


@dataclass(frozen=True)
class Server:
    """A SPARQL store started for the tests: where it answers queries, and how to fill a named graph."""

    kind: str  # "oxigraph" or "virtuoso"
    url: str  # base URL

    @property
    def query_url(self) -> str:
        return f"{self.url}/query" if self.kind == "oxigraph" else f"{self.url}/sparql"

    def store(self, graph: str = GRAPH) -> str:
        """The ``--store`` spec that reads ``graph`` on this server."""
        return f"sparql:{self.query_url}#{graph}"

    def put(self, ntriples: bytes, graph: str = GRAPH) -> None:
        """Replace the named ``graph`` by ``ntriples`` (Graph Store Protocol PUT)."""
        if self.kind == "oxigraph":
            where, params, auth = f"{self.url}/store", {"graph": graph}, None
        else:
            where, params, auth = f"{self.url}/sparql-graph-crud-auth", {"graph-uri": graph}, httpx.DigestAuth("dba", "dba")
        answer = httpx.put(where, params=params, content=ntriples, auth=auth, timeout=300,
                           headers={"Content-Type": "application/n-triples"})
        assert answer.status_code in (200, 201, 204), f"PUT {where}: {answer.status_code} {answer.text[:500]}"
