"""Each submitted audit's area scores as rows (audit_section_scores), so peer
benchmarks aggregate them in SQL instead of reading every frozen result.

Written at submission, removed on reopen (services/audits.py); audits submitted before
the table existed get theirs from the frozen result JSON - lazily when a benchmark
meets them (`backfill`) or all at once with `audit-app benchmark-backfill`.
Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, exists, select

from audit_app.domain.scoring import AuditResult, result_from_dict
from audit_app.extensions import db
from audit_app.models import Audit
from audit_app.models.audits import AuditSectionScore


def write(audit: Audit, result: AuditResult) -> None:
    """The area scores of `result` as the rows of `audit` (replacing any)."""
    clear(audit)
    db.session.add_all(
        AuditSectionScore(audit_id=audit.id, section_id=s.section_id, score=s.percent)
        for s in result.sections
    )


def clear(audit: Audit) -> None:
    db.session.execute(delete(AuditSectionScore).where(AuditSectionScore.audit_id == audit.id))


def backfill(audit_ids: Iterable[int] | None = None) -> int:
    """Rows for submitted audits that have none (all of them, or those among
    `audit_ids`), from their frozen results. Returns how many audits got rows."""
    query = select(Audit).where(
        Audit.status == "submitted",
        Audit.result.is_not(None),
        ~exists().where(AuditSectionScore.audit_id == Audit.id),
    )
    if audit_ids is not None:
        ids = list(audit_ids)
        if not ids:
            return 0
        query = query.where(Audit.id.in_(ids))
    count = 0
    for audit in db.session.scalars(query):
        assert audit.result is not None
        write(audit, result_from_dict(audit.result))
        count += 1
    db.session.flush()
    return count
