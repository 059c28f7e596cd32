"""Report PDFs rendered in the background: asked for through the API, or on the web
report pages when a queue is configured.

With `REDIS_URL` set, a request is put on an RQ queue (`REPORT_QUEUE`) and a worker
(`audit-app worker`, or `rq worker` with the same settings) renders and archives the PDF
with `reporting.archive.issue`. Without Redis, or when Redis cannot be reached, the PDF
is rendered in the web process at once and the request is finished when the call returns.

Status: queued -> started -> finished (report_id set) | failed (error holds a code).
Services flush and never commit; the request, the CLI command or the job commits.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, ReportRequest, User
from audit_app.reporting import archive
from audit_app.reporting.context import DESIGNS, previous_audit
from audit_app.reporting.i18n import REPORT_LANGUAGES
from audit_app.services import trail

log = logging.getLogger(__name__)

JOB_FUNCTION = "audit_app.services.report_requests.run_job"
FAILURE_CALLBACK = "audit_app.services.report_requests.job_failed"
FAILED_JOB_STATES = ("failed", "stopped", "canceled", "lost")
_worker_app: Flask | None = None


def create(
    audit: Audit,
    user: User,
    *,
    design: str,
    lang: str,
    compare_to: Audit | None = None,
    channel: str = "api",
) -> ReportRequest:
    """A queued request for a report of a submitted audit (checked now, rendered later).
    `channel` (web | api) is kept as the archived report's channel."""
    if design not in DESIGNS:
        raise UserError("unknown_design", field="design")
    if lang not in REPORT_LANGUAGES:
        raise UserError("unknown_language", field="lang")
    if audit.status != "submitted":
        raise UserError("not_submitted")
    if compare_to is not None and (
        compare_to.id == audit.id
        or compare_to.organisation_id != audit.organisation_id
        or compare_to.status != "submitted"
    ):
        raise UserError("bad_comparison", field="compare_to")
    if design == "progress" and compare_to is None and previous_audit(audit) is None:
        raise UserError("nothing_to_compare", field="design")
    request = ReportRequest(
        audit_id=audit.id,
        organisation_id=audit.organisation_id,
        compare_audit_id=compare_to.id if compare_to is not None and design == "progress" else None,
        design=design,
        lang=lang,
        channel=channel if channel in archive.CHANNELS else "api",
        status="queued",
        requested_by_id=user.id,
    )
    db.session.add(request)
    db.session.flush()
    trail.record(
        user.id,
        "request_report",
        "audit",
        audit.id,
        request_id=request.id,
        design=design,
        lang=lang,
    )
    return request


def queue_configured() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def _queue() -> Any:
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(current_app.config["REDIS_URL"])
    return Queue(current_app.config.get("REPORT_QUEUE") or "reports", connection=connection)


def dispatch(request: ReportRequest) -> None:
    """Hand a committed request to the queue, or render it now when there is none
    (or it cannot be reached). The caller commits afterwards."""
    if queue_configured():
        from redis.exceptions import RedisError
        from rq import Callback

        try:
            job = _queue().enqueue(
                JOB_FUNCTION,
                request.id,
                job_timeout=int(current_app.config.get("REPORT_JOB_TIMEOUT") or 300),
                result_ttl=24 * 3600,
                failure_ttl=7 * 24 * 3600,
                description=f"report request {request.id}",
                on_failure=Callback(FAILURE_CALLBACK),
            )
        except (RedisError, OSError, ValueError) as error:
            log.warning("Report queue unavailable (%s); rendering in the web process", error)
        else:
            request.job_id = job.id
            db.session.flush()
            return
    process(request)


def process(request: ReportRequest) -> ReportRequest:
    """Render and archive the requested report in this process: finished or failed.
    No "started" is written first: nobody else could see it before the caller commits,
    and the write would hold SQLite's write lock through the whole render."""
    if request.status in ("finished", "failed"):
        return request
    return render(request)


def mark_started(request: ReportRequest) -> None:
    request.status = "started"
    request.started_at = datetime.now(UTC)
    request.error = None
    db.session.flush()


