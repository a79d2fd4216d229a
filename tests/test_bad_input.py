"""Bad input to every command: one line on stderr naming what is wrong and where, exit 1
(2 for usage errors), no traceback, and an existing output file left as it was.

Each case is a command line; ``{name}`` stands for a path in the case's work directory (see
``work``) and ``{closed}`` for the URL of a port nobody listens on.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import kzgraph

BAD_TTL = """@prefix kz: <https://w3id.org/kzgraph/ontology#> .
@prefix kzr: <https://w3id.org/kzgraph/id/> .

kzr:someone a kz:Person ;
    kz:note "an unterminated string .
"""
PREVIOUS = "previous contents\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A directory of bad inputs, and an existing output file ``out.txt`` that no failure may touch."""
    (tmp_path / "bad.ttl").write_text(BAD_TTL, encoding="utf-8")
    (tmp_path / "latin1.ttl").write_bytes(b'@prefix ex: <http://e/> .\nex:a ex:b "caf\xe9" .\n')
    (tmp_path / "latin1.rq").write_bytes(b"# question\nSELECT * WHERE { ?s ?p \"caf\xe9\" }\n")
    (tmp_path / "bad.rq").write_text("# a question?\nSELECT ?x WHERE {\n  ?x a \n", encoding="utf-8")
    (tmp_path / "bad.nt").write_text('<http://e/a> <http://e/b> "ok" .\n<http://e/a> <http://e/b> "open .\n')
    (tmp_path / "bad.rdf").write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                                      '<rdf:Description rdf:about="http://e/a">\n<oops>\n</rdf:RDF>\n')
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "out.txt").write_text(PREVIOUS, encoding="utf-8")
    (tmp_path / "build-here").mkdir()
    (tmp_path / "build-here" / "kzgraph.ttl").mkdir()  # build cannot replace a directory with its file
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def closed():
    """The base URL of a local port that refuses connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def case(*args, needles=(), id):
    return pytest.param(list(args), list(needles), id=id)


BAD_DATA = [
    case("--data", "bad.ttl", *command, needles=["bad.ttl:5:", "syntax error"], id=f"malformed-turtle-{command[0]}")
    for command in (["query", "ASK {}"], ["export", "-o", "out.txt"], ["view", "-o", "out.txt"], ["build", "-o", "b"],
                    ["serve", "--port", "0"], ["push", "--endpoint", "http://127.0.0.1:9"], ["show", "Tokayev"],
                    ["who-held", "President of Kazakhstan"], ["timeline"], ["stats"], ["path", "Tokayev", "Nur Otan"])
] + [
    case("--data", "latin1.ttl", "export", "-o", "out.txt", needles=["latin1.ttl:2:15:", "not UTF-8", "0xE9"],
         id="non-utf8-data"),
    case("--data", "bad.nt", "query", "ASK {}", needles=["bad.nt:2:", "nt syntax error"], id="malformed-ntriples"),
    case("--data", "bad.rdf", "query", "ASK {}", needles=["bad.rdf:4:2: xml syntax error: mismatched tag"],
         id="malformed-rdfxml"),
    case("--data", "missing.ttl", "query", "ASK {}", needles=["missing.ttl", "no such file"], id="missing-data-file"),
    case("--data", "missing-dir/", "export", "-o", "out.txt", needles=["missing-dir", "no such file"],
         id="missing-data-dir"),
    case("--data", "empty", "view", "-o", "out.txt", needles=["empty", "no RDF files"], id="empty-data-dir"),
    case("validate", "missing.ttl", needles=["missing.ttl", "no such file"], id="validate-missing-file"),
    case("validate", "empty", needles=["empty", "no RDF files"], id="validate-empty-dir"),
]

BAD_QUERIES = [
    case("query", "SELECT ?x WHERE {", needles=["query:1:", "SPARQL syntax error"], id="invalid-sparql"),
    case("query", "-f", "bad.rq", needles=["bad.rq:3:", "SPARQL syntax error"], id="invalid-sparql-file"),
    case("query", "-f", "missing.rq", needles=["missing.rq", "no such file"], id="missing-query-file"),
    case("query", "-f", "latin1.rq", needles=["latin1.rq:2:28:", "not UTF-8"], id="non-utf8-query-file"),
    case("query", "DELETE WHERE { ?s ?p ?o }", needles=["UPDATE", "read queries"], id="update-via-query"),
    case("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", needles=["UPDATE"], id="insert-via-query"),
    case("query", "SELECT * WHERE { ?s nope:x ?o }", needles=["query", "nope"], id="undeclared-prefix"),
    case("query", "--name", "no-such-query", needles=["no-such-query", "kzgraph queries"], id="unknown-named-query"),
    case("query", "--name", "class-count", needles=["class-count", "did you mean class-counts"],
         id="misspelt-named-query"),
    case("query", "--name", "class-counts", "--param", "nothere=1", needles=["class-counts: --param nothere", "?nothere"],
         id="param-for-missing-variable"),
    case("query", "--name", "holders-of-office", "--param", "office", needles=["'office'", "NAME=VALUE"],
         id="param-without-value"),
    case("query", "--name", "holders-of-office", "--param", "=kzr:x", needles=["'=kzr:x'", "NAME=VALUE"],
         id="param-without-name"),
    case("query", "--name", "holders-of-office", "--param", "office=kzr:a", "--param", "office=kzr:b",
         needles=["--param office=kzr:b", "already bound"], id="param-given-twice"),
    case("query", "--name", "office-holder-on-date", "--param", "office=kzr:president-of-kazakhstan", "--param",
         "date=2020-13-45", needles=["--param date=2020-13-45", "bad date", "month"], id="param-bad-date"),
    case("query", "--name", "office-holder-on-date", "--param", "date=2019-02-30", needles=["2019-02-30", "day"],
         id="param-impossible-day"),
    case("query", "--name", "holders-of-office", "--param", "office=kzrr:president-of-kazakhstan",
         needles=["--param office=kzrr:", "unknown prefix kzrr:"], id="param-unknown-prefix"),
]

BAD_NAMES_AND_DATES = [
    case("view", "-o", "out.txt", "--from", "2020-13", needles=["--from 2020-13", "bad date"], id="view-bad-month"),
    case("view", "-o", "out.txt", "--to", "yesterday", needles=["--to yesterday", "bad date"], id="view-bad-date"),
    case("view", "-o", "out.txt", "--from", "2021", "--to", "2019", needles=["--from 2021", "--to 2019"],
         id="view-dates-reversed"),
    case("view", "-o", "out.txt", "--focus", "Nobody Atall", needles=["unknown thing", "Nobody Atall"],
         id="view-unknown-focus"),
    case("view", "-o", "out.txt", "--type", "Nonsense", needles=["--type Nonsense", "unknown class"],
         id="view-unknown-type"),
    case("who-held", "Nobody Atall", needles=["unknown thing"], id="who-held-unknown"),
    case("who-held", "President of Kazakhstan", "--on", "2019-02-30", needles=["2019-02-30"], id="who-held-bad-date"),
    case("show", "Nobody Atall", needles=["unknown thing"], id="show-unknown"),
    case("path", "Tokayev", "Nobody Atall", needles=["unknown thing"], id="path-unknown"),
    case("timeline", "--from", "soon", needles=["soon"], id="timeline-bad-date"),
    case("timeline", "--type", "Nonsense", needles=["--type Nonsense"], id="timeline-unknown-type"),
    case("timeline", "--from", "2021", "--to", "2019", needles=["--from 2021 is after --to 2019"], id="timeline-reversed-range"),
]

BAD_OUTPUTS = [
    case("export", "-o", "no-such-dir/g.ttl", needles=["no-such-dir", "does not exist"], id="export-into-missing-dir"),
    case("view", "-o", "no-such-dir/v.html", needles=["no-such-dir", "does not exist"], id="view-into-missing-dir"),
    case("export", "-o", "out.txt/g.ttl", needles=["out.txt", "not a directory"], id="export-under-a-file"),
    case("build", "-o", "build-here", needles=[os.path.join("build-here", "kzgraph.ttl"), "directory"],
         id="build-over-a-directory"),
]

BAD_STORES = [
    case("--store", "bogus", "query", "ASK {}", needles=["--store bogus", "unknown store"], id="store-bad-kind"),
    case("--store", "oxigraph:", "query", "ASK {}", needles=["--store oxigraph:"], id="store-oxigraph-without-path"),
    case("--store", "oxigraph:missing-store", "query", "ASK {}", needles=["missing-store", "kzgraph load"],
         id="store-missing-oxigraph"),
    case("--store", "sparql:{closed}", "query", "ASK {}", needles=["{closed}", "cannot reach"],
         id="store-closed-port"),
    case("--store", "sparql:{closed}", "who-held", "President of Kazakhstan", needles=["{closed}", "cannot reach"],
         id="store-closed-port-research"),
    case("--store", "sparql:not-a-url", "query", "ASK {}", needles=["not-a-url", "http"], id="store-not-a-url"),
    case("--store", "sparql:{closed}", "build", "-o", "b", needles=["--store", "build", "dataset files"],
         id="build-ignores-no-store"),
    case("--store", "sparql:{closed}", "validate", needles=["--store", "validate", "dataset files"],
         id="validate-ignores-no-store"),
    case("push", "--endpoint", "{closed}", needles=["{closed}", "cannot reach", "nothing was loaded"],
         id="push-closed-port"),
    case("push", "--endpoint", "ftp://example.org/", needles=["ftp://example.org/", "http"], id="push-not-http"),
    case("push", "--endpoint", "{closed}", "--graph", "not an iri", needles=["--graph not an iri"],
         id="push-bad-graph"),
    case("serve", "--host", "999.0.0.1", "--port", "0", needles=["999.0.0.1"], id="serve-bad-host"),
]

USAGE = [
    case("query", "--format", "xml", "ASK {}", needles=["--format", "'xml'", "kzgraph query --help"],
         id="query-unknown-format"),
    case("export", "--format", "yaml", "-o", "out.txt", needles=["--format", "'yaml'"], id="export-unknown-format"),
    case("export", "-o", "a-directory", needles=["a-directory", "is a directory"], id="export-onto-a-directory"),
    case("view", "-o", "a-directory", needles=["a-directory", "is a directory"], id="view-onto-a-directory"),
    case("build", "-o", "out.txt", needles=["out.txt", "is a file"], id="build-into-a-file"),
    case("query", needles=["exactly one of"], id="query-nothing-to-run"),
    case("query", "ASK {}", "--name", "class-counts", needles=["exactly one of"], id="query-two-things-to-run"),
    case("serve", "--port", "99999", needles=["--port", "99999"], id="serve-bad-port"),
    case("view", "--depth", "-1", needles=["--depth"], id="view-negative-depth"),
    case("no-such-command", needles=["no-such-command", "kzgraph --help"], id="unknown-command"),
    case("--no-such-option", "queries", needles=["--no-such-option"], id="unknown-global-option"),
]


def expand(args, closed):
    return [a.replace("{closed}", closed) for a in args]


@pytest.mark.parametrize("args, needles", BAD_DATA + BAD_QUERIES + BAD_NAMES_AND_DATES + BAD_OUTPUTS + BAD_STORES)
def test_user_error(cli, user_error, work, closed, args, needles):
    user_error(cli(*expand(args, closed)), *expand(needles, closed))
    assert (work / "out.txt").read_text(encoding="utf-8") == PREVIOUS
    assert not (work / "b").exists()


@pytest.mark.parametrize("args, needles", USAGE)
def test_usage_error_is_one_line(cli, work, args, needles):
    result = cli(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert (work / "out.txt").read_text(encoding="utf-8") == PREVIOUS


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory(cli, user_error, work):
    locked = work / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        user_error(cli("export", "-o", str(locked / "g.ttl")), f"{locked / 'g.ttl'}:", "ermission denied")
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


def test_serve_on_a_busy_port(cli, user_error):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        user_error(cli("serve", "--port", str(port)), f"127.0.0.1:{port}", "in use")


@pytest.fixture
def web_server(tmp_path):
    """A plain web server (not a SPARQL store): POSTs get an HTML 501 page."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("args", [["push", "--endpoint", "{url}"], ["--store", "sparql:{url}", "query", "ASK {}"]],
                         ids=["push", "store"])
