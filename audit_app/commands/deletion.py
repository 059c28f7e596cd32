"""`audit-app purge-deleted`: removes organisations and audits deleted more than 30 days
ago for good. Run it daily from cron, like `audit-app mail send`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from audit_app.extensions import db
from audit_app.services import deletion


@click.command("purge-deleted")
@with_appcontext
def purge_deleted_command() -> None:
    """Remove for good what was deleted more than 30 days ago."""
    organisations, audits = deletion.purge()
    db.session.commit()
    click.echo(
        f"Removed for good: {organisations} organisation(s) and {audits} audit(s) deleted "
        f"more than {deletion.RECOVERY_DAYS} days ago."
    )
