"""The `audit-app` command: the same engine as the web app, for batch work.

Commands that need no database (questionnaires, score) run without creating the
app; the rest run inside it (FlaskGroup creates it on demand).
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from audit_app.commands.questionnaires import questionnaires_group, score_command


def _create_app() -> Flask:
    from audit_app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Readiness audit: questionnaires, scoring, audits, reports."""


main.add_command(questionnaires_group)
main.add_command(score_command)


def register(app: Flask) -> None:
    """Commands that work inside the app (database, demo data)."""
    from audit_app.commands.audits import audits_group
    from audit_app.commands.backup import backup_group
    from audit_app.commands.benchmarks import benchmark_backfill_command, benchmark_command
    from audit_app.commands.contacts import contacts_group
    from audit_app.commands.deletion import purge_deleted_command
    from audit_app.commands.demo import demo_command
    from audit_app.commands.mail import mail_group
    from audit_app.commands.report import report_group
    from audit_app.commands.respondents import respondents_group
    from audit_app.commands.tokens import tokens_group
    from audit_app.commands.worker import worker_command

    app.cli.add_command(audits_group)
    app.cli.add_command(backup_group)
    app.cli.add_command(benchmark_command)
    app.cli.add_command(benchmark_backfill_command)
    app.cli.add_command(contacts_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(purge_deleted_command)
    app.cli.add_command(mail_group)
    app.cli.add_command(report_group)
    app.cli.add_command(respondents_group)
    app.cli.add_command(tokens_group)
    app.cli.add_command(worker_command)
