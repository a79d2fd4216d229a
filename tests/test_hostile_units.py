"""Hostile input and faults that the corpus (``test_hostile.py``) cannot state as one command or request."""
from __future__ import annotations

from kzgraph import sparql_workers


def test_long_queries_are_not_cached_by_the_server():
    """The parse cache holds 512 queries: long ones would make it hold 512 × the request limit."""
    sparql_workers._vet_cached.cache_clear()
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * sparql_workers.CACHED_QUERY
    assert sparql_workers.vet(long)[2] is None
    assert sparql_workers.vet("ASK {}")[2] is None
    assert sparql_workers._vet_cached.cache_info().currsize == 1
