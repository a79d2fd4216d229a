"""`kzgraph query` and `kzgraph queries`: every form of input and every results format."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib.namespace import RDFS

from kzgraph.sparql import named_queries

LABELS = "SELECT ?thing ?label WHERE { ?thing a kz:Person ; rdfs:label ?label } ORDER BY ?thing"


def test_queries_lists_every_named_query_with_its_question(cli):
    result = cli("queries")
    assert result.exit_code == 0
    shown = result.stdout.splitlines()
    assert len(shown) == len(named_queries()) > 0
    for named in named_queries():
        assert named.question, f"{named.path} has no header comment"
        assert any(line.startswith(named.name) and named.question in line for line in shown)


def test_table_uses_prefixed_names_and_counts_rows(cli, graph):
    people = sorted(graph.subjects(predicate=None, object=None, unique=True))
    result = cli("query", LABELS)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["thing", "label"]
    assert set(lines[1]) <= {"-", " "}
    assert "kzr:" in lines[2] and "https://" not in lines[2]
    expected = len(list(graph.query(LABELS)))
    assert lines[-1] == f"({expected} row{'s' if expected != 1 else ''})"
    assert people  # the graph is not empty


def test_piped_output_has_no_colour_codes(cli):
    for args in (("query", LABELS), ("queries",)):
        assert "\x1b[" not in cli(*args).stdout


def test_csv_follows_the_sparql_csv_format(cli, graph):
    out = cli("query", LABELS, "--format", "csv").stdout_bytes.decode()  # .stdout folds CRLF
    assert out.startswith("thing,label\r\n")
    assert out.endswith("\r\n") and "\n" not in out.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(out)))[1:]
    expected = [[str(r.thing), str(r.label)] for r in graph.query(LABELS)]
    assert rows == expected


def test_tsv_follows_the_sparql_tsv_format(cli, graph):
    out = cli("query", LABELS, "--format", "tsv").stdout
    lines = out.rstrip("\n").split("\n")
    assert lines[0] == "?thing\t?label"
    expected = [f"<{r.thing}>\t\"{r.label}\"@en" for r in graph.query(LABELS)]
    assert lines[1:] == expected


def test_json_follows_the_sparql_json_format(cli, graph):
    doc = json.loads(cli("query", LABELS, "--format", "json").stdout)
    assert doc["head"]["vars"] == ["thing", "label"]
    expected = list(graph.query(LABELS))
    assert len(doc["results"]["bindings"]) == len(expected)
    first = doc["results"]["bindings"][0]
    assert first["thing"] == {"type": "uri", "value": str(expected[0].thing)}
    assert first["label"] == {"type": "literal", "value": str(expected[0].label), "xml:lang": "en"}


def test_json_typed_literals_and_unbound_variables(cli):
    doc = json.loads(cli("query", 'SELECT ?n ?none WHERE { BIND(42 AS ?n) }', "--format", "json").stdout)
    assert doc["results"]["bindings"] == [
        {"n": {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
    ]


@pytest.mark.parametrize("fmt,expected", [("json", '"boolean":true'), ("csv", "true"), ("tsv", "true"), ("table", "true")])
def test_ask(cli, fmt, expected):
    result = cli("query", "ASK { ?s a kz:Person }", "--format", fmt)
    assert result.exit_code == 0 and expected in result.stdout


def test_construct_prints_turtle_with_prefixes(cli, graph):
    out = cli("query", "CONSTRUCT { ?p a kz:Person } WHERE { ?p a kz:Person }").stdout
    from rdflib import Graph

    parsed = Graph().parse(data=out, format="turtle")
    assert len(parsed) == len(list(graph.query("SELECT ?p WHERE { ?p a kz:Person }")))
    assert "@prefix kz:" in out


def test_describe_prints_turtle(cli):
    out = cli("query", "DESCRIBE ?p WHERE { ?p a kz:Person }").stdout
    assert "kz:Person" in out


def test_query_from_file_and_by_name(cli, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(LABELS, encoding="utf-8")
    assert cli("query", "-f", str(path)).stdout == cli("query", LABELS).stdout
    assert cli("query", "--name", "class-counts").exit_code == 0


def test_query_from_standard_input(cli, user_error):
    result = cli("query", "-f", "-", "--format", "csv", input="SELECT ?p WHERE { ?p a kz:Person } ORDER BY ?p")
    assert result.exit_code == 0 and "https://w3id.org/kzgraph/id/kassym-jomart-tokayev" in result.stdout
    user_error(cli("query", "-f", "-", input="ASK {"), "stdin:1:")


def test_param_binds_iri_date_number_and_string(cli, graph):
    person = next(iter(graph.query("SELECT ?p WHERE { ?p a kz:Person } LIMIT 1"))).p
    prefixed = graph.namespace_manager.normalizeUri(person)
    q = "SELECT ?label WHERE { ?p rdfs:label ?label }"
    label = graph.value(person, RDFS.label)
    for value in (prefixed, f"<{person}>", str(person)):
        assert cli("query", q, "--param", f"p={value}", "--format", "csv").stdout == f"label\n{label}\n"
    typed = "SELECT ?d (DATATYPE(?d) AS ?t) WHERE {}"
    for value, datatype in (("2019-03-20", "date"), ("2019-03", "gYearMonth"), ("7", "integer"),
                            ("70.5", "decimal"), ("Tokayev", "string")):
        out = cli("query", typed, "--param", f"d={value}", "--format", "csv").stdout
        assert out.splitlines()[1] == f"{value},http://www.w3.org/2001/XMLSchema#{datatype}"


def test_param_is_not_pasted_into_the_query(cli):
    hostile = 'x" } } DROP ALL # '
    out = cli("query", "SELECT ?s WHERE { BIND(STR(?s) AS ?x) }", "--param", f"s={hostile}", "--format", "csv")
    assert out.exit_code == 0
    assert list(csv.reader(io.StringIO(out.stdout))) == [["s"], [hostile]]


# --- bad input: one line, exit 1, no traceback -------------------------------------------------

def test_invalid_sparql_names_the_position(cli, user_error):
    user_error(cli("query", "SELECT ?x WHERE { ?x ?y }"), "query:1:", "syntax error")


def test_invalid_sparql_in_a_file_names_the_file(cli, user_error, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?x\nWHERE { ?x ?y ", encoding="utf-8")
    user_error(cli("query", "-f", str(path)), str(path))


def test_update_is_refused(cli, user_error, graph):
    before = len(graph)
    user_error(cli("query", "INSERT DATA { kzr:x rdfs:label 'x' }"), "UPDATE")
    user_error(cli("query", "DROP ALL"), "UPDATE")
    assert len(graph) == before


def test_param_for_a_missing_variable(cli, user_error):
    user_error(cli("query", "SELECT ?a WHERE { ?a ?b ?c }", "--param", "nope=1"), "?nope")


def test_malformed_param(cli, user_error):
    user_error(cli("query", "SELECT ?a WHERE { ?a ?b ?c }", "--param", "novalue"), "NAME=VALUE")


def test_unknown_named_query_suggests_close_names(cli, user_error):
    line = user_error(cli("query", "--name", "class-count"), "class-count")
    assert "did you mean class-counts" in line


def test_missing_query_file(cli, user_error, tmp_path):
    user_error(cli("query", "-f", str(tmp_path / "none.rq")), "none.rq")


def test_two_queries_at_once_is_bad_usage(cli):
    assert cli("query", LABELS, "--name", "class-counts").exit_code == 2
