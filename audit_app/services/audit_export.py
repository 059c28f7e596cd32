"""An audit exported as an Excel workbook (workbooks/export.py builds it from the plain
values gathered here): `audit-app audits export ID --format xlsx` and the audit's
workshop files page. Every figure, label and answer comes from the one result model
(`services.result_model`), as on the results page and in the reports; numbers are
written as numbers, rounded by the product's one rounding (half up, one decimal)."""

from __future__ import annotations

from audit_app.domain.answer_text import action_status_label
from audit_app.domain.ranking import shown
from audit_app.domain.result_view import ContactView, ResultView
from audit_app.models import Audit
from audit_app.services.evidence_files import files_of
from audit_app.services.result_model import result_model
from audit_app.wording import translator
from audit_app.workbooks.export import Area, AuditSheets, Cell, audit_workbook
from audit_app.workbooks.words import code_word, word


def _number(value: float | None) -> Cell:
    return None if value is None else float(shown(value))


def _contact(item: ContactView) -> str:
    text = f"{item.date} · {item.channel_label} · {item.who}"
    return f"{text} — {item.subject}" if item.subject else text


def summary_rows(audit: Audit, model: ResultView, lang: str) -> list[tuple[str, Cell]]:
    """The summary sheet: (label, value) rows, the model's figures and words."""
    r = model.result
    rows: list[tuple[str, Cell]] = [
        (word(lang, "organisation_label"), audit.organisation.name),
        (word(lang, "questionnaire_label"),
         f"{model.questionnaire_title} ({model.questionnaire_id} {model.questionnaire_version})"),
        (word(lang, "status"), code_word(lang, audit.status)),
        (word(lang, "started"), audit.started_at.date().isoformat()),
        (word(lang, "submitted"),
         audit.submitted_at.date().isoformat() if audit.submitted_at else None),
        (word(lang, "overall"), _number(r.overall)),
        (word(lang, "level"), r.level.label),
        (word(lang, "verdict"), r.verdict_label),
        (word(lang, "provisional"), word(lang, "yes" if r.provisional else "no")),
        (word(lang, "coverage"), _number(r.coverage)),
    ]  # fmt: skip
    if r.best_case_sentence:
        rows.append(("", r.best_case_sentence))
    if r.target is not None:
        rows += [(word(lang, "target"), _number(r.target)), (word(lang, "gap"), _number(r.gap))]
    if model.start is not None:
        rows.append(("", model.start.sentence))
    for area in model.dimensions:
        rows.append((word(lang, "area_score", area=area.title), _number(area.percent)))
    return rows


def audit_sheets(audit: Audit, lang: str) -> AuditSheets:
    model = result_model(audit, lang)
    files = files_of(audit)
    areas = []
    for dimension in model.dimensions:
        area = Area(dimension.title)
        for question in dimension.all_questions:
            area.rows.append([
                question.number,
                question.text,
                question.answer,
                _number(question.percent),
                question.note or None,
                question.evidence or None,
                "\n".join(_contact(c) for c in question.contacts) or None,
                "\n".join(f.filename for f in files.get(question.id, [])) or None,
            ])  # fmt: skip
        areas.append(area)
    recommendations: list[list[Cell]] = [
        [_number(item.priority), item.dimension, item.text, item.horizon or None,
         item.impact_label, item.effort_label, item.category_label]
        for item in model.recommendations
    ]  # fmt: skip
    t = translator(lang)
    actions: list[list[Cell]] = [
        [action.title, action.owner or None,
         action.due_date.isoformat() if action.due_date else None,
         action_status_label(action.status, t)]
        for action in sorted(audit.actions, key=lambda a: a.id)
    ]  # fmt: skip
    title = f"{audit.organisation.name}: {model.questionnaire_title}"
    return AuditSheets(title, summary_rows(audit, model, lang), areas, recommendations, actions)


def export_xlsx(audit: Audit, lang: str) -> bytes:
    return audit_workbook(audit_sheets(audit, lang), lang)
