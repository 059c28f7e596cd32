"""Organisations: list with search, create (warning about duplicates), show, edit."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.domain.numbers import parse_int
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models.organisations import ORGANISATION_TYPES
from audit_app.services import access, deletion
from audit_app.services import organisations as service
from audit_app.web.form_errors import show_error
from audit_app.web.organisations.forms import (
    SIZE_LABELS,
    TYPE_LABELS,
    NewOrganisationForm,
    OrganisationForm,
)
from audit_app.web.sorting import sorting_from

MAX_PAGE = 100_000  # far beyond any list; a larger page number is a crafted URL
bp = Blueprint("organisations", __name__)


@bp.app_template_global()
def organisation_type_label(code: str | None) -> str:
    """The translated label of an organisation type code ("library" -> "Library")."""
    label = TYPE_LABELS.get(code or "")
    return str(label) if label is not None else (code or "")


@bp.app_template_global()
def organisation_size_label(code: str | None) -> str:
    label = SIZE_LABELS.get(code or "")
    return str(label) if label is not None else (code or "")


def _status_label(status: str) -> str:
    return {"in_progress": _("In progress"), "submitted": _("Submitted")}.get(status, status)


def _can_create() -> bool:
    return current_user.role in ("admin", "consultant")


def _error_message(error: UserError) -> str:
    messages = {
        "name_required": _("Enter the organisation's name."),
        "unknown_type": _("Choose one of the listed types."),
        "unknown_size": _("Choose one of the listed sizes."),
    }
    return messages.get(error.message, _("The data could not be saved."))


@bp.route("/organisations")
@login_required
def index() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()
    kind = request.args.get("type", "")
    if kind not in ORGANISATION_TYPES:
        kind = ""
    page = parse_int(request.args.get("page"), low=1, high=MAX_PAGE) or 1
    sorting = sorting_from(request.args, list(service.SORT_COLUMNS), "name")
    result = service.search(
        current_user,
        q=q,
        organisation_type=kind,
        page=page,
        sort=sorting.column,
        descending=sorting.descending,
    )
    return render_template(
        "organisations/index.html",
        result=result,
        sorting=sorting,
        q=q,
        kind=kind,
        types=list(TYPE_LABELS.items()),
        can_create=_can_create(),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def create() -> ResponseReturnValue:
    if not _can_create():
        abort(403)
    form = NewOrganisationForm()
    duplicates = []
    if form.validate_on_submit():
        # Only what the user may see: organisations elsewhere are not even counted.
        duplicates = [
            o for o in service.same_name(form.name.data or "") if access.can_view(current_user, o)
        ]
        if not duplicates or form.create_anyway.data:
            try:
                organisation = service.create(
                    current_user,
                    name=form.name.data or "",
                    type=form.type.data or "other",
                    size=form.size.data,
                    sector=form.sector.data,
                    city=form.city.data,
                    benchmark_consent=bool(form.benchmark_consent.data),
                )
            except UserError as error:
                db.session.rollback()
                show_error(form, error, _error_message(error))
            else:
                db.session.commit()
                flash(_("The organisation %(name)s was added.", name=organisation.name), "success")
                return redirect(url_for("organisations.show", organisation_id=organisation.id))
    return render_template(
        "organisations/form.html", form=form, organisation=None, duplicates=duplicates
    )


@bp.route("/organisations/<int:organisation_id>")
@login_required
def show(organisation_id: int) -> ResponseReturnValue:
    organisation = access.organisation_or_404(current_user, organisation_id)
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        audits=service.audits_of(organisation),
        can_edit=access.can_edit(current_user, organisation),
        can_delete=deletion.may_delete_organisation(current_user),
        may_delete_audit=partial(deletion.may_delete_audit, current_user),
        status_label=_status_label,
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int) -> ResponseReturnValue:
    organisation = access.organisation_or_404(current_user, organisation_id, edit=True)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.size.data = organisation.size or ""
    if form.validate_on_submit():
        try:
            changes = service.update(
                current_user,
                organisation,
                name=form.name.data,
                type=form.type.data,
                size=form.size.data,
                sector=form.sector.data,
                city=form.city.data,
                benchmark_consent=bool(form.benchmark_consent.data),
            )
        except UserError as error:
            db.session.rollback()
            show_error(form, error, _error_message(error))
        else:
            db.session.commit()
            if changes:
                flash(_("The changes were saved."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
    return render_template(
        "organisations/form.html",
        form=form,
        organisation=organisation,
        duplicates=[],
    )
