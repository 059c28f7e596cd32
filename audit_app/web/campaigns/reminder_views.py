"""Reminder e-mails from a campaign's organiser to the members that have not submitted:
a confirmation page listing who gets one and who cannot be reached, whose POST (CSRF)
queues them (services/mail/campaign_mail.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.services import campaigns as service
from audit_app.services.mail import campaign_mail, outbox, settings
from audit_app.web.campaigns.views import bp


@bp.route("/campaigns/<int:campaign_id>/reminders", methods=["GET", "POST"])
@login_required
def reminders(campaign_id: int) -> ResponseReturnValue:
    campaign = service.campaign_or_404(current_user, campaign_id)
    if request.method == "POST":
        try:
            sent = campaign_mail.send_reminders(current_user, campaign)
        except UserError as error:
            db.session.rollback()
            messages = {
                "mail_off": _("E-mail is off in this installation."),
                "nobody_to_remind": _("No member can be reminded by e-mail."),
            }
            flash(messages.get(error.message, _("The reminders could not be sent.")), "error")
            return redirect(url_for(".reminders", campaign_id=campaign.id))
        db.session.commit()
        outbox.wake_sender()
        flash(
            ngettext(
                "A reminder to %(num)s member is on its way.",
                "Reminders to %(num)s members are on their way.",
                len(sent),
            ),
            "success",
        )
        return redirect(url_for(".show", campaign_id=campaign.id))
    found = campaign_mail.recipients(campaign)
    return render_template(
        "campaigns/reminders.html",
        campaign=campaign,
        reachable=[r for r in found if r.email],
        unreachable=[r for r in found if not r.email],
        mail_on=settings.enabled(),
    )
