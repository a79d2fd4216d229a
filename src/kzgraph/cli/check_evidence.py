"""``kzgraph check-evidence --texts DIR``."""
from __future__ import annotations

import click

from . import pass_session


@click.command("check-evidence")
@click.option("--texts", "texts", required=True, metavar="DIR",
              help="Directory of the documents' texts: document-….txt or .html, named after each document IRI.")
@pass_session
def check_evidence(session, texts):
    """Check every quote (and its prefix and suffix) against the text of its document.

    Each quote not found is one line "document: evidence: quote not found", with the closest
    passage as a hint; exit status 1 if any is. Only whitespace and typographic quote marks
    are normalised.
    """
    from ..evidence_check import check_evidence as run

    store = session.store
    report = run(store, texts)
    from ..prefixes import short as shorten

    def short(iri) -> str:
        return shorten(str(iri), store.prefixes)

    for orphan in report.orphans:
        click.echo(orphan.line(short))
    click.echo(report.summary(), err=True)
    if not report.ok:
        raise SystemExit(1)
