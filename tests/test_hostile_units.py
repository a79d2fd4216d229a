"""Hostile input and faults that the corpus (``test_hostile.py``) cannot state as one command or request."""
from __future__ import annotations

import fcntl
import subprocess
import time
from pathlib import Path

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
