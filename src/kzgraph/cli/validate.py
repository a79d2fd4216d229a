"""``kzgraph validate``."""
from __future__ import annotations

import click

from . import pass_session


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@pass_session
def validate(session, paths):
    """Parse and SHACL-check the dataset, or the given files and directories."""
    from ..validation import validate as run

    session.files_only("validate")
    report = run(paths or None, data=session.data)
    for violation in report.violations:
        click.echo(str(violation))
    files = f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    if report.conforms:
        click.echo(f"ok: {files} conform to the shapes", err=True)
        return
    count = len(report.violations)
    click.echo(f"{count} violation{'s' if count != 1 else ''} in {files}", err=True)
    raise SystemExit(1)
