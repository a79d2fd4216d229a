"""Virtuoso as a second real store: `kzgraph load` fills it, and every read command reads it as it reads memory."""
from __future__ import annotations

import pytest

from kzgraph.prefixes import GRAPH_IRI
from kzgraph.stores import open_store

pytestmark = pytest.mark.server

OTHER = "https://example.org/loaded-by-update"


def _graph_store(url: str) -> str:
    """Virtuoso's query/update endpoint and its Graph Store endpoint, with the dba's credentials (digest)."""
    host = url.removeprefix("http://")
    return f"http://dba:dba@{host}/sparql;store=http://dba:dba@{host}/sparql-graph-crud-auth"


@pytest.fixture(scope="module")
def loaded(cli, virtuoso):
    """Virtuoso holding the bundled graph in kzgraph's named graph, loaded by `kzgraph load` (Graph Store Protocol)."""
    result = cli("load", "--store", f"sparql:{_graph_store(virtuoso.url)}#{GRAPH_IRI}")
    assert result.exit_code == 0, result.output
    assert "graph store protocol" in result.stderr
    return virtuoso


@pytest.fixture(scope="module")
def cli():
    from click.testing import CliRunner

    from kzgraph.cli import main

    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


def test_load_by_graph_store_protocol_holds_every_triple(loaded, graph):
    assert len(open_store(loaded.store())) == len(graph)


READ_COMMANDS = [
    ("show", "kzr:kassym-jomart-tokayev"),
    ("show", "Назарбаев"),
    ("show", "kzr:nur-otan"),
    ("who-held", "kzr:president-of-kazakhstan"),
    ("who-held", "President of Kazakhstan", "--on", "2019"),
    ("who-held", "Prime Minister", "--on", "2015-06-01", "--format", "json"),
    ("path", "Tokayev", "Nur Otan"),
    ("timeline",),
    ("timeline", "--from", "2019-03-19", "--to", "2019-12"),
    ("timeline", "--type", "Election", "--format", "csv"),
    ("stats",),
    ("query", "--name", "election-results"),
    ("query", "--name", "reforms"),
    ("query", "ASK { ?x a kz:Person }", "--format", "json"),
    ("query", "CONSTRUCT { ?p a kz:Person } WHERE { ?p a kz:Person }"),
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a))
def test_read_commands_print_what_the_memory_store_prints(cli, loaded, args):
    local = cli(*args)
    remote = cli("--store", loaded.store(), *args)
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_describe_comes_back_as_rdf(cli, loaded):
    # what DESCRIBE returns is each engine's choice (SPARQL 1.1 §16.4): Virtuoso adds the triples that point
    # at the thing, so only its form and core are compared
    from rdflib import Graph, Literal

    from kzgraph.namespaces import KZR, RDFS

    remote = cli("--store", loaded.store(), "query", "DESCRIBE kzr:nur-otan")
    assert remote.exit_code == 0, remote.output
    described = Graph().parse(data=remote.stdout, format="turtle")
    assert (KZR["nur-otan"], RDFS.label, Literal("Nur Otan", lang="en")) in described


def test_view_reads_virtuoso(cli, loaded, tmp_path):
    local = cli("view", "-o", str(tmp_path / "local.html"))
    remote = cli("--store", loaded.store(), "view", "-o", str(tmp_path / "remote.html"))
    assert remote.exit_code == 0, remote.output
    assert remote.stderr.replace("remote", "local") == local.stderr  # the same things and relations


def test_load_by_sparql_update_where_no_graph_store_is_named(cli, virtuoso, graph):
    result = cli("load", "--store", f"sparql:{virtuoso.url}/sparql#{OTHER}")
    assert result.exit_code == 0, result.output
    assert "sparql update" in result.stderr
    other = open_store(f"sparql:{virtuoso.url}/sparql#{OTHER}")
    assert len(other) == len(graph)
    # Virtuoso's cost estimate counts every graph: with two copies it refuses filtered timelines (> 400 s)
    other.update(f"DROP SILENT GRAPH <{OTHER}>")


def test_digest_authentication_sends_each_batch_once(virtuoso, graph):
    # urllib's digest handler would send every batch twice, the first time only to be refused with a 401
    from servers import counting_proxy

    from kzgraph.resources import dataset_files
    from kzgraph.stores.memory import read_cached
    from kzgraph.stores.remote import RemoteStore, batches

    body = read_cached(dataset_files()).body
    with counting_proxy(virtuoso.url) as (url, count):
        host = url.removeprefix("http://")
        store = RemoteStore(f"http://dba:dba@{host}/sparql;store=http://dba:dba@{host}/sparql-graph-crud-auth#{OTHER}")
        loaded = store.send(body, batch=1_000)
        posts = [r for r in count.log if r.method == "POST" and r.sent and "sparql-graph-crud" in r.path]
        assert loaded.how == "graph store protocol"
        assert len(posts) == sum(1 for _ in batches(body, 1_000)) > 2
        assert all(r.status in (200, 201, 204) for r in posts), posts
        assert sum(r.status == 401 for r in count.log) == 1  # the first (the empty POST asking for the challenge) only
        assert loaded.triples == len(graph)
        store.update(f"DROP SILENT GRAPH <{OTHER}>")
