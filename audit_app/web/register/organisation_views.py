"""Organisations in the register: list with register filters, the register profile
(domain, tags, owner, stay-in-touch) and the organisation's full timeline."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from audit_app.extensions import db
from audit_app.services import access as org_access
from audit_app.services.register import changelog, profiles, search, tags, timeline
from audit_app.web.register.blueprint import bp, filters_from_request, me, save_edit
from audit_app.web.register.forms import ProfileForm
from audit_app.web.register.people_views import list_context, owner_choices
from audit_app.web.sorting import sorting_from


@bp.route("/organisations")
@login_required
def organisations_index() -> ResponseReturnValue:
    filters = filters_from_request()
    user = me()
    if profiles.sync():  # organisations added or renamed elsewhere get their profile
        db.session.commit()
    sorting = sorting_from(request.args, ("name",), "name")
    page = search.organisations_page(
        user,
        filters,
        after=request.args.get("after"),
        before=request.args.get("before"),
        descending=sorting.descending,
    )
    tag_map = tags.organisation_tags_of([org.id for org, _profile in page.items])
    return render_template(
        "register/organisations_index.html",
        page=page,
        sorting=sorting,
        filters=filters,
        tag_map=tag_map,
        **list_context(),
    )


@bp.route("/organisations/<int:organisation_id>/profile", methods=["GET", "POST"])
@login_required
def organisation_profile(organisation_id: int) -> ResponseReturnValue:
    user = me()
    organisation = org_access.organisation_or_404(user, organisation_id, edit=True)
    profile = profiles.profile_of(organisation)
    form = ProfileForm(
        data={
            "domain": profile.domain,
            "owner_id": profile.owner_id,
            "stay_in_touch_days": profile.stay_in_touch_days,
            "tags": ", ".join(tags.organisation_tag_names(organisation.id)),
        }
        if request.method == "GET"
        else None
    )
    form.owner_id.choices = owner_choices(profile.owner_id)
    if form.validate_on_submit() and save_edit(
        form,
        lambda: profiles.update(
            user,
            organisation,
            domain=form.domain.data,
            owner_id=form.owner_id.data,
            stay_in_touch_days=form.stay_in_touch_days.data,
            tag_names=[form.tags.data or ""],
        ),
    ):
        return redirect(url_for("organisations.show", organisation_id=organisation.id))
    db.session.commit()
    return render_template(
        "register/organisation_profile.html",
        form=form,
        organisation=organisation,
        history=changelog.history("organisation", organisation.id),
    )


@bp.route("/organisations/<int:organisation_id>/timeline")
@login_required
def organisation_timeline(organisation_id: int) -> ResponseReturnValue:
    user = me()
    organisation = org_access.organisation_or_404(user, organisation_id)
    before = timeline.parse_before(request.args.get("before"))
    profile = profiles.profile_of(organisation)
    db.session.commit()
    return render_template(
        "register/organisation_timeline.html",
        organisation=organisation,
        profile=profile,
        timeline=timeline.for_organisation(organisation, before=before),
        history=changelog.history("organisation", organisation.id),
        older=before is not None,
        tag_names=tags.organisation_tag_names(organisation.id),
    )
