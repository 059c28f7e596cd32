"""Each submitted audit's area scores as rows (audit_section_scores), so peer
benchmarks aggregate them in SQL instead of reading every frozen result.

Written at submission, removed on reopen (services/audits.py); audits submitted before
the table existed get theirs from the frozen result JSON - lazily when a benchmark
meets them (`backfill`) or all at once with `audit-app benchmark-backfill`.
Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def submitted_without(rows: Any, audit_ids: Iterable[int] | None = None) -> list[Audit]:
    """Submitted audits with a frozen result that have no `rows` (a model with an
    `audit_id`) yet: all of them, or those among `audit_ids`."""
    query = select(Audit).where(
        Audit.status == "submitted",
        Audit.result.is_not(None),
        ~exists().where(rows.audit_id == Audit.id),
    )
    if audit_ids is not None:
        ids = list(audit_ids)
        if not ids:
            return []
        query = query.where(Audit.id.in_(ids))
    return list(db.session.scalars(query))


def backfill(audit_ids: Iterable[int] | None = None) -> int:
    """Rows for submitted audits that have none (all of them, or those among
    `audit_ids`), from their frozen results. Returns how many audits got rows."""
    missing = submitted_without(AuditSectionScore, audit_ids)
    for audit in missing:
        assert audit.result is not None
        write(audit, result_from_dict(audit.result))
    db.session.flush()
    return len(missing)
