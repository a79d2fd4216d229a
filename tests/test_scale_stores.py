"""The Oxigraph-backed stores: the memory store's start-up cache and ``--store oxigraph:PATH``."""
from __future__ import annotations

import importlib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef, Variable

import kzgraph
from kzgraph import synthetic
from kzgraph.stores import memory as cache
from kzgraph.stores import ondisk as oxistore
from kzgraph.errors import KzError
from kzgraph.parsing import parse_file
from kzgraph.resources import dataset_files
from kzgraph.namespaces import KZ, KZR, bind_prefixes
from kzgraph.sparql import named_queries
from kzgraph.resources import DATA_DIR


def plain_rdflib(files) -> Graph:
    """The reference: the files parsed into rdflib's memory store, queried by rdflib's engine."""
    graph = bind_prefixes(Graph())
    for file in files:
        parse_file(file, graph)
    return graph


def normalised(result) -> Counter:
    """The rows of a result as comparable values: literals by value (Oxigraph canonicalises 71.10 to 71.1)."""
    if result.type == "ASK":
        return Counter([result.askAnswer])
    if result.type != "SELECT":
        return Counter(_term(t) for triple in result.graph for t in triple)

    return Counter(tuple(_term(row.get(var)) for var in result.vars) for row in result.bindings)


def rows(result) -> Counter:
    """The rows of a SELECT result as they are (ORDER BY ties may come in either order)."""
    return Counter(tuple(row.get(var) for var in result.vars) for row in result.bindings)


def _term(term):
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        value = term.toPython()
        return ("literal", value if not isinstance(value, Literal) else str(value),
                (term.language or "").lower())
    return term


def examples(named) -> list[dict]:
    """No parameters, plus the concrete ``--param K=V`` examples its header gives (all together)."""
    params = {var: value for var, value in re.findall(r"--param[ =](\w+)=([^\s…`]+)", "\n".join(named.header))
              if f"?{var}" in named.text}
    return [{}, params] if params else [{}]


