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
def counting_proxy(target: str):
    """A reverse proxy on 127.0.0.1 to ``target`` (a base URL) that counts the requests it forwards.

    Yields ``(its base URL, a function returning the count so far)``.
    """
    import threading
    import urllib.request
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.error import HTTPError

    count = [0]

    class Forward(BaseHTTPRequestHandler):
        def _forward(self):
            count[0] += 1
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            request = urllib.request.Request(target + self.path, data=body, method=self.command, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    status, reply, data = answer.status, answer.headers, answer.read()
            except HTTPError as exc:
                status, reply, data = exc.code, exc.headers, exc.read()
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
        yield f"http://127.0.0.1:{server.server_address[1]}", lambda: count[0]
    finally:
        server.shutdown()
        server.server_close()
