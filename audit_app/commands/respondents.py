"""`audit-app respondents invite AUDIT_ID --email ADDRESS`: a personal link, and the
invitation queued when mail is on (else the link is printed to pass on by hand)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from audit_app.commands.mail import _cli_message
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, User
from audit_app.services import respondents
from audit_app.services.audits import questionnaire_for
from audit_app.services.mail import outbox, respondent_mail, settings
from audit_app.services.mail.links import external_url


@click.group("respondents", cls=AppGroup)
def respondents_group() -> None:
    """Respondents of an audit."""


@respondents_group.command("invite")
@click.argument("audit_id", type=int)
@click.option("--email", required=True, help="The respondent's e-mail address.")
@click.option("--name", default="", help="The respondent's name (used in the greeting).")
@click.option("--role", default=None, help="A questionnaire role (default: its first).")
@click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True)
@click.option(
    "--as",
    "as_email",
    default=None,
    help="The inviting user's e-mail (default: whoever started the audit).",
)
def invite_command(
    audit_id: int, email: str, name: str, role: str | None, lang: str, as_email: str | None
) -> None:
    """Create a respondent's personal link and queue their invitation."""
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        raise click.ClickException(f"No audit {audit_id}.")
    user = _inviter(audit, as_email)
    roles = respondents.role_ids(questionnaire_for(audit))
    try:
        respondent = respondents.invite(
            audit, role=role or roles[0], user=user, name=name, email=email
        )
        url = external_url("respond.show", token=respondents.token_for(respondent))
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(_cli_message(error)) from None
    problem = "Mail is off (MAIL_SERVER is not set)."
    message = None
    if settings.enabled():
        try:
            message = respondent_mail.send_invitation(audit, respondent, lang)
        except UserError as error:  # e.g. opted out: the link is kept, passed on by hand
            problem = _cli_message(error)
    db.session.commit()
    click.echo(f"Respondent {respondent.id}: {url}")
    if message is None:
        click.echo(f"{problem} Send this link yourself.")
    else:
        outbox.wake_sender()
        click.echo(f"Invitation queued (message {message.id}); `audit-app mail send` sends it.")


def _inviter(audit: Audit, as_email: str | None) -> User:
    """The user recorded as inviting: the one named, else the audit's creator, else the
    first administrator."""
    query = select(User).where(User.active.is_(True), User.role.in_(("admin", "consultant")))
    if as_email:
        query = query.where(User.email == as_email.strip().lower())
    else:
        query = query.order_by((User.id == audit.created_by_id).desc(), User.role, User.id)
    user = db.session.scalars(query).first()
    if user is None:
        raise click.ClickException(
            f"No active consultant or administrator {as_email}."
            if as_email
            else "No active consultant or administrator."
        )
    return user
