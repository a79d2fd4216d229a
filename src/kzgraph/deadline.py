"""Running a query so that Ctrl-C or a time limit stops it within a fraction of a second.

Neither engine can be interrupted (pyoxigraph's ``Store.query`` has no timeout or cancellation, and
it holds the main thread out of Python while it runs), so the query runs in a daemon thread while
the calling thread waits in short steps: on Ctrl-C or at the limit it raises :class:`KzError` and
leaves the thread behind, for the process that then exits (the CLI) to take with it.
"""
from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from .errors import KzError

T = TypeVar("T")
#: seconds a query may run (``None``: no limit); the CLI's ``--timeout`` sets it
LIMIT: float | None = None
_STEP = 0.05


def run(work: Callable[[], T], where: str = "query") -> T:
    """``work()``, stopped at Ctrl-C or after :data:`LIMIT` seconds with a :class:`KzError`."""
    box: dict = {}
    done = threading.Event()

    def target():
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the waiting thread, which raises it
            # without the frames' locals: pyoxigraph objects must die in the thread that made them
            traceback.clear_frames(exc.__traceback__)
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name=f"kzgraph {where}", daemon=True).start()
    ends = None if LIMIT is None else time.monotonic() + LIMIT
    try:
        while not done.wait(_STEP):
            if ends is not None and time.monotonic() > ends:
                raise KzError(f"{where}: stopped after {LIMIT:g} s (--timeout SECONDS allows more)")
    except KeyboardInterrupt:
        raise KzError(f"{where}: interrupted") from None
    if "error" in box:
        raise box["error"]
    return box["value"]
