"""kzgraph.deadline: queries run in a pooled worker thread, and what they return is the caller's alone."""
from __future__ import annotations

import gc
import weakref

import pytest

from kzgraph import deadline
from kzgraph.errors import KzError


class Answer:
    """Stands for a big answer: something whose lifetime can be watched."""


def test_the_worker_keeps_no_answer_alive():
    # a worker that held on to its last answer freed it inside the next query: 1.1 s after a
    # million-row CONSTRUCT, charged to a sub-millisecond query (benchmarks/results.md)
    answer = deadline.run(Answer)
    gone = weakref.ref(answer)
    del answer
    gc.collect()
    assert gone() is None


def test_the_worker_keeps_no_failure_alive():
    def fails():
        raise ValueError(Answer())

    with pytest.raises(ValueError) as raised:
        deadline.run(fails)
    gone = weakref.ref(raised.value.args[0])
    del raised
    gc.collect()
    assert gone() is None


def test_a_query_past_the_limit_stops_with_one_line(monkeypatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr(deadline, "LIMIT", 0.1)
    try:
        with pytest.raises(KzError, match=r"^slow: stopped after 0.1 s \(--timeout SECONDS allows more\)$"):
            deadline.run(lambda: release.wait(10), "slow")
    finally:
        release.set()
    monkeypatch.setattr(deadline, "LIMIT", None)
    assert deadline.run(lambda: 42) == 42  # the next query finds a worker
