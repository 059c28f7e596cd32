"""Deleting organisations and audits (after a confirmation page) and the administrators'
"Deleted items" page, where anything deleted in the last 30 days can be restored."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.services import access, deletion
from audit_app.web.confirm import confirm_page
from audit_app.web.sorting import sorting_from

bp = Blueprint("deletion", __name__)


def _recovery_note() -> str:
    return ngettext(
        "An administrator can restore it from Deleted items within %(num)d day; "
        "after that it is removed for good.",
        "An administrator can restore it from Deleted items within %(num)d days; "
        "after that it is removed for good.",
        deletion.RECOVERY_DAYS,
    )


def _require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
@login_required
def delete_organisation(organisation_id: int) -> ResponseReturnValue:
    organisation = access.organisation_or_404(current_user, organisation_id)
    if not deletion.may_delete_organisation(current_user):
        abort(403)
    if request.method == "GET":
        return confirm_page(
            title=_("Delete the organisation"),
            question=_(
                "%(name)s and all its audits will disappear from every list, search and report.",
                name=organisation.name,
            ),
            details=_recovery_note(),
            button=_("Delete organisation"),
            cancel=url_for("organisations.show", organisation_id=organisation.id),
        )
    deletion.delete_organisation(current_user, organisation)
    db.session.commit()
    flash(_("The organisation %(name)s was deleted.", name=organisation.name), "success")
    return redirect(url_for("organisations.index"))


@bp.route("/audits/<int:audit_id>/delete", methods=["GET", "POST"])
@login_required
def delete_audit(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    if not deletion.may_delete_audit(current_user, audit):
        abort(403)
    back = url_for("organisations.show", organisation_id=audit.organisation_id)
    if request.method == "GET":
        return confirm_page(
            title=_("Delete the audit"),
            question=_(
                "The audit of %(name)s started on %(date)s, with its answers, respondents' "
                "answers and actions, will disappear from every list and report.",
                name=audit.organisation.name,
                date=format_datetime(audit.started_at, "short"),
            ),
            details=_recovery_note(),
            button=_("Delete audit"),
            cancel=back,
        )
    deletion.delete_audit(current_user, audit)
    db.session.commit()
    flash(_("The audit was deleted."), "success")
    return redirect(back)


@bp.get("/admin/deleted")
@login_required
def deleted_items() -> ResponseReturnValue:
    _require_admin()
    sorting = sorting_from(
        request.args, list(deletion.DELETED_SORT_KEYS), "deleted", descending=True
    )
    return render_template(
        "deletion/deleted.html",
        items=deletion.deleted_items(sorting.column, sorting.descending),
        sorting=sorting,
        days=deletion.RECOVERY_DAYS,
    )


@bp.route("/admin/deleted/<kind>/<int:item_id>/restore", methods=["GET", "POST"])
@login_required
def restore(kind: str, item_id: int) -> ResponseReturnValue:
    _require_admin()
    if kind not in ("organisations", "audits"):
        abort(404)
    try:
        if kind == "organisations":
            organisation = deletion.deleted_organisation(item_id)
            name = organisation.name
            question = _(
                "%(name)s comes back with its audits, as it was before deletion.", name=name
            )
        else:
            audit = deletion.deleted_audit(item_id)
            name = audit.organisation.name
            question = _("The audit of %(name)s comes back, as it was before deletion.", name=name)
    except UserError:
        abort(404)
    back = url_for("deletion.deleted_items")
    if request.method == "GET":
        return confirm_page(title=_("Restore"), question=question, button=_("Restore"), cancel=back)
    if kind == "organisations":
        deletion.restore_organisation(current_user, organisation)
    else:
        deletion.restore_audit(current_user, audit)
    db.session.commit()
    flash(_("%(name)s was restored.", name=name), "success")
    return redirect(back)
