"""People: list (search, filters, keyset pages), add (duplicate warning), show
(details, timeline, consents, change log), edit, memberships and consents."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from audit_app.domain.numbers import parse_id
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Organisation
from audit_app.models.organisations import ORGANISATION_TYPES
from audit_app.models.register import SEGMENTS
from audit_app.services import access as org_access
from audit_app.services.register import (
    changelog,
    consents,
    followups,
    memberships,
    people,
    search,
    tags,
    timeline,
)
from audit_app.services.register.access import is_editor, person_or_404, require_editor
from audit_app.services.register.search import LAST_CONTACT
from audit_app.web.register.blueprint import (
    bp,
    filter_args,
    filters_from_request,
    me,
    save_edit,
    show_error,
)
from audit_app.web.register.forms import (
    EMAIL_ROWS,
    PHONE_ROWS,
    ConsentForm,
    EndMembershipForm,
    MembershipForm,
    NewPersonForm,
    PersonForm,
)
from audit_app.web.sorting import sorting_from


def owner_choices(keep: int | None = None) -> list[SelectChoice]:
    """Owners the current user may know of (and `keep`, the record's current one); the
    forms refuse any other id, so no name of another user can be fetched through them."""
    users = search.owners(me(), keep)
    return [SelectChoice("", _("Nobody")), *(SelectChoice(str(u.id), u.name) for u in users)]


def list_context() -> dict[str, Any]:
    return {
        "owners": search.owners(me()),
        "all_tags": tags.all_tags(),
        "segments": SEGMENTS,
        "last_contact_options": LAST_CONTACT,
        "org_types": ORGANISATION_TYPES,
        "args": filter_args(),
        "can_edit": is_editor(me()),
    }


@bp.route("/people")
@login_required
def people_index() -> ResponseReturnValue:
    filters = filters_from_request()
    sorting = sorting_from(request.args, ("name",), "name")
    page = search.people_page(
        me(),
        filters,
        after=request.args.get("after"),
        before=request.args.get("before"),
        descending=sorting.descending,
    )
    return render_template(
        "register/people_index.html",
        page=page,
        filters=filters,
        sorting=sorting,
        **list_context(),
    )


def _values(items: list[Any], rows: int) -> list[dict[str, Any]]:
    data = [
        {
            "value": getattr(i, "email", None) or getattr(i, "phone", ""),
            "primary": i.is_primary,
            "opt_out": i.opt_out,
        }
        for i in items
    ]
    return data + [{"value": "", "primary": False, "opt_out": False}] * max(1, rows - len(data))


def person_input(form: PersonForm) -> people.PersonInput:
    def values(entries: Any) -> list[people.ContactValue]:
        return [
            people.ContactValue(
                e.form.value.data or "", bool(e.form.primary.data), bool(e.form.opt_out.data)
            )
            for e in entries
        ]

    return people.PersonInput(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        job_title=form.job_title.data or "",
        preferred_channel=form.preferred_channel.data or "",
        language=form.language.data or "",
        notes=form.notes.data or "",
        emails=values(form.emails.entries),
        phones=values(form.phones.entries),
        tags=[form.tags.data or ""],
        owner_id=form.owner_id.data,
        stay_in_touch_days=form.stay_in_touch_days.data,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def person_new() -> ResponseReturnValue:
    user = me()
    require_editor(user)
    organisation_id = parse_id(request.args.get("organisation"))
    data: dict[str, Any] = {
        "owner_id": user.id,
        "emails": _values([], EMAIL_ROWS),
        "phones": _values([], PHONE_ROWS),
    }
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is not None and org_access.can_view(user, organisation):
            data["organisation"] = organisation.name
    form = NewPersonForm(data=data if request.method == "GET" else None)
    form.owner_id.choices = owner_choices()
    duplicates: list[Any] = []
    if form.validate_on_submit():
        data_in = person_input(form)
        found = people.duplicates_for(data_in)
        visible = people.visible_ids(user, found)
        # Only what the user may see: people elsewhere are not even counted.
        duplicates = [p for p in found if p.id in visible]
        if not duplicates or form.create_anyway.data:
            try:
                organisation = (
                    memberships.find_organisation(user, form.organisation.data)
                    if form.organisation.data
                    else None
                )
                person = people.create(
                    user, data_in, organisation=organisation, role=form.role.data or ""
                )
            except UserError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("%(name)s was added.", name=person.display_name), "success")
                return redirect(url_for("register.person_show", person_id=person.id))
    return render_template(
        "register/person_form.html",
        form=form,
        person=None,
        duplicates=duplicates,
    )


@bp.route("/people/<int:person_id>")
@login_required
def person_show(person_id: int) -> ResponseReturnValue:
    user = me()
    person = person_or_404(user, person_id)
    before = timeline.parse_before(request.args.get("before"))
    return render_template(
        "register/person_show.html",
        person=person,
        timeline=timeline.for_person(user, person, before=before),
        followups=followups.open_for(person_id=person.id),
        current_consents=consents.current(person),
        consent_history=consents.history(person),
        history=changelog.history("person", person.id),
        can_edit=is_editor(user),
        membership_form=MembershipForm(),
        end_form=EndMembershipForm(),
        consent_form=ConsentForm(),
        older=before is not None,
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int) -> ResponseReturnValue:
    user = me()
    person = person_or_404(user, person_id, edit=True)
    data = {
        **people.snapshot(person),
        "tags": ", ".join(tags.names(person.tags)),
        "emails": _values(person.emails, EMAIL_ROWS),
        "phones": _values(person.phones, PHONE_ROWS),
    }
    form = PersonForm(data=data if request.method == "GET" else None)
    form.owner_id.choices = owner_choices(person.owner_id)
    if form.validate_on_submit() and save_edit(
        form, lambda: people.update(user, person, person_input(form))
    ):
        return redirect(url_for("register.person_show", person_id=person.id))
    return render_template("register/person_form.html", form=form, person=person, duplicates=[])
