"""CSV export, duplicates and merge, and GDPR (data export and erasure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.services import access as org_access
from audit_app.services.register import duplicates, exporter, gdpr, merge, people, profiles
from audit_app.services.register.access import person_or_404, require_editor
from audit_app.web.register.blueprint import bp, filters_from_request, int_arg, me, show_error
from audit_app.web.register.forms import EraseForm
from audit_app.web.register.labels import error_message


@bp.route("/export/<kind>.csv")
@login_required
def export_csv(kind: str) -> ResponseReturnValue:
    if kind not in exporter.KINDS:
        abort(404)
    user = me()
    delimiter = ";" if request.args.get("sep") == "semicolon" else ","
    chunks = exporter.export(user, kind, filters_from_request(), delimiter)
    filename = f"{kind}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/duplicates")
@login_required
def duplicates_index() -> ResponseReturnValue:
    user = me()
    kind = "organisations" if request.args.get("kind") == "organisations" else "people"
    if profiles.sync():  # organisations added or renamed elsewhere get their profile
        db.session.commit()
    groups = (
        duplicates.organisation_groups(user)
        if kind == "organisations"
        else duplicates.people_groups(user)
    )
    return render_template("register/duplicates.html", kind=kind, groups=groups)


def _choices(fields: tuple[str, ...], kept: str) -> dict[str, str]:
    """Each field's pick ("a", "b" or "both" for notes) relative to the kept record."""
    choices = {}
    for name in (*fields, "emails"):
        value = request.form.get(f"pick-{name}", kept)
        choices[name] = "keep" if value == kept else "both" if value == "both" else "drop"
    return choices


Record = TypeVar("Record")


def _two_ids() -> tuple[int, int]:
    """The two different records to merge, from ?a= and ?b= (404 otherwise)."""
    a, b = int_arg("a"), int_arg("b")
    if a is None or b is None or a == b:
        abort(404)
    return a, b


def _picked(fields: tuple[str, ...], a: Record, b: Record) -> tuple[Record, Record, dict[str, str]]:
    """The posted merge form: (the record to keep, the one to drop, each field's pick)."""
    kept = "b" if request.form.get("keep") == "b" else "a"
    choices = _choices(fields, kept)
    return (b, a, choices) if kept == "b" else (a, b, choices)


def _merged(merge_records: Callable[[], Record]) -> Record | None:
    """Run the merge and commit it; on a UserError roll back and flash why (None)."""
    try:
        merged = merge_records()
    except UserError as error:
        db.session.rollback()
        flash(error_message(error.message), "error")
        return None
    db.session.commit()
    flash(_("The records were merged."), "success")
    return merged


@bp.route("/merge/people", methods=["GET", "POST"])
@login_required
def merge_people() -> ResponseReturnValue:
    user = me()
    require_editor(user)
    a, b = _two_ids()
    keep = person_or_404(user, a, edit=True)
    drop = person_or_404(user, b, edit=True)
    if request.method == "POST":
        keep, drop, choices = _picked(merge.PERSON_FIELDS, keep, drop)
        merged = _merged(lambda: merge.merge_people(user, keep, drop, choices))
        if merged is not None:
            return redirect(url_for("register.person_show", person_id=merged.id))
    rows = [
        (name, people.snapshot(keep)[name], people.snapshot(drop)[name])
        for name in (*merge.PERSON_FIELDS, "emails", "phones", "tags")
    ]
    return render_template(
        "register/merge.html", kind="people", a=keep, b=drop, rows=rows, fields=merge.PERSON_FIELDS
    )


@bp.route("/merge/organisations", methods=["GET", "POST"])
@login_required
def merge_organisations() -> ResponseReturnValue:
    user = me()
    require_editor(user)
    a, b = _two_ids()
    keep = org_access.organisation_or_404(user, a, edit=True)
    drop = org_access.organisation_or_404(user, b, edit=True)
    fields = (*merge.ORGANISATION_FIELDS, *merge.PROFILE_FIELDS)
    if request.method == "POST":
        keep, drop, choices = _picked(fields, keep, drop)
        merged = _merged(lambda: merge.merge_organisations(user, keep, drop, choices))
        if merged is not None:
            return redirect(url_for("organisations.show", organisation_id=merged.id))
    values_a, values_b = _org_values(keep), _org_values(drop)
    rows = [(name, values_a[name], values_b[name]) for name in (*fields, "tags")]
    db.session.commit()
    return render_template(
        "register/merge.html", kind="organisations", a=keep, b=drop, rows=rows, fields=fields
    )


def _org_values(organisation: Any) -> dict[str, Any]:
    return merge._profile_values(organisation)  # noqa: SLF001 - same package family


@bp.route("/people/<int:person_id>/data")
@login_required
def person_data(person_id: int) -> ResponseReturnValue:
    person = person_or_404(me(), person_id)
    return render_template(
        "register/person_data.html", person=person, data=gdpr.export_person(person)
    )


@bp.route("/people/<int:person_id>/data.json")
@login_required
def person_data_json(person_id: int) -> ResponseReturnValue:
    person = person_or_404(me(), person_id)
    body = json.dumps(gdpr.export_person(person), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="person-{person.id}.json"'},
    )


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@login_required
def person_erase(person_id: int) -> ResponseReturnValue:
    user = me()
    person = person_or_404(user, person_id, edit=True)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            _ref, reports = gdpr.erase(user, person, form.confirm_name.data or "")
        except UserError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The person's data was erased."), "success")
            if reports:
                flash(
                    ngettext(
                        "%(num)d archived report named them; it was re-rendered without "
                        "their details.",
                        "%(num)d archived reports named them; they were re-rendered without "
                        "their details.",
                        reports,
                    ),
                    "info",
                )
            return redirect(url_for("register.people_index"))
    return render_template("register/person_erase.html", person=person, form=form)
