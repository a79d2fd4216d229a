"""`kzgraph push` into a real Oxigraph server, and every read command through `--store sparql:URL`."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kzgraph.cli import COMMANDS
from kzgraph.namespaces import GRAPH_IRI, KZR
from kzgraph.results import to_json
from kzgraph.sparql import named_queries, query, query_form, with_values
from kzgraph.stores import open_store
from kzgraph.stores.remote import Endpoints, RemoteStore, endpoints
from oxigraph_terms import held_by_oxigraph, result_rows
from servers import counting_proxy, free_port, start_oxigraph, stop


def open_remote(url: str) -> RemoteStore:
    return open_store(f"sparql:{url}")


def push(graph, url, *, graph_iri=GRAPH_IRI, batch=50_000, replace=True):
    """Load ``graph`` (held in Oxigraph) into the store at ``url``, as `kzgraph push` does."""
    return RemoteStore.at(f"{url}#{graph_iri}").replace_with(held_by_oxigraph_store(graph), replace=replace,
                                                             batch=batch)


def held_by_oxigraph_store(graph):
    return open_store(graph).inner  # kzgraph.load() holds its triples in a pyoxigraph Store

OTHER = "https://example.org/other-graph"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, graph):
    """One Oxigraph server holding the graph, pushed in small batches; its base URL."""
    proc, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        report = push(graph, url, batch=100)
        assert report.triples == len(graph)
        yield url
    finally:
        stop(proc)


def test_push_reports_triples_sent_and_held(cli, oxigraph, graph):
    result = cli("push", "--endpoint", oxigraph)
    assert result.exit_code == 0, result.output
    n = len(graph)
    assert result.stdout.strip() == (f"sent {n} triples to <{GRAPH_IRI}> at {oxigraph}/store (graph store protocol); "
                                     f"the store now holds {n} triples in that graph")
    assert len(open_remote(f"{oxigraph}/query")) == n
    assert len(open_remote(f"{oxigraph}#default")) == 0  # nothing outside the named graph


def test_the_pushed_graph_is_the_local_graph(loaded, graph):
    assert isomorphic(open_remote(loaded).graph(), held_by_oxigraph(graph))


@pytest.fixture(scope="module")
def as_held(graph):
    return held_by_oxigraph(graph)


def test_the_network_construct_answers_the_same_remotely(loaded, graph):
    assert isomorphic(query(open_remote(loaded), name="network").graph, query(graph, name="network").graph)


@pytest.mark.parametrize("named", [q for q in named_queries() if query_form(q.text) in ("SELECT", "ASK")],
                         ids=lambda q: q.name)
def test_named_queries_answer_the_same_remotely(cli, loaded, as_held, named):
    local = to_json(query(as_held, name=named.name))
    remote = cli("--store", f"sparql:{loaded}/query", "query", "--name", named.name, "--format", "json")
    assert remote.exit_code == 0, remote.output
    assert result_rows(remote.stdout) == result_rows(local)


PARAM_RUNS = [
    ("office-holder-on-date", {"office": "kzr:president-of-kazakhstan", "date": "2019-03-20"}),
    ("offices-held-on-date", {"holder": "kzr:nursultan-nazarbayev", "date": "2021-01-10"}),
    ("timeline", {"from": "2019-03-19", "to": "2021-01"}),
    ("timeline", {"type": "kz:Election"}),
    ("show", {"thing": "kzr:nur-otan"}),
]


@pytest.mark.parametrize("name, params", PARAM_RUNS, ids=lambda x: x if isinstance(x, str) else "-".join(x.values()))
def test_named_queries_with_params_answer_the_same_remotely(loaded, as_held, name, params):
    local = query(as_held, name=name, params=params)
    remote = query(open_remote(loaded), name=name, params=params)
    assert len(local.bindings) > 0
    assert result_rows(to_json(remote)) == result_rows(to_json(local))


def test_bind_values_opens_each_where_group():
    bind_values = with_values
    bound = {"x": URIRef("urn:a"), "d": Literal("2019")}
    values = ' VALUES (?x ?d) { (<urn:a> "2019") } '
    text = '# SELECT { in a comment\nSELECT ("{" AS ?s) WHERE { <urn:{> ?p ?x { SELECT ?d WHERE { ?d ?q ?r } } }'
    assert bind_values(text, bound) == text.replace("WHERE {", "WHERE {" + values)
    assert bind_values("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", bound) == (
        f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{{values} ?x ?p ?o }}")
    assert bind_values("CONSTRUCT WHERE { ?x ?p ?o }", bound) == "CONSTRUCT WHERE { ?x ?p ?o }"
    with pytest.raises(ValueError):
        bind_values("ASK { ?x ?p ?o }", {"x": URIRef("urn:a> } ; <b")})


def test_params_are_bound_remotely(cli, loaded, graph):
    sparql = "SELECT ?thing ?label WHERE { ?thing rdfs:label ?label }"
    thing = next(iter(sorted(set(graph.subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#label"))))))
    args = ("query", sparql, "--param", f"thing=<{thing}>", "--format", "json")
    local, remote = cli(*args), cli("--store", f"sparql:{loaded}", *args)
    assert result_rows(remote.stdout) == result_rows(local.stdout) and len(result_rows(local.stdout)) >= 1


def test_export_from_the_remote_store(cli, loaded, graph, tmp_path):
    result = cli("--store", f"sparql:{loaded}/query", "export", "-o", str(tmp_path / "remote.ttl"))
    assert result.exit_code == 0, result.output
    exported = Graph().parse(tmp_path / "remote.ttl", format="turtle")
    assert isomorphic(exported, held_by_oxigraph(graph))
    again = cli("--store", f"sparql:{loaded}/query", "export", "-o", str(tmp_path / "again.ttl"))
    assert again.exit_code == 0 and (tmp_path / "again.ttl").read_bytes() == (tmp_path / "remote.ttl").read_bytes()


READ_COMMANDS = [
    ("show", "kzr:kassym-jomart-tokayev"),
    ("show", "Назарбаев"),
    ("who-held", "kzr:president-of-kazakhstan"),
    ("who-held", "President of Kazakhstan", "--on", "2019"),
    ("path", "Tokayev", "Nur Otan"),
    ("timeline",),
    ("timeline", "--from", "2019-03-19", "--to", "2019-12"),
    ("stats",),
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a))
def test_read_commands_answer_the_same_remotely(cli, loaded, args):
    if args[0] not in COMMANDS:
        pytest.skip(f"`kzgraph {args[0]}` is not there yet")
    local = cli(*args)
    remote = cli("--store", f"sparql:{loaded}/query", *args)
    assert remote.exit_code == local.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


@pytest.mark.slow
def test_view_from_the_remote_store(cli, loaded, tmp_path):
    if "view" not in COMMANDS:
        pytest.skip("`kzgraph view` is not there yet")
    result = cli("--store", f"sparql:{loaded}/query", "view", "-o", str(tmp_path / "net.html"))
    assert result.exit_code == 0, result.output
    assert "Tokayev" in (tmp_path / "net.html").read_text(encoding="utf-8")


def test_replace_clears_the_named_graph_first(cli, oxigraph, graph, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "extra.ttl").write_text("<https://example.org/x> <https://example.org/p> \"only here\" .\n")
    n = len(graph)
    assert cli("--data", str(extra), "push", "--endpoint", oxigraph).exit_code == 0
    assert len(open_remote(oxigraph)) == n + 1
    again = cli("push", "--endpoint", oxigraph)
    assert again.stdout.strip().endswith(f"holds {n + 1} triples in that graph")
    replaced = cli("push", "--endpoint", oxigraph, "--replace")
    assert replaced.stdout.strip().endswith(f"holds {n} triples in that graph")
    assert (URIRef("https://example.org/x"), None, None) not in open_remote(oxigraph).graph()


def test_push_into_another_graph_leaves_the_default_one_alone(cli, oxigraph, graph):
    assert cli("push", "--endpoint", f"{oxigraph}/store", "--graph", OTHER).exit_code == 0
    assert len(open_remote(f"{oxigraph}#{OTHER}")) == len(graph)
    assert len(open_remote(oxigraph)) == 0
    result = cli("--store", f"sparql:{oxigraph}/query#{OTHER}", "query", "ASK { ?s ?p ?o }", "--format", "json")
    assert json.loads(result.stdout)["boolean"] is True


def test_sparql_update_where_the_store_has_no_graph_store_protocol(oxigraph, graph):
    report = push(graph, f"{oxigraph};store={oxigraph}/no-such-endpoint", batch=200, replace=True)
    assert report.how == "sparql update"
    assert report.triples == len(graph)
    assert isomorphic(open_remote(oxigraph).graph(), held_by_oxigraph(graph))


def test_load_fills_a_remote_store_by_sparql_update_where_no_graph_store_is_named(cli, oxigraph, graph):
    result = cli("load", "--store", f"sparql:{oxigraph}/query;store={oxigraph}/nothing-here")
    assert result.exit_code == 0, result.output
    assert "sparql update" in result.stderr
    assert isomorphic(open_remote(oxigraph).graph(), held_by_oxigraph(graph))


@pytest.mark.parametrize("args", [("view", "-o", "{tmp}/net.html"), ("stats",), ("show", "Tokayev"),
                                  ("who-held", "President of Kazakhstan"), ("path", "Tokayev", "Nur Otan")],
                         ids=lambda a: a[0])
def test_read_commands_send_at_most_five_requests(cli, loaded, tmp_path, args):
    with counting_proxy(loaded) as (url, count):
        result = cli("--store", f"sparql:{url}/query", *(a.format(tmp=tmp_path) for a in args))
        assert result.exit_code == 0, result.output
        assert 1 <= count() <= 5, f"{args[0]} sent {count()} requests"


def test_endpoint_forms():
    base = "http://localhost:7878"
    expected = Endpoints(f"{base}/query", f"{base}/update", f"{base}/store")
    for url in (base, base + "/", base + "/query", base + "/update", base + "/store"):
        assert endpoints(url) == expected, url
    virtuoso = endpoints("http://h:8890/sparql;store=http://h:8890/sparql-graph-crud-auth")
    assert virtuoso == Endpoints("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud-auth")
    assert endpoints("http://h:7000/sparql") == Endpoints("http://h:7000/sparql", "http://h:7000/sparql", None)


def test_unreachable_store(cli, user_error):
    url = f"http://127.0.0.1:{free_port()}"
    user_error(cli("push", "--endpoint", url), "cannot reach", "nothing was loaded")
    user_error(cli("--store", f"sparql:{url}/query", "query", "ASK {}"), "cannot reach", url)
    user_error(cli("--store", "sparql:ftp://example.org/x", "query", "ASK {}"), "ftp://example.org/x")


def test_refused_write_on_a_read_only_store(cli, user_error, graph, tmp_path):
    import pyoxigraph

    location = tmp_path / "read-only"
    store = pyoxigraph.Store(str(location))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(str(KZR["x"])), pyoxigraph.NamedNode(str(KZR["p"])),
                              pyoxigraph.Literal("kept"), pyoxigraph.NamedNode(GRAPH_IRI)))
    store.flush()
    del store
    proc, url = start_oxigraph(location, read_only=True)
    try:
        line = user_error(cli("push", "--endpoint", url), "403", "nothing was loaded")
        assert "read-only" in line
        user_error(cli("push", "--endpoint", url, "--replace"), "403", "nothing was loaded")
        assert set(open_remote(url).graph()) == {(KZR["x"], KZR["p"], Literal("kept"))}
    finally:
        stop(proc)


def test_the_remote_store_takes_no_local_data(cli, loaded, user_error, tmp_path):
    (tmp_path / "extra.ttl").write_text("<urn:x> <urn:p> <urn:o> .\n", encoding="utf-8")
    user_error(cli("--store", f"sparql:{loaded}", "--data", str(tmp_path), "query", "ASK {}"), "--data")


def test_batches_put_every_blank_node_in_the_first_and_every_line_once():
    from kzgraph.stores.remote import batches

    lines = [b'<http://x/a> <http://x/p> "%d" .' % i for i in range(10)]
    lines[3] = b'_:b1 <http://x/p> <http://x/o> .'
    lines[7] = b'<http://x/s> <http://x/p> _:b1 .'
    lines[8] = b'<http://x/s> <http://x/p> "says _: in a literal" .'
    body = b"\n".join(lines) + b"\n"
    parts = list(batches(body, 3))
    assert parts[0] == b"\n".join([lines[3], lines[7], lines[8]]) + b"\n"
    assert all(p.count(b"\n") <= 3 and p.endswith(b"\n") for p in parts)
    assert sorted(b"".join(parts).split(b"\n")) == sorted(body.split(b"\n"))
    assert list(batches(body, 10)) == [body]  # what fits in one request goes whole
    assert list(batches(b"", 10)) == []


@pytest.mark.parametrize("batch", [100, 1_000_000])
def test_progress_adds_up(oxigraph, graph, batch):
    from kzgraph.resources import dataset_files
    from kzgraph.stores.memory import read_cached

    files = dataset_files()
    heard = []
    RemoteStore.at(f"{oxigraph}#{GRAPH_IRI}").load(files, progress=heard.append, batch=batch)
    assert sum(heard) == sum(f.stat().st_size for f in files)  # what `kzgraph load` counts its bar in
    body, heard = read_cached(files).body, []
    update = RemoteStore.at(f"{oxigraph};store={oxigraph}/nothing-here#{OTHER}")
    update.send(body, batch=batch, progress=heard.append)
    assert sum(heard) == body.count(b"\n") == len(graph)  # what `kzgraph push` counts its bar in


# what Virtuoso 7 answers when a Graph Store request deadlocks inside it (the whole answer, as it sends it)
_DEADLOCKED = (b'<html><head><title>SPARQL Graph Protocol request failed</title></head><body>'
               b'<h1>HTTP/1.1 500 Request Failed</h1><h3>Error 40001</h3>'
               b'<xmp>SR172: Transaction deadlocked</xmp></body></html>')
# and when two requests add the same new language tag at once
_DUPLICATE_KEY = (b'<html><head><title>SPARQL Graph Protocol request failed</title></head><body>'
                  b'<h1>HTTP/1.1 500 Request Failed</h1><h3>Error 23000</h3>'
                  b'<xmp>SR197: Non unique primary key on DB.DBA.RDF_LANGUAGE.</xmp></body></html>')


@pytest.mark.parametrize("answer", [_DEADLOCKED, _DUPLICATE_KEY], ids=["deadlock", "duplicate key"])
@pytest.mark.parametrize("gsp", [True, False], ids=["graph store protocol", "sparql update"])
def test_a_write_rolled_back_for_a_clash_is_sent_again(oxigraph, graph, gsp, answer):
    from kzgraph.stores.memory import read_cached
    from kzgraph.resources import dataset_files

    body, writes, refused, heard = read_cached(dataset_files()).body, [], [], []

    def refuse(method, path, sent):  # the second and the fourth batch are rolled back, once each
        if b"update=INSERT+DATA" in sent or (method == "POST" and "graph=" in path and sent):
            writes.append(path)
            if len(writes) in (2, 5):
                refused.append(path)
                return 500, answer
        return None

    with counting_proxy(oxigraph, refuse) as (url, count):
        spec = f"{url}#{OTHER}" if gsp else f"{url}/query;store={url}/nothing-here#{OTHER}"
        loaded = RemoteStore.at(spec).send(body, batch=3_000, progress=heard.append)
    assert len(refused) == 2
    assert loaded.triples == len(graph) and sum(heard) == len(graph)  # nothing twice, nothing lost, told once
    assert isomorphic(open_remote(f"{oxigraph}#{OTHER}").graph(), held_by_oxigraph(graph))




def test_a_load_that_fails_midway_says_how_much_is_in(oxigraph, graph):
    from kzgraph.errors import KzError
    from kzgraph.resources import dataset_files
    from kzgraph.stores.memory import read_cached
    from kzgraph.stores.remote import batches

    body, writes = read_cached(dataset_files()).body, []

    def refuse(method, path, sent):  # the third batch is refused, for good
        if method == "POST" and "graph=" in path and sent:
            writes.append(path)
            if len(writes) == 3:
                return 403, b"<html><body>Forbidden</body></html>"
        return None

    with counting_proxy(oxigraph, refuse) as (url, _count):
        with pytest.raises(KzError) as failed:
            RemoteStore.at(f"{url}#{OTHER}").send(body, batch=3_000, parallel=1)
    first_two = sum(part.count(b"\n") for part in list(batches(body, 3_000))[:2])
    assert str(failed.value).endswith(f"({first_two} of {len(graph)} triples were already loaded into <{OTHER}>)")

def test_only_a_clash_counts_as_rolled_back():
    from kzgraph.stores.remote import HttpError

    assert HttpError("x", 500, _DEADLOCKED).rolled_back and HttpError("x", 500, _DUPLICATE_KEY).rolled_back
    assert not HttpError("x", 400, _DEADLOCKED).rolled_back  # a refusal of the request itself
    assert not HttpError("x", 500, b"out of memory after 140001 rows").rolled_back
    assert not HttpError("x", 503, b"").rolled_back

def test_a_write_that_keeps_deadlocking_fails_in_one_line(oxigraph, graph, user_error):
    from kzgraph.errors import KzError
    from kzgraph.stores.memory import read_cached
    from kzgraph.resources import dataset_files

    def refuse(method, path, sent):
        return (500, _DEADLOCKED) if method == "POST" and "graph=" in path and sent else None

    with counting_proxy(oxigraph, refuse) as (url, count):
        with pytest.raises(KzError) as failed:
            RemoteStore.at(f"{url}#{OTHER}").send(read_cached(dataset_files()).body, batch=3_000)
    message = str(failed.value)
    assert "rolled back 4 times" in message and "--batch-size" in message and "\n" not in message
    assert "emptied and nothing was loaded" in message


@pytest.mark.parametrize("parallel", [1, 2, 3])
def test_a_load_has_at_most_parallel_requests_in_flight(oxigraph, graph, parallel):
    import time

    from kzgraph.resources import dataset_files
    from kzgraph.stores.memory import read_cached
    from kzgraph.stores.remote import batches

    def slowly(method, path, sent):  # a slow store: the requests of a load meet at the proxy
        if method == "POST" and "graph=" in path and sent:
            time.sleep(0.2)
        return None

    body = read_cached(dataset_files()).body
    with counting_proxy(oxigraph, slowly) as (url, count):
        loaded = RemoteStore.at(f"{url}#{OTHER}").send(body, batch=1_500, parallel=parallel)
    posts = [f for f in count.log if f.method == "POST" and "graph=" in f.path and f.sent]
    assert len(posts) == sum(1 for _ in batches(body, 1_500)) > parallel
    assert count.most == parallel
    assert loaded.triples == len(graph)
    assert isomorphic(open_remote(f"{oxigraph}#{OTHER}").graph(), held_by_oxigraph(graph))


_LINE = st.sampled_from([b'_:b1 <http://x/p> <http://x/o> .', b'<http://x/s> <http://x/p> _:b2 .',
                         b'<http://x/s> <http://x/p> "x" .', b'<http://x/a-much-longer-subject-iri> <http://x/p> "y" .'])


@given(lines=st.lists(_LINE, max_size=80), size=st.integers(1, 30))
def test_batches_cut_at_line_ends_whatever_the_lengths(lines, size):
    from kzgraph.stores.remote import batches

    body = b"".join(line + b"\n" for line in lines)
    parts = list(batches(body, size))
    assert sorted(b"".join(parts).split(b"\n")) == sorted(body.split(b"\n"))
    blank = b"".join(line + b"\n" for line in lines if b"_:" in line)
    plain = parts[1:] if len(lines) > size and blank else parts
    if plain is not parts:
        assert parts[0] == blank
    assert [p.count(b"\n") for p in plain[:-1]] == [size] * (len(plain) - 1)  # full, but the last
    assert all(0 < p.count(b"\n") <= size and p.endswith(b"\n") for p in plain)