def test_not_a_sparql_store(cli, user_error, web_server, args):
    line = user_error(cli(*[a.replace("{url}", web_server) for a in args]), f"{web_server}/query", "501")
    assert "<" not in line and "DOCTYPE" not in line  # the HTML error page is left out


def test_bare_command_still_shows_the_help(cli):
    result = cli()
    assert "Commands:" in result.output and result.exit_code in (0, 2)


# --- the same through a real process: the console script, or `python -m kzgraph` ---------------------------

def run_installed(*args, cwd):
    """Run ``kzgraph ARGS`` in a subprocess, importing this checkout's kzgraph first."""
    script = Path(sys.executable).with_name("kzgraph")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "kzgraph"]
    src = str(Path(kzgraph.__file__).parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, code, needle", [
    (["query", "-f", "latin1.rq"], 1, "latin1.rq:2:28: not UTF-8"),
    (["--data", "bad.ttl", "export", "-o", "out.txt"], 1, "bad.ttl:5:"),
    (["query", "--name", "office-holder-on-date", "--param", "date=2020-13-45"], 1, "bad date"),
    (["export", "--format", "yaml"], 2, "'yaml'"),
], ids=["non-utf8-query", "malformed-turtle", "param-bad-date", "unknown-format"])
def test_in_a_real_process(work, args, code, needle):
    result = run_installed(*args, cwd=work)
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and needle in result.stderr and "Traceback" not in result.stderr
    assert (work / "out.txt").read_text(encoding="utf-8") == PREVIOUS


def test_python_dash_m(work):
    result = subprocess.run([sys.executable, "-m", "kzgraph", "queries"], cwd=work, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(Path(kzgraph.__file__).parents[1])), timeout=120)
    assert result.returncode == 0 and "class-counts" in result.stdout
