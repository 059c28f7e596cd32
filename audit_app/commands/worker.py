"""`audit-app worker`: render report PDFs requested through the API and send queued mail
(RQ, needs REDIS_URL).

Runs jobs in this process, inside the app (RQ's SimpleWorker): one job at a time, with
the app's database pool; start several for more throughput. `rq worker` with the same
environment works too (`rq worker --url "$REDIS_URL" reports mail`): it forks per job
and creates the app in the child. Mail (MAIL_QUEUE) is listened to when MAIL_SERVER is
set; retries after temporary failures are left to `audit-app mail send` (cron).
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Quit when the queue is empty.")
@click.option(
    "--queue",
    "queue_name",
    default=None,
    help="One queue only (default: REPORT_QUEUE and MAIL_QUEUE).",
)
@with_appcontext
def worker_command(burst: bool, queue_name: str | None) -> None:
    """Render queued report PDFs and send queued mail (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "REDIS_URL is not set: without it report requests are rendered in the web "
            "process and no worker is needed."
        )
    from redis import Redis
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(url)
    names = [queue_name] if queue_name else _queue_names()
    queues = [Queue(name, connection=connection) for name in names]
    worker = SimpleWorker(queues, connection=connection)
    click.echo(f"Working on the queues {', '.join(names)}" + (" (burst)" if burst else ""))
    worker.work(burst=burst, with_scheduler=False)


def _queue_names() -> list[str]:
    names = [current_app.config.get("REPORT_QUEUE") or "reports"]
    if current_app.config.get("MAIL_SERVER"):
        names.append(current_app.config.get("MAIL_QUEUE") or "mail")
    return names
