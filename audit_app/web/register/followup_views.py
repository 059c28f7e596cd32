"""Follow-ups: list (mine or all I can see; overdue ones stand out), add, edit,
mark done / cancelled / open again."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Followup
from audit_app.models.register import FOLLOWUP_STATUSES
from audit_app.services.register import changelog, followups, keyset
from audit_app.services.register.access import (
    followup_or_404,
    followup_visible,
    is_editor,
    require_editor,
)
from audit_app.services.register.list_sorting import FOLLOWUP_SORTS
from audit_app.web.redirects import safe_next
from audit_app.web.register.blueprint import bp, int_arg, me, save_edit, show_error
from audit_app.web.register.forms_activity import FollowupForm
from audit_app.web.register.people_views import owner_choices
from audit_app.web.sorting import sorting_from


@bp.route("/followups")
@login_required
def followups_index() -> ResponseReturnValue:
    user = me()
    status = request.args.get("status", "open")
    status = status if status in FOLLOWUP_STATUSES else "open"
    scope = "all" if request.args.get("scope") == "all" else "mine"
    query = (
        select(Followup)
        .where(Followup.status == status, followup_visible(user))
        .options(
            selectinload(Followup.person),
            selectinload(Followup.organisation),
            selectinload(Followup.assignee),
        )
    )
    if scope == "mine":
        query = query.where(Followup.assignee_id == user.id)
    sorting = sorting_from(request.args, list(FOLLOWUP_SORTS), "due")
    key = FOLLOWUP_SORTS[sorting.column]
    page = keyset.paginate(
        query,
        [key.column, Followup.id],
        lambda f: [key.value_of(f), f.id],
        [key.parse, int],
        after=request.args.get("after"),
        before=request.args.get("before"),
        descending=sorting.descending,
    )
    return render_template(
        "register/followups_index.html",
        page=page,
        sorting=sorting,
        status=status,
        scope=scope,
        statuses=FOLLOWUP_STATUSES,
        today=date.today(),
        can_edit=is_editor(user),
    )


def _input(form: FollowupForm, links: dict[str, int | None]) -> followups.FollowupInput:
    assert form.due_on.data is not None
    return followups.FollowupInput(
        title=form.title.data or "",
        due_on=form.due_on.data,
        priority=form.priority.data or "normal",
        assignee_id=form.assignee_id.data,
        notes=form.notes.data or "",
        **links,
    )


@bp.route("/followups/new", methods=["GET", "POST"])
@login_required
def followup_new() -> ResponseReturnValue:
    user = me()
    require_editor(user)
    links = {
        "person_id": int_arg("person"),
        "organisation_id": int_arg("organisation"),
        "interaction_id": int_arg("interaction"),
    }
    form = FollowupForm(
        data={"assignee_id": user.id, "priority": "normal"} if request.method == "GET" else None
    )
    form.assignee_id.choices = owner_choices()
    if form.validate_on_submit():
        try:
            followup = followups.create(user, _input(form, links))
        except UserError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The follow-up was added."), "success")
            if followup.person_id:
                return redirect(url_for("register.person_show", person_id=followup.person_id))
            if followup.organisation_id:
                return redirect(
                    url_for("organisations.show", organisation_id=followup.organisation_id)
                )
            return redirect(url_for("register.followups_index"))
    return render_template(
        "register/followup_form.html", form=form, followup=None, links=links, history=[]
    )


@bp.route("/followups/<int:followup_id>/edit", methods=["GET", "POST"])
@login_required
def followup_edit(followup_id: int) -> ResponseReturnValue:
    user = me()
    followup = followup_or_404(user, followup_id)
    editable = is_editor(user)
    if request.method == "POST" and not editable:
        abort(403)
    form = FollowupForm(obj=followup if request.method == "GET" else None)
    form.assignee_id.choices = owner_choices(followup.assignee_id)
    links = {
        "person_id": followup.person_id,
        "organisation_id": followup.organisation_id,
        "interaction_id": followup.interaction_id,
    }
    if form.validate_on_submit() and save_edit(
        form, lambda: followups.update(user, followup, _input(form, links))
    ):
        return redirect(url_for("register.followups_index"))
    return render_template(
        "register/followup_form.html",
        form=form,
        followup=followup,
        links=links,
        history=changelog.history("followup", followup.id),
        can_edit=editable,
    )


@bp.route("/followups/<int:followup_id>/status", methods=["POST"])
@login_required
def followup_status(followup_id: int) -> ResponseReturnValue:
    user = me()
    followup = followup_or_404(user, followup_id, edit=True)

    try:
        followups.set_status(user, followup, request.form.get("status", ""))
    except UserError:
        db.session.rollback()
        abort(400)
    db.session.commit()
    flash(_("The follow-up was updated."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("register.followups_index")))
