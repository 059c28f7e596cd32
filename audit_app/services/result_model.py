"""The one result model of a stored audit: gathers the inputs, `domain.present` builds it.

Every page, PDF, API response and CLI output about an audit starts here (or, for an
answers file, at `domain.present` directly), so they all tell the same figures.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from audit_app.domain.answer_text import action_status_label, channel_label, language_note
from audit_app.domain.benchmark_view import benchmark_view
from audit_app.domain.compare import Side
from audit_app.domain.history import AuditFacts
from audit_app.domain.present import PresentInput, StoredAnswer, present
from audit_app.domain.recommendations import items_to_dicts, recommend
from audit_app.domain.result_view import ActionView, ContactView, ResultView
from audit_app.domain.scoring import result_to_dict, to_json
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit
from audit_app.services import evidence as evidence_service
from audit_app.services.audits import answers_of, current_result, questionnaire_for
from audit_app.services.benchmarks import benchmark_for_audit
from audit_app.services.evidence_files import files_of
from audit_app.wording import TIMEZONE, Translator, translator


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def taken_at(audit: Audit) -> datetime:
    """When an audit counts as taken: its submission, else its start."""
    return _aware(audit.submitted_at or audit.started_at)


def facts_of(audit: Audit, t: Translator) -> AuditFacts:
    when = taken_at(audit)
    questionnaire = questionnaire_for(audit)
    return AuditFacts(
        audit_id=audit.id,
        iso=when.astimezone(TIMEZONE).date().isoformat(),
        date=t.date(when, "medium"),
        date_short=t.date(when, "short"),
        side=Side(questionnaire, current_result(audit), answers_of(audit)),
    )


def earlier_audits(audit: Audit) -> list[Audit]:
    """Submitted audits of the same organisation and questionnaire (any version) taken
    before this one, oldest first."""
    questionnaire_id = audit.questionnaire_version.questionnaire_id
    others = db.session.scalars(
        select(Audit).where(
            Audit.organisation_id == audit.organisation_id,
            Audit.status == "submitted",
            Audit.id != audit.id,
        )
    )
    when = taken_at(audit)
    found = [
        other
        for other in others
        if other.questionnaire_version.questionnaire_id == questionnaire_id
        and (taken_at(other), other.id) < (when, audit.id)
    ]
    return sorted(found, key=lambda a: (taken_at(a), a.id))


def previous_audit(audit: Audit) -> Audit | None:
    """The previous comparable audit: the latest earlier submitted one of the same
    questionnaire; never an audit of another questionnaire."""
    earlier = earlier_audits(audit)
    return earlier[-1] if earlier else None


def check_comparable(audit: Audit, other: Audit) -> None:
    """Raises UserError unless `other` can be compared with `audit`."""
    if other.id == audit.id:
        raise UserError("same_audit")
    if other.organisation_id != audit.organisation_id or other.status != "submitted":
        raise UserError("bad_comparison")
    if other.questionnaire_version.questionnaire_id != audit.questionnaire_version.questionnaire_id:
        raise UserError("different_questionnaires")


def _contacts(audit: Audit, t: Translator) -> dict[str, list[ContactView]]:
    return {
        question_id: [
            ContactView(
                who=item["who_text"],
                people=item["who"],
                channel=item["channel"],
                channel_label=channel_label(item["channel"], t),
                date=t.date(item["occurred_at"]),
                day=_aware(item["occurred_at"]).astimezone(TIMEZONE).date().isoformat(),
                subject=item["subject"],
                stale=item["stale"],
                stale_label=(
                    t.gettext("stale: older than %(days)s days", days=item["stale_after_days"])
                    if item["stale"]
                    else ""
                ),
            )
            for item in items
        ]
        # A contact is named only with their consent to be named in audit reports.
        for question_id, items in evidence_service.evidence_for(audit, for_report=True).items()
    }


def _actions(audit: Audit, t: Translator) -> dict[str, list[ActionView]]:
    """The audit's agreed actions by recommendation id, oldest first."""
    today = datetime.now(TIMEZONE).date()
    found: dict[str, list[ActionView]] = {}
    for action in sorted(audit.actions, key=lambda a: a.id):
        found.setdefault(action.recommendation_id, []).append(
            ActionView(
                id=action.id,
                title=action.title,
                owner=action.owner or "",
                owner_display=action.owner or t.gettext("not assigned"),
                due=action.due_date.isoformat() if action.due_date else "",
                due_display=t.date(action.due_date, "medium") if action.due_date else "–",
                status=action.status,
                status_label=action_status_label(action.status, t),
                overdue=action.status in ("todo", "in_progress")
                and action.due_date is not None
                and action.due_date < today,
                title_language=language_note(action.title, t),
            )
        )
    return found


def result_model(
    audit: Audit,
    lang: str,
    *,
    compare_to: Audit | None = None,
    perception: dict[str, Any] | None = None,
    with_benchmark: bool = True,
) -> ResultView:
    """The model of `audit` in `lang`; compared with `compare_to` (checked) or else the
    previous comparable audit. With the peer benchmark unless `with_benchmark` is
    False (callers that never show it, such as the history of many audits)."""
    t = translator(lang)
    if compare_to is not None:
        check_comparable(audit, compare_to)
    rows = {a.question_id: a for a in audit.answers}
    data = PresentInput(
        questionnaire=questionnaire_for(audit),
        result=current_result(audit),
        answers={
            qid: StoredAnswer(row.value, row.note or "", row.evidence or "")
            for qid, row in rows.items()
        },
        preview=audit.status != "submitted",
        this=facts_of(audit, t),
        earlier=[facts_of(a, t) for a in earlier_audits(audit)],
        previous=facts_of(compare_to, t) if compare_to is not None else None,
        contacts=_contacts(audit, t),
        perception=perception,
        actions=_actions(audit, t),
        files={
            question_id: [row.filename for row in rows]
            for question_id, rows in files_of(audit).items()
        },
    )
    model = present(data, t)
    if not with_benchmark:
        return model
    facts = benchmark_for_audit(audit)
    return replace(model, benchmark=benchmark_view(facts, data.questionnaire, data.result, t))


def results_document(audit: Audit, lang: str) -> dict[str, Any]:
    """The API's results JSON (also attached to archival PDFs): the frozen result (a
    live, provisional one while in progress), the recommendations and the model."""
    result = current_result(audit)
    frozen = audit.status == "submitted" and audit.result is not None
    model = result_model(audit, lang)
    return {
        "audit_id": audit.id,
        "status": audit.status,
        "frozen": frozen,
        "overall": model.result.overall,
        "verdict": model.result.verdict,
        "result": audit.result if frozen and audit.result else result_to_dict(result),
        "recommendations": items_to_dicts(recommend(questionnaire_for(audit), result)),
        "model": to_json(model),
    }
