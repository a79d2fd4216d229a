"""The Store interface: kinds registered through entry points, one spec parser, held graphs and their generations."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

import kzgraph
from kzgraph.errors import KzError
from kzgraph.lookup import resolve
from kzgraph.namespaces import KZR
from kzgraph.stores import open_store, parse_spec

DEMO = '''
import pyoxigraph as ox
from kzgraph.stores import Store
from kzgraph.stores.oxengine import execute


class DemoStore(Store):
    """A kind of store from another package: one triple, whatever the location says."""

    kind = "demo"
    usage = "demo:NAME  a one-triple store for the registry test"

    def __init__(self, where):
        super().__init__()
        self.where, self.inner = where, ox.Store()
        self.inner.add(ox.Quad(ox.NamedNode("urn:demo"), ox.NamedNode("urn:says"), ox.Literal(where)))

    @classmethod
    def open(cls, where, files=None):
        return cls(where)

    @property
    def spec(self):
        return f"demo:{self.where}"

    def execute(self, sparql, bindings=None, *, base_iri=None, form=None):
        return execute(self.inner, sparql, bindings, prefixes=self.prefixes, base_iri=base_iri, form=form)
'''


def test_a_kind_from_another_package_registers_by_entry_point(tmp_path):
    (tmp_path / "demo_store.py").write_text(textwrap.dedent(DEMO), encoding="utf-8")
    info = tmp_path / "demo_store-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-store\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[kzgraph.stores]\ndemo = demo_store:DemoStore\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(Path(kzgraph.__file__).parents[1])]))

    def kz(*args):
        return subprocess.run([sys.executable, "-m", "kzgraph", *args], capture_output=True, text=True, env=env)

    answer = kz("--store", "demo:hello", "query", "SELECT ?o WHERE { <urn:demo> <urn:says> ?o }", "--format", "csv")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == ["o", "hello"]
    assert "demo:NAME" in kz("--help").stdout.replace("\n", " ")


def test_one_spec_parser_says_what_kinds_there_are():
    assert parse_spec("oxigraph:kz.store") == ("oxigraph", "kz.store")
    assert parse_spec("sparql:http://h:7878/query#https://g") == ("sparql", "http://h:7878/query#https://g")
    with pytest.raises(KzError, match="memory, oxigraph:PATH or sparql:URL"):
        parse_spec("postgres:db")


def test_the_modules_are_not_shadowed_by_the_functions():
    import kzgraph.sparql

    assert callable(kzgraph.query) and kzgraph.query is kzgraph.sparql.query
    assert hasattr(kzgraph.sparql, "named_queries")


def test_a_renamed_label_is_found_in_a_graph_the_user_holds():
    """The name index follows the store's generation: an edit that keeps the size is seen."""
    graph = Graph()
    graph += kzgraph.load()
    assert resolve(graph, "Nur Otan") == KZR["nur-otan"]
    size = len(graph)
    graph.remove((KZR["nur-otan"], RDFS.label, Literal("Nur Otan", lang="en")))
    graph.add((KZR["nur-otan"], RDFS.label, Literal("Otan Renamed", lang="en")))
    assert len(graph) == size
    assert resolve(graph, "Otan Renamed") == KZR["nur-otan"]


def test_edits_through_the_loaded_graph_are_answered_by_its_store():
    graph = kzgraph.load()  # Oxigraph-backed: the edit goes to the store that answers
    graph.add((KZR["scratch"], RDFS.label, Literal("Scratch Thing", lang="en")))
    assert resolve(graph, "Scratch Thing") == KZR["scratch"]
    assert kzgraph.query(graph, "ASK { kzr:scratch ?p ?o }").boolean is True


def test_a_pyoxigraph_store_the_user_holds_is_answered_in_place():
    import pyoxigraph as ox

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(str(KZR["x"])), ox.NamedNode(str(RDFS.label)), ox.Literal("Ex", language="en")))
    assert resolve(store, "Ex") == KZR["x"]
    assert [r[0].value for r in kzgraph.query(store, "SELECT ?l WHERE { ?s rdfs:label ?l }").rows] == ["Ex"]
    assert len(open_store(store)) == 1


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_query_path_does_not_import_rdflib(tmp_path, fmt):
    env = dict(os.environ, KZGRAPH_CACHE_DIR=str(tmp_path), PYTHONPATH=str(Path(kzgraph.__file__).parents[1]))
    run = [sys.executable, "-c", "import sys\nfrom kzgraph.cli import main\ntry:\n    main(sys.argv[1:])\n"
           "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'rdflib'), file=sys.stderr)",
           "query", "--name", "class-counts", "--format", fmt]
    subprocess.run(run, capture_output=True, env=env, check=True)  # fills the start-up cache (parses with rdflib)
    warm = subprocess.run(run, capture_output=True, text=True, env=env, check=True)
    assert "kz:Person" in warm.stdout or "ontology#Person" in warm.stdout
    assert warm.stderr.strip().splitlines()[-1] == "[]"
