"""``kzgraph timeline [--from DATE] [--to DATE] [--type CLASS]``."""
from __future__ import annotations

import click

from . import echo_result, format_option, pass_session


@click.command()
@click.option("--from", "start", metavar="DATE", help="Events that end on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--to", "end", metavar="DATE", help="Events that start on or before DATE (YYYY[-MM[-DD]]).")
@click.option("--type", "kind", metavar="CLASS", help="Only events of this kind, e.g. Election, kz:Protest.")
@format_option
@pass_session
def timeline(session, start, end, kind, fmt):
    """Events in date order, with their participants and a quote of the evidence.

    Dates known only to the month or year sort at their last possible day and say so (precision).
    """
    from ..research import timeline as run

    store = session.store
    result = run(store, start, end, kind)
    echo_result(result, fmt, store.prefixes, hide=("from", "to", "type"))
