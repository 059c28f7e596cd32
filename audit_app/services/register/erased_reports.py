"""Erasure reaches the report archive: every issued report whose stored context
mentions the erased person (a name, an e-mail, a phone: evidence named them) is
re-rendered from that context with the person's details replaced by their pseudonym,
so the archive, its share links and the API serve the new PDF only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import undefer

from audit_app.extensions import db
from audit_app.models import IssuedReport, User
from audit_app.services import report_archive as archive
from audit_app.services import trail


def redact_reports(user: User, redact: Callable[[Any], Any], erasure_ref: str) -> list[int]:
    """Re-render the reports `redact` changes; returns their ids. One report in memory
    at a time (contexts are large), each recorded in the audit trail."""
    changed = []
    for report_id in list(db.session.scalars(select(IssuedReport.id).order_by(IssuedReport.id))):
        report = db.session.get(IssuedReport, report_id, options=[undefer(IssuedReport.context)])
        if report is None:  # pragma: no cover - ids were just read
            continue
        context = redact(report.context)
        if context != report.context:
            archive.rerender(report, context)
            trail.record(
                user.id,
                "redact_report",
                "audit",
                report.audit_id,
                report_id=report.id,
                erasure_ref=erasure_ref,
                sha256=report.sha256,
            )
            changed.append(report.id)
        db.session.expire(report, ["context", "pdf"])
    return changed
