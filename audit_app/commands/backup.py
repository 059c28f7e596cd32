"""`audit-app backup export FILE` and `audit-app backup import FILE`: the whole database
in one file and back (also the way from SQLite to PostgreSQL). Exit 1 with a message when
the file cannot be used or the database is not the right one (see services/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from audit_app.services import backup


@click.group("backup", cls=AppGroup)
def backup_group() -> None:
    """Back up the whole database into one file and restore it."""


@backup_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE when it exists.")
def export_command(file: Path, force: bool) -> None:
    """Write every table of the database into FILE (gzip'd JSON lines)."""
    try:
        summary = backup.export_backup(file, overwrite=force)
    except backup.BackupError as error:
        raise click.ClickException(error.message) from None
    click.echo(
        f"Backup written to {file}: {summary.total} rows in {len(summary.counts)} tables "
        f"(database revision {summary.revision})."
    )


@backup_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Restore FILE into this database, which must be empty and at the backup's revision."""
    try:
        summary = backup.import_backup(file)
    except backup.BackupError as error:
        raise click.ClickException(error.message) from None
    for name, rows in summary.counts.items():
        if rows:
            click.echo(f"{rows:>9}  {name}")
    click.echo(f"Imported {summary.total} rows into {len(summary.counts)} tables from {file}.")
