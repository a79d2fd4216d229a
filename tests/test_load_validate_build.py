"""Loading, `kzgraph validate` and `kzgraph build`, with good and bad input."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import kzgraph
from kzgraph.building import class_counts
from kzgraph.resources import DATA_DIR, ONTOLOGY_FILE, SHAPES_FILE

GOOD = """@prefix kz: <https://w3id.org/kzgraph/ontology#> .
@prefix kzr: <https://w3id.org/kzgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kzr:test-person a kz:Person ; rdfs:label "Test Person"@en .
"""
BROKEN_SYNTAX = GOOD + 'kzr:test-person rdfs:label "unterminated .\n'


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_files_ship_with_the_package():
    assert ONTOLOGY_FILE.is_file() and SHAPES_FILE.is_file()
    assert sorted(DATA_DIR.glob("*.ttl"))


def test_load_merges_extra_data(graph, tmp_path):
    extra = write(tmp_path, "extra.ttl", GOOD)
    merged = kzgraph.load([tmp_path])
    assert len(merged) == len(graph | Graph().parse(extra))
    assert isomorphic(kzgraph.load([extra]), merged)


def test_load_without_bundled_data(tmp_path):
    write(tmp_path, "extra.ttl", GOOD)
    assert len(kzgraph.load([tmp_path], bundled=False)) == 2


def test_syntax_error_names_file_and_line(cli, tmp_path, user_error):
    bad = write(tmp_path, "bad.ttl", BROKEN_SYNTAX)
    user_error(cli("--data", str(bad), "query", "ASK {}"), f"{bad}:5:", "syntax error")


def test_missing_data_path(cli, tmp_path, user_error):
    user_error(cli("--data", str(tmp_path / "nope"), "query", "ASK {}"), "nope", "no such file")


def test_unknown_store(cli, user_error):
    user_error(cli("--store", "mongodb:x", "query", "ASK {}"), "mongodb:x")


@pytest.mark.slow
def test_validate_passes_on_the_bundled_dataset(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "conform" in result.stderr


def test_validate_reports_a_syntax_error_with_its_line(cli, tmp_path):
    bad = write(tmp_path, "bad.ttl", BROKEN_SYNTAX)
    result = cli("validate", str(bad))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{bad}:5:")


def test_validate_names_file_thing_and_fault(cli, tmp_path):
    tenure = GOOD.replace("kzr:test-person a kz:Person", "kzr:tenure-broken a kz:Tenure")
    bad = write(tmp_path, "tenure.ttl", tenure)
    result = cli("validate", str(bad))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"{bad}: kzr:tenure-broken: ") for line in lines)
    assert any("holder" in line for line in lines)


@pytest.mark.slow
def test_build_writes_the_merged_graph_and_a_summary(cli, tmp_path, graph):
    out = tmp_path / "out"
    result = cli("build", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert isomorphic(Graph().parse(out / "kzgraph.ttl"), graph)
    assert f"{len(graph):,} triples" in result.stdout
    for name, count in class_counts(graph):
        assert any(line.split() == [name, str(count)] for line in result.stdout.splitlines())


@pytest.mark.slow
def test_build_refuses_invalid_data_and_writes_nothing(cli, tmp_path, user_error):
    data = tmp_path / "data"
    data.mkdir()
    write(data, "tenure.ttl", GOOD.replace("kzr:test-person a kz:Person", "kzr:tenure-broken a kz:Tenure"))
    out = tmp_path / "out"
    user_error(cli("--data", str(data), "build", "-o", str(out)), "kzr:tenure-broken", "nothing written")
    assert not out.exists()


@pytest.mark.parametrize("args", [("build", "-o", "{out}"), ("validate",), ("query", "ASK {}")])
def test_syntax_error_in_data_fails_every_command_cleanly(cli, tmp_path, user_error, args):
    bad = write(tmp_path, "bad.ttl", BROKEN_SYNTAX)
    out = tmp_path / "out"
    result = cli("--data", str(bad), *(a.replace("{out}", str(out)) for a in args))
    if args[0] == "validate":
        assert result.exit_code == 1 and result.stdout.startswith(f"{bad}:5:")
    else:
        user_error(result, f"{bad}:5:")
    assert not out.exists()


def test_build_reads_each_data_file_once(tmp_path, monkeypatch):
    """On a cold cache the files are parsed once, for the graph that is both validated and written."""
    import importlib

    from kzgraph.resources import dataset_files

    monkeypatch.setenv("KZGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    parsing = importlib.import_module("kzgraph.parsing")
    real, seen = parsing.parse_file, []
    monkeypatch.setattr(parsing, "parse_file", lambda path, *a, **k: seen.append(str(path)) or real(path, *a, **k))
    kzgraph.build(tmp_path / "out")
    assert sorted(seen) == sorted(str(f) for f in dataset_files())  # each once
