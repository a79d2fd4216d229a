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
from kzgraph.exporting import FORMATS, RDF_FORMATS, serialize
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
from kzgraph.exporting import FORMATS, serialize
graph = kzgraph.load()
print(json.dumps({fmt: hashlib.sha256(serialize(graph, fmt)).hexdigest() for fmt in FORMATS}))
"""


@pytest.mark.slow
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
        if row["object"][:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r"):   # text marked so no spreadsheet runs it
            row["object"] = row["object"][1:]
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


@pytest.mark.slow
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


GEXF_SCHEMA = Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "gexf-1.2draft" / "gexf.xsd"
PARTIAL_DATES = Path(__file__).parent / "fixtures" / "partial-dates.ttl"
YEARS_ONLY = """@prefix kz: <https://w3id.org/kzgraph/ontology#> . @prefix kzr: <https://w3id.org/kzgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kzr:y-office a kz:Office ; rdfs:label "Year Office"@en . kzr:y-person a kz:Person ; rdfs:label "Year Person"@en .
kzr:y-tenure a kz:Tenure ; kz:holder kzr:y-person ; kz:office kzr:y-office ;
  kz:startDate "1985"^^xsd:gYear ; kz:endDate "1989"^^xsd:gYear .
"""


@pytest.mark.skipif(not GEXF_SCHEMA.exists(), reason=f"no GEXF schema at {GEXF_SCHEMA}")
def test_gexf_is_valid_against_the_gexf_schema(graph, tmp_path):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(GEXF_SCHEMA)))
    years = tmp_path / "years.ttl"
    years.write_text(YEARS_ONLY, encoding="utf-8")
    for g in (graph, kzgraph.load([PARTIAL_DATES]), kzgraph.load([years], bundled=False)):
        document = etree.fromstring(serialize(g, "gexf"))
        assert schema.validate(document), schema.error_log.last_error


def test_gexf_is_dynamic_in_the_data_s_time_format(tmp_path):
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(serialize(kzgraph.load([PARTIAL_DATES]), "gexf"))
    graph_element = root.find("g:graph", ns)
    assert (graph_element.get("mode"), graph_element.get("timeformat")) == ("dynamic", "date")
    spells = {(e.get("source").rsplit("/", 1)[1], e.get("start"), e.get("end")) for e in root.iterfind(".//g:edge", ns)}
    assert ("test-person-year", "1985-01-01", "1989-12-31") in spells  # years and months stand for their days
    assert ("test-person-month", "1989-06-01", "1990-02-28") in spells
    assert ("test-person-open", "2000-03-01", None) in spells  # still held: no end
    month = root.find(".//g:node[@label='Test event in March 1995']", ns)
    assert (month.get("start"), month.get("end")) == ("1995-03-01", "1995-03-31")
    assert root.find(".//g:node[@label='Test Office']", ns).get("start") is None  # undated: always there
    years = tmp_path / "years.ttl"
    years.write_text(YEARS_ONLY, encoding="utf-8")
    root = ET.fromstring(serialize(kzgraph.load([years], bundled=False), "gexf"))
    assert root.find("g:graph", ns).get("timeformat") == "integer"
    [edge] = root.iterfind(".//g:edge", ns)
    assert (edge.get("start"), edge.get("end")) == ("1985", "1989")


def _result_edge(net):
    [(_, _, attrs)] = [e for e in net.edges(data=True) if "ak-zhol" in e[0] and "2021" in e[1]]
    return attrs


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_are_typed_with_no_internal_attributes(graph, fmt):
    data = serialize(graph, fmt)
    assert b"networkx_key" not in data
    net = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(data))
    result = _result_edge(net)
    assert (result["vote_share"], result["votes"], result["seats"]) == (10.95, 792828, 12)
    assert type(result["vote_share"]) is float and type(result["votes"]) is int and type(result["seats"]) is int
    expected = project(graph)
    tokayev = "https://w3id.org/kzgraph/id/kassym-jomart-tokayev"
    assert net.nodes[tokayev]["degree"] == expected.degree(tokayev) and type(net.nodes[tokayev]["degree"]) is int
    keys = {k for _, attrs in net.nodes(data=True) for k in attrs} | {k for *_, attrs in net.edges(data=True) for k in attrs}
    assert not {k for k in keys if "networkx" in k or k == "key"}


def test_network_files_read_back_in_igraph(graph, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = tmp_path / "kz.graphml"
    path.write_bytes(serialize(graph, "graphml"))
    read = igraph.Graph.Read_GraphML(str(path))
    expected = project(graph)
    assert (read.vcount(), read.ecount()) == (expected.number_of_nodes(), expected.number_of_edges())
    assert read.is_directed()
    [result] = [e for e in read.es if e["relation"] == "result" and "ak-zhol" in e["statement"] and "2021" in e["statement"]]
    assert (result["vote_share"], result["votes"], result["seats"]) == (10.95, 792828, 12)
    tokayev = read.vs.find(id="https://w3id.org/kzgraph/id/kassym-jomart-tokayev")
    assert tokayev["degree"] == read.degree(tokayev.index) == expected.degree(tokayev["id"])
    # igraph has no GEXF reader: it takes the GEXF file through networkx
    from_gexf = igraph.Graph.from_networkx(nx.read_gexf(io.BytesIO(serialize(graph, "gexf"))))
    assert (from_gexf.vcount(), from_gexf.ecount()) == (read.vcount(), read.ecount())
    assert sorted(e["seats"] for e in from_gexf.es if e["seats"] is not None) == sorted(
        e["seats"] for e in read.es if e["seats"] == e["seats"])  # NaN: no seats
