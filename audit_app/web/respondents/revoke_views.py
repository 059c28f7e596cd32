"""Revoking a respondent's personal link or a shared link: a confirmation page first
(GET), then the change (POST with CSRF). Routes on the respondents blueprint."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.services import access
from audit_app.services import respondents as service
from audit_app.web.confirm import confirm_page
from audit_app.web.respondents.views import _back, _if_confirmed, _respondent_or_404, bp


@bp.route("/audits/<int:audit_id>/respondents/<int:respondent_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(audit_id: int, respondent_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    respondent = _respondent_or_404(audit, respondent_id)
    if request.method == "GET":
        return confirm_page(
            title=_("Revoke the link"),
            question=_(
                "The personal link of %(name)s will stop working at once. "
                "Answers already given still count.",
                name=respondent.name or _("this respondent"),
            ),
            button=_("Revoke link"),
            cancel=url_for("respondents.index", audit_id=audit.id),
        )
    _if_confirmed(
        lambda: service.revoke(respondent, current_user),
        _("The link no longer works; answers already given still count."),
    )
    return _back(audit)


@bp.route("/audits/<int:audit_id>/respondents/links/<int:link_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_link(audit_id: int, link_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    link = service.link_of_audit(audit, link_id)
    if link is None:
        abort(404)
    back = url_for("respondents.index", audit_id=audit.id, _anchor="shared-links")
    if request.method == "GET":
        return confirm_page(
            title=_("Revoke the shared link"),
            question=_(
                "Nobody will be able to start through this shared link any more. "
                "Answers already given still count."
            ),
            button=_("Revoke link"),
            cancel=back,
        )
    _if_confirmed(
        lambda: service.revoke(link, current_user),
        _("The shared link no longer works; answers already given still count."),
    )
    return redirect(back)
