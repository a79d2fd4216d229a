"""Running a query so that Ctrl-C or a time limit stops it within a fraction of a second.

Neither engine can be interrupted (pyoxigraph's ``Store.query`` has no timeout or cancellation, and
it holds the main thread out of Python while it runs), so the query runs in a daemon thread while
the calling thread waits in short steps: on Ctrl-C or at the limit it raises :class:`KzError` and
leaves the thread behind, for the process that then exits (the CLI) to take with it. Threads that
finished their work wait for the next query.

Handing work to a sleeping thread and waking the caller again costs about 0.1 ms (the machine's
wake-up latency, twice), more than a small query itself. So work given a ``key`` that names what it
computes (the same query with the same bindings on the same, unchanged store) runs on the calling
thread once work of that key has finished within :data:`QUICK`: it will again, well within a
Ctrl-C's patience or the limit.
"""
from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable, Hashable
from typing import TypeVar

from .errors import KzError

T = TypeVar("T")
#: seconds a query may run (``None``: no limit); the CLI's ``--timeout`` sets it
LIMIT: float | None = None
_STEP = 0.05
#: seconds within which work must have finished for work of its key to run on the calling thread
QUICK = 0.01
_QUICK_KEYS = 4096  # keys remembered; the oldest is forgotten first
_quick: dict = {}  # key → seconds its work last took, when within QUICK


class _Worker(threading.Thread):
    """A daemon thread that runs one piece of work after another (starting a thread per query would cost
    more than a small query itself)."""

    def __init__(self):
        super().__init__(name="kzgraph query", daemon=True)
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.start()

    def run(self):
        while True:
            work, box, done = self.jobs.get()
            try:
                box["value"] = work()
            except BaseException as exc:  # handed to the waiting thread, which raises it
                # without the frames' locals: pyoxigraph objects must die in the thread that made them
                traceback.clear_frames(exc.__traceback__)
                box["error"] = exc
            finally:
                # the answer is the caller's now: kept here, it would live (and be freed, at a cost that
                # grows with its size) until the next query arrives
                del work, box
                done.release()
                del done


_free: list[_Worker] = []  # workers waiting for work; one left behind by a stopped query is not among them
_lock = threading.Lock()


def run(work: Callable[[], T], where: str = "query", key: Hashable | None = None) -> T:
    """``work()``, stopped at Ctrl-C or after :data:`LIMIT` seconds with a :class:`KzError`.

    ``key``: what the work computes, if the same key always means the same work (see the module's note).
    """
    if key is not None and key in _quick and (LIMIT is None or _quick[key] * 100 < LIMIT):
        try:
            return work()
        except KeyboardInterrupt:
            raise KzError(f"{where}: interrupted") from None
    started = time.monotonic()
    value = _handed_over(work, where)
    if key is not None and (took := time.monotonic() - started) < QUICK:
        if len(_quick) >= _QUICK_KEYS and key not in _quick:
            del _quick[next(iter(_quick))]
        _quick[key] = took
    return value


def _handed_over(work: Callable[[], T], where: str) -> T:
    box: dict = {}
    done = threading.Lock()  # held until the worker lets go of it: a bare lock wakes faster than an Event
    done.acquire()
    with _lock:
        worker = _free.pop() if _free else _Worker()
    worker.jobs.put((work, box, done))
    ends = None if LIMIT is None else time.monotonic() + LIMIT
    try:
        while not done.acquire(timeout=_STEP):
            if ends is not None and time.monotonic() > ends:
                raise KzError(f"{where}: stopped after {LIMIT:g} s (--timeout SECONDS allows more)")
    except KeyboardInterrupt:
        raise KzError(f"{where}: interrupted") from None
    with _lock:
        _free.append(worker)
    if "error" in box:
        raise box["error"]
    return box["value"]
