"""Interactions: list, log (with the contact-pressure warning and an optional
follow-up in the same form), show and edit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from audit_app.domain.numbers import parse_id
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Followup, Interaction, Membership, Organisation, Person, PersonEmail
from audit_app.models.register import CHANNELS, DIRECTIONS
from audit_app.services import access as org_access
from audit_app.services.register import changelog, followups, interactions, search
from audit_app.services.register.access import (
    can_view_person,
    interaction_or_404,
    is_editor,
    person_visible,
    require_editor,
)
from audit_app.services.register.list_sorting import INTERACTION_SORTS
from audit_app.services.register.text import email_key
from audit_app.web.register.blueprint import (
    bp,
    filter_args,
    filters_from_request,
    int_arg,
    local_to_utc,
    me,
    save_edit,
    show_error,
    utc_to_local,
)
from audit_app.web.register.forms_activity import InteractionForm
from audit_app.web.sorting import sorting_from


@bp.route("/interactions")
@login_required
def interactions_index() -> ResponseReturnValue:
    filters = filters_from_request()
    sorting = sorting_from(request.args, list(INTERACTION_SORTS), "date", descending=True)
    page = search.interactions_page(
        me(),
        filters,
        after=request.args.get("after"),
        before=request.args.get("before"),
        sort=sorting.column,
        descending=sorting.descending,
    )
    return render_template(
        "register/interactions_index.html",
        page=page,
        filters=filters,
        sorting=sorting,
        channels=CHANNELS,
        directions=DIRECTIONS,
        args=filter_args(),
        can_edit=is_editor(me()),
    )


def _candidates(person_ids: list[int], organisation_id: int | None) -> list[Person]:
    user = me()
    conditions = [Person.id.in_(person_ids)] if person_ids else []
    if organisation_id is not None:
        conditions.append(
            Person.id.in_(
                select(Membership.person_id).where(
                    Membership.organisation_id == organisation_id, Membership.ended_on.is_(None)
                )
            )
        )
    if not conditions:
        return []
    from sqlalchemy import or_

    return list(
        db.session.scalars(
            select(Person)
            .where(or_(*conditions), person_visible(user), Person.erased_at.is_(None))
            .order_by(Person.sort_key)
            .limit(200)
        )
    )


def _organisation_choices(people: list[Person], preset: int | None) -> list[tuple[str, str]]:
    user = me()
    ids = {m.organisation_id for p in people for m in p.memberships if m.ended_on is None}
    if preset is not None:
        ids.add(preset)
    organisations = [
        o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
        )
        if org_access.can_view(user, o)
    ]
    return [("", _("None")), *((str(o.id), o.name) for o in organisations)]


def _setup(form: InteractionForm, person_ids: list[int], organisation_id: int | None) -> None:
    posted = [i for i in map(parse_id, request.form.getlist("participants")) if i is not None]
    people = _candidates(sorted({*person_ids, *posted}), organisation_id)
    form.participants.choices = [(p.id, p.display_name) for p in people]
    form.organisation_id.choices = _organisation_choices(people, organisation_id)


def _participants(form: InteractionForm) -> list[int] | None:
    ids = list(form.participants.data or [])
    for raw in (form.other_participants.data or "").replace(";", ",").split(","):
        if not raw.strip():
            continue
        found = db.session.scalar(
            select(PersonEmail.person_id)
            .join(Person, Person.id == PersonEmail.person_id)
            .where(PersonEmail.email_key == email_key(raw), person_visible(me()))
        )
        if found is None:
            form.other_participants.errors = [
                *form.other_participants.errors,
                _("Nobody in the register has the e-mail %(email)s.", email=raw.strip()),
            ]
            return None
        ids.append(found)
    return ids


def _input(form: InteractionForm, ids: list[int]) -> interactions.InteractionInput:
    occurred = form.occurred_at.data
    assert isinstance(occurred, datetime)
    return interactions.InteractionInput(
        occurred_at=local_to_utc(occurred),
        channel=form.channel.data or "",
        direction=form.direction.data or "out",
        duration_minutes=form.duration_minutes.data,
        subject=form.subject.data or "",
        summary=form.summary.data or "",
        outcome=form.outcome.data or "",
        organisation_id=form.organisation_id.data,
        participant_ids=ids,
    )


@bp.route("/interactions/new", methods=["GET", "POST"])
@login_required
def interaction_new() -> ResponseReturnValue:
    user = me()
    require_editor(user)
    person_id, organisation_id = int_arg("person"), int_arg("organisation")
    # Pre-filling from a person or organisation must not reveal records the user cannot see.
    if person_id and not can_view_person(user, person_id):
        abort(404)
    if organisation_id:
        org_access.organisation_or_404(user, organisation_id)
    defaults: dict[str, Any] = {}
    if request.method == "GET":
        defaults = {
            "occurred_at": utc_to_local(datetime.now().astimezone()).replace(
                second=0, microsecond=0
            ),
            "direction": "out",
            "participants": [person_id] if person_id else [],
        }
        if person_id:
            person = db.session.get(Person, person_id)
            defaults["organisation_id"] = (
                interactions.default_organisation(person) if person else None
            )
            defaults["channel"] = person.preferred_channel if person else None
        if organisation_id:
            defaults["organisation_id"] = organisation_id
    form = InteractionForm(data=defaults or None)
    _setup(form, [person_id] if person_id else [], organisation_id)
    warnings: list[interactions.PressureWarning] = []
    if form.validate_on_submit():
        ids = _participants(form)
        if form.followup_title.data and form.followup_due.data is None:
            form.followup_due.errors = [_("Enter when the follow-up is due.")]
            ids = None
        if ids is not None:
            try:
                data = interactions.validate(user, _input(form, ids))
                warnings = [] if form.confirm_pressure.data else interactions.pressure(data)
                if not warnings:
                    interaction = interactions.log(user, data)
                    if form.followup_title.data and form.followup_due.data:
                        followups.create(
                            user,
                            followups.FollowupInput(
                                title=form.followup_title.data,
                                due_on=form.followup_due.data,
                                assignee_id=user.id,
                                organisation_id=data.organisation_id,
                                person_id=person_id
                                if person_id in ids
                                else (ids[0] if len(ids) == 1 else None),
                                interaction_id=interaction.id,
                            ),
                        )
                    db.session.commit()
                    flash(_("The interaction was logged."), "success")
                    if person_id:
                        return redirect(url_for("register.person_show", person_id=person_id))
                    return redirect(
                        url_for("register.interaction_show", interaction_id=interaction.id)
                    )
            except UserError as error:
                db.session.rollback()
                show_error(form, error)
    return render_template(
        "register/interaction_form.html",
        form=form,
        interaction=None,
        warnings=warnings,
        person_id=person_id,
        organisation_id=organisation_id,
    )


@bp.route("/interactions/<int:interaction_id>")
@login_required
def interaction_show(interaction_id: int) -> ResponseReturnValue:
    user = me()
    interaction = interaction_or_404(user, interaction_id)
    linked = list(
        db.session.scalars(
            select(Followup)
            .where(Followup.interaction_id == interaction.id)
            .order_by(Followup.due_on)
        )
    )
    return render_template(
        "register/interaction_show.html",
        interaction=interaction,
        followups=linked,
        can_edit=is_editor(user),
        history=changelog.history("interaction", interaction.id),
    )


@bp.route("/interactions/<int:interaction_id>/edit", methods=["GET", "POST"])
@login_required
def interaction_edit(interaction_id: int) -> ResponseReturnValue:
    user = me()
    interaction: Interaction = interaction_or_404(user, interaction_id, edit=True)
    ids = [p.id for p in interaction.participants]
    form = InteractionForm(
        data={
            "occurred_at": utc_to_local(interaction.occurred_at).replace(second=0, microsecond=0),
            "channel": interaction.channel,
            "direction": interaction.direction,
            "duration_minutes": interaction.duration_minutes,
            "subject": interaction.subject,
            "summary": interaction.summary,
            "outcome": interaction.outcome,
            "organisation_id": interaction.organisation_id,
            "participants": ids,
        }
        if request.method == "GET"
        else None
    )
    _setup(form, ids, interaction.organisation_id)
    if form.validate_on_submit():
        new_ids = _participants(form)
        if new_ids is not None and save_edit(
            form, lambda: interactions.update(user, interaction, _input(form, new_ids))
        ):
            return redirect(url_for("register.interaction_show", interaction_id=interaction.id))
    return render_template(
        "register/interaction_form.html",
        form=form,
        interaction=interaction,
        warnings=[],
        person_id=None,
        organisation_id=interaction.organisation_id,
    )
