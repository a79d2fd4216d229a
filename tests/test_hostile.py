"""The hostile-input corpus (``tests/hostile/``), every case under one invariant.

``hostile/cases.json`` lists command-line cases: ``args`` (run as ``kzgraph ARGS`` in a work directory
holding a copy of ``hostile/data/`` and ``hostile/queries/``), the expected ``exit`` code, ``stderr``
needles that the one error line must contain, ``stdout_has`` (text the answer must hold), ``stdout_lacks`` (characters that must not be
printed), optional ``writes`` (the only paths the case may
create or change), ``store`` (a loaded ``oxigraph:store`` is there first), ``damage`` (files of it spoilt, see
:func:`spoil`), ``env`` (variables, ``{work}`` standing for the work directory), ``stderr_has`` and ``generate`` (a big
file written from ``head``, ``repeat`` × ``times`` and ``tail``). ``hostile/http.json`` lists raw HTTP
requests to ``kzgraph serve`` (``REPEAT`` stands for ``repeat`` × ``times``, ``Content-Length: AUTO``
for the body's length) and the status each must get (``null`` with ``hang_up``: the client leaves
mid-request); the server must live on and log no traceback. In data and requests, ``LISTENER``
stands for the URL of a local listener that records every request made to it.

The invariant: no traceback, no crash (a signal), no hang (each case has a time limit), one line
on stderr for an error, no file touched but the case's own output, old stores still answering,
and nothing fetched.
"""
from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import kzgraph

HOSTILE = Path(__file__).with_name("hostile")
CASES = json.loads((HOSTILE / "cases.json").read_text(encoding="utf-8"))
REQUESTS = json.loads((HOSTILE / "http.json").read_text(encoding="utf-8"))
LIMIT = 60  # seconds per case
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(kzgraph.__file__).parents[1]),
                                                  os.environ.get("PYTHONPATH", "")]))


class Listener(http.server.ThreadingHTTPServer):
    """A local HTTP server that answers 404 and remembers every request line it got."""

    def __init__(self):
        self.seen: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                listener.seen.append(self.requestline)
                self.send_error(404)

            do_POST = do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def kzgraph_run(args, cwd, env, timeout=LIMIT) -> subprocess.CompletedProcess:
    """``kzgraph ARGS`` in a subprocess; a hang fails the test instead of the suite."""
    try:
        return subprocess.run([sys.executable, "-m", "kzgraph", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"kzgraph {' '.join(args)[:200]} ran past {timeout} s")


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """A shared cache directory (warmed) and a template store loaded with the bundled data."""
    base = tmp_path_factory.mktemp("hostile")
    env = dict(ENV, KZGRAPH_CACHE_DIR=str(base / "cache"))
    done = kzgraph_run(["load", "--store", f"oxigraph:{base / 'store'}"], base, env)
    assert done.returncode == 0, done.stderr
    kzgraph_run(["query", "ASK {}"], base, env)
    return env, base / "store"


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path → SHA-256)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def lay_out(work: Path, listener: Listener, generate: dict | None) -> None:
    for folder in ("data", "queries"):
        for source in (HOSTILE / folder).iterdir():
            (work / source.name).write_bytes(source.read_bytes().replace(b"LISTENER", listener.url.encode()))
    if generate:
        text = generate["head"] + generate["repeat"] * generate["times"] + generate["tail"]
        (work / generate["file"]).write_text(text, encoding="utf-8")
    (work / "old.txt").write_text("previous contents\n", encoding="utf-8")


