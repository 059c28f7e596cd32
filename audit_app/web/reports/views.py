"""Report PDFs of an audit: issue (render and archive), the archive, archived
downloads byte for byte, and the share links for leadership.

Every "make PDF" goes through a report request and its progress page, with or without a
queue: with one (`REDIS_URL`), a worker renders it and the page follows it (reloaded by
static/report-progress.js, or by the user without script) until the PDF is in the
archive; without one (or when it cannot be reached), it is rendered in the request and
the same page shows it ready. A second post of the same report within a few seconds (a
double click) follows the first request instead of archiving a second PDF."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask import request as flask_request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, IssuedReport, ReportRequest, ShareLink
from audit_app.services import access, sharing
from audit_app.services import report_archive as archive
from audit_app.services import report_requests as queued
from audit_app.services.result_model import previous_audit
from audit_app.web.pdf import pdf_response
from audit_app.web.reports.forms import IssueForm, RevokeForm, ShareForm, design_choices
from audit_app.web.sorting import sorting_from

bp = Blueprint("reports", __name__)


def _error_message(error: UserError) -> str:
    messages = {
        "not_submitted": _("Reports are issued for submitted audits only. Submit the audit first."),
        "nothing_to_compare": _(
            "A progress report needs an earlier submitted audit of the same organisation."
        ),
        "bad_comparison": _("Choose a submitted audit of the same organisation to compare with."),
        "unknown_design": _("Choose one of the report designs."),
        "unknown_language": _("Choose Polish or English."),
        "audit_gone": _("The audit of this report has been deleted."),
        "render_failed": _(
            "The PDF could not be rendered. Try again; if it fails again, tell your administrator."
        ),
        "worker_failed": _(
            "The report worker stopped before the PDF was ready. "
            "Try again; if it fails again, tell your administrator."
        ),
    }
    return messages.get(error.message, error.message)


def _issue_form(audit: Audit, *, formdata: bool = True) -> IssueForm:
    form = IssueForm() if formdata else IssueForm(formdata=None)
    others = [a for a in archive.submitted_audits(audit.organisation_id) if a.id != audit.id]
    previous = previous_audit(audit)
    default_label = (
        _("the previous audit (%(date)s)", date=format_date(previous.submitted_at, "medium"))
        if previous is not None and previous.submitted_at
        else _("the previous audit")
    )
    form.compare_to.choices = [(0, default_label)] + [
        (
            other.id,
            _("audit of %(date)s", date=format_date(other.submitted_at, "medium"))
            if other.submitted_at
            else str(other.id),
        )
        for other in others
    ]
    return form


def _page(audit: Audit, form: IssueForm, status: int = 200) -> ResponseReturnValue:
    organisation = audit.organisation
    can_edit = access.can_edit(current_user, organisation)
    sorting = sorting_from(
        flask_request.args, list(archive.SORT_COLUMNS), "issued", descending=True
    )
    reports = archive.issued_for_organisation(organisation.id, sorting.column, sorting.descending)
    return (
        render_template(
            "reports/index.html",
            sorting=sorting,
            audit=audit,
            organisation=organisation,
            form=form,
            reports=reports,
            can_edit=can_edit,
            share_form=ShareForm(),
            revoke_form=RevokeForm(),
            link_status=sharing.status,
            audits_by_id={a.id: a for a in archive.submitted_audits(organisation.id)},
            pending=queued.pending(organisation.id),
            design_labels=dict(design_choices()),
        ),
        status,
    )


@bp.route("/audits/<int:audit_id>/reports")
@login_required
def index(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    return _page(audit, _issue_form(audit, formdata=False))


@bp.route("/audits/<int:audit_id>/reports", methods=["POST"])
@login_required
def issue(audit_id: int) -> ResponseReturnValue:
    """Render a new PDF, archive it and send it as a download."""
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    form = _issue_form(audit)
    if not form.validate_on_submit():
        return _page(audit, form, 400)
    compare_to = None
    if form.design.data == "progress" and form.compare_to.data:
        compare_to = db.session.get(Audit, form.compare_to.data)
        if compare_to is None or compare_to.organisation_id != audit.organisation_id:
            abort(404)
    design, lang = form.design.data or "full", form.lang.data or "pl"
    archival = bool(form.archival.data)
    try:
        # Archival copies are rendered here: the report queue keeps design and language only.
        if not archival:
            return _request(audit, design, lang, compare_to)
        twin = archive.recent_twin(audit, design, lang, archival=True)
        if twin is not None:
            return pdf_response(twin, attachment=True)
        report = archive.issue(
            audit, design, lang, user=current_user, compare_to=compare_to, archival=archival
        )
    except UserError as error:
        field = getattr(form, error.field or "", None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, _error_message(error)]
        else:
            flash(_error_message(error), "error")
        db.session.rollback()
        return _page(audit, form, 400)
    db.session.commit()
    return pdf_response(report, attachment=True)


def _request(audit: Audit, design: str, lang: str, compare_to: Audit | None) -> ResponseReturnValue:
    """Queue the report for a worker, or render it here when there is no queue (or it
    cannot be reached); either way the browser goes to the request's progress page. The
    same report asked for again within seconds goes to the first request's page."""
    twin = queued.recent_twin(audit, design=design, lang=lang, compare_to=compare_to)
    if twin is not None:
        return redirect(url_for("reports.progress", request_id=twin.id), 303)
    request = queued.create(
        audit, current_user, design=design, lang=lang, compare_to=compare_to, channel="web"
    )
    db.session.commit()  # a double click's second post now finds it (recent_twin)
    if not queued.queue_configured():
        queued.mark_started(request)
        db.session.commit()  # its progress page says "rendering" meanwhile
    queued.dispatch(request)
    db.session.commit()
    return redirect(url_for("reports.progress", request_id=request.id), 303)


