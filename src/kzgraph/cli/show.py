"""``kzgraph show THING``."""
from __future__ import annotations

import shutil

import click

from . import echo_result, format_option, pass_session, to_terminal


@click.command()
@click.argument("thing")
@format_option
@pass_session
def show(session, thing, fmt):
    """Everything the graph says about THING, with the evidence for each statement.

    THING is an IRI, a prefixed name (kzr:kassym-jomart-tokayev) or any of its names, in any
    language, case and accents aside (Tokayev, Токаев, "tokayev"). The table format is a fact
    sheet, one section per kind with each statement's evidence below it; csv and json give the
    query's rows.
    """
    from ..lookup import resolve
    from ..research import label, show as run

    store = session.store
    iri = resolve(store, thing)
    result = run(store, iri)
    if fmt != "table":
        echo_result(result, fmt, store.prefixes, hide=("thing",))
        return
    from ..factsheet import fact_sheet
    from ..results import printable

    # wrapped to the terminal; to a pipe or file at a fixed width, so the text does not depend on where it ran
    width = min(max(shutil.get_terminal_size().columns, 60), 120) if to_terminal() else 100
    lines = fact_sheet(iri, label(store, iri), result, store.prefixes, width)
    for line in map(printable, lines):  # the title and the section headings are the lines not indented
        click.echo(click.style(line, bold=True) if line[:1].strip() else line)
