"""Report PDFs rendered in the background: asked for through the API, or on the web
report pages when a queue is configured.

With `REDIS_URL` set, a request is put on an RQ queue (`REPORT_QUEUE`) and a worker
(`audit-app worker`, or `rq worker` with the same settings) renders and archives the PDF
with `services.report_archive.issue`. Without Redis, or when Redis cannot be reached, the PDF
is rendered in the web process at once and the request is finished when the call returns.

Status: queued -> started -> finished (report_id set) | failed (error holds a code).
Services flush and never commit; the request, the CLI command or the job commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, IssuedReport, ReportRequest, User
from audit_app.services import report_archive as archive
from audit_app.services import trail
from audit_app.services.report_context import DESIGNS
from audit_app.services.result_model import previous_audit
from audit_app.wording import REPORT_LANGUAGES

log = logging.getLogger(__name__)

JOB_FUNCTION = "audit_app.services.report_requests.run_job"
FAILURE_CALLBACK = "audit_app.services.report_requests.job_failed"
FAILED_JOB_STATES = ("failed", "stopped", "canceled")
LOST = object()  # `_job`: Redis no longer knows the job
_worker_app: Flask | None = None
T = TypeVar("T")


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


# A second "make PDF" for the same audit, design, language and comparison within this
# many seconds (a double click, a reload of the POST) follows the first request instead
# of archiving a second report.
TWIN_WINDOW_SECONDS = 30


def recent_twin(
    audit: Audit, *, design: str, lang: str, compare_to: Audit | None = None
) -> ReportRequest | None:
    """The request of the same report asked for in the last few seconds and not failed."""
    since = datetime.now(UTC) - timedelta(seconds=TWIN_WINDOW_SECONDS)
    compare_id = compare_to.id if compare_to is not None and design == "progress" else None
    return db.session.scalar(
        select(ReportRequest)
        .where(
            ReportRequest.audit_id == audit.id,
            ReportRequest.design == design,
            ReportRequest.lang == lang,
            ReportRequest.compare_audit_id.is_(None)
            if compare_id is None
            else ReportRequest.compare_audit_id == compare_id,
            ReportRequest.status != "failed",
            ReportRequest.created_at >= since,
        )
        .order_by(ReportRequest.created_at.desc(), ReportRequest.id.desc())
        .limit(1)
    )


def queue_configured() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def _queue() -> Any:
    from rq import Queue

    connection = _redis(current_app.config["REDIS_URL"])
    return Queue(current_app.config.get("REPORT_QUEUE") or "reports", connection=connection)


@lru_cache(maxsize=4)
def _redis(url: str) -> Any:
    """One client (and connection pool) per process and URL: the progress page asks
    every few seconds, and a new client per call opened a new connection each time."""
    from redis import Redis

    return Redis.from_url(url)


def _job(request: ReportRequest) -> Any:
    """The request's RQ job; LOST when Redis no longer has it (restarted without its
    data: the job will never run); None without a job or a queue, or when Redis
    cannot be asked."""
    if not request.job_id or not queue_configured():
        return None
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        return Job.fetch(request.job_id, connection=_queue().connection)
    except NoSuchJobError:
        return LOST
    except (RedisError, OSError, ValueError):
        return None


def _fail(request: ReportRequest, error: str) -> None:
    request.status = "failed"
    request.error = error
    request.finished_at = datetime.now(UTC)


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
        _fail(request, error.message)
    except Exception:
        log.exception("Rendering report request %s failed", request.id)
        _fail(request, "render_failed")
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
        request.finished_at = datetime.now(UTC)
    request.started_at = request.started_at or now
    db.session.flush()
    return request


def refresh(request: ReportRequest) -> ReportRequest:
    """Mark a queued or started request failed when its job died in the worker (killed,
    timed out, crashed before it could say so) or is gone from Redis (restarted without
    its data: the job will never run). The caller commits."""
    if request.status not in ("queued", "started"):
        return request
    job = _job(request)
    if job is None:
        return request
    # The status `Job.fetch` read: no second round trip.
    if job is LOST or str(job.get_status(refresh=False).value) in FAILED_JOB_STATES:
        _fail(request, "worker_failed")
        db.session.flush()
    return request


def report_of(request: ReportRequest) -> IssuedReport | None:
    """The archived report of a finished request."""
    return db.session.get(IssuedReport, request.report_id) if request.report_id else None


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
    job = _job(request) if request.status == "queued" else None
    if job is None or job is LOST:
        return None
    from redis.exceptions import RedisError

    try:
        position = job.get_position()
    except (RedisError, OSError):
        return None
    return None if position is None else int(position) + 1


def run_job(request_id: int) -> str:
    """The RQ job: render one requested report and commit. Runs inside the app when the
    worker has one (`audit-app worker`), else creates it (`rq worker`)."""
    return _in_app(_run, request_id)


def job_failed(job: Any, connection: Any, *exc_info: Any) -> None:
    """RQ's failure callback, run by the worker when the job raised or timed out: the
    request shows as failed at once. (A worker killed outright runs no callback; `refresh`
    notices that when the request is next looked at.)"""
    request_id = job.args[0] if job.args else None
    if request_id is not None:
        _in_app(_mark_failed, request_id)


def _mark_failed(request_id: int) -> None:
    try:
        db.session.rollback()
        request = db.session.get(ReportRequest, request_id)
        if request is not None and request.status in ("queued", "started"):
            _fail(request, "worker_failed")
            db.session.commit()
    except Exception:  # noqa: BLE001 - a callback must not fail the worker; refresh still works
        log.exception("Could not mark report request %s failed", request_id)
        db.session.rollback()


def _in_app(function: Callable[[int], T], request_id: int) -> T:
    """Run a job's work inside the app: the worker's own (`audit-app worker`), or one
    made for this process (`rq worker`), its session removed afterwards."""
    if has_app_context():
        return function(request_id)
    with _app().app_context():
        try:
            return function(request_id)
        finally:
            db.session.remove()


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