def render(request: ReportRequest) -> ReportRequest:
    """Render the request's report, then archive it: finished or failed. Everything up
    to the PDF only reads; the writes come after it (see `archive.keep`)."""
    audit = db.session.get(Audit, request.audit_id)
    user = db.session.get(User, request.requested_by_id) if request.requested_by_id else None
    compare_to = (
        db.session.get(Audit, request.compare_audit_id) if request.compare_audit_id else None
    )
    now = datetime.now(UTC)
    try:
        if audit is None:
            raise UserError("audit_gone")
        context, rendered = archive.render_audit(
            audit, request.design, request.lang, compare_to=compare_to, user=user, now=now
        )
    except UserError as error:
        request.status = "failed"
        request.error = error.message
    except Exception:
        log.exception("Rendering report request %s failed", request.id)
        request.status = "failed"
        request.error = "render_failed"
    else:
        report = archive.keep(
            audit,
            request.design,
            request.lang,
            context,
            rendered,
            user=user,
            channel=request.channel,
            now=now,
        )
        request.status = "finished"
        request.report_id = report.id
    request.started_at = request.started_at or now
    request.finished_at = datetime.now(UTC)
    db.session.flush()
    return request


def refresh(request: ReportRequest) -> ReportRequest:
    """Mark a queued or started request failed when its job died in the worker (killed,
    timed out, crashed before it could say so) or is gone from Redis (restarted without
    its data: the job will never run). The caller commits."""
    if request.status not in ("queued", "started") or not request.job_id:
        return request
    if not queue_configured():
        return request
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        queue = _queue()
        job = Job.fetch(request.job_id, connection=queue.connection)
        state = str(getattr(job.get_status(), "value", job.get_status()))
    except NoSuchJobError:
        state = "lost"
    except (RedisError, OSError, ValueError):
        return request
    if state in FAILED_JOB_STATES:
        request.status = "failed"
        request.error = "worker_failed"
        request.finished_at = datetime.now(UTC)
        db.session.flush()
    return request


def pending(organisation_id: int) -> list[ReportRequest]:
    """The organisation's reports still waiting or rendering, oldest first."""
    return list(
        db.session.scalars(
            select(ReportRequest)
            .where(
                ReportRequest.organisation_id == organisation_id,
                ReportRequest.status.in_(("queued", "started")),
            )
            .order_by(ReportRequest.created_at, ReportRequest.id)
        )
    )


def queue_position(request: ReportRequest) -> int | None:
    """1 for the next job a worker takes; None when not waiting in the queue (or the
    queue cannot be asked)."""
    if request.status != "queued" or not request.job_id or not queue_configured():
        return None
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(request.job_id, connection=_queue().connection)
        position = job.get_position()
    except (NoSuchJobError, RedisError, OSError, ValueError):
        return None
    return None if position is None else int(position) + 1


def run_job(request_id: int) -> str:
    """The RQ job: render one requested report and commit. Runs inside the app when the
    worker has one (`audit-app worker`), else creates it (`rq worker`)."""
    if has_app_context():
        return _run(request_id)
    with _app().app_context():
        try:
            return _run(request_id)
        finally:
            db.session.remove()


def job_failed(job: Any, connection: Any, *exc_info: Any) -> None:
    """RQ's failure callback, run by the worker when the job raised or timed out: the
    request shows as failed at once. (A worker killed outright runs no callback; `refresh`
    notices that when the request is next looked at.)"""
    request_id = job.args[0] if job.args else None
    if request_id is None:
        return
    if has_app_context():
        _mark_failed(request_id)
        return
    with _app().app_context():
        try:
            _mark_failed(request_id)
        finally:
            db.session.remove()


def _mark_failed(request_id: int) -> None:
    try:
        db.session.rollback()
        request = db.session.get(ReportRequest, request_id)
        if request is not None and request.status in ("queued", "started"):
            request.status = "failed"
            request.error = "worker_failed"
            request.finished_at = datetime.now(UTC)
            db.session.commit()
    except Exception:  # noqa: BLE001 - a callback must not fail the worker; refresh still works
        log.exception("Could not mark report request %s failed", request_id)
        db.session.rollback()


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from audit_app import create_app

        _worker_app = create_app()
    return _worker_app


def _run(request_id: int) -> str:
    try:
        request = db.session.get(ReportRequest, request_id)
        if request is None:
            return "missing"
        if request.status in ("finished", "failed"):
            return request.status
        mark_started(request)
        db.session.commit()  # pollers see "started" while the PDF renders
        render(request)
        db.session.commit()
        return request.status
    except Exception:
        db.session.rollback()
        raise
