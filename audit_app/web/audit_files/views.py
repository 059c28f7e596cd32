"""An audit's files for workshops: the answer workbook (Excel) to fill in and read
back, the printable blank questionnaire, and (export.py) the audit as a workbook."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from audit_app.extensions import db
from audit_app.i18n import current_language
from audit_app.models import Audit
from audit_app.services import access
from audit_app.services import audits as audit_service
from audit_app.web.downloads import download
from audit_app.web.form_base import AppForm
from audit_app.workbooks.words import message

bp = Blueprint("audit_files", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = ("pl", "en")


class ImportForm(AppForm):
    file = FileField(
        _l("Answer workbook (.xlsx)"), validators=[FileRequired()], render_kw={"accept": ".xlsx"}
    )
    dry_run = BooleanField(_l("Only check the file, save nothing"))


def _lang() -> str:
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else current_language()


def _filename(audit: Audit, kind: str, lang: str, extension: str) -> str:
    questionnaire_id = audit.questionnaire_version.questionnaire_id
    return f"{questionnaire_id}-audit-{audit.id}-{kind}-{lang}.{extension}"


@bp.get("/audits/<int:audit_id>/files")
@login_required
def index(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    return _page(audit, ImportForm())


def _page(
    audit: Audit, form: ImportForm, report: object = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "audit_files/index.html",
        audit=audit,
        questionnaire=audit_service.questionnaire_for(audit),
        editable=audit.status == "in_progress"
        and access.can_edit(current_user, audit.organisation),
        form=form,
        report=report,
    ), status


@bp.get("/audits/<int:audit_id>/answer-workbook.xlsx")
@login_required
def workbook(audit_id: int) -> ResponseReturnValue:
    """The answer workbook of the audit's questionnaire version with the answers stored
    so far and their revisions (so reading it back spots later changes)."""
    audit = access.audit_or_404(current_user, audit_id)
    lang = _lang()
    from audit_app.workbooks.blank import StoredAnswer, blank_workbook  # openpyxl: when used

    stored = {
        qid: StoredAnswer(row.value, row.note, row.evidence, row.revision)
        for qid, row in audit_service.answer_rows(audit).items()
    }
    data = blank_workbook(
        audit_service.questionnaire_for(audit), lang, audit_id=audit.id, stored=stored
    )
    return download(data, XLSX, _filename(audit, "answers", lang, "xlsx"))


@bp.get("/audits/<int:audit_id>/blank-questionnaire.pdf")
@login_required
def paper(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    lang = _lang()
    from audit_app.paper.blank_pdf import blank_pdf  # WeasyPrint: only when it is needed

    data = blank_pdf(
        audit_service.questionnaire_for(audit), lang, current_app.config["REPORTS_DIR"]
    )
    return download(data, "application/pdf", _filename(audit, "questionnaire", lang, "pdf"))


@bp.get("/audits/<int:audit_id>/export.xlsx")
@login_required
def export(audit_id: int) -> ResponseReturnValue:
    """The audit as a workbook: summary, areas, recommendations, actions."""
    audit = access.audit_or_404(current_user, audit_id)
    lang = _lang()
    from audit_app.services.audit_export import export_xlsx  # openpyxl: when used

    return download(export_xlsx(audit, lang), XLSX, _filename(audit, "export", lang, "xlsx"))


@bp.post("/audits/<int:audit_id>/files")
@login_required
def import_workbook(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(audit, form, status=400)
    dry_run = bool(form.dry_run.data)
    from audit_app.services.answer_import import import_answers  # openpyxl: when used

    report = import_answers(audit, form.file.data.read(), current_user, dry_run=dry_run)
    if report.should_commit:
        db.session.commit()
    else:
        db.session.rollback()
    if report.problems:
        return _page(audit, form, report, 400)
    if dry_run:
        return _page(audit, form, report)
    flash(
        ngettext(
            "%(num)d answer was saved from the workbook.",
            "%(num)d answers were saved from the workbook.",
            report.saved,
        )
        + " "
        + ngettext(
            "%(num)d answer was already the same.",
            "%(num)d answers were already the same.",
            report.unchanged,
        ),
        "success",
    )
    return redirect(url_for("audits.answer", audit_id=audit.id))


@bp.app_template_global()
def import_message(problem: object) -> str:
    """A problem of the import in the user's language (workbooks/words.py)."""
    return message(current_language(), problem.code, problem.params)  # type: ignore[attr-defined]