def _request_or_404(request_id: int) -> ReportRequest:
    request = db.session.get(ReportRequest, request_id)
    if request is None:
        abort(404)
    access.organisation_or_404(current_user, request.organisation_id)
    queued.refresh(request)  # a job that died in its worker shows as failed
    db.session.commit()
    return request


def _progress(request: ReportRequest) -> dict[str, Any]:
    """What the progress page and its status call show."""
    report = queued.report_of(request)
    error = _error_message(UserError(request.error)) if request.error else None
    return {
        "status": request.status,
        "position": queued.queue_position(request),
        "error": error,
        "download_url": url_for("reports.download", report_id=report.id) if report else None,
    }


@bp.route("/report-requests/<int:request_id>")
@login_required
def progress(request_id: int) -> ResponseReturnValue:
    """A queued report: waiting, rendering, ready to download, or failed."""
    request = _request_or_404(request_id)
    audit = db.session.get(Audit, request.audit_id)
    if audit is None:
        abort(404)
    return render_template(
        "reports/progress.html",
        report_request=request,
        audit=audit,
        organisation=audit.organisation,
        progress=_progress(request),
        design_label=dict(design_choices()).get(request.design, request.design),
        status_url=url_for("reports.progress_status", request_id=request.id),
    )


@bp.route("/report-requests/<int:request_id>/status")
@login_required
def progress_status(request_id: int) -> ResponseReturnValue:
    """The progress page's state as JSON, polled by static/report-progress.js."""
    response = jsonify(_progress(_request_or_404(request_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _report_or_404(report_id: int, *, edit: bool = False) -> IssuedReport:
    report = db.session.get(IssuedReport, report_id)
    if report is None:
        abort(404)
    access.organisation_or_404(current_user, report.organisation_id, edit=edit)
    return report


@bp.route("/reports/<int:report_id>.pdf")
@login_required
def download(report_id: int) -> ResponseReturnValue:
    """An archived PDF exactly as it was issued."""
    return pdf_response(_report_or_404(report_id), attachment=True)


@bp.route("/reports/<int:report_id>/share", methods=["POST"])
@login_required
def share(report_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id, edit=True)
    form = ShareForm()
    audit = db.session.get(Audit, report.audit_id)
    if not form.validate_on_submit() or audit is None:
        flash(_("Choose how many days the link should work."), "error")
        return redirect(url_for("reports.index", audit_id=report.audit_id))
    link, token = sharing.create_link(report, int(form.days.data or 14), current_user)
    db.session.commit()
    return render_template(
        "reports/shared.html",
        report=report,
        link=link,
        audit=audit,
        url=url_for("share.show", token=token, _external=True),
        pdf_url=url_for("share.pdf", token=token, _external=True),
    )


@bp.route("/reports/share/<int:link_id>/revoke", methods=["POST"])
@login_required
def revoke(link_id: int) -> ResponseReturnValue:
    link = db.session.get(ShareLink, link_id)
    if link is None:
        abort(404)
    report = _report_or_404(link.report_id, edit=True)
    if not RevokeForm().validate_on_submit():
        abort(400)
    sharing.revoke(link, current_user)
    db.session.commit()
    flash(_("The share link has been revoked. It no longer opens the report."), "success")
    return redirect(url_for("reports.index", audit_id=report.audit_id))


@bp.app_template_global("report_links")
def report_links(audit: Audit) -> dict[str, Any]:
    """What the results page needs to offer reports (see results/_report_links.html)."""
    can_edit = access.can_edit(current_user, audit.organisation)
    latest = archive.latest_for_audit(audit.id)
    return {
        "can_issue": can_edit and audit.status == "submitted",
        "submitted": audit.status == "submitted",
        "issue_url": url_for("reports.issue", audit_id=audit.id),
        "archive_url": url_for("reports.index", audit_id=audit.id),
        "latest": latest,
        "latest_url": url_for("reports.download", report_id=latest.id) if latest else None,
        "has_previous": previous_audit(audit) is not None,
        "form": _issue_form(audit, formdata=False) if can_edit else None,
    }
