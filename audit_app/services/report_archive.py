"""Issuing a report: render it, keep the PDF unchanged with who, when and from what.

Services flush and never commit; the request or the CLI command commits.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, IssuedReport, Organisation, User
from audit_app.services import trail
from audit_app.services.report_context import (
    DESIGNS,
    ContextError,
    build_context,
    context_audit_ids,
)
from audit_app.services.result_model import results_document
from audit_app.wording import REPORT_LANGUAGES

if TYPE_CHECKING:  # WeasyPrint is imported where a PDF is rendered, not at start-up
    from audit_app.reporting.pdf import Rendered

CHANNELS = ("web", "cli", "api")


def render_audit(
    audit: Audit,
    design: str,
    lang: str,
    *,
    compare_to: Audit | None = None,
    user: User | None = None,
    now: datetime | None = None,
    archival: bool = False,
) -> tuple[dict[str, object], Rendered]:
    """The context and the rendered PDF, without archiving (previews, benchmarks).

    `archival`: a PDF/A-3b that carries the audit's result (the API's results JSON)."""
    if design not in DESIGNS:
        raise UserError("unknown_design", field="design")
    if lang not in REPORT_LANGUAGES:
        raise UserError("unknown_language", field="lang")
    try:
        context = build_context(audit, design, lang, compare_to=compare_to, issued_by=user, now=now)
    except ContextError as error:
        raise UserError(
            error.code, field="compare_to" if "compar" in error.code else None
        ) from None
    attachment = None
    if archival:
        context["archival"] = True
        attachment = json.dumps(results_document(audit, lang), ensure_ascii=False, indent=1)
    from audit_app.reporting.pdf import renderer

    rendered = renderer(current_app.config["REPORTS_DIR"]).render(
        design, context, attachment=attachment
    )
    return context, rendered


def issue(
    audit: Audit,
    design: str,
    lang: str,
    *,
    user: User | None = None,
    compare_to: Audit | None = None,
    channel: str = "web",
    now: datetime | None = None,
    archival: bool = False,
) -> IssuedReport:
    """Render a report and archive it: every PDF handed out is kept byte for byte."""
    now = now or datetime.now(UTC)
    context, rendered = render_audit(
        audit, design, lang, compare_to=compare_to, user=user, now=now, archival=archival
    )
    return keep(audit, design, lang, context, rendered, user=user, channel=channel, now=now)


def keep(
    audit: Audit,
    design: str,
    lang: str,
    context: dict[str, object],
    rendered: Rendered,
    *,
    user: User | None,
    channel: str,
    now: datetime,
) -> IssuedReport:
    """Archive a rendered report. Rendering only reads, and this is the only write, so a
    render of several seconds holds no write lock (on SQLite, a read transaction kept
    open across the render could not be turned into a write once another connection had
    committed: see audit_app/db_sqlite.py)."""
    comparison = context.get("comparison")
    other_id = None
    if isinstance(comparison, dict):
        ids = [comparison["before"]["audit_id"], comparison["after"]["audit_id"]]
        other_id = next((i for i in ids if i != audit.id), None)
    report = IssuedReport(
        organisation_id=audit.organisation_id,
        audit_id=audit.id,
        compare_audit_id=other_id,
        design=design,
        lang=lang,
        created_at=now,
        created_by_id=user.id if user else None,
        channel=channel if channel in CHANNELS else "web",
        filename=report_filename(audit.organisation, design, lang, now),
        size=len(rendered.pdf),
        pages=rendered.pages,
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
        pdf=rendered.pdf,
        context=context,
    )
    db.session.add(report)
    db.session.flush()
    trail.record(
        user.id if user else None,
        "issue_report",
        "audit",
        audit.id,
        report_id=report.id,
        design=design,
        lang=lang,
        sha256=report.sha256,
        audits=context_audit_ids(context),
        channel=report.channel,
    )
    return report


def rerender(report: IssuedReport, context: dict[str, Any]) -> None:
    """Replace an archived report by a render of `context` (the stored one with a
    person's details removed: the only change ever made to an issued report, for an
    erasure). Share links then serve the new PDF."""
    from audit_app.reporting.pdf import renderer

    rendered = renderer(current_app.config["REPORTS_DIR"]).render(report.design, context)
    report.context = context
    report.pdf = rendered.pdf
    report.size = len(rendered.pdf)
    report.pages = rendered.pages
    report.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
    db.session.flush()


def report_filename(organisation: Organisation, design: str, lang: str, when: datetime) -> str:
    """E.g. `miejska-biblioteka-publiczna-w-lodzi-full-pl-2026-11-29.pdf` (ASCII only)."""
    name = organisation.name.replace("ł", "l").replace("Ł", "L")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "report"
    return f"{slug}-{design}-{lang}-{when.date().isoformat()}.pdf"


# The columns the report archive may be sorted by (?sort=); the newest first by default.
SORT_COLUMNS: dict[str, Any] = {
    "issued": IssuedReport.created_at,
    "design": IssuedReport.design,
    "pages": IssuedReport.pages,
}


def issued_for_organisation(
    organisation_id: int, sort: str = "issued", descending: bool = True
) -> list[IssuedReport]:
    """The organisation's archived reports, ordered in SQL by one of SORT_COLUMNS, then
    by when they were issued and the id, the same way round."""
    column = SORT_COLUMNS.get(sort, IssuedReport.created_at)
    ties = [IssuedReport.created_at, IssuedReport.id]
    order = [c.desc() if descending else c.asc() for c in (column, *ties)]
    return list(
        db.session.scalars(
            select(IssuedReport)
            .where(IssuedReport.organisation_id == organisation_id)
            .order_by(*order)
        )
    )


def latest_for_audit(audit_id: int) -> IssuedReport | None:
    return db.session.scalar(
        select(IssuedReport)
        .where(IssuedReport.audit_id == audit_id)
        .order_by(IssuedReport.created_at.desc(), IssuedReport.id.desc())
        .limit(1)
    )


def submitted_audits(organisation_id: int) -> list[Audit]:
    return list(
        db.session.scalars(
            select(Audit)
            .where(Audit.organisation_id == organisation_id, Audit.status == "submitted")
            .order_by(Audit.submitted_at.desc(), Audit.id.desc())
        )
    )


# A second archival copy of the same report within this many seconds (a double click)
# is the first one again, not a second archive entry.
TWIN_WINDOW_SECONDS = 30


def recent_twin(
    audit: Audit, design: str, lang: str, *, archival: bool, now: datetime | None = None
) -> IssuedReport | None:
    """The same report of the audit archived in the last few seconds, if any."""
    since = (now or datetime.now(UTC)) - timedelta(seconds=TWIN_WINDOW_SECONDS)
    candidates = db.session.scalars(
        select(IssuedReport)
        .where(
            IssuedReport.audit_id == audit.id,
            IssuedReport.design == design,
            IssuedReport.lang == lang,
            IssuedReport.created_at >= since,
        )
        .order_by(IssuedReport.created_at.desc(), IssuedReport.id.desc())
    )
    return next((r for r in candidates if bool(r.context.get("archival")) == archival), None)