@pytest.fixture(scope="module")
def synthetic_10k(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "synthetic-10k.nt"
    synthetic.write(path, 10_000, seed=5)
    return path


@pytest.mark.parametrize("dataset", ["bundled", "synthetic-10k"])
@pytest.mark.slow
def test_every_named_query_answers_alike_on_rdflib_memory_and_oxigraph_stores(dataset, synthetic_10k, tmp_path):
    data = [] if dataset == "bundled" else [synthetic_10k]
    files = dataset_files(data)
    memory = kzgraph.load(data)
    oxistore.load_store(tmp_path / "store", files)
    on_disk = kzgraph.load(store=f"oxigraph:{tmp_path / 'store'}")
    # rdflib's engine over the triples as Oxigraph holds them (it canonicalises "9.10" to 9.1, which
    # shows in STR()): what is compared is the engines, not the storage
    reference = bind_prefixes(Graph())
    for triple in on_disk:
        reference.add(triple)
    assert len(plain_rdflib(files)) == len(memory) == len(on_disk) == len(reference) > 20
    compared = 0
    for named in named_queries():
        for params in examples(named):
            answers = [kzgraph.query(graph, name=named.name, params=params) for graph in (memory, on_disk)]
            assert answers[0].vars == answers[1].vars, named.name
            assert rows(answers[0]) == rows(answers[1]), named.name
            expected = normalised(kzgraph.query(reference, name=named.name, params=params))
            assert normalised(answers[0]) == expected, (named.name, params)
            compared += 1
    assert compared >= 2


def memory_store(files) -> cache.MemoryStore:
    store = cache.MemoryStore()
    store.load(files)
    return store


def copy_of_bundled_data(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


EXTRA = f"\n<{KZR['test-person']}> a <{KZ.Person}> .\n"


def test_a_changed_data_file_invalidates_the_cache(tmp_path):
    data = copy_of_bundled_data(tmp_path)
    files = dataset_files([data], bundled=False)
    before = memory_store(files).graph()
    assert cache.cache_file(files).is_file()
    assert (KZR["test-person"], None, None) not in before
    target = files[0]
    target.write_text(target.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    after = memory_store(files).graph()
    assert (KZR["test-person"], None, None) in after
    assert len(after) == len(before) + 1


def test_an_unchanged_dataset_is_read_from_the_cache_without_parsing(tmp_path, monkeypatch):
    files = dataset_files([copy_of_bundled_data(tmp_path)], bundled=False)
    expected = len(memory_store(files).graph())

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(importlib.import_module("kzgraph.parsing"), "parse_file", no_parsing)
    store = memory_store(files)
    assert len(store) == expected
    assert store.prefixes["kzr"] == str(KZR)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "prefix", "header only", "empty"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path, damage):
    files = dataset_files([copy_of_bundled_data(tmp_path)], bundled=False)
    expected = len(memory_store(files).graph())
    path = cache.cache_file(files)
    data = path.read_bytes()
    broken = {"garbage": b"\x00\xffnot a cache <",
              "truncated": data[: len(data) * 2 // 3],
              "flipped": data[::-1].replace(b"/di/hpargzk", b"/Xi/hpargzk", 1)[::-1],
              "prefix": data.replace(b"\n# prefix ", b"\n# prefix x", 1),  # the digest covers the prefixes too
              "header only": b"".join(data.splitlines(keepends=True)[:2]),
              "empty": b""}[damage]
    path.write_bytes(broken)
    assert len(memory_store(files).graph()) == expected
    assert path.read_bytes() == data


def test_changing_a_loaded_graph_does_not_change_the_cache():
    graph = kzgraph.load()
    size = len(graph)
    graph.add((KZR["scratch"], KZ.note, Literal("only in this copy")))
    assert len(kzgraph.load()) == size


def test_load_twice_gives_the_same_store_and_says_so(cli, tmp_path):
    store = f"oxigraph:{tmp_path / 'kz'}"
    first = cli("load", "--store", store)
    assert first.exit_code == 0, first.output
    count = oxistore.manifest(tmp_path / "kz")["triples"]
    assert f"loaded {count:,} triples" in first.stderr
    again = cli("load", "--store", store)
    assert "up to date" in again.stderr and oxistore.manifest(tmp_path / "kz")["triples"] == count
    forced = cli("--store", store, "load", "--force")
    assert forced.exit_code == 0 and f"loaded {count:,} triples" in forced.stderr
    assert len(kzgraph.load(store=store)) == count == len(kzgraph.load())
    assert len(list((tmp_path / "kz").glob("load-*"))) == 1


def test_read_commands_run_on_the_store_not_the_files(cli, tmp_path):
    data = copy_of_bundled_data(tmp_path)
    store = f"oxigraph:{tmp_path / 'kz'}"
    assert cli("load", "--store", store, "--data", str(data)).exit_code == 0
    on_store = cli("--store", store, "query", "--name", "class-counts", "--format", "csv")
    in_memory = cli("--data", str(data), "query", "--name", "class-counts", "--format", "csv")
    assert on_store.exit_code == 0 and on_store.stdout == in_memory.stdout
    for file in data.iterdir():
        file.write_text("this is not turtle", encoding="utf-8")
    assert cli("--store", store, "query", "--name", "class-counts", "--format", "csv").stdout == on_store.stdout


def test_a_failed_load_leaves_the_old_store(tmp_path, monkeypatch):
    data = copy_of_bundled_data(tmp_path)
    files = dataset_files([data])
    oxistore.load_store(tmp_path / "kz", files)
    old = oxistore.manifest(tmp_path / "kz")
    real = oxistore._bulk_load
    calls = []

    def crash_on_third_file(db, file, progress):
        calls.append(file)
        if len(calls) == 3:
            raise RuntimeError("simulated crash")
        real(db, file, progress)

    monkeypatch.setattr(oxistore, "_bulk_load", crash_on_third_file)
    files[-1].write_text(files[-1].read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    with pytest.raises(RuntimeError, match="simulated"):
        oxistore.load_store(tmp_path / "kz", files)
    assert oxistore.manifest(tmp_path / "kz") == old
    assert [p.name for p in (tmp_path / "kz").glob("load-*")] == [Path(old["dir"]).name]
    graph = oxistore.OnDiskStore.open(str(tmp_path / "kz")).graph()
    assert len(graph) == old["triples"] and (KZR["test-person"], None, None) not in graph


def test_reading_a_store_never_loaded_is_one_clear_line(cli, user_error, tmp_path):
    user_error(cli("--store", f"oxigraph:{tmp_path / 'none'}", "query", "--name", "class-counts"),
               f"oxigraph:{tmp_path / 'none'}", "kzgraph load")


def test_a_store_loaded_from_other_data_is_refused(cli, user_error, tmp_path):
    store = f"oxigraph:{tmp_path / 'kz'}"
    assert cli("load", "--store", store).exit_code == 0
    user_error(cli("--store", store, "--data", str(copy_of_bundled_data(tmp_path)), "query", "--name", "class-counts"),
               "loaded from other files")


def test_a_syntax_error_while_loading_names_file_and_line(cli, user_error, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kz: <https://w3id.org/kzgraph/ontology#> .\n\nkz:a kz:b .\n", encoding="utf-8")
    user_error(cli("load", "--store", f"oxigraph:{tmp_path / 'kz'}", "--data", str(bad)), f"{bad}:3:")
    assert oxistore.manifest(tmp_path / "kz") is None and not list((tmp_path / "kz").glob("load-*"))


def test_query_errors_read_the_same_on_a_native_store(cli, tmp_path):
    store = f"oxigraph:{tmp_path / 'kz'}"
    assert cli("load", "--store", store).exit_code == 0
    for bad in ("SELECT ?x WHERE { ?x ?y }", "INSERT DATA { <a:b> <a:b> <a:c> }"):
        native = cli("--store", store, "query", bad)
        assert native.exit_code == 1
        reference_error = None
        try:
            kzgraph.query(plain_rdflib(dataset_files()), bad)
        except KzError as exc:
            reference_error = str(exc)
        assert native.stderr.strip() == f"Error: {reference_error}"


def test_native_params_bind_and_unknown_params_are_refused(tmp_path):
    graph = kzgraph.load()
    office = URIRef(KZR["president-of-kazakhstan"])
    sparql = "SELECT ?tenure ?office WHERE { ?tenure kz:office ?office }"
    rows = kzgraph.query(graph, sparql, params={"office": office}).bindings
    assert rows and {row[Variable("office")] for row in rows} == {office}
    with pytest.raises(KzError, match=r"no variable \?date"):
        kzgraph.query(graph, sparql, params={"date": "2020-01-01"})
