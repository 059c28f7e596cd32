"""Changes made from a person's page: memberships (join, leave) and consents; and
the organisation name suggestions used by the forms."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Membership, OrganisationProfile
from audit_app.services.register import consents, memberships, search
from audit_app.services.register.access import person_or_404
from audit_app.web.register.blueprint import bp, me
from audit_app.web.register.forms import ConsentForm, EndMembershipForm, MembershipForm
from audit_app.web.register.labels import error_message


@bp.route("/people/<int:person_id>/memberships", methods=["POST"])
@login_required
def membership_add(person_id: int) -> ResponseReturnValue:
    user = me()
    person = person_or_404(user, person_id, edit=True)
    form = MembershipForm()
    if form.validate_on_submit():
        try:
            organisation = memberships.find_organisation(user, form.organisation.data or "")
            memberships.add_membership(
                user,
                person,
                organisation,
                role=form.role.data or "",
                started_on=form.started_on.data,
            )
        except UserError as error:
            db.session.rollback()
            flash(error_text(error), "error")
        else:
            db.session.commit()
            flash(_("The membership was saved."), "success")
    else:
        flash(_("Enter the organisation's name."), "error")
    return redirect(url_for("register.person_show", person_id=person.id) + "#memberships")


def error_text(error: UserError) -> str:
    return error_message(error.message)


@bp.route("/memberships/<int:membership_id>/end", methods=["POST"])
@login_required
def membership_end(membership_id: int) -> ResponseReturnValue:
    user = me()
    membership = db.session.get(Membership, membership_id) or abort(404)
    person = person_or_404(user, membership.person_id, edit=True)
    form = EndMembershipForm()
    if form.validate_on_submit() and form.ended_on.data is not None:
        try:
            memberships.end_membership(user, membership, form.ended_on.data)
        except UserError as error:
            db.session.rollback()
            flash(error_text(error), "error")
        else:
            db.session.commit()
            flash(_("The membership was ended."), "success")
    else:
        flash(_("Enter the date the person left."), "error")
    return redirect(url_for("register.person_show", person_id=person.id) + "#memberships")


@bp.route("/people/<int:person_id>/consents", methods=["POST"])
@login_required
def consent_add(person_id: int) -> ResponseReturnValue:
    user = me()
    person = person_or_404(user, person_id, edit=True)
    form = ConsentForm()
    if form.validate_on_submit():
        try:
            consents.record(
                user,
                person,
                consents.ConsentInput(
                    purpose=form.purpose.data or "",
                    lawful_basis=form.lawful_basis.data or "",
                    source=form.source.data or "",
                    status=form.status.data or "",
                    channel=form.channel.data or "",
                    review_on=form.review_on.data,
                    note=form.note.data or "",
                ),
            )
        except UserError as error:
            db.session.rollback()
            flash(error_text(error), "error")
        else:
            db.session.commit()
            flash(_("The consent decision was recorded."), "success")
    else:
        flash(_("The consent could not be recorded: check the fields."), "error")
    return redirect(url_for("register.person_show", person_id=person.id) + "#consents")


@bp.route("/api/organisations")
@login_required
def organisation_suggestions() -> ResponseReturnValue:
    """Names of visible organisations matching ?q= (for the autocomplete list)."""
    q = request.args.get("q", "")[:100]
    if len(q.strip()) < 2:
        return jsonify([])
    query = search.organisations(me(), search.Filters(q=q)).limit(10)
    rows = db.session.execute(query.order_by(OrganisationProfile.name_key)).all()
    return jsonify([{"id": org.id, "name": org.name} for org, _profile in rows])