def spoil(work: Path, damage: dict) -> None:
    """Damage the files matching ``damage["path"]``: flip bits all through (``xor``) or only in the
    first half past the header (``middle``: the store still opens), or write ``text`` over them."""
    for path in work.glob(damage["path"]):
        if damage.get("middle"):
            data = bytearray(path.read_bytes())
            for i in range(100, len(data) // 2, 3):
                data[i] ^= 0x55
            path.write_bytes(bytes(data))
        elif damage.get("xor"):
            path.write_bytes(bytes(b ^ 0x55 if i % 7 == 0 else b for i, b in enumerate(path.read_bytes())))
        else:
            path.write_text(damage["text"], encoding="utf-8")


def check_outcome(done: subprocess.CompletedProcess, exit: int, needles) -> None:
    output = done.stdout + done.stderr
    assert done.returncode >= 0, f"killed by signal {-done.returncode}: {done.stderr[-2000:]}"
    assert "Traceback" not in output, output[-3000:]
    assert done.returncode == exit, (done.returncode, done.stderr[-2000:])
    if exit:
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr[-2000:]
        for needle in needles:  # validate reports a bad file on stdout, and sums up on stderr
            assert needle in lines[0] + done.stdout, (needle, lines[0], done.stdout[-500:])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_command(case, tmp_path, listener, setting):
    env, template = setting
    work = tmp_path / "work"
    work.mkdir()
    lay_out(work, listener, case.get("generate"))
    if case.get("store"):
        shutil.copytree(template, work / "store")
    if damage := case.get("damage"):
        spoil(work, damage)
    before, seen = snapshot(work), len(listener.seen)

    case_env = env | {k: v.replace("{work}", str(work)) for k, v in case.get("env", {}).items()}
    done = kzgraph_run(case["args"], work, case_env)
    for needle in case.get("stderr_has", ()):
        assert needle in done.stderr, (needle, done.stderr[-1000:])

    check_outcome(done, case["exit"], case["stderr"])
    for needle in case.get("stdout_has", ()):
        assert needle in done.stdout, (needle, done.stdout[-1000:])
    for raw in case.get("stdout_lacks", ()):
        assert raw not in done.stdout + done.stderr, f"{raw!r} reached the terminal"
    assert listener.seen[seen:] == [], "fetched"
    after = snapshot(work)
    writes = tuple(case.get("writes", ()))
    touched = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert {p for p in touched if not (writes and p.startswith(writes))} == set(), touched
    if case.get("store") and (not damage or "store" in writes):  # a damaged one is left as it was
        still = kzgraph_run(["--store", "oxigraph:store", "query", "ASK { ?s ?p ?o }"], work, env)
        assert still.returncode == 0 and "true" in still.stdout, still.stderr


@pytest.fixture(scope="module")
def server(setting):
    """``kzgraph serve`` in a subprocess: its port and the process (its stderr is read at the end)."""
    env, _ = setting
    proc = subprocess.Popen([sys.executable, "-m", "kzgraph", "serve", "--port", "0", "--timeout", "5",
                             "--body-timeout", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    first = proc.stdout.readline()
    assert "serving" in first, first + proc.stderr.read()
    port = int(first.split(" at ")[1].split("/ ")[0].rsplit(":", 1)[1])
    yield port, proc
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err


def exchange(port: int, raw: bytes, wait: float = LIMIT, hang_up: bool = False) -> bytes:
    """Send ``raw`` and read until the server closes, or is quiet for a second after answering, or
    ``wait`` passes; with ``hang_up``, leave at once instead."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(raw)
        if hang_up:
            return b""
        reply = b""
        deadline = time.monotonic() + wait
        try:
            while time.monotonic() < deadline and (chunk := sock.recv(65536)):
                reply += chunk
                sock.settimeout(1)
        except TimeoutError:
            pass
    return reply


def raw_request(spec: dict, listener: Listener) -> bytes:
    text = spec["request"]
    if "repeat" in spec:
        text = text.replace("REPEAT", spec["repeat"] * spec["times"])
    text = text.replace("LISTENER", listener.url)
    head, sep, body = text.partition("\n\n")
    head = head.replace("Content-Length: AUTO", f"Content-Length: {len(body.encode())}")
    return head.replace("\n", "\r\n").encode() + b"\r\n\r\n" * bool(sep) + body.encode()


@pytest.mark.parametrize("spec", REQUESTS, ids=[r["id"] for r in REQUESTS])
def test_request(spec, server, listener):
    port, proc = server
    seen = len(listener.seen)
    reply = exchange(port, raw_request(spec, listener), hang_up=spec.get("hang_up", False))
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else None
    assert status == spec["status"], reply[:500]
    for needle in spec.get("body", ()):
        assert needle.encode() in reply, reply[:2000]
    for needle in spec.get("body_lacks", ()):
        assert needle.encode() not in reply, reply[:2000]
    assert listener.seen[seen:] == [], "fetched"
    assert proc.poll() is None, "the server died"
    alive = exchange(port, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert alive.startswith(b"HTTP/1.1 200"), alive[:300]
