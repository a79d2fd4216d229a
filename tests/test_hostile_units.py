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
    return subprocess.Popen([sys.executable, "-m", "kzgraph", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_second_load_while_one_runs_stops_with_one_line(tmp_path, cli, user_error):
    from kzgraph.oxistore import LOCK

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
