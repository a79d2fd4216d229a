"""`kzgraph export`: every format parses back, reruns are byte-identical, writes are atomic."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

import kzgraph
from kzgraph.export import FORMATS, RDF_FORMATS, serialize
from kzgraph.namespaces import GRAPH_IRI, KZ
from kzgraph.network import project

PARSERS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml", "trig": "trig"}


def parse_back(data: bytes, fmt: str) -> Graph:
    if fmt == "trig":
        ds = Dataset()
        ds.parse(data=data, format="trig")
        return ds.graph(URIRef(GRAPH_IRI))
    return Graph().parse(data=data, format=PARSERS[fmt])


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_formats_round_trip(graph, fmt):
    assert isomorphic(parse_back(serialize(graph, fmt), fmt), graph)


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_runs_are_byte_identical(fmt):
    assert serialize(kzgraph.load(), fmt) == serialize(kzgraph.load(), fmt)


DIGESTS = """
import hashlib, json, kzgraph
from kzgraph.export import FORMATS, serialize
graph = kzgraph.load()
print(json.dumps({fmt: hashlib.sha256(serialize(graph, fmt)).hexdigest() for fmt in FORMATS}))
"""


def test_runs_in_other_processes_are_byte_identical():
    """Each process has its own hash seed: set-ordered output differs between runs, not within one."""
    src = str(Path(kzgraph.__file__).parents[1])
    digests = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
        run = subprocess.run([sys.executable, "-c", DIGESTS], env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        digests.append(json.loads(run.stdout))
    assert set(digests[0]) == set(FORMATS)
    assert {f for f in FORMATS if digests[0][f] != digests[1][f]} == set()


def test_turtle_uses_the_project_prefixes(graph):
    text = serialize(graph, "turtle").decode()
    assert "@prefix kz: <https://w3id.org/kzgraph/ontology#> ." in text
    assert "@prefix kzr: <https://w3id.org/kzgraph/id/> ." in text


def test_csv_has_one_row_per_triple(graph):
    rows = list(csv.DictReader(io.StringIO(serialize(graph, "csv").decode())))
    assert len(rows) == len(graph)
    rebuilt = Graph()
    for row in rows:
        if row["object_kind"] == "iri":
            obj = URIRef(row["object"])
        else:
            obj = Literal(row["object"], lang=row["language"] or None, datatype=row["datatype"] or None)
        rebuilt.add((URIRef(row["subject"]), URIRef(row["predicate"]), obj))
    assert isomorphic(rebuilt, graph)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_carry_labels_and_classes(graph, fmt):
    data = serialize(graph, fmt)
    ET.fromstring(data)  # well-formed XML
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    net = read(io.BytesIO(data))
    expected = project(graph)
    assert net.number_of_nodes() == expected.number_of_nodes()
    assert net.number_of_edges() == expected.number_of_edges()
    for node, attrs in expected.nodes(data=True):
        assert net.nodes[node]["label"] == attrs["label"]
        assert net.nodes[node]["class"] == attrs["class"]


def test_infer_adds_entailments(graph):
    inferred = Graph().parse(data=serialize(graph, "turtle", infer_entailments=True), format="turtle")
    assert len(inferred) > len(graph)
    person = next(graph.subjects(RDF.type, KZ.Person))
    for superclass in graph.transitive_objects(KZ.Person, RDFS.subClassOf):
        assert (person, RDF.type, superclass) in inferred


def test_export_cli_writes_a_file(cli, tmp_path, graph):
    out = tmp_path / "g.nt"
    result = cli("export", "--format", "nt", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert isomorphic(Graph().parse(out, format="nt"), graph)


@pytest.mark.parametrize("name, fmt", [("g.nt", "nt"), ("g.JSONLD", "jsonld"), ("g.rdf", "xml"), ("g.owl", "xml"),
                                       ("g.trig", "trig"), ("g.gexf", "gexf"), ("g.csv", "csv"), ("g.txt", "turtle")])
def test_export_cli_format_follows_the_suffix(cli, tmp_path, graph, name, fmt):
    out = tmp_path / name
    result = cli("export", "-o", str(out))
    assert result.exit_code == 0 and f"({fmt}," in result.stderr
    assert out.read_bytes() == serialize(graph, fmt)  # a g.nt of Turtle would puzzle every reader


def test_export_cli_format_given_wins_over_the_suffix(cli, tmp_path, graph):
    out = tmp_path / "g.nt"
    assert cli("export", "--format", "turtle", "-o", str(out)).exit_code == 0
    assert isomorphic(Graph().parse(out, format="turtle"), graph)


def test_export_cli_to_stdout(cli, graph):
    result = cli("export")
    assert isomorphic(Graph().parse(data=result.stdout_bytes, format="turtle"), graph)


def test_unknown_format_is_bad_usage(cli, tmp_path):
    out = tmp_path / "g.x"
    result = cli("export", "--format", "yaml", "-o", str(out))
    assert result.exit_code == 2 and "yaml" in result.stderr
    assert not out.exists()


def test_failed_export_leaves_the_previous_file(cli, tmp_path, monkeypatch):
    out = tmp_path / "g.ttl"
    out.write_text("previous", encoding="utf-8")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kzgraph.atomic.os.fsync", disk_full)  # fails after the bytes went out
    result = cli("export", "-o", str(out))
    monkeypatch.undo()
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]  # no temp file left behind


def test_bad_data_file_writes_nothing(cli, tmp_path, user_error):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n', encoding="utf-8")
    out = tmp_path / "out.ttl"
    user_error(cli("--data", str(bad), "export", "-o", str(out)), f"{bad}:3:")
    assert not out.exists()
