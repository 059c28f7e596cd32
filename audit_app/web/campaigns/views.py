"""Campaign pages for organisers: list, create and edit, the members and their
participation, the aggregated results. Every page checks that the user organises the
campaign (or administers): services/campaigns.campaign_or_404."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from audit_app.domain.campaign_view import CampaignView
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.i18n import current_language
from audit_app.models import Campaign, CampaignMember, Organisation
from audit_app.reporting import campaign_charts as charts
from audit_app.services import campaigns as service
from audit_app.services.campaign_results import campaign_view
from audit_app.services.organisations import search
from audit_app.services.questionnaires import catalogue
from audit_app.web.campaigns.forms import AddMemberForm, CampaignForm, MembersCsvForm
from audit_app.web.form_errors import show_error
from audit_app.web.sorting import sorting_from
from audit_app.wording import translator

bp = Blueprint("campaigns", __name__)


@bp.app_template_global()
def participation_chart(view: CampaignView) -> Markup:
    return Markup(charts.participation_chart(view, translator(view.lang)))  # noqa: S704  # nosec B704 (SVG built by reporting/charts helpers, text escaped)


@bp.app_template_global()
def distribution_chart(view: CampaignView) -> Markup:
    return Markup(charts.distribution_chart(view, translator(view.lang)))  # noqa: S704  # nosec B704 (SVG built by reporting/charts helpers, text escaped)


@bp.app_template_global()
def campaign_memberships(organisation: Organisation) -> list[CampaignMember]:
    """The campaigns an organisation takes part in, for its own page."""
    return service.memberships_of(organisation)


def error_message(error: UserError) -> str:
    messages = {
        "name_required": _("Enter the campaign's name."),
        "name_too_long": _("The name is too long (at most 300 characters)."),
        "unknown_questionnaire": _("Choose one of the listed questionnaires."),
        "start_required": _("Enter the first day of the campaign."),
        "end_required": _("Enter the last day of the campaign."),
        "end_before_start": _("The campaign cannot end before it starts."),
        "terms_too_long": _("The terms are too long (at most 10,000 characters)."),
        "unknown_organiser": _("Choose one of the listed organisers."),
        "not_allowed": _("You may not make this change."),
        "unknown_organisation": _("This organisation cannot be added."),
        "already_member": _("This organisation is already a member of the campaign."),
    }
    return messages.get(error.message, _("The data could not be saved."))


def _form(campaign: Campaign | None) -> CampaignForm:
    form = CampaignForm(obj=campaign)
    # An empty first option: nothing is chosen by accident (and valid HTML for required).
    form.questionnaire_id.choices = [("", _("Choose a questionnaire"))] + [
        (q.id, q.title.get(current_language())) for q in catalogue().all()
    ]
    if current_user.is_admin and campaign is not None:
        form.organiser_id.choices = [(u.id, u.name) for u in service.organiser_candidates()]
    return form


def _input(form: CampaignForm) -> service.CampaignInput:
    return service.CampaignInput(
        name=form.name.data or "",
        questionnaire_id=form.questionnaire_id.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        terms=form.terms.data or "",
        terms_include_benchmarks=bool(form.terms_include_benchmarks.data),
    )


@bp.route("/campaigns")
@login_required
def index() -> ResponseReturnValue:
    sorting = sorting_from(request.args, list(service.SORT_COLUMNS), "start", descending=True)
    campaigns = service.sorted_campaigns(current_user, sorting.column, sorting.descending)
    return render_template(
        "campaigns/index.html",
        campaigns=campaigns,
        sorting=sorting,
        can_create=service.may_create(current_user),
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@login_required
def create() -> ResponseReturnValue:
    if not service.may_create(current_user):
        abort(403)
    form = _form(None)
    if form.validate_on_submit():
        try:
            campaign = service.create(current_user, _input(form))
        except UserError as error:
            db.session.rollback()
            show_error(form, error, error_message(error))
        else:
            db.session.commit()
            flash(_("The campaign %(name)s was created.", name=campaign.name), "success")
            return redirect(url_for(".show", campaign_id=campaign.id))
    status = 400 if form.is_submitted() else 200
    return render_template("campaigns/form.html", form=form, campaign=None), status


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit(campaign_id: int) -> ResponseReturnValue:
    campaign = service.campaign_or_404(current_user, campaign_id)
    form = _form(campaign)
    if form.validate_on_submit():
        organiser = form.organiser_id.data if current_user.is_admin else None
        try:
            service.update(current_user, campaign, _input(form), organiser_id=organiser)
        except UserError as error:
            db.session.rollback()
            show_error(form, error, error_message(error))
        else:
            db.session.commit()
            flash(_("The changes were saved."), "success")
            if not service.may_organise(current_user, campaign):
                return redirect(url_for(".index"))
            return redirect(url_for(".show", campaign_id=campaign.id))
    status = 400 if form.is_submitted() else 200
    return render_template("campaigns/form.html", form=form, campaign=campaign), status


def render_show(campaign: Campaign, **extra: Any) -> str:
    """The organiser's main page: participation per member and adding members."""
    q = request.args.get("q", "").strip()
    members = {m.organisation_id for m in campaign.members}
    found = []
    if q:
        found = [
            row.organisation
            for row in search(current_user, q=q, per_page=20).rows
            if row.organisation.id not in members and row.organisation.deleted_at is None
        ]
    extra.setdefault("csv_form", MembersCsvForm())
    return render_template(
        "campaigns/show.html",
        campaign=campaign,
        view=campaign_view(campaign, current_language(), priorities=False),
        q=q,
        found=found,
        add_form=AddMemberForm(),
        **extra,
    )


@bp.route("/campaigns/<int:campaign_id>")
@login_required
def show(campaign_id: int) -> ResponseReturnValue:
    return render_show(service.campaign_or_404(current_user, campaign_id))


@bp.route("/campaigns/<int:campaign_id>/results")
@login_required
def results(campaign_id: int) -> ResponseReturnValue:
    campaign = service.campaign_or_404(current_user, campaign_id)
    view = campaign_view(campaign, current_language())
    db.session.commit()  # stored priorities backfilled on the way are kept
    return render_template("campaigns/results.html", campaign=campaign, view=view)
