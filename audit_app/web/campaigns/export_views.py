"""The campaign report (PDF) and the export of its aggregated figures (CSV, JSON)."""

from __future__ import annotations

from flask import abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from audit_app.extensions import db
from audit_app.i18n import current_language
from audit_app.services import campaigns as service
from audit_app.services.campaign_report import export_csv, export_json, report_pdf
from audit_app.services.campaign_results import campaign_view
from audit_app.web.campaigns.views import bp
from audit_app.web.downloads import download

LANGUAGES = ("pl", "en")


def _lang() -> str:
    lang = request.args.get("lang") or current_language()
    if lang not in LANGUAGES:
        abort(400)
    return lang


@bp.route("/campaigns/<int:campaign_id>/report.pdf")
@login_required
def report(campaign_id: int) -> ResponseReturnValue:
    campaign = service.campaign_or_404(current_user, campaign_id)
    lang = _lang()
    view = campaign_view(campaign, lang)
    db.session.commit()  # stored priorities backfilled on the way are kept
    pdf, _pages = report_pdf(view)
    return download(pdf, "application/pdf", f"campaign-{campaign.id}-{lang}.pdf")


@bp.route("/campaigns/<int:campaign_id>/aggregate.<kind>")
@login_required
def export(campaign_id: int, kind: str) -> ResponseReturnValue:
    campaign = service.campaign_or_404(current_user, campaign_id)
    if kind not in ("csv", "json"):
        abort(404)
    view = campaign_view(campaign, _lang())
    db.session.commit()  # stored priorities backfilled on the way are kept
    if kind == "csv":
        return download(export_csv(view), "text/csv", f"campaign-{campaign.id}.csv")
    return download(export_json(view), "application/json", f"campaign-{campaign.id}.json")
