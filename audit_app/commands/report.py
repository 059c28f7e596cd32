"""`audit-app report render AUDIT_ID --design full|brief|progress --lang pl|en -o FILE`.

Every PDF rendered here is archived like one downloaded from the web app.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, User
from audit_app.services import report_archive as archive
from audit_app.services.report_context import DESIGNS
from audit_app.wording import REPORT_LANGUAGES

MESSAGES = {
    "not_submitted": "the audit is not submitted; reports are issued for submitted audits only",
    "nothing_to_compare": (
        "a progress report needs an earlier submitted audit of the same organisation "
        "(or --compare-to OTHER_AUDIT_ID)"
    ),
    "bad_comparison": "--compare-to must be a submitted audit of the same organisation",
}


@click.group("report", cls=AppGroup)
def report_group() -> None:
    """PDF reports: render (and archive) a report, list the designs."""


@report_group.command("render")
@click.argument("audit_id", type=int)
@click.option("--design", type=click.Choice(DESIGNS), default="full", show_default=True)
@click.option("--lang", type=click.Choice(REPORT_LANGUAGES), default="pl", show_default=True)
@click.option(
    "--compare-to",
    "compare_to_id",
    type=int,
    help="Progress report: the other audit (default: the previous submitted one).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.option("--by", "by_email", help="E-mail of the user issuing it (kept in the archive).")
@click.option(
    "--archival",
    is_flag=True,
    help="A PDF/A-3b archival copy that carries the audit's result as result.json.",
)
def render_command(
    audit_id: int,
    design: str,
    lang: str,
    compare_to_id: int | None,
    output: Path,
    by_email: str | None,
    archival: bool,
) -> None:
    """Render the report of AUDIT_ID to a PDF file and archive the issue."""
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        raise click.ClickException(f"no audit {audit_id}")
    compare_to = None
    if compare_to_id is not None:
        if design != "progress":
            raise click.ClickException("--compare-to is for --design progress only")
        compare_to = db.session.get(Audit, compare_to_id)
        if compare_to is None:
            raise click.ClickException(f"no audit {compare_to_id}")
    user = None
    if by_email:
        user = db.session.scalar(select(User).filter_by(email=by_email.strip().lower()))
        if user is None:
            raise click.ClickException(f"no user {by_email}")
    try:
        report = archive.issue(
            audit, design, lang, user=user, compare_to=compare_to, channel="cli", archival=archival
        )
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(MESSAGES.get(error.message, error.message)) from None
    output.write_bytes(report.pdf)
    db.session.commit()
    click.echo(
        f"{output}: {report.pages} pages, {report.size} bytes, sha256 {report.sha256}; "
        f"archived as issued report {report.id}"
    )


@report_group.command("designs")
def designs_command() -> None:
    """List the report designs found in reports/."""
    from audit_app.reporting.pdf import renderer  # WeasyPrint: only when it is needed

    for design in renderer(current_app.config["REPORTS_DIR"]).designs.values():
        extra = " (needs two audits)" if design.needs_comparison else ""
        click.echo(f"{design.id:<10} {design.name.get('en', design.id)}{extra}")
