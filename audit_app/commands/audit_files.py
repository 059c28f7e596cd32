"""`audit-app audits import-answers` (and, below, `audits export`): an audit's answers
to and from files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from audit_app.extensions import db
from audit_app.models import Audit
from audit_app.workbooks.words import problem_text

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read, not at start-up
    from audit_app.workbooks.read import CellProblem

LANG = click.Choice(["pl", "en"])


def _audit(audit_id: int) -> Audit:
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        raise click.ClickException(f"no audit with id {audit_id}; see `audit-app audits list`")
    return audit


def _line(problem: CellProblem, lang: str) -> str:
    return problem_text(lang, problem.row, problem.column, problem.code, problem.params)


@click.command("import-answers")
@with_appcontext
@click.argument("audit_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every cell and report; save nothing.")
@click.option("--lang", type=LANG, default="en", help="Language of the messages.")
def import_answers_command(audit_id: int, file: Path, dry_run: bool, lang: str) -> None:
    """Read the answers of an answer workbook (.xlsx) into an audit.

    Every cell is checked and every problem printed (row, column, message); nothing is
    saved while there is any. Exit 0 when imported (or, with --dry-run, importable)."""
    from audit_app.services.answer_import import import_answers

    audit = _audit(audit_id)
    report = import_answers(audit, file.read_bytes(), None, dry_run=dry_run)
    for warning in report.warnings:
        click.echo(f"{file}: warning: {_line(warning, lang)}", err=True)
    for problem in report.problems:
        click.echo(f"{file}: {_line(problem, lang)}", err=True)
    if report.should_commit:
        db.session.commit()
    else:
        db.session.rollback()
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s); nothing was saved.")
        sys.exit(1)
    verb = "would be saved" if dry_run else "saved"
    click.echo(f"{report.saved} answer(s) {verb}, {report.unchanged} unchanged.")


@click.command("export")
@with_appcontext
@click.argument("audit_id", type=int)
@click.option("--format", "output", type=click.Choice(["xlsx"]), default="xlsx", show_default=True)
@click.option("--lang", type=LANG, default="pl", help="Language of the workbook.")
@click.option(
    "-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path), required=True
)
def export_command(audit_id: int, output: str, lang: str, target: Path) -> None:
    """Export an audit as an Excel workbook: summary, one sheet per area (questions,
    answers, notes, evidence), recommendations and actions."""
    from audit_app.services.audit_export import export_xlsx

    target.write_bytes(export_xlsx(_audit(audit_id), lang))
    click.echo(f"{target}: audit {audit_id} ({lang}, {output})")
