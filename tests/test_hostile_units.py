"""Hostile input and faults that the corpus (``test_hostile.py``) cannot state as one command or request."""
from __future__ import annotations

import fcntl
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kzgraph import sparql_workers


def test_long_queries_are_not_cached_by_the_server():
    """The parse cache holds 512 queries: long ones would make it hold 512 × the request limit."""
    sparql_workers._vet_cached.cache_clear()
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * sparql_workers.CACHED_QUERY
    assert sparql_workers.vet(long)[2] is None
    assert sparql_workers.vet("ASK {}")[2] is None
    assert sparql_workers._vet_cached.cache_info().currsize == 1


def _kzgraph(*args, cwd):
    import os
    import sys

    import kzgraph

    env = dict(os.environ, PYTHONPATH=str(Path(kzgraph.__file__).parents[1]))
    # a shell's background job ignores SIGINT, and a child inherits that: give kzgraph a terminal's Ctrl-C
    return subprocess.Popen([sys.executable, "-m", "kzgraph", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_a_second_load_while_one_runs_stops_with_one_line(tmp_path, cli, user_error):
    from kzgraph.stores.ondisk import LOCK

    assert cli("load", "--store", f"oxigraph:{tmp_path / 'st'}").exit_code == 0
    with open(tmp_path / "st" / LOCK, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        user_error(cli("load", "--store", f"oxigraph:{tmp_path / 'st'}", "--force"),
                   f"oxigraph:{tmp_path / 'st'}", "another `kzgraph load`")
    assert cli("--store", f"oxigraph:{tmp_path / 'st'}", "query", "ASK { ?s ?p ?o }").stdout.endswith("true\n")


def test_loads_and_reads_at_once_keep_the_store_whole(tmp_path):
    """Four forced loads and four readers started together: every load succeeds or stops with
    the lock's one line, every reader answers, and the store works after."""
    loads = [_kzgraph("load", "--store", "oxigraph:st", "--force", cwd=tmp_path) for _ in range(4)]
    time.sleep(0.5)
    reads = [_kzgraph("--store", "oxigraph:st", "query", "ASK { ?s ?p ?o }", cwd=tmp_path) for _ in range(4)]
    for proc in loads:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 or (proc.returncode == 1 and "another `kzgraph load`" in err), err
        assert "Traceback" not in err
    for proc in reads:
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err
        assert out.endswith("true\n") or "no kzgraph store here" in err, err
    after = _kzgraph("--store", "oxigraph:st", "query", "ASK { ?s ?p ?o }", cwd=tmp_path)
    assert after.communicate(timeout=60)[0].endswith("true\n")
    assert len(list((tmp_path / "st").glob("load-*"))) == 1


ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"  # 1,375³ rows to count


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_ctrl_c_stops_a_running_query_within_a_second(tmp_path, store):
    where = "memory" if store == "memory" else f"oxigraph:{tmp_path / 'st'}"
    if store == "oxigraph":
        assert _kzgraph("load", "--store", where, cwd=tmp_path).wait(120) == 0
    proc = _kzgraph("--store", where, "query", ENDLESS, cwd=tmp_path)
    time.sleep(3)  # well into the query
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 1.0
    assert proc.returncode == 1 and err.strip() == "Error: query: interrupted", err


def test_timeout_stops_a_query_with_one_line(tmp_path):
    # in a process of its own: the abandoned query would go on burning a core in pytest's
    started = time.monotonic()
    out, err = _kzgraph("--timeout", "0.5", "query", ENDLESS, cwd=tmp_path).communicate(timeout=60)
    assert time.monotonic() - started < 10
    assert err.strip() == "Error: query: stopped after 0.5 s (--timeout SECONDS allows more)"


NASTY = ["line\u2028separator", "paragraph\u2029separator", "next\u0085line", "form\x0cfeed", "carriage\rreturn",
         "crlf\r\nend", "escape \x1b[2J", "tab\tx", "quote\"'<&>]]>", "\ud7ff\ue000\ufffd", "emoji 😀", " lead",
         "back\\slash", '"""', "=HYPERLINK(\"http://e\")"]


def nasty_graph():
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    for i, text in enumerate(NASTY):
        graph.add((URIRef(f"https://w3id.org/kzgraph/id/n{i}"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                   Literal(text, lang="en")))
    return graph


@pytest.mark.parametrize("fmt", ["nt", "turtle", "jsonld", "trig"])
def test_every_rdf_export_parses_back_to_the_same_graph(fmt):
    from rdflib import Dataset, Graph

    from kzgraph.exporting import serialize

    graph = nasty_graph()
    data = serialize(graph, fmt).decode("utf-8")
    if fmt == "trig":
        back = Graph()
        for s, p, o, _ in Dataset().parse(data=data, format="trig").quads():
            back.add((s, p, o))
    else:
        back = Graph().parse(data=data, format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert set(back) == set(graph)


def test_rdf_xml_refuses_what_xml_cannot_carry_and_round_trips_the_rest():
    from rdflib import Graph

    from kzgraph.errors import KzError
    from kzgraph.exporting import serialize

    graph = nasty_graph()
    with pytest.raises(KzError, match="U\\+000C.*XML cannot carry"):
        serialize(graph, "xml")
    for triple in list(graph):
        if any(c in str(triple[2]) for c in "\x0c\x1b"):
            graph.remove(triple)
    assert set(Graph().parse(data=serialize(graph, "xml").decode(), format="xml")) == set(graph)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_are_well_formed_xml_whatever_the_labels(graph, fmt):
    from xml.etree import ElementTree

    from rdflib import Graph, Literal
    from rdflib.namespace import RDFS

    from kzgraph.exporting import serialize
    from kzgraph.namespaces import KZR

    spoilt = Graph()
    for triple in graph:
        spoilt.add(triple)
    spoilt.set((KZR["kassym-jomart-tokayev"], RDFS.label, Literal("Tokayev\x01\x1b[2J\x0c", lang="en")))
    root = ElementTree.fromstring(serialize(spoilt, fmt))
    assert any("\\u0001" in " ".join([e.text or "", *e.attrib.values()]) for e in root.iter())


def test_csv_export_neutralises_spreadsheet_formulas():
    import csv
    import io

    from kzgraph.exporting import serialize

    rows = list(csv.reader(io.StringIO(serialize(nasty_graph(), "csv").decode(), newline="")))
    objects = {row[2] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://e\")" in objects
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_a_cache_file_that_is_a_directory_is_worked_around_and_said_once(capsys):
    from kzgraph.resources import dataset_files
    from kzgraph.stores.memory import MemoryStore, cache_file

    files = dataset_files()
    cache_file(files).unlink(missing_ok=True)
    cache_file(files).mkdir(parents=True)
    try:
        store = MemoryStore()
        store.load(files)
        assert len(store) > 1000
    finally:
        cache_file(files).rmdir()
    err = capsys.readouterr().err
    assert err.count("cannot use the cache") == 1 and "Is a directory" in err


def test_an_unreadable_file_is_said_to_be_unreadable_not_malformed(tmp_path, monkeypatch):
    # root reads any file whatever its mode, so the refusal is staged where rdflib opens the file
    from rdflib import Graph

    from kzgraph.errors import KzError
    from kzgraph.validation import validate

    path = tmp_path / "locked.ttl"
    path.write_text("")

    def refuse(self, source, **kwargs):
        raise PermissionError(13, "Permission denied", str(source))

    monkeypatch.setattr(Graph, "parse", refuse)
    report = validate([path])
    assert [v.message for v in report.violations] == [f"{path}: permission denied (cannot read the file)"]
    with pytest.raises(KzError, match="permission denied"):
        from kzgraph.parsing import parse_file

        parse_file(path)
