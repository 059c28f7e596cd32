"""An audit exported as an Excel workbook (workbooks/export.py builds it from the plain
values gathered here): `audit-app audits export ID --format xlsx` and the audit's
workshop files page.

NOTE for the results rewrite: the summary sheet's figures come from `summary_rows`,
which uses today's result computation (`audits.current_result`); it is the one place
to re-point to the new result model. The per-area scores use the same result."""

from __future__ import annotations

from typing import Any

from audit_app.domain.questionnaire import Question, Questionnaire
from audit_app.domain.recommendations import recommend
from audit_app.domain.scoring import AuditResult
from audit_app.models import Audit
from audit_app.services import audits as audit_service
from audit_app.services import evidence as contact_evidence
from audit_app.services.evidence_files import files_of
from audit_app.workbooks.export import Area, AuditSheets, Cell, audit_workbook
from audit_app.workbooks.shown import shown_value
from audit_app.workbooks.words import code_word, word


def _pct(value: float | None) -> Cell:
    return None if value is None else round(value, 1)


def summary_rows(
    audit: Audit, questionnaire: Questionnaire, result: AuditResult, lang: str
) -> list[tuple[str, Cell]]:
    """The summary sheet: (label, value) rows. Re-point here for a new result model."""
    level = next((lv for lv in questionnaire.levels if lv.id == result.level_id), None)
    rows: list[tuple[str, Cell]] = [
        (word(lang, "organisation_label"), audit.organisation.name),
        (word(lang, "questionnaire_label"),
         f"{questionnaire.title.get(lang)} ({questionnaire.id} {questionnaire.version})"),
        (word(lang, "status"), code_word(lang, audit.status)),
        (word(lang, "started"), audit.started_at.date().isoformat()),
        (word(lang, "submitted"),
         audit.submitted_at.date().isoformat() if audit.submitted_at else None),
        (word(lang, "overall"), _pct(result.overall)),
        (word(lang, "level"), level.label.get(lang) if level else None),
        (word(lang, "verdict"), code_word(lang, result.verdict)),
        (word(lang, "provisional"), word(lang, "yes" if result.provisional else "no")),
        (word(lang, "coverage"), _pct(result.coverage)),
    ]  # fmt: skip
    if result.target is not None:
        rows += [(word(lang, "target"), _pct(result.target)), (word(lang, "gap"), _pct(result.gap))]
    for section in questionnaire.sections:
        score = result.section(section.id)
        title = section.title.get(lang)
        rows.append((word(lang, "area_score", area=title), _pct(score.percent if score else None)))
    return rows


def _answer(question: Question, status: str, value: Any, lang: str) -> Cell:
    if status == "hidden":
        return word(lang, "hidden_answer")
    if value is None:
        return word(lang, "not_answered")
    return shown_value(question, value)[lang]


def _contact(item: dict[str, Any]) -> str:
    when = item["occurred_at"].date().isoformat() if item.get("occurred_at") else ""
    parts = [when, str(item.get("channel") or ""), str(item.get("who_text") or "")]
    text = " · ".join(p for p in parts if p)
    return f"{text} — {item['subject']}" if item.get("subject") else text


def audit_sheets(audit: Audit, lang: str) -> AuditSheets:
    questionnaire = audit_service.questionnaire_for(audit)
    result = audit_service.current_result(audit)
    rows = audit_service.answer_rows(audit)
    contacts = contact_evidence.evidence_for(audit)
    files = files_of(audit)
    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, start=1)}
    areas = []
    for section in questionnaire.sections:
        area = Area(section.title.get(lang))
        for question in section.questions:
            row = rows.get(question.id)
            score = result.question(question.id)
            status = score.status if score else "unanswered"
            area.rows.append([
                numbers[question.id],
                question.text.get(lang),
                _answer(question, status, row.value if row else None, lang),
                _pct(score.percent if score else None),
                row.note if row else None,
                row.evidence if row else None,
                "\n".join(_contact(c) for c in contacts.get(question.id, [])) or None,
                "\n".join(f.filename for f in files.get(question.id, [])) or None,
            ])  # fmt: skip
        areas.append(area)
    titles = {s.id: s.title.get(lang) for s in questionnaire.sections}
    recommendations: list[list[Cell]] = [
        [round(item.priority, 1), titles.get(item.section_id, item.section_id),
         item.text.get(lang), item.horizon.get(lang) if item.horizon else None,
         code_word(lang, item.impact), code_word(lang, item.effort),
         code_word(lang, item.category)]
        for item in recommend(questionnaire, result)
    ]  # fmt: skip
    actions: list[list[Cell]] = [
        [action.title, action.owner or None,
         action.due_date.isoformat() if action.due_date else None,
         code_word(lang, action.status)]
        for action in sorted(audit.actions, key=lambda a: a.id)
    ]  # fmt: skip
    title = f"{audit.organisation.name}: {questionnaire.title.get(lang)}"
    summary = summary_rows(audit, questionnaire, result, lang)
    return AuditSheets(title, summary, areas, recommendations, actions)


def export_xlsx(audit: Audit, lang: str) -> bytes:
    return audit_workbook(audit_sheets(audit, lang), lang)
