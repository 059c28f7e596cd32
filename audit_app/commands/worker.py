"""`audit-app worker`: render report PDFs requested through the API (RQ, needs REDIS_URL).

Runs jobs in this process, inside the app (RQ's SimpleWorker): one job at a time, with
the app's database pool; start several for more throughput. `rq worker` with the same
environment works too (`rq worker --url "$REDIS_URL" reports`): it forks per job and
creates the app in the child.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Quit when the queue is empty.")
@click.option("--queue", "queue_name", default=None, help="Queue name (default REPORT_QUEUE).")
@with_appcontext
def worker_command(burst: bool, queue_name: str | None) -> None:
    """Render queued report PDFs and archive them (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "REDIS_URL is not set: without it report requests are rendered in the web "
            "process and no worker is needed."
        )
    from redis import Redis
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(url)
    name = queue_name or current_app.config.get("REPORT_QUEUE") or "reports"
    worker = SimpleWorker([Queue(name, connection=connection)], connection=connection)
    click.echo(f"Rendering reports from the queue {name!r}" + (" (burst)" if burst else ""))
    worker.work(burst=burst, with_scheduler=False)
