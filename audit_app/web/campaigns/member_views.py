"""Adding members (from the organisations search or a CSV file) and, for a member's own
people, the campaign's terms and the choice to share results with the organiser."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from audit_app.domain.numbers import parse_id
from audit_app.errors import NotFound, UserError
from audit_app.extensions import db
from audit_app.models import CampaignMember, Organisation
from audit_app.services import access
from audit_app.services import campaigns as service
from audit_app.services.register.csvparse import CsvFileError
from audit_app.web.campaigns.forms import AddMemberForm, MembersCsvForm, SharingForm
from audit_app.web.campaigns.views import bp, error_message, render_show
from audit_app.web.confirm import confirm_page


def file_error_message(error: CsvFileError) -> str:
    line = error.params.get("line", "")
    messages = {
        "too_large": lambda: _("The file is too large."),
        "not_utf8": lambda: _("The file is not UTF-8 text: save it as CSV UTF-8 and try again."),
        "binary": lambda: _("This is not a CSV file."),
        "empty": lambda: _("The file is empty."),
        "no_header": lambda: _("The file has no header row."),
        "malformed": lambda: _("The file cannot be read as CSV (line %(line)s).", line=line),
        "too_many_rows": lambda: _("The file has too many rows."),
        "too_many_columns": lambda: _("The file has too many columns."),
        "field_too_long": lambda: _("A cell is too long (line %(line)s).", line=line),
        "no_name_column": lambda: _(
            "The file needs a column named “name” (or “nazwa”) or “id” in its first row."
        ),
    }
    found = messages.get(error.code)
    return found() if found else _("The file cannot be read.")


def row_error_message(error: service.CsvRowError) -> str:
    messages = {
        "no_name": _("Line %(line)s: no name or id.", line=error.line),
        "not_found": _(
            "Line %(line)s: no organisation “%(value)s” that you can see.",
            line=error.line,
            value=error.value,
        ),
        "ambiguous": _(
            "Line %(line)s: several organisations are called “%(value)s”; use the id column.",
            line=error.line,
            value=error.value,
        ),
        "already_member": _(
            "Line %(line)s: “%(value)s” is already a member.", line=error.line, value=error.value
        ),
    }
    return messages[error.code]


@bp.route("/campaigns/<int:campaign_id>/members", methods=["POST"])
@login_required
def add_member(campaign_id: int) -> ResponseReturnValue:
    campaign = service.campaign_or_404(current_user, campaign_id)
    form = AddMemberForm()
    if form.validate_on_submit():
        organisation_id = parse_id(form.organisation_id.data)
        organisation = (
            db.session.get(Organisation, organisation_id) if organisation_id is not None else None
        )
        try:
            if organisation is None:
                raise UserError("unknown_organisation")
            service.add_member(current_user, campaign, organisation)
        except UserError as error:
            db.session.rollback()
            flash(error_message(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s joined the campaign.", name=organisation.name), "success")
    else:
        flash(_("The form has expired: try again."), "error")
    return redirect(url_for(".show", campaign_id=campaign.id, q=request.form.get("q", "")))


@bp.route("/campaigns/<int:campaign_id>/members/import", methods=["GET", "POST"])
@login_required
def import_members(campaign_id: int) -> ResponseReturnValue:
    """GET shows the upload form (so a failed upload's URL can be reloaded)."""
    campaign = service.campaign_or_404(current_user, campaign_id)
    form = MembersCsvForm()
    if not form.validate_on_submit():
        if form.is_submitted():
            return render_show(campaign, csv_form=form), 400
        return render_template("campaigns/import.html", campaign=campaign, form=form)
    try:
        outcome = service.add_members_from_csv(current_user, campaign, form.file.data.read())
    except CsvFileError as error:
        db.session.rollback()
        form.file.errors = [file_error_message(error)]
        return render_show(campaign, csv_form=form), 400
    db.session.commit()
    if outcome.added:
        flash(
            ngettext(
                "%(num)s organisation joined the campaign.",
                "%(num)s organisations joined the campaign.",
                len(outcome.added),
            ),
            "success",
        )
    if outcome.errors:
        form.file.errors = [
            ngettext(
                "%(num)s row was not added:",
                "%(num)s rows were not added:",
                len(outcome.errors),
            )
        ]
        rows = [row_error_message(e) for e in outcome.errors]
        return render_show(campaign, csv_form=form, csv_rows=rows), 400
    return redirect(url_for(".show", campaign_id=campaign.id))


def _membership(member_id: int, *, edit: bool = False) -> CampaignMember:
    member = db.session.get(CampaignMember, member_id)
    if member is None:
        raise NotFound
    access.organisation_or_404(current_user, member.organisation_id, edit=edit)
    return member


@bp.route("/campaign-memberships/<int:member_id>", methods=["GET", "POST"])
@login_required
def membership(member_id: int) -> ResponseReturnValue:
    """A member's view: the campaign's terms; its editors choose to share results."""
    member = _membership(member_id, edit=request.method == "POST")
    form = SharingForm(obj=member)
    if form.validate_on_submit():
        service.set_sharing(current_user, member, bool(form.shares_results.data))
        db.session.commit()
        flash(_("Your choice was saved."), "success")
        return redirect(url_for(".membership", member_id=member.id))
    return render_template(
        "campaigns/membership.html",
        member=member,
        campaign=member.campaign,
        form=form,
        can_edit=access.can_edit(current_user, member.organisation),
    )


@bp.route("/campaigns/<int:campaign_id>/members/<int:member_id>/remove", methods=["GET", "POST"])
@login_required
def remove_member(campaign_id: int, member_id: int) -> ResponseReturnValue:
    """The organiser (or an administrator) removes a member, after a confirmation page;
    the organisation, its audits and its data stay."""
    campaign = service.campaign_or_404(current_user, campaign_id)
    member = service.member_or_404(campaign, member_id)
    name = member.organisation.name
    back = url_for(".show", campaign_id=campaign.id)
    if request.method == "GET":
        return confirm_page(
            title=_("Remove a member from the campaign"),
            question=_(
                "%(name)s will leave the campaign %(campaign)s: it no longer appears in "
                "participation and its audit no longer counts in the aggregated results.",
                name=name,
                campaign=campaign.name,
            ),
            details=_(
                "The organisation, its audits and all its data stay as they are; its "
                "consent to anonymous benchmarks is not changed. It can be added again."
            ),
            button=_("Remove from the campaign"),
            cancel=back,
        )
    service.remove_member(current_user, campaign, member)
    db.session.commit()
    flash(_("%(name)s left the campaign.", name=name), "success")
    return redirect(back)
