"""`audit-app audits list`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Audit, Organisation, QuestionnaireVersion

ROW = "{:>5}  {:<32} {:<28} {:<10}  {:<11} {:>7}"


@click.group("audits", cls=AppGroup)
def audits_group() -> None:
    """Audits stored in the database."""


@audits_group.command("list")
@click.option(
    "--organisation", "organisation_name", help="Only organisations whose name contains this."
)
def list_audits(organisation_name: str | None) -> None:
    """Print id, organisation, questionnaire and version, date, status and overall score."""
    query = (
        select(Audit, Organisation.name, QuestionnaireVersion)
        .join(Organisation, Audit.organisation_id == Organisation.id)
        .join(QuestionnaireVersion, Audit.questionnaire_version_id == QuestionnaireVersion.id)
        .order_by(Organisation.name, Audit.started_at)
    )
    if organisation_name:
        query = query.where(Organisation.name.ilike(f"%{organisation_name}%"))
    rows = db.session.execute(query).all()
    if not rows:
        click.echo("No audits.")
        return
    click.echo(ROW.format("id", "organisation", "questionnaire", "date", "status", "overall"))
    for audit, name, version in rows:
        when = (audit.submitted_at or audit.started_at).date().isoformat()
        overall = "-" if audit.overall is None else f"{audit.overall:.0f}"
        questionnaire = f"{version.questionnaire_id}@{version.version}"
        click.echo(ROW.format(audit.id, name[:32], questionnaire[:28], when, audit.status, overall))


def _register_file_commands() -> None:
    from audit_app.commands.audit_files import export_command, import_answers_command

    audits_group.add_command(import_answers_command)
    audits_group.add_command(export_command)


_register_file_commands()
