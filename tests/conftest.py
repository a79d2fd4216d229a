"""Fixtures shared by the whole suite, and the one place where tests get the browser and server marks."""
from __future__ import annotations

import inspect
import re
from functools import cache

import pytest
from click.testing import CliRunner
from rdflib import Graph

import kzgraph
from kzgraph.cli import main
from kzgraph.namespaces import bind_prefixes


def pytest_configure(config):
    config.addinivalue_line("markers", "server: runs against a live `kzgraph serve` (a subprocess on 127.0.0.1)")


#: What a test (or a fixture it uses, however indirectly) does in its source to earn a mark: a real
#: browser is driven through playwright; a real server is started by tests/servers.py's helpers or as a
#: ``kzgraph serve`` subprocess. Read from the source so that a new test is marked without being listed.
_MARKS = {
    "browser": re.compile(r"playwright"),
    "server": re.compile(r"\b(start_oxigraph|start_kzgraph|kzgraph_server)\(|\"kzgraph\", \"serve\""),
}


@cache
def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):  # built-in or generated: nothing to read
        return ""


def pytest_collection_modifyitems(config, items):
    """Mark tests ``browser`` and ``server`` by what they and their fixtures do (``slow`` is by decorator)."""
    for item in items:
        functions = [getattr(item, "function", None)]
        info = getattr(item, "_fixtureinfo", None)  # every fixture in the test's closure
        for definitions in (info.name2fixturedefs.values() if info else ()):
            for definition in reversed(definitions):  # the overriding fixture, and what it overrides if it asks
                functions.append(definition.func)
                if definition.argname not in definition.argnames:
                    break
        text = "\n".join(_source(f) for f in functions if f is not None)
        for mark, pattern in _MARKS.items():
            if pattern.search(text):
                item.add_marker(mark)


@pytest.fixture(scope="session")
def graph():
    """The bundled graph, loaded once (tests must not modify it)."""
    return kzgraph.load()


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def store(request, graph):
    """The bundled graph in rdflib's memory store (rdflib's engine answers), then as kzgraph.load() holds
    it (Oxigraph answers): a named query must answer alike in both."""
    if request.param == "oxigraph":
        return graph
    copy = bind_prefixes(Graph())
    for triple in graph:
        copy.add(triple)
    return copy


@pytest.fixture(scope="module")  # not session: a live sync Playwright stops other modules starting their own
def browser():
    """Debian's chromium, headless, driven by playwright (never a browser of playwright's own)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Keep every test's caches out of the user's cache directory."""
    monkeypatch.setenv("KZGRAPH_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def cli():
    """Run the kzgraph CLI in-process: ``cli("query", "--name", "x")`` → click Result."""
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def user_error():
    """``user_error(result, *needles)`` asserts a clean user error (see :func:`one_line_error`)."""
    return one_line_error


def one_line_error(result, *needles):
    """Assert a user error: exit 1, one line on stderr naming each of ``needles``, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.fixture
def oxigraph(tmp_path):
    """A fresh Oxigraph server (`oxigraph serve`, from PyPI) on a free port: its base URL; stopped after."""
    from servers import start_oxigraph, stop

    proc, url = start_oxigraph(tmp_path / "oxigraph")
    yield url
    stop(proc)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """One Oxigraph server (`oxigraph serve`) for the whole run, empty: a :class:`servers.Server`."""
    from servers import Server, start_oxigraph, stop

    proc, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph-session"))
    yield Server("oxigraph", url)
    stop(proc)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """One Virtuoso of its own for the whole run, empty, updates granted: a :class:`servers.Server`.
    Fails when Virtuoso is not installed (CI installs it)."""
    from servers import Server, virtuoso_server

    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as (url, _sql_port):
        yield Server("virtuoso", url)
