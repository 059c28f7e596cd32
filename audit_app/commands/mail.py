"""`audit-app mail send` and `audit-app mail list`: the outbox from the command line.

`mail send` is made for cron (every few minutes): it queues the automatic reminders
and daily digests that are due, sends every pending message that is due, and exits 0
when there is nothing to do; running two at once sends nothing twice."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models.mail import MAIL_STATUSES
from audit_app.services.mail import outbox, scheduled, settings


@click.group("mail", cls=AppGroup)
def mail_group() -> None:
    """E-mail: send the outbox, list messages."""


@mail_group.command("send")
@click.option("--no-scheduled", is_flag=True, help="Only send; queue no reminders or digests.")
def send_command(no_scheduled: bool) -> None:
    """Queue due reminders and digests, then send every due message."""
    if not settings.enabled():
        click.echo("Mail is off (MAIL_SERVER is not set): nothing to send.")
        return
    problem = None
    if not no_scheduled:
        try:
            reminders = scheduled.queue_automatic_reminders()
            digests = scheduled.queue_digests()
        except UserError as error:  # APP_URL missing: still send what is queued
            db.session.rollback()
            problem = _cli_message(error)
        else:
            db.session.commit()
            if reminders or digests:
                click.echo(f"Queued {reminders} reminder(s) and {digests} digest(s).")
    report = outbox.send_due()
    click.echo(f"Outbox: {report}.")
    if problem:
        raise click.ClickException(f"No reminders or digests queued. {problem}")


@mail_group.command("list")
@click.option("--status", type=click.Choice(MAIL_STATUSES), default=None)
@click.option("--limit", type=int, default=50, show_default=True)
def list_command(status: str | None, limit: int) -> None:
    """The most recent messages, newest first, with their state and last error."""
    rows = outbox.messages(status, limit)
    if not rows:
        click.echo("No messages.")
        return
    for row in rows:
        when = (row.sent_at or row.created_at).strftime("%Y-%m-%d %H:%M")
        click.echo(
            f"{row.id:>6}  {row.status:<8} {row.purpose:<15} {when}  {row.recipient}"
            f"  attempts={row.attempts}" + (f"  error: {row.last_error}" if row.last_error else "")
        )
    click.echo(", ".join(f"{count} {name}" for name, count in sorted(outbox.counts().items())))


def _cli_message(error: UserError) -> str:
    return {
        "app_url_missing": "Set APP_URL (e.g. https://audit.example.org): links in mail "
        "queued outside a web request need the app's address.",
        "mail_off": "Mail is off (MAIL_SERVER is not set).",
        "opted_out": "This address has opted out of e-mail (unsubscribed, or marked so in "
        "the contact register).",
        "unknown_role": "Unknown role for this audit's questionnaire.",
        "too_long": "A value is too long.",
        "unknown_language": "Language must be pl or en.",
    }.get(error.message, error.message)
