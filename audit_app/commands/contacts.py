"""`audit-app contacts import|export|stay-in-touch`: the contact register in batch.

`import` prints one line per row (line number, what happened, why) and exits 0 when
the file was processed, even with rejected rows; 1 only when the file itself cannot
be used (missing, too large, not UTF-8, not CSV, no usable columns)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import User
from audit_app.services.register import csvparse, exporter, followups, importer, messages, stats
from audit_app.services.register.csvparse import CsvFileError
from audit_app.services.register.search import Filters
from audit_app.web.register.labels import error_message


def _user(email: str | None) -> User:
    """The account the work is done as: --as, else the first administrator."""
    query = select(User).where(User.active.is_(True))
    query = (
        query.where(User.email == email.strip().lower())
        if email
        else query.where(User.role == "admin").order_by(User.id)
    )
    user = db.session.scalars(query).first()
    if user is None:
        raise click.ClickException(
            f"No active user {email}." if email else "No administrator account; use --as."
        )
    return user


@click.group("contacts", cls=AppGroup)
def contacts_group() -> None:
    """The contact register: import, export, stay-in-touch follow-ups."""


@contacts_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report, change nothing.")
@click.option("--mode", type=click.Choice(importer.MODES), default="upsert", show_default=True)
@click.option(
    "--kind",
    type=click.Choice(csvparse.KINDS),
    default=None,
    help="People or organisations (default: from the column names).",
)
@click.option("--as", "as_email", default=None, help="E-mail of the user doing the import.")
@click.option("--lang", type=click.Choice(("en", "pl")), default="en", show_default=True)
def import_command(
    file: Path, dry_run: bool, mode: str, kind: str | None, as_email: str | None, lang: str
) -> None:
    """Import people or organisations from a CSV FILE."""
    with force_locale(lang):
        try:
            if not file.is_file():
                raise CsvFileError("missing")
            with file.open("rb") as handle:
                data = handle.read(csvparse.MAX_BYTES + 1)
            parsed = csvparse.parse(data)
            kind = kind or csvparse.guess_kind(parsed.headers)
            mapping = csvparse.auto_map(parsed.headers, kind)
            user = _user(as_email)
            result = importer.run_import(
                user, parsed, mapping, kind, mode, dry_run=dry_run, filename=file.name
            )
        except CsvFileError as error:
            db.session.rollback()
            text = (
                "The file does not exist."
                if error.code == "missing"
                else messages.file_error(error.code, error.params)
            )
            click.echo(f"{file}: {text}", err=True)
            sys.exit(1)
        except UserError as error:
            db.session.rollback()
            click.echo(f"{file}: {error_message(error.message)}", err=True)
            sys.exit(1)
        columns = ", ".join(
            f"{h or '?'} -> {m or '-'}" for h, m in zip(parsed.headers, mapping, strict=True)
        )
        click.echo(f"{kind}, mode {mode}{' (dry run)' if dry_run else ''}; columns: {columns}")
        for outcome in result.outcomes:
            reason = messages.row_reason(outcome.code, outcome.params)
            what = f"#{outcome.object_id} {outcome.label}".strip() if outcome.object_id else ""
            click.echo(
                f"line {outcome.line}: {outcome.status}"
                + (f" {what}" if what else "")
                + (f": {reason}" if reason else "")
            )
        counts = result.counts
        click.echo(", ".join(f"{name} {counts[name]}" for name in counts))
        if dry_run:
            db.session.rollback()
            click.echo("Dry run: nothing was changed.")
        else:
            db.session.commit()
            click.echo(f"Import batch #{result.batch_id} (revert it on /register/import/batches).")


@contacts_group.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.option("--kind", type=click.Choice(exporter.KINDS), default="people", show_default=True)
@click.option("--semicolon", is_flag=True, help="Separate values with ; (Excel in Polish).")
@click.option("--as", "as_email", default=None, help="E-mail of the user whose view to export.")
@click.option("--lang", type=click.Choice(("en", "pl")), default="en", show_default=True)
def export_command(
    output: Path | None, kind: str, semicolon: bool, as_email: str | None, lang: str
) -> None:
    """Export people, organisations or interactions as CSV (UTF-8 with BOM)."""
    user = _user(as_email)
    with force_locale(lang):
        chunks = exporter.export(user, kind, Filters(), ";" if semicolon else ",")
        if output is None:
            for chunk in chunks:
                click.echo(chunk, nl=False)
            return
        with output.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
    click.echo(f"Written {output}.", err=True)


@contacts_group.command("stay-in-touch")
def stay_in_touch_command() -> None:
    """Create follow-ups for contacts not reached within their stay-in-touch cadence
    (safe to run daily: nothing is created twice) and refresh segments."""
    created = followups.stay_in_touch()
    stats.refresh_all()
    db.session.commit()
    click.echo(f"{len(created)} follow-up(s) created.")
