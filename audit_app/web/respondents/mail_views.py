"""Respondents by e-mail (when MAIL_SERVER is set): the invitation sent with the new
personal link, a reminder on request, the audit's automatic reminder, and each
respondent's latest message with its state (a permanent failure shows its reason)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, Respondent
from audit_app.services import access
from audit_app.services import respondents as service
from audit_app.services.mail import outbox, respondent_mail, settings
from audit_app.web.respondents.forms import ConfirmForm, InviteForm, ReminderDaysForm

bp = Blueprint("respondent_mail", __name__)


def mail_context(audit: Audit, respondents: list[Respondent]) -> dict[str, Any]:
    """What the respondents page shows about mail."""
    form = ReminderDaysForm(prefix="mail")
    if not form.is_submitted():
        days = respondent_mail.reminder_days(audit)
        form.reminder_days.data = str(days) if days else ""
    return {
        "mail_on": settings.enabled(),
        "mail_of": outbox.latest_for_respondents(r.id for r in respondents),
        "reminder_form": form,
    }


def error_message(error: UserError) -> str:
    return {
        "mail_off": _("E-mail is off in this installation."),
        "no_email": _("There is no e-mail address for this respondent."),
        "link_gone": _("This link no longer works."),
        "opted_out": _(
            "This address does not want e-mail from us (unsubscribed, or marked so in the "
            "contact register): pass the link on another way."
        ),
        "finished": _("This respondent has already finished."),
        "bad_reminder_days": _("Choose one of the offered numbers of days."),
    }.get(error.message, _("The message could not be queued."))


def invite_by_mail(audit: Audit, respondent: Respondent, form: InviteForm) -> str:
    """Queue the invitation when asked for; the flash message for the new link. The
    respondent is kept even when the address may not be e-mailed."""
    if not (settings.enabled() and form.send_mail.data and respondent.email):
        return _("The respondent has been invited; copy their link below.")
    try:
        respondent_mail.send_invitation(audit, respondent, form.language.data or "pl")
    except UserError as error:
        return error_message(error) + " " + _("Copy their link below.")
    return _("The invitation is on its way to %(email)s.", email=respondent.email)


@bp.post("/audits/<int:audit_id>/respondents/<int:respondent_id>/send-reminder")
@login_required
def send_reminder(audit_id: int, respondent_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    respondent = service.respondent_of_audit(audit, respondent_id)
    if respondent is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            respondent_mail.send_reminder(audit, respondent, current_user)
        except UserError as error:
            db.session.rollback()
            flash(error_message(error), "error")
        else:
            db.session.commit()
            outbox.wake_sender()
            flash(_("The reminder is on its way to %(email)s.", email=respondent.email), "success")
    return redirect(url_for("respondents.index", audit_id=audit.id, _anchor="people"))


@bp.post("/audits/<int:audit_id>/respondents/reminder-days")
@login_required
def reminder_days(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    form = ReminderDaysForm(prefix="mail")
    if not form.validate_on_submit():
        flash(error_message(UserError("bad_reminder_days")), "error")
    else:
        value = form.reminder_days.data or ""
        try:
            respondent_mail.set_reminder_days(
                audit, int(value) if value.isdigit() else None, current_user
            )
        except UserError as error:
            db.session.rollback()
            flash(error_message(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("respondents.index", audit_id=audit.id, _anchor="mail"))
