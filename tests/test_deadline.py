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


@pytest.fixture
def fresh(monkeypatch):
    """A deadline module that has seen no work yet."""
    monkeypatch.setattr(deadline, "_quick", {})
    monkeypatch.setattr(deadline, "LIMIT", None)
    return deadline


def where_it_ran(**kw):
    import threading

    return deadline.run(threading.current_thread, **kw)


def test_quick_work_of_a_key_seen_before_runs_on_the_calling_thread(fresh):
    import threading

    # the hand-off costs ~0.1 ms, more than a small query: a repeat of a quick one is run where it is asked
    assert where_it_ran(key="exists") is not threading.current_thread()
    assert where_it_ran(key="exists") is threading.current_thread()
    assert where_it_ran(key="another") is not threading.current_thread()
    assert where_it_ran() is not threading.current_thread()  # no key: never


def test_slow_or_failing_work_stays_with_the_worker(fresh):
    import threading
    import time

    def slow():
        time.sleep(deadline.QUICK * 2)
        return threading.current_thread()

    for _ in range(2):
        assert deadline.run(slow, key="slow") is not threading.current_thread()

    def fails():
        raise ValueError("no")

    for _ in range(2):
        with pytest.raises(ValueError):
            deadline.run(fails, key="fails")
    assert where_it_ran(key="fails") is not threading.current_thread()


def test_a_limit_too_short_for_the_work_keeps_it_with_the_worker(fresh, monkeypatch):
    import threading

    where_it_ran(key="k")
    monkeypatch.setattr(deadline, "_quick", {"k": 0.002})
    monkeypatch.setattr(deadline, "LIMIT", 0.1)  # 2 ms is not a hundredth of it: the limit must be able to act
    assert where_it_ran(key="k") is not threading.current_thread()
    monkeypatch.setattr(deadline, "LIMIT", 1.0)
    assert where_it_ran(key="k") is threading.current_thread()


def test_the_quick_keys_are_bounded(fresh, monkeypatch):
    monkeypatch.setattr(deadline, "_QUICK_KEYS", 2)
    for key in "abc":
        deadline.run(lambda: None, key=key)
    assert list(deadline._quick) == ["b", "c"]


def test_ctrl_c_in_work_run_on_the_calling_thread_stops_in_one_line(fresh):
    def interrupted():
        raise KeyboardInterrupt

    deadline.run(lambda: None, key="k")
    with pytest.raises(KzError, match=r"^exists: interrupted$"):
        deadline.run(interrupted, "exists", key="k")


def test_a_query_is_the_same_work_only_on_the_same_unchanged_local_store():
    from kzgraph.sparql import _same_work
    from kzgraph.stores import open_store
    from kzgraph.stores.remote import RemoteStore

    store = open_store("memory")
    asked = ("ASK {}", None, {"x": "y"}, None, None)
    assert _same_work(store, *asked) == _same_work(store, *asked)
    assert _same_work(store, *asked) != _same_work(store, "ASK {}", None, {"x": "z"}, None, None)
    before = _same_work(store, *asked)
    store.changed()
    assert _same_work(store, *asked) != before
    assert _same_work(open_store("memory"), *asked) != _same_work(store, *asked)
    assert _same_work("memory", *asked) is None  # a spec is opened afresh
    assert _same_work(RemoteStore("http://127.0.0.1:9/sparql#http://example.org/g"), *asked) is None  # changes behind our back
    assert _same_work(store, "ASK {}", None, {"x": ["unhashable"]}, None, None) is None
