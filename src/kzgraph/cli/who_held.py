"""``kzgraph who-held OFFICE [--on DATE]``."""
from __future__ import annotations

import click

from . import echo_result, format_option, pass_session


@click.command("who-held")
@click.argument("office")
@click.option("--on", "on", metavar="DATE", help="Only who held it on DATE: YYYY, YYYY-MM or YYYY-MM-DD.")
@format_option
@pass_session
def who_held(session, office, on, fmt):
    """Every holder of OFFICE in order, or the holder(s) on a date.

    A tenure counts on a date when it was certainly held on some day of it: its end date is the
    day the office passed (the successor holds it that day), a start known only to the month or
    year is not taken as its first day, and no end date means held to this day.
    """
    from ..research import who_held as run

    store = session.store
    result = run(store, office, on)
    echo_result(result, fmt, store.prefixes, hide=("office", "date"))
